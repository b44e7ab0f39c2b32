"""The CLI and the database layer fail with one clear line, never a raw traceback or a masked cause."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core import db as database


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(["--env-file", "/nonexistent/.env", *argv])
    captured = capsys.readouterr()
    return code, captured.err


def test_import_on_a_corrupt_database_is_one_line(tmp_path: Path, capsys):
    bad = tmp_path / "filmbot.db"
    bad.write_bytes(b"this is not an sqlite database, just some bytes" * 100)
    code, err = run_cli(capsys, "import", "--database", str(bad))
    assert code != 0
    assert err.startswith("filmbot: database error:") and "Traceback" not in err and err.count("\n") == 1


def test_backup_onto_a_non_database_file_is_one_line(tmp_path: Path, capsys, monkeypatch):
    source = tmp_path / "filmbot.db"
    with sqlite3.connect(source) as con:
        con.execute("CREATE TABLE t(x)")
    con.close()
    target = tmp_path / "notes.txt"
    target.write_text("my notes, not a database\n" * 200)
    monkeypatch.setenv("FILMBOT_DATABASE", str(source))
    code, err = run_cli(capsys, "backup", str(target))
    assert code != 0
    assert err.startswith("filmbot: database error:") and err.count("\n") == 1


def test_a_newer_database_is_refused_before_any_write(tmp_path: Path, capsys):
    path = tmp_path / "filmbot.db"
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA user_version = 999")
        con.execute("CREATE TABLE future(x)")
    con.close()
    before = path.read_bytes()
    code, err = run_cli(capsys, "import", "--database", str(path))
    assert code == 2
    assert "schema version 999" in err and err.count("\n") == 1
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert tables == {"future"}, "the newer database was written to"
    assert len(before) > 0


async def test_disk_full_is_reported_as_disk_full_not_a_failed_rollback(tmp_path: Path):
    conn = await database.connect(tmp_path / "small.db")
    db = database.Database(conn)
    try:
        await db.execute("CREATE TABLE t(x)")
        await conn.execute("PRAGMA max_page_count = 20")  # the disk is "full" at 20 pages (this connection's)
        with pytest.raises(sqlite3.OperationalError, match="full"):
            async with db.transaction() as c:
                for _ in range(100):
                    await c.execute("INSERT INTO t VALUES (randomblob(4000))")
        assert not conn.in_transaction
        async with db.transaction() as c:  # and the connection is usable afterwards
            await c.execute("INSERT INTO t VALUES (1)")
    finally:
        await db.close()


async def test_disk_full_in_a_one_hop_write_fails_that_write_and_the_writer_goes_on(tmp_path: Path):
    """The writer thread's connection (group commit) reports a full disk the same way and stays usable."""
    db = database.Database(await database.connect(tmp_path / "small.db"))
    try:
        await db.execute("CREATE TABLE t(x)")
        await db.in_one_hop(lambda raw: raw.execute("PRAGMA max_page_count = 20").close())

        def fill(raw: sqlite3.Connection) -> None:
            for _ in range(100):
                raw.execute("INSERT INTO t VALUES (randomblob(4000))")

        with pytest.raises(sqlite3.OperationalError, match="full"):
            await db.in_one_hop(fill)
        assert await db.fetchval("SELECT count(*) FROM t") == 0  # rolled back whole
        await db.execute("INSERT INTO t VALUES (1)")
        assert await db.fetchval("SELECT count(*) FROM t") == 1
    finally:
        await db.close()


def test_output_piped_into_a_reader_that_stops_early_is_no_traceback():
    """`filmbot preview FILE | head` (the reader gone before the output ends) exits quietly, no traceback."""
    import subprocess
    import sys

    review = Path(__file__).resolve().parents[2] / "data" / "corpus" / "la-la-land"
    files = sorted(str(path) for path in review.glob("*.txt"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--env-file", "/nonexistent/.env", "preview", "--json", *files],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader stops before the first byte: every write meets a closed pipe
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code == 1


def test_import_names_the_postgresql_database_it_used_without_its_password(tmp_path: Path):
    """`filmbot import` on FILMBOT_DATABASE=postgresql://… names that database (it named the unused SQLite
    file), and never prints the password."""
    from bot.__main__ import database_label
    from bot.core.config import Settings

    url = Settings.from_env({"FILMBOT_DATABASE": "postgresql://club:s3cret@db.example:5433/filmbot?sslmode=require"})
    assert database_label(url) == "postgresql://club@db.example:5433/filmbot"
    assert database_label(Settings(database="postgresql://[::1]/filmbot")) == "postgresql://[::1]/filmbot"
    assert database_label(Settings(database=tmp_path / "club.db")) == str(tmp_path / "club.db")
    # libpq's several hosts (urlsplit cannot read their port): named as written, still without the password
    several = Settings(database="postgresql://club:s3cret@db1:5432,db2:5433/filmbot")
    assert database_label(several) == "postgresql://club@db1:5432,db2:5433/filmbot"


@pytest.mark.slow
def test_import_on_postgresql_prints_that_database(pg_database: str, capsys, monkeypatch):
    """`FILMBOT_DATABASE=postgresql://… filmbot import` (README: Scaling) imports there and says so."""
    monkeypatch.setenv("FILMBOT_DATABASE", pg_database)
    code = main(["--env-file", "/nonexistent/.env", "import"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Imported 3 reviews" in out
    assert f"Database {pg_database.split('?')[0]}: 3 reviews, 69 passages in total." in out


@pytest.mark.parametrize(("name", "value"), [
    ("FILMBOT_DEFAULT_TIMEZONE", "America"),  # a region's folder in the zone database, not a zone
    ("FILMBOT_DEFAULT_TIMEZONE", "Europe/" + "x" * 300),  # a name too long for the file system
    ("FILMBOT_SHARDS", "²"),  # str.isdigit() says yes, int() says no
    ("FILMBOT_SHARD_IDS", "²"),
    ("FILMBOT_DEV_GUILD_ID", "²"),
    ("FILMBOT_DEV_GUILD_ID", "0"),  # no Discord id is 0, or longer than 64 bits: commands synced to no server
    ("FILMBOT_DEV_GUILD_ID", "99999999999999999999999"),
    ("FILMBOT_FETCH_ALLOW", "127.0.0.1:²"),
])
def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path, capsys, monkeypatch, name: str, value: str):
    """A malformed .env value stops `filmbot import` with one line naming the setting (exit 2, no traceback),
    before a database file is made."""
    monkeypatch.setenv(name, value)
    if name == "FILMBOT_SHARD_IDS":
        monkeypatch.setenv("FILMBOT_SHARDS", "2")
    code, err = run_cli(capsys, "import", "--database", str(tmp_path / "club.db"))
    assert code == 2 and err.startswith(f"filmbot: {name}") and err.count("\n") == 1, err
    assert not (tmp_path / "club.db").exists()


@pytest.mark.parametrize("broken", ["no themes.toml", "themes.toml not TOML", "no manifest.toml", "manifest.toml not TOML",
                                    "themes.toml nested too deeply", "manifest.toml nested too deeply"])
def test_a_broken_data_folder_is_one_line_naming_the_file(tmp_path: Path, capsys, monkeypatch, broken: str):
    """FILMBOT_DATA_DIR without (or with a malformed) themes.toml or manifest.toml: `filmbot import` names the
    file in one line, exit 2 (FileNotFoundError, ValueError and TOMLDecodeError tracebacks before)."""
    import shutil

    from bot.core.config import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("*.db*"))
    name = "themes.toml" if "themes" in broken else "manifest.toml"
    if broken.startswith("no "):
        (data / name).unlink()
    elif "deeply" in broken:  # tomllib's RecursionError is no TOMLDecodeError
        (data / name).write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    else:
        (data / name).write_text("[[review]\nfile = ", encoding="utf-8")
    monkeypatch.setenv("FILMBOT_DATA_DIR", str(data))
    code, err = run_cli(capsys, "import", "--database", str(tmp_path / "club.db"))
    assert code == 2 and err.startswith(f"filmbot: {data / name}:") and err.count("\n") == 1, err


@pytest.mark.parametrize("token", ["   ", "abc def.ghi", "tökén.x", "'abc.def'", "abc\x01def"])
def test_a_token_that_cannot_be_one_is_named_before_connecting(capsys, monkeypatch, token: str):
    """DISCORD_TOKEN exported blank or with spaces, quotes, accents or control characters: `filmbot run` says
    so in one line (exit 2) instead of logging in with it (a 401 or a network error that blamed the network)."""
    monkeypatch.setenv("DISCORD_TOKEN", token)
    code, err = run_cli(capsys, "run")
    assert code == 2 and err.startswith("filmbot: DISCORD_TOKEN") and err.count("\n") == 1, err


@pytest.mark.parametrize("url", ["postgresql://club:s3cret@127.0.0.1:notaport/filmbot",
                                 "postgresql://club:s3cret@127.0.0.1:99999/filmbot",
                                 "postgresql://club:s3cret@[::1/filmbot"])
def test_a_postgresql_url_that_cannot_be_read_is_one_line_without_its_password(capsys, monkeypatch, url: str):
    """FILMBOT_DATABASE with a port 'notaport' or 99999, or an unclosed IPv6 bracket: one line naming the
    setting, exit 2, the password never printed (ValueError and OverflowError tracebacks from asyncpg before)."""
    monkeypatch.setenv("FILMBOT_DATABASE", url)
    code, err = run_cli(capsys, "import")
    assert code == 2 and err.startswith("filmbot: FILMBOT_DATABASE is not a PostgreSQL URL") and err.count("\n") == 1, err
    assert "s3cret" not in err


async def migrated(path: Path) -> None:
    conn = await database.connect(path)
    try:
        await database.migrate(conn)
    finally:
        await conn.close()


def test_a_migration_failing_half_way_is_refused_in_one_line_and_changes_nothing(tmp_path: Path, capsys, monkeypatch):
    """An upgrade whose second new file fails (a disk filling up, a broken file): nothing applied, the database at
    its last good number, and the bot refuses to start saying which upgrade failed and that nothing changed."""
    files = database.migration_files()
    path = tmp_path / "filmbot.db"
    older = [f for f in files if f[0] <= 75]
    monkeypatch.setattr(database, "migration_files", lambda: older)
    asyncio.run(migrated(path))  # a database made by a filmbot of migration 075's time
    with sqlite3.connect(path) as con:
        before = [r[0] for r in con.execute("SELECT number FROM schema_migrations ORDER BY number")]
    con.close()
    broken = [*files, (900, "900-disk-full.sql", "CREATE TABLE filled (x); INSERT INTO filled VALUES (;")]
    monkeypatch.setattr(database, "migration_files", lambda: broken)
    code, err = run_cli(capsys, "import", "--database", str(path))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "900-disk-full.sql" in err and "still at migration 75" in err, err
    with sqlite3.connect(path) as con:
        after = [r[0] for r in con.execute("SELECT number FROM schema_migrations ORDER BY number")]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert after == before and before[-1] == 75 and "filled" not in tables


@pytest.mark.parametrize("damage", ["not a database", "truncated"])
def test_run_on_a_damaged_database_is_one_line_and_exit_2_before_connecting(tmp_path: Path, capsys, monkeypatch, damage):
    """`filmbot run` on a database file that is not one, or was cut short (a full disk during a copy), says so in
    one line with exit 2, before it logs in to Discord (it logged in first, then failed with exit 1)."""
    path = tmp_path / "filmbot.db"
    if damage == "truncated":
        assert run_cli(capsys, "import", "--database", str(path))[0] == 0
        with sqlite3.connect(path) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        with path.open("r+b") as file:
            file.truncate(path.stat().st_size // 2 // 4096 * 4096)
    else:
        path.write_bytes(b"this is not an sqlite database, just some bytes" * 100)
    monkeypatch.setenv("FILMBOT_DATABASE", str(path))
    monkeypatch.setenv("DISCORD_TOKEN", "not.a.real-token")
    code, err = run_cli(capsys, "run")
    assert code == 2, err
    assert err.startswith("filmbot: database error:") and "damaged" in err and err.count("\n") == 1, err
    assert "Discord" not in err  # the database was read before any connection was tried


def _no_file(tmp_path: Path, kind: str) -> Path:
    """A path that names no file a database or settings file can be: a folder, a pipe, a device, a link loop."""
    import os

    path = tmp_path / f"not-a-file-{kind}"
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/null")
    else:
        path.symlink_to(tmp_path / "loop-back")
        (tmp_path / "loop-back").symlink_to(path)
    return path


@pytest.mark.parametrize("kind", ["folder", "pipe", "device", "link loop"])
@pytest.mark.parametrize("command", ["import --database", "backup", "copy-db"])
def test_a_database_path_that_names_no_file_is_one_line(tmp_path: Path, capsys, monkeypatch, command: str, kind: str):
    """`filmbot import --database`, `backup` and `copy-db` given a folder, a pipe, /dev/null or a symlink loop:
    one short line naming the path, exit 2 (before: 'database error: disk I/O error … is the file a filmbot
    SQLite database?' exit 1, every migration run against /dev/null in a 1,500-character line, a traceback)."""
    from bot.core.db import open_database

    source = tmp_path / "club.db"
    asyncio.run(_closed(open_database(source)))
    monkeypatch.setenv("FILMBOT_DATABASE", str(source))
    target = _no_file(tmp_path, kind)
    argv = {"import --database": ["import", "--database", str(target)], "backup": ["backup", str(target)],
            "copy-db": ["copy-db", str(source), str(target)]}[command]
    code, err = run_cli(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and len(err) < 300, err
    assert str(target) in err and "Traceback" not in err


async def _closed(opening) -> None:
    db = await opening
    await db.close()


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_themes_file_that_is_a_pipe_or_a_device_is_one_line_not_a_hang(tmp_path: Path, kind: str):
    """`filmbot preview --themes` naming a pipe or /dev/zero, and a data folder whose themes.toml is one:
    one line, exit 2 (both read forever: a pipe waits for a writer, /dev/zero never ends)."""
    import os
    import shutil
    import subprocess
    import sys

    from bot.core.config import DEFAULT_DATA_DIR

    themes = tmp_path / "themes.toml"
    if kind == "pipe":
        os.mkfifo(themes)
    else:
        themes.symlink_to("/dev/zero")
    review = tmp_path / "review.txt"
    review.write_text("A fine review of a film, long enough to read. " * 3, encoding="utf-8")
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("*.db*", "themes.toml"))
    (data / "themes.toml").symlink_to(themes)
    base = [sys.executable, "-m", "bot", "--env-file", "/nonexistent/.env"]
    for argv, env in (([*base, "preview", "--themes", str(themes), str(review)], {}),
                      ([*base, "import", "--database", str(tmp_path / "club.db")], {"FILMBOT_DATA_DIR": str(data)})):
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=60,
                              env={**os.environ, **env}, stdin=subprocess.DEVNULL)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "not a file" in done.stderr and "Traceback" not in done.stderr
