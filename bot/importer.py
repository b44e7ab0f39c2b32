"""Load the bundled corpus (data/manifest.toml + data/corpus/) into SQLite, only when it changed."""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.corpus import Theme, content_hash, process_review
from bot.store import NewReview, Store
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


async def import_bundled(
    store: Store, data_dir: Path, themes: dict[str, Theme], themes_file: Path, *, force: bool = False
) -> ImportResult:
    """Bring the database in line with the bundled files in one transaction; no-op when unchanged."""
    current = bundle_hash(data_dir, themes_file)
    if not force and await store.meta.get(BUNDLE_HASH_KEY) == current:
        return ImportResult(unchanged=True)
    result = ImportResult()
    entries = read_manifest(data_dir)
    async with store.db.transaction() as conn:
        suppressed = {row[0] async for row in await conn.execute("SELECT source_key FROM bundled_suppressed")}
        for entry in entries:
            if entry.file in suppressed:
                continue
            body = (data_dir / entry.file).read_text(encoding="utf-8")
            await _import_entry(conn, entry, body, themes, result)
        result.reviews_removed = await _remove_missing(conn, {e.file for e in entries})
        await _retag_moderator_reviews(conn, themes)
        await conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (BUNDLE_HASH_KEY, current),
        )
    log.info(result.summary())
    return result


async def _import_entry(
    conn: aiosqlite.Connection, entry: ManifestEntry, body: str, themes: dict[str, Theme], result: ImportResult
) -> None:
    body_hash = content_hash(body)
    passages = process_review(body, themes)
    async with conn.execute(
        "SELECT id, body_hash, attribution_locked FROM reviews WHERE source_key = ?", (entry.file,)
    ) as cur:
        existing = await cur.fetchone()
    if existing is None:
        async with conn.execute("SELECT 1 FROM reviews WHERE body_hash = ?", (body_hash,)) as cur:
            if await cur.fetchone():
                result.skipped.append(entry.file)  # a moderator already added the same text
                return
        film_id = await CorpusWriter.film_id(conn, entry.film, entry.year)
        review = NewReview(
            film_id=film_id, body=body, body_hash=body_hash, source="bundled", critic=entry.critic,
            outlet=entry.outlet, url=entry.url, published=entry.date, spoiler=entry.spoiler,
            source_key=entry.file,
        )
        await CorpusWriter.insert_review(conn, review, passages)
        result.reviews_added += 1
        result.passages_added += len(passages)
        return
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
    result.reviews_updated += 1


async def _refresh_passages(conn: aiosqlite.Connection, review_id: int, passages: list) -> None:
    """Retag in place when the passage texts are unchanged (ids, and so rotations, survive); else replace."""
    async with conn.execute(
        "SELECT text FROM passages WHERE review_id = ? ORDER BY ordinal", (review_id,)
    ) as cur:
        stored = [row[0] for row in await cur.fetchall()]
    if stored == [p.text for p in passages]:
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
    async with conn.execute("SELECT id, body FROM reviews WHERE source = 'moderator'") as cur:
        rows = await cur.fetchall()
    for review_id, body in rows:
        passages = process_review(body, themes)
        async with conn.execute(
            "SELECT text FROM passages WHERE review_id = ? ORDER BY ordinal", (review_id,)
        ) as cur:
            stored = [row[0] for row in await cur.fetchall()]
        if stored == [p.text for p in passages]:
            await CorpusWriter.retag(conn, review_id, passages)
