"""Pure time maths for scheduled prompts: parse what moderators type, compute slots in a zone.

No discord, no database. A *slot* is one planned post, identified by its instant in UTC. Slots
are computed from local calendar dates in the schedule's IANA zone, so a 09:00 Europe/Paris
schedule stays at 09:00 local across daylight-saving changes (its UTC instant moves instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.time import abbreviation_zone, canonical_zone, iso

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})
_ALIASES = {
    "daily": ALL_DAYS, "everyday": ALL_DAYS, "every day": ALL_DAYS, "all": ALL_DAYS,
    "weekdays": WEEKDAYS, "weekday": WEEKDAYS, "weekends": WEEKENDS, "weekend": WEEKENDS,
}
_TIME = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*$")
# Enough look-ahead for the sparsest cadence (one weekday) plus a DST shift.
_SEARCH_DAYS = 9


class ScheduleInputError(ValueError):
    """What the moderator typed is not valid; `what`, `value` and `example` build the reply."""

    def __init__(self, what: str, value: str, example: str) -> None:
        super().__init__(f"{what}: {value!r} (e.g. {example})")
        self.what = what
        self.value = value
        self.example = example


def parse_time(text: str) -> time:
    """'09:00', '9:00', '21h30' → time(9, 0)… ; anything else → ScheduleInputError."""
    match = _TIME.match(text or "")
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ScheduleInputError("time", (text or "")[:40], "`09:00` or `21:30` (24-hour HH:MM)")


def parse_days(text: str | None) -> frozenset[int]:
    """'daily', 'weekdays', 'weekends' or weekday names like 'mon,wed,fri' → {0, 2, 4} (Mon = 0)."""
    raw = (text or "daily").strip().casefold()
    if raw in _ALIASES:
        return _ALIASES[raw]
    days: set[int] = set()
    for token in filter(None, re.split(r"[\s,;/+]+", raw)):
        day = _day_index(token)
        if day is None:
            raise ScheduleInputError("day", token[:40], "`daily`, `weekdays`, `weekends` or `mon,wed,fri`")
        days.add(day)
    if not days:
        raise ScheduleInputError("day", raw[:40], "`daily`, `weekdays`, `weekends` or `mon,wed,fri`")
    return frozenset(days)


def _day_index(token: str) -> int | None:
    if token in _ALIASES and _ALIASES[token] in (WEEKDAYS, WEEKENDS):
        return None  # 'weekdays' mixed into a list is ambiguous; ask for plain names
    for index, name in enumerate(DAY_NAMES):
        # Two letters already name one day unambiguously (mo tu we th fr sa su).
        if (len(token) >= 2 and name.casefold().startswith(token)) or token == name.casefold() + "s":
            return index
    return None


def format_days(days: frozenset[int]) -> str:
    """The canonical stored and shown form: 'daily', 'weekdays', 'weekends' or 'mon,wed,fri'."""
    if days == ALL_DAYS:
        return "daily"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    return ",".join(DAY_KEYS[d] for d in sorted(days))


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone by name (any case); unknown → ScheduleInputError with an example."""
    canonical = canonical_zone(name)
    if canonical is None:
        text = (name or "").strip()
        if place := abbreviation_zone(text):  # EST, CET…: not a place, no summer time
            raise ScheduleInputError("time zone", text[:64], f"`{place}`: name the place, not the abbreviation")
        raise ScheduleInputError("time zone", text[:64], "`Europe/Paris`, `America/New_York` or `UTC`")
    return ZoneInfo(canonical)


@dataclass(frozen=True)
class Cadence:
    """When a schedule posts: a local time of day on some weekdays in one zone."""

    at: time
    days: frozenset[int]
    zone: str

    @classmethod
    def parse(cls, at: str, days: str | None, zone: str) -> Cadence:
        return cls(parse_time(at), parse_days(days), parse_zone(zone).key)

    def describe(self) -> str:
        return f"{self.at:%H:%M} {format_days(self.days)} ({self.zone})"

    def slot_on(self, day: date) -> datetime | None:
        """The UTC instant of this cadence on a local date, or None if it does not post that day.

        A time that does not exist locally (skipped by a spring-forward) resolves with fold=0, i.e.
        one hour later in wall-clock terms; an ambiguous one (autumn) takes its first occurrence.
        Either way there is exactly one slot per local date.
        """
        if day.weekday() not in self.days:
            return None
        local = datetime.combine(day, self.at, tzinfo=ZoneInfo(self.zone))
        return local.astimezone(UTC)

    def slots_after(self, after: datetime) -> Iterator[datetime]:
        """Every slot strictly after `after` (aware), in order, forever."""
        zone = ZoneInfo(self.zone)
        day = after.astimezone(zone).date() - timedelta(days=1)
        while True:
            slot = self.slot_on(day)
            if slot is not None and slot > after:
                yield slot
            day += timedelta(days=1)

    def slots_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Slots s with start < s <= end, oldest first."""
        found: list[datetime] = []
        for slot in self.slots_after(start):
            if slot > end:
                break
            found.append(slot)
        return found


@dataclass(frozen=True)
class CatchUp:
    """What to do with the slots that fell due since the last handled one."""

    post: datetime | None  # at most one: the latest, if it is still within the grace period
    skip: tuple[tuple[datetime, str], ...]  # older or too-late slots, each with the logged reason


# Timers fire a little after their time (the loop, a busy host): a slot this late is still on time,
# whatever the grace period. Grace 0 thus means "no catch-up of missed slots", not "never post".
ON_TIME_TOLERANCE = timedelta(minutes=2)


def plan_due(due: list[datetime], now: datetime, grace: timedelta) -> CatchUp:
    """Post only the latest due slot, and only if it is at most `grace` late; skip the rest.

    This is what makes "one catch-up at most per schedule" hold: however long the bot was
    down, a run posts one slot per schedule and records every older one as skipped.
    """
    if not due:
        return CatchUp(None, ())
    *older, latest = sorted(due)
    skip = [(slot, f"missed while the bot was offline; a later slot ({iso(latest)}) superseded it")
            for slot in older]
    late = now - latest
    if late <= max(grace, ON_TIME_TOLERANCE):
        return CatchUp(latest, tuple(skip))
    hours = late.total_seconds() / 3600
    limit = grace.total_seconds() / 3600
    reason = f"missed while the bot was offline: {hours:.1f} h late, beyond the {limit:g} h grace period"
    skip.append((latest, reason))
    return CatchUp(None, tuple(skip))


def discord_timestamp(moment: datetime, style: str = "F") -> str:
    """Rendered by each reader's client in their own zone, e.g. <t:1767254400:F>."""
    return f"<t:{int(moment.timestamp())}:{style}>"
