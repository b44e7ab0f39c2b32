"""The SQL a film or critic filter becomes: WHERE clauses over `films f` and `reviews r`, shared by every
store that filters reviews by film or critic (quotes/store's picks and searches,
corpus/catalogue_store's per-film theme counts, reviews/store's pages)."""

from __future__ import annotations

from typing import Any

from bot.core.films import TITLE_YEAR, unattributed_target
from bot.films.rules import norm_key, parse_ref
from bot.films.store import titled_here


# A film filter is the explicit `film:<id>` (bot/films/rules.py) or a typed 'Title (Year)' / title,
# matched on the catalogue key (NFC, casefold, one article rule): digits alone are always a title.
def film_clause(film: str, guild_id: int | None = None) -> tuple[str, list[Any]]:
    """Match a film by explicit reference, 'Title (Year)' or title (its catalogue key), read as `FilmStore.by_key`
    reads it in server `guild_id` (None: no server's own aliases): the films of that title, else, when the server
    sees no film of that title, those with it as another title — its moderators' or a provider's, never another
    server's moderators'."""
    film_id = parse_ref(film)
    if film_id is not None:
        return "f.id = ?", [film_id]
    text = film.strip()
    match = TITLE_YEAR.match(text)
    key = norm_key(match["title"] if match else text)
    year = [int(match["year"])] if match else []
    seen, seen_params = titled_here(key, guild_id)
    # One IN list (the films of the title, then the aliased ones while none of the title is seen here), so the
    # planner still walks from the few films to their reviews (film_id's index), never the reviews table.
    clause = (f"f.id IN (SELECT id FROM films WHERE norm_key = ?{' AND year = ?' if year else ''}"
              " UNION ALL SELECT a.film_id FROM film_aliases a JOIN films fa ON fa.id = a.film_id"
              f" WHERE a.norm_key = ? AND a.guild_id IN (0, ?){' AND fa.year = ?' if year else ''} AND NOT {seen})")
    return clause, [key, *year, key, guild_id or 0, *year, *seen_params]


def critic_clause(critic: str) -> tuple[str, list[Any]]:
    """Match a critic or outlet by name, or an unattributed review by its label."""
    unattributed, review_id = unattributed_target(critic)
    if unattributed:
        if review_id is not None:
            return "(r.critic IS NULL AND r.id = ?)", [review_id]
        return "r.critic IS NULL", []
    name = critic.strip().casefold()
    return "r.id IN (SELECT id FROM reviews WHERE casefold(critic) = ? OR casefold(outlet) = ?)", [name, name]
