"""`/review add-link`'s pure rules: which film a fetched page is about, and what of its metadata is kept.

Nothing is invented: a page without a byline gives no critic (the review is stored unattributed), a
page without a site name gives no outlet, a date that is not a date is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from bot.core.refusals import UserError
from bot.core.text import inert
from bot.corpus.article import Article
from bot.films.rules import Film, norm_key, title_problem
from bot.reviews.rules import (
    FILE_MAX_BYTES,
    FILM_MAX,
    NAME_MAX,
    URL_MAX,
    ReviewMeta,
    check_critic,
    check_date,
    check_year,
    clean_field,
    split_film,
)

_YEAR = re.compile(r"\((?P<year>(18|19|20)\d{2})\)")
_QUOTED = re.compile(r"[‘“'\"«]\s*(?P<title>[^‘’“”'\"«»]{1,90}?)\s*[’”'\"»]")
_REVIEW_PREFIX = re.compile(r"^\s*(?:film\s+)?(?:review|critique|kritik|crítica)\s*[:\-–—]\s*(?P<title>.+)$", re.IGNORECASE)
_REVIEW_SUFFIX = re.compile(r"^\s*(?P<title>.+?)\s*(?:\((?:18|19|20)\d{2}\)\s*)?(?:film\s+)?(?:review\b|★|☆|\d/\d)", re.IGNORECASE)
_SITE_TAIL = re.compile(r"\s+[|–—·•-]\s+.*$")
_STARS = re.compile(r"[★☆✩✪✫✬✭✮✯✰⭐]+")


@dataclass(frozen=True)
class FilmGuess:
    title: str
    year: int | None
    how: str  # "chosen", "catalogue", "page data", "headline"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def fits_year(year: int | None, page_year: int | None) -> bool:
    return page_year is None or year in (None, page_year)


def film_from_page(
    page_title: str | None, page_film: str | None, films: list[tuple[str, int | None]]
) -> FilmGuess | None:
    """The film a page reviews: a catalogue film named in its title (the longest), the film its
    structured data names, or a title in quotes / before "review" in its headline; None if none."""
    title = page_title or ""
    padded = f" {_norm(title)} "
    year_match = _YEAR.search(title)
    page_year = int(year_match["year"]) if year_match else None
    best: tuple[str, int | None] | None = None
    for film, year in films:
        key = _norm(film)
        fits = key and f" {key} " in padded and fits_year(year, page_year)
        if fits and (best is None or len(key) > len(_norm(best[0]))):
            best = (film, year)
    if best is not None:
        # Remakes: the page names a title several catalogue films share, and no year tells which one.
        alike = sorted({year for film, year in films if _norm(film) == _norm(best[0]) and fits_year(year, page_year)},
                       key=lambda y: y or 0)
        if page_year is not None and page_year in alike:
            return FilmGuess(best[0], page_year, "catalogue")
        if len(alike) > 1:
            labels = ", ".join(f"{best[0]} ({y})" if y else best[0] for y in alike)
            raise UserError(f"The page “{inert(title, 120)}” names a title several films share ({inert(labels, 300)}):"
                            " run the command again with `film:` to say which one it reviews.")
        return FilmGuess(best[0], best[1], "catalogue")
    if page_film and (name := _page_title(page_film)):
        return FilmGuess(name, page_year, "page data")
    headline = _STARS.sub(" ", _SITE_TAIL.sub("", title)).strip()
    for pattern in (_QUOTED, _REVIEW_PREFIX, _REVIEW_SUFFIX):
        match = pattern.search(headline)
        if match:
            name = _YEAR.sub("", match["title"]).strip(" ,:;–—-")
            name = re.split(r"\s*[,:–—]\s+", name)[0] if pattern is _REVIEW_PREFIX else name
            if _page_title(name):
                return FilmGuess(name, page_year, "headline")
    return None


def _page_title(value: str) -> str | None:
    """A film title a page states, cleaned; None when it could not be one (over FILM_MAX characters, or what the
    catalogue refuses: `||` bars, a leading @ or =, a film:<id>): the page's own words, never a refusal of
    the moderator's command (a 500-character name said "The film title is 500 characters long")."""
    name = _optional(lambda v: clean_field(v, "film title", FILM_MAX), value)
    return name if name and not title_problem(name) else None


def check_article_size(text: str) -> None:
    size = len(text.encode("utf-8"))
    if size > FILE_MAX_BYTES:
        raise UserError(
            f"The article text is {size:,} bytes; reviews are limited to {FILE_MAX_BYTES // 1024} KB."
            " Is that link a single review?"
        )


def _optional(check: Any, value: str | None) -> str | None:
    """A page's own value, cleaned, or None when it does not pass (never a made-up replacement)."""
    try:
        return check(value)
    except UserError:
        return None


def page_date(value: str | None) -> str | None:
    """The page's publication date as YYYY-MM-DD (or shorter), None when it is not one."""
    return _optional(check_date, (value or "")[:10] or None)


def link_meta(
    article: Article, film: FilmGuess, url: str, *, year: int | None, spoiler: bool
) -> ReviewMeta:
    """What would be stored: the page's own byline, site name and date; the film guessed or chosen."""
    return ReviewMeta(
        film=film.title,
        year=check_year(year) if year is not None else film.year,
        critic=_optional(check_critic, article.author),
        outlet=_optional(lambda v: clean_field(v, "outlet", NAME_MAX), article.sitename),
        url=url if len(url) <= URL_MAX else None,
        date=page_date(article.date),
        spoiler=spoiler,
    )


def chosen_film(film: str, year: int | None) -> FilmGuess:
    title, year = split_film(film, year)
    return FilmGuess(title, year, "chosen")


@dataclass(frozen=True)
class PageFacts:
    """What the page said that the preview must repeat: the film its data names, and its next page."""

    film: str | None = None
    film_year: int | None = None
    continues: str | None = None

    @classmethod
    def of(cls, article: Article) -> PageFacts:
        return cls(article.film, article.film_year, article.continues)


def draft_meta(meta: ReviewMeta, *, how: str, fetched_at: str, url_key: str, page_title: str | None,
               page: PageFacts | None = None) -> dict[str, Any]:
    """A link preview's draft row: the review's metadata plus where it came from."""
    return {"meta": asdict(meta), "how": how, "fetched_at": fetched_at, "url_key": url_key,
            "page_title": page_title, "page": asdict(page or PageFacts())}


def page_warnings(meta: ReviewMeta, page: PageFacts) -> list[str]:
    """What the preview says before Save about a page that is not what the moderator may think: its data names
    another film than the one that would be stored, or the review goes on over another page (stored partly)."""
    warnings = []
    if page.film and (norm_key(page.film) != norm_key(meta.film)
                      or None not in (meta.year, page.film_year) and meta.year != page.film_year):
        named = f"{page.film} ({page.film_year})" if page.film_year else page.film
        warnings.append(f"⚠️ The page's own data says it reviews *{inert(named, 120)}*, not the film above:"
                        " check the link, or press Edit details, before Save.")
    if page.continues:
        warnings.append("⚠️ Partial: this review goes on over another page (“Page 2”); only this page's text"
                        " would be stored. To keep all of it, paste the whole review with `/review add`.")
    return warnings


def edited_meta(meta: ReviewMeta, fields: dict[str, str]) -> ReviewMeta:
    """Edit details' form values over the preview's: an emptied critic/outlet/date is cleared."""
    title, year = split_film(fields.get("film") or "", None)
    critic = fields.get("critic", "")
    return ReviewMeta(
        film=title,
        year=year,
        critic=check_critic(critic) if critic.strip() else None,
        outlet=clean_field(fields.get("outlet"), "outlet name", NAME_MAX),
        url=meta.url,
        date=check_date(fields.get("date") or None),
        spoiler=meta.spoiler,
    )


def names_film(title: str, year: int | None, film: Film) -> bool:
    """True when a draft's film may be `film` (the one the server's gate holds back): the same catalogue key,
    and the same year when both have one. On the safe side: a yearless title names every film of that title."""
    return norm_key(title) == film.norm_key and (year is None or film.year is None or year == film.year)
