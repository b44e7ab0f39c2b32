"""Discussion themes: loading data/themes.toml and tagging passages with them.

Tagging is deliberately precise rather than generous: a passage shown under
"The ending" that is really about a different film, or that only uses the
idiom "in the end", makes the bot look clueless in front of a film club.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_THRESHOLD = 2.0
_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = {"name", "description", "spoiler", "phrases", "questions", "debate_question", "contrasts"}
_OPTIONAL = {"poll_question", "poll_answers", "threshold", "this_film_only", "requires"}
_FILM_KEYS = {"title", "anchors", "other_films"}
# Curly quotes are folded so moderators can write plain ' and " in patterns.
_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})

Weighted = tuple[re.Pattern[str], float]


@dataclass(frozen=True)
class Theme:
    """One discussion theme as configured in data/themes.toml."""

    key: str
    name: str
    description: str
    spoiler: bool
    patterns: tuple[Weighted, ...]
    questions: tuple[str, ...]
    debate_question: str
    poll_question: str | None
    poll_answers: tuple[str, ...]
    contrasts: tuple[tuple[str, ...], tuple[str, ...]]
    threshold: float = DEFAULT_THRESHOLD
    # Only for this_film_only themes: a passage naming another film must also
    # name this one (anchors), or it is about the other film's ending etc.
    anchors: tuple[re.Pattern[str], ...] = ()
    other_films: tuple[re.Pattern[str], ...] = ()
    # A quote is shown on its own, so it must say what it is about: no cue word, no tag.
    requires: re.Pattern[str] | None = None

    def cued(self, text: str) -> bool:
        return self.requires is None or bool(self.requires.search(fold_quotes(text)))


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"themes.toml [{where}]: {message}")


def _compile(where: str, pattern: Any) -> re.Pattern[str]:
    """Compile a moderator-written regex, case-insensitively."""
    if not isinstance(pattern, str) or not pattern:
        raise _fail(where, f"pattern must be a non-empty string, got {pattern!r}")
    try:
        return re.compile(pattern.translate(_QUOTE_FOLD), re.IGNORECASE)
    except re.error as exc:
        raise _fail(where, f"bad regex {pattern!r}: {exc}") from exc


def _strings(where: str, field: str, value: Any, minimum: int = 0) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"'{field}' must be a list of non-empty strings")
    if len(value) < minimum:
        raise _fail(where, f"'{field}' needs at least {minimum} entries, has {len(value)}")
    return tuple(value)


def _text(where: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{field}' must be a non-empty string")
    return value


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


def _build_theme(key: str, table: Any, film: dict[str, tuple[re.Pattern[str], ...]]) -> Theme:
    """Validate one [themes.<key>] table and turn it into a Theme."""
    where = f"themes.{key}"
    if not _KEY_RE.match(key):
        raise _fail(where, "theme keys must be lowercase words joined by '-'")
    if not isinstance(table, dict):
        raise _fail(where, "must be a table")
    if unknown := set(table) - _REQUIRED - _OPTIONAL:
        raise _fail(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    if missing := _REQUIRED - set(table):
        raise _fail(where, f"missing field(s): {', '.join(sorted(missing))}")
    if not isinstance(table["spoiler"], bool):
        raise _fail(where, "'spoiler' must be true or false")
    threshold = table.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise _fail(where, "'threshold' must be a positive number")
    poll_question, poll_answers = _poll(where, table)
    this_film_only = table.get("this_film_only", False) is True
    return Theme(
        key=key,
        name=_text(where, "name", table["name"]),
        description=_text(where, "description", table["description"]),
        spoiler=table["spoiler"],
        patterns=_phrases(where, table["phrases"]),
        questions=_strings(where, "questions", table["questions"], minimum=2),
        debate_question=_text(where, "debate_question", table["debate_question"]),
        poll_question=poll_question,
        poll_answers=poll_answers,
        contrasts=_contrasts(where, table["contrasts"]),
        threshold=float(threshold),
        anchors=film["anchors"] if this_film_only else (),
        other_films=film["other_films"] if this_film_only else (),
        requires=_compile(where, table["requires"]) if "requires" in table else None,
    )


def _film(data: dict[str, Any]) -> dict[str, tuple[re.Pattern[str], ...]]:
    table = data.get("film", {})
    if not isinstance(table, dict):
        raise _fail("film", "must be a table")
    if unknown := set(table) - _FILM_KEYS:
        raise _fail("film", f"unknown field(s): {', '.join(sorted(unknown))}")
    return {
        name: tuple(_compile("film", p) for p in _strings("film", name, table.get(name, [])))
        for name in ("anchors", "other_films")
    }


def load_themes(path: Path) -> dict[str, Theme]:
    """Load and validate the theme file; any mistake raises ValueError."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"themes.toml is not valid TOML: {exc}") from exc
    if unknown := set(data) - {"film", "themes"}:
        raise ValueError(f"themes.toml: unknown top-level key(s): {', '.join(sorted(unknown))}")
    themes = data.get("themes")
    if not isinstance(themes, dict) or not themes:
        raise ValueError("themes.toml: no [themes.<key>] tables found")
    film = _film(data)
    return {key: _build_theme(key, table, film) for key, table in themes.items()}


@lru_cache(maxsize=4096)  # every theme folds the same passage: do it once
def fold_quotes(text: str) -> str:
    """Curly quotes to straight ones, so patterns match either style."""
    return text.translate(_QUOTE_FOLD)


def is_about_other_film(text: str, theme: Theme) -> bool:
    """True when the text names another film and nothing of this one."""
    folded = fold_quotes(text)
    names_other = any(p.search(folded) for p in theme.other_films)
    return names_other and not any(p.search(folded) for p in theme.anchors)


@lru_cache(maxsize=256)
def _any_phrase(patterns: tuple[tuple[re.Pattern[str], float], ...]) -> re.Pattern[str]:
    """One alternation of a theme's phrases: a single search rules out most passages at once."""
    return re.compile("|".join(f"(?:{p.pattern})" for p, _ in patterns), re.IGNORECASE)


def theme_score(text: str, theme: Theme) -> float:
    """Sum of the weights of the distinct phrases found (each counts once)."""
    folded = fold_quotes(text)
    # No phrase at all means a score of 0 whatever the weights: skip the per-phrase searches.
    if not theme.patterns or not _any_phrase(theme.patterns).search(folded) or not theme.cued(text):
        return 0.0
    if is_about_other_film(text, theme):
        return 0.0
    return round(sum(weight for pattern, weight in theme.patterns if pattern.search(folded)), 2)


def tag_passage(text: str, themes: dict[str, Theme]) -> dict[str, float]:
    """Theme key -> score for every theme reaching its threshold."""
    scores = {key: theme_score(text, theme) for key, theme in themes.items()}
    return {key: score for key, score in scores.items() if score >= themes[key].threshold}


@lru_cache(maxsize=256)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """'joy*' matches joy, joyful, joyous; 'pain' matches only pain."""
    parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def contrast_side(text: str, theme: Theme) -> int:
    """-1 if the wording leans to contrasts[0], +1 to contrasts[1], 0 if neither/tied."""
    folded = fold_quotes(text)
    first = len(_word_pattern(theme.contrasts[0]).findall(folded))
    second = len(_word_pattern(theme.contrasts[1]).findall(folded))
    return (second > first) - (first > second)
