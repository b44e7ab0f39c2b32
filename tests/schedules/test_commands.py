"""/schedule driven through simcord: slots post once, at local time, through restarts, downtime and faults.

simcord's clock starts at 2026-01-01 00:00 UTC (a Thursday); 09:00 Europe/Paris is 08:00 UTC in
January. Downtime is simulated by stopping the bot's scheduler (`await bot.scheduler.stop()`),
advancing the virtual clock (nothing of the bot runs: it is "down"), then `env.restart_bot()`,
which starts a fresh scheduler on READY exactly as a new process would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import discord
import pytest
from simcord.backend.models.channel import Overwrite
from simcord.enums import OverwriteType

from bot.schedules.store import STALE_CLAIM
from tests.helpers import advance_to, daily_paris, prompts, rows, slot_rows, table_digest

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600
DAY = 24 * HOUR












async def test_daily_paris_posts_three_days_at_nine_local(world, settings):
    """Across 3 days: exactly 3 prompts, each at 09:00 Paris, each with its thread, no passage repeated."""
    await daily_paris(world)
    await world.env.advance_time(3 * DAY)
    posted = prompts(world)
    assert len(posted) == 3
    assert [m.created_at.astimezone(PARIS).time().replace(microsecond=0) for m in posted] == [time(9)] * 3
    assert {t.id for t in world.channel.threads} == {m.id for m in posted}
    uses = rows(settings, "SELECT passage_id FROM posted_prompts WHERE source LIKE 'schedule:%'")
    assert len(uses) >= 3 and len({r[0] for r in uses}) == len(uses)
    db = rows(settings, "SELECT status, message_id FROM schedule_posts ORDER BY slot_utc")
    assert [(r[0], r[1]) for r in db] == [("posted", m.id) for m in posted]


async def test_restart_after_post_does_not_duplicate(world, settings):
    """restart_bot() just after a post, then past the next slot: no duplicate, next slot posted once."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 8, 0, 30)
    assert len(prompts(world)) == 1
    await world.env.restart_bot()
    await advance_to(world, 2026, 1, 2, 9)
    assert len(prompts(world)) == 2
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted"), ("2026-01-02T08:00:00+00:00", "posted")]


async def test_downtime_within_grace_posts_one_catch_up(world, settings):
    """Down across a slot and back 2 h later (grace 6 h): exactly one catch-up post on start."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 7)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 1, 10)
    assert prompts(world) == []
    await world.env.restart_bot()
    await world.env.advance_time(60)
    [message] = prompts(world)
    assert message.created_at.astimezone(UTC).hour == 10
    [row] = rows(settings, "SELECT status, reason FROM schedule_posts")
    assert row["status"] == "posted" and row["reason"].startswith("catch-up")


async def test_long_downtime_posts_at_most_one_catch_up(world, settings):
    """Down across three slots: one catch-up for the latest, the older two recorded as skipped."""
    await daily_paris(world)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 3, 9)
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert len(prompts(world)) == 1
    assert [s for _, s in slot_rows(settings)] == ["skipped", "skipped", "posted"]


async def test_downtime_beyond_grace_skips_then_next_slot_posts(world, settings, caplog):
    """Back 7 h after a slot: nothing posted, the skip logged with why; the next regular slot posts."""
    await daily_paris(world)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 1, 15)
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert prompts(world) == []
    [row] = rows(settings, "SELECT status, reason FROM schedule_posts")
    assert row["status"] == "skipped" and "grace" in row["reason"]
    assert any("grace" in r.getMessage() for r in caplog.records)
    await advance_to(world, 2026, 1, 2, 8, 1)
    [message] = prompts(world)
    assert message.created_at.astimezone(PARIS).hour == 9


async def test_deleted_channel_pauses_and_tells_log_channel(world, settings):
    """Channel deleted: that schedule pauses with a reason, the log channel is told, others still post."""
    log_channel = world.guild.create_text_channel("mod-log")
    other = world.guild.create_text_channel("debates")
    await world.mod.slash(world.channel, "config log-channel", channel=log_channel)
    await daily_paris(world)
    await daily_paris(world, channel=other)
    world.env.backend.delete_channel(world.channel.id)
    await advance_to(world, 2026, 1, 1, 8, 1)
    first, second = rows(settings, "SELECT paused, paused_reason FROM schedules ORDER BY id")
    assert first["paused"] == 1 and "deleted" in first["paused_reason"]
    assert second["paused"] == 0 and len(prompts(world, other)) == 1
    [notice] = log_channel.history()
    assert "paused" in notice.content and "deleted" in notice.content
    listed = await world.mod.slash(other, "schedule list")
    assert "Paused" in listed.response.content and "deleted" in listed.response.content


async def test_send_permission_removed_pauses_and_dms_the_setter(world, settings):
    """Send Messages denied: paused with the permission named, the setter gets a DM (no log channel)."""
    await daily_paris(world)
    world.env.backend.set_overwrite(world.channel.id, Overwrite(
        world.bot.user.id, OverwriteType.MEMBER, deny=discord.Permissions(send_messages=True).value))
    await advance_to(world, 2026, 1, 1, 8, 1)
    [row] = rows(settings, "SELECT paused, paused_reason FROM schedules")
    assert row["paused"] == 1 and "Send Messages" in row["paused_reason"]
    [dm] = world.mod.user.dm_channel.history()
    assert "paused" in dm.content and "/schedule resume" in dm.content
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "failed")]
    assert prompts(world) == []


async def test_injected_500_is_retried_and_posted_once(world, settings):
    """A 500 on the post: the slot is kept, retried after back-off, and posted exactly once."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 7, 59)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await advance_to(world, 2026, 1, 1, 8, 0, 10)
    assert prompts(world) == []
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "retrying")]
    await advance_to(world, 2026, 1, 1, 9)
    assert len(prompts(world)) == 1
    [row] = rows(settings, "SELECT status, attempts FROM schedule_posts")
    assert (row["status"], row["attempts"]) == ("posted", 2)


async def test_persistent_5xx_gives_up_the_slot_not_the_schedule(world, settings):
    """Discord failing on every retry: the slot is given up after 4 attempts, the setter told, next day posts."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 7, 59)
    world.env.inject_error("POST", "/channels/*/messages", status=503, times=4)
    await advance_to(world, 2026, 1, 1, 9)
    [row] = rows(settings, "SELECT status, attempts FROM schedule_posts")
    assert (row["status"], row["attempts"]) == ("failed", 4)
    [dm] = world.mod.user.dm_channel.history()
    assert "did not post" in dm.content and "continues" in dm.content
    await advance_to(world, 2026, 1, 2, 8, 1)
    assert len(prompts(world)) == 1 and rows(settings, "SELECT paused FROM schedules")[0][0] == 0


async def test_orphaned_claim_is_posted_once_after_restart(world, settings):
    """A slot claimed by a process that died before posting is posted once after restart, not twice."""
    await daily_paris(world)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 1, 8)
    schedule_id = rows(settings, "SELECT id FROM schedules")[0][0]
    claim, _ = await world.bot.store.schedules.claim_due(schedule_id, world.env.now(), STALE_CLAIM * 100)
    assert claim is not None  # claimed, then "crashed" before posting
    await world.env.restart_bot()
    await world.env.advance_time(STALE_CLAIM.total_seconds() + 60)
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    assert len(prompts(world)) == 1
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_member_cannot_set_a_schedule(world, settings):
    """A non-moderator's /schedule set is refused and nothing is stored."""
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert result.ephemeral and "moderators" in result.response.content.lower()
    assert table_digest(settings) == before


@pytest.mark.parametrize("options, bad, example", [
    ({"time": "25:00"}, "25:00", "09:00"),
    ({"time": "09:00", "timezone": "Mars/Olympus"}, "Mars/Olympus", "Europe/Paris"),
    ({"time": "09:00", "days": "mon,funday"}, "funday", "mon,wed,fri"),
])
async def test_invalid_input_is_named_with_an_example(world, settings, options, bad, example):
    """Invalid time, zone or day → ephemeral error naming the bad value and an example; nothing stored."""
    result = await world.mod.slash(world.channel, "schedule set", channel=world.channel, **options)
    assert result.ephemeral and bad in result.response.content and example in result.response.content
    assert rows(settings, "SELECT * FROM schedules") == []


async def test_list_shows_next_three_runs_in_server_zone(world):
    """/schedule list shows each schedule with its next three runs as Discord timestamps."""
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="20:30", days="fri")
    result = await world.alice.slash(world.channel, "schedule list")
    content = result.response.content
    assert result.ephemeral and "20:30 fri (Europe/Paris)" in content
    fridays = [datetime(2026, 1, d, 19, 30, tzinfo=UTC) for d in (2, 9, 16)]
    assert all(f"<t:{int(f.timestamp())}:F>" in content for f in fridays)
    assert f"<t:{int(fridays[0].timestamp())}:R>" in content  # the first run also says how soon
    assert content.count("Europe/Paris") == 1, "each run is shown once, as a Discord timestamp"


async def test_skip_skips_only_the_next_slot(world, settings):
    """/schedule skip: the next slot is recorded skipped and not posted; the one after posts."""
    await daily_paris(world)
    result = await world.mod.slash(world.channel, "schedule skip", id=1)
    assert "Skipped" in result.response.content
    await advance_to(world, 2026, 1, 2, 8, 1)
    assert len(prompts(world)) == 1
    assert [s for _, s in slot_rows(settings)] == ["skipped", "posted"]


async def test_pause_and_resume(world, settings):
    """A paused schedule does not post; resumed, it posts from its next slot (no catch-up of paused ones)."""
    await daily_paris(world)
    await world.mod.slash(world.channel, "schedule pause", id=1)
    await advance_to(world, 2026, 1, 1, 9)
    assert prompts(world) == []
    result = await world.mod.slash(world.channel, "schedule resume", id=1)
    assert "resumed" in result.response.content
    await advance_to(world, 2026, 1, 2, 8, 1)
    assert len(prompts(world)) == 1 and [s for _, s in slot_rows(settings)] == ["posted"]


async def test_test_posts_now_outside_slot_accounting(world, settings):
    """/schedule test posts one prompt now and claims no slot."""
    await daily_paris(world)
    result = await world.mod.slash(world.channel, "schedule test", id=1)
    content = result.followups[-1].content if result.followups else result.response.content
    assert "Test prompt posted" in content
    assert len(prompts(world)) == 1 and slot_rows(settings) == []


async def test_remove_stops_posting(world, settings):
    """A removed schedule never posts again."""
    await daily_paris(world)
    await world.mod.slash(world.channel, "schedule remove", id=1)
    await advance_to(world, 2026, 1, 1, 9)
    assert prompts(world) == [] and rows(settings, "SELECT * FROM schedules") == []


async def test_id_autocomplete_lists_schedules_by_cadence_and_channel(world):
    """/schedule pause|resume|remove|skip|test id autocomplete: "#id · cadence · #channel · theme"."""
    await daily_paris(world)
    for command in ("schedule pause", "schedule resume", "schedule remove", "schedule skip", "schedule test"):
        choices = await world.mod.autocomplete(world.channel, command, "id", "")
        assert [(c["name"], c["value"]) for c in choices] == [
            ("#1 · 09:00 daily (Europe/Paris) · #film-club · rotation", 1)], command


async def test_id_autocomplete_hides_schedules_of_channels_a_member_cannot_see(world):
    """A member (not a moderator) is offered only schedules of channels they can view."""
    staff = world.guild.create_text_channel("staff")
    await daily_paris(world, channel=staff)
    world.env.backend.set_overwrite(staff.id, Overwrite(
        world.alice.user.id, OverwriteType.MEMBER, deny=discord.Permissions(view_channel=True).value))
    assert await world.alice.autocomplete(world.channel, "schedule pause", "id", "") == []
    assert len(await world.bob.autocomplete(world.channel, "schedule pause", "id", "")) == 1


async def test_set_theme_autocomplete_counts_quotes_like_discuss(world):
    """/schedule set's theme autocomplete offers rotation, then themes labelled "(N quotes)" as /discuss does."""
    scheduled = await world.mod.autocomplete(world.channel, "schedule set", "theme", "")
    discuss = await world.mod.autocomplete(world.channel, "discuss", "theme", "")
    assert (scheduled[0]["name"], scheduled[0]["value"]) == ("rotation", "rotation")
    assert [c["name"] for c in scheduled[1:]] == [c["name"] for c in discuss][:24]
    assert all(re.search(r" \(\d+ quotes?\)$", c["name"]) for c in scheduled[1:])  # "(1 quote)" too
