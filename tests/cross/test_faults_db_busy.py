"""Another process holds SQLite's write lock (a backup, an import, a second bot process): a member's write
waiting inside the 5 s busy timeout is made and answered; one waiting longer gets a clear private error
and nothing half-written. The lock is real: a second connection on the file, held from a thread, in real time."""

from __future__ import annotations

from tests.helpers import hold_write_lock
from tests.helpers import rows as db


def text(result) -> str:
    return " ".join([result.response.content or "", *(m.content or "" for m in result.followups)])


async def test_a_write_waiting_for_the_lock_is_made_and_answered(world, settings):
    holder = hold_write_lock(settings, 0.5)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert "La La Land" in text(r) and "went wrong" not in text(r), text(r)
    assert len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_vote_waiting_for_the_lock_counts(world, settings):
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    holder = hold_write_lock(settings, 0.5)
    answer = await world.bob.click(created.response.message, label="Happy")
    holder.join()
    assert answer.ephemeral and "Happy" in (answer.response.content or ""), answer.response.content
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(1,)]


async def test_a_write_locked_out_past_the_busy_timeout_is_refused_privately_and_whole(short_busy_timeout, quick_ack,
                                                                                      world, settings):
    holder = hold_write_lock(settings, short_busy_timeout)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert r.ephemeral or all(m.flags.ephemeral for m in r.followups), text(r)
    assert "busy" in text(r).lower(), text(r)
    assert db(settings, "SELECT count(*) FROM watchlist") == [(0,)]
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action LIKE 'watchlist%'") == [(0,)]
    assert ["locked" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above
    again = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    assert "La La Land" in text(again) and len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_vote_waiting_three_seconds_for_the_lock_is_acknowledged_in_time(world, settings):
    """3 s behind the lock the direct answer would come after Discord's 3 s ("This interaction failed"): the
    click is deferred after 1.5 s (bot/core/slow.in_time) and the confirmation follows, privately."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, 3.0)  # real time, real ACK_AFTER: the one test against Discord's real 3 s
    answer = await world.bob.click(created.response.message, label="Happy")
    holder.join()
    callbacks = [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]
    assert callbacks == [5], callbacks  # acknowledged ("thinking…") first, not answered after the 3 s
    assert answer.ephemeral and "Happy" in (answer.response.content or ""), answer.response.content
    assert db(settings, "SELECT count(*) FROM poll_votes") == [(1,)]


def callbacks_since(world, before: int) -> list[int]:
    return [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]


async def test_a_private_command_held_past_the_late_acknowledgement_is_deferred_privately(quick_ack, world,
                                                                                         settings):
    """/watchlist add writes before it answers: held behind the lock it is deferred privately after ACK_AFTER
    (bot/core/slow.acknowledged, for every slash command) and its private answer follows."""
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    holder.join()
    assert callbacks_since(world, before) == [5]
    assert r.ephemeral and all(m.ephemeral for m in r.followups) and "La La Land" in text(r), text(r)
    assert world.bot_messages(world.channel) == []
    assert len(db(settings, "SELECT id FROM watchlist")) == 1


async def test_a_public_command_held_past_the_late_acknowledgement_is_deferred_publicly(quick_ack, world, settings):
    """/quote saves its query (for the Another button) before it posts: deferred publicly in time, the quote
    follows in public; /poll create the same, its message recorded and its buttons working."""
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, quick_ack)
    r = await world.alice.slash(world.channel, "quote", film="La La Land")
    holder.join()
    assert callbacks_since(world, before) == [5]
    assert not r.ephemeral and r.response is not None and r.response.embeds, text(r)
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, quick_ack)
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    holder.join()
    assert callbacks_since(world, before) == [5]
    poll = created.response.message
    assert not created.ephemeral and db(settings, "SELECT message_id FROM polls") == [(poll.id,)]
    vote = await world.bob.click(poll, label="Happy")
    assert "Happy" in text(vote)


async def test_an_error_after_a_late_public_acknowledgement_is_private(short_busy_timeout, quick_ack, world,
                                                                       settings):
    """/quote locked out past the busy timeout: deferred publicly at ACK_AFTER, then the busy error goes to the
    member alone, and no public message (not even the "thinking…") is left."""
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, short_busy_timeout)
    r = await world.alice.slash(world.channel, "quote", film="La La Land")
    holder.join()
    assert callbacks_since(world, before) == [5]
    assert r.response is None, "the public thinking message was deleted"
    said = " ".join(m.content or "" for m in r.followups)
    assert r.followups and all(m.ephemeral for m in r.followups) and "busy" in said.lower(), said
    assert world.bot_messages(world.channel) == []
    assert ["locked" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above
