"""Store lookups (the queries behind /quote about: and /quote theme:) against a raw FTS5 MATCH."""

from __future__ import annotations

import random
import time
from pathlib import Path

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled
from bot.corpus.passage import QuoteFilters

from .timing import median, percentile, sample_ms

WORDS = ["jazz", "love", "ending", "Hollywood", "dance", "music", "Sebastian", "dream", "city", "film"]
THEMES = ["ending", "nostalgia", "jazz", "los-angeles", "musical-homage", "performances"]
RAW_QUERY = "SELECT rowid, text FROM passages_fts WHERE passages_fts MATCH ? ORDER BY random() LIMIT 1"


async def build_database(data_dir: Path, database: Path):
    """Open a new database and import into it; returns the bot, seconds (total, write phase), reviews."""
    bot = FilmBot(Settings(database=database, data_dir=data_dir))
    store = await bot.open_store()
    start = time.perf_counter()
    result = await import_bundled(store, data_dir, bot.themes, bot.settings.themes_file)
    seconds = time.perf_counter() - start
    reviews = await store.db.fetchval("SELECT count(*) FROM reviews")
    return bot, (seconds, result.write_seconds), reviews


async def lookups(bot: FilmBot, repeat: int) -> dict[str, dict[str, float]]:
    """Median and p99 milliseconds for store.pick(about), store.pick(theme) and the raw MATCH."""
    rng = random.Random(7)
    store = bot.store

    about = await sample_ms(lambda: store.quotes.pick(QuoteFilters(about=rng.choice(WORDS))), repeat)
    theme = await sample_ms(lambda: store.quotes.pick(QuoteFilters(theme=rng.choice(THEMES))), repeat)
    raw = await sample_ms(lambda: store.db.fetchone(RAW_QUERY, (f'"{rng.choice(WORDS).lower()}"',)), repeat)
    passages = await store.db.fetchval("SELECT count(*) FROM passages")
    return {
        name: {"median_ms": median(values), "p99_ms": percentile(values, 0.99), "passages": passages}
        for name, values in (("about", about), ("theme", theme), ("raw_fts", raw))
    }
