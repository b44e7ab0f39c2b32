"""The SQL a film or critic filter becomes: WHERE clauses over `films f` and `reviews r`, shared by every
store that filters reviews by film or critic (quotes/store's picks and searches,
corpus/catalogue_store's per-film theme counts, reviews/store's pages)."""

from __future__ import annotations

from typing import Any

from bot.core.films import TITLE_YEAR, unattributed_target
from bot.films.rules import norm_key, parse_ref


# A film filter is the explicit `film:<id>` (bot/films/rules.py) or a typed 'Title (Year)' / title,
# matched on the catalogue key (NFC, casefold, one article rule): digits alone are always a title.
def film_clause(film: str) -> tuple[str, list[Any]]:
    """Match a film by explicit reference, 'Title (Year)' or title (its catalogue key)."""
    film_id = parse_ref(film)
    if film_id is not None:
        return "f.id = ?", [film_id]
    text = film.strip()
    by_key = "f.id IN (SELECT id FROM films WHERE norm_key = ?"
    match = TITLE_YEAR.match(text)
    if match:
        return f"{by_key} AND year = ?)", [norm_key(match["title"]), int(match["year"])]
    return f"{by_key})", [norm_key(text)]


def critic_clause(critic: str) -> tuple[str, list[Any]]:
    """Match a critic or outlet by name, or an unattributed review by its label."""
    unattributed, review_id = unattributed_target(critic)
    if unattributed:
        if review_id is not None:
            return "(r.critic IS NULL AND r.id = ?)", [review_id]
        return "r.critic IS NULL", []
    name = critic.strip().casefold()
    return "r.id IN (SELECT id FROM reviews WHERE casefold(critic) = ? OR casefold(outlet) = ?)", [name, name]
