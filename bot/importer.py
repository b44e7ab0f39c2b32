"""Load the bundled corpus (data/manifest.toml + data/corpus/) into SQLite, only when it changed."""

from __future__ import annotations

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

import aiosqlite

from bot.corpus import TaggedPassage, Theme, content_hash, process_review
from bot.store import Store
from bot.store.base import utc_now_iso
from bot.store.corpus import CorpusWriter

log = logging.getLogger(__name__)
BUNDLE_HASH_KEY = "bundled_corpus_hash"


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


PARALLEL_FROM = 400  # reviews: below this, starting worker processes costs more than it saves


def process_many(
    bodies: list[str], themes: dict[str, Theme], films: list[tuple[str | None, int | None]] | None = None
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


async def import_bundled(
    store: Store, data_dir: Path, themes: dict[str, Theme], themes_file: Path, *, force: bool = False
) -> ImportResult:
    """Bring the database in line with the bundled files in one transaction; no-op when unchanged."""
    current = bundle_hash(data_dir, themes_file)
    if not force and await store.meta.get(BUNDLE_HASH_KEY) == current:
        return ImportResult(unchanged=True)
    result = ImportResult()
    manifest = read_manifest(data_dir)
    suppressed = {row[0] for row in await store.db.fetchall("SELECT source_key FROM bundled_suppressed")}
    entries = [entry for entry in manifest if entry.file not in suppressed]
    bodies = [(data_dir / entry.file).read_text(encoding="utf-8") for entry in entries]
    # Text processing (and hashing) happens before the transaction: the write lock is held only to write.
    started = time.perf_counter()
    processed = process_many(bodies, themes, [(entry.film, entry.year) for entry in entries])
    hashes = [content_hash(body) for body in bodies]
    result.process_seconds = time.perf_counter() - started
    started = time.perf_counter()
    async with store.db.transaction() as conn:
        async with conn.execute(
            "SELECT source_key, id, body_hash, attribution_locked FROM reviews WHERE source_key IS NOT NULL"
        ) as cur:
            existing = {row[0]: tuple(row[1:]) for row in await cur.fetchall()}
        async with conn.execute("SELECT body_hash FROM reviews") as cur:
            known = {row[0] for row in await cur.fetchall()}
        fresh = []
        for entry, body, body_hash, passages in zip(entries, bodies, hashes, processed, strict=True):
            if entry.file in existing:
                await _update_entry(conn, existing[entry.file], entry, body, body_hash, passages)
                result.reviews_updated += 1
            elif body_hash in known:
                result.skipped.append(entry.file)  # a moderator already added the same text
            else:
                known.add(body_hash)
                fresh.append((entry, body, body_hash, passages))
        await _insert_fresh(conn, fresh, result)
        result.reviews_removed = await _remove_missing(conn, {e.file for e in manifest})
        await _retag_moderator_reviews(conn, themes)
        await conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (BUNDLE_HASH_KEY, current),
        )
    result.write_seconds = time.perf_counter() - started
    log.info(result.summary())
    return result


async def _insert_fresh(conn: aiosqlite.Connection, fresh: list, result: ImportResult) -> None:
    """New bundled reviews in a few executemany batches (ids assigned here) instead of row by row."""
    if not fresh:
        return
    films = await _film_ids(conn, {(entry.film, entry.year) for entry, *_ in fresh})
    added_at = utc_now_iso()
    await conn.executemany(
        "INSERT INTO reviews(film_id, critic, outlet, url, published, spoiler, body, body_hash, source,"
        " source_key, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bundled', ?, ?)",
        [
            (films[(e.film, e.year)], e.critic, e.outlet, e.url, e.date, int(e.spoiler), body, body_hash,
             e.file, added_at)
            for e, body, body_hash, _ in fresh
        ],
    )
    async with conn.execute("SELECT source_key, id FROM reviews WHERE source = 'bundled'") as cur:
        review_ids = {row[0]: row[1] for row in await cur.fetchall()}
    # Past the highest id ever used (AUTOINCREMENT's counter too), so no removed passage's id returns.
    async with conn.execute(
        "SELECT max(coalesce((SELECT max(id) FROM passages), 0),"
        " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0))"
    ) as cur:
        (next_id,) = await cur.fetchone()
    passage_rows, theme_rows = [], []
    for entry, _, _, passages in fresh:
        for passage in passages:
            next_id += 1
            passage_rows.append(
                (next_id, review_ids[entry.file], passage.ordinal, passage.paragraph, passage.text,
                 int(passage.quotable))
            )
            theme_rows += [(next_id, theme, score) for theme, score in passage.themes.items()]
    await conn.executemany(
        "INSERT INTO passages(id, review_id, ordinal, paragraph, text, quotable) VALUES (?, ?, ?, ?, ?, ?)",
        passage_rows,
    )
    await conn.executemany("INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, ?)", theme_rows)
    result.reviews_added += len(fresh)
    result.passages_added += len(passage_rows)


async def _film_ids(conn: aiosqlite.Connection, wanted: set[tuple[str, int | None]]) -> dict:
    """(title, year) → film id for every wanted film, creating the missing ones in one batch."""
    async with conn.execute("SELECT id, title, year FROM films") as cur:
        known = {(row[1].casefold(), row[2]): row[0] for row in await cur.fetchall()}
    missing = sorted({key for key in wanted if (key[0].casefold(), key[1]) not in known}, key=str)
    seen: set[tuple[str, int | None]] = set()
    rows = []
    for title, year in missing:  # titles differing only in case are one film (films.title is NOCASE)
        if (title.casefold(), year) not in seen:
            seen.add((title.casefold(), year))
            rows.append((title, year))
    await conn.executemany("INSERT INTO films(title, year) VALUES (?, ?)", rows)
    if rows:
        async with conn.execute("SELECT id, title, year FROM films") as cur:
            known = {(row[1].casefold(), row[2]): row[0] for row in await cur.fetchall()}
    return {key: known[(key[0].casefold(), key[1])] for key in wanted}


async def _update_entry(
    conn: aiosqlite.Connection, existing: tuple, entry: ManifestEntry, body: str, body_hash: str,
    passages: list[TaggedPassage],
) -> None:
    review_id, old_hash, locked = existing
    if not locked:
        film_id = await CorpusWriter.film_id(conn, entry.film, entry.year)
        await conn.execute(
            "UPDATE reviews SET film_id = ?, critic = ?, outlet = ?, url = ?, published = ?, spoiler = ?"
            " WHERE id = ?",
            (film_id, entry.critic, entry.outlet, entry.url, entry.date, int(entry.spoiler), review_id),
        )
    if old_hash != body_hash:
        await conn.execute("UPDATE reviews SET body = ?, body_hash = ? WHERE id = ?", (body, body_hash, review_id))
    await _refresh_passages(conn, review_id, passages)


async def _same_passages(conn: aiosqlite.Connection, review_id: int, passages: list[TaggedPassage]) -> bool:
    async with conn.execute(
        "SELECT text FROM passages WHERE review_id = ? ORDER BY ordinal", (review_id,)
    ) as cur:
        stored = [row[0] for row in await cur.fetchall()]
    return stored == [p.text for p in passages]


async def _refresh_passages(conn: aiosqlite.Connection, review_id: int, passages: list) -> None:
    """Retag in place when the passage texts are unchanged (ids, and so rotations, survive); else replace."""
    if await _same_passages(conn, review_id, passages):
        await CorpusWriter.retag(conn, review_id, passages)
    else:
        await CorpusWriter.replace_passages(conn, review_id, passages)


async def _remove_missing(conn: aiosqlite.Connection, keys: set[str]) -> int:
    async with conn.execute("SELECT id, source_key FROM reviews WHERE source = 'bundled'") as cur:
        gone = [row[0] for row in await cur.fetchall() if row[1] not in keys]
    for review_id in gone:
        await conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    return len(gone)


async def _retag_moderator_reviews(conn: aiosqlite.Connection, themes: dict[str, Theme]) -> None:
    """New theme phrases reach moderator reviews too, but their text and passages are never rewritten."""
    async with conn.execute(
        "SELECT r.id, r.body, f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id"
        " WHERE r.source = 'moderator'"
    ) as cur:
        rows = await cur.fetchall()
    for review_id, body, title, year in rows:
        passages = process_review(body, themes, title, year)
        if await _same_passages(conn, review_id, passages):
            await CorpusWriter.retag(conn, review_id, passages)
