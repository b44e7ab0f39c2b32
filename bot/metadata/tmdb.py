"""TMDB (themoviedb.org, API v3): search/movie, then movie/{id} with credits and external ids appended.

Used when TMDB_API_KEY is set: a v3 API key goes in the `api_key` parameter, a v4 read access token
(a JWT, "eyJ…") in an Authorization header. TMDB documents its ceiling as roughly 40-50 requests a
second per IP (the old rule, retired in 2019, was 40 per 10 s); we stay at 20 a second, 4 at once, and a
card costs two. Neither the key nor a URL carrying it is logged (log lines name the path only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.metadata import rules
from bot.metadata.http import JsonClient
from bot.metadata.rules import FilmMetadata

TMDB_RATE = 20.0  # requests a second
TMDB_BASE_URL = "https://api.themoviedb.org/3"


class TmdbProvider:
    name = rules.TMDB

    def __init__(self, api_key: str, base_url: str = TMDB_BASE_URL, **client: Any) -> None:
        bearer = api_key.startswith("eyJ")
        headers = {"Authorization": f"Bearer {api_key}"} if bearer else {}
        self._auth: dict[str, str] = {} if bearer else {"api_key": api_key}
        self.client = JsonClient("TMDB", base_url, rate=TMDB_RATE, headers=headers, **client)

    async def search(self, title: str, year: int | None) -> list[FilmMetadata]:
        params: dict[str, str | int] = {**self._auth, "query": title, "include_adult": "false", "language": "en-US"}
        if year is not None:
            params["year"] = year
        data = await self.client.get("/search/movie", params)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            return []
        return [film for item in results[:20] if (film := parse_summary(item)) is not None]

    async def details(self, ref: str | int) -> FilmMetadata | None:
        tmdb_id = rules.clean_tmdb_id(int(ref)) if str(ref).isdigit() else None
        if tmdb_id is None:
            return None
        data = await self.client.get(
            f"/movie/{tmdb_id}", {**self._auth, "append_to_response": "credits,external_ids", "language": "en-US"}
        )
        return parse_details(data) if isinstance(data, dict) else None

    async def close(self) -> None:
        await self.client.close()


def parse_summary(item: Any) -> FilmMetadata | None:
    """One search result (id, title, original_title, release_date, poster_path, overview)."""
    if not isinstance(item, Mapping):
        return None
    title = rules.clean_text(item.get("title"))
    tmdb_id = rules.clean_tmdb_id(item.get("id"))
    if title is None or tmdb_id is None:
        return None
    return FilmMetadata(
        title=title, year=rules.clean_year(item.get("release_date")), tmdb_id=tmdb_id,
        overview=rules.clean_text(item.get("overview"), rules.TEXT_MAX),
        poster_url=rules.poster_url(item.get("poster_path")), source=rules.TMDB,
        attribution=rules.TMDB_ATTRIBUTION, aka=tuple(a for a in [rules.clean_text(item.get("original_title"))] if a),
    )


def parse_details(data: Mapping[str, Any]) -> FilmMetadata | None:
    """movie/{id}?append_to_response=credits,external_ids → the full record."""
    summary = parse_summary(data)
    if summary is None:
        return None
    credits = _mapping(data.get("credits"))
    crew = _list(credits.get("crew"))
    directors = [rules.clean_text(p.get("name")) for p in crew if isinstance(p, Mapping) and p.get("job") == "Director"]
    genres = _list(data.get("genres"))
    external = _mapping(data.get("external_ids"))
    return FilmMetadata(
        title=summary.title, year=summary.year, runtime_minutes=rules.clean_runtime(data.get("runtime")),
        director=", ".join(dict.fromkeys(d for d in directors if d))[: rules.NAME_MAX] or None,
        genres=tuple(g for item in genres[:10] if isinstance(item, Mapping)
                     and (g := rules.clean_text(item.get("name"), 50))),
        overview=summary.overview, poster_url=summary.poster_url, tmdb_id=summary.tmdb_id,
        imdb_id=rules.imdb_id(data.get("imdb_id")) or rules.imdb_id(external.get("imdb_id")),
        wikidata_id=rules.wikidata_id(external.get("wikidata_id")), source=rules.TMDB,
        attribution=rules.TMDB_ATTRIBUTION, aka=summary.aka,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
