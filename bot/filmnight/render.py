"""What film night shows: watchlist pages, pick messages and results, screening notices."""

from __future__ import annotations

import math
from datetime import datetime

import discord

from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import Gate, gated_take
from bot.core.text import EMBED_DESCRIPTION_MAX, clip, counted, inert, member_mention
from bot.core.time import from_iso, late_note
from bot.filmnight.rules import PAGE_SIZE, TIE_RULE, Count, Entry, Pick, Screening, count_lines, film_facts


def stamp(moment_iso: str, style: str) -> str:
    return f"<t:{int(from_iso(moment_iso).timestamp())}:{style}>"


def when_line(screening: Screening) -> str:
    return f"{stamp(screening.starts_at, 'F')} ({stamp(screening.starts_at, 'R')})"


def pages(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


def watchlist_embed(entries: list[Entry], page: int, gate: Gate | None = None) -> discord.Embed:
    """One page of the watchlist, most supported first; what a note hides behind `||` is left out while the
    server's `gate` holds its film back."""
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = []
    for number, entry in enumerate(shown, start=page * PAGE_SIZE + 1):
        facts = film_facts(entry.runtime_minutes, entry.director)
        line = f"**{number}. {inert(entry.label, 120)}**" + (f" · {inert(facts, 120)}" if facts else "")
        line += f" · {counted(entry.support, 'supporter')} · suggested by {member_mention(entry.suggested_by)}"
        if entry.note:
            line += f"\n  {gated_take(gate, entry.note, entry.film_id, 200)}"  # their own ||…|| stays hidden
        lines.append(line)
    embed = discord.Embed(
        title="🎬 The club's watchlist",
        description=clip("\n".join(lines) or "Nothing yet: suggest a film with `/watchlist add`.", EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    embed.set_footer(text=f"Page {page + 1} of {pages(len(entries))} · {counted(len(entries), 'film')} · back one with /watchlist support")
    return embed


def pending_embed(entry: Entry, verdict: str | None = None, gate: Gate | None = None) -> discord.Embed:
    """The suggestion in the log channel: awaiting approval, or (once decided) the verdict; what the note hides
    behind `||` is left out while the server's `gate` holds its film back, as on the watchlist's pages."""
    embed = discord.Embed(
        title=f"Watchlist suggestion {verdict}" if verdict else "Watchlist suggestion awaiting approval",
        description=f"**{inert(entry.label, 200)}** suggested by {member_mention(entry.suggested_by)}"
        + (f"\n> {gated_take(gate, entry.note, entry.film_id, 300)}" if entry.note else ""),
        colour=FILM_CLUB_COLOUR,
    )
    return embed


def queue_embed(entries: list[Entry], at: int, gate: Gate | None = None) -> discord.Embed:
    """`/watchlist pending`: suggestion `at` of those awaiting approval, one a page (its buttons decide it); a
    note's `||…||` left out while the server's `gate` holds its film back, as in /watchlist list."""
    if not entries:
        return discord.Embed(
            title="No watchlist suggestion awaits approval",
            description="While approval is on (`/config watchlist-approval`), members' suggestions wait here.",
            colour=FILM_CLUB_COLOUR,
        )
    entry = entries[at]
    facts = film_facts(entry.runtime_minutes, entry.director)
    description = (f"**{inert(entry.label, 200)}**" + (f" · {inert(facts, 120)}" if facts else "")
                   + f"\nsuggested by {member_mention(entry.suggested_by)} · {counted(entry.support, 'supporter')}")
    if entry.note:
        description += f"\n> {gated_take(gate, entry.note, entry.film_id, 300)}"
    embed = discord.Embed(title="Watchlist suggestion awaiting approval", description=description,
                          colour=FILM_CLUB_COLOUR)
    embed.set_footer(text=f"Suggestion {at + 1} of {len(entries)} awaiting approval"
                          " · Approve lists it, Reject drops it")
    return embed


def pick_embed(pick: Pick, ballots: int, *, closed: bool) -> discord.Embed:
    how = (
        "Rank up to 3 films: choose your favourite below, then your 2nd and 3rd choices in the private reply."
        if pick.method == "ranked" else "Choose one film below; choose again to change your vote."
    )
    lines = [f"**{n}.** {inert(label, 150)}" for n, (_, label) in enumerate(pick.candidates, start=1)]
    noun = "ballot" if ballots == 1 else "ballots"
    # Once closed, the how-to-vote line would invite members to a menu that no longer takes votes.
    state = (f"Voting closed: {ballots} {noun} in all; the result is posted as “Results of pick #{pick.id}”." if closed
             else f"{how}\nCloses {stamp(pick.deadline, 'R')}. Ballots so far: {ballots}.")
    embed = discord.Embed(
        title="🗳️ Pick the next film night" + (" (ranked choice)" if pick.method == "ranked" else ""),
        description=clip("\n".join(lines) + f"\n\n{state}", EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    embed.set_footer(text=f"Pick #{pick.id}")
    return embed


def result_embed(pick: Pick, count: Count, posted_at: datetime | None = None) -> discord.Embed:
    labels = [inert(label, 100) for _, label in pick.candidates]
    if count.winner is None:
        text = "Nobody voted, so there is no winner."
    else:
        text = f"🏆 **{labels[count.winner - 1]}** wins.\n\n" + "\n".join(count_lines(count, labels))
        if pick.method == "ranked":
            text += f"\n\n*{TIE_RULE}*"
        text += "\n\nSchedule it with `/filmnight schedule`."
    if late := late_note(pick.deadline, pick.closed_at, posted_at):  # announced late: it says so
        text += f"\n\n{late}"
    return discord.Embed(
        title=f"Results of pick #{pick.id}", description=clip(text, EMBED_DESCRIPTION_MAX), colour=FILM_CLUB_COLOUR
    )


def next_embed(screening: Screening, location: str, facts: str = "") -> discord.Embed:
    film = f"{inert(facts, 200)}\n" if facts else ""
    embed = discord.Embed(
        title=clip(f"🎞️ Next film night: {screening.label}", 256),
        description=f"{film}{when_line(screening)}\nWhere: {location}\n"
        "Press **Interested** on the server event to get Discord's reminder too.",
        colour=FILM_CLUB_COLOUR,
    )
    if screening.locked:
        embed.add_field(name="Spoilers", value=f"Spoiler themes unlock when the screening ends, {stamp(screening.ends_at, 'R')}.")
    return embed


def reminder_text(screening: Screening, kind: str, role_id: int | None) -> str:
    ping = f"<@&{role_id}> " if role_id else ""
    soon = "tomorrow" if kind == "24h" else "in an hour"
    return f"{ping}⏰ Film night {soon}: **{inert(screening.label, 150)}**, {when_line(screening)}."


HISTORY_PAGE = 25  # film nights per /filmnight history page (about 2,500 of the description's 4,096)


def history_embed(screenings: list[Screening], watched: dict[int, int] | None = None, *, page: int = 0,
                  total: int | None = None) -> discord.Embed:
    """One page of ended film nights; with `total`, the footer says which page of how many."""
    watched = watched or {}
    lines = [
        f"• **{inert(s.label, 150)}** · {stamp(s.starts_at, 'D')} · "
        f"{s.interested if s.interested is not None else '?'} interested · {watched.get(s.id, 0)} watched"
        for s in screenings
    ]
    embed = discord.Embed(
        title="📽️ Film nights so far",
        description=clip("\n".join(lines) or "No screening has ended yet.", EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    if total:
        embed.set_footer(text=f"Page {page + 1} of {history_pages(total)} · {counted(total, 'film night')}")
    return embed


def history_pages(total: int) -> int:
    return max(1, math.ceil(total / HISTORY_PAGE))
