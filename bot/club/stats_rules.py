"""/club stats, pure: the year's numbers from plain rows (no discord, no store)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.core.refusals import UserError

YEAR_MIN, YEAR_MAX = 2000, 2100
MIN_DIVISIVE = 2  # a spread needs at least two ratings


@dataclass(frozen=True)
class FilmScore:
    film_id: int
    label: str
    ratings: int
    average: float  # stars
    spread: float  # population standard deviation, in stars


@dataclass(frozen=True)
class Gap:
    label: str
    distance: float  # 0..1: half the sum of the share differences over themes (total variation distance)
    club_top: str | None
    critics_top: str | None


@dataclass
class YearStats:
    year: int
    films: int
    members: int
    ratings: int
    average: float | None
    per_film: list[FilmScore] = field(default_factory=list)
    divisive: FilmScore | None = None
    gap: Gap | None = None
    critics: list[tuple[str, int]] = field(default_factory=list)
    threads: list[tuple[int, int, int]] = field(default_factory=list)


def check_year(year: int | None, this_year: int) -> int:
    year = this_year if year is None else year
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise UserError(f"A year between {YEAR_MIN} and {YEAR_MAX}, e.g. {this_year}.")
    return year


def film_scores(rows: list[tuple[int, str, int]]) -> list[FilmScore]:
    """(film id, label, half stars) rows → each film's count, average and spread, best average first."""
    by_film: dict[int, tuple[str, list[float]]] = {}
    for film_id, label, stars_x2 in rows:
        by_film.setdefault(film_id, (label, []))[1].append(stars_x2 / 2)
    scores = []
    for film_id, (label, stars) in by_film.items():
        mean = sum(stars) / len(stars)
        spread = math.sqrt(sum((s - mean) ** 2 for s in stars) / len(stars))
        scores.append(FilmScore(film_id, label, len(stars), mean, spread))
    return sorted(scores, key=lambda s: (-s.average, s.label))


def most_divisive(scores: list[FilmScore]) -> FilmScore | None:
    """The film whose ratings spread widest (at least two ratings and some spread)."""
    candidates = [s for s in scores if s.ratings >= MIN_DIVISIVE and s.spread > 0]
    return max(candidates, key=lambda s: (s.spread, s.ratings, s.label), default=None)


def theme_distance(club: dict[str, int], critics: dict[str, int]) -> float | None:
    """Total variation distance between the club's and the critics' theme shares; None if a side is empty."""
    club_total, critic_total = sum(club.values()), sum(critics.values())
    if not club_total or not critic_total:
        return None
    keys = set(club) | set(critics)
    return sum(abs(club.get(k, 0) / club_total - critics.get(k, 0) / critic_total) for k in keys) / 2


def top_theme(counts: dict[str, int]) -> str | None:
    return max(sorted(counts), key=lambda k: counts[k], default=None) if any(counts.values()) else None


def alt_text(stats: YearStats) -> str:
    """The chart's description for screen readers: every bar, in words."""
    bars = "; ".join(f"{s.label}: {s.average:.1f} stars from {s.ratings}" for s in stats.per_film[:12])
    return (f"Bar chart of the club's average rating per film in {stats.year}, highest first. "
            f"{bars or 'No ratings'}.")[:1024]
