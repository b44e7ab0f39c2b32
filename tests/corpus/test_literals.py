"""The required-literal filter in front of the theme phrases (bot/corpus/literals.py): it may only skip a phrase
that cannot match, whatever the pattern and the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus.literals import lowered_for_literals, may_match, required_literals
from bot.corpus.themes import fold_quotes, themes_for_film
from bot.corpus.themes_load import load_themes

THEMES = load_themes(DEFAULT_DATA_DIR / "themes.toml")


@pytest.mark.parametrize("pattern, literals", [
    (r"\bchemistry\b(?! (teacher|class)s?\b)", ("chemistry",)),
    (r"\b(actors?|actress(es)?|performers|cast) (all )?(act|acted)\b", ("actor", "actress", "cast", "performers")),
    (r"\bpangs? of (recognition|nostalgia)\b|\bmemory lane\b", ("memory lane", "nostalgia", "recognition")),
    (r"\bthe (very )?end\b", ("the ",)),
    (r"(?-i:\bLA\b)|los angeles", None),  # a case-sensitive part names nothing
    (r"(?#a comment: words)\bcoda\b", ("coda",)),
    (r"\bsighs?\b", ("sigh",)),
    (r"ab{2,3}cd", None),  # 'ab' and 'cd' are two characters: too short to rule anything out
    (r"score\x27s swell", ("score's swell",)),
    ("\\bcaf\u00e9 society\\b", (" society",)),  # a non-ASCII letter is skipped, not named
    (r"\bcaf\u00e9 society\b", None),  # the escape \u is not followed
    (r"(?P<x>dream)s? (?P=x)", None),  # a back-reference: not followed
    (r"(?x) dream", None),  # verbose: not followed
    (r"[^]x]+ ending", (" ending",)),
    (r"\bend{,2}ing", ("ing",)),
    (r"a{", None),
])
def test_literals_read_off_patterns(pattern, literals):
    """What each construct contributes: runs, alternations, optional and required groups, what is not followed."""
    re.compile(pattern, re.IGNORECASE)  # every case is a pattern Python accepts
    assert required_literals(pattern) == literals


def test_texts_re_matches_to_ascii_letters_by_its_extra_cases_are_searched():
    """'ſ' (long s) and 'ı' (dotless i) match 's' and 'i' under re.IGNORECASE; 'İ' lowers to two characters."""
    for text in ("the ſcore ſwells", "a dıfferent ending", "İNDEED a twist"):
        assert lowered_for_literals(text) is None and may_match("score", lowered_for_literals(text))
    assert re.search("the score", "THE ſCORE", re.IGNORECASE)


def _every_phrase() -> dict[str, re.Pattern[str]]:
    phrases = {}
    for film in [None, *(film.title for film in THEMES.films.values())]:
        for theme in themes_for_film(THEMES, film, None).values():
            phrases.update({pattern.pattern: pattern for pattern, _ in theme.patterns})
    return phrases


def test_no_shipped_phrase_is_skipped_where_it_matches():
    """Every phrase of data/themes.toml (generic and each film's) over every paragraph of the bundled reviews and
    the test fixtures: where the regex matches, the filter lets it through."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for folder in (DEFAULT_DATA_DIR / "corpus", Path(__file__).parents[1] / "data")
             for p in sorted(folder.rglob("*")) if p.is_file()]
    paragraphs = [fold_quotes(p) for text in texts for p in re.split(r"\n\s*\n", text) if p.strip()]
    phrases = _every_phrase()
    assert len(phrases) > 300 and len(paragraphs) > 20
    matched = skipped = 0
    for paragraph in paragraphs:
        lowered = lowered_for_literals(paragraph)
        for source, pattern in phrases.items():
            found = pattern.search(paragraph) is not None
            allowed = may_match(source, lowered)
            assert allowed or not found, (source, paragraph[:80])
            matched += found
            skipped += not allowed
    assert matched > 100 and skipped > 0.8 * len(paragraphs) * len(phrases)  # most searches ruled out


_ATOMS = st.sampled_from(["a", "b", "c", " ", "ab", "abc", "bca", "\\b", "^", "$", ".", "[ab]", "[^a]", "\\w", "\\s",
                          "A", "B", "\\x61", "\\.", "ſ", "é"])


@st.composite
def patterns(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            inner = "|".join(draw(patterns(depth + 1)) for _ in range(draw(st.integers(1, 3))))
            opener = draw(st.sampled_from(["(", "(?:", "(?=", "(?!", "(?<!", "(?-i:", "(?i:"]))
            if opener in ("(?<!",):
                inner = draw(st.sampled_from(["a", "bc", "abc"]))  # lookbehinds need a fixed width
            parts.append(opener + inner + ")")
        else:
            parts.append(draw(_ATOMS))
        parts[-1] += draw(st.sampled_from(["", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,1}", "??", "+?"]))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(pattern=patterns(), text=st.text(alphabet="abcABC .ſıİé", max_size=30))
def test_the_filter_never_skips_a_pattern_that_matches(pattern, text):
    """Random patterns of every construct the reader follows, random texts of the same few letters (so matches are
    common): when the regex finds a match, the filter let it be searched."""
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error:
        return
    if compiled.search(text):
        assert may_match(pattern, lowered_for_literals(text)), (pattern, text, required_literals(pattern))
