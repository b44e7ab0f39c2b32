"""A screening's steps and a game the bot could not run while it was removed, then invited back (issue faults15):
the end step (spoiler thread and rating invitation) posted late within a week, reminders whose moment passed not sent
late, a game ended in one notice; a restart between the invite and the revived posts, a 5xx on the first try."""

from __future__ import annotations

from tests.cross.test_faults_live import notices, with_mod_log
from tests.cross.test_faults_readded import kick, result_posts
from tests.cross.test_faults_told_once import invitations
from tests.faults import discord_fault
from tests.helpers import rows as db

HOUR = 3600
DAY = 24 * HOUR


async def kicked_across_the_end(world, away_hours: float):
    """A screening on 5 January 20:00 (La La Land, 2 h 8 min + 30 min); the bot removed the day before, so its 24 h
    and 1 h reminders and its end step all fail while it is away; `away_hours` later (from 4 Jan 18:00) it is back."""
    from tests.cross.test_faults_filmnight import schedule
    from tests.helpers import advance_to

    logs = await with_mod_log(world)
    await schedule(world, "2026-01-05 20:00")
    await advance_to(world, 2026, 1, 4, 18)
    invite_back = kick(world)
    await world.env.advance_time(away_hours * HOUR)
    return logs, invite_back


def reminders(world) -> list[str]:
    return [m.content for m in world.channel.history() if m.author.bot and (m.content or "").startswith("⏰")]


def end_posts(world) -> list:
    """The end step's message: the spoiler prompt (its thread) or the plain "Film night is over" line."""
    return [m for m in world.channel.history() if m.author.bot and (
        "Film night is over" in (m.content or "") or any("screening" in (e.footer.text or "") for e in m.embeds))]


async def test_a_screening_that_ended_while_removed_gets_its_end_step_late_when_invited_back(world, settings):
    """Removed across a screening's reminders and end, invited back two days later: the spoiler thread and the rating
    invitation are posted once, saying they come late; the 24 h and 1 h reminders are not sent late; a restart and
    days after add nothing, and nobody is told of a failure that was then made good."""
    logs, invite_back = await kicked_across_the_end(world, 48)
    assert db(settings, "SELECT kind, status FROM screening_reminders ORDER BY kind") == [
        ("1h", "failed"), ("24h", "failed"), ("end", "failed")]
    invite_back()
    await world.env.advance_time(120)
    [invitation] = invitations(world)
    assert "comes late" in invitation, invitation
    assert len(end_posts(world)) == 1
    assert not reminders(world)
    await world.env.restart_bot()
    await world.env.advance_time(3 * DAY)
    assert len(invitations(world)) == 1 and len(end_posts(world)) == 1 and not reminders(world)
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]
    assert not notices(logs), notices(logs)
    assert not world.env.errors


async def test_an_end_step_more_than_a_week_old_is_not_posted_when_invited_back(world, settings):
    """Invited back ten days after the screening ended: the club has moved on, nothing is posted."""
    _, invite_back = await kicked_across_the_end(world, 11 * 24)
    invite_back()
    await world.env.advance_time(DAY)
    assert not invitations(world) and not end_posts(world) and not reminders(world)
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("failed",)]
    assert not world.env.errors


async def test_a_restart_between_the_invite_and_the_revived_end_step_posts_it_once(world, settings):
    """Invited back, and the bot restarts before its job ran the revived end step: posted once after the restart."""
    _, invite_back = await kicked_across_the_end(world, 48)
    invite_back()
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    assert len(invitations(world)) == 1 and len(end_posts(world)) == 1
    assert not world.env.errors


async def test_a_5xx_on_the_revived_end_step_is_retried_once(world, settings):
    """Invited back, the first post of the revived end step meets a 503: retried with the back-off, posted once."""
    _, invite_back = await kicked_across_the_end(world, 48)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503)
    invite_back()
    await world.env.advance_time(HOUR)
    assert len(invitations(world)) == 1 and len(end_posts(world)) == 1
    assert db(settings, "SELECT status FROM screening_reminders WHERE kind = 'end'") == [("sent",)]
    assert not world.env.errors


async def test_a_5xx_on_the_first_channel_fetch_after_the_invite_still_revives(world, settings):
    """Invited back, Discord answers 503 to every fetch of the screening's channel: the end step is still posted once,
    and a poll given up while removed too (the invitation's GUILD_CREATE fills the cache, so no fetch is needed)."""
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=100, anonymous=True)
    _, invite_back = await kicked_across_the_end(world, 48)
    discord_fault(world.env, "GET", f"/channels/{world.channel.id}", 503, times=None)
    invite_back()
    await world.env.advance_time(HOUR)
    assert len(invitations(world)) == 1 and len(end_posts(world)) == 1
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert len(result_posts(world, "📊 Results of anonymous poll #1")) == 1
    assert not world.env.errors


async def test_a_game_ended_while_removed_is_told_once_when_invited_back(world, settings):
    """Removed during round 1 of 3: the game ends while the bot is away; invited back, the moderators get one notice
    that it ended, the round's buttons are disabled, no round or reveal is posted late; a restart adds nothing."""
    from tests.club.test_commands import rate

    logs = await with_mod_log(world)
    await rate(world.alice, world, 4, "The drums are a war.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    started = await world.mod.slash(world.channel, "game critic-or-club", rounds=3)
    invite_back = kick(world)
    await world.env.advance_time(HOUR)
    invite_back()
    await world.env.advance_time(60)
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    told = notices(logs)
    assert len(told) == 1 and "the game has ended" in told[0] and "removed" in told[0], told
    posts = [m for m in world.channel.history() if m.author.bot and ((m.content or "").startswith("🎭")
                                                                      or m.embeds and "Round 2" in str(m.embeds[0].title))]
    assert not posts, posts
    message = world.env.backend.messages[world.channel.id][started.response.message.id]
    assert all(c.get("disabled") for row in message.components for c in row.get("components", [])), message.components
    assert db(settings, "SELECT count(*) FROM club_game_rounds WHERE status IN ('open', 'waiting')") == [(0,)]
    assert not world.env.errors


async def test_invited_back_while_the_bot_is_down_posts_what_it_gave_up_once_it_starts(world, settings):
    """Removed across a poll's close and a screening's end, then invited back while the bot process is down (Discord
    sends no join to a bot that is not connected; it finds the server in its start-up guilds): once started, the poll's
    results and the end step are posted once each, late, and a restart adds none."""
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=100, anonymous=True)
    _, invite_back = await kicked_across_the_end(world, 48)
    await world.env.shutdown()
    invite_back()
    world.env.backend.advance_clock(HOUR)
    await world.env.start()
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert len(result_posts(world, "📊 Results of anonymous poll #1")) == 1
    assert len(invitations(world)) == 1 and len(end_posts(world)) == 1
    assert not world.env.errors
