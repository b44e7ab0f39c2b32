"""Film night's people on Discord's side: who pressed Interested on the event, who says they watched.

`interested_ids` pages through the event's subscribers itself (100 a request, `after` the last id, each id
once) with `with_member=1`: Discord then says who is still a member, which `ScheduledEvent.users()` (it
asks without members) cannot tell without the privileged members intent.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord

from bot.core.checks import client_of, require_guild
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import shown
from bot.core.text import attribution_line, clip, inert
from bot.core.time import day_label, iso
from bot.filmnight import people_rules

if TYPE_CHECKING:
    from bot.client import FilmBot
    from bot.filmnight.rules import Screening

log = logging.getLogger(__name__)

PAGE = 100  # Discord's page size for event subscribers
MAX_PAGES = 200  # 20,000 subscribers: a bound on the work, far above any club


async def interested_ids(bot: FilmBot, guild_id: int, event_id: int) -> list[int] | None:
    """Members (not bots, not people who left) who pressed Interested, by id; None when the event is gone."""
    members: list[int] = []
    seen: set[int] = set()
    after = 0
    for _ in range(MAX_PAGES):
        try:
            page: list[Any] = list(await bot.http.get_scheduled_event_users(
                guild_id, event_id, limit=PAGE, with_member=True, after=after or None,
            ))
        except discord.NotFound:
            return None
        fresh = [e for e in page if int(e["user"]["id"]) > after and int(e["user"]["id"]) not in seen]
        for entry in sorted(fresh, key=lambda e: int(e["user"]["id"])):
            user_id = int(entry["user"]["id"])
            seen.add(user_id)
            if entry.get("member") is not None and not entry["user"].get("bot"):
                members.append(user_id)
        if len(page) < PAGE or not fresh:
            break
        after = max(int(e["user"]["id"]) for e in fresh)
    return members


async def event_exists(bot: FilmBot, guild_id: int, event_id: int) -> bool:
    """False only when Discord says the event is gone (deleted while the bot was away)."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        return False
    if guild.get_scheduled_event(event_id) is not None:
        return True
    try:
        await guild.fetch_scheduled_event(event_id)
    except discord.NotFound:
        return False
    except discord.HTTPException:
        return True  # Discord is unwell: not proof that the event is gone
    return True


async def reminder_payload(bot: FilmBot, screening: Screening, text: str,
                           role_id: int | None) -> tuple[str, discord.AllowedMentions] | None:
    """The reminder's content and exactly whom it may ping, computed at send time; None = send nothing."""
    mode = await bot.store.watches.reminder_mode(screening.guild_id)
    if mode == "interested":
        try:
            ids = await interested_ids(bot, screening.guild_id, screening.event_id)
        except discord.HTTPException as error:  # a 403 or a 5xx on the subscriber list: remind on time, pinging nobody,
            # rather than drop the reminder (a 403 never changes; the 5xx back-off outlasts the reminder's moment)
            log.warning("could not read who is interested in event %s (%s): reminding without mentions",
                        screening.event_id, error)
            ids = []
            if not await event_exists(bot, screening.guild_id, screening.event_id):
                return None
        if ids is None:
            return None
        content, shown = people_rules.fit_mentions(text, ids)
        users = [discord.Object(u) for u in shown]
        return content, discord.AllowedMentions(everyone=False, roles=False, users=users, replied_user=False)
    if not await event_exists(bot, screening.guild_id, screening.event_id):
        return None
    if mode == "role" and role_id:
        return f"<@&{role_id}> {text}", discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False)
    return text, discord.AllowedMentions.none()


async def _zone(bot: FilmBot, guild_id: int) -> ZoneInfo:
    return ZoneInfo((await bot.store.guilds.get(guild_id)).timezone or bot.settings.default_timezone)


async def today(bot: FilmBot, guild_id: int) -> date:
    return await local_day(bot, guild_id, bot.now())


async def local_day(bot: FilmBot, guild_id: int, moment: datetime) -> date:
    """The server's calendar day at `moment` (a film night at 18:00 in Los Angeles is on that day, not on the
    next day as UTC has it)."""
    return moment.astimezone(await _zone(bot, guild_id)).date()


async def spoiler_text(bot: FilmBot, film_id: int, label: str) -> str:
    """The film's spoiler passages, for one member who has watched it (sent privately, behind spoiler bars)."""
    themes = [key for key, theme in bot.themes.items() if theme.spoiler]
    passages = await bot.store.watches.spoiler_passages(film_id, themes, people_rules.SPOILER_PASSAGES)
    if not passages:
        raise UserError(f"There are no spoiler passages of *{inert(label, 150)}* in the corpus.")
    blocks = []
    budget = (1900 - 100) // len(passages)
    for passage in passages:
        who = passage.critic or f"an unattributed review (#{passage.review_id})"
        blocks.append("> " + shown(passage.text, True, budget - 120) + "\n"
                      + attribution_line(who, passage.outlet, label))
    head = f"🔓 Spoilers of *{inert(label, 150)}*, for you only (you recorded it as watched):\n\n"
    # Whole blocks only, within Discord's 2,000 characters: a cut inside `||…||` would show the rest.
    text = head.rstrip("\n")
    for block in blocks:
        if len(text) + 2 + len(block) > 2000:
            break
        text += "\n\n" + block
    return text


async def record_watch(interaction: discord.Interaction, film_id: int, label: str, day: date,
                       screening_id: int | None) -> tuple[str, bool]:
    """Record the presser's watch (once per member per film); (the private reply, True if newly recorded)."""
    bot = client_of(interaction)
    guild = require_guild(interaction)
    if screening_id is None:  # the server's day, from its midnight to the next, in the UTC the rows hold
        zone = await _zone(bot, guild.id)
        midnight = datetime.combine(day, time(), zone)
        screening_id = await bot.store.watches.screening_on(
            guild.id, film_id, iso(midnight), iso(datetime.combine(day + timedelta(days=1), time(), zone)))
    new = await bot.store.watches.record(guild.id, film_id, interaction.user.id, day.isoformat(), screening_id,
                                         iso(bot.now()))
    film = f"*{inert(label, 150)}*"
    if new:
        return f"🎬 Recorded: you watched {film} on {day_label(day)}. `/history` lists your films.", True
    return f"You had already recorded {film}: it counts once. `/history` lists your films.", False


async def history_embed(bot: FilmBot, guild: discord.Guild, user: discord.abc.User, page: int
                        ) -> tuple[discord.Embed, int, int]:
    """One page of a member's films with dates and their own ratings; (embed, page shown, pages). A film they
    rated without pressing "I've watched it" is listed too, on its rating's day, and said to be no watch (it opens
    no spoilers and is not in /club stats' watches)."""
    zone = (await bot.store.guilds.get(guild.id)).timezone or bot.settings.default_timezone
    size = people_rules.HISTORY_PAGE
    watches, total = await bot.store.watches.history(guild.id, user.id, zone, max(0, page) * size, size)
    pages = people_rules.history_pages(total)
    if page >= pages:  # the list shrank since the button was drawn: its last page
        page = pages - 1
        watches, total = await bot.store.watches.history(guild.id, user.id, zone, page * size, size)
    page = max(0, page)
    lines = []
    for watch in watches:
        stars = watch.stars_x2
        rated = f" · {'★' * (stars // 2)}{'½' if stars % 2 else ''} ({stars / 2:g})" if stars else " · not rated"
        night = " · 🎟️ film night" if watch.screening_id else ""
        unrecorded = "" if watch.watched else " · rated, not recorded as watched"
        lines.append(f"• **{inert(watch.label, 120)}** · {day_label(watch.watched_on)}{rated}{night}{unrecorded}")
    # What to do about a rated film with no watch, said once under the list rather than on every such line.
    hint = ["", "*Rated, not recorded as watched*: `/watched film` records when you saw it."] \
        if any(not w.watched for w in watches) else []
    name = inert(getattr(user, "display_name", None) or user.name, 80)
    embed = discord.Embed(
        title=clip(f"🎞️ {name}'s films", 256),
        description=clip("\n".join(lines + hint) or "No films recorded yet: press **I've watched it** after a film"
                         " night, or `/watched film`.", 4096),
        colour=FILM_CLUB_COLOUR,
    )
    embed.set_footer(text=f"Page {page + 1} of {pages} · {total} film{'s' if total != 1 else ''}")
    return embed, page, pages
