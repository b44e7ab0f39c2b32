"""Loading and validating data/themes.toml into a ThemeSet.

Layout: [themes.<key>] tables are generic (every film); a [films.<key>]
section gives one film's title, year, anchors and other_films, and its
[films.<key>.themes.<key>] tables either add to a generic theme (same key) or
define a theme only that film has.  Any mistake raises ValueError naming it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.corpus.data_files import read_bounded
from bot.corpus.themes_model import (
    DEFAULT_THRESHOLD,
    PLACEHOLDER,
    Extension,
    Film,
    Templates,
    Theme,
    ThemeSet,
    Weighted,
    render,
)

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = {"name", "description", "spoiler", "phrases", "questions", "debate_question", "contrasts"}
_OPTIONAL = {"poll_question", "poll_answers", "threshold", "this_film_only", "requires", "cast_weight"}
_EXTENSION = {"phrases", "questions", "debate_question", "poll_question", "poll_answers", "requires", "description"}
_FILM_KEYS = {"title", "year", "anchors", "other_films", "themes"}
_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_BRACES = re.compile(r"\{[^{}]*\}")


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"themes.toml [{where}]: {message}")


@lru_cache(maxsize=8192)
def _compiled(pattern: str) -> re.Pattern[str]:
    """re.compile's own cache keeps 512 patterns and a theme file holds ~2,600: every load (each bot a process
    makes, each test's) compiled them all again, ~0.1 s. A compiled pattern is immutable, so one is shared."""
    return re.compile(pattern.translate(_QUOTE_FOLD), re.IGNORECASE)


def _compile(where: str, pattern: Any) -> re.Pattern[str]:
    """Compile a moderator-written regex, case-insensitively."""
    if not isinstance(pattern, str) or not pattern:
        raise _fail(where, f"pattern must be a non-empty string, got {pattern!r}")
    try:
        return _compiled(pattern)
    except re.error as exc:
        raise _fail(where, f"bad regex {pattern!r}: {exc}") from exc


def _template(where: str, field: str, value: str) -> str:
    """Question texts may name the film as {film}; any other {...} is a typo."""
    if bad := [b for b in _BRACES.findall(value) if b != PLACEHOLDER]:
        raise _fail(where, f"'{field}' has unknown placeholder {bad[0]} (only {PLACEHOLDER} is allowed)")
    return value


def _strings(where: str, field: str, value: Any, minimum: int = 0) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"'{field}' must be a list of non-empty strings")
    if len(value) < minimum:
        raise _fail(where, f"'{field}' needs at least {minimum} entries, has {len(value)}")
    return tuple(_template(where, field, v) for v in value)


def _text(where: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{field}' must be a non-empty string")
    return _template(where, field, value)


def _phrases(where: str, value: Any) -> tuple[Weighted, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(where, "'phrases' must be a non-empty list of {pattern, weight} tables")
    out: list[Weighted] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"pattern", "weight"}:
            raise _fail(where, f"each phrase needs exactly 'pattern' and 'weight', got {item!r}")
        weight = item["weight"]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise _fail(where, f"weight of {item['pattern']!r} must be a number")
        out.append((_compile(where, item["pattern"]), float(weight)))
    return tuple(out)


def _poll(where: str, table: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    question = table.get("poll_question")
    answers = table.get("poll_answers", [])
    if question is None:
        if answers:
            raise _fail(where, "'poll_answers' given without 'poll_question'")
        return None, ()
    answers_t = _strings(where, "poll_answers", answers, minimum=2)
    if len(answers_t) > 5:  # Discord polls stay readable with a handful of options
        raise _fail(where, f"'poll_answers' allows at most 5 entries, has {len(answers_t)}")
    return _text(where, "poll_question", question), answers_t


def _contrasts(where: str, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(where, "'contrasts' must be two lists of words: [[side A...], [side B...]]")
    return _strings(where, "contrasts[0]", value[0], 1), _strings(where, "contrasts[1]", value[1], 1)


def _check_fields(where: str, table: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(table, dict):
        raise _fail(where, "must be a table")
    if unknown := set(table) - allowed:
        raise _fail(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    if missing := required - set(table):
        raise _fail(where, f"missing field(s): {', '.join(sorted(missing))}")


def _build_theme(where: str, key: str, table: Any, film: str | None = None) -> Theme:
    """Validate one theme table and turn it into a Theme."""
    if not _KEY_RE.match(key):
        raise _fail(where, "theme keys must be lowercase words joined by '-'")
    _check_fields(where, table, _REQUIRED | _OPTIONAL, _REQUIRED)
    if not isinstance(table["spoiler"], bool):
        raise _fail(where, "'spoiler' must be true or false")
    threshold = table.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise _fail(where, "'threshold' must be a positive number")
    cast_weight = table.get("cast_weight", 0.0)
    if isinstance(cast_weight, bool) or not isinstance(cast_weight, (int, float)) or cast_weight < 0:
        raise _fail(where, "'cast_weight' must be a number of 0 or more")
    poll_question, poll_answers = _poll(where, table)
    templates = Templates(
        _strings(where, "questions", table["questions"], minimum=2),
        _text(where, "debate_question", table["debate_question"]),
        poll_question,
        poll_answers,
    )
    return Theme(
        key=key,
        name=_text(where, "name", table["name"]),
        description=_text(where, "description", table["description"]),
        spoiler=table["spoiler"],
        patterns=_phrases(where, table["phrases"]),
        questions=tuple(render(q, None) for q in templates.questions),
        debate_question=render(templates.debate_question, None),
        poll_question=render(poll_question, None) if poll_question else None,
        poll_answers=tuple(render(a, None) for a in poll_answers),
        contrasts=_contrasts(where, table["contrasts"]),
        threshold=float(threshold),
        requires=_compile(where, table["requires"]) if "requires" in table else None,
        this_film_only=table.get("this_film_only", False) is True,
        cast_weight=float(cast_weight),
        film=film,
        templates=templates,
    )


def _extension(where: str, table: Any) -> Extension:
    """A film's additions to a generic theme: more phrases and questions, its own debate/poll."""
    _check_fields(where, table, _EXTENSION, set())
    poll_question, poll_answers = _poll(where, table)
    return Extension(
        patterns=_phrases(where, table["phrases"]) if "phrases" in table else (),
        questions=_strings(where, "questions", table.get("questions", [])),
        debate_question=_text(where, "debate_question", table["debate_question"])
        if "debate_question" in table else None,
        poll=(poll_question, poll_answers) if poll_question else None,
        requires=_compile(where, table["requires"]) if "requires" in table else None,
        description=_text(where, "description", table["description"]) if "description" in table else None,
    )


def _film(key: str, table: Any, generic: dict[str, Theme], out: dict[str, Theme]) -> Film:
    """Validate one [films.<key>] section; its film-only themes are added to `out`."""
    where = f"films.{key}"
    _check_fields(where, table, _FILM_KEYS, {"title"})
    year = table.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise _fail(where, "'year' must be a whole number such as 2016")
    patterns = {
        name: tuple(_compile(where, p) for p in _strings(where, name, table.get(name, [])))
        for name in ("anchors", "other_films")
    }
    themes = table.get("themes", {})
    if not isinstance(themes, dict):
        raise _fail(where, "'themes' must hold [films.<key>.themes.<theme>] tables")
    extensions: dict[str, Extension] = {}
    for theme_key, theme_table in themes.items():
        theme_where = f"{where}.themes.{theme_key}"
        if theme_key in generic:
            extensions[theme_key] = _extension(theme_where, theme_table)
        elif theme_key in out:
            raise _fail(theme_where, f"theme key '{theme_key}' is already used by another film")
        else:
            out[theme_key] = _build_theme(theme_where, theme_key, theme_table, film=key)
    return Film(key, _text(where, "title", table["title"]), year, patterns["anchors"], patterns["other_films"],
                extensions)


def load_themes(path: Path) -> ThemeSet:
    """Load and validate the theme file; any mistake raises ValueError."""
    text = read_bounded(path).decode("utf-8")  # a pipe or /dev/zero named as the themes file: refused, not read
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"themes.toml is not valid TOML: {exc}") from exc
    if "film" in data:
        raise ValueError("themes.toml: [film] is now [films.<key>] with a title (one section per film)")
    if unknown := set(data) - {"films", "themes"}:
        raise ValueError(f"themes.toml: unknown top-level key(s): {', '.join(sorted(unknown))}")
    tables = data.get("themes")
    if not isinstance(tables, dict) or not tables:
        raise ValueError("themes.toml: no [themes.<key>] tables found")
    generic = {key: _build_theme(f"themes.{key}", key, table) for key, table in tables.items()}
    films_data = data.get("films", {})
    if not isinstance(films_data, dict):
        raise _fail("films", "must hold [films.<key>] sections")
    film_only: dict[str, Theme] = {}
    films = {}
    for key, table in films_data.items():
        if not _KEY_RE.match(key):
            raise _fail(f"films.{key}", "film keys must be lowercase words joined by '-'")
        films[key] = _film(key, table, generic, film_only)
    return ThemeSet({**generic, **film_only}, films, hashlib.sha256(text.encode()).hexdigest())
