"""Views of DynamicItems (bot/core/persistent.py PersistentView) are sent and kept by nobody.

discord.py gave each one sent in a private reply a 15-minute timeout task that did nothing (issue 30: the
bench's `/review remove` and `/rate forget-me` rows, a loop gap of 53–82 ms from those tasks piling up).
Their buttons answer through the DynamicItems the cogs register, so they work as before, after the 15
minutes too.
"""

from __future__ import annotations

import asyncio
import re

import discord

from bot.core.persistent import PersistentView, persistent_view
from bot.reviews.views import RemoveButton
from tests.helpers import World, add_review, assert_ephemeral_reply, buttons, msgs, text_of


async def test_private_confirmations_leave_no_task_behind(world: World) -> None:
    """Five /review remove and five /rate forget-me confirmations leave as many pending tasks as before."""
    rid = int(re.search(r"#(\d+)", text_of(await add_review(world, critic="Jane Doe", year=2014))).group(1))
    await world.mod.slash(world.channel, "review remove", review=str(rid))  # anything lazy is set up here
    await world.alice.slash(world.channel, "rate forget-me")
    before = len(asyncio.all_tasks())
    for _ in range(5):
        assert_ephemeral_reply(await world.mod.slash(world.channel, "review remove", review=str(rid)))
        assert_ephemeral_reply(await world.alice.slash(world.channel, "rate forget-me"))
    assert len(asyncio.all_tasks()) == before
    assert not world.env.errors


async def test_a_confirmation_still_removes_at_once_after_fifteen_minutes(world: World) -> None:
    """The Remove button, pressed 16 minutes later, removes the review: its critic is unquotable at once."""
    rid = int(re.search(r"#(\d+)", text_of(await add_review(world, critic="Jane Doe", year=2014))).group(1))
    shown = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.env.advance_time(16 * 60)
    done = await world.mod.click(msgs(shown)[0], label=buttons(msgs(shown)[0])[0]["label"])
    assert f"Removed review #{rid}" in text_of(done)
    assert world.count("reviews", "id = ?", rid) == 0
    assert_ephemeral_reply(await world.alice.slash(world.channel, "quote", critic="Jane Doe"))
    assert not world.env.errors


async def test_forget_me_still_forgets_after_fifteen_minutes(world: World) -> None:
    """The forget-me button, pressed 16 minutes later, deletes the member's ratings."""
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4)
    shown = await world.alice.slash(world.channel, "rate forget-me")
    await world.env.advance_time(16 * 60)
    await world.alice.click(msgs(shown)[0], custom_id=f"filmbot:club:forget:{world.alice.id}")
    assert world.count("club_ratings", "user_id = ?", world.alice.id) == 0
    assert not world.env.errors


async def test_a_view_with_a_callback_of_its_own_is_kept() -> None:
    """DynamicItems and links only: finished (nothing to keep); a plain button makes it an ordinary view."""
    view = persistent_view(RemoveButton(1))
    view.add_item(discord.ui.Button(label="Read", url="https://example.org/"))
    assert isinstance(view, PersistentView) and view.is_finished()
    view.add_item(discord.ui.Button(label="Plain", custom_id="plain"))
    assert not view.is_finished()
