"""Pure poll logic: validating what a member typed, choosing the poll kind, tallies and text bars.

No Discord calls and no database: the cog and the store call these, and they are unit-tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.refusals import UserError
from bot.core.spoilers import has_spoiler_bars
from bot.core.text import EMBED_DESCRIPTION_MAX, clip, counted, inert
from bot.core.time import late_note

MIN_OPTIONS = 2
MAX_OPTIONS = 25  # a select menu holds at most 25 options
QUESTION_MAX = 300  # Discord's native poll question limit; we apply it to every poll
NATIVE_MAX_OPTIONS = 10  # Discord's native poll answer limit
NATIVE_OPTION_MAX = 55  # Discord's native poll answer text limit
BUTTON_OPTION_MAX = 80  # Discord's button label limit (select option labels allow 100: we keep 80 for both)
MAX_BUTTONS = 5  # beyond this many options a button poll shows a select menu instead
MIN_HOURS = 1
MAX_HOURS = 768  # 32 days: Discord's native poll maximum; we apply it to every poll
DEFAULT_HOURS = 24
BAR_WIDTH = 10
SEPARATOR = "|"


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    creator_id: int
    kind: str  # 'native' or 'buttons'
    question: str
    multiple: bool
    anonymous: bool
    hide_results: bool
    theme: str | None
    created_at: str
    deadline: str
    closed_at: str | None
    options: tuple[str, ...]  # option_id n is options[n - 1]
    film_id: int | None = None  # a theme poll's film (the excerpt's): its results compare that film's critics

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Tally:
    counts: tuple[int, ...]  # per option, in order
    voters: int  # distinct members with at least one vote


@dataclass(frozen=True)
class VoteOutcome:
    closed: bool  # the poll had ended: nothing changed
    choices: tuple[int, ...]  # the option ids now recorded for this member


@dataclass(frozen=True)
class PollSpec:
    """A validated /poll create request."""

    question: str
    options: tuple[str, ...]
    hours: int
    multiple: bool
    anonymous: bool
    hide_results: bool

    @property
    def native(self) -> bool:
        return is_native_eligible(self.options, self.anonymous, self.hide_results)


# Discord shows a poll's question and answers as written (a native poll, a button's label): `||` would not hide.
_NO_SPOILER_BARS = (
    "A poll's {part} can't hide words behind `||` spoiler bars: Discord shows poll questions and answers as"
    " written, so the spoiler would be in clear for everyone. Leave the spoiler out of the poll."
)


def is_native_eligible(options: tuple[str, ...] | list[str], anonymous: bool, hide_results: bool) -> bool:
    """Discord's own poll fits unless it must be anonymous, hidden, or has more than 10 answers."""
    return not anonymous and not hide_results and len(options) <= NATIVE_MAX_OPTIONS


def shown(text: str, limit: int = 60) -> str:
    """A user value quoted back in an error message, shortened so the message stays readable."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_options(raw: str) -> list[str]:
    """Split on `|` and trim; refuses spoiler bars, empty options, duplicates (case-insensitive) and bad counts."""
    if has_spoiler_bars(raw or ""):
        raise UserError(_NO_SPOILER_BARS.format(part="answers"))
    parts = [part.strip() for part in (raw or "").split(SEPARATOR)]
    for number, part in enumerate(parts, start=1):
        if not part:
            raise UserError(
                f"Option {number} of {len(parts)} is empty: every option between `|` needs text "
                "(e.g. `Happy | Sad | Both`)."
            )
    if len(parts) < MIN_OPTIONS or len(parts) > MAX_OPTIONS:
        raise UserError(
            f"A poll needs {MIN_OPTIONS} to {MAX_OPTIONS} options separated by `|`; you gave {len(parts)}."
        )
    seen: dict[str, int] = {}
    for number, part in enumerate(parts, start=1):
        key = part.casefold()
        if key in seen:
            raise UserError(
                f"Options must be different: option {number} “{shown(part)}” repeats option {seen[key]}."
            )
        seen[key] = number
    return parts


def validate(
    question: str,
    options: str,
    hours: int | None = None,
    multiple: bool = False,
    anonymous: bool = False,
    hide_results: bool = False,
) -> PollSpec:
    """Every limit of /poll create, each refusal naming the limit and the value given."""
    hours = DEFAULT_HOURS if hours is None else hours
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise UserError(f"`hours` must be between {MIN_HOURS} and {MAX_HOURS} (32 days); you gave {hours}.")
    return validate_parts(question, parse_options(options), hours, multiple, anonymous, hide_results)


def validate_parts(
    question: str, parts: list[str], hours: int, multiple: bool, anonymous: bool, hide_results: bool
) -> PollSpec:
    """The question and per-option limits, for options already split (also used by /poll theme)."""
    question = (question or "").strip()
    if not question:
        raise UserError("The question is empty: write what members should vote on.")
    if len(question) > QUESTION_MAX:
        raise UserError(f"The question can be at most {QUESTION_MAX} characters; yours has {len(question)}.")
    if has_spoiler_bars(question) or any(has_spoiler_bars(part) for part in parts):
        raise UserError(_NO_SPOILER_BARS.format(part="question" if has_spoiler_bars(question) else "answers"))
    native = is_native_eligible(parts, anonymous, hide_results)
    limit = NATIVE_OPTION_MAX if native else BUTTON_OPTION_MAX
    for number, part in enumerate(parts, start=1):
        if len(part) > limit:
            hint = (
                " Shorten it, or set `anonymous` or `hide_results` for a button poll (80 characters)."
                if native
                else " Shorten it."
            )
            kind = "a Discord poll" if native else "a button poll"
            raise UserError(
                f"Option {number} has {len(part)} characters; {kind} allows at most {limit}.{hint}"
            )
    return PollSpec(question, tuple(parts), hours, bool(multiple), bool(anonymous), bool(hide_results))


def parse_poll_id(value: str | int | None) -> int:
    """The poll id from autocomplete (`"12"`), or typed by hand (`12`, `#12`)."""
    text = str(value or "").strip().lstrip("#").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise UserError(
            f"“{shown(str(value or ''))}” is not a poll id: pick a poll from the list, e.g. `12`."
        )
    return int(text)


def percentages(counts: list[int]) -> list[int]:
    """Each count as a whole percentage of all votes cast (0 when nobody voted)."""
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    return [int(count * 100 / total + 0.5) for count in counts]


def bar(percent: int, width: int = BAR_WIDTH) -> str:
    """`█████░░░░░` for 50%: filled cells rounded to the nearest cell."""
    filled = max(0, min(width, int(percent * width / 100 + 0.5)))
    return "█" * filled + "░" * (width - filled)


def result_lines(labels: list[str], counts: list[int]) -> list[tuple[str, str]]:
    """(label, `█████░░░░░ 50% (3)`) for each option, in the poll's order."""
    return [
        (label, f"{bar(percent)} {percent}% ({count})")
        for label, count, percent in zip(labels, counts, percentages(counts), strict=True)
    ]


def results_body(
    labels: tuple[str, ...] | list[str],
    counts: tuple[int, ...] | list[int],
    voters: int | None,
    multiple: bool,
    closed: bool = True,
) -> str:
    """The options with text bars, then who-count; labels are user text, made inert here. No votes at all: the
    options without bars (ten 0 % bars read as a broken count) and "Nobody voted", as the film-night pick says."""
    if not sum(counts):
        listed = "\n".join(f"**{number}.** {inert(label, BUTTON_OPTION_MAX)}" for number, label in enumerate(labels, 1))
        return clip(listed + "\n\n" + ("Nobody voted." if closed else "Nobody voted yet."),
                    EMBED_DESCRIPTION_MAX - QUESTION_MAX * 2 - 20)
    lines = [
        f"**{number}.** {inert(label, BUTTON_OPTION_MAX)}\n`{line}`"
        for number, (label, line) in enumerate(result_lines(list(labels), list(counts)), start=1)
    ]
    votes = sum(counts)
    summary = counted(votes, "vote")
    if voters is not None and (multiple or voters != votes):
        summary += f" from {counted(voters, 'member')}"
    if multiple:
        summary += " · multiple choice: percentages are shares of all votes"
    return clip("\n".join(lines) + "\n\n" + summary, EMBED_DESCRIPTION_MAX - QUESTION_MAX * 2 - 20)


def hidden_body(voters: int) -> str:
    return (
        f"{voters} member{'s have' if voters != 1 else ' has'} voted so far. "
        "Results stay hidden until the poll closes."
    )


def confirmation(labels: tuple[str, ...], choices: tuple[int, ...], multiple: bool) -> str:
    """What a click recorded, said back to the clicker."""
    chosen = [inert(labels[c - 1], BUTTON_OPTION_MAX) for c in choices if 0 < c <= len(labels)]
    if not chosen:
        return "You have no vote in this poll now. Click an option to vote."
    if multiple:
        return (
            "Your choices are now: "
            + ", ".join(f"**{c}**" for c in chosen)
            + ". Click one again to remove it."
        )
    return f"Your vote is now **{chosen[0]}**. Click it again to remove it, or another option to move it."


def message_title(poll: Poll) -> str:
    """The title of a button poll's own message while it is open ("📊 Anonymous poll #12")."""
    kind = "anonymous poll" if poll.anonymous else "poll"
    return f"📊 {kind.capitalize()} #{poll.id}"


def poll_text(
    poll: Poll, counts: tuple[int, ...], voters: int | None, *, closed: bool, announce: bool = False,
    posted_at: datetime | None = None,
) -> tuple[str, str]:
    """(title, description) of a poll embed: the question, then bars, or only the voter count if hidden."""
    if announce:
        title = results_title(poll)
    else:
        title = message_title(poll) + (" · closed" if closed else "")
    if poll.hide_results and not closed:
        body = hidden_body(voters or 0)
    else:
        body = results_body(poll.options, counts, voters, poll.multiple, closed)
    when = "Closed." if closed else f"Closes <t:{int(datetime.fromisoformat(poll.deadline).timestamp())}:R>."
    if announce and (late := late_note(poll.deadline, poll.closed_at, posted_at)):  # announced late: it says so
        when += f" {late}"
    if not closed and poll.kind == "buttons":
        when += (
            " Multiple choice: click to add or remove."
            if poll.multiple
            else " One choice: click again to remove it, or another option to move it."
        )
    description = f"**{inert(poll.question, QUESTION_MAX * 2)}**\n\n{body}\n\n{when}"
    return title, clip(description, EMBED_DESCRIPTION_MAX)


def jump_url(poll: Poll) -> str:
    return f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"


def list_line(poll: Poll) -> str:
    """One /poll list line: the id (linking to the poll; user text stays outside the link), question, kind
    and relative deadline."""
    kind = "anonymous button poll" if poll.anonymous else "button poll"
    kind = "Discord poll" if poll.kind == "native" else kind
    deadline = int(datetime.fromisoformat(poll.deadline).timestamp())
    question = inert(poll.question, 120)
    return f"[`#{poll.id}`]({jump_url(poll)}) {question} · {kind} · closes <t:{deadline}:R>"


def results_title(poll: Poll) -> str:
    """The results message's title: names the poll for readers, and is the proof after a crash or a failed
    save that this poll's results went out (no other message carries it)."""
    return f"📊 Results of {'anonymous poll' if poll.anonymous else 'poll'} #{poll.id}"
