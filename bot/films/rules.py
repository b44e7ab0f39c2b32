"""The film catalogue, pure: what a film is, its normalised key, and how typed text names one.

No discord, no store. One rule everywhere:
- a film's key is its title folded (casefolded, accents dropped: "Amelie" names "Amélie"), without a
  leading English article (the/a/an, or a trailing ", The") and keeping only letters, digits, marks and
  maths or currency signs (so "Spider-Man" == "spider man", and "Boom! 🎹" == "boom"; an emoji-only title
  keeps its folded text as its key);
- typed text is "Title", "Title (Year)" or the explicit reference `film:<id>` an autocomplete value
  carries. Digits alone are always a title (*1917*, *300*, *9*), never an id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

from bot.core.films import (  # the key rule lives in core (SQL film_key())
    OPTION_MAX,
    TITLE_YEAR,
    fold,
    norm_key,
    visible_char,
)
from bot.core.refusals import UserError
from bot.core.spoilers import has_spoiler_bars
from bot.core.text import has_control_chars, inert

__all__ = [
    "ALIASES_MAX",
    "FILM_COLUMNS",
    "METADATA_FIELDS",
    "REF_PREFIX",
    "YEARS_AHEAD",
    "YEAR_MIN",
    "Ambiguous",
    "Film",
    "Wanted",
    "alias_title",
    "bare_year",
    "check_year",
    "clean_title",
    "label",
    "new_film",
    "norm_key",
    "offers",
    "parse_ref",
    "parse_typed",
    "pick_one",
    "ref",
    "title_problem",
    "typed_years",
    "year_range",
]

YEAR_MIN = 1870  # the first motion pictures
YEARS_AHEAD = 5  # announced films: a year up to five years from now
REF_PREFIX = "film:"
_REF = re.compile(r"^film:([0-9]{1,18})$")
# A year typed after the title without brackets ("halloween 2018"): read as `Title (Year)` only when no film of the
# whole text is seen, since some titles end in four digits (*Blade Runner 2049*, *Class of 1984*).
_BARE_YEAR = re.compile(r"^(?P<title>.*?\S)\s+(?P<year>[0-9]{4})\s*$")
# What autocomplete sees while a year is being typed: "dune (20", "halloween (2018", "suspiria 1977".
_YEAR_TYPED = re.compile(r"^(?P<title>.*?\S)\s*(?:\((?P<part>[0-9]{0,4})\)?|\s(?P<whole>[0-9]{4}))\s*$")
# Bidirectional embeddings, overrides and isolates: they make a label display as something else.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What a spreadsheet runs as a formula when a title is pasted into one: '=' anything, or '+', '-', '@' before a
# letter or a bracket ('=HYPERLINK(…)', '@SUM(…)', '+cmd|…', '@everyone'). Real titles open with a sign before a
# digit or a dash ('+1' (2013), '-30-' (1959)): those are films.
_FORMULA = re.compile(r"^(?:=|[+\-@][^\W\d_]|[+\-@]\s*\()")

# Columns the metadata provider may fill (`FilmStore.set_metadata`); title and key never change there.
METADATA_FIELDS = (
    "year", "tmdb_id", "imdb_id", "wikidata_id", "letterboxd", "runtime_minutes", "director",
    "poster_url", "genres", "overview", "metadata_source", "metadata_at",
)


@dataclass(frozen=True)
class Film:
    """One row of the catalogue, every column."""

    id: int
    title: str
    year: int | None
    norm_key: str
    tmdb_id: int | None = None
    imdb_id: str | None = None
    wikidata_id: str | None = None
    letterboxd: str | None = None
    runtime_minutes: int | None = None
    director: str | None = None
    poster_url: str | None = None
    genres: str | None = None
    overview: str | None = None
    metadata_source: str | None = None
    metadata_at: str | None = None

    @property
    def label(self) -> str:
        """'Title (Year)', or the title alone when the year is unknown."""
        return label(self.title, self.year)

    @property
    def choice_name(self) -> str:
        """What autocomplete shows: 'Title (Year) — Director' when the director is known."""
        return f"{self.label} — {self.director}" if self.director else self.label

    @property
    def ref(self) -> str:
        return ref(self.id)


FILM_COLUMNS = tuple(f.name for f in fields(Film))


@dataclass(frozen=True)
class Wanted:
    """What a member's text names: an explicit id, or a title with an optional year."""

    film_id: int | None = None
    title: str | None = None
    year: int | None = None


def label(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title


def ref(film_id: int) -> str:
    """The one explicit way to name a film by id (autocomplete values): `film:<id>`."""
    return f"{REF_PREFIX}{film_id}"


def parse_ref(text: str | None) -> int | None:
    """The id of an explicit `film:<id>` reference, else None (a title, whatever its characters)."""
    match = _REF.match((text or "").strip())
    return int(match.group(1)) if match else None


def year_range(this_year: int) -> tuple[int, int]:
    return YEAR_MIN, this_year + YEARS_AHEAD


def check_year(value: int | str | None, this_year: int) -> int | None:
    """A film year within 1870..this year + 5; None when not given; anything else refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    low, high = year_range(this_year)
    if not text.isdigit() or not low <= int(text) <= high:
        raise UserError(f"“{inert(text, 10)}” is not a film year: use four digits between {low} and {high}.")
    return int(text)


def title_problem(title: str) -> str | None:
    """Why a title can't be stored in the catalogue, or None."""
    if not title:
        return "the title is empty"
    if len(title) > OPTION_MAX:
        return f"the title is longer than {OPTION_MAX} characters"
    if _FORMULA.match(title):
        return "the title starts like a spreadsheet formula (= first, or + - @ before a letter)"
    if has_control_chars(title) or _BIDI_CONTROLS.search(title):
        return "the title contains control characters"
    if title.casefold().startswith(REF_PREFIX):  # 'film:-1', 'film:99…9' (19 digits): a forged or broken reference
        return "it is a film reference (`film:<id>`) of no film: pick the film from the list as you type"
    if has_spoiler_bars(title):  # a title is shown where Discord cannot hide a part: choices, select labels, thread names
        return "the title hides words behind `||` spoiler bars, which lists and thread names show in clear"
    # Accents alone fold away: no key. U+FFFD stands for what could not be read (a lone surrogate, bad bytes):
    # a title of nothing else was stored as "�" before. Variation selectors and blank letters alone draw nothing.
    if not any(visible_char(ch) and ch != "\ufffd" for ch in fold(title)):
        return "the title has no letters, digits or symbols"
    return None


ALIASES_MAX = 10  # other titles one server (or the providers) may give one film: a film has a handful, not dozens


def alias_title(text: str | None) -> str | None:
    """Another title of a film as the catalogue stores it (spaces collapsed, NFC), or None when it could not be a
    title (`title_problem`) or is a film reference: an alias is a title, never `film:<id>` nor 'Title (Year)'."""
    title = clean_title(text)
    if title_problem(title) or TITLE_YEAR.match(title):
        return None
    return title


def clean_title(title: str | None) -> str:
    """A typed title with its spaces collapsed and in NFC (how the catalogue stores titles)."""
    return unicodedata.normalize("NFC", " ".join((title or "").split()))


def parse_typed(text: str | None, year: int | str | None, this_year: int) -> Wanted:
    """What a member typed (plus the optional year option): an explicit ref, or title + year.

    'Title (Year)' in one string reads the year from the brackets unless the year option is given.
    """
    film_id = parse_ref(text)
    if film_id is not None:
        return Wanted(film_id=film_id)
    title = clean_title(text)
    parsed_year = check_year(year, this_year)
    match = TITLE_YEAR.match(title)
    if match and parsed_year is None:
        title, parsed_year = match["title"].strip(), check_year(match["year"], this_year)
    elif match and int(match["year"]) != parsed_year:  # not a film called 'Suspiria (2018)' of 1977
        raise UserError(f"“{inert(title, 80)}” says {match['year']} but `year:` says {parsed_year}: give the year once.")
    elif match:
        title = match["title"].strip()
    return Wanted(title=title, year=parsed_year)


def bare_year(text: str | None) -> tuple[str, int] | None:
    """'Halloween 2018' as ('Halloween', 2018): the title and a year typed after it without brackets, else None."""
    match = _BARE_YEAR.match((text or "").strip())
    return (match["title"], int(match["year"])) if match else None


def typed_years(text: str | None) -> tuple[str, int, int] | None:
    """What an autocomplete keystroke can still become when it ends in a year being typed: the title and the
    range of years its digits begin ("dune (20" is Dune of 2000..2099; "halloween 2018" of 2018 alone)."""
    match = _YEAR_TYPED.match((text or "").strip())
    if not match:
        return None
    digits = match["part"] if match["part"] is not None else match["whole"]
    span = 10 ** (4 - len(digits))
    low = int(digits) * span if digits else 0
    return match["title"], low, low + span - 1


def offers(typed: str | None, title: str, year: int | None) -> bool:
    """Whether an autocomplete keystroke names this film, as `FilmStore.choices` reads one: its label or its key
    holds what was typed ("amelie" Amélie), or its key begins with the typed title and its year with the digits
    being typed after it ("halloween 2018", "halloween (20")."""
    text = (typed or "").strip()
    if fold(text) in fold(label(title, year)) or norm_key(text) in norm_key(title):
        return True
    dated = typed_years(text)
    return (dated is not None and year is not None and norm_key(title).startswith(norm_key(dated[0]))
            and dated[1] <= year <= dated[2])


def new_film(text: str | None, year: int | str | None, this_year: int) -> Wanted:
    """A title + year a member wants to add: refused clearly when it can't be stored."""
    wanted = parse_typed(text, year, this_year)
    if wanted.film_id is None:
        problem = title_problem(wanted.title or "")
        if problem:
            raise UserError(f"I can't add that film: {problem}.")
    return wanted


def pick_one(wanted: Wanted, candidates: list[Film]) -> Film | None:
    """The film `wanted` names among the films sharing its key: the exact year (or the only film, when it has
    no year yet), else the only one.

    None when nothing matches; UserError listing them when a yearless title names two or more.
    """
    if wanted.year is not None:
        exact = next((f for f in candidates if f.year == wanted.year), None)
        if exact is None and len(candidates) == 1 and candidates[0].year is None:
            return candidates[0]  # the title's only film, not dated yet: the one `ensure` would give this year
        return exact
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    raise Ambiguous(candidates)


class Ambiguous(UserError):
    """A title without a year that names two or more films: the member picks one."""

    def __init__(self, films: list[Film], title: str | None = None) -> None:
        self.films = sorted(films, key=lambda f: (f.year or 0, f.id))
        if not self.films:  # several films, none this server sees: which they are is not its business
            super().__init__(f"Several films are called “{inert(title or '', 100)}”: add the year, e.g. `Title (Year)`.")
            return
        listed = ", ".join(f"**{inert(f.choice_name, 120)}**" for f in self.films[:10])
        super().__init__(
            f"Several films are called “{inert(self.films[0].title, 100)}”: {listed}. Pick one from the"
            " list as you type, or add the year, e.g. `Title (Year)`."
        )
