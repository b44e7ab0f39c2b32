"""/club stats: the club's year (films, members, ratings, the most divisive film, where the club and the
critics differ most, the most quoted critics, the busiest threads) as an embed and a chart.

Critics' star ratings are not in the corpus, so "the club and the critics disagree" uses the comparison
`/compare` makes: the themes the critics' passages are tagged with beside the themes of the members' takes
on the same film; the film with the largest difference in theme shares is named.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.club import chart_draw, charts, stats_rules
from bot.club.stats_rules import FilmScore, Gap, YearStats
from bot.club.take_themes import counted_off_loop
from bot.core.channels import readable_channels, readers_can_view
from bot.core.checks import require_channel_id
from bot.core.errors import send_ephemeral
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.slow import in_time, reply
from bot.core.text import clip, film_label, inert
from bot.films.rules import ref

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


BUSIEST_SHOWN = 3  # threads on the card
BUSIEST_READ = 25  # read to find those three among threads some readers may not see (one look per channel)


async def year_stats(bot: FilmBot, guild_id: int, year: int, posted_in: int) -> YearStats:
    """The year's numbers, as a card posted publicly in the channel `posted_in`: its busiest discussions are
    only threads every reader of that channel may see (a staff channel's stay out of #general's card)."""
    store, text_year = bot.store.stats, str(year)
    rows = await store.year_ratings(guild_id, text_year)
    scores = stats_rules.film_scores([(f, film_label(t, y), s) for f, t, y, s, _ in rows])
    stars = [s for *_, s, _ in rows]
    stats = YearStats(
        year=year, films=len(await store.year_films(guild_id, text_year)),
        members=len(await store.year_members(guild_id, text_year)), ratings=len(rows),
        average=sum(stars) / 2 / len(stars) if stars else None, per_film=scores,
    )
    stats.divisive = stats_rules.most_divisive(scores)
    stats.gap = await _biggest_gap(bot, rows)
    # Prompts posted where this card's readers cannot look (#staff) are not counted: a count is news of them too.
    prompted_in = await readable_channels(bot, posted_in, await store.prompt_channels(guild_id, text_year))
    stats.critics = await store.quoted_critics(guild_id, text_year, prompted_in)
    busiest = await store.busiest_threads(guild_id, text_year, limit=BUSIEST_READ)
    seen: dict[int, bool] = {}  # each channel looked at once
    for thread, replies, people, channel in busiest:
        if channel not in seen:
            seen[channel] = await readers_can_view(bot, posted_in, channel)
        if seen[channel] and len(stats.threads) < BUSIEST_SHOWN:
            stats.threads.append((thread, replies, people))
    return stats


async def _biggest_gap(bot: FilmBot, rows: list[tuple[int, str, int | None, int, str | None]]) -> Gap | None:
    takes: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    for film_id, title, year, _, take in rows:
        labels[film_id] = film_label(title, year)
        if take:
            takes.setdefault(film_id, []).append(take)
    themes = bot.themes
    # Only films the critics' passages have themes for can differ from them (theme_distance is None
    # otherwise): their takes alone are tagged.
    critics: dict[int, dict[str, int]] = {}
    for film_id in takes:
        # `film:<id>`: a bare number is a title (*1917*, *9*), so str(film_id) compared the club with a film
        # titled "76", and the club-vs-critics line never came.
        counts = {k: v for k, v in (await bot.store.catalogue.theme_counts(ref(film_id))).items() if k in themes}
        if counts:
            critics[film_id] = counts
    best: Gap | None = None
    name = {k: t.name for k, t in themes.items()}
    club_counts = await counted_off_loop({f: takes[f] for f in critics}, themes)
    for film_id, club in club_counts.items():
        distance = stats_rules.theme_distance(club, critics[film_id])
        if distance is not None and (best is None or distance > best.distance):
            club_top, critics_top = stats_rules.top_theme(club), stats_rules.top_theme(critics[film_id])
            best = Gap(labels[film_id], distance, name.get(club_top or ""), name.get(critics_top or ""))
    return best


def stats_embed(stats: YearStats, *, chart: bool) -> discord.Embed:
    average = f"{stats.average:.2f}★ from {stats.ratings}" if stats.average is not None else "no ratings yet"
    embed = discord.Embed(
        title=f"📊 The club in {stats.year}",
        description=f"**{stats.films}** film{'s' if stats.films != 1 else ''} watched · **{stats.members}**"
                    f" member{'s' if stats.members != 1 else ''} took part · average rating **{average}**",
        colour=FILM_CLUB_COLOUR,
    )
    if stats.divisive:
        d = stats.divisive
        embed.add_field(name="Most divisive", value=clip(
            f"*{inert(d.label, 150)}*: ratings spread ±{d.spread:.2f}★ around {d.average:.2f}★ ({d.ratings} ratings)",
            1024), inline=False)
    if stats.gap:
        g = stats.gap
        value = f"*{inert(g.label, 150)}*: {round(g.distance * 100)}% of the talk differs (themes, as `/compare`)"
        if g.club_top and g.critics_top and g.club_top != g.critics_top:
            value += f"; the club talks most about **{inert(g.club_top, 60)}**, the critics about **{inert(g.critics_top, 60)}**"
        embed.add_field(name="Club vs critics: most different", value=clip(value, 1024), inline=False)
    if stats.critics:
        embed.add_field(name="Most quoted critics", value=clip("\n".join(
            f"{n}. {inert(name, 80)} · {count} prompt{'s' if count != 1 else ''}"
            for n, (name, count) in enumerate(stats.critics, start=1)), 1024), inline=True)
    if stats.threads:
        embed.add_field(name="Busiest discussions", value=clip("\n".join(
            f"<#{thread}> · {replies} repl{'y' if replies == 1 else 'ies'}, {people} people"
            for thread, replies, people in stats.threads), 1024), inline=True)
    if not chart and len(stats.per_film) > 1:
        embed.add_field(name="Averages", value=clip("\n".join(
            f"{s.average:.1f}★ *{inert(s.label, 80)}* ({s.ratings})" for s in stats.per_film[:10]), 1024),
            inline=False)
    if not stats.films and not stats.ratings:
        embed.description = (embed.description or "") + "\n\nNothing recorded this year yet: `/watched`, `/rate film`."
    return embed


CHART_FILMS = 12  # bars on the chart (the alt text reads the same twelve)


def chart_png(year: int, films: tuple[FilmScore, ...]) -> bytes:
    """Average rating per film, one horizontal bar each, best first (Pillow, 2–5 ms): drawn in the chart
    thread by bot/club/charts.py, which keeps it by these arguments (so they are plain, hashable data)."""
    bars = [(s.label, s.average, f"{s.average:.1f} ({s.ratings})") for s in films]
    return chart_draw.hbars_png(f"The club's films in {year}", bars, x_ticks=range(6), x_max=5.6,
                                x_label="average stars (ratings)")


async def send_stats(interaction: discord.Interaction, bot: FilmBot, guild_id: int, year: int) -> None:
    stats = await year_stats(bot, guild_id, year, require_channel_id(interaction))
    png: bytes | None = None
    drawn = len(stats.per_film) >= 2 and interaction.app_permissions.attach_files
    if drawn:  # in the chart thread; a slow one is acknowledged first (Discord's 3 s)
        png = await in_time(interaction, charts.draw(chart_png, stats.year, tuple(stats.per_film[:CHART_FILMS])))
    embed = stats_embed(stats, chart=png is not None)
    if png is None:
        await reply(interaction, embed=embed, allowed_mentions=discord.AllowedMentions.none())
        if drawn:
            await send_ephemeral(interaction, charts.FALLBACK_NOTE)
        return
    embed.set_image(url="attachment://club-stats.png")
    await reply(
        interaction,
        embed=embed, file=discord.File(io.BytesIO(png), "club-stats.png", description=stats_rules.alt_text(stats)),
        allowed_mentions=discord.AllowedMentions.none(),
    )
