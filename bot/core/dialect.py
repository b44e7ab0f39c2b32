"""The stores' SQL, written once for SQLite, as PostgreSQL reads it: the one place the dialects differ.

Stores write SQLite's SQL with `?` (or `:name`) placeholders. `to_postgres` rewrites one statement:
placeholders to `$n`, `INSERT OR IGNORE` to `ON CONFLICT DO NOTHING`, SQLite's null-safe `IS ?` to
`IS NOT DISTINCT FROM`, case-insensitive `LIKE` to `ILIKE`, scalar `min(a, b)`/`max(a, b)` to
`LEAST`/`GREATEST`, `group_concat` to `string_agg`, `instr` to `strpos`, `json_each(?)` membership to
`= ANY(?)` (the adapter hands the JSON array over as a PostgreSQL array), `json_group_array` to
`json_agg`, `rowid` to the `id` every table has, `LIMIT -1` to `LIMIT ALL`. What cannot be rewritten
(full-text search, bespoke sampling) is written twice in its store, keyed on `Database.dialect`.
Pure and cached: a statement is rewritten once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Literals and comments are set aside before rewriting, so nothing inside them is touched.
_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)
_HOLE = "\x00{}\x00"
_HOLE_BACK = re.compile("\x00(\\d+)\x00")
_PLACEHOLDER = re.compile(r"\?|(?<![:\w]):([A-Za-z_]\w*)")
_INSERT_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_NULL_SAFE = re.compile(r"\bIS\s+(NOT\s+)?(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b|NOT\b)(?=[\w?:$(])", re.IGNORECASE)
_PARAM_IS_NULL = re.compile(r"(\?|(?<![:\w]):\w+)\s+IS\s+(NOT\s+)?NULL\b", re.IGNORECASE)
# NOCASE (ASCII case folding) as PostgreSQL says it: a comparison folds both sides, an ORDER BY its key.
_EQUALS_NOCASE = re.compile(r"([\w.]+)\s*=\s*(\?|:\w+|[\w.]+|\x00\d+\x00)\s+COLLATE\s+NOCASE\b", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.]+)\s+COLLATE\s+NOCASE\b", re.IGNORECASE)
_LIKE = re.compile(r"(?<!I)\bLIKE\b", re.IGNORECASE)
_ROWID = re.compile(r"\browid\b", re.IGNORECASE)
_WHERE_ONE = re.compile(r"\b(WHERE|AND|OR)\s+1\b(?!\s*[=<>!])", re.IGNORECASE)  # SQLite's 1 is true
_LIMIT_ALL = re.compile(r"\bLIMIT\s+-1\b", re.IGNORECASE)
_IN_JSON_EACH = re.compile(
    r"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*(\?|:\w+)\s*\)\s*\)", re.IGNORECASE
)
_NOT_IN_JSON_EACH = re.compile(
    r"\bNOT\s+IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*(\?|:\w+)\s*\)\s*\)", re.IGNORECASE
)
_FUNCTION = re.compile(
    r"\b(min|max|group_concat|instr|ifnull|json_group_array|char|cast|json_extract)\s*\(", re.IGNORECASE
)
# `FROM json_each(?) j`: a JSON array parameter as rows of `j.value` (jsonb: CAST it to use it as a number).
_JSON_EACH_TABLE = re.compile(r"\bjson_each\(\s*(\?|:\w+)\s*\)\s+(?:AS\s+)?(?!WHERE\b|ON\b|JOIN\b)(\w+)", re.IGNORECASE)
_AS_TYPE = re.compile(r"^(.*)\s+AS\s+(\w+)$", re.IGNORECASE | re.DOTALL)
_JSON_INDEX = re.compile(r"^'\$\[(\d+)\]'$")


_SUBQUERY_SOURCE = re.compile(r"(?<!DISTINCT )\b(?:FROM|JOIN)\s*\(\s*(?=SELECT\b|WITH\b|VALUES\b)", re.IGNORECASE)
_ALIAS_AFTER = re.compile(
    r"\s*(?:AS\s+)?(?!(?:WHERE|ORDER|GROUP|LIMIT|JOIN|LEFT|INNER|CROSS|ON|UNION|EXCEPT|INTERSECT|HAVING|"
    r"WINDOW|OFFSET|USING)\b)[A-Za-z_]\w*", re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """One statement as PostgreSQL reads it, and which named parameter fills each `$n` (None: positional)."""

    sql: str
    names: tuple[str, ...] | None


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> Statement:
    """Rewrite one SQLite statement for PostgreSQL (see the module's docstring)."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return _HOLE.format(len(kept) - 1)

    code = _LITERAL.sub(hide, sql).strip().rstrip(";")
    code = _NOT_IN_JSON_EACH.sub(r"<> ALL(\1)", code)
    code = _IN_JSON_EACH.sub(r"= ANY(\1)", code)
    code = _JSON_EACH_TABLE.sub(r"jsonb_array_elements(CAST(\1 AS jsonb)) WITH ORDINALITY AS \2(value, key)", code)
    if _INSERT_OR_IGNORE.search(code):
        code = _INSERT_OR_IGNORE.sub("INSERT INTO", code)
        returning = _RETURNING.search(code)
        if returning:
            code = code[: returning.start()] + "ON CONFLICT DO NOTHING " + code[returning.start():]
        else:
            code += " ON CONFLICT DO NOTHING"
    # `? IS NULL` alone gives PostgreSQL no type for the parameter: only its null-ness matters.
    code = _PARAM_IS_NULL.sub(lambda m: f"CAST({m.group(1)} AS TEXT) IS {m.group(2) or ''}NULL", code)
    code = _NULL_SAFE.sub(lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", code)
    code = _EQUALS_NOCASE.sub(r"lower(\1) = lower(\2)", code)
    code = _NOCASE.sub(r"lower(\1)", code)
    code = _LIKE.sub("ILIKE", code)
    code = _ROWID.sub("id", code)
    code = _LIMIT_ALL.sub("LIMIT ALL", code)
    code = _WHERE_ONE.sub(r"\1 TRUE", code)
    code = _functions(code, kept)
    code = _alias_subqueries(code)
    code, names = _number_placeholders(code)
    return Statement(_HOLE_BACK.sub(lambda m: kept[int(m.group(1))], code), names)


def _number_placeholders(code: str) -> tuple[str, tuple[str, ...] | None]:
    names: list[str] = []
    positional = False

    def number(match: re.Match[str]) -> str:
        nonlocal positional
        name = match.group(1)
        if name is None:
            positional = True
            names.append("")
            return f"${len(names)}"
        if name in names:  # a named parameter used twice is one parameter
            return f"${names.index(name) + 1}"
        names.append(name)
        return f"${len(names)}"

    code = _PLACEHOLDER.sub(number, code)
    if positional and any(names):
        raise ValueError("a statement mixes ? and :name placeholders")
    return code, None if positional or not names else tuple(names)


def _functions(code: str, kept: list[str]) -> str:
    """Rename the functions whose names or arities differ, matching their parentheses."""
    out: list[str] = []
    position = 0
    for match in _FUNCTION.finditer(code):
        if match.start() < position:
            continue  # inside an argument list already rewritten
        name = match.group(1).lower()
        close = _closing(code, match.end())
        if close is None:
            continue
        args = _split_args(code[match.end():close])
        inner = ", ".join(_functions(arg, kept) for arg in args)
        if name in ("min", "max"):
            if len(args) < 2:
                continue  # the aggregate: the same in both
            replaced = f"{'LEAST' if name == 'min' else 'GREATEST'}({inner})"
        elif name == "group_concat":
            sep = _functions(args[1], kept) if len(args) > 1 else "','"
            replaced = f"string_agg(({_functions(args[0], kept)})::text, {sep})"
        elif name == "instr":
            replaced = f"strpos({inner})"
        elif name == "ifnull":
            replaced = f"coalesce({inner})"
        elif name == "char":
            replaced = f"chr({inner})"
        elif name == "cast":
            replaced = _cast(_functions(code[match.end():close], kept))
        elif name == "json_extract":
            index = _JSON_INDEX.match(_HOLE_BACK.sub(lambda m: kept[int(m.group(1))], args[1].strip())) if len(args) == 2 else None
            if index is None:
                continue
            replaced = f"({_functions(args[0], kept)} -> {index.group(1)})"
        else:  # json_group_array: an empty group is '[]' in SQLite, NULL for json_agg
            replaced = f"coalesce(json_agg({inner})::text, '[]')"
        out.append(code[position:match.start()] + replaced)
        position = close + 1
    out.append(code[position:])
    return "".join(out)


def _alias_subqueries(code: str) -> str:
    """PostgreSQL wants a name for every subquery in FROM (SQLite does not)."""
    out: list[str] = []
    position = 0
    for number, match in enumerate(_SUBQUERY_SOURCE.finditer(code)):
        close = _closing(code, match.end())
        if close is None or _ALIAS_AFTER.match(code, close + 1):
            continue
        out.append(code[position:close + 1] + f" AS _sub{number}")
        position = close + 1
    out.append(code[position:])
    return "".join(out)


def _cast(inner: str) -> str:
    """SQLite's CAST(x AS INTEGER) truncates (PostgreSQL's rounds) and its REAL is a double."""
    found = _AS_TYPE.match(inner.strip())
    if found is None:
        return f"CAST({inner})"
    value, kind = found.group(1), found.group(2).upper()
    if kind == "INTEGER":
        return f"CAST(trunc(CAST({value} AS numeric)) AS BIGINT)"
    if kind == "REAL":
        return f"CAST({value} AS double precision)"
    return f"CAST({inner})"


def _closing(code: str, start: int) -> int | None:
    depth = 1
    for index in range(start, len(code)):
        if code[index] == "(":
            depth += 1
        elif code[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _split_args(args: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in args:
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += ch == "("
        depth -= ch == ")"
        current.append(ch)
    if current or parts:
        parts.append("".join(current).strip())
    return parts
