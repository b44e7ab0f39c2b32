"""Load the bundled corpus (data/manifest.toml + data/corpus/) into SQLite, only when it changed."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.config import ConfigError
from bot.core.generation_store import CorpusGeneration
from bot.core.text import counted
from bot.corpus import Theme
from bot.corpus import bundle_store as sql
from bot.corpus.data_files import NotAFile, read_bounded
from bot.corpus.pool import Processed, TextPool
from bot.corpus.preview import InputError, review_bytes
from bot.films.rules import clean_title, title_problem, year_range

if TYPE_CHECKING:
    from bot.stores import Store

log = logging.getLogger(__name__)
BUNDLE_HASH_KEY = "bundled_corpus_hash"
BUNDLE_STAMP_KEY = "bundled_corpus_stamp"  # sizes and mtimes the stored hash was computed from


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    file: str
    film: str
    year: int | None
    critic: str | None
    outlet: str | None
    url: str | None
    date: str | None
    spoiler: bool


@dataclass
class ImportResult:
    unchanged: bool = False
    reviews_added: int = 0
    passages_added: int = 0
    reviews_updated: int = 0
    reviews_removed: int = 0
    skipped: list[str] = field(default_factory=list)
    write_seconds: float = 0.0  # inside write transactions (text processing overlaps them)

    def summary(self) -> str:
        if self.unchanged:
            return "Bundled corpus unchanged: imported 0 reviews, 0 passages."
        return (
            f"Imported {counted(self.reviews_added, 'review')}, {counted(self.passages_added, 'passage')}"
            f" ({self.reviews_updated} updated, {self.reviews_removed} removed)."
        )


class BundleError(ConfigError):
    """The bundled corpus (data/manifest.toml or a file it lists) cannot be imported: one line naming the file
    and what is wrong, found before anything is written."""


def read_manifest(data_dir: Path) -> list[ManifestEntry]:
    path = data_dir / "manifest.toml"
    try:
        raw = tomllib.loads(read_bounded(path).decode("utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"{path}: no such file (FILMBOT_DATA_DIR names the folder holding it)") from exc
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    except (OSError, NotAFile, tomllib.TOMLDecodeError) as exc:
        raise BundleError(f"{path}: {exc}") from exc
    except RecursionError as exc:  # arrays nested thousands deep: tomllib gives up with no TOMLDecodeError
        raise BundleError(f"{path}: not a manifest (its TOML is nested too deeply)") from exc
    items = raw.get("review", [])
    if not isinstance(items, list):
        raise BundleError(f"{path}: each review is a [[review]] table (two brackets)")
    this_year = datetime.now(UTC).year
    return [_entry(f"{path}: review {number}", item, this_year) for number, item in enumerate(items, 1)]


def _entry(where: str, item: object, this_year: int) -> ManifestEntry:
    """One [[review]] of the manifest, its types and values checked (a film's title and year as /watchlist add
    checks them), or BundleError naming it."""
    if not isinstance(item, dict):
        raise BundleError(f"{where}: not a [[review]] table")
    file, film = item.get("file"), item.get("film")
    if not isinstance(file, str) or not file.strip():
        raise BundleError(f'{where}: file must be the review file\'s path in quotes, e.g. "corpus/film/review.txt"')
    where = f"{where} ({file})"
    if not isinstance(film, str):
        raise BundleError(f"{where}: film must be the film's title in quotes")
    if problem := title_problem(clean_title(film)):
        raise BundleError(f"{where}: film: {problem}")
    year = item.get("year") or None
    if isinstance(year, str) and year.strip().isascii() and year.strip().isdigit():
        year = int(year)
    low, high = year_range(this_year)
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not low <= year <= high):
        raise BundleError(f"{where}: year must be a number from {low} to {high}")
    for key in ("critic", "outlet", "url"):
        if not isinstance(item.get(key, ""), str):
            raise BundleError(f"{where}: {key} must be text in quotes (\"\" when unknown)")
    spoiler = item.get("spoiler", False)
    if not isinstance(spoiler, bool):
        raise BundleError(f"{where}: spoiler must be true or false")
    return ManifestEntry(
        file=file,
        film=film,
        year=year,
        critic=item.get("critic") or None,
        outlet=item.get("outlet") or None,
        url=item.get("url") or None,
        date=str(item["date"]) if item.get("date") else None,
        spoiler=spoiler,
    )


def review_text(data_dir: Path, entry: ManifestEntry) -> bytes:
    """The bytes of a file the manifest lists, checked as `filmbot preview` checks a review (a file, UTF-8, no
    NUL byte, at most 1 MB), or BundleError naming it."""
    try:
        return review_bytes(data_dir / entry.file)
    except (InputError, OSError) as exc:
        raise BundleError(f"{data_dir / 'manifest.toml'}: review of {entry.film!r}: {exc}") from exc


def count_entries(data_dir: Path) -> int:
    """About how many reviews the manifest lists, without parsing it (sizes the worker pool)."""
    return read_bounded(data_dir / "manifest.toml").count(b"[[review]]")


def bundle_hash(data_dir: Path, themes_file: Path) -> str:
    """Hash of everything an import depends on: manifest, review files, themes and the pipeline code."""
    digest = hashlib.sha256()
    entries = read_manifest(data_dir)  # a missing or malformed manifest named in one line
    digest.update(read_bounded(data_dir / "manifest.toml"))
    for entry in entries:
        digest.update(entry.file.encode())
        digest.update(review_text(data_dir, entry))  # every file checked before the first chunk is written
    digest.update(read_bounded(themes_file))
    # A change to cleaning/segmentation/tagging must re-derive passages too.
    for source in sorted(resources.files("bot.corpus").iterdir(), key=lambda p: p.name):
        if source.name.endswith(".py"):
            digest.update(source.read_bytes())
    return digest.hexdigest()


def bundle_stamp(data_dir: Path, themes_file: Path) -> str:
    """Size and mtime of every file an import depends on: cheap (stat only), so a start with an
    unchanged bundle skips reading and hashing every review file."""
    digest = hashlib.sha256()
    code = [Path(str(p)) for p in resources.files("bot.corpus").iterdir() if p.name.endswith(".py")]
    stamps = sorted(_file_stamps(str(data_dir)))
    stamps += [(str(path), path.stat()) for path in [themes_file, *sorted(code)]]
    for path, info in stamps:
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _file_stamps(folder: str) -> list[tuple[str, os.stat_result]]:
    """(path, stat) of every file below folder. scandir knows a file from a folder without a syscall,
    so this is one stat per file (rglob + is_file + stat took two, and ~25 % of a 10k-review start)."""
    out: list[tuple[str, os.stat_result]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                out += _file_stamps(entry.path)
            elif entry.is_file():
                out.append((entry.path, entry.stat()))
    return out


CHUNK = 256  # reviews read, processed, written and committed together: memory stays flat in size
PROGRESS_KEY = "bundled_import_progress"  # "<bundle hash> <manifest entries done>" while an import runs

Film = tuple[str, int | None]  # (title, year): selects the film's own themes
Progress = Callable[[int, int], None]  # (manifest entries done, total): at the start, after every chunk


@dataclass(frozen=True)
class Resume:
    bundle: str  # the bundle hash the interrupted import was bringing in
    done: int  # manifest entries written and committed

    @classmethod
    def parse(cls, value: str | None) -> Resume | None:
        bundle, _, done = (value or "").partition(" ")
        return cls(bundle, int(done)) if done.isdigit() else None

    def __str__(self) -> str:
        return f"{self.bundle} {self.done}"


async def import_bundled(
    store: Store, data_dir: Path, themes: dict[str, Theme], themes_file: Path, *, force: bool = False,
    progress: Progress | None = None, chunk: int = CHUNK,
) -> ImportResult:
    """Bring the database in line with the bundled files; no-op when unchanged.

    Streams: `chunk` reviews at a time are read, processed (on worker processes for big imports)
    and committed with the position reached, so memory stays flat whatever the bundle's size and
    an import killed part-way continues where it stopped on the next start or `filmbot import`.
    Removals, the retag of moderator reviews and the "imported" mark come last, in one transaction.
    """
    # Every file read and hash runs in a thread: a big bundle must not stall the event loop.
    stamp = await asyncio.to_thread(bundle_stamp, data_dir, themes_file)
    stored = await store.meta.get(BUNDLE_HASH_KEY)
    resume = Resume.parse(await store.meta.get(PROGRESS_KEY))
    unfinished = resume is not None  # an interrupted import is always finished, changed bundle or not
    if not force and not unfinished and stored is not None and await store.meta.get(BUNDLE_STAMP_KEY) == stamp:
        return ImportResult(unchanged=True)  # same sizes and mtimes: no need to re-hash
    current = await asyncio.to_thread(bundle_hash, data_dir, themes_file)
    if not force and not unfinished and stored == current:
        async with store.db.transaction() as conn:  # touched but unchanged: remember the new stamp
            await sql.set_meta(conn, BUNDLE_STAMP_KEY, stamp)
        return ImportResult(unchanged=True)
    result = ImportResult()
    # Same bundle: the committed chunks are up to date. A changed one starts over (each entry is
    # matched by its file, so what the interrupted run wrote is updated, never doubled).
    start = resume.done if resume is not None and resume.bundle == current else 0
    moderator_ids = await sql.moderator_review_ids(store.db)
    # The workers fork before the manifest is parsed: they need none of it, and each would count
    # (and could copy) every page the parent holds at that moment.
    listed = await asyncio.to_thread(count_entries, data_dir)
    async with TextPool(themes, listed - start + len(moderator_ids)) as pool:
        manifest = await asyncio.to_thread(read_manifest, data_dir)
        suppressed = await sql.suppressed_keys(store.db)

        async def prepare(first: int) -> tuple[list[ManifestEntry], list[str], list[Processed]]:
            entries = [e for e in manifest[first : first + chunk] if e.file not in suppressed]
            bodies = await asyncio.to_thread(lambda: [review_text(data_dir, e).decode("utf-8") for e in entries])
            moved = await sql.locked_films(store.db, [e.file for e in entries])  # a moderator's film wins
            films = [moved.get(e.file, (e.film, e.year)) for e in entries]
            return entries, bodies, await pool.process([(b, *film) for b, film in zip(bodies, films)])

        if progress is not None:
            progress(start, len(manifest))  # where this run starts (past the chunks already committed)
        # One chunk is processed while the previous one is written: the pool and the database overlap.
        firsts = range(start, len(manifest), chunk)
        upcoming = asyncio.ensure_future(prepare(firsts[0])) if firsts else None
        try:
            for first in firsts:
                assert upcoming is not None
                entries, bodies, processed = await upcoming
                following = first + chunk
                upcoming = asyncio.ensure_future(prepare(following)) if following < len(manifest) else None
                started = time.perf_counter()
                async with store.db.corpus_transaction() as conn:
                    await CorpusGeneration.bump(conn)  # other processes' corpus caches follow
                    await sql.write_chunk(conn, entries, bodies, processed, result)
                    await sql.set_meta(conn, PROGRESS_KEY, str(Resume(current, min(following, len(manifest)))))
                result.write_seconds += time.perf_counter() - started
                if progress is not None:
                    progress(min(following, len(manifest)), len(manifest))
        finally:
            if upcoming is not None and not upcoming.done():
                upcoming.cancel()
        # New theme phrases reach moderator reviews too (their texts and passages are never rewritten).
        for first in range(0, len(moderator_ids), chunk):
            rows = await sql.moderator_bodies(store.db, moderator_ids[first : first + chunk])
            retagged = await pool.process([(row[1], row[2], row[3]) for row in rows])
            async with store.db.corpus_transaction() as conn:
                await CorpusGeneration.bump(conn)  # other processes' corpus caches follow
                await sql.retag_moderator_reviews(conn, [(row[0], passages) for row, (passages, _) in zip(rows, retagged)])
    started = time.perf_counter()
    async with store.db.corpus_transaction() as conn:
        await CorpusGeneration.bump(conn)  # other processes' corpus caches follow
        result.reviews_removed = await sql.remove_missing(conn, {e.file for e in manifest})
        await store.corpus.apply_overrides(conn)  # moderators' tag corrections win over every retag
        await sql.set_meta(conn, BUNDLE_HASH_KEY, current)
        await sql.set_meta(conn, BUNDLE_STAMP_KEY, stamp)
        await sql.delete_meta(conn, PROGRESS_KEY)
    result.write_seconds += time.perf_counter() - started
    log.info(result.summary())
    return result
