"""The theme data model: Theme, Film, ThemeSet and question templates.

Questions, debate questions and polls are written once for every film as
templates naming "{film}"; a Theme renders them for the film at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULT_THRESHOLD = 2.0
PLACEHOLDER = "{film}"
# What "{film}" becomes when no film is known (and in the plain .questions fields).
UNKNOWN_FILM = "the film"
# Curly quotes are folded so moderators can write plain ' and " in patterns.
_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_YEAR_SUFFIX = re.compile(r"\s*\((?:1[89]|20)\d\d\)\s*$")
_NON_WORD = re.compile(r"[\W_]+")

Weighted = tuple[re.Pattern[str], float]


@lru_cache(maxsize=4096)  # every theme folds the same passage: do it once
def fold_quotes(text: str) -> str:
    """Curly quotes to straight ones, so patterns match either style."""
    return text.translate(_QUOTE_FOLD)


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, for readability: `word_set("but yet however")`."""
    return frozenset(text.split())


@lru_cache(maxsize=4096)  # pure; a prompt and a pick compare the same few titles (2-3 calls a /discuss)
def normalise_title(title: str) -> str:
    """'La La Land (2016)', 'la-la land' -> 'la la land': how film titles are compared."""
    title = _YEAR_SUFFIX.sub("", fold_quotes(title))
    return " ".join(_NON_WORD.sub(" ", title.casefold()).split())


def render(template: str, film: str | None) -> str:
    """Put the film's title in place of {film}; 'the film' when unknown, capitalised at the start."""
    text = template.replace(PLACEHOLDER, film.strip() if film and film.strip() else UNKNOWN_FILM)
    return text[:1].upper() + text[1:] if template.startswith(PLACEHOLDER) else text


@dataclass(frozen=True)
class Templates:
    """A theme's questions as written in themes.toml, {film} still in place."""

    questions: tuple[str, ...]
    debate_question: str
    poll_question: str | None = None
    poll_answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One discussion theme as configured in data/themes.toml.

    questions / debate_question / poll_question / poll_answers are rendered for
    an unnamed film ("the film") so older callers show sensible text; use
    questions_for(title) etc. to name the film.
    """

    key: str
    name: str
    description: str
    spoiler: bool
    patterns: tuple[Weighted, ...]
    questions: tuple[str, ...]
    debate_question: str
    poll_question: str | None
    poll_answers: tuple[str, ...]
    contrasts: tuple[tuple[str, ...], tuple[str, ...]]
    threshold: float = DEFAULT_THRESHOLD
    # Bound per film by themes_for_film: words that show a passage is about this
    # film, and names of films its critics compare it with.
    anchors: tuple[re.Pattern[str], ...] = ()
    other_films: tuple[re.Pattern[str], ...] = ()
    # A quote is shown on its own, so it must say what it is about: no cue word, no tag.
    requires: re.Pattern[str] | None = None
    # A passage that names another film (and nothing of this one) never gets this theme.
    this_film_only: bool = False
    # Weight of a mention of an actor the review itself names ("Isabelle Huppert plays Erika", "(Paul
    # Newman)"): 0 = actors' names mean nothing to this theme. See themes.with_cast.
    cast_weight: float = 0.0
    # Bound per review by themes.with_cast: the surnames of the actors that review names.
    cast: re.Pattern[str] | None = None
    # Key of the [films.<key>] section for a film-only theme; None = every film.
    film: str | None = None
    # Title of the film this copy was bound to (None = unknown film).
    film_title: str | None = None
    templates: Templates | None = field(default=None, compare=False)

    def cued(self, text: str) -> bool:
        """True when the passage contains the theme's required cue word (or none is required); an actor
        the review names is a cue for a theme that weighs actors' names."""
        folded = fold_quotes(text)
        return (self.requires is None or bool(self.requires.search(folded))
                or (self.cast is not None and bool(self.cast.search(folded))))

    def _templates(self) -> Templates:
        return self.templates or Templates(
            self.questions, self.debate_question, self.poll_question, self.poll_answers
        )

    def questions_for(self, film_title: str | None) -> tuple[str, ...]:
        """The open discussion questions naming the film."""
        return tuple(render(q, film_title) for q in self._templates().questions)

    def debate_question_for(self, film_title: str | None) -> str:
        """The take-a-side question naming the film."""
        return render(self._templates().debate_question, film_title)

    def poll_for(self, film_title: str | None) -> tuple[str, tuple[str, ...]] | None:
        """(question, answers) naming the film, or None when the theme has no poll."""
        t = self._templates()
        if t.poll_question is None:
            return None
        return render(t.poll_question, film_title), tuple(render(a, film_title) for a in t.poll_answers)


@dataclass(frozen=True)
class Extension:
    """What a [films.<key>.themes.<generic key>] table adds to a generic theme for one film."""

    patterns: tuple[Weighted, ...] = ()
    questions: tuple[str, ...] = ()
    debate_question: str | None = None
    poll: tuple[str, tuple[str, ...]] | None = None
    requires: re.Pattern[str] | None = None
    description: str | None = None


@dataclass(frozen=True)
class Film:
    """A [films.<key>] section: one film's anchors, comparisons and extra themes."""

    key: str
    title: str
    year: int | None
    anchors: tuple[re.Pattern[str], ...]
    other_films: tuple[re.Pattern[str], ...]
    extensions: dict[str, Extension] = field(default_factory=dict, compare=False)

    def matches(self, title: str | None, year: int | None) -> bool:
        """Same title (case, punctuation and a '(2016)' suffix ignored) and, when both are known, year."""
        if not title or normalise_title(title) != normalise_title(self.title):
            return False
        return year is None or self.year is None or int(year) == self.year


class ThemeSet(dict[str, Theme]):
    """All themes by key (generic and film-only), plus the [films.*] sections.

    A dict, so code that looks themes up by key (commands, stored rows) keeps
    working; themes_for_film picks the ones that apply to one film.
    """

    def __init__(self, themes: dict[str, Theme], films: dict[str, Film], source: str | None = None) -> None:
        super().__init__(themes)
        self.films = films
        self.source = source  # the theme file's content hash (load_themes): what a memo of cut reviews keys on
        self.bound: dict[tuple[str, int | None], dict[str, Theme]] = {}  # themes_for_film cache
        self.bound_one: dict[tuple[str, int | None, str, bool], Theme | None] = {}  # theme_for_film cache

    def __reduce__(self) -> tuple[type, tuple[dict[str, Theme], dict[str, Film]]]:  # for worker processes; no cache
        return (ThemeSet, (dict(self), self.films))

    def film(self, title: str | None, year: int | None = None) -> Film | None:
        """The [films.*] section for this title/year, if there is one."""
        return next((f for f in self.films.values() if f.matches(title, year)), None)
