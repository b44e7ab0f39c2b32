"""Polls are never forgotten or stuck: closing is open → closing → announced, retried and finished after restarts."""

from __future__ import annotations

import pytest

from tests.faults import db_fault, discord_fault
from tests.helpers import rows as db
from tests.helpers import write

HOUR = 3600


def results(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id and m.embeds
            and "Results" in (m.embeds[0].title or "") + str(m.embeds[0].to_dict())]


def state(settings, poll_id: int) -> str:
    return db(settings, "SELECT close_state FROM polls WHERE id = ?", (poll_id,))[0][0]


async def make_poll(world, channel=None, **options) -> int:
    r = await world.alice.slash(channel or world.channel, "poll create", question="Best ending?",
                                options="La La Land | Whiplash", hours=1, **options)
    assert not r.ephemeral, r.response.content
    return max(row[0] for row in db(world.bot.settings, "SELECT id FROM polls"))


async def results_posted(world, settings, poll_id, channel=None) -> int:
    return len(db(settings, "SELECT 1 FROM polls WHERE id = ? AND results_message_id IS NOT NULL", (poll_id,)))


async def test_a_failed_results_post_at_the_deadline_is_retried(world, settings):
    poll_id = await make_poll(world)
    discord_fault(world.env, "POST", "/channels/*/messages", 503)
    await world.env.advance_time(HOUR + 1)
    assert state(settings, poll_id) == "closing"
    await world.env.advance_time(60)
    assert state(settings, poll_id) == "announced"
    assert len(db(settings, "SELECT results_message_id FROM polls WHERE results_message_id IS NOT NULL")) == 1


async def test_a_poll_closed_just_before_a_crash_is_announced_after_restart(world, settings):
    poll_id = await make_poll(world, anonymous=True)  # a button poll: its buttons must end disabled
    await world.bot.scheduler.stop()  # the process "dies" right after marking the poll closed
    write(settings, "UPDATE polls SET closed_at = deadline, close_state = 'closing', next_close_at = deadline")
    await world.env.advance_time(HOUR + 60)
    await world.env.restart_bot()
    await world.env.advance_time(5)
    assert state(settings, poll_id) == "announced"
    [(message_id,)] = db(settings, "SELECT message_id FROM polls WHERE id = ?", (poll_id,))
    message = next(m for m in world.channel.history() if m.id == message_id)
    assert all(c.disabled for row in message.components for c in row.children)


async def test_after_the_last_attempt_moderators_are_told_in_the_log_channel(world, settings):
    logs = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=logs)
    poll_id = await make_poll(world)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503, times=None)
    await world.env.advance_time(HOUR + 8 * HOUR)
    assert state(settings, poll_id) == "abandoned"
    notices = [m.content for m in logs.history() if m.author.id == world.bot.user.id]
    assert any(f"Poll #{poll_id}" in n and "could not post its results" in n for n in notices), notices


async def test_results_posted_but_not_recorded_are_not_posted_again(world, settings, monkeypatch):
    """The results go out, recording their id hits a locked database: the retry finds them, posts nothing."""
    failed = db_fault(monkeypatch, world.bot.store.polls, "set_results_message", times=1)
    poll_id = await make_poll(world)
    await world.env.advance_time(HOUR + 1)
    assert failed == [1] and state(settings, poll_id) == "closing"
    [posted] = results(world, world.channel)
    await world.env.advance_time(10 * 60)
    assert results(world, world.channel) == [posted]
    assert posted.embeds[0].title == f"📊 Results of poll #{poll_id}"
    assert db(settings, "SELECT close_state, results_message_id FROM polls WHERE id = ?", (poll_id,)) == [
        ("announced", posted.id)
    ]


async def test_results_of_another_poll_are_no_proof(world, settings, monkeypatch):
    """Poll B's retry must not take poll A's results (or any other bot message) for its own."""
    first = await make_poll(world)
    await world.env.advance_time(30 * 60)
    second = await make_poll(world)
    discord_fault(world.env, "POST", f"/channels/{world.channel.id}/messages", 503, times=1)
    await world.env.advance_time(30 * 60 + 1)  # A's deadline: its post fails once
    await world.env.advance_time(30 * 60)  # B closes and posts; A's retry then posts A's own results
    await world.env.advance_time(10 * 60)
    titles = sorted(m.embeds[0].title for m in results(world, world.channel))
    assert titles == [f"📊 Results of poll #{first}", f"📊 Results of poll #{second}"]
    assert {state(settings, first), state(settings, second)} == {"announced"}


async def test_a_locked_database_when_recording_the_message_does_not_lose_the_poll(world, settings, monkeypatch):
    db_fault(monkeypatch, world.bot.store.polls, "set_message", times=1)
    poll_id = await make_poll(world)
    [(message_id,)] = db(settings, "SELECT message_id FROM polls WHERE id = ?", (poll_id,))
    assert message_id is not None


async def test_a_failed_message_fetch_after_posting_does_not_delete_the_poll(world, settings):
    discord_fault(world.env, "GET", "/webhooks/*/messages/@original", 503)
    poll_id = await make_poll(world)
    [(message_id,)] = db(settings, "SELECT message_id FROM polls WHERE id = ?", (poll_id,))
    assert message_id is not None


async def test_a_poll_in_an_archived_thread_still_closes(world, settings):
    await world.alice.slash(world.channel, "discuss")
    [thread] = world.channel.threads
    poll_id = await make_poll(world, thread)
    await world.bot.get_channel(thread.id).edit(archived=True)
    assert world.bot.get_channel(thread.id) is None, "archived threads leave discord.py's cache"
    await world.env.advance_time(HOUR + 1)
    assert state(settings, poll_id) == "announced"


@pytest.mark.parametrize("denied", ["send_messages", "embed_links"])
async def test_a_poll_where_the_bot_cannot_post_results_is_refused(world, settings, denied):
    import discord
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    world.env.backend.set_overwrite(world.channel.id, Overwrite(
        world.bot.user.id, OverwriteType.MEMBER, deny=discord.Permissions(**{denied: True}).value))
    r = await world.alice.slash(world.channel, "poll create", question="Q?", options="A | B")
    assert r.ephemeral and "I can't run a poll in this channel" in r.response.content
    assert db(settings, "SELECT count(*) FROM polls") == [(0,)]


def locked_for(monkeypatch, world, seconds: float, *names: str) -> None:
    """Another process holds the write lock for `seconds` of (virtual) time: these store writes fail meanwhile."""
    from tests.faults import db_fault

    until = world.bot.now().timestamp() + seconds
    for name in names:
        db_fault(monkeypatch, world.bot.store.polls, name, times=10**9)
        failing = getattr(world.bot.store.polls, name)
        original = getattr(type(world.bot.store.polls), name)

        async def write(*args, _failing=failing, _original=original, **kwargs):
            if world.bot.now().timestamp() < until:
                return await _failing(*args, **kwargs)
            return await _original(world.bot.store.polls, *args, **kwargs)

        monkeypatch.setattr(world.bot.store.polls, name, write)


async def test_a_poll_posted_during_a_17_s_write_lock_is_recorded(world, settings, monkeypatch):
    """The lock outlasts the old 2.5 s of retries: the message id is still recorded, the poll is manageable."""
    locked_for(monkeypatch, world, 17, "set_message")
    poll_id = await make_poll(world)
    await world.env.advance_time(30)
    [(message_id,)] = db(settings, "SELECT message_id FROM polls WHERE id = ?", (poll_id,))
    assert message_id is not None and any(m.id == message_id for m in world.channel.history())
    shown = await world.alice.slash(world.channel, "poll list")
    assert "Best ending?" in (shown.response.content or "") + str([e.to_dict() for e in shown.response.embeds])


async def test_a_poll_that_cannot_be_recorded_is_withdrawn(world, settings, monkeypatch):
    """The lock never ends: the poll's message is withdrawn (no live buttons the bot does not know)."""
    # Two hours of the closing back-off are ~70 scheduler passes: ~4-6 s of real time on a loaded machine, past
    # simcord's 5 s settle (measured on both backends: the same passes, no tight retry).
    world.env.settle_timeout = 30.0
    locked_for(monkeypatch, world, 10**6, "set_message", "delete")
    r = await world.alice.slash(world.channel, "poll create", question="Best ending?",
                                options="La La Land | Whiplash", hours=1)
    await world.env.advance_time(5 * 60)
    assert not [m for m in world.channel.history() if m.author.bot and m.components]
    assert "withdrew its message" in " ".join(m.content or "" for m in r.followups)
    await world.env.advance_time(2 * HOUR)
    assert results(world, world.channel) == []


async def test_a_withdrawn_poll_left_in_the_database_is_forgotten_at_its_deadline(world, settings, monkeypatch):
    """The lock ends after the message was withdrawn but before the row could go: no results for it, row gone."""
    locked_for(monkeypatch, world, 90, "set_message", "delete")
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1)
    await world.env.advance_time(2 * HOUR)
    assert results(world, world.channel) == [] and db(settings, "SELECT count(*) FROM polls") == [(0,)]


async def test_a_tally_edit_failing_with_a_5xx_is_tried_again(world, settings):
    """One 503 on the vote's tally edit: the poll shows the vote 6 s later, not only after the next vote."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    message = created.response.message
    discord_fault(world.env, "PATCH", f"/channels/{world.channel.id}/messages/{message.id}", 503)
    await world.bob.click(message, label="Happy")

    def shown() -> str:
        [poll] = [m for m in world.channel.history() if m.id == message.id]
        return poll.embeds[0].description

    assert "1 vote" not in shown()
    await world.env.advance_time(7)
    assert "1 vote" in shown(), shown()
