"""tools/pgserver.py: the throwaway PostgreSQL that tests and CI start."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import asyncpg
import pytest

from tests.pg import run_sync
from tools import pgserver

pytestmark = pytest.mark.skipif(pgserver.binaries() is None, reason="no PostgreSQL binaries")


async def _settings(dsn: str) -> dict[str, str]:
    conn = await asyncpg.connect(dsn)
    try:
        names = ("fsync", "synchronous_commit", "full_page_writes", "max_connections", "server_encoding")
        row = await conn.fetchrow(
            "SELECT " + ", ".join(f"current_setting('{name}') AS {name}" for name in names)
            + ", lower('ÉΣÇ') AS folded"
        )
        return dict(row)
    finally:
        await conn.close()


def test_start_prints_a_dsn_and_stop_stops_it():
    """`start DIR` prints one loopback DSN of a tuned UTF8 server; `stop DIR` stops it; twice is harmless."""
    folder = Path(tempfile.mkdtemp(prefix="filmbot-pgt-"))
    folder.chmod(0o711)  # as root the server runs as the postgres user
    command = [sys.executable, "-m", "tools.pgserver"]
    try:
        out = subprocess.run([*command, "start", str(folder / "d")], capture_output=True, text=True, check=True)
        lines = out.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("postgresql://postgres@127.0.0.1:"), out.stdout
        settings = run_sync(_settings(lines[0]))
        assert settings == {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                            "max_connections": "200", "server_encoding": "UTF8", "folded": settings["folded"]}
        # C.UTF-8 folds non-ASCII; --no-locale (a system without it) only A-Z
        assert settings["folded"] in ("éσç", "ÉΣÇ")
        again = subprocess.run([*command, "start", str(folder / "d")], capture_output=True, text=True, check=True)
        assert again.stdout.strip() == lines[0]  # already running: the same server
        for _ in range(2):
            subprocess.run([*command, "stop", str(folder / "d")], check=True)
        assert not (folder / "d" / "postmaster.pid").exists()
    finally:
        pgserver.stop(folder / "d")
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def test_pg_database_is_fresh_and_empty(pg_database):
    """Each test's database has no table of its own."""

    async def tables() -> int:
        conn = await asyncpg.connect(pg_database)
        try:
            return await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        finally:
            await conn.close()

    assert run_sync(tables()) == 0
