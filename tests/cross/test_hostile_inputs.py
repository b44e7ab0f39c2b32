"""Hostile values an attacker or a confused newcomer types, found by the attack audit: each is a private
refusal that stores nothing."""

from __future__ import annotations

import pytest

from tests.helpers import World, assert_ephemeral_reply, live_masked_links, message_payloads, table_digest


@pytest.mark.parametrize("date", ["٢٠١٦-١٢-٠٩", "۲۰۱۶", "0001-01-01", "9999-12-31", "1869-12-31"])
async def test_a_review_date_in_other_digits_or_out_of_range_is_refused(world: World, settings, date):
    """`/review edit date:` takes ASCII digits from 1870 to 2100 (other digits were stored as typed, year 1 and
    9999 as given); nothing changes."""
    before = table_digest(settings)
    result = await world.mod.slash(world.channel, "review edit", review="1", date=date)
    text = assert_ephemeral_reply(result)
    assert "Updated" not in text and ("not a date" in text or "out of range" in text), text
    assert table_digest(settings) == before


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
async def test_the_hosts_own_zone_is_not_a_servers_time_zone(world: World, settings, zone):
    """`localtime` (the machine's own zone: the server's times would move with the host) and `Factory` are not
    places: refused by /config timezone and /schedule set, never offered by autocomplete."""
    before = table_digest(settings)
    refused = await world.mod.slash(world.channel, "config timezone", zone=zone)
    assert "not a time zone" in assert_ephemeral_reply(refused)
    refused = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", timezone=zone)
    assert "not a valid time zone" in assert_ephemeral_reply(refused)
    assert table_digest(settings) == before
    for command, option in (("config timezone", "zone"), ("schedule set", "timezone")):
        offered = [choice["value"] for choice in await world.mod.autocomplete(world.channel, command, option, zone)]
        assert zone not in offered, offered


async def test_a_masked_link_typed_by_a_member_is_never_clickable(world: World) -> None:
    """'[Free HD stream](http://evil.example)' in a watchlist note, a poll's question and a /search query: shown
    with its brackets escaped once. Escaped twice before ('\\\\[': a literal backslash, then a live bracket), it
    was a masked link after all in every text the bot escapes."""
    link = "[Free HD stream](http://evil.example/phish)"
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", note=f"Watch it {link}")
    await world.alice.slash(world.channel, "watchlist list")
    await world.alice.slash(world.channel, "poll create", question=f"Seen it? {link}", options="Yes | No",
                            anonymous=True)
    await world.alice.slash(world.channel, "poll list")
    await world.alice.slash(world.channel, "search", query=f"love {link}")
    texts = []
    for body in message_payloads(world.env):
        texts.append(body.get("content") or "")
        for embed in body.get("embeds") or []:
            texts += [embed.get("title") or "", embed.get("description") or ""]
            texts += [field["value"] for field in embed.get("fields") or []]
    assert sum("Free HD stream" in text for text in texts) >= 4, texts
    assert [found for text in texts for found in live_masked_links(text) if "evil" in found] == []  # the bot's own: discord.com
