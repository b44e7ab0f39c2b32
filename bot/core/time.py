"""Time helpers: the one UTC timestamp format stored in text columns, and IANA zone names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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


def day_label(day: date | str) -> str:
    """A calendar day as members read it, '1 Jan 2026': a day already taken in the server's zone, so not Discord's
    <t:…:D> (which would move it to each reader's zone), and not ISO's 2026-01-01 either."""
    if isinstance(day, str):
        try:
            return day_label(date.fromisoformat(day[:10]))
        except ValueError:  # not a day after all: shown as stored rather than failing the whole list
            return day
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not the locale's


# Abbreviations typed for a zone. The legacy tzdata names among them (EST, CET, EST5EDT, …) are a fixed offset
# or old rules, not a place, and what they mean depends on the host's time-zone data (tzdata 2024b turned EST
# into America/Panama, CET into Europe/Brussels): a club typing EST would be an hour off all summer without a
# word. They are refused, as are the ones that are no zone at all (PST, CEST), with the place to name instead.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "America/New_York": ("EST", "EDT", "ET", "EST5EDT"),
    "America/Chicago": ("CST", "CDT", "CT", "CST6CDT"),
    "America/Denver": ("MST", "MDT", "MT", "MST7MDT"),
    "America/Los_Angeles": ("PST", "PDT", "PT", "PST8PDT"),
    "Pacific/Honolulu": ("HST",),
    "Europe/Paris": ("CET", "CEST", "MET", "MEST"),
    "Europe/Athens": ("EET", "EEST"),
    "Europe/Lisbon": ("WET", "WEST"),
    "Europe/London": ("BST",),
    "Asia/Kolkata": ("IST",),
    "Asia/Tokyo": ("JST",),
    "Australia/Sydney": ("AEST", "AEDT"),
}
_ABBREVIATION_ZONE = {short.casefold(): zone for zone, shorts in _ABBREVIATIONS.items() for short in shorts}


LATE_AFTER = timedelta(minutes=15)  # closed this long after its deadline: the bot was offline (or stuck) then


def ended_late_note(ended_at: str, posted_at: datetime) -> str:
    """For what a screening's end posts (the rating invitation, the "film night is over" line): '' within LATE_AFTER
    of its end; else a line saying when film night ended and that this comes late (the bot was offline or could not
    post then), so members asked to rate a film days later know why."""
    end = from_iso(ended_at)
    if posted_at - end < LATE_AFTER:
        return ""
    return f"Film night ended <t:{int(end.timestamp())}:f>; I could not post this then, so it comes late."


def late_note(deadline: str | None, closed_at: str | None, posted_at: datetime | None = None) -> str:
    """For results announced late: '' when the vote closed on time (or early, by hand) and its results go out
    now, at `posted_at`, within LATE_AFTER of the deadline; else a line saying when it was due and that the
    results come late (Discord's timestamp markup): the bot was offline at the deadline, or it closed the vote
    on time but could not post (removed from the server, the channel unreachable) until now."""
    if not deadline:
        return ""
    due = from_iso(deadline)
    stamp = f"<t:{int(due.timestamp())}:f>"
    if closed_at and from_iso(closed_at) - due >= LATE_AFTER:
        return f"Voting was due to close {stamp}; I was offline then, so these results come late."
    if posted_at is not None and posted_at - due >= LATE_AFTER:
        return f"Voting closed {stamp}; I could not post the results then, so they come late."
    return ""


def abbreviation_zone(name: str | None) -> str | None:
    """For a time-zone abbreviation (EST, CET, PST8PDT…), the IANA zone of a place that uses it."""
    return _ABBREVIATION_ZONE.get((name or "").strip().casefold())


def abbreviation_hint(name: str | None) -> str | None:
    """For a time-zone abbreviation, the sentence naming the IANA zone to use instead."""
    text = (name or "").strip()
    zone = abbreviation_zone(text)
    if zone is None:
        return None
    return (
        f"`{text.upper()}` is an abbreviation, not a place: it does not follow summer time the way the place"
        f" does. Name the place instead, e.g. `{zone}` (or `UTC`)."
    )


# Names the host's zone database lists that are not places: `localtime` is this machine's own zone (Debian
# links it to /etc/localtime, so a server's times would follow whichever host runs the bot), `Factory` none.
_NOT_PLACES = frozenset({"localtime", "factory"})


@cache
def _zone_names() -> dict[str, str]:
    """casefolded name → canonical IANA name, so `europe/paris` is stored as `Europe/Paris`."""
    return {name.casefold(): name for name in available_timezones() if name.casefold() not in _NOT_PLACES}


def canonical_zone(name: str | None) -> str | None:
    """The canonical IANA name for what was typed, or None if it is not a zone this host can load."""
    text = (name or "").strip()
    if not text or len(text) > 64 or text.casefold() in _ABBREVIATION_ZONE:
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
    """Up to 25 zone names containing what was typed, for autocomplete (an abbreviation's place first)."""
    typed = (current or "").strip().casefold()
    hinted = [_ABBREVIATION_ZONE[typed]] if typed in _ABBREVIATION_ZONE else []
    found = sorted(name for name in _zone_names().values()
                   if typed in name.casefold() and name.casefold() not in _ABBREVIATION_ZONE)
    return [*hinted, *(name for name in found if name not in hinted)][:25]
