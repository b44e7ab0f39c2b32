"""/schedule: the issue-4 acceptance criteria, black box (time, DST, downtime, faults)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from simcord.backend.models.channel import Overwrite
from simcord.enums import OverwriteType
from simcord.env import Env

from bot import Settings, create_bot
from tests.helpers import (
    HOUR,
    SPOILER_RE,
    World,
    advance_to,
    assert_ephemeral_reply,
    bot_down_for,
    msg_text,
    msgs,
    prompt_messages,
    set_schedule,
    text_of,
)

PARIS = ZoneInfo("Europe/Paris")


EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # simcord's virtual clock starts here (a Thursday)


def sent_at(m: discord.Message) -> datetime:
    return discord.utils.snowflake_time(m.id)




def dm_history(world: World, user) -> list[discord.Message]:
    return [m for m in user.dm_channel.history() if m.author.id == world.env.bot.user.id]


async def test_daily_0900_paris_three_days(world: World):
    """Daily 0900 paris three days."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris", days="daily")
    await advance_to(world.env, EPOCH + timedelta(days=3))
    prompts = prompt_messages(world)
    assert len(prompts) == 3, [msg_text(m)[:80] for m in prompts]
    for m in prompts:
        local = sent_at(m).astimezone(PARIS)
        assert (local.hour, local.minute) == (9, 0), local
        assert [t for t in world.channel.threads if t.id == m.id], "scheduled prompt without its thread"
    assert len({sent_at(m).date() for m in prompts}) == 3
    pids = [r[0] for r in world.q("SELECT passage_id FROM posted_prompts")]
    assert len(pids) == 3 and len(set(pids)) == 3, pids
    excerpts = [re.search(r"^>\s?(.+)$", msg_text(m), re.MULTILINE).group(1) for m in prompts]
    assert len(set(excerpts)) == 3
    rows = world.q("SELECT slot_utc, status FROM schedule_posts WHERE schedule_id=? ORDER BY slot_utc", sid)
    assert [s for _, s in rows] == ["posted"] * 3, rows


async def test_dst_keeps_0900_local(world: World):
    # jump (bot down) to the weekend of the March 2026 change (Sunday 29 March, 02:00 → 03:00)
    """DST keeps 0900 local."""
    await bot_down_for(world.env, (datetime(2026, 3, 28, 0, tzinfo=UTC) - world.env.now()).total_seconds())
    await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, datetime(2026, 3, 30, 12, tzinfo=UTC))
    prompts = prompt_messages(world)
    assert len(prompts) == 3, [sent_at(m) for m in prompts]  # 28, 29 (DST day) and 30 March
    for m in prompts:
        local = sent_at(m).astimezone(PARIS)
        assert (local.hour, local.minute) == (9, 0), (sent_at(m), local)
    utc_hours = sorted({sent_at(m).hour for m in prompts})
    assert utc_hours == [7, 8], utc_hours


async def test_restart_after_post_no_duplicate(world: World):
    """Restart after post no duplicate."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, EPOCH + timedelta(hours=8, seconds=20))
    assert len(prompt_messages(world)) == 1
    await world.env.restart_bot()
    assert len(prompt_messages(world)) == 1, "restart re-posted the slot"
    await world.env.restart_bot()
    await advance_to(world.env, EPOCH + timedelta(days=1, hours=9))
    prompts = prompt_messages(world)
    assert len(prompts) == 2
    assert sent_at(prompts[1]) == EPOCH + timedelta(days=1, hours=8)
    assert world.count("schedule_posts", "schedule_id=? AND status='posted'", sid) == 2


async def test_downtime_within_grace_posts_one_catch_up(world: World):
    """Downtime within grace posts one catch up."""
    await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, EPOCH + timedelta(hours=7))
    await bot_down_for(world.env, 3 * HOUR)  # back at 10:00 UTC: the 08:00 UTC slot is 2 h late
    await world.env.settle()
    prompts = prompt_messages(world)
    assert len(prompts) == 1, "one catch-up post expected"
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert len(prompt_messages(world)) == 1, "catch-up posted twice"
    await advance_to(world.env, EPOCH + timedelta(days=1, hours=9))
    assert len(prompt_messages(world)) == 2, "next regular slot after a catch-up"


async def test_downtime_beyond_grace_skips_and_next_slot_posts(world: World):
    """Downtime beyond grace skips and next slot posts."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, EPOCH + timedelta(hours=7))
    await bot_down_for(world.env, 9 * HOUR)  # back at 16:00 UTC: the slot is 8 h late (> 6 h grace)
    await world.env.advance_time(60)
    assert prompt_messages(world) == [], "a slot beyond the grace period was posted"
    skipped = world.q("SELECT status, reason FROM schedule_posts WHERE schedule_id=?", sid)
    assert skipped == [] or all(s == "skipped" for s, _ in skipped), skipped
    await advance_to(world.env, EPOCH + timedelta(days=1, hours=9))
    prompts = prompt_messages(world)
    assert len(prompts) == 1 and sent_at(prompts[0]) == EPOCH + timedelta(days=1, hours=8)


async def test_long_downtime_never_more_than_one_catch_up(tmp_path):
    """Long downtime never more than one catch up."""
    db = tmp_path / "grace.db"
    bot = create_bot(Settings(database=db, catchup_grace_hours=60))
    env = Env(bot)
    await env.start()
    try:
        world = World(env)
        await set_schedule(world, time="09:00", timezone="Europe/Paris")
        await advance_to(env, EPOCH + timedelta(hours=7))
        await bot_down_for(env, 2 * 24 * HOUR + 3 * HOUR)  # misses Jan 1, 2 and 3 slots, all within 60 h
        await env.advance_time(60)
        assert len(prompt_messages(world)) == 1, "more than one catch-up for one schedule"
        await env.restart_bot()
        await env.advance_time(60)
        assert len(prompt_messages(world)) == 1
    finally:
        await env.shutdown()
        await bot.close_store()
    env.raise_errors()


async def test_channel_deleted_pauses_tells_mods_others_unaffected(world: World):
    """Channel deleted pauses tells mods others unaffected."""
    modlog = world.guild.create_text_channel("mod-log")
    doomed = world.guild.create_text_channel("doomed")
    await world.env.settle()
    r = await world.mod.slash(world.channel, "config log-channel", channel=modlog)
    assert_ephemeral_reply(r)
    s_doomed = await set_schedule(world, channel=doomed, time="09:00", timezone="Europe/Paris")
    s_ok = await set_schedule(world, channel=world.channel, time="09:00", timezone="Europe/Paris")
    world.env.backend.delete_channel(doomed.id)
    await world.env.settle()
    await advance_to(world.env, EPOCH + timedelta(hours=9))
    paused, reason = world.q("SELECT paused, paused_reason FROM schedules WHERE id=?", s_doomed)[0]
    assert paused == 1 and reason, (paused, reason)
    told = [msg_text(m) for m in world.bot_messages(modlog)]
    assert any(f"#{s_doomed}" in t for t in told), f"moderators not told in the log channel: {told}"
    assert len(prompt_messages(world)) == 1, "the other schedule did not post"
    r = await world.alice.slash(world.channel, "schedule list")
    text = assert_ephemeral_reply(r)
    assert "paused" in text.casefold() and reason.split()[0].casefold() in text.casefold(), text
    # bot alive, and later slots of the healthy schedule unaffected; the paused one stays quiet
    r = await world.alice.slash(world.channel, "quote")
    assert msgs(r) and not msgs(r)[0].ephemeral
    await advance_to(world.env, EPOCH + timedelta(days=1, hours=9))
    assert len(prompt_messages(world)) == 2
    assert world.count("schedule_posts", "schedule_id=? AND status='posted'", s_ok) == 2
    assert len(told) == len(world.bot_messages(modlog)), "moderators told repeatedly"


async def test_send_permission_removed_pauses_and_dms_setter(world: World):
    """Send permission removed pauses and DMs setter."""
    room = world.guild.create_text_channel("room")
    await world.env.settle()
    sid = await set_schedule(world, channel=room, time="09:00", timezone="Europe/Paris")
    ok = await set_schedule(world, channel=world.channel, time="10:00", timezone="Europe/Paris")
    deny = discord.Permissions(send_messages=True).value
    world.env.backend.set_overwrite(room.id, Overwrite(target_id=world.env.bot.user.id, type=OverwriteType.MEMBER,
                                                    deny=deny))
    await world.env.settle()
    await advance_to(world.env, EPOCH + timedelta(hours=10))
    paused, reason = world.q("SELECT paused, paused_reason FROM schedules WHERE id=?", sid)[0]
    assert paused == 1 and "send" in (reason or "").casefold(), reason
    dms = dm_history(world, world.mod_user)
    assert dms and any(f"#{sid}" in msg_text(m) for m in dms), "setter not told by DM"
    assert world.bot_messages(room) == []
    assert len(prompt_messages(world)) == 1, "later schedule affected"
    assert world.count("schedule_posts", "schedule_id=? AND status='posted'", ok) == 1


async def test_injected_500_once_posted_on_retry_once(world: World):
    """Injected 500 once posted on retry once."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, EPOCH + timedelta(hours=7, minutes=59))
    world.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await advance_to(world.env, EPOCH + timedelta(hours=9))
    prompts = prompt_messages(world)
    assert len(prompts) == 1
    assert [t for t in world.channel.threads if t.id == prompts[0].id]
    assert world.q("SELECT status FROM schedule_posts WHERE schedule_id=?", sid) == [("posted",)]


async def test_persistent_5xx_retried_with_backoff_not_doubled(world: World):
    """Persistent 5xx retried with backoff not doubled."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    await advance_to(world.env, EPOCH + timedelta(hours=7, minutes=59))
    # the first send and the first retry both fail; the schedule must keep the slot and retry later
    world.env.inject_error("POST", "/channels/*/messages", status=503, times=2)
    await advance_to(world.env, EPOCH + timedelta(hours=8, minutes=0, seconds=5))
    assert prompt_messages(world) == []
    await advance_to(world.env, EPOCH + timedelta(hours=8, minutes=1))
    assert prompt_messages(world) == []
    st = world.q("SELECT status FROM schedule_posts WHERE schedule_id=?", sid)
    assert st and st[0][0] not in ("posted", "skipped"), st
    assert world.q("SELECT paused FROM schedules WHERE id=?", sid)[0][0] == 0, "a transient error paused it"
    await advance_to(world.env, EPOCH + timedelta(hours=9))
    assert len(prompt_messages(world)) == 1
    assert world.q("SELECT status FROM schedule_posts WHERE schedule_id=?", sid) == [("posted",)]


async def test_non_moderator_cannot_set_or_manage(world: World):
    """Non moderator cannot set or manage."""
    sid = await set_schedule(world, time="09:00")
    before = world.digest()
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="10:00")
    assert_ephemeral_reply(r, "moderator")
    for sub in ("pause", "resume", "remove", "skip", "test"):
        r = await world.alice.slash(world.channel, f"schedule {sub}", id=sid)
        assert_ephemeral_reply(r)
        assert "moderator" in text_of(r).casefold() or "manage server" in text_of(r).casefold()
    assert world.digest() == before
    assert prompt_messages(world) == []


@pytest.mark.parametrize("opts,bad", [
    ({"time": "25:00"}, "25:00"),
    ({"time": "9am"}, "9am"),
    ({"time": "09:61"}, "09:61"),
    ({"time": "09:00", "timezone": "Mars/Olympus"}, "Mars/Olympus"),
    ({"time": "09:00", "timezone": "CEST+1"}, "CEST+1"),
    ({"time": "09:00", "days": "funday"}, "funday"),
    ({"time": "09:00", "days": "mon,xyz"}, "xyz"),
])
async def test_invalid_input_names_bad_value_with_example(world: World, opts, bad):
    """Invalid input names bad value with example."""
    before = world.digest()
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, **opts)
    text = assert_ephemeral_reply(r, bad)
    assert "example" in text.casefold() or "e.g." in text.casefold(), text
    assert world.digest() == before


async def test_list_shows_next_three_in_server_zone(world: World):
    """List shows next three in server zone."""
    r = await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    assert_ephemeral_reply(r)
    await set_schedule(world, time="09:00")  # default: the server's zone
    assert world.q("SELECT timezone FROM schedules")[0][0] == "Europe/Paris"
    r = await world.alice.slash(world.channel, "schedule list")
    text = assert_ephemeral_reply(r)
    stamps = [int(x) for x in re.findall(r"<t:(\d+):F>", text)]
    expected = [int((EPOCH + timedelta(days=d, hours=8)).timestamp()) for d in range(3)]
    assert stamps[:3] == expected, (stamps, text)
    assert "09:00" in text
    assert "08:00 UTC" not in text, f"times not shown in the server's zone: {text}"


async def test_pause_resume_skip_test_remove(world: World):
    """Pause resume skip test remove."""
    sid = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    r = await world.mod.slash(world.channel, "schedule pause", id=sid)
    assert_ephemeral_reply(r)
    await advance_to(world.env, EPOCH + timedelta(hours=9))
    assert prompt_messages(world) == [], "paused schedule posted"
    r = await world.alice.slash(world.channel, "schedule list")
    assert "paused" in text_of(r).casefold()
    r = await world.mod.slash(world.channel, "schedule resume", id=sid)
    assert_ephemeral_reply(r)
    await world.env.advance_time(60)
    assert prompt_messages(world) == [], "resume made up a slot missed while paused"
    r = await world.mod.slash(world.channel, "schedule skip", id=sid)
    assert_ephemeral_reply(r)
    await advance_to(world.env, EPOCH + timedelta(days=1, hours=9))
    assert prompt_messages(world) == [], "skipped slot posted"
    await advance_to(world.env, EPOCH + timedelta(days=2, hours=9))
    assert len(prompt_messages(world)) == 1, "slot after the skipped one not posted"
    n_slots = world.count("schedule_posts", "status='posted'")
    r = await world.mod.slash(world.channel, "schedule test", id=sid)
    assert_ephemeral_reply(r)
    assert len(prompt_messages(world)) == 2, "/schedule test posted nothing"
    assert world.count("schedule_posts", "status='posted'") == n_slots, "/schedule test consumed a slot"
    await advance_to(world.env, EPOCH + timedelta(days=3, hours=9))
    assert len(prompt_messages(world)) == 3, "/schedule test disturbed the next slot"
    r = await world.mod.slash(world.channel, "schedule remove", id=sid)
    assert_ephemeral_reply(r)
    await advance_to(world.env, EPOCH + timedelta(days=4, hours=9))
    assert len(prompt_messages(world)) == 3, "removed schedule still posts"
    assert world.count("schedules") == 0


async def test_several_schedules_weekday_and_theme(world: World):
    """Several schedules weekday and theme."""
    daily = await set_schedule(world, time="09:00", timezone="Europe/Paris")
    friday = await set_schedule(world, time="20:00", timezone="Europe/Paris", days="fri", theme="ending",
                                thread=False)
    assert daily != friday
    await advance_to(world.env, EPOCH + timedelta(days=3))  # Thu 1, Fri 2, Sat 3 January
    assert world.count("schedule_posts", "schedule_id=? AND status='posted'", daily) == 3
    fri = world.q("SELECT slot_utc FROM schedule_posts WHERE schedule_id=? AND status='posted'", friday)
    assert len(fri) == 1, fri
    slot = datetime.fromisoformat(fri[0][0])
    if slot.tzinfo is None:
        slot = slot.replace(tzinfo=UTC)
    local = slot.astimezone(PARIS)
    assert local.weekday() == 4 and (local.hour, local.minute) == (20, 0), local
    ending = [m for m in prompt_messages(world) if "The ending" in msg_text(m)]
    fri_msg = [m for m in ending if sent_at(m).astimezone(PARIS).hour == 20]
    assert fri_msg and SPOILER_RE.search(msg_text(fri_msg[0]))
    assert not [t for t in world.channel.threads if t.id == fri_msg[0].id], "thread:False still made a thread"


async def test_ping_role_is_mentioned_in_prompt(world: World):
    """Ping role is mentioned in prompt."""
    role = world.guild.create_role("film-fans", mentionable=True)
    await world.env.settle()
    await set_schedule(world, time="09:00", timezone="Europe/Paris", ping_role=role)
    await advance_to(world.env, EPOCH + timedelta(hours=9))
    prompts = prompt_messages(world)
    assert len(prompts) == 1 and role.mention in prompts[0].content
