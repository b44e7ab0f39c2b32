"""Themes for every film: generic vs film-specific themes, question templates, other films, safety."""

from __future__ import annotations

import pickle
import time
from functools import cache
from pathlib import Path

import pytest

from bot.corpus import ThemeSet, load_themes, process_review, tag_passage, themes_for_film
from bot.corpus.film_refs import names_another_film
from bot.corpus.themes import theme_for_film

ROOT = Path(__file__).resolve().parents[2]
GENERIC = {"ending", "nostalgia", "performances", "music", "look"}
LA_LA_LAND_ONLY = {"jazz", "ambition-vs-love", "los-angeles", "musical-homage"}


@cache
def themes() -> ThemeSet:
    return load_themes(ROOT / "data" / "themes.toml")


def test_all_keys_stay_addressable_for_commands_and_stored_rows() -> None:
    """Every key in use before (ending, jazz, ...) is still a key of the loaded set."""
    assert GENERIC | LA_LA_LAND_ONLY <= set(themes()) and "la-la-land" in themes().films


@pytest.mark.parametrize(
    ("title", "year", "has_own"),
    [("La La Land", 2016, True), ("la la land (2016)", None, True), ("LA LA LAND", None, True),
     ("La La Land", 1999, False), ("Casablanca", 1942, False), (None, None, False)],
)
def test_themes_for_film_picks_generic_plus_own(title: str | None, year: int | None, has_own: bool) -> None:
    """Generic themes apply to every film; La La Land's own only to it (title case/year suffix ignored)."""
    keys = set(themes_for_film(themes(), title, year))
    assert keys == (GENERIC | LA_LA_LAND_ONLY if has_own else GENERIC)


@pytest.mark.parametrize(("title", "year"), [("La La Land", 2016), ("Whiplash", 2014), (None, None)])
def test_theme_for_film_is_the_same_theme_themes_for_film_binds(title: str | None, year: int | None) -> None:
    """One theme bound on its own equals that theme of the whole film's set (None for another film's own)."""
    fresh = load_themes(ROOT / "data" / "themes.toml")  # its caches start empty: each path really binds
    one = {key: theme_for_film(fresh, key, title, year) for key in fresh}
    whole = themes_for_film(load_themes(ROOT / "data" / "themes.toml"), title, year)
    assert {k: t for k, t in one.items() if t is not None} == whole


def test_film_specific_theme_only_tags_its_film() -> None:
    """A jazz passage is 'jazz' for La La Land, not for Whiplash (which has no jazz theme of its own)."""
    text = "Sebastian's jazz purism is the heart of it: he wants to save the music he loves."
    assert "jazz" in tag_passage(text, themes(), film="La La Land")
    assert "jazz" not in tag_passage(text, themes(), film="Whiplash")
    assert "jazz" not in tag_passage(text, themes())  # no film: generic themes only


def test_generic_ending_for_any_film_and_comparisons_excluded() -> None:
    """'the ending of Casablanca… its final scene' is Casablanca's ending, but not La La Land's."""
    text = "The ending of Casablanca is perfect: its final scene at the foggy airport still moves me."
    assert "ending" in tag_passage(text, themes(), film="Casablanca", year=1942)
    assert "ending" not in tag_passage(text, themes(), film="La La Land", year=2016)


@pytest.mark.parametrize(
    "text",
    [
        "Compare Alien, where Scott lets Ripley drift off to sleep: one of the loneliest final scenes of the decade.",
        "The final scene of *Brief Encounter* is all restraint, two lovers parted by a chattering friend.",
        "The last shot of \u201cBicycle Thieves\u201d is the saddest ending of neorealism.",
        "Kaufman's earlier Being John Malkovich has a cruel ending, a man trapped in a girl's eyes.",
        "Stagecoach (1939) has the most famous final shot in the western genre.",
    ],
)
def test_a_passage_about_another_films_ending_is_not_this_films(text: str) -> None:
    """Another film named by italics, quotes, a year or a comparing cue, nothing of this film: no 'ending'."""
    assert "ending" not in tag_passage(text, themes(), film="Blade Runner", year=1982)


def test_naming_this_film_too_keeps_the_ending() -> None:
    """A comparison that also names this film ('this film', its title) is about this film's ending."""
    text = "Unlike *Alien*, this film's final scene offers hope: the unicorn, the lift doors, a way out."
    assert "ending" in tag_passage(text, themes(), film="Blade Runner")
    assert "ending" in tag_passage("The final scene of *Vertigo* is a shock.", themes(), film="Vertigo")


@pytest.mark.parametrize(
    "text",
    ["Rick says \u201cOkay,\u201d and walks off.", "Bogart's Rick is wary.", "Earlier, Scottie follows her.",
     "In Paris, Gil walks in the rain."],
)
def test_dialogue_characters_and_places_are_not_film_titles(text: str) -> None:
    """Quoted dialogue, character names and places do not count as another film."""
    assert not names_another_film(text, "Casablanca")


@pytest.mark.parametrize(
    "idiom",
    [
        "At the end of the day, it is a solid thriller with a great cast of faces.",
        "In the end, it runs long and the middle drags past its welcome.",
        "The plot ends up in a muddle; the final nail is a subplot about a lost dog.",
        "It is memorable for all the wrong reasons, and the end result is a shrug.",
        "Her character gets one last shot at fame in a dingy club.",
    ],
)
def test_idioms_are_not_the_ending(idiom: str) -> None:
    """Idioms built on end/final/last are not about the film's ending."""
    assert "ending" not in tag_passage(idiom, themes(), film="Some Film")


def test_literal_blast_from_the_past_is_not_nostalgia() -> None:
    """'a blast from the past' describing a period document is not longing for the past."""
    text = "Seen today it is a blast from the past in the literal sense: real rubble in every frame."
    assert "nostalgia" not in tag_passage(text, themes(), film="The Third Man")


def test_question_templates_name_the_film() -> None:
    """Generic questions name any film; La La Land keeps its bespoke Mia/Sebastian questions on top."""
    ending = themes()["ending"]
    assert "How did you feel about the way Casablanca ends?" in ending.questions_for("Casablanca")
    assert all("{" not in q for q in ending.questions + ending.questions_for(None))
    assert "the film" in ending.questions_for(None)[0]
    lll = themes_for_film(themes(), "La La Land", 2016)["ending"]
    questions = lll.questions_for("La La Land")
    assert any("Mia and Sebastian" in q for q in questions) and any("La La Land" in q for q in questions)
    assert lll.debate_question_for("La La Land") == "Is the ending cathartic or cruel? Pick a side and defend it."
    assert lll.poll_for("La La Land") == ("Was the ending happy, sad, or both?", ("Happy", "Sad", "Both"))
    assert themes()["nostalgia"].poll_for("Roma") == (
        "How does Roma treat nostalgia?", ("Celebrates it", "Criticises it", "Both"))
    assert themes()["performances"].poll_for("Roma") is None
    assert "Mia" not in " ".join(themes_for_film(themes(), "Roma")["ending"].questions_for("Roma"))


def test_process_review_without_film_keeps_working() -> None:
    """Old callers (no film) get the generic themes."""
    text = "The final scene is a marvel of restraint, and the last shot lingers on an empty street."
    (passage,) = process_review(text, themes())
    assert set(passage.themes) == {"ending"}


def test_theme_set_pickles_for_worker_processes() -> None:
    """The importer sends themes to worker processes: a ThemeSet survives pickling, films included."""
    copy = pickle.loads(pickle.dumps(themes()))
    assert isinstance(copy, ThemeSet) and set(copy) == set(themes()) and set(copy.films) == {"la-la-land"}
    assert "jazz" in themes_for_film(copy, "La La Land")


# ~20-40k characters: linear patterns take milliseconds each, a backtracking one would take minutes.
HOSTILE = [
    "A " * 10_000,
    "The End " * 4_000,
    '"' + "Aa " * 8_000 + "b",
    "*" + "Word " * 6_000,
    "compared with " + "Big " * 8_000 + "(",
    ("final " * 4_000) + "x",
    "Aa'" * 10_000,
    "the end of the " * 2_000,
]


def test_tagging_hostile_text_is_fast() -> None:
    """Review text is untrusted: long pathological inputs tag in well under a second each (no backtracking)."""
    films = ("La La Land", "Vertigo", None)
    # Each distinct pattern once: the films share the general themes' patterns (searching them once per film
    # tripled the test's ~4 s of CPU and checked nothing more).
    patterns = {pattern.pattern: pattern for film in films for theme in themes_for_film(themes(), film).values()
                for pattern, _ in theme.patterns}
    for text in HOSTILE:
        started = time.thread_time()
        for pattern in patterns.values():
            pattern.search(text)
        for film in films:
            names_another_film(text, film)
        assert time.thread_time() - started < 1.5, text[:30]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[film]\ntitle = 'X'\n", "[film] is now [films.<key>]"),
        ("[films.x]\ntitle = 'X'\nyear = 'old'\n", "'year' must be a whole number"),
        ("[films.x]\ntitle = 'X'\n[films.x.themes.demo]\ncolour = 1\n", "unknown field(s): colour"),
        ("[films.x]\ntitle = 'X'\n[films.x.themes.solo]\nname = 'S'\n", "films.x.themes.solo"),
    ],
)
def test_film_sections_are_validated(tmp_path: Path, text: str, message: str) -> None:
    """Mistakes in [films.*] raise ValueError naming the section and the problem."""
    base = (
        "[themes.demo]\nname = 'Demo'\ndescription = 'd'\nspoiler = false\n"
        "phrases = [{ pattern = '\\bdemo\\b', weight = 2 }]\nquestions = ['About {film}?', 'q2?']\n"
        "debate_question = 'Pick a side on {film}?'\ncontrasts = [['a'], ['b']]\n"
    )
    path = tmp_path / "themes.toml"
    path.write_text(base + text, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_themes(path)


def test_unknown_placeholder_is_rejected(tmp_path: Path) -> None:
    """'{title}' in a question is a typo for '{film}' and is caught at load."""
    path = tmp_path / "themes.toml"
    path.write_text(
        "[themes.demo]\nname = 'Demo'\ndescription = 'd'\nspoiler = false\n"
        "phrases = [{ pattern = 'demo', weight = 2 }]\nquestions = ['About {title}?', 'q2?']\n"
        "debate_question = 'Pick?'\ncontrasts = [['a'], ['b']]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"unknown placeholder \{title\}"):
        load_themes(path)


@pytest.mark.parametrize(("title", "year"), [("La La Land", 2016), ("Whiplash", 2014), (None, None)])
def test_unbound_theme_asks_the_bound_themes_questions(title: str | None, year: int | None) -> None:
    """A prompt's questions come from the theme without its anchors: the same questions, no title pattern."""
    fresh = load_themes(ROOT / "data" / "themes.toml")
    for key in fresh:
        bound = theme_for_film(fresh, key, title, year)
        unbound = theme_for_film(fresh, key, title, year, bind=False)
        assert (bound is None) == (unbound is None)
        if bound is None or unbound is None:
            continue
        assert unbound.questions_for(title) == bound.questions_for(title)
        assert unbound.debate_question_for(title) == bound.debate_question_for(title)
        assert unbound.anchors == fresh[key].anchors  # nothing compiled for the film
