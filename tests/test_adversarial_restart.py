"""Restarts in the middle of stateful flows: nothing lost, nothing doubled.

Poll-open and schedule-due restarts are covered in test_polls.py
(test_button_poll_survives_restarts_and_closes_once) and test_schedule.py
(test_restart_after_post_does_not_duplicate, test_orphaned_claim_is_posted_once_after_restart).
"""

from __future__ import annotations

from tests.helpers import text_field

TEXT = (
    "Whiplash is a film about a drummer and the teacher who breaks him. It is loud, cruel and very "
    "precisely cut, and its final concert is a duel that leaves nobody at peace."
)




async def reviews(world) -> int:
    return await world.bot.store.db.fetchval("SELECT count(*) FROM reviews")


async def test_review_form_submitted_after_restart_is_stored_once(world):
    """A /review add form open across a restart is stored on submit, exactly once."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe")
    assert shown.modal is not None
    before = await reviews(world)
    await world.env.restart_bot()
    result = await world.mod.submit_modal(shown, {text_field(shown): TEXT})
    assert result.ephemeral and "Added review" in result.response.content
    assert await reviews(world) == before + 1
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM review_drafts") == 0
    quote = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    assert "Jane Doe" in quote.response.embeds[0].description


async def test_refused_form_stores_nothing(world):
    """An empty text is refused with a reason; no review is stored and the spent draft is gone."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash")
    refused = await world.mod.submit_modal(shown, {text_field(shown): "   "})
    assert refused.ephemeral and await reviews(world) == 3
    assert "empty" in refused.response.content.lower()
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM review_drafts") == 0


async def test_remove_confirmation_survives_restart(world):
    """The remove confirmation button still works after a restart, once."""
    asked = await world.mod.slash(world.channel, "review remove", review="1")
    await world.env.restart_bot()
    done = await world.mod.click(asked.response, label="Remove review #1")
    assert "Removed review #1" in done.response.content
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM reviews WHERE id = 1") == 0
    assert await world.bot.store.db.fetchval(
        "SELECT count(*) FROM passages WHERE review_id = 1"
    ) == 0
