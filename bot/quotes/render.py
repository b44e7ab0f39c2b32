"""How a quote looks: the embed /quote and /poll theme post, with honest attribution and spoiler tags."""

from __future__ import annotations

import discord

from bot.core.films import unattributed_label
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.text import attribution_line, clip, film_label, inert, quote_block, typed_value
from bot.corpus import Theme
from bot.corpus.lookup import resolve_theme, theme_list
from bot.corpus.passage import Quote, is_spoiler
from bot.quotes.fts import only_common_words

# Why the passage's own text was found to spoil (bot/corpus/reasons.py SpoilerReason keys), as the
# embed says it: never the spoiler itself.
_TEXT_REASONS = {
    "reveal": "it tells what happens in the story",
    "ending_paragraph": "it is part of the review's account of the ending",
    "narration": "it retells the story past the review's set-up",
    "after_warning": "the review warned of spoilers before it",
    "after_reveal": "the review gave part of the story away before it",
    "ending_theme": "it is about the ending",
}


def quote_embed(quote: Quote, themes: dict[str, Theme]) -> discord.Embed:
    hidden = is_spoiler(quote, themes)
    film = film_label(quote.film_title, quote.film_year)
    embed = discord.Embed(
        title=clip(f"From a review of {film}", 256),
        description=quote_block(quote.text, hidden=hidden)
        + "\n\n"
        + attribution_line(quote.attribution, quote.outlet, film, quote.published),
        colour=FILM_CLUB_COLOUR,
        url=quote.url or None,
    )
    names = [themes[t].name for t in quote.themes if t in themes]
    if names:
        embed.add_field(name="Themes", value=clip(", ".join(names), 1024))
    if hidden:
        why = ", ".join(themes[t].name for t in quote.themes if t in themes and themes[t].spoiler)
        reason = (
            f"it is about {why.lower()}" if why
            else "a moderator marked it as a spoiler" if quote.marked_spoiler
            else _TEXT_REASONS.get(quote.spoiler_reason or "", "its review discusses the whole plot")
        )
        embed.add_field(name="Spoilers", value=clip(f"Hidden because {reason}: click to reveal.", 1024))
    embed.set_footer(text=quote.ref)
    return embed


def critic_line(row: dict) -> str:
    """One /critics line: who (or the unattributed label), outlet, film, quotable passages."""
    who = row["critic"] or unattributed_label(row['id'])
    outlet = f", {inert(row['outlet'], 100)}" if row["outlet"] else ""
    film = inert(film_label(row["title"], row["year"]), 120)
    return f"• **{inert(who, 100)}**{outlet} on *{film}* ({row['passages']} quotable passages)"


def search_miss(query: str, themes: dict[str, Theme]) -> str:
    """What /search says when no passage has the words: what to try next. A member who searched a theme's
    name ("nostalgia") is pointed at that theme, since a theme's passages need not contain its name;
    otherwise the themes that have passages, with the command that quotes one."""
    said = typed_value(query, 80)
    if only_common_words(query):
        return (f"“{said}” is only words too common to search for on their own: add a word the passage would"
                " have (a name, a place, an image), or quote a film with `/quote film:`.")
    try:
        named = resolve_theme(themes, query)
    except UserError:
        named = None
    if named is not None:
        return (
            f"No passage contains the words “{said}”, but **{inert(named.name, 80)}** is a discussion theme:"
            f" try `/quote theme:{named.key}`."
        )
    if not themes:
        return f"No passage mentions “{said}”. Try other words."
    return f"No passage mentions “{said}”. Try other words, or a theme with `/quote theme:`: {theme_list(themes)}."
