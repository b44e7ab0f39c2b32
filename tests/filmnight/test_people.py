"""Film night knows its people (issue 27): reminders mention who pressed Interested, "I've watched it",
/watched, /history, /filmnight history, private spoilers for those who watched, /club stats."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.helpers import advance_to, burst, buttons, embed_text, message_payloads, msgs, rows, text_of, write

START = "2026-01-05 20:00"
DAY_BEFORE = datetime(2026, 1, 4, 20, 0, 30, tzinfo=UTC)
HOUR_BEFORE = datetime(2026, 1, 5, 19, 0, 30, tzinfo=UTC)
ENDED = datetime(2026, 1, 5, 23, 0, 30, tzinfo=UTC)


def reminder_payloads(env) -> list[dict]:
    return [b for b in message_payloads(env) if "⏰" in (b.get("content") or "")]


def mentioned(body: dict) -> set[int]:
    return {int(m) for m in re.findall(r"<@(\d+)>", body.get("content") or "")}


def allowed_users(body: dict) -> set[int]:
    return {int(u) for u in (body.get("allowed_mentions") or {}).get("users") or []}


def event_of(world):
    (event,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    return event


async def schedule(world, mode: str | None = "interested") -> None:
    if mode:
        set_mode = await world.mod.slash(world.channel, "filmnight reminder-mentions", mode=mode)
        assert set_mode.ephemeral
    done = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when=START, where="Club room")
    assert "is scheduled" in text_of(done), text_of(done)


def watched_message(world):
    """The after-screening message that carries the "I've watched it" button (in the spoiler thread)."""
    places = [world.channel, *world.channel.threads]
    for place in places:
        for message in place.history():
            if any(b.get("custom_id", "").startswith("filmbot:watched:") for b in buttons(message)):
                return message
    raise AssertionError("no I've watched it button")


async def test_whole_cycle_interested_reminders_watches_history_and_stats_after_restart(world, settings):
    """12 members, 5 Interested: both reminders mention exactly those 5; 7 press "I've watched it"; the numbers hold."""
    env = world.env
    members = [world.mod, world.alice, world.bob] + [world.guild.add_member(env.create_user(f"m{n}")) for n in range(9)]
    assert len(members) == 12
    await schedule(world)
    interested = members[2:7]
    for member in interested:
        await member.subscribe_event(event_of(world).id)
    shown = await world.alice.slash(world.channel, "filmnight next")
    assert "5 interested" in embed_text(msgs(shown)[0].embeds[0])
    await env.restart_bot()
    await advance_to(world, DAY_BEFORE)
    await env.restart_bot()
    await advance_to(world, HOUR_BEFORE)
    sent = reminder_payloads(env)
    assert len(sent) == 2
    want = {m.id for m in interested}
    for body in sent:
        assert mentioned(body) == want and allowed_users(body) == want
        assert body["allowed_mentions"].get("parse") == [] and not body["allowed_mentions"].get("roles")
    await advance_to(world, ENDED)
    message = watched_message(world)
    [custom_id] = [b["custom_id"] for b in buttons(message) if b["custom_id"].startswith("filmbot:watched:")]
    await env.restart_bot()
    watchers = members[:7]
    for member in watchers:
        pressed = await member.click(message, custom_id=custom_id)
        assert pressed.ephemeral and "Recorded" in text_of(pressed)
    again = await watchers[0].click(message, custom_id=custom_id)
    assert "already recorded" in text_of(again)
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4.5)
    await world.bob.slash(world.channel, "rate film", film="La La Land", stars=1.5)
    await env.restart_bot()

    assert world.count("film_watches") == 7
    history = await world.alice.slash(world.channel, "history")
    body = embed_text(msgs(history)[0].embeds[0])
    assert "La La Land (2016)" in body and "5 Jan 2026" in body and "(4.5)" in body and "1 film" in body
    other = await world.alice.slash(world.channel, "history", member=world.bob)
    assert "(1.5)" in embed_text(msgs(other)[0].embeds[0])
    nights = await world.alice.slash(world.channel, "filmnight history")
    assert "5 interested · 7 watched" in text_of(nights)
    stats = await world.alice.slash(world.channel, "club stats", year=2026)
    card = embed_text(msgs(stats)[0].embeds[0])
    assert "**1** film watched" in card and "**7** members took part" in card
    assert "average rating **3.00★ from 2**" in card
    assert "Most divisive" in card and "±1.50★" in card
    assert not env.errors


async def test_five_thousand_interested_are_read_in_pages_and_one_message_says_how_many_more(world):
    """5,000 subscribers: every one is read, the reminder fits one message and names the rest as "and N more"."""
    env = world.env
    await schedule(world)
    event = event_of(world)
    for n in range(5000):
        member = world.guild.add_member(env.create_user(f"fan{n}"))
        event.user_ids.add(member.id)
    await advance_to(world, DAY_BEFORE)
    [body] = reminder_payloads(env)
    shown = mentioned(body)
    assert len(body["content"]) <= 2000 and 0 < len(shown) <= 100
    assert allowed_users(body) == shown
    assert f"and {5000 - len(shown)} more" in body["content"]
    assert not env.errors


async def test_a_member_who_left_is_not_mentioned(world):
    """Interested, then left the server: the reminder skips them."""
    env = world.env
    await schedule(world)
    leaver = world.guild.add_member(env.create_user("leaver"))
    for member in (world.alice, leaver):
        await member.subscribe_event(event_of(world).id)
    env.backend.remove_member(world.guild.id, leaver.id)
    await advance_to(world, DAY_BEFORE)
    [body] = reminder_payloads(env)
    assert mentioned(body) == {world.alice.id} == allowed_users(body)


async def test_event_deleted_while_the_bot_was_away_sends_no_reminder(world, settings):
    """The event is gone when the reminder falls due (its delete never reached the bot): nothing is sent."""
    env = world.env
    await schedule(world)
    event_id = event_of(world).id
    await env.shutdown()
    env.backend.delete_scheduled_event(world.guild.id, event_id)
    await env.start()
    await advance_to(world, DAY_BEFORE)
    assert reminder_payloads(env) == []
    assert world.q("SELECT status FROM screenings")[0][0] == "cancelled"


async def test_role_mode_keeps_the_role_and_off_pings_nobody(world):
    """mode:role is today's reminder role; mode:off mentions nobody."""
    env = world.env
    role = world.guild.create_role("Film night")
    await world.mod.slash(world.channel, "filmnight reminder-role", role=role)
    await schedule(world, "role")
    await world.alice.subscribe_event(event_of(world).id)
    await advance_to(world, DAY_BEFORE)
    await world.mod.slash(world.channel, "filmnight reminder-mentions", mode="off")
    await advance_to(world, HOUR_BEFORE)
    first, second = reminder_payloads(env)
    assert first["content"].startswith(f"<@&{role.id}>") and not mentioned(first)
    assert first["allowed_mentions"]["roles"] == [str(role.id)] or first["allowed_mentions"]["roles"] == [role.id]
    assert "<@" not in second["content"] and second["allowed_mentions"].get("parse") == []
    assert not second["allowed_mentions"].get("users") and not second["allowed_mentions"].get("roles")


async def test_reminder_mentions_refuses_members_and_unknown_modes(world):
    """Only moderators set the mode; an unknown mode is refused privately and nothing is stored."""
    refused = await world.alice.slash(world.channel, "filmnight reminder-mentions", mode="interested")
    assert refused.ephemeral and "Only moderators" in text_of(refused)
    unknown = await world.mod.slash(world.channel, "filmnight reminder-mentions", mode="everyone")
    assert unknown.ephemeral and "interested" in text_of(unknown)
    assert world.count("filmnight_settings") == 0


async def test_twenty_simultaneous_presses_count_each_member_once(world):
    """20 members press "I've watched it" at the same moment, some twice: 20 rows."""
    env = world.env
    await schedule(world, None)
    await advance_to(world, ENDED)
    message = watched_message(world)
    [custom_id] = [b["custom_id"] for b in buttons(message) if b["custom_id"].startswith("filmbot:watched:")]
    crowd = [world.guild.add_member(env.create_user(f"w{n}")) for n in range(20)]
    calls = [lambda m=m: m.click(message, custom_id=custom_id) for m in crowd]
    calls += [lambda m=m: m.click(message, custom_id=custom_id) for m in crowd[:5]]
    await burst(env, calls)
    assert world.count("film_watches") == 20
    assert world.q("SELECT count(DISTINCT user_id) FROM film_watches WHERE screening_id IS NOT NULL")[0][0] == 20
    assert not env.errors


async def test_watched_command_records_any_date_and_refuses_bad_ones(world):
    """/watched film date records once; a future, impossible or malformed date is refused, nothing stored."""
    for bad in ("2027-01-01", "03/02/2025", "2025-02-30", "x" * 10_000):
        refused = await world.alice.slash(world.channel, "watched", film="La La Land", date=bad)
        assert refused.ephemeral and ("YYYY-MM-DD" in text_of(refused) or "future" in text_of(refused))
    unknown = await world.alice.slash(world.channel, "watched", film="Nope Movie")
    assert unknown.ephemeral and "Nope Movie" in text_of(unknown)
    assert world.count("film_watches") == 0
    done = await world.alice.slash(world.channel, "watched", film="La La Land", date="2025-03-02")
    assert done.ephemeral and "2 Mar 2025" in text_of(done)
    twice = await world.alice.slash(world.channel, "watched", film="La La Land")
    assert "already recorded" in text_of(twice)
    assert world.q("SELECT watched_on, screening_id FROM film_watches") == [("2025-03-02", None)]


async def test_spoilers_shown_privately_to_who_watched_while_the_gate_stays_closed(world):
    """Before the screening: a member who recorded the film sees its spoilers privately; others still can't."""
    await schedule(world, None)
    refused_early = await world.bob.slash(world.channel, "discuss", theme="ending")
    assert refused_early.ephemeral and "spoiler theme" in text_of(refused_early)
    done = await world.alice.slash(world.channel, "watched", film="La La Land", date="2025-12-24")
    button = f"filmbot:watched:spoilers:{world.q('SELECT film_id FROM film_watches')[0][0]}"
    assert button in {b["custom_id"] for b in buttons(msgs(done)[0])}
    shown = await world.alice.click(msgs(done)[0], custom_id=button)
    assert shown.ephemeral and "Spoilers of" in text_of(shown) and "||" in text_of(shown)
    still = await world.bob.slash(world.channel, "discuss", theme="ending")
    assert still.ephemeral and "spoiler theme" in text_of(still)


async def test_history_pages_when_long(world, settings):
    """A member with 20 films gets two pages; Next shows the rest (films added through the watchlist)."""
    for n in range(20):
        await world.mod.slash(world.channel, "watchlist add", film=f"Film number {n}", year=2000 + n)
    # Watches of films without reviews, set up directly.
    for n, (film_id,) in enumerate(rows(settings, "SELECT id FROM films WHERE title LIKE 'Film number %' ORDER BY id")):
        write(settings, "INSERT INTO film_watches(guild_id, film_id, user_id, watched_on, recorded_at)"
              " VALUES (?, ?, ?, ?, ?)",
              world.guild.id, film_id, world.alice.id, f"2025-01-{n + 1:02d}", "2025-01-01T00:00:00+00:00")
    shown = await world.alice.slash(world.channel, "history")
    assert "Page 1 of 2 · 20 films" in embed_text(msgs(shown)[0].embeds[0])
    nxt = next(b["custom_id"] for b in buttons(msgs(shown)[0]) if b["custom_id"].endswith(":n"))
    await world.env.restart_bot()
    turned = await world.alice.click(msgs(shown)[0], custom_id=nxt)
    page_two = embed_text(msgs(turned)[0].embeds[0])
    assert "Page 2 of 2" in page_two and page_two.count("• ") == 5


async def test_forget_me_also_forgets_recorded_watches(world):
    """/rate forget-me removes the member's watched films too; another member's stay."""
    await world.alice.slash(world.channel, "watched", film="La La Land")
    await world.bob.slash(world.channel, "watched", film="La La Land")
    done = await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert "1 watched film," in text_of(done)
    assert world.q("SELECT user_id FROM film_watches") == [(world.bob.id,)]


async def test_a_film_night_west_of_utc_is_recorded_on_its_local_day_and_counts_a_same_evening_watched(world):
    """Los Angeles, film night at 18:00 on 5 January (02:00 UTC on the 6th): "I've watched it" records the 5th
    (it recorded the UTC day, the 6th), and `/watched` typed that same evening (today: the 5th) counts for that
    film night (it looked for a film night on the UTC day of the 5th and found none)."""
    await world.mod.slash(world.channel, "config timezone", zone="America/Los_Angeles")
    done = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 18:00",
                                 where="Club room")
    assert "is scheduled" in text_of(done), text_of(done)
    await advance_to(world, datetime(2026, 1, 6, 6, 0, 30, tzinfo=UTC))  # 22:00 on the 5th in Los Angeles
    message = watched_message(world)
    [custom_id] = [b["custom_id"] for b in buttons(message) if b["custom_id"].startswith("filmbot:watched:")]
    pressed = await world.alice.click(message, custom_id=custom_id)
    assert "on 5 Jan 2026" in text_of(pressed), text_of(pressed)
    typed = await world.bob.slash(world.channel, "watched", film="La La Land")
    assert "on 5 Jan 2026" in text_of(typed), text_of(typed)
    assert world.q("SELECT user_id, watched_on, screening_id IS NOT NULL FROM film_watches ORDER BY user_id") == \
        sorted([(world.alice.id, "2026-01-05", 1), (world.bob.id, "2026-01-05", 1)])
    history = await world.bob.slash(world.channel, "history")
    assert "5 Jan 2026 · not rated · 🎟️ film night" in embed_text(msgs(history)[0].embeds[0])
    nights = await world.alice.slash(world.channel, "filmnight history")
    assert "2 watched" in text_of(nights), text_of(nights)


async def test_i_watched_it_forged_onto_a_cancelled_film_night_records_nothing(world):
    """The button is posted only after a screening ends: one forged for a film night that was cancelled records
    no watch (nor opens its spoilers), even once its time has passed."""
    from tests.helpers import click_forged

    await schedule(world, mode=None)
    cancelled = await world.mod.slash(world.channel, "filmnight cancel")
    assert "Cancelled" in text_of(cancelled)
    [(screening_id,)] = world.q("SELECT id FROM screenings")
    await advance_to(world, ENDED)
    carrier = msgs(await world.alice.slash(world.channel, "quote"))[0]
    pressed = await click_forged(world.env, world.alice, carrier, f"filmbot:watched:{screening_id}")
    assert pressed.ephemeral and "cancelled" in text_of(pressed), text_of(pressed)
    assert world.count("film_watches") == 0
