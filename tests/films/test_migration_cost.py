"""What migration 226 costs a large catalogue at the first start after the upgrade: SQLite virtual-machine steps
counted (deterministic, unlike a wall clock on a shared machine), so a quadratic statement is caught on a few
thousand films instead of being found as minutes of start-up on a real club's 100k."""

from __future__ import annotations

from pathlib import Path

from bot.core import db as core_db
from bot.core.db import connect, migrate
from bot.core.films import key_before_226

STEP = 1000  # SQLite instructions between two calls of the progress handler


async def steps_to_upgrade(tmp_path: Path, monkeypatch, films: int) -> int:
    """SQLite instructions (in thousands) the migrations from 226 on take over `films` films keyed before 226, a
    third of them re-keyed ('Film n 🎹'), a third left as they were ('Day n 🎬' beside 'Day n' of its year)."""
    every = core_db.migration_files()
    monkeypatch.setattr(core_db, "migration_files", lambda: [m for m in every if m[0] < 226])
    conn = await connect(tmp_path / f"{films}.db")
    await migrate(conn)
    titles = [(f"Film {n} 🎹", f"Day {n // 3}", f"Day {n // 3} 🎬")[n % 3] for n in range(films)]
    await conn.executemany("INSERT INTO films(title, year, norm_key) VALUES (?, ?, ?)",
                           [(t, 1950 + n // 3 % 70, key_before_226(t)) for n, t in enumerate(titles)])
    await conn.commit()
    monkeypatch.setattr(core_db, "migration_files", lambda: every)
    calls = [0]

    def count() -> int:
        calls[0] += 1
        return 0

    await conn.set_progress_handler(count, STEP)
    await migrate(conn)
    await conn.set_progress_handler(None, STEP)
    left = await conn.execute_fetchall("SELECT count(*) FROM films WHERE norm_key <> film_key(title)")
    await conn.close()
    assert [tuple(r) for r in left] == [(films // 3,)]  # 'Day n 🎬' keeps its key: 'Day n' of its year holds the new one
    return calls[0]


async def test_226_costs_steps_in_proportion_to_the_films(tmp_path, monkeypatch):
    """Four times the films cost at most about four times the steps (before core/db's indexed re-key ran first,
    226's UPDATE scanned every film once per re-keyed film: 16 times, 105 s at 100k films)."""
    small = await steps_to_upgrade(tmp_path, monkeypatch, 1500)
    large = await steps_to_upgrade(tmp_path, monkeypatch, 6000)
    assert large < 6 * small, (small, large)
