"""More context on a review with no line breaks, and quotes that stand on their own (seeds, through simcord)."""

from __future__ import annotations

import re

from tests.helpers import World, assert_ephemeral_reply, msgs, quote_passage

DANGLING = ("He ", "She ", "They ", "It ", "This ", "That ", "But ", "And ", "Neither", "His ", "Her ")


def _seed_002_review(world: World) -> int:
    [(review_id,)] = world.q("SELECT id FROM reviews WHERE source_key LIKE '%002_%'")
    body = world.q("SELECT body FROM reviews WHERE id = ?", review_id)[0][0]
    assert "\n" not in body.strip() and len(body) > 8000, "seed 002 is one long line"
    return review_id


async def test_more_context_on_a_one_line_review_is_a_window_around_the_quote(world: World):
    """Seed 002 has no line breaks: More context shows ≤1,500 characters around the quote, the quote in bold."""
    review_id = _seed_002_review(world)
    posted_for = 0
    for _ in range(40):
        result = await world.alice.slash(world.channel, "quote", critic=f"Unattributed review #{review_id}")
        posted = msgs(result)[0]
        passage = quote_passage(result)
        context = assert_ephemeral_reply(await world.alice.click(posted, label="More context"))
        body = context.split("\n", 1)[1]
        assert len(body) <= 1500, len(body)
        bold = re.findall(r"\*\*(.+?)\*\*", body.replace("||", ""))
        assert any(passage.split()[0] in b.replace("\\", "") for b in bold), (passage, body[:300])
        assert len(body) > len(passage) + 100, "neighbours around the quote are shown"
        posted_for += 1
        if posted_for >= 5:
            break
    assert posted_for >= 5
    assert world.env.errors == []


async def test_sixty_quotes_stand_on_their_own(world: World):
    """60 /quote calls on the seeds: no passage opens on a dangling pronoun or connective, no unbalanced quotes."""
    seen = set()
    for _ in range(60):
        passage = quote_passage(await world.alice.slash(world.channel, "quote")).replace("\\", "")
        seen.add(passage)
        assert not passage.startswith(DANGLING), passage
        assert passage.count("“") == passage.count("”"), passage
        assert passage.count('"') % 2 == 0, passage
    assert len(seen) >= 20
    assert world.env.errors == []
