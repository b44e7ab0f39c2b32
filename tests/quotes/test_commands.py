"""/quote, its buttons, /search and /critics, driven through simcord."""

from __future__ import annotations

from tests import pg_backend
from tests.helpers import World, assert_no_pings, embed_of, rows, text_of

ENDING_WORDS = ("ending", "epilogue", "the end", "final", "last", "reunite", "part ways", "climax")




async def test_quote_ending_is_spoiler_tagged_and_about_the_ending(world):
    """/quote theme:ending returns a spoiler-tagged seed passage about the ending."""
    result = await world.alice.slash(world.channel, "quote", theme="ending")
    assert not result.ephemeral
    description = embed_of(result.response).description
    assert "||" in description
    quoted = description.split("||")[1].lower()
    assert any(word in quoted for word in ENDING_WORDS)
    assert "Unattributed review #" in description


async def test_quote_with_fts_syntax_gets_a_helpful_ephemeral_message(world):
    """`about:"` and `about:"AND OR NEAR(` are explained, not errors."""
    for about in ('"', '"AND OR NEAR('):
        result = await world.alice.slash(world.channel, "quote", about=about)
        assert result.ephemeral
        assert "nothing to search for" in result.response.content


async def test_quote_about_keyword_finds_matching_passage(world):
    """/quote about:jazz returns a passage that mentions jazz."""
    result = await world.alice.slash(world.channel, "quote", about="jazz")
    assert "jazz" in embed_of(result.response).description.lower()




async def test_more_context_is_ephemeral_paragraph(world):
    """"More context" shows the surrounding paragraph only to the clicker."""
    first = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    result = await world.bob.click(first.response, label="More context")
    assert result.ephemeral
    assert "Griffith Observatory" in result.response.content


async def test_unknown_theme_lists_themes(world):
    """An unknown theme is refused ephemerally with the list of themes."""
    result = await world.alice.slash(world.channel, "quote", theme="car chases")
    assert result.ephemeral
    assert "`ending`" in result.response.content


async def test_nothing_found_names_the_search(world):
    """A search with no hit says what was searched and what exists."""
    result = await world.alice.slash(world.channel, "quote", about="spaceship")
    assert result.ephemeral
    assert "spaceship" in result.response.content and "La La Land (2016)" in result.response.content


async def test_search_highlights_top_passages(world):
    """/search shows up to five passages with the words in bold."""
    result = await world.alice.slash(world.channel, "search", query="jazz")
    fields = embed_of(result.response).fields
    assert 1 <= len(fields) <= 5
    assert all("**" in f.value for f in fields)


async def test_search_typed_in_fullwidth_letters_finds_the_passages(world):
    """/search query:ｊａｚｚ (an East Asian keyboard's letters) finds what query:jazz finds (it found nothing)."""
    plain = await world.alice.slash(world.channel, "search", query="jazz")
    wide = await world.alice.slash(world.channel, "search", query="ｊａｚｚ")
    assert not wide.ephemeral and embed_of(wide.response).fields
    assert [f.value for f in embed_of(wide.response).fields] == [f.value for f in embed_of(plain.response).fields]


async def test_critics_lists_unattributed_reviews(world):
    """/critics never invents a byline for the seed reviews."""
    result = await world.alice.slash(world.channel, "critics")
    description = embed_of(result.response).description
    assert description.count("Unattributed review #") == 3


async def test_everyone_in_about_pings_nobody(world):
    """User text in replies never pings: allowed_mentions parses nothing."""
    await world.alice.slash(world.channel, "quote", about="@everyone")
    await world.alice.slash(world.channel, "quote", about="jazz")
    assert_no_pings(world.env)


async def test_import_is_idempotent_on_restart(world, settings):
    """A restart with unchanged files imports nothing and keeps passage ids."""
    before = [tuple(r) for r in rows(settings, "SELECT id, text FROM passages ORDER BY id")]
    await world.env.restart_bot()
    assert world.bot.last_import.unchanged
    assert [tuple(r) for r in rows(settings, "SELECT id, text FROM passages ORDER BY id")] == before


async def test_another_with_a_single_match_says_so(world):
    """When the filters match one passage only, "Another" explains instead of repeating it."""
    first = await world.alice.slash(world.channel, "quote", about="Borzage")
    again = await world.bob.click(first.response, label="Another")
    assert again.ephemeral and "only passage" in again.response.content


NEAR_REVIEW = ("Near is a quiet drama about two sisters who run a seaside hotel out of season, near the cliffs. The"
               " photography is lovely, all pale blues and grey light on wet sand.")


async def test_a_film_titled_with_an_fts_keyword_is_searched_and_quoted_about(world: World):
    """A freshly reviewed film called *Near*: `/search query:Near` and `/quote about:near` find its review (they
    said privately "nothing to search for in “Near”"), and a zero-width space typed inside "seaside" still
    finds the word, not "sea" and "side"."""
    await world.mod.slash(world.channel, "review add", film="Near", year=2020, file=("near.txt", NEAR_REVIEW.encode()))
    searched = await world.alice.slash(world.channel, "search", query="Near")
    assert "Near (2020)" in text_of(searched), text_of(searched)
    quoted = await world.alice.slash(world.channel, "quote", about="near")
    assert not quoted.ephemeral and "near" in text_of(quoted).lower(), text_of(quoted)
    if not pg_backend.on_postgres():  # PostgreSQL's English stemmer reads La La Land's "nearly" as "near" too
        assert "two sisters" in text_of(quoted), text_of(quoted)
    hidden = await world.alice.slash(world.channel, "search", query="sea\u200bside")
    assert "**seaside**" in text_of(hidden), text_of(hidden)
    assert not world.env.errors


async def test_search_words_a_member_hid_behind_spoiler_bars_stay_hidden_in_the_public_answer(world):
    """/search query:'||drowns|| sea' on a new film: the public answer's title no longer echoes 'drowns' in clear
    (a title shows the bars as written, escaped): the words are shown below, the member's spoiler still hidden."""
    await world.mod.slash(world.channel, "review add", film="Near", year=2020, file=("near.txt", NEAR_REVIEW.encode()))
    found = await world.alice.slash(world.channel, "search", query="||drowns in the|| seaside")
    assert not found.ephemeral
    embed = embed_of(found.response)
    assert "drowns" not in embed.title and "||drowns in the||" in embed.description, embed.to_dict()
    assert "**seaside**" in text_of(found)


async def test_search_for_a_theme_name_without_hits_points_to_that_theme(world):
    """/search nostalgia (no passage has the word) names the theme and the command that quotes it, instead
    of a list of themes that includes the very word just searched."""
    result = await world.alice.slash(world.channel, "search", query="nostalgia")
    text = result.response.content
    assert result.ephemeral
    assert "“nostalgia”" in text and "**Nostalgia** is a discussion theme" in text, text
    assert "`/quote theme:nostalgia`" in text and "`ending`" not in text, text
    result = await world.alice.slash(world.channel, "search", query="zzzzqqqq")
    text = result.response.content
    assert "Try other words, or a theme with `/quote theme:`:" in text and "`nostalgia`" in text, text
