"""Pure rules of the club features: validation, averages and bars, game answers, digest and comparison text.

No discord, no aiosqlite, no store: the service, views and jobs feed these plain values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.core.refusals import UserError
from bot.core.text import PING, clip, counted, has_control_chars, inert, without_invisibles

TAKE_MAX = 280
GAME_ROUNDS_MAX = 10
GAME_SECONDS = 60
DEFAULT_DIGEST_HOURS = 24
DIGEST_HOURS_MAX = 168
ANSWERS = ("critic", "club")
BAR = "█"

_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


@dataclass(frozen=True)
class Rating:
    user_id: int
    film_id: int
    stars_x2: int
    take: str | None
    rated_at: str

    @property
    def stars(self) -> float:
        return self.stars_x2 / 2


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None  # in stars
    distribution: tuple[int, ...]  # counts for 0.5, 1.0, …, 5.0 (10 buckets)


def validate_stars(stars: float) -> int:
    """Half stars from 0.5 to 5 → the stored half-star count (1..10); anything else is refused."""
    if not isinstance(stars, int | float) or math.isnan(stars) or math.isinf(stars):
        raise UserError("Stars must be a number from 0.5 to 5, in half stars (e.g. 3.5).")
    doubled = stars * 2
    if not 1 <= doubled <= 10 or abs(doubled - round(doubled)) > 1e-9:
        raise UserError("Stars go from 0.5 to 5 in half stars: 0.5, 1, 1.5, … 5.")
    return round(doubled)


def validate_take(take: str | None) -> str | None:
    """A take: ≤ 280 characters, no mentions, no masked links, no control or invisible characters; blank → None."""
    if take is None:
        return None
    if has_control_chars(take):
        raise UserError("Your take contains control characters; please type it again as plain text.")
    text = " ".join(without_invisibles(take).split())  # zero-width only is blank; no bidi override reorders it
    if not text:
        return None
    if len(text) > TAKE_MAX:
        raise UserError(f"A take is at most {TAKE_MAX} characters (yours has {len(text)}).")
    if PING.search(text):
        raise UserError("Takes can't mention anyone (@everyone, @here, members, roles or channels).")
    if _LINK.search(text):
        raise UserError("Takes can't contain markdown links; paste the plain address instead.")
    return text


def stars_text(stars_x2: int) -> str:
    whole, half = divmod(stars_x2, 2)
    return "★" * whole + ("½" if half else "") + f" ({stars_x2 / 2:g})"


def summarise(stars: list[int]) -> Summary:
    """Count, average (stars) and the 10-bucket distribution of half-star ratings."""
    buckets = [0] * 10
    for value in stars:
        buckets[value - 1] += 1
    average = sum(stars) / 2 / len(stars) if stars else None
    return Summary(len(stars), average, tuple(buckets))


def bucket_label(index: int) -> str:
    return f"{(index + 1) / 2:g}"


def chart_alt_text(summary: Summary, label: str) -> str:
    """The chart's alt text (the attachment description screen readers announce): every bar, in words."""
    counted = ", ".join(
        f"{bucket_label(index)} star{'' if bucket_label(index) == '1' else 's'}: {count}"
        for index, count in enumerate(summary.distribution) if count
    )
    average = f"{summary.average:.2f}" if summary.average is not None else "none"
    head = f"Bar chart of the club's {summary.count} rating{'s' if summary.count != 1 else ''} of {label}"
    return f"{head}, average {average} stars. {counted or 'No ratings'}."[:1024]


def text_bars(summary: Summary, width: int = 20) -> str:
    """The distribution as lines of █ (the fallback when no chart image can be sent)."""
    top = max(summary.distribution, default=0) or 1
    lines = []
    for index, count in enumerate(summary.distribution):
        bar = BAR * math.ceil(count * width / top) if count else ""
        lines.append(f"`{bucket_label(index):>3}★` {bar} {count}")
    return "\n".join(lines)


def pick_takes(ratings: list[Rating], count: int = 3) -> list[Rating]:
    """Up to three takes that show the range: the highest, the lowest and the most recent other one."""
    with_take = [r for r in ratings if r.take]
    if len(with_take) <= count:
        return sorted(with_take, key=lambda r: -r.stars_x2)
    by_stars = sorted(with_take, key=lambda r: (-r.stars_x2, r.rated_at))
    chosen = [by_stars[0], by_stars[-1]]
    rest = sorted((r for r in with_take if r not in chosen), key=lambda r: r.rated_at, reverse=True)
    return sorted(chosen + rest[: count - 2], key=lambda r: -r.stars_x2)


# -------------------- the game


def parse_answer(value: str) -> str:
    if value not in ANSWERS:
        raise UserError("That answer isn't one of the buttons.")
    return value


def round_seconds(clock_speed: float = 1.0) -> float:
    """A round's length on the bot's (virtual) clock: GAME_SECONDS of wall time for the players.

    At real speed that is 60 s. The playground's clock runs `--speed` times faster than the wall, so a
    60-second round on the virtual clock would be over in one real second (every round "0 of 0"): the
    round is lengthened by the speed, so it lasts at least 60 virtual seconds and 60 real seconds."""
    return GAME_SECONDS * max(1.0, clock_speed)


GAME_RUNNING = "A game is already running in this channel: answer its round first."


def validate_rounds(rounds: int | None) -> int:
    rounds = 5 if rounds is None else rounds
    if not 1 <= rounds <= GAME_ROUNDS_MAX:
        raise UserError(f"A game has 1 to {GAME_ROUNDS_MAX} rounds.")
    return rounds


def leaderboard_lines(rows: list[tuple[str, int, int]]) -> str:
    """(name, points, answered) rows, best first → numbered lines."""
    if not rows:
        return "Nobody has played yet. Start a game with `/game critic-or-club`."
    medals = {1: "🥇", 2: "🥈", 3: "🥉"}
    return "\n".join(
        f"{medals.get(n, f'{n}.')} **{inert(name, 80)}** — {counted(points, 'point')}"
        f" ({answered} answered)"
        for n, (name, points, answered) in enumerate(rows, start=1)
    )


# -------------------- digests


def validate_digest_hours(hours: int) -> int:
    if not 0 <= hours <= DIGEST_HOURS_MAX:
        raise UserError(f"{hours} is not a digest time I can use: give 1 to {DIGEST_HOURS_MAX} hours after a"
                        f" prompt (e.g. `/config digest-hours hours:24`), or 0 to turn thread digests off.")
    return hours


@dataclass(frozen=True)
class ThreadStats:
    replies: int
    participants: int
    top_url: str | None
    top_reactions: int
    more: bool = False  # the thread is longer than the digest reads: the counts are "over"


DIGEST_OPENING = "🧵 **Thread digest**"  # how every digest starts: the proof one was posted (service.recover_digests)


def digest_text(stats: ThreadStats, critic_line: str | None, hours: int) -> str:
    """The digest posted in a prompt's thread: counts, the most-reacted reply, the opening critic line."""
    lines = [f"{DIGEST_OPENING} — the first {'hour' if hours == 1 else f'{hours} hours'}"]
    lines.append(
        f"{'over ' if stats.more else ''}{counted(stats.replies, 'reply', 'replies')}"
        f" from {counted(stats.participants, 'participant')}."
    )
    if stats.top_url and stats.top_reactions:
        lines.append(f"Most-reacted reply ({counted(stats.top_reactions, 'reaction')}): {stats.top_url}")
    if critic_line:  # already rendered (escaped, spoiler-tagged) by bot.core.spoilers
        lines.append(f"Started from: “{critic_line}”")
    return clip("\n".join(lines), 2000)


# -------------------- critics vs club


@dataclass(frozen=True)
class Split:
    """Shares per answer (same order as the poll's answers) and an example critic line per side."""

    counts: tuple[int, ...]
    examples: tuple[str | None, ...]


def critic_split(sides: list[tuple[int, str]], answers: int) -> Split:
    """Critic passages placed by contrast_side: −1 → answer 1, +1 → answer 2, 0 → answer 3 (if any)."""
    counts = [0] * answers
    examples: list[str | None] = [None] * answers
    for side, text in sides:
        index = 0 if side < 0 else 1 if side > 0 else (2 if answers > 2 else None)
        if index is None:
            continue
        counts[index] += 1
        if text and (examples[index] is None or len(text) < len(examples[index] or "")):
            examples[index] = text
    return Split(tuple(counts), tuple(examples))


def shares(counts: tuple[int, ...]) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(c / total if total else 0.0 for c in counts)


def biggest_gap(answers: tuple[str, ...], club: tuple[int, ...], critics: tuple[int, ...]) -> str | None:
    """Where the club and the critics disagree most: the answer with the largest difference in share."""
    if not sum(club) or not sum(critics):
        return None
    club_s, critic_s = shares(club), shares(critics)
    index = max(range(len(answers)), key=lambda i: abs(club_s[i] - critic_s[i]))
    gap = club_s[index] - critic_s[index]
    if abs(gap) < 0.05:
        return "The club and the critics see it the same way."
    who = "the club" if gap > 0 else "the critics"
    return (
        f"They disagree most on **{inert(answers[index], 60)}**: {who} lean that way"
        f" ({round(club_s[index] * 100)}% of the club vs {round(critic_s[index] * 100)}% of critic passages)."
    )


def split_line(label: str, count: int, total: int, example: str | None = None) -> str:
    share = f"{round(count * 100 / total)}%" if total else "—"
    line = f"**{inert(label, 60)}**: {count} ({share})"
    if example:
        line += f" — “{inert(example, 120)}”"
    return line


def invite_line(film_label: str) -> str:
    """The after-screening invitation to rate, posted in the spoiler thread."""
    return (f"⭐ How was *{inert(film_label, 150)}*? Rate it with `/rate film` (0.5–5 stars, a take of up to"
            f" {TAKE_MAX} characters if you like), then see the club's verdict with `/ratings`.")
