"""Reviews at their limits: long names, a big corpus, removal races and their effects."""

from __future__ import annotations

import json
import re

import discord
import pytest

from tests.helpers import (
    add_review_file,
    assert_no_pings,
    bot_posts,
    check_all_payloads,
    msgs,
    rows,
    table_digest,
    text_of,
    unique_review,
)


def added_id(result) -> int:
    m = re.search(r"#(\d+)", text_of(result))
    assert m, text_of(result)
    return int(m.group(1))


LONG_FILM = "The Extraordinarily Long and Winding Title of a Film About Drummers Who Never Sleep At All"  # 90


N100 = "N" * 99 + "é"


@pytest.fixture
async def big_corpus(world):
    """60 moderator reviews with 100-character critic and outlet names and long film titles."""
    for n in range(60):
        r = await add_review_file(world, text=unique_review(n), film=f"{n:02d} " + "T" * 87, year=2000 + n % 20,
                             critic=f"{n:02d}" + "*" * 98, outlet=f"{n:02d}" + "_`|" * 32 + "ab")
        assert "Added review" in text_of(r), text_of(r)[:300]
    return world


def remove_button(result) -> str:
    return next(c for row in msgs(result)[0].components for c in row["components"])["custom_id"]


async def test_film_titles_over_200_characters_are_refused_naming_the_limit(world, settings):
    """A review's film title has the catalogue's limit, 200 characters (its choice's value is `film:<id>`)."""
    before = table_digest(settings)
    r = await add_review_file(world, film=(LONG_FILM + " Ever") * 3, year=2014, critic="Jane Doe")
    assert "limit is 200" in text_of(r)
    assert table_digest(settings) == before


@pytest.mark.parametrize(("film", "needle"), [
    ("||Rosebud is a sled||", "spoiler bars"),  # every film autocomplete would show it in clear
    ('=HYPERLINK("http://x")', "spreadsheet formula"),
    ("@everyone", "spreadsheet formula"),
])
async def test_a_film_title_the_catalogue_refuses_is_refused_by_review_add_and_edit(world, settings, film, needle):
    """/review add and /review edit apply the catalogue's title rule (/watchlist add's): a title hiding words
    behind || or starting like a formula is refused privately, no film and no review stored."""
    before = table_digest(settings)
    added = await add_review_file(world, film=film)
    assert added.ephemeral and needle in text_of(added), text_of(added)
    assert table_digest(settings) == before
    review = added_id(await add_review_file(world, film="Whiplash", year=2014))
    before = table_digest(settings)
    edited = await world.mod.slash(world.channel, "review edit", review=str(review), film=film)
    assert edited.ephemeral and needle in text_of(edited), text_of(edited)
    assert table_digest(settings) == before and not world.env.errors


async def test_autocomplete_film_choice_for_a_long_title_can_be_used(world):
    """Autocomplete film choice for a long title can be used."""
    assert len(LONG_FILM) == 90
    r = await add_review_file(world, film=LONG_FILM, year=2014, critic="Jane Doe")
    added_id(r)
    choices = await world.alice.autocomplete(world.channel, "quote", "film", "Extraordinarily")
    assert choices, "the long film is not offered"
    for c in choices:
        assert len(c["name"]) <= 100 and len(str(c["value"])) <= 100
    picked = choices[0]["value"]
    r = await world.alice.slash(world.channel, "quote", film=picked)
    assert msgs(r) and not msgs(r)[0].ephemeral, f"picking the offered film {picked!r} fails: {text_of(r)[:200]}"


async def test_review_add_with_autocompleted_long_film_reuses_the_film(world, settings):
    """Review add with autocompleted long film reuses the film."""
    await add_review_file(world, film=LONG_FILM, year=2014, critic="Jane Doe")
    choices = await world.mod.autocomplete(world.channel, "review add", "film", "Extraordinarily")
    picked = choices[0]["value"]
    r = await add_review_file(world, text=unique_review(1), film=picked, critic="John Roe")
    assert rows(settings, "SELECT COUNT(*) FROM films WHERE title LIKE 'The Extraordinarily%'") == [(1,)], text_of(r)


async def test_long_names_critics_list_and_history_within_limits(big_corpus, settings):
    """Long names critics list and history within limits."""
    world = big_corpus
    r = await world.alice.slash(world.channel, "critics")
    text_of(r)
    r2 = await world.alice.slash(world.channel, "review list")
    await world.alice.click(msgs(r2)[0], label="Next") if any(
        c.get("label") == "Next" for row in msgs(r2)[0].components for c in row["components"]) else None
    await world.mod.slash(world.channel, "review history")
    await world.alice.slash(world.channel, "search", query="drummer")
    await world.alice.slash(world.channel, "themes")
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_review_history_shows_15_entries_with_long_names(big_corpus):
    """Review history shows 15 entries with long names."""
    r = await big_corpus.mod.slash(big_corpus.channel, "review history")
    lines = [line for line in text_of(r).splitlines() if line.startswith("•")]
    assert len(lines) == 15, f"{len(lines)} entries shown"


async def test_review_list_pages_with_long_names_show_ten_rows(big_corpus):
    """Review list pages with long names show ten rows."""
    world = big_corpus
    r = await world.alice.slash(world.channel, "review list")
    page = msgs(r)[0]
    desc = page.embeds[0].description
    rows = [line for line in desc.splitlines() if line.startswith("**#")]
    assert len(rows) == 10, desc[-300:]
    nxt = await world.alice.click(page, label="Next")
    page2 = msgs(nxt)[0] if msgs(nxt) else None
    check_all_payloads(world.env)
    assert page2 is not None


async def test_critics_with_60_long_reviews_says_how_many_are_not_shown(big_corpus):
    """Critics with 60 long reviews says how many are not shown."""
    r = await big_corpus.alice.slash(big_corpus.channel, "critics")
    desc = msgs(r)[0].embeds[0].description
    shown = len([line for line in desc.splitlines() if line.startswith("•")])
    assert shown == 63 or re.search(rf"\b{63 - shown}\b more", desc), (shown, desc[-200:])


async def test_export_of_large_corpus_and_100kb_review(world, settings):
    """Export of large corpus and 100kb review."""
    world.env.settle_timeout = 60.0  # honest CPU work: 5.4 s at load 7 (per test: a long timeout slows advance_time)
    paragraph = ("The drummer practises until his hands bleed, and the film watches him with cold patience. "
                 "Each rehearsal is staged like a duel between pride and fear. ")
    body = ""
    n = 0
    while len((body + paragraph).encode()) < 100 * 1024 - 400:
        body += paragraph.replace("drummer", f"drummer {n}") + ("\n\n" if n % 3 == 2 else "")
        n += 1
    r = await add_review_file(world, text=body, film="Huge", critic=N100, outlet=N100)
    assert "Added review" in text_of(r), text_of(r)[:300]
    for i in range(20):
        await add_review_file(world, text=unique_review(i), film=f"Film {i}")
    r = await world.mod.slash(world.channel, "review export")
    [attachment] = msgs(r)[0].attachments
    data = json.loads(await attachment.read())
    assert data["format"] == "filmbot-reviews" and len(data["reviews"]) == 24
    assert any(item["critic"] == N100 and item["text"].startswith("The drummer") for item in data["reviews"])
    rid = rows(settings, "SELECT id FROM reviews WHERE critic=?", (N100,))[0][0]
    await world.alice.slash(world.channel, "review show", review=str(rid))
    await world.alice.slash(world.channel, "quote", critic=N100)
    check_all_payloads(world.env)


async def test_two_moderators_remove_the_same_review(world, settings):
    """Two moderators remove the same review."""
    staff = world.guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    mod2 = world.guild.add_member(world.env.create_user("mod2"), roles=[staff])
    rid = added_id(await add_review_file(world, critic="Jane Doe"))
    a = await world.mod.slash(world.channel, "review remove", review=str(rid))
    b = await mod2.slash(world.channel, "review remove", review=str(rid))
    if msgs(b)[0].components:
        first = await world.mod.click(msgs(a)[0], custom_id=remove_button(a))
        second = await mod2.click(msgs(b)[0], custom_id=remove_button(b))
        assert "removed" in text_of(first).casefold()
        assert msgs(second) and all(m.ephemeral for m in msgs(second))
        assert "error code" not in text_of(second)
    assert rows(settings, "SELECT COUNT(*) FROM reviews WHERE id=?", (rid,)) == [(0,)]
    assert rows(settings, "SELECT COUNT(*) FROM audit_log WHERE action='remove' AND target_id=?", (rid,)) == [(1,)]


async def test_quote_buttons_after_their_review_was_removed(world, settings):
    """Quote buttons after their review was removed."""
    rid = added_id(await add_review_file(world, critic="Jane Doe"))
    q = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    shown = msgs(q)[0]
    conf = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(conf)[0], custom_id=remove_button(conf))
    ctx = await world.bob.click(shown, label="More context")
    assert msgs(ctx) and msgs(ctx)[0].ephemeral and "removed" in text_of(ctx), text_of(ctx)
    another = await world.bob.click(shown, label="Another")
    assert msgs(another) and msgs(another)[0].ephemeral, text_of(another)[:200]
    assert not msgs(another)[0].embeds and "error code" not in text_of(another)
    edit = await world.mod.slash(world.channel, "review edit", review=str(rid), critic="X")
    assert msgs(edit)[0].ephemeral and f"#{rid}" in text_of(edit) and "error code" not in text_of(edit)
    assert rows(settings, "SELECT COUNT(*) FROM reviews") == [(3,)]


async def test_discuss_and_poll_theme_for_a_film_whose_only_review_was_removed(world, settings):
    """Discuss and poll theme for a film whose only review was removed."""
    rid = added_id(await add_review_file(world, film="Whiplash", year=2014, critic="Jane Doe"))
    conf = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(conf)[0], custom_id=remove_button(conf))
    before = len(bot_posts(world))
    for command, options in (("discuss", {"film": "Whiplash"}), ("debate", {"film": "Whiplash"}),
                             ("discuss", {"film": "Whiplash", "theme": "jazz"}),
                             ("poll theme", {"theme": "ending", "film": "Whiplash"}),
                             ("quote", {"film": "Whiplash"}), ("themes", {"film": "Whiplash"})):
        r = await world.alice.slash(world.channel, command, **options)
        assert msgs(r) and all(m.ephemeral for m in msgs(r)), (command, text_of(r)[:200])
        assert "error code" not in text_of(r)
    assert len(bot_posts(world)) == before
    assert rows(settings, "SELECT COUNT(*) FROM posted_prompts") == [(0,)]
    film_choices = await world.alice.autocomplete(world.channel, "quote", "film", "Whip")
    assert film_choices == [], "a film with no review left is still offered"


async def test_an_import_with_a_number_too_long_to_read_is_refused_clearly(world):
    """A /review import whose JSON holds a 5,000-digit year (Python refuses to read integers over 4,300 digits):
    the private 'not JSON' refusal and nothing stored, not 'Something went wrong'."""
    data = (b'{"format": "filmbot-reviews", "version": 1, "reviews": [{"film": "X", "year": ' + b"9" * 5000
            + b', "text": "A fine drumming film with a great score."}]}')
    before = world.digest()
    refused = await world.mod.slash(world.channel, "review import", file=("big.json", data))
    assert refused.ephemeral and "not JSON" in text_of(refused) and "went wrong" not in text_of(refused), text_of(refused)
    assert world.digest() == before
    assert not world.env.errors, world.env.errors[:1]
