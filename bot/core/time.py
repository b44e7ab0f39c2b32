"""Time helpers: the one UTC timestamp format stored in text columns."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import available_timezones


def utc_now_iso() -> str:
    """UTC ISO-8601 with seconds, the one time format stored in text columns."""
    # discord.utils.utcnow is what simcord moves; import lazily so the store stays usable without discord.
    try:
        from discord.utils import utcnow
    except ImportError:  # pragma: no cover
        return datetime.now(UTC).isoformat(timespec="seconds")
    return utcnow().isoformat(timespec="seconds")


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone(name: str) -> str | None:
    """The IANA name as the tz database spells it ('europe/paris' → 'Europe/Paris'), None if unknown.

    Stored names must be canonical: a case-insensitive file system loads 'europe/paris', but the same
    database moved to Linux would then fail to load the zone.
    """
    return _zones_by_folded_name().get((name or "").strip().casefold())
