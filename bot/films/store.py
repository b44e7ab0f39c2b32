"""Every SQL statement of the film catalogue: read a film, find what typed text names, add one, fill
its metadata. The one place a row of `films` is created (`FilmStore.ensure`)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.db import Database, inserted_id
from bot.core.films import key_before_226
from bot.core.generation_store import CorpusGeneration
from bot.films.aliases_store import ALIASED, ALIASED_PREFIX, AliasStore, aliased
from bot.films.rules import (
    FILM_COLUMNS,
    METADATA_FIELDS,
    Ambiguous,
    Film,
    Wanted,
    bare_year,
    clean_title,
    norm_key,
    parse_typed,
    pick_one,
    typed_years,
)

_SELECT = f"SELECT {', '.join(FILM_COLUMNS)} FROM films"
# A film a server sees (`FilmStore.visible`, `lookup`, `choices`, `known_in`): reviewed (the shared corpus),
# or one this server refers to: its watchlist, picks, screenings, ratings, watches, polls, schedules, theme
# questions, suggestions, prompts or game rounds. Any other film of the shared catalogue (another server's
# watchlist title, never reviewed) is unknown here, as a film that does not exist: autocomplete never offers
# it and a typed title or a forged `film:<id>` never resolves to it. Each EXISTS is one index seek from the
# film's side (migration 119), reviews first: a reviewed film is settled by the first.
_KNOWN = (
    "(EXISTS (SELECT 1 FROM reviews r WHERE r.film_id = f.id)"
    " OR EXISTS (SELECT 1 FROM watchlist w WHERE w.guild_id = :guild AND w.film_id = f.id)"
    " OR EXISTS (SELECT 1 FROM screenings s WHERE s.film_id = f.id AND s.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM club_ratings c WHERE c.guild_id = :guild AND c.film_id = f.id)"
    " OR EXISTS (SELECT 1 FROM film_watches fw WHERE fw.guild_id = :guild AND fw.film_id = f.id)"
    " OR EXISTS (SELECT 1 FROM filmnight_candidates fc JOIN filmnight_picks fp ON fp.id = fc.pick_id"
    " WHERE fc.film_id = f.id AND fp.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM polls p WHERE p.film_id = f.id AND p.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM schedules sc WHERE sc.film = 'film:' || f.id AND sc.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM theme_questions tq WHERE tq.film_key = CAST(f.id AS TEXT) AND tq.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM question_suggestions qs WHERE qs.film_id = f.id AND qs.guild_id = :guild)"
    " OR EXISTS (SELECT 1 FROM posted_prompts pp WHERE pp.guild_id = :guild AND pp.film_key = CAST(f.id AS TEXT))"
    " OR EXISTS (SELECT 1 FROM club_game_rounds g WHERE g.film_id = f.id AND g.guild_id = :guild))"
)


def titled_here(key: str, guild_id: int | None) -> tuple[str, list[Any]]:
    """SQL in `?` parameters: the server sees a film whose own title has this key. `by_key`'s rule for SQL built
    with `?` (corpus/filter_store's film filters): another title (an alias) is read only where this is false."""
    known = _KNOWN.replace(":guild", "?")
    return (f"EXISTS (SELECT 1 FROM films f WHERE f.norm_key = ? AND {known})",
            [key, *[guild_id or 0] * _KNOWN.count(":guild")])


def _film(row: Any) -> Film:
    return Film(*tuple(row))


def this_year() -> int:
    return datetime.now(UTC).year


async def _seen_near(conn: aiosqlite.Connection, key: str, year: int, guild_id: int) -> int | None:
    """The only film titled `key` the server sees, when its year is one off `year`; else None."""
    async with conn.execute(
        f"SELECT f.id FROM films f WHERE f.norm_key = :key AND f.year BETWEEN :low AND :high AND {_KNOWN}",
        {"key": key, "low": year - 1, "high": year + 1, "guild": guild_id},
    ) as cur:
        seen = [int(r[0]) for r in await cur.fetchall()]
    return seen[0] if len(seen) == 1 else None


async def _sees_any(conn: aiosqlite.Connection, key: str, guild_id: int) -> bool:
    """True when the server sees a film whose own title has this key (`titled_here`, inside a transaction)."""
    clause, params = titled_here(key, guild_id)
    async with conn.execute(f"SELECT 1 WHERE {clause}", params) as cur:
        return await cur.fetchone() is not None


async def _rows(conn: aiosqlite.Connection, sql: str, params: Any) -> list[Film]:
    async with conn.execute(sql, params) as cur:
        return [_film(r) for r in await cur.fetchall()]


class FilmStore:
    """`bot.store.films`: the catalogue every feature points at by id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.aliases = AliasStore(db)

    async def get(self, film_id: int) -> Film | None:
        """Every column of one film (the seam for the metadata provider and film cards)."""
        row = await self.db.seek_one(_SELECT + " WHERE id = ?", (film_id,))  # a rowid seek
        return _film(row) if row else None

    async def visible(self, film_id: int, guild_id: int | None) -> Film | None:
        """The film if this server sees it (reviewed, or one it refers to: `_KNOWN`), else None as for an id
        no film has. Every film id a member gives (a `film:<id>` typed, forged or from a stale list) is read
        here; `get` is for ids the bot stored itself."""
        row = await self.db.seek_one(
            _SELECT + f" f WHERE f.id = :film AND {_KNOWN}", {"film": film_id, "guild": guild_id or 0}
        )
        return _film(row) if row else None

    async def by_key(self, key: str, guild_id: int | None) -> list[Film]:
        """The films of one title key this server sees (a bounded seek: the key's index range, a few films); when
        it sees none of that title, those it sees with that other title (an alias: migration 225)."""
        return await self.titled(key, guild_id) or await self.aliased(key, guild_id)

    async def titled(self, key: str, guild_id: int | None) -> list[Film]:
        """The films this server sees whose own title has this key (never an alias)."""
        rows = await self.db.seek_rows(
            _SELECT + f" f WHERE f.norm_key = :key AND {_KNOWN} ORDER BY f.year IS NULL, f.year, f.id",
            {"key": key, "guild": guild_id or 0},
        )
        return [_film(r) for r in rows]

    async def aliased(self, key: str, guild_id: int | None) -> list[Film]:
        """The films this server sees with another title of this key (its moderators' or a provider's)."""
        rows = await self.db.fetchall(
            _SELECT + f" f WHERE {ALIASED} AND {_KNOWN} ORDER BY f.year IS NULL, f.year, f.id",
            {"key": key, "guild": guild_id or 0},
        )
        return [_film(r) for r in rows]

    async def find(self, wanted: Wanted, guild_id: int | None) -> Film | None:
        """The film typed text names among those this server sees (None in DMs: reviewed films only): the
        explicit id, else title + year, else the only film of that title; None when it sees none;
        `Ambiguous` (a UserError) when the title names several."""
        if wanted.film_id is not None:
            return await self.visible(wanted.film_id, guild_id)
        found = pick_one(wanted, await self.named(wanted.title or "", guild_id))
        if found is None and wanted.year is None:
            return await self.dated(wanted.title, guild_id)
        return found

    async def dated(self, text: str | None, guild_id: int | None) -> Film | None:
        """'Halloween 2018', typed without brackets: the server's Halloween (2018), when it sees no film called
        'Halloween 2018' (a title may end in four digits: that film wins) and one of that title and year; else
        None. Never a new film: a member who meant the club's film gets it, not a namesake split from its reviews,
        ratings and spoiler gate."""
        split = await self._year_typed_after(text, guild_id)
        if split is None:
            return None
        title, year = split
        return next((film for film in await self.named(title, guild_id) if film.year == year), None)

    async def _year_typed_after(self, text: str | None, guild_id: int | None) -> tuple[str, int] | None:
        """'Halloween 2018' as ('Halloween', 2018), unless the server sees a film called the whole text (a title
        may end in four digits: *Blade Runner 2049*)."""
        split = bare_year(text)
        if split is None or await self.by_key(norm_key(text or ""), guild_id):
            return None
        return split

    async def named(self, title: str, guild_id: int | None) -> list[Film]:
        """`by_key` of a typed title; a title with emoji first under its pre-226 key, which a film 226 did not
        re-key still holds ("Boom! 🎹" beside "Boom!" of its year): typed as stored, it names that film, not the
        other. One more index seek, only for a title whose emoji the key leaves out."""
        key, kept = norm_key(title), key_before_226(title)
        return (kept != key and await self.titled(kept, guild_id)) or await self.by_key(key, guild_id)

    async def title_and_year(self, text: str | None, guild_id: int | None) -> tuple[str, int] | None:
        """'Halloween 2019', typed without brackets, where the server sees films called 'Halloween' (none of 2019)
        and none called 'Halloween 2019': the title and the year the member meant, for a film to be added as
        Halloween (2019) (or, a year off the only one, that film: `ensure(near_year=True)`), never a yearless film
        called 'Halloween 2019' beside the club's Halloweens."""
        split = await self._year_typed_after(text, guild_id)
        return split if split is not None and await self.by_key(norm_key(split[0]), guild_id) else None

    async def lookup(self, text: str, year: int | str | None = None, *, guild_id: int | None) -> Film | None:
        """`find` for what a member typed (UserError for a year out of range or an ambiguous title)."""
        return await self.find(parse_typed(text, year, this_year()), guild_id)

    async def set_metadata(self, film_id: int, **values: Any) -> Film | None:
        """Fill what the metadata provider found (year, runtime_minutes, director, ids, …).

        Unknown column names raise KeyError; a year that would make this film a duplicate of another
        raises ValueError and changes nothing. Title and key never change here.
        """
        unknown = sorted(set(values) - set(METADATA_FIELDS))
        if unknown:
            raise KeyError(", ".join(unknown))
        if values:
            columns = ", ".join(f"{name} = ?" for name in values)
            try:
                if "year" in values:  # a label ('Title (Year)') changes: other processes' caches must follow
                    async with self.db.transaction() as conn:
                        await CorpusGeneration.bump(conn)
                        await conn.execute(f"UPDATE films SET {columns} WHERE id = ?", (*values.values(), film_id))
                else:
                    await self.db.execute(f"UPDATE films SET {columns} WHERE id = ?", (*values.values(), film_id))
            except sqlite3.IntegrityError as error:
                raise ValueError(f"film {film_id}: {error}") from error
            finally:
                if "year" in values:
                    self.db.corpus_version += 1  # labels ('Title (Year)') cached from the corpus change
        return await self.get(film_id)

    async def known_in(self, guild_id: int, film_id: int) -> bool:
        """True when this server sees the film (`visible`)."""
        return await self.visible(film_id, guild_id) is not None

    async def aliased_ids(self, guild_id: int, typed: str) -> set[int]:
        """The ids of films with another title (this server's or a provider's) whose key starts with what was typed:
        lists of the server's own rows (its watchlist) offer them as the catalogue's autocomplete does."""
        key = norm_key(typed) if (typed or "").strip() else ""
        if not key:
            return set()
        rows = await self.db.fetchall(
            "SELECT DISTINCT film_id FROM film_aliases WHERE norm_key >= ? AND norm_key < ? AND guild_id IN (0, ?)"
            " LIMIT 100", (key, key + "\U0010ffff", guild_id))
        return {int(r[0]) for r in rows}

    async def choices(self, guild_id: int | None, typed: str, limit: int = 25) -> list[Film]:
        """Films this server knows whose title contains what was typed: key-prefix matches first (an
        index range, enough on its own for most keystrokes), then those with another title of that prefix
        (an alias, shown by the club's title), then any other match of the title."""
        key = norm_key(typed) if (typed or "").strip() else ""
        folded = (typed or "").strip().casefold()
        params = {"guild": guild_id or 0, "key": key, "end": key + "\U0010ffff", "folded": folded, "limit": limit}
        prefix = "f.norm_key >= :key AND f.norm_key < :end"
        found = [_film(r) for r in await self.db.fetchall(
            _SELECT + f" f WHERE {prefix} AND {_KNOWN} ORDER BY f.norm_key, f.year, f.id LIMIT :limit", params
        )]
        if len(found) < limit and key:
            seen = {f.id for f in found}
            rows = await self.db.fetchall(
                _SELECT + f" f WHERE {ALIASED_PREFIX} AND {_KNOWN} ORDER BY f.norm_key, f.year, f.id LIMIT :limit", params
            )
            found += [film for film in map(_film, rows) if film.id not in seen][: limit - len(found)]
        if len(found) < limit:
            rows = await self.db.fetchall(
                _SELECT + f" f WHERE NOT ({prefix}) AND (instr(f.norm_key, :key) > 0"
                f" OR instr(casefold(f.title), :folded) > 0) AND {_KNOWN} ORDER BY f.norm_key, f.year, f.id LIMIT :rest",
                {**params, "rest": limit - len(found)},
            )
            seen = {f.id for f in found}
            found += [film for film in map(_film, rows) if film.id not in seen]
        dated = typed_years(typed)
        if dated is not None and len(found) < limit:
            # "halloween 2018", "dune (20": the year being typed narrows the title's films, as the label reads.
            title_key = norm_key(dated[0])
            rows = await self.db.fetchall(
                _SELECT + f" f WHERE f.norm_key >= :key AND f.norm_key < :end AND f.year BETWEEN :low AND :high"
                f" AND {_KNOWN} ORDER BY f.norm_key, f.year, f.id LIMIT :limit",
                {**params, "key": title_key, "end": title_key + "\U0010ffff", "low": dated[1], "high": dated[2]},
            )
            seen = {film.id for film in found}
            found += [film for film in map(_film, rows) if film.id not in seen][: limit - len(found)]
        return found

    @staticmethod
    async def ensure(
        conn: aiosqlite.Connection, title: str, year: int | None, *, strict: bool = True, guild_id: int | None = None,
        near_year: bool = False,
    ) -> int:
        """The id of the film `title` (+ `year`) names, added to the catalogue when it has none.

        With a year: that film; else the catalogue's only film of the title if it has no year yet (it
        gets this one); else a new film. Without a year: the only film of that title; none → a new
        yearless film; two or more → `Ambiguous` when `strict` (the member picks), else the yearless one.
        A member's command passes its server (`guild_id`): of several films, the only one the server sees
        is the one it names (as `lookup` reads it there), and the list to pick from holds only those.
        `near_year` (a member's typed suggestion, with the server): a year no film of the title has, one off the
        year of the only film of that title the server sees, names that film: a release year misremembered
        (festival against release) is far likelier than a namesake a year apart, and a new film there would
        split the club's film from its reviews, its ratings and its spoiler gate.
        Call inside a transaction; safe against concurrent adds (one row per key and year).
        """
        title = clean_title(title)
        key = norm_key(title)
        if (kept := key_before_226(title)) != key:  # a film 226 left on its old key: its own title names it
            frozen = await _rows(conn, _SELECT + " WHERE norm_key = ? ORDER BY year IS NULL, year, id", (kept,))
            own = [f for f in frozen if f.year == year or (year is None and len(frozen) == 1)]
            if own:
                return own[0].id
        films = await _rows(conn, _SELECT + " WHERE norm_key = ? ORDER BY year IS NULL, year, id", (key,))
        if guild_id is not None and not await _sees_any(conn, key, guild_id):
            # No film this server sees has that title: one it sees by another title (an alias) is the film, as
            # `lookup` reads it there; a title another server's film holds never hides the club's alias.
            named = await aliased(conn, key, guild_id, _KNOWN, _SELECT)
            if named:
                try:
                    picked = pick_one(Wanted(title=title, year=year), named)
                except Ambiguous:
                    if strict:
                        raise Ambiguous(named, title) from None
                    picked = None
                if picked is not None:
                    return picked.id
        if year is not None:
            exact = next((f for f in films if f.year == year), None)
            if exact is not None:
                return exact.id
            if len(films) == 1 and films[0].year is None:
                await conn.execute("UPDATE films SET year = ? WHERE id = ?", (year, films[0].id))
                return films[0].id
            if near_year and guild_id is not None and films:
                near = await _seen_near(conn, key, year, guild_id)
                if near is not None:
                    return near
        elif len(films) == 1:
            return films[0].id
        elif films:
            yearless = next((f for f in films if f.year is None), None)
            if strict and guild_id is not None:
                async with conn.execute(
                    f"SELECT f.id FROM films f WHERE f.norm_key = :key AND {_KNOWN}", {"key": key, "guild": guild_id}
                ) as cur:
                    seen = {int(r[0]) for r in await cur.fetchall()}
                if len(seen) == 1:
                    return seen.pop()
                raise Ambiguous([f for f in films if f.id in seen], title)
            if strict:
                raise Ambiguous(films)
            if yearless is not None:
                return yearless.id
        cur = await conn.execute(
            "INSERT OR IGNORE INTO films(title, year, norm_key) VALUES (?, ?, ?)", (title, year, key)
        )
        if cur.rowcount == 1:
            return inserted_id(cur)
        async with conn.execute(
            "SELECT id FROM films WHERE norm_key = ? AND coalesce(year, 0) = ?", (key, year or 0)
        ) as found:
            row = await found.fetchone()
        if row is None:
            raise RuntimeError("the film was neither inserted nor found")
        return int(row[0])
