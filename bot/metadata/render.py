"""The film card: what the club and the providers know about one film, in one embed within Discord's limits.

Every provider string goes through `inert` (a title or overview is not ours to format), links are built
only from ids that passed their pattern, and TMDB's notice is in the footer whenever its data is shown.
"""

from __future__ import annotations

import discord

from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import Gate, shown
from bot.core.text import counted, film_label, inert
from bot.metadata import rules
from bot.metadata.rules import FilmMetadata

OVERVIEW_MAX = 350
TITLE_MAX = 256
FOOTER_MAX = 2048


def film_card(meta: FilmMetadata | None, title: str, year: int | None, club_avg: float | None,
              club_count: int, critic_reviews: int, quotable_passages: int, *,
              film_id: int | None = None, gate: Gate | None = None,
              other_titles: list[str] | None = None) -> discord.Embed:
    """Poster, title and year, runtime, director, genres, a short overview, the club's and the critics'
    numbers and links where known; with `meta` None, a bare card (title, year, counts). The overview's
    ending is hidden, or left out while `gate` holds back the film (`film_id`)."""
    shown_year = year if year is not None else meta.year if meta else None
    links = rules.links(meta) if meta else []
    embed = discord.Embed(title=inert(film_label(title, shown_year), TITLE_MAX), colour=FILM_CLUB_COLOUR,
                          url=links[0][1] if links else None)
    if meta is not None:
        if meta.overview:
            held = gate.held_line if gate is not None and gate.covers(film_id) else None
            embed.description = overview_text(meta.overview, title, held)
        if meta.poster_url:
            embed.set_thumbnail(url=meta.poster_url)
        if meta.runtime_minutes:
            embed.add_field(name="Runtime", value=rules.runtime_text(meta.runtime_minutes))
        if meta.director:
            embed.add_field(name="Director", value=inert(meta.director, 200))
        if meta.genres:
            embed.add_field(name="Genres", value=inert(", ".join(meta.genres[:6]), 200))
    if other_titles:
        embed.add_field(name="Also known as", value=also_known_as(other_titles), inline=False)
    embed.add_field(name="The club", value=club_text(club_avg, club_count), inline=False)
    embed.add_field(name="Critics", value=critics_text(critic_reviews, quotable_passages), inline=False)
    if links:
        embed.add_field(name="Links", value=" · ".join(f"[{site}]({url})" for site, url in links), inline=False)
    if meta is not None and meta.attribution:
        embed.set_footer(text=meta.attribution[:FOOTER_MAX])
    return embed


def overview_text(overview: str, film: str, held: str | None = None) -> str:
    """A provider's overview: its set-up in clear, what tells the ending (the corpus's spoiler rules,
    `rules.overview_parts`) behind spoiler bars, or `held` (the gate's line) in its place."""
    setup, ending = rules.overview_parts(overview, film)
    text = inert(setup, OVERVIEW_MAX)
    room = OVERVIEW_MAX - len(text) - 1
    if not ending or (setup and room < 20):  # the set-up alone fills the card: the ending is left out
        return text
    rest = held if held is not None else shown(ending, True, room)
    return f"{text} {rest}" if text else rest


def also_known_as(titles: list[str]) -> str:
    """A film's other titles (this server's and the providers'), each inert and clipped, within a field's
    1,024 characters: whole titles while they fit, then how many more."""
    shown: list[str] = []
    for n, title in enumerate(titles):
        more = f" · and {len(titles) - n} more"
        line = " · ".join([*shown, inert(title, 100)])
        if len(line) + len(more) > ALSO_KNOWN_MAX:
            return " · ".join(shown) + more
        shown.append(inert(title, 100))
    return " · ".join(shown)


ALSO_KNOWN_MAX = 1024  # an embed field's value


def club_text(average: float | None, count: int) -> str:
    if not count or average is None:
        return "No ratings yet: `/rate film` to add yours."
    return f"**{average:.2f}★** average from {counted(count, 'rating')}"


def critics_text(reviews: int, passages: int) -> str:
    if not reviews:
        return "No critic reviews yet."
    return f"{counted(reviews, 'critic review')} · {counted(passages, 'quotable passage')} (`/quote`)"
