"""`python -m bench --only backends` at a tiny size: every figure on both backends, each a finite number,
the PostgreSQL row against the SQLite one; without PostgreSQL, one line and no rows."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import backends
from tools import pgserver

TINY = {"reviews": 12, "picks": 5, "voters": 10, "schedules": 20, "servers": 5}


async def test_backends_section_has_every_figure_on_both_backends(pg_server_dsn: str, tmp_path: Path) -> None:
    rows: list[dict] = []

    def row(name: str, value: float, baseline: float, unit: str, target: str) -> None:
        rows.append({"figure": name, "value": value, "baseline": baseline, "unit": unit})

    await backends.rows(row, tmp_path / "work", tmp_path / "cache", dsn=pg_server_dsn, sizes=TINY)
    assert rows and all(math.isfinite(r["value"]) and math.isfinite(r["baseline"]) for r in rows)
    by_backend: dict[str, dict[str, dict]] = {"sqlite": {}, "postgresql": {}}
    for r in rows:
        backend, figure = r["figure"][1:].split("] ", 1)
        by_backend[backend][figure] = r
    assert by_backend["sqlite"].keys() == by_backend["postgresql"].keys()
    for figure, pg in by_backend["postgresql"].items():
        assert pg["baseline"] == by_backend["sqlite"][figure]["value"]  # the ratio is against this run's SQLite
    figures = " ".join(by_backend["sqlite"])
    for expected in ("pick plain", "pick theme:", "pick film:", "votes at once", "scheduler pass", "servers at once"):
        assert expected in figures


async def test_without_postgresql_the_section_says_so_and_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(backends.ENV, raising=False)
    monkeypatch.setattr(pgserver, "binaries", lambda **_: None)  # a machine without initdb/pg_ctl
    rows: list[str] = []
    await backends.rows(lambda name, *_: rows.append(name), tmp_path / "work", tmp_path / "cache", sizes=TINY)
    assert rows == []
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "skipped, no PostgreSQL" in lines[0]
