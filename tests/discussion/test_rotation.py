"""/discuss rotation and /debate pairs, checked against the database."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.core.text import SPOILER_WARNING
from tests.helpers import FOOTER, assert_no_pings, embed_of, rows, theme_ids


async def test_discuss_without_theme_rotates(world, settings):
    """Discuss without theme rotates."""
    spoiler_themes = {"ending"}
    names = []
    [(with_passages,)] = rows(
        settings, "SELECT COUNT(DISTINCT t.theme) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " WHERE p.quotable = 1"
    )
    assert with_passages >= 8
    for i in range(with_passages + 1):
        await world.alice.slash(world.channel, "discuss")
        [(theme, message_id, thread_id)] = rows(
            settings, "SELECT theme, message_id, thread_id FROM posted_prompts ORDER BY id DESC LIMIT 1"
        )
        names.append(theme)
        assert thread_id is not None
        thread = next(t for t in world.channel.threads if t.id == thread_id)
        assert thread_id == message_id
        assert len(thread.name) <= 100
        [prompt] = [m for m in world.bot_messages() if m.id == message_id]
        hidden = theme in spoiler_themes or "> ||" in embed_of(prompt).description  # a hidden excerpt warns too
        assert thread.name.startswith(SPOILER_WARNING) == hidden, (theme, thread.name)
    assert all(a != b for a, b in itertools.pairwise(names)), names
    assert len(set(names)) == with_passages, names  # every theme with passages, each visited before any repeats
    assert names[with_passages] == names[0]
    assert len(world.channel.threads) == with_passages + 1
    assert_no_pings(world.env)


@pytest.mark.parametrize("theme", ["nostalgia", "jazz"])
async def test_debate_two_reviews_two_attributions(world, settings, theme):
    """Debate two reviews two attributions."""
    for _ in range(3):
        await world.alice.slash(world.channel, "debate", theme=theme)
        [(_prompt_id,)] = rows(settings, "SELECT id FROM posted_prompts ORDER BY id DESC LIMIT 1")
        message = next(m for m in world.channel.history() if m.author.id == world.bot.user.id and m.embeds)
        description = embed_of(message).description
        attributions = re.findall(r"^— (.+?) on \*", description, flags=re.MULTILINE)
        assert len(attributions) == 2 and attributions[0] != attributions[1], description
        footer = embed_of(message).footer.text
        reviews = FOOTER.findall(footer)
        assert len(reviews) == 2 and reviews[0][0] != reviews[1][0], footer
        pids = theme_ids(settings, theme)
        for review, ordinal in reviews:
            [(pid,)] = rows(settings, "SELECT id FROM passages WHERE review_id=? AND ordinal=?",
                          (int(review), int(ordinal) - 1))
            assert pid in pids
