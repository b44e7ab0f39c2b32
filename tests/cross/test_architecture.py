"""The layering rules of bot/README.md, enforced: pure code stays pure, SQL stays in stores, one direction."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ("quotes", "discussion", "polls", "schedules", "reviews", "corpus", "filmnight", "club")
# Pure modules: text processing, poll rules, time maths, rotation picking, domain types.
PURE = (
    "bot.corpus", "bot.corpus.clean", "bot.corpus.segment", "bot.corpus.themes", "bot.corpus.standalone",
    "bot.corpus.quotes", "bot.corpus.context", "bot.corpus.hostile", "bot.corpus.film_refs",
    "bot.corpus.themes_model", "bot.corpus.themes_load", "bot.corpus.preview", "bot.corpus.run_on",
    "bot.corpus.pool",
    "bot.core.films", "bot.core.time", "bot.core.text", "bot.core.refusals", "bot.core.config",
    "bot.core.jobs", "bot.quotes.fts", "bot.quotes.rules", "bot.polls.rules", "bot.schedules.rules",
    "bot.discussion.rotation", "bot.discussion.stance", "bot.discussion.question", "bot.reviews.rules",
    "bot.filmnight.rules", "bot.club.rules", "bot.films.rules",
)
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\s")


def _modules() -> list[str]:
    found = []
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").glob("*.py")]):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def _is_store(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return path.stem == "store" or path.stem.endswith("_store") or relative == "bot/core/db.py"


def _runtime_imports(path: Path) -> list[str]:
    """Modules imported when the file runs (imports under `if TYPE_CHECKING:` are types only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    names = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _has_docstring(node: ast.AST) -> bool:
    body = getattr(node, "body", None)
    return (
        isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    )


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_pure_modules_import_neither_discord_nor_a_store() -> None:
    """Each pure module, imported alone in a fresh interpreter, loads no discord, aiosqlite or store."""
    def check(module: str) -> str | None:
        result = _python(
            f"import sys, {module}\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'aiosqlite')"
            " or m == 'bot.stores' or m.endswith('store'))\n"
            "print(','.join(bad))"
        )
        loaded = result.stdout.strip()
        return f"{module}: {result.stderr.strip()[-300:] or loaded}" if result.returncode or loaded else None

    with ThreadPoolExecutor(4) as pool:
        failures = [f for f in pool.map(check, PURE) if f]
    assert failures == []


def test_every_module_imports_on_its_own() -> None:
    """`python -c "import <module>"` works for every module in a fresh interpreter (no hidden cycles)."""

    def check(module: str) -> str | None:
        result = _python(f"import {module}")
        return f"{module}: {result.stderr.strip().splitlines()[-1]}" if result.returncode else None

    with ThreadPoolExecutor(4) as pool:
        failures = [f for f in pool.map(check, _modules()) if f]
    assert failures == []


def test_sql_lives_only_in_store_modules_and_migrations() -> None:
    """SELECT/INSERT/UPDATE/DELETE/CREATE in a string literal appear only in store modules (and db.py)."""
    offenders = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").glob("*.py")]:
        if _is_store(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree) if _has_docstring(node)}
        for node in ast.walk(tree):
            literal = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if literal and id(node) not in docstrings and SQL.search(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_shared_package_never_imports_a_feature_at_run_time() -> None:
    """bot/core is below every feature: it may name them for types only."""
    offenders = [
        f"{path.relative_to(ROOT)} → {name}"
        for path in (ROOT / "bot" / "core").glob("*.py")
        for name in _runtime_imports(path)
        if name.split(".")[:2][-1] in (*FEATURES, "stores", "client") and name.startswith("bot.")
        and name != "bot.corpus"  # Theme, the corpus's pure type, is shared vocabulary
    ]
    assert offenders == []


def test_features_never_import_cogs_and_stores_never_import_discord_faces() -> None:
    """Arrows point cog → feature → core; a store imports rules and core only."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        for name in _runtime_imports(path):
            # The composition root (client.py) is the one module that loads the cogs.
            if (name == "cogs" or name.startswith("cogs.")) and path.name != "client.py":
                offenders.append(f"{path.relative_to(ROOT)} → {name}")
            face = name.split(".")[0] == "discord" or name.endswith((".views", ".service", ".job"))
            if _is_store(path) and face:
                offenders.append(f"{path.relative_to(ROOT)} → {name}")
    assert offenders == []


def test_no_view_reaches_its_cog_by_name() -> None:
    """Views and jobs use the bot's services, never `get_cog("…")`."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").glob("*.py")]
        if "get_cog(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_cogs_hold_no_sql_and_no_database_driver() -> None:
    """A cog is the Discord face only: no aiosqlite, no transaction of its own."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cogs").glob("*.py")
        if "aiosqlite" in _runtime_imports(path) or ".transaction(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
