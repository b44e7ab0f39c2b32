"""Load the bundled corpus (data/manifest.toml + data/corpus/) into SQLite, only when it changed."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import multiprocessing
import os
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bot.corpus import TaggedPassage, Theme, content_hash, process_review
from bot.corpus import bundle_store as sql
from bot.stores import Store

log = logging.getLogger(__name__)
BUNDLE_HASH_KEY = "bundled_corpus_hash"
BUNDLE_STAMP_KEY = "bundled_corpus_stamp"  # sizes and mtimes the stored hash was computed from


@dataclass(frozen=True)
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
    process_seconds: float = 0.0  # cleaning, segmentation, tagging (pure CPU)
    write_seconds: float = 0.0  # the one transaction

    def summary(self) -> str:
        if self.unchanged:
            return "Bundled corpus unchanged: imported 0 reviews, 0 passages."
        return (
            f"Imported {self.reviews_added} reviews, {self.passages_added} passages"
            f" ({self.reviews_updated} updated, {self.reviews_removed} removed)."
        )


def read_manifest(data_dir: Path) -> list[ManifestEntry]:
    raw = tomllib.loads((data_dir / "manifest.toml").read_text(encoding="utf-8"))
    entries = []
    for item in raw.get("review", []):
        entries.append(
            ManifestEntry(
                file=item["file"],
                film=item["film"],
                year=item.get("year") or None,
                critic=item.get("critic") or None,
                outlet=item.get("outlet") or None,
                url=item.get("url") or None,
                date=str(item["date"]) if item.get("date") else None,
                spoiler=bool(item.get("spoiler", False)),
            )
        )
    return entries


def bundle_hash(data_dir: Path, themes_file: Path) -> str:
    """Hash of everything an import depends on: manifest, review files, themes and the pipeline code."""
    digest = hashlib.sha256()
    digest.update((data_dir / "manifest.toml").read_bytes())
    for entry in read_manifest(data_dir):
        digest.update(entry.file.encode())
        digest.update((data_dir / entry.file).read_bytes())
    digest.update(themes_file.read_bytes())
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
    files = sorted(p for p in data_dir.rglob("*") if p.is_file()) + [themes_file] + sorted(code)
    for path in files:
        info = path.stat()
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


PARALLEL_FROM = 400  # reviews: below this, starting worker processes costs more than it saves


Film = tuple[str | None, int | None]  # (title, year): selects the film's own themes


def process_many(
    bodies: list[str], themes: dict[str, Theme], films: list[Film] | None = None
) -> list[list[TaggedPassage]]:
    """clean → segment → tag every body (films: its (title, year), for film-specific themes);
    on several cores for big imports (it is pure CPU work)."""
    titles, years = zip(*films) if films else ([None] * len(bodies), [None] * len(bodies))
    workers = min(os.cpu_count() or 1, 8)
    if len(bodies) < PARALLEL_FROM or workers < 2:
        return [process_review(body, themes, t, y) for body, t, y in zip(bodies, titles, years, strict=True)]
    # fork: workers only run pure text code (no locks, no logging), and need no __main__ guard
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(process_review, bodies, itertools.repeat(themes), titles, years, chunksize=64))


def _process_and_hash(
    bodies: list[str], themes: dict[str, Theme], films: list[Film]
) -> tuple[list[list[TaggedPassage]], list[str]]:
    return process_many(bodies, themes, films), [content_hash(body) for body in bodies]


async def import_bundled(
    store: Store, data_dir: Path, themes: dict[str, Theme], themes_file: Path, *, force: bool = False
) -> ImportResult:
    """Bring the database in line with the bundled files in one transaction; no-op when unchanged."""
    # Every file read and hash runs in a thread: a big bundle must not stall the event loop.
    stamp = await asyncio.to_thread(bundle_stamp, data_dir, themes_file)
    stored = await store.meta.get(BUNDLE_HASH_KEY)
    if not force and stored is not None and await store.meta.get(BUNDLE_STAMP_KEY) == stamp:
        return ImportResult(unchanged=True)  # same sizes and mtimes: no need to re-hash
    current = await asyncio.to_thread(bundle_hash, data_dir, themes_file)
    if not force and stored == current:
        async with store.db.transaction() as conn:  # touched but unchanged: remember the new stamp
            await sql.set_meta(conn, BUNDLE_STAMP_KEY, stamp)
        return ImportResult(unchanged=True)
    result = ImportResult()
    manifest = await asyncio.to_thread(read_manifest, data_dir)
    suppressed = await sql.suppressed_keys(store.db)
    entries = [entry for entry in manifest if entry.file not in suppressed]
    bodies = await asyncio.to_thread(lambda: [(data_dir / e.file).read_text(encoding="utf-8") for e in entries])
    moderator = await sql.moderator_bodies(store.db)
    # Text processing (and hashing) happens before the transaction: the write lock is held only to write.
    started = time.perf_counter()
    # In a thread (the pool, if any, is driven from there): the loop keeps serving meanwhile.
    films: list[Film] = [(entry.film, entry.year) for entry in entries]
    processed, hashes = await asyncio.to_thread(_process_and_hash, bodies, themes, films)
    retagged_passages = await asyncio.to_thread(
        process_many, [row[1] for row in moderator], themes, [(row[2], row[3]) for row in moderator]
    )
    retagged = list(zip([row[0] for row in moderator], retagged_passages, strict=True))
    result.process_seconds = time.perf_counter() - started
    started = time.perf_counter()
    async with store.db.corpus_transaction() as conn:
        existing, known = await sql.existing_bundled(conn)
        fresh = []
        for entry, body, body_hash, passages in zip(entries, bodies, hashes, processed, strict=True):
            if entry.file in existing:
                await sql.update_entry(conn, existing[entry.file], entry, body, body_hash, passages)
                result.reviews_updated += 1
            elif body_hash in known:
                result.skipped.append(entry.file)  # a moderator already added the same text
            else:
                known.add(body_hash)
                fresh.append((entry, body, body_hash, passages))
        await sql.insert_fresh(conn, fresh, result)
        result.reviews_removed = await sql.remove_missing(conn, {e.file for e in manifest})
        await sql.retag_moderator_reviews(conn, retagged)
        await store.corpus.apply_overrides(conn)  # moderators' tag corrections win over every retag
        await sql.set_meta(conn, BUNDLE_HASH_KEY, current)
        await sql.set_meta(conn, BUNDLE_STAMP_KEY, stamp)
    result.write_seconds = time.perf_counter() - started
    log.info(result.summary())
    return result
