"""'More context', /search highlights, theme quotes, /themes and /critics against the database."""

from __future__ import annotations

import re

from bot.core.text import inert
from tests.helpers import embed_of, passage_id_of, rows, theme_ids


async def test_more_context_on_spoiler_quote_keeps_spoiler_tags(world, settings):
    """More context on spoiler quote keeps spoiler tags."""
    first = await world.alice.slash(world.channel, "quote", theme="ending")
    pid = passage_id_of(settings, first.response)
    [(text,)] = rows(settings, "SELECT text FROM passages WHERE id = ?", (pid,))
    result = await world.bob.click(first.response, label="More context")
    assert result.ephemeral
    content = result.response.content
    body = content.split("\n", 1)[1]
    assert body.startswith("||") and body.endswith("||"), content
    assert inert(text) in content


async def test_more_context_on_plain_quote_has_no_spoiler_tags(world, settings):
    """A quote shown without spoiler tags (review 3 spoils throughout, and the rest of review 1 after its first
    reveal is hidden, so pick review 1's opening)."""
    first = await world.alice.slash(world.channel, "quote", critic="Unattributed review #1", about="out-of-work actress")
    assert "||" not in embed_of(first.response).description
    pid = passage_id_of(settings, first.response)
    [(text,)] = rows(settings, "SELECT text FROM passages WHERE id = ?", (pid,))
    result = await world.bob.click(first.response, label="More context")
    assert result.ephemeral
    assert "||" not in result.response.content
    assert inert(text) in result.response.content


async def test_search_jazz_club_highlights_and_stays_quotable(world, settings):
    """Search jazz club highlights and stays quotable."""
    result = await world.alice.slash(world.channel, "search", query="jazz club")
    embed = embed_of(result.response)
    assert 1 <= len(embed.fields) <= 5
    reviews = {r[0]: (r[1], r[2]) for r in rows(settings, "SELECT id, critic, outlet FROM reviews")}
    unquotable = [r[0] for r in rows(settings, "SELECT text FROM passages WHERE quotable = 0")]
    for field in embed.fields:
        assert re.search(r"\*\*[^*]+\*\*", field.value), field.value
        highlighted = [w.lower() for w in re.findall(r"\*\*([^*]+)\*\*", field.value)]
        assert all(("jazz" in w or "club" in w) for w in highlighted), highlighted
        # honest attribution: an unattributed label that names a real review with no byline
        match = re.match(r"Unattributed review \\?#(\d+)", field.name)
        assert match, field.name
        assert reviews[int(match[1])][0] is None
        plain = field.value.replace("**", "").replace("||", "").replace("\\", "").strip("… ")
        for text in unquotable:
            assert plain[:60] not in text, (field.value, text)


async def test_quote_ending_30_calls(world, settings):
    """Quote ending 30 calls."""
    ending = theme_ids(settings, "ending")
    seen = set()
    for _ in range(30):
        result = await world.alice.slash(world.channel, "quote", theme="ending")
        pid = passage_id_of(settings, result.response)
        assert pid in ending
        description = embed_of(result.response).description
        assert description.startswith("> ||") and "||\n" in description, description
        seen.add(pid)
    reviews = {r[0] for r in rows(settings, f"SELECT review_id FROM passages WHERE id IN ({','.join(map(str, seen))})")}
    assert len(reviews) >= 2, seen


async def test_themes_counts_match_db(world, settings):
    """Themes counts match the database's quotable passages (every passage is tagged; /themes counts what can be quoted)."""
    result = await world.alice.slash(world.channel, "themes", film="La La Land")
    description = embed_of(result.response).description
    expected = dict(rows(
        settings,
        "SELECT t.theme, count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id"
        " WHERE f.title = 'La La Land' AND p.quotable = 1 GROUP BY t.theme",
    ))
    shown = {m[0]: int(m[1]) for m in re.findall(r"\(`([^`]+)`\): (\d+) passages?\b", description)}
    assert shown, description
    assert {k: v for k, v in shown.items() if v} == expected


async def test_critics_lists_exactly_the_reviews(world, settings):
    """Critics lists exactly the reviews."""
    result = await world.alice.slash(world.channel, "critics")
    description = embed_of(result.response).description
    stored = rows(settings, "SELECT r.id, r.critic, (SELECT count(*) FROM passages p WHERE p.review_id = r.id"
                        " AND p.quotable = 1) FROM reviews r")
    lines = [line for line in description.splitlines() if line.startswith("•")]
    assert len(lines) == len(stored)
    for review_id, critic, count in stored:
        label = critic or f"Unattributed review #{review_id}"
        [line] = [x for x in lines if label in x]
        assert f"({count} quotable passages)" in line, line


async def test_search_without_hits_suggests_only_themes_with_passages(world):
    """A search that finds nothing suggests themes to try, never one without passages (the rarest theme's,
    hidden by a moderator)."""
    counts = await world.bot.store.catalogue.theme_counts()
    rarest = min((key for key in counts if key != "ending"), key=lambda key: counts[key])
    for (passage,) in rows(world.bot.settings, "SELECT p.id FROM passage_themes t JOIN passages p ON p.id ="
                           " t.passage_id WHERE t.theme = ? AND p.quotable = 1", (rarest,)):
        await world.mod.slash(world.channel, "passage hide", passage=str(passage))
    counts = await world.bot.store.catalogue.theme_counts()
    assert counts.get(rarest, 0) == 0 and counts["ending"]
    result = await world.alice.slash(world.channel, "search", query="zzzzqqqq")
    text = result.response.content
    assert result.ephemeral and "`ending`" in text and f"`{rarest}`" not in text
