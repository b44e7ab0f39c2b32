"""A bulk import killed with SIGKILL part-way leaves a sound database holding all of it or none."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus_gen import write_data_dir

REVIEWS = 800


@pytest.fixture(scope="module")
def big_data_dir(tmp_path_factory) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("crash") / "data", REVIEWS)


def start_import(database: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "FILMBOT_DATA_DIR": str(data_dir), "FILMBOT_DATABASE": str(database)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, "import"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2],
    )


def kill_when_writing(process: subprocess.Popen, database: Path, timeout: float = 120.0) -> bool:
    """SIGKILL as soon as the import's transaction has spilled pages to the WAL; False if it finished first."""
    wal = Path(f"{database}-wal")
    deadline = time.monotonic() + timeout
    baseline = None
    while process.poll() is None and time.monotonic() < deadline:
        size = wal.stat().st_size if wal.exists() else 0
        if baseline is None and size:
            baseline = size  # the migrations' own committed pages
        if baseline is not None and size > baseline + 256 * 1024:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.wait()
    return False


def state(database: Path) -> dict[str, object]:
    with sqlite3.connect(database) as conn:
        # The index's own consistency (the content comparison does not apply: only quotable passages
        # are indexed, by design).
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "reviews": conn.execute("SELECT count(*) FROM reviews").fetchone()[0],
            "orphans": conn.execute(
                "SELECT count(*) FROM passages WHERE review_id NOT IN (SELECT id FROM reviews)"
            ).fetchone()[0],
            # Every generated review ends with "Generated review number N ends here.": the index must
            # find exactly the quotable passages that say so.
            "indexed": conn.execute(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '\"generated review number\"'"
            ).fetchone()[0],
            "quotable": conn.execute(
                "SELECT count(*) FROM passages WHERE quotable = 1 AND text LIKE '%Generated review number%'"
            ).fetchone()[0],
            "imported_mark": conn.execute(
                "SELECT count(*) FROM meta WHERE key = 'bundled_corpus_hash'"
            ).fetchone()[0],
        }


def test_killed_import_leaves_all_or_nothing(big_data_dir, tmp_path):
    """integrity_check passes, the import is whole or absent, and the FTS index agrees with passages."""
    database = tmp_path / "crash.db"
    killed = kill_when_writing(start_import(database, big_data_dir), database)
    after = state(database)
    assert after["integrity"] == "ok"
    assert after["reviews"] in (0, REVIEWS)
    assert after["orphans"] == 0 and after["indexed"] == after["quotable"]
    assert after["imported_mark"] == (1 if after["reviews"] else 0)
    assert killed, "the import finished before it could be killed mid-write"
    # And the next start completes the import cleanly.
    rerun = start_import(database, big_data_dir)
    assert rerun.wait(timeout=300) == 0
    final = state(database)
    assert final["reviews"] == REVIEWS and final["indexed"] == final["quotable"] == REVIEWS
    assert final["integrity"] == "ok"
