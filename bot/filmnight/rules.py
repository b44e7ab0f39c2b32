"""Film night, pure: watchlist imports, screening times, ranked-choice (instant-runoff) counting.

No discord, no store: every function here is plain data in, plain data out, so it is tested alone.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.refusals import UserError
from bot.core.text import counted, inert, without_invisibles
from bot.films import rules as films

# Limits, each with a private refusal when crossed.
NOTE_MAX = 300
MIN_CANDIDATES = 2
MAX_CANDIDATES = 25  # a select menu holds at most 25 options
DEFAULT_CANDIDATES = 5
MIN_HOURS = 1
PICK_METHODS = ("ranked", "single")  # ranked: top 3, instant runoff; single: one choice each
MAX_HOURS = 168
DEFAULT_HOURS = 24
RANKS = 3  # members order their top 3
IMPORT_MAX_BYTES = 256_000
IMPORT_MAX_ROWS = 1_000
PAGE_SIZE = 10
DEFAULT_RUNTIME = timedelta(hours=3)  # the event's length when the film's runtime is unknown
RUNTIME_MARGIN = timedelta(minutes=30)  # a known runtime plus settling in and the credits
MAX_AHEAD = timedelta(days=366)
REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
LOCATION_MAX = 100  # Discord's limit for an external event's location


# ---------------------------------------------------------------------------- films typed by members


@dataclass(frozen=True)
class FilmName:
    title: str
    year: int | None


def film_name(title: str, year: int | str | None = None, this_year: int | None = None) -> FilmName:
    """A suggested film: 'Title' plus an optional year, or 'Title (Year)' in one (bot/films rules:
    control characters, 500 characters, punctuation only and years outside 1870..now+5 refused)."""
    wanted = films.new_film(title, year, this_year or date.today().year)
    if wanted.film_id is not None or wanted.title is None:
        raise UserError("Name the film by its title, e.g. `La La Land` or `La La Land (2016)`.")
    return FilmName(wanted.title, wanted.year)


def clean_note(note: str | None) -> str | None:
    text = " ".join(without_invisibles(note or "").split())  # as takes: zero-width only is no note
    if not text:
        return None
    if len(text) > NOTE_MAX:
        raise UserError(f"Keep the note under {NOTE_MAX} characters (yours has {len(text)}).")
    return text


# ---------------------------------------------------------------------------- imports


@dataclass
class ImportPlan:
    films: list[FilmName] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    repeated: int = 0  # the same film twice in the file


def _csv_rows(text: str, columns: int, plan: ImportPlan) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each data row; a row that does not parse as the header's columns is rejected.

    A quote never closed makes the csv module read the rest of the file as one cell: that row, and so the
    file, is refused with the line the quote opens on, instead of becoming one garbage title.
    """
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    out: list[tuple[int, list[str]]] = []
    number = reader.line_num + 1
    try:
        for row in reader:
            if reader.line_num > number or any("\n" in cell or "\r" in cell for cell in row):
                plan.rejected.append((number, f"a quote opened here is never closed (the row runs on to line {reader.line_num})"))
            elif len(row) > columns:
                why = f"{len(row)} cells where the header has {columns} columns (a comma inside a title needs quotes)"
                plan.rejected.append((number, why))
            else:
                out.append((number, row))
            number = reader.line_num + 1
    except csv.Error:  # a cell past the csv module's limit (131,072 characters): no title is that long
        raise UserError(f"Nothing was imported: line {number} runs on past {csv.field_size_limit():,} characters in"
                        " one cell (a quote opened there and never closed?).") from None
    return out


def parse_import(data: bytes) -> ImportPlan:
    """A Letterboxd export CSV (Date, Name, Year, Letterboxd URI) or one title per line."""
    if len(data) > IMPORT_MAX_BYTES:
        raise UserError(f"That file is too big: imports are limited to {IMPORT_MAX_BYTES // 1000} KB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError("That file is not UTF-8 text: export it again from Letterboxd or save it as UTF-8.") from error
    if "\x00" in text:
        raise UserError("That file is not a text file.")
    lines = text.splitlines()
    first = lines[0] if lines else ""
    try:
        header = [h.strip().casefold() for h in next(csv.reader([first]), [])]
    except csv.Error:  # a first line past the csv module's cell limit: no header, a plain list (refused by line)
        header = []
    plan = ImportPlan()
    seen: set[tuple[str, int | None]] = set()
    if "name" in header and ("year" in header or "letterboxd uri" in header):
        entries = []
        for number, row in _csv_rows(text, len(header), plan):
            if any(cell.strip() for cell in row):
                entries.append((number, row[header.index("name")] if len(row) > header.index("name") else "",
                                row[header.index("year")] if "year" in header and len(row) > header.index("year") else ""))
    else:
        entries = [(number, line, "") for number, line in enumerate(lines, start=1) if line.strip()]
    if not entries and not plan.rejected:
        raise UserError("That file lists no films.")
    if len(entries) > IMPORT_MAX_ROWS:
        raise UserError(f"That file lists {len(entries)} films: imports are limited to {IMPORT_MAX_ROWS} at a time.")
    for number, raw_title, raw_year in entries:
        try:
            name = film_name(raw_title.strip(), raw_year.strip() or None)
        except UserError as error:
            plan.rejected.append((number, error.message))
            continue
        key = (films.norm_key(name.title), name.year)
        if key in seen:
            plan.repeated += 1
            continue
        seen.add(key)
        plan.films.append(name)
    plan.rejected.sort()
    return plan


# ---------------------------------------------------------------------------- screening times

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday"))
    )
    for name in names
}
_CLOCK = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?"
_ABSOLUTE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ t]+" + _CLOCK + r"$")
_RELATIVE = re.compile(r"^(?P<day>[a-z]+)[ ,]+(?:at )?" + _CLOCK + r"$")


def parse_when(text: str, zone: str, now: datetime) -> datetime:
    """'2026-12-04 20:00', 'tomorrow 20:00', 'fri 21:00' in the server's zone → aware UTC; future only."""
    typed = " ".join((text or "").strip().casefold().split())
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    example = "Use e.g. `2026-12-04 20:00`, `tomorrow 20:00` or `fri 21:00`"
    day: date
    absolute = _ABSOLUTE.match(typed)
    relative = _RELATIVE.match(typed)
    match = absolute or relative
    if match is None:
        raise UserError(f"I can't read “{inert(text, 40)}” as a date and time. {example} (server time, {zone}).")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise UserError(f"“{inert(text, 40)}” is not a time of day. {example}.")
    if absolute:
        try:
            day = date.fromisoformat(match["date"])
        except ValueError as error:
            raise UserError(f"“{inert(match['date'], 12)}” is not a calendar date. {example}.") from error
    else:
        word = match["day"]
        if word == "today":
            day = local_now.date()
        elif word == "tomorrow":
            day = local_now.date() + timedelta(days=1)
        elif word in _WEEKDAYS:
            ahead = (_WEEKDAYS[word] - local_now.weekday()) % 7
            day = local_now.date() + timedelta(days=ahead)
            if ahead == 0 and time(hour, minute) <= local_now.time():
                day += timedelta(days=7)
        else:
            raise UserError(f"I don't know the day “{inert(word, 20)}”. {example}.")
    local = datetime.combine(day, time(hour, minute), tzinfo=tz)
    # A wall-clock time skipped by a DST change does not survive the round trip through UTC.
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks skip it). Pick another time.")
    moment = local.astimezone(UTC)
    if moment <= now:
        raise UserError(f"{local:%Y-%m-%d %H:%M} ({zone}) is in the past: pick a time still to come.")
    if moment - now > MAX_AHEAD:
        raise UserError("Screenings can be scheduled at most a year ahead.")
    return moment


def screening_length(runtime_minutes: int | None) -> timedelta:
    """How long the server event lasts: the film's runtime plus a margin, else 3 hours."""
    if runtime_minutes is None or runtime_minutes <= 0:
        return DEFAULT_RUNTIME
    return timedelta(minutes=runtime_minutes) + RUNTIME_MARGIN


def reminder_times(start: datetime, now: datetime) -> list[tuple[str, datetime]]:
    """(kind, due) for every reminder still in the future; one already past is never sent late."""
    return [(kind, start - before) for kind, before in REMINDERS if start - before > now]


def end_marker(screening_id: int) -> str:
    """First in the after-screening prompt's footer: which screening it ends (proof after a failed attempt)."""
    return f"Film night · screening {screening_id}"


def reminder_stale(kind: str, start: datetime, now: datetime) -> bool:
    """A reminder reached late (downtime, retries) is sent only while it still tells the truth: "tomorrow"
    until the next reminder's moment, "in an hour" until the start. The end step is never stale."""
    ahead = dict(REMINDERS).get(kind)
    if ahead is None:
        return False
    limit = max((start - before for _, before in REMINDERS if before < ahead), default=start)
    return now >= limit


def clean_location(where: str | None) -> str | None:
    text = " ".join((where or "").split())
    if not text:
        return None
    if len(text) > LOCATION_MAX:
        raise UserError(f"Keep the location under {LOCATION_MAX} characters.")
    return text


# ---------------------------------------------------------------------------- picking

PICK_OPEN = "A pick is already open in this server: wait for it to close."


def check_pick(candidates: int, hours: int, available: int, pending: int = 0) -> None:
    """`pending`: members' suggestions still awaiting approval, which the refusal points at (they are not
    candidates until approved, and a moderator who turned approval on may not know they are there)."""
    if not MIN_CANDIDATES <= candidates <= MAX_CANDIDATES:
        raise UserError(
            f"Pick between {MIN_CANDIDATES} and {MAX_CANDIDATES} candidates (a select menu shows at most"
            f" {MAX_CANDIDATES}); you asked for {candidates}."
        )
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise UserError(f"A pick runs between {MIN_HOURS} and {MAX_HOURS} hours; you asked for {hours}.")
    if available < MIN_CANDIDATES:
        waiting = (f" ({counted(pending, 'suggestion')} still {'waits' if pending == 1 else 'wait'} for approval:"
                   " approve them in `/watchlist pending`)" if pending else "")
        raise UserError(
            f"A pick needs at least {MIN_CANDIDATES} films on the watchlist, and it has {available}{waiting}."
            " Add films with `/watchlist add` first."
        )


def ballot(ranking: list[int], candidates: int) -> tuple[int, ...]:
    """A member's ranking as candidate positions (1-based): distinct, known, at most RANKS."""
    if not ranking or len(ranking) > RANKS or len(set(ranking)) != len(ranking):
        raise UserError(f"Rank between 1 and {RANKS} different films.")
    if any(not 1 <= choice <= candidates for choice in ranking):
        raise UserError("That film is not one of this pick's candidates.")
    return tuple(ranking)


@dataclass(frozen=True)
class Round:
    counts: dict[int, int]  # continuing candidate → votes this round
    exhausted: int
    eliminated: int | None  # None in the deciding round
    tie_break: bool = False


@dataclass(frozen=True)
class Count:
    rounds: tuple[Round, ...]
    winner: int | None  # candidate position, None when nobody voted


TIE_RULE = (
    "Ties for last place eliminate the film that had fewer votes in the earliest round where they"
    " differed; if they never differed, the film lower on the ballot (less watchlist support) goes."
)


def instant_runoff(ballots: list[tuple[int, ...]], candidates: int) -> Count:
    """Instant-runoff: a film with more than half the live ballots wins; else the weakest is eliminated."""
    continuing = list(range(1, candidates + 1))
    rounds: list[Round] = []
    if not ballots:
        return Count((), None)
    while True:
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in ballots:
            top = next((choice for choice in ranking if choice in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        live = sum(counts.values())
        leader = max(continuing, key=lambda c: (counts[c], -c))
        if counts[leader] * 2 > live or len(continuing) == 1 or live == 0:
            rounds.append(Round(counts, exhausted, None))
            return Count(tuple(rounds), leader if live else None)
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        loser = _break_tie(tied, rounds)
        rounds.append(Round(counts, exhausted, loser, tie_break=len(tied) > 1))
        continuing.remove(loser)


def _break_tie(tied: list[int], rounds: list[Round]) -> int:
    for earlier in rounds:  # earliest round first
        low = min(earlier.counts.get(c, 0) for c in tied)
        fewest = [c for c in tied if earlier.counts.get(c, 0) == low]
        if len(fewest) < len(tied):
            tied = fewest
            if len(tied) == 1:
                return tied[0]
    return max(tied)  # lowest on the ballot


def count_lines(count: Count, labels: list[str]) -> list[str]:
    """Each round in words (labels already made inert by the caller)."""
    lines = []
    for number, item in enumerate(count.rounds, start=1):
        tallies = ", ".join(
            f"{labels[c - 1]} {v}" for c, v in sorted(item.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        line = f"**Round {number}:** {tallies}"
        if item.exhausted:
            line += f" (exhausted ballots: {item.exhausted})"
        if item.eliminated is not None:
            line += f" → {labels[item.eliminated - 1]} eliminated" + (" (tie-break)" if item.tie_break else "")
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------- domain types


def film_facts(runtime_minutes: int | None, director: str | None) -> str:
    """'2 h 8 min · dir. Damien Chazelle', the parts known ('' when neither is)."""
    parts = []
    if runtime_minutes:
        hours, minutes = divmod(runtime_minutes, 60)
        parts.append(f"{hours} h {minutes:02d} min" if hours else f"{minutes} min")
    if director:
        parts.append(f"dir. {director}")
    return " · ".join(parts)


@dataclass(frozen=True)
class Entry:
    """One film on a server's watchlist."""

    id: int
    guild_id: int
    film_id: int
    title: str
    year: int | None
    note: str | None
    suggested_by: int
    status: str  # pending | active | watched
    support: int = 0
    director: str | None = None  # from the catalogue, when the metadata provider filled it
    runtime_minutes: int | None = None  # likewise

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def menu_label(self) -> str:
        """What a pick shows of the film: its label, then runtime and director when known."""
        facts = film_facts(self.runtime_minutes, self.director)
        return f"{self.label} — {facts}" if facts else self.label

    @property
    def choice_name(self) -> str:
        """'Title (Year) — Director' (autocomplete), or the label while the director is unknown."""
        return f"{self.label} — {self.director}" if self.director else self.label


@dataclass(frozen=True)
class Pick:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    creator_id: int
    method: str  # single | ranked
    deadline: str
    closed_at: str | None
    winner: int | None
    candidates: tuple[tuple[int, str], ...]  # (film_id, label) by position

    @property
    def ranks(self) -> int:
        return RANKS if self.method == "ranked" else 1


@dataclass(frozen=True)
class Screening:
    id: int
    guild_id: int
    film_id: int
    title: str
    year: int | None
    channel_id: int
    event_id: int
    starts_at: str
    ends_at: str
    location: str | None
    status: str  # scheduled | ended | cancelled
    unlocked_at: str | None
    interested: int | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def locked(self) -> bool:
        """Spoiler themes of this film are held back until the screening ends or a moderator unlocks."""
        return self.status == "scheduled" and self.unlocked_at is None
