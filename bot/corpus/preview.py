"""`filmbot preview`: how review files (or review pages, by URL) would be cut into passages and tagged.

Pure text work (no bot, no database), so moderators can check a review file, a link before
`/review add-link`, or a change to data/themes.toml, before importing anything. A URL is fetched
with the bot's own rules (bot.core.fetch: public http/https pages only, FILMBOT_FETCH_ALLOW, limits).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from bot.corpus import process_review
from bot.corpus.reasons import Refusal, SpoilerReason
from bot.corpus.themes import Theme, load_themes
from bot.films.rules import year_range

DEFAULT_THEMES = Path(__file__).resolve().parents[2] / "data" / "themes.toml"
MAX_BYTES = 1024 * 1024  # a review is a few KB; a bigger file is the wrong file


class InputError(Exception):
    """A file that cannot be previewed; the message is one line for stderr."""


def preview(
    text: str, themes: dict[str, Theme], film: str | None, year: int | None, *, review_spoiler: bool = False
) -> list[dict[str, Any]]:
    """One dict per passage: paragraph (0-based, as stored), text, quotable, refusal (why not quotable:
    a bot/corpus/reasons.py Refusal key, None when quotable), theme keys, spoiler and spoiler_reason (a
    SpoilerReason key, None when not a spoiler). Every passage has its themes, quotable or not."""
    marked = SpoilerReason.REVIEW_MARKED.value if review_spoiler else None
    out = []
    for p in process_review(text, themes, film, year):
        reason = p.spoiler.value if p.spoiler is not None else marked
        out.append({
            "paragraph": p.paragraph,
            "text": p.text,
            "quotable": p.quotable,
            "refusal": p.refusal.value if p.refusal is not None else None,
            "themes": list(p.themes),
            "spoiler": reason is not None,
            "spoiler_reason": reason,
        })
    return out


def shown(path: str | Path) -> str:
    """A path as printable text: bytes of a file name that are not UTF-8 appear as \\xNN, not as a crash."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_review(path: Path) -> str:
    """The file's text, or InputError saying in one line why it cannot be a review."""
    text = review_bytes(path).decode("utf-8-sig")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text


def review_bytes(path: Path) -> bytes:
    """The bytes of a review file that are UTF-8 text of at most 1 MB without NUL bytes, or InputError saying
    in one line why not (also the bundled import's check of every file its manifest lists)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, give the review files inside it")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}: larger than 1 MB, not a review text")
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # the size may change after stat(): never read more
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than 1 MB, not a review text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's byte-order marks: its NUL bytes are not binary
        raise InputError(f"{path}: UTF-16 text, expected UTF-8: save it as UTF-8")
    if b"\0" in data:
        raise InputError(f"{path}: binary file (NUL bytes), expected UTF-8 text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8") from exc
    return data


def is_url(path: str) -> bool:
    """A PATH that names a web address (any scheme://): fetched, never opened as a file."""
    return "://" in path and bool(urlsplit(path).scheme)


def read_page(url: str) -> tuple[str, str]:
    """(text, one line of what the page states) of a review page, fetched and extracted with the bot's
    rules; InputError with one line when it cannot be one."""
    import asyncio

    from bot.core.config import ConfigError, Settings
    from bot.core.fetch import FetchPolicy, fetch_page
    from bot.core.refusals import UserError
    from bot.corpus.article import extract_article

    try:
        policy = FetchPolicy.from_settings(Settings.from_env())
        fetched = asyncio.run(fetch_page(url, policy))
    except (UserError, ConfigError) as exc:
        raise InputError(f"{url}: {getattr(exc, 'message', exc)}") from exc
    article = extract_article(fetched.body, fetched.content_type, fetched.charset, fetched.url)
    if article.refusal:
        raise InputError(f"{url}: {article.refusal}")
    stated = (f"critic: {article.author or '- (unattributed)'}; outlet: {article.sitename or '-'};"
              f" date: {article.date or '-'}; title: {article.title or '-'}")
    return article.text, stated


def _listing(path: str, passages: list[dict[str, Any]], out: TextIO, stated: str | None = None) -> None:
    """Readable per-passage listing of one file (or page)."""
    # "1 passage": bot.core.text.counted's rule, written out here since bot.corpus imports only the stdlib.
    print(f"== {shown(path)}: {len(passages)} passage{'' if len(passages) == 1 else 's'}", file=out)
    if stated:
        print(f"   {stated}", file=out)
    for p in passages:
        flags = "quotable" if p["quotable"] else f"not quotable: {Refusal(p['refusal']).label}"
        tags = ", ".join(p["themes"]) or "-"
        spoiler = f"  [spoiler: {SpoilerReason(p['spoiler_reason']).label}]" if p["spoiler_reason"] else ""
        print(f"[paragraph {p['paragraph'] + 1}] {flags}; themes: {tags}{spoiler}", file=out)
        print(f"    {p['text']}", file=out)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Declare the preview options on `parser` (the `filmbot preview` subparser or a standalone one)."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="review text file(s), UTF-8, or review page URL(s) (http/https, fetched)")
    parser.add_argument("--film", help="the film the reviews are about (its own themes apply)")
    parser.add_argument("--year", type=int, help="the film's year, when titles are shared")
    parser.add_argument("--json", action="store_true", help="print one JSON array of passages")
    parser.add_argument(
        "--spoiler", action="store_true", help="the reviews are marked spoiler throughout (as /review add spoiler)"
    )
    parser.add_argument("--themes", type=Path, default=DEFAULT_THEMES, help="themes file (default: data/themes.toml)")
    parser.set_defaults(func=run_parsed)
    return parser


def run_parsed(args: argparse.Namespace) -> int:
    """Run the preview for parsed arguments; 2 with one stderr line on bad input."""
    try:
        themes = load_themes(args.themes)
    except (OSError, ValueError) as exc:
        print(f"filmbot preview: cannot load themes from {args.themes}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    low, high = year_range(datetime.now(UTC).year)
    if args.year is not None and not low <= args.year <= high:
        print(f"filmbot preview: --year {args.year} is not a film year: use one from {low} to {high}", file=sys.stderr)
        return 2
    if any(is_url(path) for path in args.paths) and getattr(args, "env_file", None):
        from dotenv import load_dotenv

        load_dotenv(args.env_file)  # FILMBOT_FETCH_ALLOW, as the bot reads it
    try:  # every file is checked before anything is printed: --json output is all or nothing
        texts = [(path, *(read_page(path) if is_url(path) else (read_review(Path(path)), None)))
                 for path in args.paths]
    except (InputError, OSError) as exc:
        print(shown(f"filmbot preview: {exc}".splitlines()[0]), file=sys.stderr)
        return 2
    results = [
        (path, preview(text, themes, args.film, args.year, review_spoiler=args.spoiler), stated)
        for path, text, stated in texts
    ]
    if args.json:
        json.dump([p for _, passages, _ in results for p in passages], sys.stdout)
        sys.stdout.write("\n")
    else:
        for path, passages, stated in results:
            _listing(path, passages, sys.stdout, stated)
    return 0
