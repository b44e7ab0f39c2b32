"""What /rate, /ratings, /compare and /game do, and the timed work of games and digests.

A ClubService is cheap and stateless (the truth is in SQLite): the cog, the buttons and the jobs each
make one from the bot. The bot holds one as `bot.club` for other features (core.services.ClubRatings:
the critics-vs-club fields of a poll's results, the invitation to rate after a screening).
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.club import charts, rules
from bot.club.render import chart_png, ratings_embed, round_embed
from bot.club.rules import DIGEST_OPENING
from bot.club.store import CLAIM_LEASE, ClubStore, Pick, Round
from bot.club.take_themes import counted_off_loop
from bot.club.views import game_view
from bot.core.channels import readable_channels
from bot.core.checks import (
    missing_post_permission,
    require_channel_id,
    require_guild,
    require_message_channel,
)
from bot.core.claims import abandoned
from bot.core.closing import CLOSE_BACKOFF, REJOIN_WINDOW, describe_error, tell_moderators
from bot.core.errors import answer_with_message, send_ephemeral
from bot.core.nonce import post_nonce
from bot.core.persistent import custom_ids
from bot.core.ratelimits import transient
from bot.core.refusals import UserError
from bot.core.render import FILM_CLUB_COLOUR, NO_MENTIONS
from bot.core.services import ThreadDigest
from bot.core.slow import in_time, reply
from bot.core.spoilers import server_gate, shown, spoiler_keys
from bot.core.text import attribution_line, clip, counted, inert
from bot.core.time import from_iso, iso
from bot.corpus import contrast_side
from bot.corpus.lookup import FilmScope, film_scope

if TYPE_CHECKING:
    from bot.client import FilmBot
    from bot.core.services import ThemePoll

log = logging.getLogger(__name__)

GAME_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))  # a round's post or reveal

SPLIT_SAMPLE = 300  # critic passages a theme poll's critics-vs-club split scores at most (a uniform sample)

FORMER_MEMBER = "a former member"
# A digest reads the whole thread, up to this many messages (100 a request); a longer one says "over N".
DIGEST_READ_MAX = 20_000


class ClubService:
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    @property
    def store(self) -> ClubStore:
        return self.bot.store.club

    # ------------------------------------------------------------------ for other features (bot.club)

    def rating_invite(self, film_label: str) -> str:
        return rules.invite_line(film_label)

    async def critics_vs_club_fields(self, poll: ThemePoll, counts: tuple[int, ...]) -> list[tuple[str, str]]:
        return await critics_vs_club_fields(self.bot, poll, counts)

    # ------------------------------------------------------------------ films and names

    async def film(self, guild_id: int, value: str | None) -> FilmScope:
        """The film typed, else the club's current film; refused when neither names one."""
        if value is None or not value.strip():
            current = await self.bot.now_showing.current_film(guild_id)
            if current is None:
                raise UserError("Name a film, e.g. `La La Land`.")
            return current
        scope = await film_scope(self.bot.store, value, guild_id)
        if not scope.key:
            raise UserError("Name a film, e.g. `La La Land`.")
        return scope

    async def name_of(self, guild: discord.Guild | None, user_id: int | None) -> str:
        """The member's display name (the cache, else one fetch: no members intent), never a mention."""
        if guild is None or user_id is None:
            return FORMER_MEMBER
        member = guild.get_member(user_id)
        if member is None:
            try:
                member = await guild.fetch_member(user_id)
            except discord.HTTPException:
                return FORMER_MEMBER
        return member.display_name

    # ------------------------------------------------------------------ ratings

    async def rate(self, interaction: discord.Interaction, film: str | None, stars: float, take: str | None) -> str:
        guild = require_guild(interaction)
        stars_x2 = rules.validate_stars(stars)
        text = rules.validate_take(take)
        scope = await self.film(guild.id, film)
        replaced = await self.store.rate(guild.id, int(scope.key), interaction.user.id, stars_x2, text,
                                         iso(self.bot.now()))
        verb = "Updated your rating of" if replaced else "Rated"
        extra = " with your take" if text else ""
        return f"{verb} *{inert(scope.label or '', 150)}*: {rules.stars_text(stars_x2)}{extra}."

    async def ratings(self, interaction: discord.Interaction, film: str | None) -> None:
        """Average, count, the distribution as a PNG (text bars without Attach Files or on failure), three takes."""
        guild = require_guild(interaction)
        scope = await self.film(guild.id, film)
        all_ratings = await self.store.ratings(guild.id, int(scope.key))
        summary = rules.summarise([r.stars_x2 for r in all_ratings])
        takes = [(await self.name_of(guild, r.user_id), r) for r in rules.pick_takes(all_ratings)]
        label = scope.label or ""
        png: bytes | None = None
        drawn = bool(summary.count and interaction.app_permissions.attach_files)
        if drawn:  # in the chart thread; a slow one is acknowledged first (Discord's 3 s)
            png = await in_time(interaction, charts.draw(chart_png, summary, f"The club on {label}"))
        gate = await server_gate(self.bot.store, guild.id, self.bot.themes)
        embed = ratings_embed(label, summary, takes, bars=png is None, gate=gate)
        if png is not None:
            embed.set_image(url="attachment://ratings.png")
            await reply(
                interaction, embed=embed,
                file=discord.File(io.BytesIO(png), "ratings.png", description=rules.chart_alt_text(summary, label)),
                allowed_mentions=NO_MENTIONS,
            )
        else:
            await reply(interaction, embed=embed, allowed_mentions=NO_MENTIONS)
            if drawn:
                await send_ephemeral(interaction, charts.FALLBACK_NOTE)

    async def compare(self, interaction: discord.Interaction, film: str | None) -> discord.Embed:
        """Critics' themes (passage counts) beside the themes the members' takes talk about."""
        guild = require_guild(interaction)
        scope = await self.film(guild.id, film)
        reviewed = any(film_id == scope.film_id for film_id, *_ in await self.bot.store.catalogue.films())
        critic_counts = await self.bot.store.catalogue.theme_counts(scope.ref) if reviewed else {}
        takes = [r.take for r in await self.store.ratings(guild.id, int(scope.key)) if r.take]
        club_counts = (await counted_off_loop({0: takes}, self.bot.themes))[0]
        critic_total = sum(critic_counts.get(k, 0) for k in self.bot.themes) or 1
        club_total = sum(club_counts.values()) or 1
        lines = []
        for key, theme in self.bot.themes.items():
            critics, club = critic_counts.get(key, 0), club_counts.get(key, 0)
            if critics or club:
                # Bare numbers ("critics 6 · club 1") left a member guessing what was counted: say it.
                # With no takes yet, "club: 0 takes (0%)" on every line says nothing the last line doesn't.
                club_part = f" · club: {counted(club, 'take')} ({round(club * 100 / club_total)}%)" if takes else ""
                lines.append(
                    f"**{inert(theme.name, 60)}** — critics: {counted(critics, 'passage')}"
                    f" ({round(critics * 100 / critic_total)}%){club_part}"
                )
        description = (
            "How often each theme comes up in the critics' reviews and in the club's takes.\n\n" + "\n".join(lines)
            if lines else "No themes yet on either side."
        )
        if not reviewed:
            description = "**Critics:** no critic reviews yet.\n" + description
        description += f"\n\n{counted(len(takes), 'take')} from the club."
        if not takes:
            description += " Add yours: `/rate film` with a `take:`."
        return discord.Embed(title=clip(f"🎬 Critics vs club: {inert(scope.label or '')}", 256),
                             description=clip(description, 4096), colour=FILM_CLUB_COLOUR)

    # ------------------------------------------------------------------ the game

    async def start_game(self, interaction: discord.Interaction, rounds: int | None) -> None:
        guild = require_guild(interaction)
        channel_id = require_channel_id(interaction)
        count = rules.validate_rounds(rounds)
        require_message_channel(interaction, "run a game")
        missing = missing_post_permission(interaction)
        if missing is not None:  # the first round is the reply; the next rounds and reveals are posts
            raise UserError(f"I can't run a game in this channel: I need the **{missing}** permission here to post"
                            " its rounds. Ask a moderator to grant it, or start the game in another channel.")
        if await self.store.running_game(channel_id) is not None:
            raise UserError(rules.GAME_RUNNING)
        gate = await server_gate(self.bot.store, guild.id, self.bot.themes)
        club = await self.store.club_picks(
            guild.id, count, gate.film_id if gate else None, not_by=interaction.user.id
        )
        if not club:
            raise UserError("The game needs takes by other members who agreed to be quoted, and there are none yet:"
                            " a member runs `/rate consent state:on`, then `/rate film` with a take."
                            " Your own takes never appear in your game.")
        critics = await self.store.critic_picks(count, tuple(spoiler_keys(self.bot.themes)))
        if not critics:
            raise UserError("There are no critic passages to quote yet.")
        rng = random.Random()
        picks: list[Pick] = []
        for _ in range(count):
            pool = club if (rng.random() < 0.5 or not critics) and club else critics
            if not pool:
                break
            picks.append(pool.pop())
        ids = await self.store.create_game(guild.id, channel_id, picks)
        first = await self.store.get_round(ids[0])
        assert first is not None
        deadline = self.bot.now() + timedelta(seconds=rules.round_seconds(self.bot.clock_speed))
        try:
            message = await answer_with_message(
                interaction, embed=round_embed(1, first.rounds, first.quote, int(deadline.timestamp()), first.kind),
                view=game_view(first.id), allowed_mentions=NO_MENTIONS,
            )
        except BaseException:
            await self.store.delete_game(first.game_id)
            raise
        await self.store.open_round(first.id, message.id, iso(deadline))
        self.bot.scheduler.wake()

    async def answer(self, interaction: discord.Interaction, round_id: int, answer: str) -> None:
        outcome = await self.store.answer(round_id, interaction.user.id, rules.parse_answer(answer),
                                          iso(self.bot.now()), require_guild(interaction).id, interaction.channel_id)
        if outcome == "missing":
            raise UserError("This round no longer exists.")
        if outcome == "closed":
            self.bot.scheduler.wake()
            raise UserError("This round is over: answers are closed.")
        if outcome == "again":
            raise UserError("You already answered this round.")
        if outcome == "own":
            raise UserError("That's your own take: this round is for the others (it doesn't count for you).")
        await interaction.response.send_message(
            f"Answer recorded: **{answer}**. The reveal comes when the time is up.", ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def run_due_rounds(self, now: datetime) -> None:
        for game_round in await self.store.due_rounds(iso(now), self.bot.own_shards):
            try:
                if game_round.status == "open":
                    await self.reveal(game_round, now)
                else:
                    await self.post_round(game_round, now)
            except Exception:
                log.exception("game round %s failed", game_round.id)
        for game_round in await self.store.due_reveals(iso(now), self.bot.own_shards):
            try:
                if await self.store.take_reveal(game_round.id, iso(now), iso(now + CLAIM_LEASE)):
                    await self.post_reveal(game_round, now, retry=True)
            except Exception:
                log.exception("the reveal of game round %s failed", game_round.id)

    async def reveal(self, game_round: Round, now: datetime) -> None:
        if not await self.store.claim_reveal(game_round.id, iso(now), iso(now + CLAIM_LEASE)):
            return
        channel: Any = self.bot.get_channel(game_round.channel_id)
        if channel is None:  # nowhere to reveal (the channel deleted, or the bot removed from the server)
            await self.store.reveal_posted(game_round.id)
            # The next round could not be posted either: the game ends here, in one notice (held until the bot is
            # back when it was removed); the last round's reveal gone missing is said too, not left silent.
            await self.store.end_game_after(game_round.id, iso(now))
            await self._tell_moderators(game_round, f"the reveal of round {game_round.number}",
                                        LookupError("its channel is gone"), ended=True)
            return
        try:
            if game_round.message_id:
                await channel.get_partial_message(game_round.message_id).edit(
                    view=game_view(game_round.id, disabled=True), allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not disable the buttons of round %s", game_round.id)
        await self.post_reveal(game_round, now)
        self.bot.scheduler.wake()

    async def post_reveal(self, game_round: Round, now: datetime, *, retry: bool = False) -> None:
        """The reveal message; a 5xx is tried again with the back-off (a retry first looks for the message
        the failed attempt may have made all the same)."""
        channel: Any = self.bot.get_channel(game_round.channel_id)
        opening = f"🎭 Round {game_round.number}/{game_round.rounds}: it was "
        try:
            if channel is None:
                log.warning("the channel of round %s is gone: no reveal", game_round.id)
            elif not retry or await self._recent_post(channel, lambda m: (m.content or "").startswith(opening),
                                                      from_iso(game_round.revealed_at or iso(now))) is None:
                await channel.send(clip(await self._reveal_text(game_round), 2000), allowed_mentions=NO_MENTIONS,
                                   nonce=post_nonce("reveal", game_round.id))
        except discord.HTTPException as error:
            attempts = await self.store.round_attempts(game_round.id)
            if transient(error) and attempts < len(GAME_BACKOFF):  # a 5xx, or a 429 longer than the bot waits
                log.warning("could not post the reveal of round %s (HTTP %s); retrying", game_round.id, error.status)
                await self.store.retry_reveal(game_round.id, iso(now + GAME_BACKOFF[attempts]))
                self.bot.scheduler.wake()
                return
            log.warning("could not post the reveal of round %s (HTTP %s)", game_round.id, error.status)
            # A refusal (403 Missing Permissions, 404 the channel gone) would refuse the next round too: the game
            # ends here, in this one notice, not in a second one for the same cause a moment later.
            ended = not transient(error) and await self.store.end_game_after(game_round.id, iso(now)) > 0
            await self._tell_moderators(game_round, f"the reveal of round {game_round.number}", error, ended=ended)
        await self.store.reveal_posted(game_round.id)

    async def _recent_post(self, channel: Any, matches: Any, since: datetime) -> discord.Message | None:
        """The bot's newest message in `channel` since `since` that `matches` (what a failed attempt made)."""
        me = self.bot.user.id if self.bot.user else 0
        async for message in channel.history(limit=50):
            if message.created_at < since - timedelta(seconds=1):
                break
            if message.author.id == me and matches(message):
                return message
        return None

    async def _reveal_text(self, game_round: Round) -> str:
        guild = self.bot.get_guild(game_round.guild_id)
        answered, right = await self.store.answer_counts(game_round.id)
        if game_round.kind == "critic":
            found = await self.store.critic_of(game_round.passage_id)
            who = (
                "a **critic**: " + attribution_line(found[0] or "an unattributed critic", found[1],
                                                     f"{found[2]} ({found[3]})" if found[3] else found[2])
                if found else "a **critic**"
            )
        else:
            film = await self.store.film_label(game_round.film_id)
            who = f"a **club member**: {inert(await self.name_of(guild, game_round.author_id), 80)}"
            if film:
                who += f" on *{inert(film, 150)}*"
        tally = f"{right} of {answered} got it right." if answered else "Nobody answered this round."
        text = f"🎭 Round {game_round.number}/{game_round.rounds}: it was {who}.\n{tally}"
        if game_round.number == game_round.rounds and guild is not None:
            board = await self.public_board(guild.id, game_round.channel_id, 5)
            text += "\n\n**Leaderboard**\n" + rules.leaderboard_lines(
                [(await self.name_of(guild, user), points, played) for user, points, played in board]
            )
        return text

    async def _quoted_as_now(self, game_round: Round) -> Round | None:
        """A critic round quotes its passage as it is when the round is posted, not as it was when the game began:
        hidden or marked a spoiler since (a moderator's decision), another passage takes its place (None: none left);
        trimmed since, the sentence kept."""
        if game_round.kind != "critic" or game_round.passage_id is None:
            return game_round
        keys = tuple(spoiler_keys(self.bot.themes))
        found = await self.store.passage_text(game_round.passage_id, keys)
        if found is not None and not found[1]:
            if found[0] == game_round.quote:
                return game_round
            pick = Pick("critic", found[0], passage_id=game_round.passage_id, film_id=found[2])
        else:
            picks = await self.store.critic_picks(1, keys)
            if not picks:
                return None
            pick = picks[0]
        await self.store.requote_round(game_round.id, pick)
        return replace(game_round, quote=pick.quote, passage_id=pick.passage_id, film_id=pick.film_id)

    async def post_round(self, game_round: Round, now: datetime) -> None:
        if not await self.store.claim_post(game_round.id, iso(now), self.bot.instance):
            return
        channel: Any = self.bot.get_channel(game_round.channel_id)
        deadline = now + timedelta(seconds=rules.round_seconds(self.bot.clock_speed))
        if channel is None:
            await self.store.fail_round(game_round.id, iso(now))
            await self._tell_moderators(game_round, f"round {game_round.number}", LookupError("its channel is gone"),
                                        ended=True)
            return
        current = await self._quoted_as_now(game_round)
        if current is None:
            log.warning("game round %s: its passage was hidden and no other can be quoted; the game ends", game_round.id)
            await self.store.fail_round(game_round.id, iso(now))
            return
        game_round = current
        gate = await server_gate(self.bot.store, game_round.guild_id, self.bot.themes)
        embed = round_embed(game_round.number, game_round.rounds, game_round.quote, int(deadline.timestamp()),
                            game_round.kind, gate, game_round.film_id)
        attempts = await self.store.round_attempts(game_round.id)
        try:
            message = await self._made_round(channel, game_round, embed, now) if attempts else None
            if message is None:
                message = await channel.send(embed=embed, view=game_view(game_round.id), allowed_mentions=NO_MENTIONS,
                                             nonce=post_nonce("round", game_round.id))
        except discord.HTTPException as error:
            if transient(error) and attempts < len(GAME_BACKOFF):  # Discord is down or slowing us for now: not the end
                log.warning("could not post game round %s (HTTP %s); retrying", game_round.id, error.status)
                await self.store.requeue_round(game_round.id, iso(now + GAME_BACKOFF[attempts]))
                self.bot.scheduler.wake()
                return
            log.warning("could not post game round %s; the game ends", game_round.id)
            await self.store.fail_round(game_round.id, iso(now))
            await self._tell_moderators(game_round, f"round {game_round.number}", error, ended=True)
            return
        await self.store.open_round(game_round.id, message.id, iso(deadline))
        self.bot.scheduler.wake()

    async def _tell_moderators(self, game_round: Round, what: str, error: Exception, *, ended: bool = False) -> None:
        """A game post Discord refused for good (403: permissions removed, 404: channel deleted, or the last
        5xx): the moderators learn it in the log channel (else the game's channel), not only the bot's log."""
        tail = "; the game has ended" if ended else ""
        if self.bot.get_guild(game_round.guild_id) is None:  # removed from the server: nowhere to tell it now
            await self.store.hold_notice(game_round.id, (
                f"⚠️ I could not post {what} of the critic-or-club game in <#{game_round.channel_id}> while I was"
                f" removed from this server{tail}."))
            return
        await tell_moderators(
            self.bot, game_round.guild_id, game_round.channel_id,
            f"⚠️ I could not post {what} of the critic-or-club game in <#{game_round.channel_id}>: "
            f"{describe_error(error)}{tail}.",
        )

    async def rejoined(self, guild_id: int) -> int:
        """Invited back into a server: each game that ended while the bot was removed is told to the moderators once
        (the notice held then), and its last round's buttons are disabled, so the game ends cleanly. A game that
        ended more than REJOIN_WINDOW ago is old news: its notice is dropped. Returns how many were told."""
        now = self.bot.now()
        told = 0
        for round_id, channel_id, game_id, text in await self.store.untold_notices(guild_id, iso(now - REJOIN_WINDOW)):
            if not await self.store.take_notice(round_id):
                continue  # told by another process, or a join seen twice
            await tell_moderators(self.bot, guild_id, channel_id, text)
            told += 1
            last = await self.store.last_posted_round(game_id)
            channel: Any = self.bot.get_channel(channel_id)
            if last is not None and channel is not None:
                try:
                    await channel.get_partial_message(last[1]).edit(view=game_view(last[0], disabled=True),
                                                                    allowed_mentions=NO_MENTIONS)
                except discord.HTTPException:  # its answers are refused as closed anyway
                    log.warning("could not disable the buttons of round %s", last[0])
        return told

    async def _made_round(self, channel: Any, game_round: Round, embed: discord.Embed,
                          now: datetime) -> discord.Message | None:
        """A retried round's message if the failed attempt made it all the same (its answer buttons carry the
        round's id), its deadline brought up to this attempt's."""
        found = await self._recent_post(channel, _is_round(game_round.id), now - sum(GAME_BACKOFF, timedelta()))
        if found is not None:
            try:
                await found.edit(embed=embed, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException:
                log.warning("could not update the deadline shown by round %s", game_round.id)
        return found

    async def _show_deadline(self, message: discord.Message, game_round: Round, deadline: datetime) -> None:
        gate = await server_gate(self.bot.store, game_round.guild_id, self.bot.themes)
        embed = round_embed(game_round.number, game_round.rounds, game_round.quote, int(deadline.timestamp()),
                            game_round.kind, gate, game_round.film_id)
        try:
            await message.edit(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not update the deadline shown by round %s", game_round.id)

    async def public_board(self, guild_id: int, posted_in: int, limit: int = 10) -> list[tuple[int, int, int]]:
        """The leaderboard posted in `posted_in`: only rounds played where all its readers may look (a game in #staff
        would show who played there, and their points, in #film-club)."""
        played_in = await readable_channels(self.bot, posted_in, await self.store.game_channels(guild_id))
        return await self.store.leaderboard(guild_id, played_in, limit)

    async def leaderboard(self, interaction: discord.Interaction) -> discord.Embed:
        guild = require_guild(interaction)
        board = await self.public_board(guild.id, require_channel_id(interaction))
        return discord.Embed(
            title="🎭 Critic or club? Leaderboard",
            description=rules.leaderboard_lines(
                [(await self.name_of(guild, user), points, played) for user, points, played in board]),
            colour=FILM_CLUB_COLOUR,
        )

    # ------------------------------------------------------------------ digests

    async def thread_digest(self, guild_id: int, message_id: int, thread_id: int,
                            passage_id: int | None) -> ThreadDigest | None:
        """A discussion prompt opened a thread: its digest becomes due after the server's hours (0 = off).
        Returned as a write the prompt's record runs in its own transaction (one trip to the writer thread)."""
        hours = await self.store.digest_hours(guild_id)
        if not hours:
            return None
        due = self.bot.now() + timedelta(hours=hours)
        return ThreadDigest(functools.partial(ClubStore.add_digest_in, thread_id=thread_id, guild_id=guild_id,
                                              message_id=message_id, passage_id=passage_id, due_at=iso(due)), due)

    async def add_thread_digest(self, digest: ThreadDigest) -> None:
        """A digest's write on its own (a prompt without excerpts records no rotation to join)."""
        await self.store.add_digest(digest.write)
        self.bot.scheduler.wake(digest.due)

    async def run_due_digests(self, now: datetime) -> None:
        for digest in await self.store.due_digests(iso(now), self.bot.own_shards):
            if not await self.store.claim_digest(digest.thread_id, iso(now), self.bot.instance):
                continue
            status = "failed"
            try:
                status = "posted" if await self.post_digest(digest.thread_id, digest.guild_id,
                                                            digest.passage_id) else "failed"
            except discord.DiscordServerError as error:  # Discord is down for now: tried again with the back-off
                attempts = await self.store.digest_attempts(digest.thread_id)
                if attempts < len(CLOSE_BACKOFF):
                    log.warning("the digest of thread %s failed (HTTP %s); retrying", digest.thread_id, error.status)
                    await self.store.retry_digest(digest.thread_id, iso(self.bot.now() + CLOSE_BACKOFF[attempts]))
                    continue
                log.warning("the digest of thread %s failed %d times; given up", digest.thread_id, attempts + 1)
            except Exception:
                log.exception("the digest of thread %s failed", digest.thread_id)
            await self.store.finish_digest(digest.thread_id, status, iso(self.bot.now()))

    async def recover_rounds(self, now: datetime) -> None:
        """Rounds a process took off the queue and never opened, its holder gone (core/claims): the round's
        message in the channel (its buttons carry the round's id) opens it; with none it is due again; only
        when the channel cannot be read does the game end (a second message would be a duplicate)."""
        for round_id, claimed_at, holder in await self.store.claimed_rounds(self.bot.own_shards):
            if not abandoned(holder, claimed_at, now, CLAIM_LEASE, self.bot.instance):
                continue
            game_round = await self.store.get_round(round_id)
            channel: Any = self.bot.get_channel(game_round.channel_id) if game_round else None
            try:
                if game_round is None or channel is None:
                    raise LookupError("its channel is gone")
                found = await self._recent_post(channel, _is_round(round_id), from_iso(claimed_at or iso(now)))
            except (discord.HTTPException, LookupError) as error:
                log.warning("game round %s was claimed by %s, which is gone, and %s; the game ends", round_id,
                            holder, error)
                await self.store.fail_round(round_id, iso(now))
                continue
            if found is None:
                log.warning("game round %s was claimed by %s, which is gone, before posting; due again", round_id,
                            holder)
                await self.store.requeue_round(round_id, iso(now))
                continue
            deadline = now + timedelta(seconds=rules.round_seconds(self.bot.clock_speed))
            assert game_round is not None
            await self._show_deadline(found, game_round, deadline)
            await self.store.open_round(round_id, found.id, iso(deadline))

    async def recover_digests(self, now: datetime) -> None:
        """Digests a process was posting when it died (core/claims): settled as posted when the thread shows
        the bot's digest since the claim, due again when it shows none, failed when it cannot be read."""
        for thread_id, claimed_at, holder in await self.store.posting_digests(self.bot.own_shards):
            if not abandoned(holder, claimed_at, now, CLAIM_LEASE, self.bot.instance):
                continue
            since = from_iso(claimed_at) - timedelta(seconds=1) if claimed_at else None  # stamps drop the ms
            try:
                thread: Any = self.bot.get_channel(thread_id) or await self.bot.fetch_channel(thread_id)
                me = self.bot.user.id if self.bot.user else 0
                posted = False
                async for message in thread.history(after=since, limit=100, oldest_first=True):
                    posted = posted or (message.author.id == me and message.content.startswith(DIGEST_OPENING))
            except discord.HTTPException:
                log.warning("could not read thread %s to settle its orphaned digest", thread_id, exc_info=True)
                await self.store.finish_digest(thread_id, "failed", iso(now))
                continue
            if posted:
                await self.store.finish_digest(thread_id, "posted", iso(now))
            else:
                await self.store.release_digest(thread_id, claimed_at)

    async def digest_line(self, guild_id: int, passage_id: int | None) -> str | None:
        """The prompt's passage as the digest quotes it: hidden as the prompt hid it; left out while the
        server's gate holds its film back (a prompt posted before the screening was set)."""
        found = await self.store.passage_text(passage_id, tuple(spoiler_keys(self.bot.themes)))
        if found is None:
            return None
        text, hidden, film_id = found
        gate = await server_gate(self.bot.store, guild_id, self.bot.themes)
        if hidden and gate is not None and gate.covers(film_id):
            return None
        return shown(text, hidden, 300)

    async def post_digest(self, thread_id: int, guild_id: int, passage_id: int | None) -> bool:
        """Counts, authors and reactions only: no message content is read (no privileged intent needed)."""
        thread: Any = self.bot.get_channel(thread_id)
        try:
            if thread is None:
                thread = await self.bot.fetch_channel(thread_id)
            replies = 0
            authors: set[int] = set()
            top: tuple[int, str] | None = None
            me = self.bot.user.id if self.bot.user else 0
            read = 0
            hours = await self.store.digest_hours(guild_id) or rules.DEFAULT_DIGEST_HOURS
            # The digest speaks of "the first N hours" from the prompt (the thread's id is its message's): a
            # digest posted late (the bot was down at its hour) counts those hours only, not every reply since.
            until = discord.utils.snowflake_time(thread_id) + timedelta(hours=hours)
            async for message in thread.history(limit=DIGEST_READ_MAX + 1, oldest_first=True):
                if message.created_at > until:
                    break
                read += 1
                if read > DIGEST_READ_MAX:  # one page past the cap: the counts are a floor, say so
                    break
                if message.author.id == me or message.author.bot:
                    continue
                if message.type not in (discord.MessageType.default, discord.MessageType.reply):
                    continue
                replies += 1
                authors.add(message.author.id)
                reactions = sum(reaction.count for reaction in message.reactions)
                if reactions and (top is None or reactions > top[0]):
                    top = (reactions, message.jump_url)
            stats = rules.ThreadStats(replies, len(authors), top[1] if top else None, top[0] if top else 0,
                                      more=read > DIGEST_READ_MAX)
            await self.store.set_digest_counts(thread_id, replies, len(authors))
            if not replies:
                return True  # nobody replied: no "0 replies from 0 participants" post
            text = rules.digest_text(stats, await self.digest_line(guild_id, passage_id), hours)
            if await self.store.digest_attempts(thread_id) and await self._recent_post(
                    thread, lambda m: (m.content or "").startswith(DIGEST_OPENING),
                    self.bot.now() - sum(CLOSE_BACKOFF, timedelta())) is not None:
                return True  # a failed attempt posted it all the same (a 5xx after Discord made the message)
            await thread.send(text, allowed_mentions=NO_MENTIONS, suppress_embeds=True,
                              nonce=post_nonce("digest", thread_id))
        except discord.DiscordServerError:
            raise  # tried again by run_due_digests
        except discord.HTTPException:
            log.warning("could not post the digest of thread %s", thread_id, exc_info=True)
            return False
        return True


def _is_round(round_id: int) -> Any:
    """Whether a message is this game round's (its answer buttons carry the round's id)."""
    prefix = f"filmbot:game:answer:{round_id}:"

    def is_round(message: discord.Message) -> bool:
        return any(custom_id.startswith(prefix) for custom_id in custom_ids(message))

    return is_round


async def critics_vs_club_fields(bot: FilmBot, poll: ThemePoll, counts: tuple[int, ...]) -> list[tuple[str, str]]:
    """Embed fields for a closed theme poll: the club's split beside the critics' split on the same question.

    Critic passages of the poll's theme are placed on a side by contrast_side; empty when the poll has no
    theme (or nothing to compare). Never raises: a poll's results must post anyway."""
    try:
        theme = bot.themes.get(poll.theme or "")
        if theme is None or len(counts) < 2:
            return []
        # The poll's film only; a spoiler passage counts on its side but is never quoted as an example.
        # A uniform sample of at most SPLIT_SAMPLE, scored off the event loop (a few hundred regex passes).
        passages = await bot.store.club.theme_passages(
            theme.key, poll.film_id, tuple(spoiler_keys(bot.themes)), limit=SPLIT_SAMPLE
        )
        if not passages:
            return []
        sides = await asyncio.to_thread(
            lambda: [(contrast_side(text, theme), "" if hidden else text) for text, hidden in passages]
        )
        split = rules.critic_split(sides, len(poll.options))
        club_total, critic_total = sum(counts), sum(split.counts)
        club = "\n".join(rules.split_line(label, counts[i], club_total) for i, label in enumerate(poll.options))
        critics = "\n".join(
            rules.split_line(label, split.counts[i], critic_total, split.examples[i])
            for i, label in enumerate(poll.options)
        )
        film = f"film:{poll.film_id}" if poll.film_id is not None else None
        tagged = (await bot.store.catalogue.theme_counts(film)).get(theme.key, 0)
        if len(passages) < tagged:  # a sample: say so (its shares estimate the theme's)
            critics = f"{critics}\n-# {len(passages)} of the theme's {tagged:,} passages, at random."
        fields = [("The club", clip(club, 1024)), ("The critics", clip(critics or "—", 1024))]
        gap = rules.biggest_gap(poll.options, counts, split.counts)
        if gap:
            fields.append(("Where they disagree", clip(gap, 1024)))
        return fields
    except Exception:
        log.exception("critics vs club for poll %s failed", poll.id)
        return []
