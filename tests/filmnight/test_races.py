"""Film night when members (or moderators) act at the same moment: nothing doubled, each told the truth."""

from __future__ import annotations

from tests.helpers import assert_ephemeral_reply, burst


async def test_two_picks_started_at_once_open_one_and_refuse_the_other_privately(world):
    """Two moderators run /filmnight pick at the same moment: one pick opens (one public ballot), the other is
    told privately a pick is already open. Both used to pass the check and the server had two open picks."""
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.alice.slash(world.channel, "watchlist add", film=film, year=year)
    first, second = await burst(world.env, [
        lambda: world.mod.slash(world.channel, "filmnight pick", candidates=2, hours=2),
        lambda: world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=4),
    ])
    assert world.q("SELECT count(*) FROM filmnight_picks WHERE closed_at IS NULL") == [(1,)]
    opened = [r for r in (first, second) if not r.ephemeral]
    refused = [r for r in (first, second) if r.ephemeral]
    assert len(opened) == 1 and len(refused) == 1
    assert opened[0].response.embeds[0].title.startswith("🗳️ Pick the next film night")
    assert_ephemeral_reply(refused[0], "A pick is already open in this server")
    assert not world.env.errors


async def test_one_new_film_added_from_two_servers_at_once_is_one_film_on_both_watchlists(world):
    """/watchlist add of a film the bot never saw, from two servers at the same moment: one film row, each
    server's watchlist holds it, neither member told an error."""
    other = world.env.create_guild(name="Other Club")
    other_channel = other.create_text_channel("general")
    carol = other.add_member(world.env.create_user("carol"))
    here, there = await burst(world.env, [
        lambda: world.alice.slash(world.channel, "watchlist add", film="Mysterious Skin", year=2004),
        lambda: carol.slash(other_channel, "watchlist add", film="Mysterious Skin", year=2004),
    ])
    for result in (here, there):
        assert "Added **Mysterious Skin (2004)**" in (result.response.content or ""), result.response.content
    films = world.q("SELECT id FROM films WHERE title = 'Mysterious Skin'")
    assert len(films) == 1
    listed = world.q("SELECT guild_id FROM watchlist WHERE film_id = ? ORDER BY guild_id", films[0][0])
    assert sorted(g for (g,) in listed) == sorted([world.guild.id, other.id])
    assert not world.env.errors


async def test_one_members_ballot_sent_from_two_clients_at_once_is_one_ballot(world):
    """Alice's phone and laptop send her ballot at the same moment (two 1st choices, and a 2nd choice on the
    first client's private menu): she holds one ballot, the one her last answer showed, counted once."""
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=2)
    pick_message = opened.response
    phone, laptop = await burst(world.env, [
        lambda: world.alice.select(pick_message, ["1"]),
        lambda: world.alice.select(pick_message, ["2"]),
    ])
    assert phone.ephemeral and laptop.ephemeral
    assert world.q("SELECT ranking FROM filmnight_ballots WHERE user_id = ?", world.alice.id) in ([("1",)], [("2",)])
    second, again = await burst(world.env, [
        lambda: world.alice.select(phone.response, ["3"]),  # the phone's private 2nd-choice menu: 1, then 3
        lambda: world.alice.select(pick_message, ["2"]),     # the laptop starts over: 2
    ])
    [(ranking,)] = world.q("SELECT ranking FROM filmnight_ballots WHERE user_id = ?", world.alice.id)
    assert ranking in ("1,3", "2")
    last = second if ranking == "1,3" else again
    assert "Your ballot" in last.response.content
    assert world.q("SELECT count(*) FROM filmnight_ballots") == [(1,)]
    await world.env.advance_time(60)
    assert "Ballots so far: 1." in pick_message_now(world, pick_message.id)
    assert not world.env.errors


def pick_message_now(world, message_id: int) -> str:
    message = world.env.backend.get_message(world.channel.id, message_id)
    return " ".join((e.get("description") or "") for e in message.embeds)
