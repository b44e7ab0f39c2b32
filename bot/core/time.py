"""Time helpers: the one UTC timestamp format stored in text columns."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now_iso() -> str:
    """UTC ISO-8601 with seconds, the one time format stored in text columns."""
    # discord.utils.utcnow is what simcord moves; import lazily so the store stays usable without discord.
    try:
        from discord.utils import utcnow
    except ImportError:  # pragma: no cover
        return datetime.now(UTC).isoformat(timespec="seconds")
    return utcnow().isoformat(timespec="seconds")
