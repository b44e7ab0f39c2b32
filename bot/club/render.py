"""What /ratings, the game and the digests show: embeds, and the ratings chart as a PNG (matplotlib, Agg)."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.club import rules
from bot.club.rules import Summary
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import take_text
from bot.core.text import clip, counted, inert

# Charts are cards with their own dark background: a transparent chart loses its text on one of Discord's
# two themes, and a white one glares on the dark theme most members use. The bar colours come from the
# Okabe-Ito palette, told apart with every common colour-vision deficiency.
CHART_BACKGROUND = "#2b2d31"  # Discord's own dark card colour: reads as a card on the light theme too
CHART_TEXT = "#f2f3f5"
CHART_GRID = "#4e5058"
CHART_COLOURS = ("#56b4e9", "#e69f00", "#009e73", "#f0e442", "#cc79a7")  # club first, critics second


def chart_card(width: float, height: float) -> tuple[Any, Any]:
    """(figure, axes) on the house card background. A bare Figure with the Agg canvas, never pyplot: no
    global state, safe in any thread (every chart is drawn in the chart worker: bot/club/charts.py)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, facecolor=CHART_BACKGROUND)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot(facecolor=CHART_BACKGROUND)


def card_png(figure: Any, axes: Any, *, title: str, grid: str, base: str) -> bytes:
    """The house style finished (light text, a faint `grid` axis, only the `base` spine) and the PNG bytes."""
    axes.set_title(title[:80], color=CHART_TEXT)
    axes.tick_params(colors=CHART_TEXT)
    axes.grid(axis=grid, color=CHART_GRID, linewidth=0.6, zorder=1)
    for side, spine in axes.spines.items():
        spine.set_visible(side == base)
        spine.set_color(CHART_GRID)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor=CHART_BACKGROUND)
    return out.getvalue()


def chart_png(summary: Summary, title: str) -> bytes:
    """The distribution as a bar chart. Blocking (matplotlib): drawn through bot/club/charts.py."""
    from matplotlib.ticker import MaxNLocator

    figure, axes = chart_card(6, 3)
    labels = [rules.bucket_label(i) for i in range(10)]
    axes.bar(labels, summary.distribution, color=CHART_COLOURS[0], zorder=2)
    axes.set_xlabel("stars", color=CHART_TEXT)
    axes.set_ylabel("members", color=CHART_TEXT)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return card_png(figure, axes, title=title, grid="y", base="bottom")


def ratings_embed(label: str, summary: Summary, takes: list[tuple[str, rules.Rating]], *, bars: bool) -> discord.Embed:
    """Average, count, (text bars when no image) and up to three takes with their authors' names."""
    if summary.count:
        head = f"**{summary.average:.2f}★** average from {counted(summary.count, 'rating')}"
    else:
        head = "No ratings yet. Be the first: `/rate film`."
    description = head + ("\n\n" + rules.text_bars(summary) if bars and summary.count else "")
    embed = discord.Embed(title=clip(f"⭐ The club on {inert(label)}", 256), description=description,
                          colour=FILM_CLUB_COLOUR)
    for name, rating in takes:
        embed.add_field(name=clip(f"{inert(name, 80)} · {rules.stars_text(rating.stars_x2)}", 256),
                        value="> " + take_text(rating.take or "", 600), inline=False)
    return embed


def round_embed(number: int, rounds: int, quote: str | None, deadline_ts: int, kind: str = "critic") -> discord.Embed:
    """A round: a critic's passage (never a spoiler one) or a member's take (their own ||…|| kept hidden)."""
    if not quote:
        body = "*(this quote was withdrawn by its author)*"
    else:
        body = "> " + (take_text(quote, 900) if kind == "club" else inert(quote, 900))
    return discord.Embed(
        title=f"🎭 Critic or club? Round {number}/{rounds}",
        description=f"{body}\n\nA critic's passage, or a club member's take? Time's up <t:{deadline_ts}:R>.",
        colour=FILM_CLUB_COLOUR,
    )
