"""The moderators' flag queue under faults: the decision's message edit failing (a 5xx before or after Discord
applied it) and the bot restarting between the click and that edit: the decision stored once, the moderator told
it is, the queue shown as it now is."""

from __future__ import annotations

import pytest

from tests.faults import discord_fault
from tests.flags.test_commands import flag, queue, quote
from tests.helpers import buttons, embed_text, msgs, rows, text_of

DECISIONS = [("Hide 1", "hide", "is hidden"), ("Keep 1", "keep", "Kept"), ("Mark spoiler 1", "spoiler", "spoiler bars")]


def decisions(world) -> list:
    return rows(world.bot.settings, "SELECT action, target_id FROM audit_log WHERE action LIKE 'passage.%'")


def private_text(result) -> str:
    return "\n".join(m.content or "" for m in msgs(result) if m.flags.ephemeral)


@pytest.mark.parametrize("label, action, said", DECISIONS)
@pytest.mark.parametrize("applied", [False, True])
async def test_a_decision_whose_queue_edit_fails_is_stored_once_and_said_so(world, label, action, said, applied):
    """The queue's edit meets a 503 (Discord made it or not): the decision is stored once and the moderator is
    told it was made, never to try again; after a restart /passage flagged no longer lists it."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=applied)
    first = await world.mod.click(shown.response, label=label)
    assert said in private_text(first) and "try again" not in private_text(first), private_text(first)
    await world.env.restart_bot()
    assert decisions(world) == [(f"passage.{action}", passage)]
    fresh = await queue(world)
    assert "No passage is waiting" in embed_text(fresh.response.embeds[0])


@pytest.mark.parametrize("label, action, said", DECISIONS)
async def test_pressing_again_after_a_restart_says_the_decision_was_your_own(world, label, action, said):
    """Killed between the click's write and its edit (the old queue still shows the row): pressed again after the
    restart, the queue is refreshed and the moderator is told their own decision stands, nothing doubled."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, times=2)  # the edit and the error reply: lost
    await world.mod.click(shown.response, label=label)
    await world.env.restart_bot()
    again = await world.mod.click(shown.response, label=label)
    assert "No passage is waiting" in embed_text(again.response.embeds[0]) and not buttons(again.response)
    assert "You already decided" in private_text(again) and "another moderator" not in private_text(again)
    assert decisions(world) == [(f"passage.{action}", passage)]
    assert not world.env.errors


async def test_a_trim_whose_menu_edit_fails_is_stored_once_and_said_so(world):
    """The trim menu's edit meets a 503 after the trim is stored: the moderator is told the kept sentence."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    menu = await world.mod.click(shown.response, label="Trim 1")
    [select] = [c for row in menu.response.components for c in row["components"] if c["type"] == 3]
    discord_fault(world.env, "POST", "/interactions/*/callback", 503)
    chosen = await world.mod.select(menu.response, ["1"], custom_id=select["custom_id"])
    assert "one sentence" in private_text(chosen) and "try again" not in private_text(chosen), private_text(chosen)
    await world.env.restart_bot()
    assert decisions(world) == [("passage.trim", passage)]
    assert text_of(await queue(world)).count("No passage is waiting") == 1
