"""/filmnight schedule, move, cancel, unlock; following edits made in Discord's own event UI; refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers import msgs, table_digest
from tests.helpers import rows as db

HOUR = 3600


def text(result) -> str:
    return "\n".join((m.content or "") + "".join(e.description or "" for e in m.embeds) for m in msgs(result))


def events(world):
    return list(world.env.backend.get_guild(world.guild.id).scheduled_events.values())


async def scheduled(world, when="2026-01-05 20:00", **extra):
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    result = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when=when, **extra)
    assert "is scheduled" in text(result), text(result)
    return result


async def test_discord_refusing_the_event_leaves_nothing(world, settings):
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    before = table_digest(settings)
    world.env.inject_error("POST", "/guilds/*/scheduled-events", status=403, code=50013, message="Missing Permissions")
    refused = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00",
                                    where="Club room")
    assert refused.ephemeral and "Create Events" in text(refused) and "Nothing was scheduled" in text(refused)
    assert table_digest(settings) == before and events(world) == []
    ending = await world.alice.slash(world.channel, "discuss", theme="ending")
    assert "Started a discussion" in text(ending)  # no event → no "now showing", nothing locked


async def test_voice_channel_move_cancel_and_members_refused(world, settings):
    voice = world.guild.create_voice_channel("Screening room")
    await scheduled(world, channel=voice)
    (event,) = events(world)
    assert event.channel_id == voice.id and event.entity_type == 2
    for command, options in (("filmnight move", {"when": "2026-01-06 20:00"}), ("filmnight cancel", {}),
                             ("filmnight unlock", {}), ("filmnight reminder-role", {})):
        refused = await world.alice.slash(world.channel, command, **options)
        assert refused.ephemeral and "Only moderators" in text(refused)
    moved = await world.mod.slash(world.channel, "filmnight move", when="2026-01-06 21:30")
    assert "Moved" in text(moved)
    assert datetime.fromisoformat(events(world)[0].scheduled_start_time) == datetime(2026, 1, 6, 21, 30, tzinfo=UTC)
    assert db(settings, "SELECT starts_at FROM screenings") == [("2026-01-06T21:30:00+00:00",)]
    await world.env.restart_bot()
    assert "Cancelled" in text(await world.mod.slash(world.channel, "filmnight cancel"))
    assert events(world) == [] and db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    assert "No film night" in text(await world.alice.slash(world.channel, "filmnight next"))
    actions = [r[0] for r in db(settings, "SELECT action FROM audit_log WHERE action LIKE 'filmnight.%' ORDER BY id")]
    assert actions == ["filmnight.schedule", "filmnight.move", "filmnight.cancel"]


async def test_edits_in_discords_ui_are_followed(world, settings):
    await scheduled(world, where="Club room")
    (event,) = events(world)
    backend = world.env.backend
    # A moderator drags the event a day later in Discord: reminders follow the new time.
    backend.edit_scheduled_event(world.guild.id, event.id, {
        "scheduled_start_time": "2026-01-06T19:00:00+00:00", "scheduled_end_time": "2026-01-06T22:00:00+00:00"})
    await world.env.advance_time(1)
    assert db(settings, "SELECT starts_at FROM screenings") == [("2026-01-06T19:00:00+00:00",)]
    assert db(settings, "SELECT kind, due_at FROM screening_reminders ORDER BY due_at") == [
        ("24h", "2026-01-05T19:00:00+00:00"), ("1h", "2026-01-06T18:00:00+00:00"), ("end", "2026-01-06T22:00:00+00:00")]
    await world.env.restart_bot()
    backend.delete_scheduled_event(world.guild.id, event.id)
    await world.env.advance_time(1)
    assert db(settings, "SELECT status FROM screenings") == [("cancelled",)]
    await world.env.advance_time(3 * 24 * HOUR)
    assert not [m for m in world.channel.history() if m.author.bot and "⏰" in (m.content or "")]


async def test_unlock_early_and_one_upcoming_screening(world, settings):
    await scheduled(world, where="Club room")
    second = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-09 20:00",
                                   where="Club room")
    assert second.ephemeral and "already has an upcoming screening" in text(second)
    assert "spoiler theme" in text(await world.bob.slash(world.channel, "discuss", theme="ending"))
    assert "open now" in text(await world.mod.slash(world.channel, "filmnight unlock"))
    assert "Started a discussion" in text(await world.bob.slash(world.channel, "discuss", theme="ending"))
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action = 'filmnight.unlock'") == [(1,)]


async def test_single_choice_pick_and_reminder_role(world, settings):
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    role = world.guild.create_role("Film night")
    await world.mod.slash(world.channel, "filmnight reminder-role", role=role)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    again = await world.mod.slash(world.channel, "filmnight pick", candidates=3)
    assert again.ephemeral and "already open" in text(again)
    for member, choice in ((world.alice, "2"), (world.bob, "2"), (world.mod, "1")):
        reply = await member.select(opened.response, [choice])
        assert reply.ephemeral and not reply.response.components  # one choice, no follow-up menu
    await world.env.advance_time(HOUR + 1)
    results = [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Results")]
    assert len(results) == 1 and "**Ran** wins" in results[0].embeds[0].description
    await world.mod.slash(world.channel, "filmnight schedule", film="Ran", when="2026-01-02 20:00", where="Club")
    await world.env.advance_time(24 * HOUR)
    (reminder,) = [m for m in world.channel.history() if m.author.bot and "⏰" in (m.content or "")]
    assert reminder.content.startswith(f"<@&{role.id}>")


async def test_concurrent_ballots_and_closes_count_exactly_once(world, settings):
    """Ballots racing each other and three closes racing the deadline: one row per member, one result."""
    import asyncio

    for film in ("Heat", "Ran", "Alien", "Brazil"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=4, hours=1)
    pick_id = db(settings, "SELECT id FROM filmnight_picks")[0][0]
    store, now = world.bot.store.filmnight, world.bot.now()
    # 40 members, each sending two different ballots at once: the last write wins, one row each.
    await asyncio.gather(*(
        store.cast(pick_id, 1000 + n, ranking, now) for n in range(40) for ranking in ((1, 2), (2, 3, 1))
    ))
    assert db(settings, "SELECT count(*), count(DISTINCT user_id) FROM filmnight_ballots") == [(40, 40)]
    counts = await asyncio.gather(*(world.bot.filmnight.close_pick(pick_id) for _ in range(3)))
    assert sum(c is not None for c in counts) == 1
    await world.env.advance_time(HOUR + 1)
    results = [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Results")]
    assert len(results) == 1 and opened.response is not None
    assert not await store.cast(pick_id, 1, (1,), world.bot.now())  # closed: nothing changes


async def test_current_film_defaults_and_scheduled_prompts_skip_spoilers(world, settings):
    await scheduled(world, where="Club room")
    quote = await world.alice.slash(world.channel, "quote")
    assert "La La Land" in "".join(f.name for f in quote.response.embeds[0].fields) + str(quote.response.embeds[0].to_dict())
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="10:00", theme="ending")
    await world.env.advance_time(24 * HOUR)
    assert len(db(settings, "SELECT DISTINCT message_id FROM posted_prompts")) == 2
    themes = {row[0] for row in db(settings, "SELECT theme FROM posted_prompts")}
    assert themes and "ending" not in themes
    assert {row[0] for row in db(settings, "SELECT film_key FROM posted_prompts")} == {
        str(db(settings, "SELECT id FROM films WHERE title = 'La La Land'")[0][0])}
