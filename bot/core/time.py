"""Time helpers: the one UTC timestamp format stored in text columns, and IANA zone names."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def utc_now_iso() -> str:
    """UTC ISO-8601 with seconds, the one time format stored in text columns."""
    # discord.utils.utcnow is what simcord moves; import lazily so the store stays usable without discord.
    try:
        from discord.utils import utcnow
    except ImportError:  # pragma: no cover
        return iso(datetime.now(UTC))
    return iso(utcnow())


def iso(moment: datetime) -> str:
    """An aware moment as UTC ISO-8601 with seconds (what timestamp columns hold)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    """A stored timestamp back as an aware UTC datetime (naive text is read as UTC)."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


@cache
def _zone_names() -> dict[str, str]:
    """casefolded name → canonical IANA name, so `europe/paris` is stored as `Europe/Paris`."""
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone(name: str | None) -> str | None:
    """The canonical IANA name for what was typed, or None if it is not a zone this host can load."""
    text = (name or "").strip()
    if not text or len(text) > 64:
        return None
    canonical = _zone_names().get(text.casefold())
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return canonical


def zone_suggestions(current: str | None) -> list[str]:
    """Up to 25 zone names containing what was typed, for autocomplete."""
    typed = (current or "").casefold()
    return sorted(name for name in _zone_names().values() if typed in name.casefold())[:25]
