"""/review add-link on the page shapes real film sites serve, beyond the labelled pages of test_add_link.py:
the film the page names against the one typed, a list of films, a walled teaser, a review over two pages,
redirects to the same article and to another site. Pages: tests/data/review_pages/shapes_*.html (our own prose)."""

from __future__ import annotations

import dataclasses

import pytest

from bot import Settings
from tests.helpers import assert_ephemeral_reply, buttons, msgs, table_digest


@pytest.fixture
def settings(settings, review_site) -> Settings:
    """The loopback site by its address and by the name `localhost` (another site, for the redirect), on the
    conftest's database (SQLite, or PostgreSQL under FILMBOT_TEST_DATABASE)."""
    allow = (*review_site.allow, f"localhost:{review_site.port}")
    return dataclasses.replace(settings, fetch_allow=allow, fetch_timeout=3.0)


@pytest.fixture(autouse=True)
def _patient(world):
    world.env.settle_timeout = 60.0  # the first extraction forks the worker and imports trafilatura


async def add_link(world, url: str, **options):
    return await world.mod.slash(world.channel, "review add-link", url=url, **options)


async def save(world, result):
    return await world.mod.click(msgs(result)[-1], label="Save")


async def test_a_typed_film_the_pages_data_contradicts_is_said_before_anything_is_stored(world, review_site):
    """film:Aftersun on a page whose JSON-LD reviews Past Lives (2023): the preview says so first (it showed
    Aftersun, 'as you chose it', and Save stored Past Lives' review under Aftersun without a word)."""
    result = await add_link(world, review_site.url("/page/shapes_other_film"), film="Aftersun")
    text = assert_ephemeral_reply(result, "Preview", "says it reviews *Past Lives (2023)*", "Aftersun")
    assert text.index("Past Lives (2023)") < text.index("Film: *Aftersun*")
    assert world.count("reviews", "url_key IS NOT NULL") == 0, "only the preview's draft is kept"
    same = await add_link(world, review_site.url("/page/shapes_jsonld_review"), film="Aftersun (2022)")
    assert "says it reviews" not in msgs(same)[-1].content


async def test_a_list_of_films_is_refused_even_with_a_film_typed_and_nothing_is_stored(world, review_site):
    """'The 10 best films of 2024' with film:Past Lives: refused as a list, not stored as a review of it."""
    before = table_digest(world.db_path)
    result = await add_link(world, review_site.url("/page/shapes_listicle"), film="Past Lives")
    assert_ephemeral_reply(result, "list of films", "not a review of one film")
    assert table_digest(world.db_path) == before and not buttons(msgs(result)[-1])


async def test_a_teaser_before_subscribe_to_read_is_refused_as_paywalled(world, review_site):
    """Two paragraphs, then 'Subscribe to read the full review.': refused, nothing stored (was stored whole)."""
    before = table_digest(world.db_path)
    result = await add_link(world, review_site.url("/page/shapes_paywall_teaser"))
    assert_ephemeral_reply(result, "paywalled", "/review add")
    assert table_digest(world.db_path) == before


async def test_a_review_over_two_pages_is_flagged_partial_and_stays_so_after_edit_details(world, review_site):
    """'Page 2 →': the preview says only this page's text would be stored (it said nothing), also once the
    preview is redrawn by Edit details."""
    result = await add_link(world, review_site.url("/page/shapes_paged"))
    assert_ephemeral_reply(result, "Partial", "goes on over another page", "/review add")
    preview = msgs(result)[-1]
    form = await world.mod.click(preview, label="Edit details")
    edited = await world.mod.submit_modal(form, {
        "filmbot:review:linkedit:film": "Perfect Days (2023)", "filmbot:review:linkedit:critic": "Rosa Lindqvist",
        "filmbot:review:linkedit:outlet": "", "filmbot:review:linkedit:date": ""})
    assert "Partial" in msgs(edited)[-1].content


async def test_a_redirect_to_the_same_article_stores_it_once_under_its_final_address(world, review_site):
    """A link that redirects to the article: the article, stored under its own URL; the link again is a duplicate."""
    final = review_site.url("/page/shapes_jsonld_review")
    await save(world, await add_link(world, review_site.url(f"/to?u={final}")))
    assert world.q("SELECT url, critic, outlet FROM reviews WHERE url_key IS NOT NULL") == [
        (final, "Ines Halloran", "Frame Rate")]
    again = await add_link(world, review_site.url(f"/to?u={final}"))
    assert_ephemeral_reply(again, "already in the corpus")


async def test_a_redirect_to_another_site_keeps_that_sites_page_and_address(world, review_site):
    """A 301 to another host: the page there is what is read; its address is stored, and its outlet is the
    name that page states, never either host's address."""
    other = f"http://localhost:{review_site.port}/page/shapes_no_byline"
    await save(world, await add_link(world, review_site.url(f"/to?u={other}")))
    assert world.q("SELECT url, critic, outlet FROM reviews WHERE url_key IS NOT NULL") == [
        (other, None, "Nightjar Cinema Club")]
