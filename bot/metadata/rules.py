"""Film metadata as the bot keeps it, and the pure rules around it: title matching, the year check,
parsing TMDB and Wikidata answers into one shape, link building. No discord, no HTTP, no store."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.corpus.segment import split_sentences
from bot.corpus.spoilers import spoiler_reasons
from bot.films.rules import Film

TMDB = "tmdb"
WIKIDATA = "wikidata"
# TMDB's terms require this notice wherever its data is shown; Wikidata's data is CC0, credited anyway.
TMDB_ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB."
WIKIDATA_ATTRIBUTION = "Film data from Wikidata (CC0)."

YEAR_MIN, YEAR_MAX = 1870, 2100
RUNTIME_MAX = 1000  # minutes; anything longer is a data error, not a film night
_IMDB = re.compile(r"^tt\d{7,10}$")
_QID = re.compile(r"^Q[1-9]\d{0,11}$")
_LETTERBOXD = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_POSTER_PATH = re.compile(r"^/[A-Za-z0-9_-]{1,64}\.(?:jpg|jpeg|png)$")
TMDB_IMAGE_BASE = "https://image.tmdb.org/t/p/w342"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
TEXT_MAX = 2000  # longest overview kept from a provider
NAME_MAX = 200
# Bidi embeddings, overrides and isolates (as bot/films/rules.py drops from titles): invisible, they make a
# provider's title, director or overview display as something else, and reverse what follows it on a card.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class FilmMetadata:
    """What a provider knows about one film; every field but title may be unknown."""

    title: str
    year: int | None = None
    runtime_minutes: int | None = None
    director: str | None = None
    genres: tuple[str, ...] = field(default=())
    overview: str | None = None
    poster_url: str | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    wikidata_id: str | None = None
    letterboxd_id: str | None = None
    source: str = ""
    attribution: str = ""
    aka: tuple[str, ...] = field(default=())  # other titles (original title, aliases), for matching only

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["genres"], data["aka"] = list(self.genres), list(self.aka)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FilmMetadata | None:
        """Back from the cache; None when the stored shape is not ours (an older or damaged row)."""
        try:
            return cls(**{**data, "genres": tuple(data.get("genres") or ()), "aka": tuple(data.get("aka") or ())})
        except TypeError:
            return None

    @classmethod
    def kept(cls, film: Any) -> FilmMetadata | None:
        """What the catalogue kept of an earlier lookup (a `bot.films` Film row: `remember` wrote it), for a
        card while the provider cannot be asked; None when it kept nothing. Credited to the source the row
        names, and to each source whose own data it holds (the row keeps only the last lookup's source): TMDB
        for a poster, an overview or a TMDB id, Wikidata for a Letterboxd id."""
        if not film.metadata_source:
            return None
        tmdb_data = film.metadata_source == TMDB or film.poster_url or film.overview or film.tmdb_id
        credits = [TMDB_ATTRIBUTION] if tmdb_data else []
        if film.metadata_source == WIKIDATA or film.letterboxd:
            credits.append(WIKIDATA_ATTRIBUTION)
        return cls(
            title=film.title, year=film.year, runtime_minutes=film.runtime_minutes, director=film.director,
            genres=tuple(g.strip() for g in (film.genres or "").split(",") if g.strip()), overview=film.overview,
            poster_url=film.poster_url, tmdb_id=film.tmdb_id, imdb_id=film.imdb_id, wikidata_id=film.wikidata_id,
            letterboxd_id=film.letterboxd, source=film.metadata_source, attribution=" ".join(credits),
        )

    def fill_from(self, other: FilmMetadata | None) -> FilmMetadata:
        """This record with its unknown fields taken from `other` (the same film from another provider)."""
        if other is None:
            return self
        gaps = {
            name: getattr(other, name)
            for name in ("runtime_minutes", "director", "genres", "overview", "poster_url", "tmdb_id",
                         "imdb_id", "wikidata_id", "letterboxd_id")
            if not getattr(self, name) and getattr(other, name)
        }
        if not gaps:
            return self
        attribution = " ".join(dict.fromkeys(a for a in (self.attribution, other.attribution) if a))
        return FilmMetadata(**{**asdict(self), **gaps, "attribution": attribution})


# ------------------------------------------------------------------ matching


def norm_title(title: str) -> str:
    """The matching key: NFKD without accents, casefolded, punctuation dropped, one leading English
    article dropped, spaces collapsed. "The Matrix", "matrix" and "Amélie" (any Unicode form) all match."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    text = " ".join(text.split())
    return _ARTICLE.sub("", text)


def match(candidates: Iterable[FilmMetadata], title: str, year: int | None) -> FilmMetadata | None:
    """The one candidate that is the film asked for, or None.

    Its normalised title (or one of its `aka`: original title, aliases) equals the one asked;
    with a year, its year equals it exactly (a remake or a namesake is never attached). Without a year,
    only a title that one candidate alone carries matches: two films of that name → None, not a guess.
    """
    wanted = norm_title(title)
    if not wanted:
        return None
    hits = []
    for candidate in candidates:
        names = {norm_title(candidate.title), *(norm_title(a) for a in candidate.aka)}
        if wanted in names and (year is None or candidate.year == year):
            hits.append(candidate)
    return hits[0] if len(hits) == 1 or (year is not None and hits) else None


# ------------------------------------------------------------------ cleaning what a provider sent


def clean_text(value: Any, limit: int = NAME_MAX) -> str | None:
    """A provider's string with controls (a NUL, a bidi override) removed and trimmed; anything else → None."""
    if not isinstance(value, str):
        return None
    text = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", value))
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c == "\n")
    text = text.strip()
    return text[:limit] if text else None


def clean_year(value: Any) -> int | None:
    """A year from '2016-12-09', '+2016-08-31T00:00:00Z' or 2016, within the plausible range. All its digits:
    '20161-01-01' is the year 20161 (refused), never 2016 (which matched the 2016 film asked for)."""
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and (found := re.match(r"^\+?(\d{4})(?!\d)", value)):
        year = int(found.group(1))
    else:
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def clean_runtime(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= RUNTIME_MAX:
        return round(value)
    return None


def clean_id(value: Any, pattern: re.Pattern[str]) -> str | None:
    return value if isinstance(value, str) and pattern.match(value) else None


def clean_tmdb_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**10 else None


def poster_url(path: Any) -> str | None:
    """TMDB's poster_path on its image CDN; a path of any other shape is dropped."""
    return f"{TMDB_IMAGE_BASE}{path}" if isinstance(path, str) and _POSTER_PATH.match(path) else None


def imdb_id(value: Any) -> str | None:
    return clean_id(value, _IMDB)


def wikidata_id(value: Any) -> str | None:
    return clean_id(value, _QID)


def letterboxd_id(value: Any) -> str | None:
    return clean_id(value, _LETTERBOXD)


# ------------------------------------------------------------------ links


def links(meta: FilmMetadata) -> list[tuple[str, str]]:
    """(site, URL) for every id known, built only from ids that passed their pattern."""
    found = []
    if meta.letterboxd_id and letterboxd_id(meta.letterboxd_id):
        found.append(("Letterboxd", f"https://letterboxd.com/film/{meta.letterboxd_id}/"))
    if meta.imdb_id and imdb_id(meta.imdb_id):
        found.append(("IMDb", f"https://www.imdb.com/title/{meta.imdb_id}/"))
    if meta.tmdb_id and clean_tmdb_id(meta.tmdb_id):
        found.append(("TMDB", f"https://www.themoviedb.org/movie/{meta.tmdb_id}"))
    if meta.wikidata_id and wikidata_id(meta.wikidata_id):
        found.append(("Wikidata", f"https://www.wikidata.org/wiki/{meta.wikidata_id}"))
    return found


def runtime_text(minutes: int) -> str:
    """128 → '2 h 8 min'; 45 → '45 min'."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"


def overview_parts(overview: str, film: str | None = None) -> tuple[str, str]:
    """(the set-up, the ending): a provider's overview cut before its first sentence the corpus's spoiler
    rules flag (a death, a marriage, a twist, the final scene…), read as one paragraph of a review of `film`.
    What follows that sentence goes with it: an overview that starts telling the ending goes on telling it."""
    sentences = split_sentences(" ".join(overview.split()))
    count = len(sentences)
    reasons = spoiler_reasons(sentences, [0] * count, [False] * count, [False] * count, film)
    first = next((index for index, reason in enumerate(reasons) if reason is not None), count)
    return " ".join(sentences[:first]), " ".join(sentences[first:])


# A club film found by one of a provider record's titles (`/film info` by an original title or alias): whether
# the record is that film, by the ids each holds (pure: cogs/films.py `club_film_of` asks).
def _id_pairs(film: Film, meta: FilmMetadata) -> tuple[tuple[object, object], ...]:
    return (film.tmdb_id, meta.tmdb_id), (film.imdb_id, meta.imdb_id), (film.wikidata_id, meta.wikidata_id)


def ids_agree(film: Film, meta: FilmMetadata) -> bool:
    """No provider id the club film already holds contradicts the record's: an alias shared by two films of one
    year never pins one film's card (and its stored metadata) onto the other."""
    return all(held is None or given is None or held == given for held, given in _id_pairs(film, meta))


def ids_prove(film: Film, meta: FilmMetadata) -> bool:
    """The record may be written onto the club film found by an alias: an id both hold agrees, or the film holds
    none yet. A film holding only ids the record lacks (a Wikidata id, and the record from TMDB, which often gives
    none) proves nothing either way, and its details may be another film's that shares the alias."""
    pairs = _id_pairs(film, meta)
    return any(held is not None and held == given for held, given in pairs) or all(held is None for held, _ in pairs)


def proven_titles(meta: FilmMetadata) -> list[str]:
    """The titles a record proved to be a club film gives it as other titles: its English title and, from TMDB,
    its original one (`aka` holds exactly that there; Wikidata's `aka` is any English alias, not kept)."""
    return [meta.title, *(meta.aka if meta.source == TMDB else ())]
