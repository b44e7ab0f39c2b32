"""The command line: help, run without a token, import, backup."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import (
    ROOT,
    World,
    burst,
    create_poll,
    drop_manifest_entry,
    rows,
)


def _cli(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FILMBOT_"))}
    empty_env = tmp / "empty.env"
    empty_env.write_text("")
    return subprocess.run([sys.executable, "-m", "bot", "--env-file", str(empty_env), *args], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


PY = sys.executable


def cli(*args, env_extra=None, exe=(PY, "-m", "bot")):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FILMBOT_", "DISCORD_"))}
    env.update(env_extra or {})
    return subprocess.run([*exe, *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def totals(out: str) -> tuple[int, int]:
    match = re.search(r"(\d+) reviews, (\d+) passages in total", out)
    assert match, out
    return int(match.group(1)), int(match.group(2))


async def test_double_click_same_button_is_not_double_counted(world: World):
    """Double click same button is not double counted."""
    _r, new = await create_poll(world, question="Q?", options="A | B", anonymous=True)
    poll_msg = new[0]
    poll_id = world.q("SELECT id FROM polls")[0][0]
    members = [world.guild.add_member(world.env.create_user(f"fast{i}")) for i in range(10)]
    await burst(world.env, [lambda m=m: m.click(poll_msg, label="A") for m in members for _ in range(3)])
    rows = world.q("SELECT user_id, option_id FROM poll_votes WHERE poll_id=?", poll_id)
    assert len(rows) == len({u for u, _ in rows}), "a member was counted twice"
    assert all(o == 1 for _, o in rows)
    # three clicks on the same option: on, off, on → each member ends with exactly one vote
    assert len(rows) == 10, f"odd number of clicks should leave a vote: {len(rows)}"


def test_cli_help_run_without_token_and_idempotent_import(tmp_path):
    """CLI help run without token and idempotent import."""
    out = _cli("--help", tmp=tmp_path)
    assert out.returncode == 0
    for sub in ("run", "playground", "import", "sync"):
        assert sub in out.stdout
    out = _cli("run", tmp=tmp_path)
    assert out.returncode != 0
    lines = [ln for ln in (out.stderr + out.stdout).splitlines() if ln.strip()]
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0] and ".env" in lines[0], lines
    db = tmp_path / "cli.db"
    first = _cli("import", "--database", str(db), tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    m = re.search(r"(\d+) reviews?, (\d+) passages?", first.stdout)
    assert m and int(m.group(1)) == 3 and int(m.group(2)) > 0, first.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM passages").fetchone()[0] == int(m.group(2))
    con.close()
    second = _cli("import", "--database", str(db), tmp=tmp_path)
    assert second.returncode == 0
    m2 = re.search(r"imported (\d+) reviews?, (\d+) passages?", second.stdout, re.IGNORECASE)
    assert m2 and m2.groups() == ("0", "0"), second.stdout


def test_backup_of_a_missing_database_fails_instead_of_copying_an_empty_one(tmp_path, monkeypatch, capsys):
    """Backup of a missing database fails instead of copying an empty one."""
    from bot.__main__ import main

    missing = tmp_path / "never-created.db"
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    monkeypatch.setenv("FILMBOT_DATABASE", str(missing))
    code = main(["--env-file", str(env_file), "backup", str(tmp_path / "copy.db")])
    assert code != 0 and not missing.exists()


async def test_backup_copies_a_consistent_database(world, settings, tmp_path, monkeypatch):
    """README: `filmbot backup TARGET` copies the database safely, even while the bot runs (here it is open)."""
    from bot.__main__ import main

    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    monkeypatch.setenv("FILMBOT_DATABASE", str(settings.database))
    target = tmp_path / "copy.db"
    assert main(["--env-file", str(env_file), "backup", str(target)]) == 0
    con = sqlite3.connect(target)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    finally:
        con.close()


def test_cli_import_force_rederives_without_duplicates(tmp_path, data_copy):
    """`import`, then `import --force`: same totals; `--env-file /dev/null` + FILMBOT_DATA_DIR honoured."""
    db = tmp_path / "cli.db"
    env = {"FILMBOT_DATA_DIR": str(data_copy)}
    first = cli("--env-file", "/dev/null", "import", "--database", str(db), env_extra=env)
    assert first.returncode == 0, first.stderr
    second = cli("--env-file", "/dev/null", "import", "--database", str(db), "--force", env_extra=env)
    assert second.returncode == 0, second.stderr
    assert totals(first.stdout) == totals(second.stdout)
    assert rows(db, "SELECT count(*) FROM (SELECT body_hash FROM reviews GROUP BY body_hash HAVING count(*) > 1)") == [(0,)]
    # the copied manifest is the one used: drop one review and import again
    key = rows(db, "SELECT source_key FROM reviews ORDER BY id")[0][0]
    drop_manifest_entry(data_copy, Path(key).stem)
    third = cli("--env-file", "/dev/null", "import", "--database", str(db), env_extra=env)
    assert third.returncode == 0, third.stderr
    assert totals(third.stdout)[0] == totals(first.stdout)[0] - 1


def test_cli_module_and_console_script_share_help():
    """`python -m bot --help` and `filmbot --help` print the same thing."""
    script = Path(PY).with_name("filmbot")
    if not script.exists():
        pytest.skip("filmbot console script not installed")
    module = cli("--help")
    console = cli("--help", exe=(str(script),))
    assert module.returncode == console.returncode == 0
    assert module.stdout.replace("__main__.py", "filmbot") == console.stdout
