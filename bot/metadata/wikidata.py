"""Wikidata (no key): wbsearchentities finds items by title, wbgetentities reads their statements.

A candidate counts only if it is an instance of film (Q11424) or one of its common subclasses. Read:
publication date P577 (the earliest year), duration P2047 (in minutes, hours or seconds), director P57 and
genre P136 (labels fetched in one more call), IMDb P345, Letterboxd P6127. Wikimedia asks API clients to
identify themselves and to send requests one after another, not in parallel: one at a time here, five a
second at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.metadata import rules
from bot.metadata.http import JsonClient
from bot.metadata.rules import FilmMetadata

WIKIDATA_RATE = 5.0  # requests a second
WIKIDATA_BASE_URL = "https://www.wikidata.org"
API = "/w/api.php"
SEARCH_LIMIT = 8
# film, feature film, animated film, documentary film, short film, silent film, television film
FILM_CLASSES = frozenset({"Q11424", "Q24869", "Q202866", "Q93204", "Q24862", "Q226730", "Q506240"})
_UNIT_MINUTES = {"Q7727": 1.0, "Q25235": 60.0, "Q11574": 1 / 60}


class WikidataProvider:
    name = rules.WIKIDATA

    def __init__(self, base_url: str = WIKIDATA_BASE_URL, **client: Any) -> None:
        self.client = JsonClient("Wikidata", base_url, rate=WIKIDATA_RATE, concurrency=1, **client)

    async def search(self, title: str, year: int | None) -> list[FilmMetadata]:
        """Films whose label or alias matches the search, as partial records (no director/genre labels)."""
        data = await self.client.get(API, {
            "action": "wbsearchentities", "search": title[:200], "language": "en", "uselang": "en",
            "type": "item", "limit": SEARCH_LIMIT, "format": "json",
        })
        hits = data.get("search") if isinstance(data, Mapping) else None
        ids = [qid for hit in hits if isinstance(hit, Mapping) and (qid := rules.wikidata_id(hit.get("id")))] \
            if isinstance(hits, list) else []
        if not ids:
            return []
        entities = await self._entities(ids, "labels|aliases|claims")
        return [film for qid in ids if (film := parse_entity(entities.get(qid), {})) is not None]

    async def details(self, ref: str | int) -> FilmMetadata | None:
        """The full record of one item (a Q-id): with its director's and genres' names."""
        qid = rules.wikidata_id(str(ref))
        if qid is None:
            return None
        entity = (await self._entities([qid], "labels|aliases|claims")).get(qid)
        if not isinstance(entity, Mapping):
            return None
        wanted = [*item_ids(entity, "P57")[:3], *item_ids(entity, "P136")[:6]]
        labels = await self._labels(wanted) if wanted else {}
        return parse_entity(entity, labels)

    async def _entities(self, ids: list[str], props: str) -> Mapping[str, Any]:
        data = await self.client.get(API, {
            "action": "wbgetentities", "ids": "|".join(ids[:50]), "props": props, "languages": "en",
            "format": "json",
        })
        entities = data.get("entities") if isinstance(data, Mapping) else None
        return entities if isinstance(entities, Mapping) else {}

    async def _labels(self, ids: list[str]) -> dict[str, str]:
        entities = await self._entities(ids, "labels")
        return {qid: name for qid in ids if (name := label(entities.get(qid))) is not None}

    async def close(self) -> None:
        await self.client.close()


def label(entity: Any) -> str | None:
    if not isinstance(entity, Mapping) or not isinstance(entity.get("labels"), Mapping):
        return None
    english = entity["labels"].get("en")
    return rules.clean_text(english.get("value")) if isinstance(english, Mapping) else None


def aliases(entity: Mapping[str, Any]) -> tuple[str, ...]:
    found = entity.get("aliases", {}).get("en") if isinstance(entity.get("aliases"), Mapping) else None
    names = [rules.clean_text(a.get("value")) for a in found[:20] if isinstance(a, Mapping)] \
        if isinstance(found, list) else []
    return tuple(n for n in names if n)


def values(entity: Mapping[str, Any], prop: str) -> Iterable[Any]:
    """The datavalue values of a property's statements, deprecated ones left out."""
    claims = entity.get("claims")
    statements = claims.get(prop) if isinstance(claims, Mapping) else None
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, Mapping) or statement.get("rank") == "deprecated":
            continue
        snak = statement.get("mainsnak")
        datavalue = snak.get("datavalue") if isinstance(snak, Mapping) else None
        if isinstance(datavalue, Mapping) and "value" in datavalue:
            yield datavalue["value"]


def item_ids(entity: Mapping[str, Any], prop: str) -> list[str]:
    return [qid for v in values(entity, prop) if isinstance(v, Mapping) and (qid := rules.wikidata_id(v.get("id")))]


def first_string(entity: Mapping[str, Any], prop: str) -> str | None:
    return next((v for v in values(entity, prop) if isinstance(v, str)), None)


def runtime(entity: Mapping[str, Any]) -> int | None:
    for value in values(entity, "P2047"):
        if not isinstance(value, Mapping) or not isinstance(value.get("amount"), str):
            continue
        factor = _UNIT_MINUTES.get(str(value.get("unit", "")).rsplit("/", 1)[-1])
        try:
            amount = float(value["amount"])
        except ValueError:
            continue
        if factor is not None and (minutes := rules.clean_runtime(amount * factor)) is not None:
            return minutes
    return None


def parse_entity(entity: Any, labels: Mapping[str, str]) -> FilmMetadata | None:
    """A wbgetentities item → a record, or None when it is not a film or has no English label."""
    if not isinstance(entity, Mapping) or not FILM_CLASSES.intersection(item_ids(entity, "P31")):
        return None
    title = label(entity)
    qid = rules.wikidata_id(entity.get("id"))
    if title is None or qid is None:
        return None
    years = [y for v in values(entity, "P577") if isinstance(v, Mapping) and (y := rules.clean_year(v.get("time")))]
    directors = [labels[q] for q in item_ids(entity, "P57") if q in labels]
    return FilmMetadata(
        title=title, year=min(years, default=None), runtime_minutes=runtime(entity),
        director=", ".join(directors)[: rules.NAME_MAX] or None,
        genres=tuple(labels[q] for q in item_ids(entity, "P136") if q in labels),
        imdb_id=rules.imdb_id(first_string(entity, "P345")), wikidata_id=qid,
        letterboxd_id=rules.letterboxd_id(first_string(entity, "P6127")), source=rules.WIKIDATA,
        attribution=rules.WIKIDATA_ATTRIBUTION, aka=aliases(entity),
    )
