"""The club's timed posts under Discord 5xx (migration 096): a game round's post and its reveal and a thread
digest are tried again with a back-off, never lost to one 503 and never doubled when the 503 came after
Discord made the message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.club.test_claims import digests, thread_with_replies
from tests.club.test_commands import start_game
from tests.faults import discord_fault
from tests.helpers import DAY, write


def posts(world) -> str:
    return f"/channels/{world.channel.id}/messages"


def reveals(world, number: int = 1, rounds: int = 2) -> list:
    return [m for m in world.bot_messages() if (m.content or "").startswith(f"🎭 Round {number}/{rounds}: it was")]


def round_posts(world, number: int, rounds: int = 2) -> list:
    return [m for m in world.bot_messages() if m.embeds and f"Round {number}/{rounds}" in (m.embeds[0].title or "")]


async def test_a_reveal_failing_once_is_posted_on_the_retry(world):
    """One 503 on a round's reveal: the reveal is posted after the back-off, once, and the game goes on."""
    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), 503)
    await world.env.advance_time(61)
    assert reveals(world) == []
    await world.env.advance_time(60)
    assert len(reveals(world)) == 1
    await world.env.advance_time(600)
    assert len(reveals(world)) == 1 and len(reveals(world, 2)) == 1
    assert world.q("SELECT status, reveal_due FROM club_game_rounds ORDER BY number") == [
        ("revealed", None), ("revealed", None)]


async def test_a_round_post_failing_once_does_not_end_the_game(world):
    """503 on round 1's reveal and on round 2's post: both are posted on the retry, once; the game goes on."""
    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), 503, times=2)
    await world.env.advance_time(61)
    assert reveals(world) == [] and round_posts(world, 2) == []
    assert world.q("SELECT status FROM club_game_rounds WHERE number = 2") == [("waiting",)]
    await world.env.advance_time(600)
    assert len(reveals(world)) == 1 and len(round_posts(world, 2)) == 1 and len(reveals(world, 2)) == 1
    assert world.q("SELECT status FROM club_game_rounds ORDER BY number") == [("revealed",), ("revealed",)]


async def test_a_reveal_and_a_round_made_before_a_5xx_are_not_posted_again(world):
    """Round 1's reveal and round 2 are each made, then 503: the retries find them; round 2's buttons close."""
    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), 503, times=2, applied=True)
    await world.env.advance_time(61)
    await world.env.advance_time(600)
    [made] = round_posts(world, 2)
    assert len(reveals(world)) == 1 and len(reveals(world, 2)) == 1
    assert world.q("SELECT message_id, status FROM club_game_rounds WHERE number = 2") == [(made.id, "revealed")]
    assert world.q("SELECT reveal_due FROM club_game_rounds") == [(None,), (None,)]


async def test_a_round_post_failing_every_time_ends_the_game_after_the_last_attempt(world):
    """503 on every post: round 2 is tried four times in all, then the game ends ('failed'), channel free."""
    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), 503, times=None)
    await world.env.advance_time(3600)
    assert world.q("SELECT status, attempts FROM club_game_rounds WHERE number = 2") == [("failed", 3)]
    world.env.backend.faults.clear()
    again = await world.mod.slash(world.channel, "game critic-or-club", rounds=1)
    assert again.response is not None and not again.ephemeral


async def test_a_digest_failing_once_is_posted_on_the_retry(world):
    """One 503 on a thread's digest: posted after the back-off, once."""
    thread = await thread_with_replies(world)
    await world.env.advance_time(DAY - 60)
    discord_fault(world.env, "POST", f"/channels/{thread.id}/messages", 503)
    await world.env.advance_time(60 + 10)
    assert digests(thread) == [] and world.q("SELECT status FROM club_digests") == [("due",)]
    await world.env.advance_time(3600)
    assert len(digests(thread)) == 1
    assert world.q("SELECT status, attempts FROM club_digests") == [("posted", 1)]


async def test_a_digest_made_before_a_5xx_is_not_posted_again(world):
    """The digest is made, then 503: the retry finds it, one digest."""
    thread = await thread_with_replies(world)
    await world.env.advance_time(DAY - 60)
    discord_fault(world.env, "POST", f"/channels/{thread.id}/messages", 503, applied=True)
    await world.env.advance_time(3600 + 120)
    assert len(digests(thread)) == 1
    assert world.q("SELECT status FROM club_digests") == [("posted",)]


async def test_a_reveal_claimed_before_a_crash_is_posted_after_restart(world):
    """The round is marked revealed, then the process dies before the reveal: after its lease it is posted once."""
    await start_game(world, rounds=1)
    await world.bot.scheduler.stop()
    await world.env.advance_time(61)
    now = world.env.now().isoformat()
    assert await world.bot.store.club.claim_reveal(world.q("SELECT id FROM club_game_rounds")[0][0], now,
                                                   (world.env.now() + timedelta(minutes=5)).isoformat())
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert reveals(world, 1, 1) == []  # its lease still runs: the process might be alive
    await world.env.advance_time(600)
    assert len(reveals(world, 1, 1)) == 1
    assert world.q("SELECT status, reveal_due FROM club_game_rounds") == [("revealed", None)]


async def test_a_reveal_posted_before_a_crash_is_not_posted_again(world):
    """Revealed and posted, then the process died before noting it: the channel proves it, one reveal."""
    await start_game(world, rounds=1)
    await world.env.advance_time(61)
    assert len(reveals(world, 1, 1)) == 1
    await world.bot.scheduler.stop()
    write(world.bot.settings, "UPDATE club_game_rounds SET reveal_due = ?", world.env.now().isoformat())
    await world.env.restart_bot()
    await world.env.advance_time(600)
    assert len(reveals(world, 1, 1)) == 1
    assert world.q("SELECT reveal_due FROM club_game_rounds") == [(None,)]


@pytest.mark.parametrize("status", [403, 404])
async def test_a_game_post_discord_refuses_for_good_is_reported_to_moderators(world, status):
    """Permissions removed (403) or the channel deleted (404) mid-game: one attempt each (no retry loop), the
    game ends ('failed') and the moderators are told once in the log channel, naming the round and the error and
    that the game has ended (not a second notice for round 2, refused for the same cause)."""
    logs = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=logs)
    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), status, times=None)
    await world.env.advance_time(3600)
    assert world.q("SELECT status, attempts FROM club_game_rounds ORDER BY number") == [
        ("revealed", 0), ("failed", 0)]
    notices = [m.content for m in logs.history() if "critic-or-club game" in (m.content or "")]
    [notice] = notices
    assert "the reveal of round 1" in notice and f"HTTP {status}" in notice and "the game has ended" in notice, notice
    assert not world.env.errors


async def test_a_reveal_retried_without_read_message_history_is_posted_and_the_game_goes_on(world):
    """One 503 on round 1's reveal in a channel where the bot may post but not read the history (a moderator took
    Read Message History): the retry cannot look for what the failed attempt made, so it posts (rarely twice beats
    never), and the game goes on; it does not end as if Discord refused the reveal."""
    from tests.cross.test_faults_told_once import deny_history

    await start_game(world, rounds=2)
    discord_fault(world.env, "POST", posts(world), 503)
    deny_history(world)
    await world.env.advance_time(61)
    assert reveals(world) == []
    await world.env.advance_time(600)
    assert len(reveals(world)) == 1 and len(reveals(world, 2)) == 1
    assert world.q("SELECT status FROM club_game_rounds ORDER BY number") == [("revealed",), ("revealed",)]
    assert not [m for m in world.bot_messages() if "could not post" in (m.content or "")]
    assert not world.env.errors
