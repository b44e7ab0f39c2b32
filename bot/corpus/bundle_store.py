"""The SQL of the bundled-corpus import: batched inserts, in-place retags, removals.

Called by bot.corpus.bundle once per chunk of reviews, each chunk in its own
`Database.corpus_transaction()`; the text processing happens before, outside the write lock.
Every query here reads only the chunk's rows (never every review), so a chunk costs the same
whatever the corpus's size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiosqlite

from bot.core.db import Database, one_row
from bot.core.time import utc_now_iso
from bot.corpus import TaggedPassage
from bot.corpus.store import CorpusWriter, reason_values

if TYPE_CHECKING:
    from bot.corpus.bundle import ImportResult, ManifestEntry
    from bot.corpus.pool import Processed


def _marks(values: list | set) -> str:
    return ",".join("?" * len(values))


async def write_chunk(
    conn: aiosqlite.Connection, entries: list[ManifestEntry], bodies: list[str], processed: list[Processed],
    result: ImportResult,
) -> None:
    """One chunk of bundled entries: update the stored ones, insert the new, skip texts already stored."""
    keys = [entry.file for entry in entries]
    existing, known = await chunk_state(conn, keys, [body_hash for _, body_hash in processed])
    fresh = []
    for entry, body, (passages, body_hash) in zip(entries, bodies, processed, strict=True):
        if entry.file in existing:
            await update_entry(conn, existing[entry.file], entry, body, body_hash, passages)
            result.reviews_updated += 1
        elif body_hash in known:
            result.skipped.append(entry.file)  # a moderator (or another file) already added the same text
        else:
            known.add(body_hash)
            fresh.append((entry, body, body_hash, passages))
    await insert_fresh(conn, fresh, result)


async def chunk_state(
    conn: aiosqlite.Connection, keys: list[str], hashes: list[str]
) -> tuple[dict[str, tuple], set[str]]:
    """source_key → (id, body_hash, attribution_locked) of the chunk's stored bundled reviews, and which
    of the chunk's body hashes are stored already (both columns are UNIQUE, so indexed)."""
    if not keys:
        return {}, set()
    async with conn.execute(
        f"SELECT source_key, id, body_hash, attribution_locked FROM reviews WHERE source_key IN ({_marks(keys)})",
        keys,
    ) as cur:
        existing = {row[0]: tuple(row[1:]) for row in await cur.fetchall()}
    async with conn.execute(f"SELECT body_hash FROM reviews WHERE body_hash IN ({_marks(hashes)})", hashes) as cur:
        known = {row[0] for row in await cur.fetchall()}
    return existing, known


# Past the highest passage id ever used, removed ones included (their ids never return): SQLite's
# AUTOINCREMENT counter, PostgreSQL's identity sequence.
_HIGHEST_PASSAGE_ID = {
    "sqlite": "SELECT max(coalesce((SELECT max(id) FROM passages), 0),"
              " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0))",
    "postgresql": "SELECT greatest(coalesce((SELECT max(id) FROM passages), 0),"
                  " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM passages_id_seq))",
}


async def insert_fresh(conn: aiosqlite.Connection, fresh: list, result: ImportResult) -> None:
    """New bundled reviews in a few executemany batches (ids assigned here) instead of row by row."""
    if not fresh:
        return
    films = await film_ids(conn, {(entry.film, entry.year) for entry, *_ in fresh})
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
    keys = [entry.file for entry, *_ in fresh]
    async with conn.execute(f"SELECT source_key, id FROM reviews WHERE source_key IN ({_marks(keys)})", keys) as cur:
        review_ids = {row[0]: row[1] for row in await cur.fetchall()}
    # Past the highest id ever used (AUTOINCREMENT's counter too), so no removed passage's id returns.
    async with conn.execute(_HIGHEST_PASSAGE_ID[getattr(conn, "dialect", "sqlite")]) as cur:
        (next_id,) = await one_row(cur)
    passage_rows, theme_rows = [], []
    for entry, _, _, passages in fresh:
        for passage in passages:
            next_id += 1
            passage_rows.append(
                (next_id, review_ids[entry.file], passage.ordinal, passage.paragraph, passage.text,
                 int(passage.quotable), *reason_values(passage))
            )
            theme_rows += [(next_id, theme, score) for theme, score in passage.themes.items()]
    await conn.executemany(
        "INSERT INTO passages(id, review_id, ordinal, paragraph, text, quotable, refusal, spoiler_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        passage_rows,
    )
    await conn.executemany("INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, ?)", theme_rows)
    await CorpusWriter.apply_overrides(conn)
    result.reviews_added += len(fresh)
    result.passages_added += len(passage_rows)


async def film_ids(conn: aiosqlite.Connection, wanted: set[tuple[str, int | None]]) -> dict:
    """(title, year) → film id for every wanted film, through the catalogue (created when missing).

    Films with a year first: a yearless title then names the only film of its title."""
    ids = {}
    for title, year in sorted(wanted, key=lambda key: (key[1] is None, key[0], key[1] or 0)):
        ids[(title, year)] = await CorpusWriter.film_id(conn, title, year)
    return ids


async def update_entry(
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
    await refresh_passages(conn, review_id, passages)


async def same_passages(conn: aiosqlite.Connection, review_id: int, passages: list[TaggedPassage]) -> bool:
    async with conn.execute(
        "SELECT text FROM passages WHERE review_id = ? ORDER BY ordinal", (review_id,)
    ) as cur:
        stored = [row[0] for row in await cur.fetchall()]
    return stored == [p.text for p in passages]


async def refresh_passages(conn: aiosqlite.Connection, review_id: int, passages: list) -> None:
    """Retag in place when the passage texts are unchanged (ids, and so rotations, survive); else replace."""
    if await same_passages(conn, review_id, passages):
        await CorpusWriter.retag(conn, review_id, passages)
    else:
        await CorpusWriter.replace_passages(conn, review_id, passages)


async def remove_missing(conn: aiosqlite.Connection, keys: set[str]) -> int:
    async with conn.execute("SELECT id, source_key FROM reviews WHERE source = 'bundled'") as cur:
        gone = [row[0] for row in await cur.fetchall() if row[1] not in keys]
    for review_id in gone:
        await conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    return len(gone)


async def moderator_review_ids(db: Database) -> list[int]:
    """Ids of every review a moderator added: re-tagged by each import, never rewritten."""
    return [row[0] for row in await db.fetchall("SELECT id FROM reviews WHERE source = 'moderator' ORDER BY id")]


async def moderator_bodies(db: Database, ids: list[int]) -> list[tuple[int, str, str, int | None]]:
    """(review id, body, film title, year) of these moderator reviews (a chunk: bodies can be big)."""
    rows = await db.fetchall(
        "SELECT r.id, r.body, f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id"
        f" WHERE r.id IN ({_marks(ids)}) ORDER BY r.id",
        ids,
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def locked_films(db: Database, keys: list[str]) -> dict[str, tuple[str, int | None]]:
    """source_key → (film title, year) of the chunk's bundled reviews a moderator edited (attribution_locked):
    their film is the moderator's, not the manifest's, so their passages are derived for it."""
    if not keys:
        return {}
    rows = await db.fetchall(
        "SELECT r.source_key, f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id"
        f" WHERE r.source_key IN ({_marks(keys)}) AND r.attribution_locked = 1",
        keys,
    )
    return {row[0]: (row[1], row[2]) for row in rows}


async def suppressed_keys(db: Database) -> set[str]:
    """Bundled files a moderator removed: never imported again."""
    return {row[0] for row in await db.fetchall("SELECT source_key FROM bundled_suppressed")}


async def retag_moderator_reviews(
    conn: aiosqlite.Connection, processed: list[tuple[int, list[TaggedPassage]]]
) -> None:
    """New theme phrases reach moderator reviews too, but their text and passages are never rewritten."""
    for review_id, passages in processed:
        if await same_passages(conn, review_id, passages):
            await CorpusWriter.retag(conn, review_id, passages)


async def set_meta(conn: aiosqlite.Connection, key: str, value: str) -> None:
    await conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def delete_meta(conn: aiosqlite.Connection, key: str) -> None:
    await conn.execute("DELETE FROM meta WHERE key = ?", (key,))
