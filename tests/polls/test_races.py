"""Polls when a vote and the deadline's close happen at the same moment: a vote is counted or refused, never
counted after the results were posted, and the member is told which."""

from __future__ import annotations

import pytest

from tests.helpers import HOUR, bot_posts, msgs, text_of


async def unsettled(env, call):
    """Emit one interaction without waiting for the bot to handle it (it runs with whatever comes next)."""
    real = env._settle_internal

    async def no_settle(**_kw):
        return None

    env._settle_internal = no_settle
    try:
        return await call()
    finally:
        env._settle_internal = real


def results_posts(world) -> list:
    return [m for m in bot_posts(world) if m.embeds and (m.embeds[0].title or "").startswith("📊 Results")]


@pytest.mark.parametrize("past_deadline", [-0.5, 0.0, 0.001, 0.5])
async def test_a_vote_at_the_deadline_is_counted_or_refused_truthfully(world, past_deadline):
    """Bob votes while the deadline job closes the poll: told 'counted' only when the results hold his vote,
    told 'closed' only when they do not; no vote row later than the close; one results post."""
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      hours=1, hide_results=True)
    poll_message = msgs(created)[0]
    await world.alice.click(poll_message, label="Happy")
    await world.env.advance_time(HOUR - 1)
    # The clock moved on without running the bot: the job's wake-up at the deadline is due, and the click reaches
    # the bot unanswered; both then run in the same step, the close and the vote interleaving.
    world.env.backend.advance_clock(1 + past_deadline)
    clicked = await unsettled(world.env, lambda: world.bob.click(poll_message, label="Sad"))
    await world.env.advance_time(1)
    await world.env.advance_time(60)
    told = text_of(clicked)
    [results] = results_posts(world)
    description = results.embeds[0].description or ""
    [(closed_at,)] = world.q("SELECT closed_at FROM polls")
    bob_votes = world.q("SELECT voted_at FROM poll_votes WHERE user_id = ?", world.bob.id)
    if "Your vote is now **Sad**" in told:
        assert bob_votes and bob_votes[0][0] <= closed_at
        assert "50% (1)" in description, description
    else:
        assert past_deadline >= 0 and "This poll has closed" in told, told
        assert bob_votes == []
        assert "100% (1)" in description, description
    assert not world.env.errors
