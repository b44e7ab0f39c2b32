"""The layering rules of bot/README.md, enforced: pure code stays pure, SQL stays in stores, one direction."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\s")


def _modules() -> list[str]:
    found = []
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").glob("*.py")]):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


# The database itself: the connection and runner, the PostgreSQL backend, its dialect rewrite, copy-db.
_DATABASE_MODULES = frozenset({"bot/core/db.py", "bot/core/db_pg.py", "bot/core/dialect.py", "bot/core/copy_db.py"})


def _is_store(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return path.stem == "store" or path.stem.endswith("_store") or relative in _DATABASE_MODULES


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


# Which package may import which (layers, independent features, pure modules, stores) is stated as
# import-linter contracts in pyproject.toml and checked by `lint-imports` in .ci/run.


def test_every_module_imports_on_its_own() -> None:
    """Each module imports first, with none of ours loaded before it (no hidden import cycles).

    One interpreter for all of them: our modules are dropped from sys.modules between imports, while
    discord and the rest stay loaded (a fresh interpreter per module cost ~1 min for 124 modules)."""
    modules = _modules()
    code = (
        "import importlib, sys\n"
        f"failures = []\nfor name in {modules!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ('bot', 'cogs')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n        importlib.import_module(name)\n"
        "    except Exception as error:\n        failures.append(f'{name}: {error!r}')\n"
        "print('\\n'.join(failures))\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "", result.stdout
    assert len(modules) > 80  # the walk found the tree


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
