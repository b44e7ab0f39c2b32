"""How flags and decisions read: the moderators' queue page, a passage's card, the confirmations."""

from __future__ import annotations

import discord

from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import Gate
from bot.core.text import attribution_line, clip, film_label, inert, quote_block
from bot.corpus import Theme
from bot.corpus.passage import Quote, is_spoiler
from bot.flags.rules import CORPUS_WIDE, Decision, FlaggedPassage, Marks, Reason, count_line, pages


def passage_label(quote: Quote) -> str:
    """As the quote footer names it (no passage text: safe in titles, field names and labels)."""
    return quote.ref


def _hidden(quote: Quote, themes: dict[str, Theme], counts: dict[Reason, int] | None = None) -> bool:
    """Behind spoiler bars: a spoiler already, or members say it spoils."""
    return is_spoiler(quote, themes) or bool(counts and counts.get(Reason.SPOILER))


def _state(quote: Quote) -> str:
    marks = [name for name, on in (("hidden", quote.hidden), ("marked spoiler", quote.marked_spoiler),
                                    ("trimmed to one sentence", quote.trimmed)) if on]
    return f"\n*Now: {', '.join(marks)} (every server).*" if marks else ""


def _block(quote: Quote, hidden: bool, limit: int, gate: Gate | None) -> str:
    """The passage as a quote block; the gated film's spoilers not at all while its screening waits."""
    if gate is not None and gate.held(quote.film_id, hidden):
        return "> " + gate.held_line
    return quote_block(quote.text, hidden=hidden, limit=limit)


def queue_embed(
    total: int, page: int, entries: list[tuple[FlaggedPassage, Quote]], themes: dict[str, Theme],
    gate: Gate | None = None,
) -> discord.Embed:
    """One page of this server's flagged passages, counted by reason: never who flagged."""
    embed = discord.Embed(
        title=f"Flagged passages ({total})",
        description=(
            "Members flagged these passages; numbers match the buttons below. Hide, Mark spoiler and Trim change"
            " the passage for every server (the corpus is shared); Keep only clears this server's flags."
            if entries else "No passage is waiting for a decision."
        ),
        colour=FILM_CLUB_COLOUR,
    )
    for number, (flagged, quote) in enumerate(entries, start=1):
        film = film_label(quote.film_title, quote.film_year)
        value = (
            _block(quote, _hidden(quote, themes, flagged.counts), 600, gate)
            + "\n" + attribution_line(quote.attribution, quote.outlet, film)
            + f"\n🚩 {count_line(flagged.counts)}" + _state(quote)
        )
        name = f"{number} · {passage_label(quote)} — {flagged.total} flag{'s' if flagged.total != 1 else ''}"
        embed.add_field(name=clip(name, 256), value=clip(value, 1024), inline=False)
    embed.set_footer(text=f"Page {page + 1} of {pages(total)} · flags are anonymous: only counts are shown")
    return embed


def passage_card(
    quote: Quote, counts: dict[Reason, int], themes: dict[str, Theme], headline: str, gate: Gate | None = None
) -> str:
    """/passage hide|show's reply: what changed, the passage (spoilers hidden), its flags here."""
    film = film_label(quote.film_title, quote.film_year)
    return clip(
        f"{headline}\n"
        + _block(quote, _hidden(quote, themes, counts), 1000, gate)
        + "\n" + attribution_line(quote.attribution, quote.outlet, film)
        + "\n" + _flags_line(counts) + _state(quote),
        2000,
    )


def _flags_line(counts: dict[Reason, int]) -> str:
    if not any(counts.values()):
        return "🚩 No open flags in this server."
    return f"🚩 Open flags in this server: {count_line(counts)}"


def decision_text(decision: Decision, label: str, before: Marks, after: Marks, *, had_flags: bool = True) -> str:
    """The moderator's confirmation; every corpus-wide change says so. `had_flags`: this server had open flags
    on the passage, which the decision cleared (only then is that said)."""
    if decision is Decision.KEEP:
        return f"Kept **{label}**: its flags are cleared from this server's queue. Nothing changed in the corpus."
    if before == after:
        unchanged = {
            Decision.HIDE: "was already hidden", Decision.SHOW: "was not hidden",
            Decision.SPOILER: "was already marked as a spoiler", Decision.TRIM: "was already trimmed to that sentence",
            Decision.NOT_SPOILER: "was already shown in clear",
        }[decision]
        cleared = " Its flags in this server are cleared." if had_flags else ""
        return f"**{label}** {unchanged}: nothing changed.{cleared}"
    done = {
        Decision.HIDE: "is hidden: it will never be quoted or prompted again (`/passage show` brings it back)",
        Decision.SHOW: "can be quoted and prompted again",
        Decision.SPOILER: "is now shown behind spoiler bars",
        Decision.NOT_SPOILER: (
            "is no longer a spoiler: it is quoted in clear, also while a screening of its film is upcoming"
            " (the flag queue's *Mark spoiler* hides it again)"
        ),
        Decision.TRIM: f"is now quoted as one sentence: “{inert(after.trimmed or '', 300)}”",
    }[decision]
    return f"**{label}** {done}. {CORPUS_WIDE}"


_DECIDED = {Decision.HIDE: "hid it", Decision.SHOW: "showed it", Decision.KEEP: "kept it",
            Decision.SPOILER: "marked it as a spoiler", Decision.TRIM: "trimmed it",
            Decision.NOT_SPOILER: "said it is no spoiler"}


def decided_text(label: str, deciding: int, earlier: tuple[int | None, Decision] | None) -> str:
    """A queue button pressed on a passage whose flags were decided already: by whom and how, so a moderator whose
    first press lost its answer (a 5xx, a restart) learns their own decision stands, not that someone else's does."""
    tail = "nothing changed. `/passage hide` or `/passage show` still change it."
    if earlier is not None and earlier[0] == deciding:
        return f"You already decided on **{label}** (you {_DECIDED[earlier[1]]}): it stands, {tail}"
    how = f" (<@{earlier[0]}> {_DECIDED[earlier[1]]})" if earlier is not None and earlier[0] else ""
    return (f"**{label}** has no open flags in this server any more: another moderator decided on it first{how},"
            f" so {tail}")


def trim_prompt(label: str, sentences: list[str], hidden: bool) -> str:
    """The sentences to choose from, numbered as in the menu (spoilers behind bars: a menu can't hide them)."""
    lines = [f"{n}. " + quote_block(s, hidden=hidden, limit=300)[2:] for n, s in enumerate(sentences, start=1)]
    return clip(f"Trim **{label}** to which sentence? {CORPUS_WIDE}\n" + "\n".join(lines), 2000)


def trim_option(number: int, sentence: str, hidden: bool) -> str:
    """A select label: the sentence's start, or only its number when it may spoil."""
    return f"Sentence {number}" if hidden else clip(f"{number}. {' '.join(sentence.split())}", 100)


def not_spoiler_refusal(quote: Quote, themes: dict[str, Theme]) -> str | None:
    """Why /passage not-spoiler cannot show this passage in clear (None: it can). Only the text rules' verdict and
    a moderator's mark are undone by it; a spoiler theme and a review marked spoiler have their own undo."""
    label = passage_label(quote)
    if not is_spoiler(quote, themes):
        return f"**{label}** is not a spoiler: it is already quoted in clear."
    if quote.review_spoiler:
        return (f"**{label}** is hidden because its whole review is marked spoiler: "
                f"`/review edit review:{quote.review_id} spoiler:False` shows the review in clear.")
    tagged = [themes[t].name for t in quote.themes if t in themes and themes[t].spoiler]
    if tagged:
        return (f"**{label}** is tagged **{inert(tagged[0], 100)}**, a spoiler theme: `/passage untag` it first, "
                f"then run this again if its text is still hidden.")
    return None
