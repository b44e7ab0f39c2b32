"""How /review shows reviews, changes and the audit trail: inert text within Discord's limits."""

from __future__ import annotations

import math
from typing import Any

import discord
from discord.utils import format_dt

from bot.core.films import unattributed_label
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.store import AuditEntry
from bot.core.text import (
    AUTOCOMPLETE_NAME_MAX,
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_FIELD_VALUE_MAX,
    clip,
    counted,
    film_label,
    inert,
    plural,
    quote_block,
    spoiler,
)
from bot.core.time import from_iso
from bot.corpus import TaggedPassage, Theme, themes_for_film
from bot.reviews.rules import ReviewMeta, themes_found
from bot.reviews.store import ReviewRow

PER_PAGE = 10
SNAPSHOT_KEYS = ("film", "year", "critic", "outlet", "url", "date", "spoiler")


def review_label(review_id: int, critic: str | None, title: str, year: int | None) -> str:
    """'#12 · Critic-or-Unattributed · Film (Year)', the name of an autocomplete choice."""
    return clip(
        f"#{review_id} · {critic or 'Unattributed'} · {film_label(title, year)}", AUTOCOMPLETE_NAME_MAX
    )


def byline(row: ReviewRow) -> str:
    who = inert(row.critic, 100) if row.critic else unattributed_label(row.id)
    outlet = f", {inert(row.outlet, 100)}" if row.outlet else ""
    return f"{who}{outlet} on *{inert(film_label(row.film_title, row.film_year), 150)}*"


def theme_summary(counts: dict[str, int], themes: dict[str, Theme]) -> str:
    if not counts:
        return "no theme yet (it can still be quoted by film, critic or keywords)"
    return ", ".join(
        f"{inert(themes[key].name if key in themes else key, 60)} ({n})" for key, n in counts.items()
    )


def added_text(row: ReviewRow, counts: dict[str, int], themes: dict[str, Theme]) -> str:
    return clip(
        f"Added review **#{row.id}**: {byline(row)}.\n"
        f"**{row.quotable}** quotable {'passage' if row.quotable == 1 else 'passages'} (of {row.passages})."
        f" Themes found: {theme_summary(counts, themes)}.\n"
        f"It can be quoted now, e.g. `/quote film:{inert(film_label(row.film_title, row.film_year), 100)}`.",
        CONTENT_MAX,
    )


def _value(value: Any) -> str:
    return "—" if value is None or value == "" else inert(str(value), 150)


def _passages(count: Any) -> str:
    return counted(count, "passage") if isinstance(count, int) else "? passages"


def changes_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """'critic: — → Jane Doe; url: …' for an edit, or the key fields of an added/removed review."""
    if before and after:
        diffs = [
            f"{key}: {_value(before.get(key))} → {_value(after.get(key))}"
            for key in SNAPSHOT_KEYS
            if before.get(key) != after.get(key)
        ]
        return "; ".join(diffs) or "no change"
    data = after or before or {}
    if "title" in data:  # a film's other title (/film alias), added or taken back
        return f"“{_value(data.get('title'))}” of {_value(data.get('film'))}"
    if "added" in data:  # an import summary
        return f"{len(data['added'])} added, {data.get('duplicates', 0)} duplicates"
    return (
        f"{_value(data.get('critic'))} on {_value(data.get('film'))} ({_passages(data.get('passages'))})"
    )


EXCERPT_MAX = 900


def opening_excerpt(
    passages: list[tuple[int, str, tuple[str, ...], bool]], body: str, themes: dict[str, Theme], *, marks: bool = True
) -> str:
    """The review's opening as one line, each spoiler passage (a spoiler theme's tag; with `marks`, the text
    rules' reason or a moderator's mark, as /quote hides them) behind its own spoiler tags.

    Built from the passages (which carry the themes) and never cut inside a spoiler; the raw body
    is only the fallback for a review without passages.
    """
    if not passages:
        return inert(" ¶ ".join(line.strip() for line in body.splitlines() if line.strip()), EXCERPT_MAX)
    hidden_keys = {key for key, theme in themes.items() if theme.spoiler}
    out = ""
    previous = passages[0][0]
    for paragraph, text, keys, marked in passages:
        joiner = "" if not out else (" ¶ " if paragraph != previous else " ")
        previous = paragraph
        room = EXCERPT_MAX - len(out) - len(joiner) - 4  # 4: the spoiler bars
        if room <= 1:
            return out + " …"
        piece = inert(text, room)
        out += joiner + (spoiler(piece) if hidden_keys & set(keys) or (marks and marked) else piece)
        if len(piece) < len(inert(text)):
            return out
    return out


def show_embed(
    row: ReviewRow, counts: dict[str, int], body: str, themes: dict[str, Theme],
    passages: list[tuple[int, str, tuple[str, ...], bool]] | None = None, *, held: str | None = None,
) -> discord.Embed:
    """`held`: the spoiler gate's line, shown instead of an opening that has nothing left to show."""
    # One block quote: paragraphs joined, so the excerpt cannot break out of the quote or the spoiler tag.
    # A review that spoils throughout is hidden whole below (one set of tags: they cannot nest).
    excerpt = opening_excerpt(passages or [], body, {} if row.spoiler else themes, marks=not row.spoiler)
    shown = held if held is not None else f"> {spoiler(excerpt) if row.spoiler else excerpt}"
    embed = discord.Embed(
        title=clip(f"Review #{row.id}", 256),
        description=clip(f"{byline(row)}\n\n{shown}", EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    # A date or link the review lacks is left out: a field reading only "—" is noise to a member.
    if row.published:
        embed.add_field(name="Published", value=_value(row.published))
    if row.url:
        embed.add_field(name="Link", value=_value(row.url))
    embed.add_field(name="Passages", value=f"{row.quotable} quotable of {row.passages}")
    embed.add_field(
        name="Themes", value=clip(theme_summary(counts, themes), EMBED_FIELD_VALUE_MAX), inline=False
    )
    # Who and when in a field: Discord renders mentions and <t:…> timestamps (each reader's own zone) there,
    # never in a footer.
    who = "the bundled corpus" if row.source == "bundled" else f"<@{row.added_by}>" if row.added_by else "someone"
    embed.add_field(name="Added", value=f"{format_dt(from_iso(row.added_at), 'f')} by {who}", inline=False)
    if row.attribution_locked:  # where it came from is the Added field's "by …"; this is the one thing to add
        embed.set_footer(text="Attribution edited by a moderator")
    return embed


def list_embed(rows: list[ReviewRow], total: int, page: int, filters: str) -> discord.Embed:
    pages = max(1, math.ceil(total / PER_PAGE))
    lines = [f"**#{row.id}** · {byline(row)} · {counted(row.quotable, 'passage')}" for row in rows]
    embed = discord.Embed(
        title=clip(f"Reviews{' — ' + filters if filters else ''}", 256),
        description=clip("\n".join(lines) or "No review matches.", EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {counted(total, 'review')} · /review show review:<id> for details"
    )
    return embed


def alias_change(action: str, data: dict[str, Any]) -> str:
    """A /film alias change as a moderator says it, not the audit log's action name ("alias.add")."""
    title, film = f"“{_value(data.get('title'))}”", _value(data.get("film"))
    if action == "alias.remove":
        return f"**took back** {title} as another title of {film}"
    return f"**added** {title} as another title of {film}"  # the title first: a long line is clipped at its end


def history_text(entries: list[AuditEntry], total: int, review_id: int | None) -> str:
    what = f"review #{review_id}" if review_id is not None else "reviews and film titles"
    if not entries:
        return f"No recorded changes to {what} yet."
    lines = [f"**Changes to {what}** (newest first):"]
    for entry in entries:
        if entry.target_type == "film-alias":
            did = alias_change(entry.action, entry.after or entry.before or {})
        else:
            target = f"#{entry.target_id}" if entry.target_id is not None else "import"
            did = f"**{entry.action}** {target}: {changes_text(entry.before, entry.after)}"
        who = f"<@{entry.actor_id}>" if entry.actor_id else "someone"
        lines.append(
            clip(
                f"• {format_dt(from_iso(entry.at), 'f')} {who} {did}",
                115,  # 15 entries, the header and the note fit Discord's 2,000 characters
            )
        )
    if total > len(entries):
        lines.append(f"…showing the latest {len(entries)} of {total}. Name a review to see its own history.")
    return clip("\n".join(lines), CONTENT_MAX)


def import_progress(checked: int, total: int) -> str:
    """The deferred reply while an import runs (nothing is stored before the end: all or nothing)."""
    if checked < total:
        return f"Importing… {checked:,} / {total:,} {plural(total, 'review')} processed."
    return f"Importing… {total:,} / {total:,} {plural(total, 'review')} processed; storing them."


def import_summary(added: int, duplicates: list[str], rejected: list[str]) -> str:
    """Added / duplicate / rejected counts with reasons; a rejection means nothing was added."""
    head = (
        f"**Import refused: nothing was added** because {counted(len(rejected), 'item was', 'items were')} rejected."
        " Fix them and import the file again."
        if rejected
        else f"**Imported {counted(added, 'review')}.**"
    )
    lines = [
        head,
        f"Would add: {added}" if rejected else f"Added: {added}",
        f"Duplicates (already stored, skipped): {len(duplicates)}",
    ]
    lines += [f"• {d}" for d in duplicates[:5]]
    lines.append(f"Rejected: {len(rejected)}")
    lines += [f"• {r}" for r in rejected[:15]]
    if len(rejected) > 15:
        lines.append(f"…and {len(rejected) - 15} more.")
    return clip("\n".join(lines), CONTENT_MAX)


_HOW = {
    "chosen": "as you chose it",
    "catalogue": "matched from the page title",
    "page data": "named in the page's data: check it",
    "headline": "guessed from the headline: check it",
}


def link_preview_text(
    meta: ReviewMeta, passages: list[TaggedPassage], themes: dict[str, Theme], *, how: str, fetched_at: str,
    held: str | None = None, warnings: list[str] | None = None,
) -> str:
    """What `/review add-link` would store, privately, before Save: byline, film, counts, themes,
    spoilers and the first quotable passage (behind a spoiler tag when it is a spoiler passage). `held`: the
    gate's note when the server holds the film back: then no spoiler passage is shown at all, even hidden.
    `warnings`: what the page says against the preview (another film in its data, a page 2), first, before Save."""
    applying = themes_for_film(themes, meta.film, meta.year)
    hidden_keys = {key for key, theme in applying.items() if theme.spoiler}
    # as every quote of it will be: the review marked, a spoiler theme, or the text rules' reason (a reveal…)
    hidden = [meta.spoiler or p.spoiler is not None or bool(hidden_keys & set(p.themes)) for p in passages]
    quotable = [(p, h) for p, h in zip(passages, hidden, strict=True) if p.quotable]
    critic = inert(meta.critic, 100) if meta.critic else "none on the page (stored unattributed)"
    url = meta.url or "?"
    link = f"<{clip(url, 300)}>" if not set(url) & set("<>|`*_~ ") and len(url) <= 300 else inert(url, 300)
    lines = [
        "**Preview: nothing is stored until you press Save.**",
        *(warnings or []),
        f"Link: {link} (fetched {fetched_at[:10]})",
        f"Critic: {critic} · Outlet: {_value(meta.outlet)} · Date: {_value(meta.date)}",
        f"Film: *{inert(film_label(meta.film, meta.year), 150)}* ({_HOW.get(how, how)})",
        f"Passages: {len(passages)}, quotable: {len(quotable)} · spoiler passages: {sum(hidden)}"
        + (" (the whole review is marked as a spoiler)" if meta.spoiler else ""),
        clip(f"Themes found: {theme_summary(themes_found(passages), themes)}", 600),
    ]
    if held is not None:
        lines.append(held)
        quotable = [(p, h) for p, h in quotable if not h]
    head = "\n".join(lines)
    if not quotable:
        return clip(head, CONTENT_MAX)
    first, first_hidden = quotable[0]
    room = CONTENT_MAX - len(head) - 40  # the passage is sized to fit whole: a cut never drops a closing ||
    return head + "\nFirst quotable passage:\n" + quote_block(first.text, hidden=first_hidden, limit=min(700, room))
