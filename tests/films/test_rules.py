"""bot/films/rules.py: the catalogue key, explicit references, typed titles and years (pure)."""

from __future__ import annotations

import unicodedata

import pytest

from bot.core.refusals import UserError
from bot.films.rules import (
    Ambiguous,
    Film,
    Wanted,
    alias_title,
    new_film,
    norm_key,
    parse_ref,
    parse_typed,
    pick_one,
    ref,
    title_problem,
)

YEAR = 2026


def test_nfd_and_nfc_titles_have_one_key():
    """'Amélie' typed on a Mac (NFD) and imported from a CSV (NFC) are one film."""
    assert norm_key(unicodedata.normalize("NFD", "Amélie")) == norm_key(unicodedata.normalize("NFC", "AMÉLIE"))


def test_stroked_letters_and_ligatures_fold_as_accents_do():
    """ø, ł, đ, ð, ħ, ŧ, ı, æ, œ, þ, ß (either case) fold to the letters members type, as é folds to e."""
    assert norm_key("Lars von Trier's Bølgerne") == norm_key("Lars von Triers Bolgerne") == "larsvontriersbolgerne"
    assert norm_key("ŁÓDŹ") == norm_key("Łódź") == "lodz"
    assert [norm_key(t) for t in ("Æon", "Œuvre", "Þór", "Đakovo", "Guðrún", "Ħal", "Ŧ", "Straße", "STRAẞE", "Kırk")] == [
        "aeon", "oeuvre", "thor", "dakovo", "gudrun", "hal", "t", "strasse", "strasse", "kirk"]


def test_one_rule_for_articles_case_and_punctuation():
    """Case, a leading/trailing English article, punctuation and spacing never split a film."""
    assert norm_key("The Matrix") == norm_key("matrix") == norm_key("Matrix, The")
    assert norm_key("Spider-Man") == norm_key("spider man") == norm_key("Spider Man!")
    assert norm_key("La La Land") != norm_key("La Land")  # only English articles
    assert norm_key("The") == "the"  # an article alone is a title


def test_digits_are_titles_and_only_film_colon_id_is_an_id():
    """'9', '1917', '300' are titles; `film:<id>` is the one explicit reference."""
    for title in ("9", "1917", "300", "2046", "1984", "#9", "film 9", "film:9a"):
        assert parse_ref(title) is None
        assert parse_typed(title, None, YEAR).film_id is None
    assert parse_ref(ref(9)) == 9 and parse_typed("film:9", None, YEAR) == Wanted(film_id=9)


def test_title_year_in_one_string_and_the_year_option():
    """'Title (Year)' reads the year unless the year option is given; the title is NFC."""
    assert parse_typed(" La  La Land (2016) ", None, YEAR) == Wanted(title="La La Land", year=2016)
    assert parse_typed("1917", 2019, YEAR) == Wanted(title="1917", year=2019)
    assert parse_typed(unicodedata.normalize("NFD", "Amélie"), None, YEAR).title == "Amélie"


def test_title_year_with_the_year_option_names_one_film_or_is_refused():
    """'Title (Year)' with the same year option is that film; with another year, refused naming both."""
    assert parse_typed("Whiplash (2014)", 2014, YEAR) == Wanted(title="Whiplash", year=2014)
    with pytest.raises(UserError, match="2018.*1977"):
        parse_typed("Suspiria (2018)", 1977, YEAR)


@pytest.mark.parametrize("year", [1869, 0, YEAR + 6, 99999, "abcd"])
def test_years_out_of_range_are_refused(year):
    """Years outside 1870..this year + 5 are refused, saying the range."""
    with pytest.raises(UserError, match=f"between 1870 and {YEAR + 5}"):
        parse_typed("Metropolis", year, YEAR)


@pytest.mark.parametrize("title, why", [
    ("Bad\x00title", "control characters"), ("Bad\x07title", "control characters"),
    ("evil\u202egnp.exe", "control characters"), ("x" * 500, "longer than 200"),
    ("?!…--", "no letters, digits or symbols"), ("   ", "empty"), ("=HYPERLINK(1)", "formula"),
])
def test_titles_that_cannot_be_stored_are_refused(title, why):
    """Control characters, 500 characters, punctuation only, formulas: a clear refusal."""
    with pytest.raises(UserError, match=why):
        new_film(title, None, YEAR)


@pytest.mark.parametrize("title", ["+1", "-30-", "@ 8", "=1"])
def test_a_sign_before_a_digit_is_a_title_and_a_formula_is_refused(title):
    """'+1' (2013) and '-30-' (1959) are real films (a sign before a digit: refused as formulas before); '=1', as
    everything after '=', is still a formula."""
    if title.startswith("="):
        with pytest.raises(UserError, match="formula"):
            new_film(title, None, YEAR)
    else:
        assert new_film(title, None, YEAR).title == title


@pytest.mark.parametrize("title", ["ليلة القدر", "הסרט", "🎬🍿", "Amélie 🎠", "八月の狂詩曲"])
def test_rtl_and_emoji_titles_are_films(title):
    """Right-to-left scripts and emoji are titles with a key of their own."""
    wanted = new_film(title, 2001, YEAR)
    assert wanted.title == title and norm_key(title)


def test_a_yearless_title_names_the_only_film_or_asks():
    """A title without a year: the only film of that title; two or more → Ambiguous listing them."""
    dune84 = Film(1, "Dune", 1984, "dune", director="David Lynch")
    dune21 = Film(2, "Dune", 2021, "dune", director="Denis Villeneuve")
    assert pick_one(Wanted(title="Dune"), [dune84]) is dune84
    assert pick_one(Wanted(title="Dune", year=2021), [dune84, dune21]) is dune21
    assert pick_one(Wanted(title="Dune", year=2000), [dune84, dune21]) is None
    with pytest.raises(Ambiguous) as refused:
        pick_one(Wanted(title="Dune"), [dune21, dune84])
    assert "Dune (1984) — David Lynch" in refused.value.message and "Dune (2021) — Denis Villeneuve" in refused.value.message


def test_a_title_with_a_year_names_the_titles_only_film_when_it_has_no_year_yet():
    """`Alien (1979)` names the catalogue's only `Alien` while that one is undated (as `ensure` would date it);
    a dated film of another year is never taken for it."""
    alien = Film(1, "Alien", None, "alien")
    assert pick_one(Wanted(title="Alien", year=1979), [alien]) is alien
    dated = Film(2, "Alien", 1979, "alien")
    assert pick_one(Wanted(title="Alien", year=1986), [dated]) is None
    assert pick_one(Wanted(title="Alien", year=1979), [alien, Film(3, "Alien", 2030, "alien")]) is None


def test_a_year_typed_after_the_title_is_read_as_a_range_while_typed():
    """Autocomplete: 'dune (20' is Dune of 2000..2099; 'halloween 2018' and 'Halloween (2018)' of 2018; a bare
    digit is a title's ('Dune 2'); a digits-only title is a title."""
    from bot.films.rules import bare_year, typed_years

    assert typed_years("halloween 2018") == ("halloween", 2018, 2018)
    assert typed_years("Halloween (2018)") == typed_years("Halloween (2018") == ("Halloween", 2018, 2018)
    assert typed_years("dune (20") == ("dune", 2000, 2099)
    assert typed_years("dune 2") is None and typed_years("1917") is None and typed_years("dune") is None
    assert bare_year("halloween 2018") == ("halloween", 2018)
    assert bare_year("Halloween (2018)") is None and bare_year("1917") is None


def test_offers_reads_a_keystroke_as_the_catalogue_does():
    """A watchlist entry is offered for its accents folded, its article dropped, or its year being typed."""
    from bot.films.rules import offers

    assert offers("amelie", "Amélie", 2001) and offers("halloween 2018", "Halloween", 2018)
    assert offers("halloween (20", "Halloween", 2018) and not offers("halloween (19", "Halloween", 2018)
    assert offers("star is born", "A Star Is Born", 1954) and not offers("halloween 2018", "Halloween", None)


def test_emoji_and_symbols_other_than_signs_leave_the_key():
    """Emoji, pictographs, skin tones and variation selectors are not in the key (migration 226): a title typed
    without them names the film; an emoji-only title keeps a key; maths and currency signs stay ("+1" is not "1")."""
    assert norm_key("Tick, Tick... Boom! 🎹") == norm_key("tick tick boom") == "ticktickboom"
    assert norm_key("Love ❤️ Actually") == norm_key("Love ❤ Actually") == norm_key("love actually")
    assert norm_key("Thumbs 👍🏽 Up") == norm_key("Thumbs Up")
    assert norm_key("🇯🇵 Japan") == "japan"
    assert norm_key("🎬🍿") == "🎬🍿" and norm_key("❤️") != ""
    assert norm_key("+1") == "+1" != norm_key("1") and norm_key("$9.99") == "$999"
    assert norm_key("千と千尋の神隠し") == "千と千尋の神隠し" and norm_key("기생충") == "기생충"


def test_an_emoji_only_title_is_still_a_title():
    """The key leaving emoji out never makes an emoji title unstorable."""
    assert new_film("🎬🍿", None, 2026).title == "🎬🍿"


def test_another_title_is_a_title_without_a_year_or_a_reference():
    """`alias_title`: spaces collapsed; a year, a `film:<id>`, spoiler bars or nothing readable give None."""
    assert alias_title("  Spirited   Away ") == "Spirited Away"
    assert [alias_title(t) for t in ("Spirited Away (2001)", "film:3", "||twist||", "?!", "", None)] == [None] * 6


def test_a_title_that_draws_nothing_is_refused():
    """Variation selectors, Hangul fillers and the blank braille cell alone are no title; beside a letter or an emoji
    they are kept as typed ("❤️" is a title, "ㅤHeat" is Heat's)."""
    for blank in ("\ufe0f", "\U000e0100", "\u3164", "\uffa0", "\u115f\u1160", "\u2800 \u2800"):
        assert title_problem(blank) == "the title has no letters, digits or symbols", repr(blank)
        assert alias_title(blank) is None
    assert title_problem("❤️") is None and title_problem("\u3164Heat") is None and title_problem("⠁") is None
