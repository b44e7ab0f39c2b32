"""The late acknowledgement (bot/core/slow.acknowledged: a slash command that has not answered after ACK_AFTER of real
time is deferred) under faults: the defer itself failing, a command that answers twice, a form after a slow read, a
refusal after a public defer, the interaction's token expiring during a long job. Nothing doubled, nothing lost, no
unhandled exception, and the visibility the command meant. The wait is real: the backend's write lock held by a second
connection (tests/helpers.hold_write_lock) past ACK_AFTER, scaled down with it (tests/conftest
quick_ack: 1 s against 0.25 s, as 3 s against the real 1.5 s)."""

from __future__ import annotations

import pytest

from bot.core import slow
from tests.cross.test_faults_db_busy import callbacks_since, text
from tests.faults import discord_fault
from tests.helpers import hold_write_lock
from tests.helpers import rows as db


@pytest.mark.parametrize(("status", "code"), [(503, 0), (404, 10062)])
async def test_a_late_defer_that_discord_fails_leaves_the_write_made_and_no_unhandled_error(quick_ack, world, settings,
                                                                                            status, code):
    """The defer at ACK_AFTER fails: 503 (every retry of discord.py failed) or 404 Unknown Interaction (Discord no
    longer knows it): the command is not cancelled halfway (its write is made once) and nothing escapes as an
    unhandled exception."""
    discord_fault(world.env, "POST", "/interactions/*/callback", status, **({"code": code} if code else {}))
    holder = hold_write_lock(settings, quick_ack)
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert len(db(settings, "SELECT id FROM watchlist")) == 1
    errors = world.env.errors
    assert all(str(code or status) not in str(getattr(e, "original", e)) for e in errors), errors


async def test_a_late_defer_applied_then_5xx_still_gets_the_answer_once(quick_ack, world, settings):
    """The defer reached Discord ("thinking…" shown) and then answered 503: the command's answer follows as the
    follow-up, privately, once; the write is made once."""
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=True)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert "La La Land" in text(r), text(r)
    assert r.ephemeral and all(m.ephemeral for m in r.followups), text(r)
    assert len(db(settings, "SELECT id FROM watchlist")) == 1
    assert not world.env.errors


async def test_an_answer_that_fails_after_a_late_public_defer_is_refused_privately(quick_ack, world, settings):
    """/quote deferred publicly at ACK_AFTER; its quote, the follow-up, fails (503, not made): the error that follows
    goes to the member alone (it would have replaced the public "thinking…" and been shown to everyone), and no
    public message is left."""
    discord_fault(world.env, "POST", "/webhooks/*", 503)
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.alice.slash(world.channel, "quote", film="La La Land")
    holder.join()
    assert callbacks_since(world, before) == [5]
    said = " ".join(m.content or "" for m in r.followups)
    assert r.followups and all(m.ephemeral for m in r.followups), said
    assert r.response is None, "the public thinking message was deleted"
    assert world.bot_messages(world.channel) == []
    assert ["503" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above


async def test_a_pick_whose_ballot_failed_after_a_late_defer_is_not_kept_on_the_thinking_message(quick_ack, world,
                                                                                                 settings):
    """/filmnight pick deferred publicly at ACK_AFTER; its ballot, the follow-up, fails (503, not made): the pick is not
    recorded on the "thinking…" message (a message with no ballot, which would close with nobody able to vote), the
    refusal is private, and the command can run again."""
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    discord_fault(world.env, "POST", "/webhooks/*", 503)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    holder.join()
    assert db(settings, "SELECT count(*) FROM filmnight_picks") == [(0,)]
    assert r.followups and all(m.ephemeral for m in r.followups), text(r)
    assert world.bot_messages(world.channel) == []
    assert ["503" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above
    again = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    [ballot] = [m for m in world.bot_messages(world.channel) if m.components]
    assert db(settings, "SELECT message_id FROM filmnight_picks") == [(ballot.id,)], text(again)


async def test_a_form_command_held_past_its_form_deadline_answers_privately(quick_ack, world, settings):
    """/review add (the form) waits behind the write lock past FORM_GIVE_UP before its form could open (in real
    time: past Discord's 3 s; a form cannot follow a defer): the moderator gets a clear private answer instead of
    "This interaction failed",
    and no review is stored."""
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe")
    holder.join()
    assert callbacks_since(world, before) == [4]  # the private answer, in time; no form after Discord's 3 s
    said = text(r)
    assert r.ephemeral and "run the command again" in said, said
    assert not world.env.errors
    assert db(settings, "SELECT count(*) FROM reviews WHERE critic = 'Jane Doe'") == [(0,)]


async def test_a_command_answering_twice_while_held_posts_both_publicly_once(quick_ack, world, settings):
    """/poll theme answers with the critic's excerpt at once, then its poll as a follow-up held behind the write
    lock: both are public, each once, and the poll is recorded on its own message."""
    holder = hold_write_lock(settings, quick_ack)
    r = await world.alice.slash(world.channel, "poll theme", theme="ending", film="La La Land")
    holder.join()
    shown = world.bot_messages(world.channel)
    assert len(shown) == 2 and not any(m.flags.ephemeral for m in shown), text(r)
    [poll] = [m for m in shown if m.poll is not None or m.components]
    assert db(settings, "SELECT message_id FROM polls") == [(poll.id,)]
    assert not world.env.errors


@pytest.mark.parametrize("after", [0.0, 0.002, 0.01, 0.03])
async def test_an_answer_racing_the_late_defer_is_shown_once_as_meant(world, settings, monkeypatch, after):
    """The late acknowledgement fires at about the moment each command answers (ACK_AFTER made tiny): a private
    and a public command each show their one answer, with the visibility they meant, and nothing fails."""
    monkeypatch.setattr(slow, "ACK_AFTER", after)
    mine = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert "La La Land" in text(mine) and mine.ephemeral and all(m.ephemeral for m in mine.followups), text(mine)
    quoted = await world.alice.slash(world.channel, "quote", film="La La Land")
    public = [m for m in world.bot_messages(world.channel) if m.embeds]
    assert len(public) == 1 and not public[0].flags.ephemeral and not public[0].flags.loading, text(quoted)
    assert len(db(settings, "SELECT id FROM watchlist")) == 1
    assert not world.env.errors


@pytest.mark.parametrize("applied", [True, False])
async def test_a_vote_whose_late_defer_got_a_5xx_is_confirmed_once(quick_ack, world, settings, applied):
    """A vote held behind the write lock is deferred at ACK_AFTER and Discord answers 503, having made the defer or
    not: the vote counts once and its private confirmation follows (made: as the follow-up, since a direct answer
    would be refused as already acknowledged; not made: as the direct answer)."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=applied)
    holder = hold_write_lock(settings, quick_ack)
    answer = await world.bob.click(created.response.message, label="Happy")
    holder.join()
    assert "Happy" in text(answer) and answer.ephemeral, text(answer)
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(1,)]
    assert not world.env.errors


async def test_an_expired_interaction_token_after_a_late_defer_loses_no_write(quick_ack, world, settings, caplog):
    """The interaction's token expires (15 min) while the deferred command works: every follow-up and edit is
    refused (404 Unknown Webhook). The write stays made once, nothing is posted in its place, and the lost reply is
    logged, not left unhandled."""
    discord_fault(world.env, "*", "/webhooks/*", 404, code=10015, times=None)
    holder = hold_write_lock(settings, quick_ack)
    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert len(db(settings, "SELECT id FROM watchlist")) == 1
    assert world.bot_messages(world.channel) == []
    assert not world.env.errors
    assert any(r.levelname == "WARNING" for r in caplog.records), "the lost reply is logged"
