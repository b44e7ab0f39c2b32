"""What /ratings, the game and the digests show: embeds, and the ratings chart as a PNG (bot/club/chart_draw.py)."""

from __future__ import annotations

import discord

from bot.club import chart_draw, rules
from bot.club.rules import Summary
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import Gate, gated_take
from bot.core.text import clip, counted, inert


def chart_png(summary: Summary, title: str) -> bytes:
    """The distribution as a bar chart (Pillow, 2–5 ms): drawn in the chart thread by bot/club/charts.py."""
    labels = [rules.bucket_label(i) for i in range(10)]
    return chart_draw.bars_png(title, labels, summary.distribution, x_label="stars", y_label="members")


def ratings_embed(label: str, summary: Summary, takes: list[tuple[str, rules.Rating]], *, bars: bool,
                  gate: Gate | None = None) -> discord.Embed:
    """Average, count, (text bars when no image) and up to three takes with their authors' names; what a take
    hides behind `||` is left out while the server's `gate` holds the film back."""
    if summary.count:
        head = f"**{summary.average:.2f}★** average from {counted(summary.count, 'rating')}"
    else:
        head = "No ratings yet. Be the first: `/rate film`."
    description = head + ("\n\n" + rules.text_bars(summary) if bars and summary.count else "")
    embed = discord.Embed(title=clip(f"⭐ The club on {inert(label)}", 256), description=description,
                          colour=FILM_CLUB_COLOUR)
    for name, rating in takes:
        embed.add_field(name=clip(f"{inert(name, 80)} · {rules.stars_text(rating.stars_x2)}", 256),
                        value="> " + gated_take(gate, rating.take or "", rating.film_id, 600), inline=False)
    return embed


def round_embed(number: int, rounds: int, quote: str | None, deadline_ts: int, kind: str = "critic",
                gate: Gate | None = None, film_id: int | None = None) -> discord.Embed:
    """A round: a critic's passage (never a spoiler one) or a member's take (their own ||…|| kept hidden; left out
    while the server's `gate` holds the take's film back: a screening set after the game began)."""
    if not quote:
        body = "*(this quote was withdrawn by its author)*"
    else:
        body = "> " + (gated_take(gate, quote, film_id, 900) if kind == "club" else inert(quote, 900))
    return discord.Embed(
        title=f"🎭 Critic or club? Round {number}/{rounds}",
        description=f"{body}\n\nA critic's passage, or a club member's take? Time's up <t:{deadline_ts}:R>.",
        colour=FILM_CLUB_COLOUR,
    )
