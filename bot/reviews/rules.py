"""What a moderator may put into the corpus: uploads, metadata and export/import documents.

Plain validation with no Discord or database access: every function either returns a clean value or
raises `UserError` with a message that names the limit and the value given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from typing import Any
from urllib.parse import urlsplit

from bot.core.films import OPTION_MAX, TITLE_YEAR, looks_like_unattributed_label
from bot.core.refusals import UserError
from bot.core.text import clip, inert
from bot.corpus import TaggedPassage, Theme, content_hash, process_review, strip_control
from bot.films.rules import title_problem

FILE_MAX_BYTES = 100 * 1024
FILE_EXTENSIONS = (".txt", ".md")
IMPORT_MAX_BYTES = 20 * 1024 * 1024
# "Title (Year)" is the autocomplete value users pick, and Discord caps a choice value at 100 characters.
# A review's film title has the catalogue's one limit (bot/core/films.OPTION_MAX, what /watchlist add takes): a film
# listed under a 150-character title gets reviews under it. Shown, it is clipped where it is shown, never stored so.
FILM_MAX = OPTION_MAX
_YEAR_SUFFIX = len(" (2016)")
NAME_MAX = 100
URL_MAX = 500
YEAR_RANGE = (1870, 2100)
EXPORT_FORMAT = "filmbot-reviews"
EXPORT_VERSION = 1
CLEAR = "-"  # typed in /review edit to clear an optional field

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$", re.ASCII)  # "٢٠١٦" would be stored as typed
# Bidi overrides/isolates, zero-width space and BOM: in a name they could disguise an attribution.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class ReviewMeta:
    """A review's metadata as a moderator gave it; None = unknown (never invented)."""

    film: str
    year: int | None = None
    critic: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    spoiler: bool = False


@dataclass(frozen=True)
class Prepared:
    """A review ready to store: its metadata, the text as received, hash and passages."""

    meta: ReviewMeta
    body: str
    body_hash: str
    passages: list[TaggedPassage]


DRAFT_GONE = "That preview was already saved or cancelled."  # a link preview's Save, Edit details or Cancel


def clean_field(value: str | None, label: str, limit: int) -> str | None:
    """Control characters out, whitespace collapsed; empty → None; too long → UserError."""
    if value is None:
        return None
    text = " ".join(_INVISIBLE.sub("", strip_control(value)).split())
    if len(text) > limit:
        raise UserError(f"The {label} is {len(text)} characters long; the limit is {limit}.")
    return text or None


def check_critic(value: str | None) -> str | None:
    """A critic's name; names shaped like "Unattributed review #N" are reserved for reviews without one."""
    name = clean_field(value, "critic name", NAME_MAX)
    if name and looks_like_unattributed_label(name):
        raise UserError(
            f"“{inert(name, 60)}” is how reviews without a byline are labelled: give the critic's real name,"
            " or leave `critic` empty."
        )
    return name


def check_url(value: str | None) -> str | None:
    """An absolute http(s) URL, or None when not given."""
    url = clean_field(value, "URL", URL_MAX)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[": an unclosed IPv6 bracket
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in url:
        raise UserError(
            f"“{inert(url, 100)}” is not a web address: use a link starting with http:// or https://."
        )
    return url


def check_date(value: str | None) -> str | None:
    """A publication date as YYYY, YYYY-MM or YYYY-MM-DD."""
    text = clean_field(value, "date", 40)
    if text is None:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        parts = [int(p) for p in text.split("-")] + [1, 1]
        Date(parts[0], parts[1], parts[2])
    except ValueError:
        raise UserError(
            f"“{inert(text, 20)}” is not a date I can store: use YYYY-MM-DD, e.g. 2016-12-09 (or just 2016)."
        ) from None
    low, high = YEAR_RANGE
    if not low <= parts[0] <= high:
        raise UserError(f"The date {text} is out of range: reviews are dated from {low} to {high}.")
    return text


def check_year(year: int | None) -> int | None:
    if year is None:
        return None
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise UserError(f"The year {year} is out of range: films are from {low} to {high}.")
    return year


def split_film(film: str | None, year: int | None) -> tuple[str, int | None]:
    """Title and year from `film` ("Title" or the autocomplete label "Title (2016)") and `year`."""
    title = clean_field(film, "film title", len(film or ""))  # cleaned first: the limit named is the title's
    if title is not None and len(title) > FILM_MAX + _YEAR_SUFFIX:  # too long even with a year: no regex over it
        raise UserError(f"The film title is {len(title)} characters long; the limit is {FILM_MAX}.")
    if title is None:
        raise UserError("Give the film's title, e.g. `film: Whiplash`.")
    match = TITLE_YEAR.match(title)
    if match and year is not None and int(match["year"]) != year:  # not a film called 'Suspiria (2018)' of 1977
        raise UserError(f"“{inert(title, 80)}” says {match['year']} but `year:` says {year}: give the year once.")
    if match:
        title, year = match["title"], int(match["year"])
    if len(title) > FILM_MAX:  # the title alone has the limit; its year is not part of it
        raise UserError(f"The film title is {len(title)} characters long; the limit is {FILM_MAX}.")
    # The catalogue's own rule (as /watchlist add and the bundle apply it): a review used to create a film
    # called "||Rosebud is a sled||", shown in clear in every film autocomplete, or "=cmd" for a spreadsheet.
    if problem := title_problem(title):
        raise UserError(f"I can't use that film title: {problem}.")
    return title, check_year(year)


def check_meta(
    film: str,
    year: int | None = None,
    critic: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    date: str | None = None,
    spoiler: bool = False,
) -> ReviewMeta:
    """All metadata of a new review, validated; the first problem found is raised."""
    title, year = split_film(film, year)
    return ReviewMeta(
        film=title,
        year=year,
        critic=check_critic(critic),
        outlet=clean_field(outlet, "outlet name", NAME_MAX),
        url=check_url(url),
        date=check_date(date),
        spoiler=spoiler,
    )


def check_upload(filename: str, size: int) -> None:
    """Before downloading: a .txt/.md file of at most FILE_MAX_BYTES."""
    name = filename or "file"
    if not name.lower().endswith(FILE_EXTENSIONS):
        raise UserError(f"“{inert(name, 80)}” is not a .txt or .md file: attach the review as plain text.")
    if size > FILE_MAX_BYTES:
        raise UserError(
            f"“{inert(name, 80)}” is {size:,} bytes; review files are limited to"
            f" {FILE_MAX_BYTES // 1024} KB ({FILE_MAX_BYTES:,} bytes)."
        )


def decode_upload(filename: str, data: bytes) -> str:
    """The text of a .txt/.md upload: UTF-8, at most FILE_MAX_BYTES, no binary content."""
    name = filename or "file"
    check_upload(name, len(data))
    if b"\x00" in data:
        raise UserError(f"“{inert(name, 80)}” looks like a binary file, not text: save it as UTF-8 text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"“{inert(name, 80)}” is not UTF-8 text (bad byte at position {exc.start}): save it as UTF-8."
        ) from None
    return check_text(text)


def check_text(text: str | None) -> str:
    """Review text with control characters removed; empty or whitespace-only → UserError."""
    cleaned = strip_control(text or "")
    if not cleaned.strip():
        raise UserError(
            "The review text is empty. Paste the review (up to 4,000 characters) or attach a .txt/.md file."
        )
    return cleaned


def prepare(meta: ReviewMeta, text: str, themes: dict[str, Theme]) -> Prepared:
    """Run the corpus pipeline; a text without a single quotable passage is refused."""
    body = check_text(text)
    passages = process_review(body, themes, meta.film, meta.year)
    if not any(p.quotable for p in passages):
        raise UserError(
            "That text has no quotable passage: I need whole sentences in paragraphs of prose"
            " (a passage is 40–450 characters). Headings, captions and lists alone are not quoted."
        )
    return Prepared(meta, body, content_hash(body), passages)


def themes_found(passages: list[TaggedPassage]) -> dict[str, int]:
    """Theme key → number of quotable passages tagged with it."""
    counts: dict[str, int] = {}
    for passage in passages:
        if passage.quotable:
            for theme in passage.themes:
                counts[theme] = counts.get(theme, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def export_document(items: list[dict[str, Any]]) -> bytes:
    """The versioned export file: {"format", "version", "reviews": [...]} as UTF-8 JSON."""
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "reviews": items}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_size(items: list[dict[str, Any]]) -> int:
    """About how many bytes these items add to an export file (their JSON as export_document writes it)."""
    return len(json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8"))


def export_chunk(items: list[dict[str, Any]]) -> bytes:
    """These items exactly as export_document writes them inside its "reviews" list (two levels in,
    joined by ",\n"): a file built chunk by chunk with `export_join` is byte for byte export_document's.
    JSON strings hold no raw newline (json escapes it), so re-indenting line by line is safe."""
    return ",\n".join(
        "    " + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ") for item in items
    ).encode("utf-8")


def _export_frame() -> tuple[bytes, bytes]:
    """export_document's bytes before its first item and after its last."""
    marker = "    0"
    framed = json.dumps({"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "reviews": [0]},
                        ensure_ascii=False, indent=2)
    head, tail = framed.split(marker)
    return head.encode("utf-8"), tail.encode("utf-8")


EXPORT_HEAD, EXPORT_TAIL = _export_frame()
EXPORT_JOIN = b",\n"


def export_join(chunks: list[bytes]) -> bytes:
    """The export file from its non-empty chunks (export_chunk), identical to export_document of their items."""
    if not chunks:
        return export_document([])
    return EXPORT_HEAD + EXPORT_JOIN.join(chunks) + EXPORT_TAIL


def export_file_size(chunk_sizes: int, chunks: int) -> int:
    """The exact size of export_join's file from the chunks' total size and their number."""
    return len(export_document([])) if not chunks else \
        len(EXPORT_HEAD) + chunk_sizes + len(EXPORT_JOIN) * (chunks - 1) + len(EXPORT_TAIL)


def check_import_size(size: int) -> None:
    if size > IMPORT_MAX_BYTES:
        raise UserError(
            f"The import file is {size:,} bytes; the limit is {IMPORT_MAX_BYTES // (1024 * 1024)} MB."
        )


def _why_not_json(exc: ValueError) -> str:
    """Where a moderator editing an export by hand should look, in words: never Python's own message
    ("Expecting value: line 1 column 1 (char 0)", "use sys.set_int_max_str_digits()")."""
    if isinstance(exc, json.JSONDecodeError):
        return f"(its first mistake is at line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return "(it is not UTF-8 text)"
    return "I can read (a number in it is too long)"


def parse_import(data: bytes) -> list[Any]:
    """The list of review items of an export file; a wrong file as a whole → UserError."""
    check_import_size(len(data))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except ValueError as exc:  # not UTF-8, not JSON, or a number over Python's 4,300 digits
        raise UserError(f"That file is not JSON {_why_not_json(exc)}. Use a file made by `/review export`.") from None
    except RecursionError:  # '[[[[…' a thousand deep: not an export, and json gives up with no JSONDecodeError
        raise UserError("That file is not an export (its JSON is nested too deeply): use a file made by"
                        " /review export.") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise UserError(f'That JSON is not a filmbot review export (expected "format": "{EXPORT_FORMAT}").')
    if document.get("version") != EXPORT_VERSION:
        raise UserError(
            f"Export version {inert(str(document.get('version')), 20)} is not supported;"
            f" I read version {EXPORT_VERSION}."
        )
    reviews = document.get("reviews")
    if not isinstance(reviews, list):
        raise UserError('The export has no "reviews" list.')
    return reviews


def check_item(item: Any, themes: dict[str, Theme]) -> Prepared:
    """One review of an import file, validated like `/review add`; problems → UserError."""
    if not isinstance(item, dict):
        raise UserError("not an object")
    for key in ("film", "critic", "outlet", "url", "date", "text"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise UserError(f"“{key}” must be text")
    year = item.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise UserError("“year” must be a whole number")
    if not isinstance(item.get("spoiler", False), bool):
        raise UserError("“spoiler” must be true or false")
    if not isinstance(item.get("text"), str):
        raise UserError("“text” is missing")
    if len(item["text"].encode("utf-8", "surrogatepass")) > FILE_MAX_BYTES:
        raise UserError(f"the text is over {FILE_MAX_BYTES // 1024} KB")
    meta = check_meta(
        item.get("film") or "",
        year,
        item.get("critic"),
        item.get("outlet"),
        item.get("url"),
        item.get("date"),
        bool(item.get("spoiler", False)),
    )
    return prepare(meta, item["text"], themes)


def check_items(
    raw_items: list[Any], themes: dict[str, Theme], checked: Callable[[int], None] | None = None
) -> tuple[list[Prepared], list[str]]:
    """Every item of an import file: (prepared reviews, one line per rejected item); `checked` hears
    how many items are done after each one (progress).

    Pure CPU work (cleaning, segmenting, tagging up to IMPORT_MAX_BYTES): callers run it off the
    event loop, in a thread.
    """
    prepared, rejected = [], []
    for number, item in enumerate(raw_items, start=1):
        try:
            prepared.append(check_item(item, themes))
        except UserError as error:
            film = item.get("film") if isinstance(item, dict) else None
            film = film if isinstance(film, str) else "?"
            rejected.append(clip(f"item {number} ({inert(film, 60)}): {error.message}", 300))
        if checked is not None:
            checked(number)
    return prepared, rejected


class DuplicateReview(UserError):
    """The same text (ignoring spacing, punctuation and case) is already stored."""

    def __init__(self, review_id: int) -> None:
        super().__init__(
            f"That text is already in the corpus as review #{review_id} (same words, ignoring spacing,"
            " punctuation and case). Nothing was added; use `/review edit` to fix its details."
        )
        self.review_id = review_id


class DuplicateLink(UserError):
    """The article at that URL (normalised) was already added from its link."""

    def __init__(self, review_id: int) -> None:
        super().__init__(
            f"That article is already in the corpus as review #{review_id} (same link, ignoring http/https,"
            " tracking parameters and a trailing slash). Nothing was added."
        )
        self.review_id = review_id
