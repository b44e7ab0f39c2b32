"""Buttons, menus and form submissions held past Discord's 3 s (another process holding the write lock): each is
acknowledged in time (bot/core/persistent's `_answered` runs every DynamicItem's callback under
slow.acknowledged_component; a form submission too), answered once, with the visibility it meant, its write made.

ACK_AFTER is made short (0.25 s, tests/conftest quick_ack) and the lock held 0.7 s of real time, so each test stays fast: what is checked is
that the first callback is the acknowledgement, not an answer sent after the wait."""

from __future__ import annotations

import pytest

from bot.core import slow
from tests.cross.test_faults_db_busy import callbacks_since
from tests.helpers import buttons, hold_write_lock, msgs, passage_id_of, rows, text_of

HOLD = 0.7  # seconds of real time: past the shortened ACK_AFTER, well inside SQLite's 5 s busy timeout
pytestmark = pytest.mark.usefixtures("quick_ack")


async def held(world, settings, action):
    """Run `action` (a click or a submission) while another connection holds the write lock; its result and the
    interaction callbacks it made."""
    before = len(world.env.backend.http_requests)
    holder = hold_write_lock(settings, HOLD)
    result = await action()
    holder.join()
    assert not world.env.errors, world.env.errors
    return result, callbacks_since(world, before)


async def test_a_flag_queue_decision_held_is_made_once_and_the_queue_redrawn(world, settings):
    """Hide in the moderators' queue writes the decision: acknowledged first; the queue message is redrawn (now
    empty) and the moderator's private confirmation follows once."""
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    passage = passage_id_of(settings, quoted.response)
    asked = await world.alice.click(quoted.response, label="Flag")
    await world.alice.click(asked.response, label="Doesn't read well")
    queue = await world.mod.slash(world.channel, "passage flagged")
    result, callbacks = await held(world, settings, lambda: world.mod.click(queue.response, label="Hide 1"))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT count(*) FROM passage_marks WHERE passage_id = ? AND hidden = 1", (passage,)) \
        == [(1,)]
    confirmations = [m for m in result.followups if m.flags.ephemeral]
    assert len(confirmations) == 1 and "is hidden" in (confirmations[0].content or ""), text_of(result)
    redrawn = world.env.backend.get_message(queue.response.channel_id, queue.response.id)
    assert "No passage is waiting" in str(redrawn.embeds)
    assert not [b for b in buttons(redrawn) if b["custom_id"].startswith("filmbot:flag:decide:")]


async def test_a_flag_reason_held_is_recorded_once_and_confirmed_privately(world, settings):
    """The private reason button writes the flag: acknowledged, then its own private message says thanks."""
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    asked = await world.bob.click(quoted.response, label="Flag")
    result, callbacks = await held(world, settings, lambda: world.bob.click(asked.response, label="Wrong film"))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT count(*) FROM passage_flags") == [(1,)]
    shown = world.env.backend.get_message(asked.response.channel_id, asked.response.id)
    assert "flagged as" in (shown.content or "") and not shown.components, text_of(result)
    assert world.bot_messages(world.channel)[-1].id == quoted.response.id  # nothing public


async def test_a_game_answer_held_is_recorded_once_and_confirmed_privately(world, settings):
    """A game answer: acknowledged, recorded once, 'Answer recorded' to the member alone."""
    from tests.club.test_commands import start_game
    started, _ = await start_game(world)
    [message] = msgs(started)
    custom_id = buttons(message)[0]["custom_id"]
    result, callbacks = await held(world, settings, lambda: world.alice.click(message, custom_id=custom_id))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT count(*) FROM club_game_answers") == [(1,)]
    said = [m for m in result.followups if "Answer recorded" in (m.content or "")]
    assert len(said) == 1 and said[0].flags.ephemeral, text_of(result)


async def test_forget_me_held_deletes_and_edits_its_confirmation(world, settings):
    """forget-me's button: acknowledged, the ratings gone, its private confirmation edited to the receipt."""
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4)
    shown = await world.alice.slash(world.channel, "rate forget-me")
    _, callbacks = await held(world, settings, lambda: world.alice.click(
        shown.response, custom_id=f"filmbot:club:forget:{world.alice.id}"))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT count(*) FROM club_ratings") == [(0,)]
    receipt = world.env.backend.get_message(shown.response.channel_id, shown.response.id)
    assert (receipt.content or "").startswith("Done: removed 1 rating"), receipt.content
    assert not receipt.components


async def test_a_review_form_submitted_while_held_is_stored_once_and_answered_privately(world, settings):
    """/review add's form: the submission stores the review behind the lock; acknowledged, then its private
    'Added review' in the thinking message's place, once."""
    from tests.reviews.test_commands import CRITIC, WHIPLASH
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash (2014)", critic=CRITIC)
    result, callbacks = await held(world, settings, lambda: world.mod.submit_modal(
        shown, {"filmbot:review:text": WHIPLASH}))
    assert callbacks == [5], callbacks  # privately "thinking…": a form opened by a command has no message to update
    assert rows(settings, "SELECT count(*) FROM reviews WHERE critic = ?", (CRITIC,)) == [(1,)]
    added = [m for m in msgs(result) if "Added review" in (m.content or "")]
    assert len(added) == 1 and added[0].flags.ephemeral and not world.bot_messages(world.channel), text_of(result)


async def test_a_ballot_choice_held_is_counted_once_and_the_next_menu_shown_privately(world, settings):
    """A ranked pick's public menu: the 1st choice writes the ballot behind the lock, acknowledged first; the
    member alone gets the confirmation with the 2nd-choice menu, and the ballot is one row."""
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=2, method="ranked")
    pick = opened.response
    result, callbacks = await held(world, settings, lambda: world.alice.select(pick, ["2"]))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT user_id, ranking FROM filmnight_ballots") == [(world.alice.id, "2")]
    [said] = result.followups
    assert said.flags.ephemeral and "Your ballot" in (said.content or "") and said.components, text_of(result)
    assert world.bot_messages(world.channel)[-1].id == pick.id  # nothing public


def answers(result, source) -> list:
    """The messages a click made (after a deferred update simcord's result also holds the clicked message)."""
    return [m for m in msgs(result) if m.id != source.id]


async def test_every_answer_keeps_its_visibility_when_acknowledged_at_once(world, settings, monkeypatch):
    """ACK_AFTER 0: clicks are acknowledged before they answer, whatever they do. Another still posts its quote in
    public, More context and the flag's reasons still answer the member alone, and the reason's thanks replace
    its own private message."""
    monkeypatch.setattr(slow, "ACK_AFTER", 0.0)
    first = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    before = len(world.env.backend.http_requests)
    another = await world.bob.click(first.response, label="Another")
    acknowledged = callbacks_since(world, before)
    posted = [m for m in answers(another, first.response) if m.embeds]
    assert len(posted) == 1 and not posted[0].flags.ephemeral, text_of(another)
    assert world.bot_messages(world.channel)[-1].id == posted[0].id
    context = await world.bob.click(first.response, label="More context")
    said = answers(context, first.response)
    assert said and all(m.flags.ephemeral for m in said), text_of(context)
    asked = await world.bob.click(first.response, label="Flag")
    [reasons] = answers(asked, first.response)
    assert reasons.flags.ephemeral and buttons(reasons), text_of(asked)
    await world.bob.click(reasons, label="Wrong film")
    shown = world.env.backend.get_message(reasons.channel_id, reasons.id)
    assert "flagged as" in (shown.content or "") and not shown.components
    assert rows(settings, "SELECT count(*) FROM passage_flags") == [(1,)]
    assert len(world.bot_messages(world.channel)) == 2 and not world.env.errors
    assert acknowledged in ([6], [4]), acknowledged  # [6] in every run measured; [4] if the read won the race


async def test_a_watchlist_approval_held_is_made_once_and_the_log_message_redrawn(world, settings):
    """Approve in the log channel writes the decision behind the lock: acknowledged first, the film active once,
    the log message redrawn with its buttons disabled, nothing else posted."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    (pending,) = [m for m in log.history() if m.embeds]
    _, callbacks = await held(world, settings, lambda: world.mod.click(pending, label="Approve"))
    assert callbacks == [6], callbacks
    assert rows(settings, "SELECT status FROM watchlist") == [("active",)]
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE action = 'watchlist.approve'") == [(1,)]
    redrawn = world.env.backend.get_message(log.id, pending.id)
    assert buttons(redrawn) and all(b.get("disabled") for b in buttons(redrawn))
    assert len([m for m in log.history() if m.author.bot]) == 1


async def test_a_late_deferred_update_applied_then_5xx_still_redraws_and_confirms(world, settings):
    """The click's late deferred update is made by Discord and then answered 503: the decision is made, and the
    queue is still redrawn and the moderator told, once (the answer goes as after a defer; 'already
    acknowledged' proves the defer was made)."""
    from tests.faults import discord_fault
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    asked = await world.alice.click(quoted.response, label="Flag")
    await world.alice.click(asked.response, label="Doesn't read well")
    queue = await world.mod.slash(world.channel, "passage flagged")
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=True)
    result, callbacks = await held(world, settings, lambda: world.mod.click(queue.response, label="Hide 1"))
    assert callbacks[0] == 6, callbacks
    confirmations = [m for m in result.followups if m.flags.ephemeral and "is hidden" in (m.content or "")]
    assert len(confirmations) == 1, text_of(result)
    redrawn = world.env.backend.get_message(queue.response.channel_id, queue.response.id)
    assert "No passage is waiting" in str(redrawn.embeds)
