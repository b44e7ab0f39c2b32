"""bot/reviews/link_rules.py: which film a page reviews and which of its metadata is kept (never invented)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.refusals import UserError
from bot.corpus.article import Article
from bot.reviews.link_rules import FilmGuess, edited_meta, film_from_page, link_meta

CATALOGUE = [("La La Land", 2016), ("Her", 2013), ("Whiplash", 2014)]


@pytest.mark.parametrize(
    ("title", "film", "expected"),
    [
        ("La La Land (2016) ★★★★☆ – Reel Thoughts", None, ("La La Land", 2016, "catalogue")),
        ("Critique : La La Land, l’élégance d’un rêve", None, ("La La Land", 2016, "catalogue")),
        ("‘Arrival’ review: a first-contact film about grief | The Ledger", None, ("Arrival", None, "headline")),
        ("Review: Paterson, a week of poems", None, ("Paterson", None, "headline")),
        ("Moonlight (2016) review – tender and patient", None, ("Moonlight", 2016, "headline")),
        ("A quiet revolution in three chapters", "Moonlight", ("Moonlight", None, "page data")),
    ],
)
def test_film_is_found_from_the_catalogue_the_page_data_or_the_headline(title, film, expected):
    """Catalogue first (longest title), then structured data, then a quoted or 'review' headline."""
    guess = film_from_page(title, film, CATALOGUE)
    assert guess is not None and (guess.title, guess.year, guess.how) == expected


def test_short_catalogue_titles_match_whole_words_only():
    """'Her' is not found inside 'Where the heart is'; no film there at all → None."""
    assert film_from_page("Where the heart is: notes from a festival", None, CATALOGUE) is None


def test_a_title_remakes_share_is_never_guessed_without_the_pages_year():
    """Suspiria of 1977 and of 2018 catalogued: a page titled 'Suspiria review' is refused naming both (no silent
    pick of the first); 'Suspiria (2018) review' is the 2018 film."""
    remakes = [*CATALOGUE, ("Suspiria", 1977), ("Suspiria", 2018)]
    with pytest.raises(UserError, match=r"Suspiria \(1977\), Suspiria \(2018\)"):
        film_from_page("Suspiria review – a cold, long remake | The Ledger", None, remakes)
    guess = film_from_page("Suspiria (2018) review – a cold, long remake", None, remakes)
    assert guess == FilmGuess("Suspiria", 2018, "catalogue")


def test_missing_or_unusable_metadata_is_left_empty_never_invented():
    """No author → no critic; an 'Unattributed review #3' byline, a bad date or an overlong outlet → None."""
    film = FilmGuess("Whiplash", 2014, "catalogue")
    bare = link_meta(Article(text="x"), film, "https://a.test/r", year=None, spoiler=False)
    assert (bare.critic, bare.outlet, bare.date) == (None, None, None)
    odd = Article(text="x", author="Unattributed review #3", sitename="S" * 300, date="last Tuesday")
    meta = link_meta(odd, film, "https://a.test/r", year=None, spoiler=True)
    assert (meta.critic, meta.outlet, meta.date, meta.spoiler) == (None, None, None, True)


def test_edit_details_clears_emptied_fields_and_reads_title_year():
    """Edit details: 'Film (Year)' splits; an emptied critic, outlet or date is cleared."""
    meta = link_meta(Article(text="x", author="A", sitename="B", date="2020-01-02"),
                     FilmGuess("F", None, "headline"), "https://a.test/r", year=None, spoiler=False)
    edited = edited_meta(meta, {"film": "Her (2013)", "critic": " ", "outlet": "", "date": ""})
    assert (edited.film, edited.year, edited.critic, edited.outlet, edited.date) == ("Her", 2013, None, None, None)


def test_a_page_film_name_the_catalogue_refuses_is_no_guess():
    """Structured data or a headline naming `||…||`, `@everyone` or 201+ characters (the catalogue's
    limit) gives no film."""
    for film in ("||Rosebud||", "@everyone", "=cmd()", "M" * 201):
        assert film_from_page("A quiet revolution", film, []) is None
    assert film_from_page("Review: ||Rosebud|| is a sled", None, []) is None


def test_the_preview_warns_when_the_pages_data_names_another_film_or_year():
    """The moderator typed one film, the page's JSON-LD reviews another: said first, before Save."""
    from bot.reviews.link_rules import PageFacts, page_warnings
    from bot.reviews.rules import ReviewMeta

    meta = ReviewMeta(film="Aftersun", year=None, critic=None, outlet=None, url=None, date=None, spoiler=False)
    assert "Past Lives (2023)" in page_warnings(meta, PageFacts("Past Lives", 2023))[0]
    assert page_warnings(meta, PageFacts("aftersun", 2022)) == []
    assert page_warnings(dataclasses.replace(meta, year=2021), PageFacts("Aftersun", 2022))
    assert "Partial" in page_warnings(meta, PageFacts(continues="http://x/2"))[0]
