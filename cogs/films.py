"""/film info: a film card from what the club knows (ratings, critic reviews) and, when configured,
what TMDB or Wikidata know (poster, runtime, director, genres, links). bot/metadata does the work."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.club.rules import summarise
from bot.core.checks import moderator_only, require_guild, require_moderator
from bot.core.errors import defer_public, followup_as, user_errors
from bot.core.films import TITLE_YEAR, option
from bot.core.refusals import UserError
from bot.core.render import NO_MENTIONS
from bot.core.slow import answers_publicly
from bot.core.time import iso
from bot.corpus.lookup import film_choices, film_scope
from bot.filmnight.gate import current_film, spoiler_gate
from bot.films.aliases import add_alias, remove_alias
from bot.films.rules import Ambiguous, norm_key
from bot.metadata.job import MetadataRetryJob
from bot.metadata.render import film_card
from bot.metadata.rules import YEAR_MAX, YEAR_MIN, FilmMetadata, ids_agree, ids_prove, proven_titles

if TYPE_CHECKING:
    from bot.client import FilmBot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FilmFacts:
    """What the club knows of one film; film_id None = not among the club's films (counts are zero)."""

    film_id: int | None
    title: str
    year: int | None
    club_avg: float | None = None
    club_count: int = 0
    critic_reviews: int = 0
    quotable_passages: int = 0
    unknown: str = ""  # the refusal to show when neither the club nor a provider knows the film


async def film_facts(bot: FilmBot, guild_id: int, typed: str | None) -> FilmFacts:
    """The one lookup of the card: the film typed (or the current film) among the corpus's films, with
    its counts. (When films become a catalogue, this is the one function to point at catalogue ids.)"""
    if option(typed) is None:
        scope = await current_film(bot.store, guild_id)
        if scope is None:
            raise UserError("Name a film, e.g. `/film info film:La La Land`.")
    else:
        try:
            scope = await film_scope(bot.store, typed, guild_id)
        except Ambiguous:
            raise  # a title naming several films of the catalogue: the member picks one
        except UserError as refusal:
            text = option(typed) or ""
            found = TITLE_YEAR.match(text)
            if found and YEAR_MIN <= int(found["year"]) <= YEAR_MAX:
                return FilmFacts(None, found["title"], int(found["year"]), unknown=refusal.message)
            return FilmFacts(None, text, None, unknown=refusal.message)
    film_id = int(scope.key)
    title, year = scope.title or scope.label or "", scope.year
    reviews = next((n for i, _, _, n in await bot.store.catalogue.films() if i == film_id), 0)
    passages = await bot.store.catalogue.film_passages(film_id)
    summary = summarise([r.stars_x2 for r in await bot.store.club.ratings(guild_id, film_id)])
    return FilmFacts(film_id, title, year, summary.average, summary.count, reviews, passages)


async def club_film_of(bot: FilmBot, guild_id: int, meta: FilmMetadata) -> tuple[FilmFacts, bool] | None:
    """The server's own film the provider's record is, when the member typed a title the club does not use
    (the original title, an alias): one of the record's titles and its exact year name one film this server
    sees. Its card then has the club's counts and the spoiler gate holds for it; without this, the gated
    film's ending went out behind bars to anyone who typed its original title. The flag: the record may be kept
    on that film (`metadata.rules.ids_prove`); a record that only shares its title and year shows, but never overwrites it."""
    if meta.year is None:  # a yearless record could be a namesake: the typed title alone decides
        return None
    for name in dict.fromkeys((meta.title, *meta.aka)):
        films = [f for f in await bot.store.films.by_key(norm_key(name), guild_id)
                 if f.year == meta.year and ids_agree(f, meta)]
        if len(films) == 1:
            return await film_facts(bot, guild_id, f"film:{films[0].id}"), ids_prove(films[0], meta)
    return None


@app_commands.guild_only()
class Films(commands.GroupCog, group_name="film", group_description="What the club and the film databases know."):
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.retries = MetadataRetryJob(bot)

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.retries)  # films the film databases could not be asked about yet

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.retries.name)

    @answers_publicly
    @app_commands.command(name="info", description="A film's card: poster, runtime, director, the club's ratings.")
    @app_commands.describe(film="Film title, e.g. La La Land (default: the club's current film)")
    async def info(self, interaction: discord.Interaction, film: str | None = None) -> None:
        """Poster, title and year, runtime, director, genres, overview, ratings, critic counts and links."""
        async with user_errors(interaction):
            guild = require_guild(interaction)
            facts = await film_facts(self.bot, guild.id, film)
            meta, failures = None, self.bot.metadata.failures()
            private = facts.film_id is None  # not a club film as typed: the answer stays private
            if self.bot.metadata.enabled:
                # A provider may take seconds: acknowledge first (privately for a film the club doesn't know).
                if facts.film_id is None:
                    await interaction.response.defer(ephemeral=True, thinking=True)
                else:
                    await defer_public(interaction)
                meta = await self.bot.metadata.lookup(facts.title, facts.year)
                keep = True
                if meta is not None and facts.film_id is None:  # typed by a title the club does not use?
                    facts, keep = await club_film_of(self.bot, guild.id, meta) or (facts, True)
                if meta is not None and facts.film_id is not None and keep:
                    await self.bot.metadata.remember(facts.film_id, meta)
                    await self._record_titles(facts.film_id, meta)
            if meta is None and facts.film_id is not None:  # the provider is down: what an earlier lookup kept
                meta = await self.bot.metadata.kept(facts.film_id)
            if facts.film_id is None and meta is None:
                if self.bot.metadata.failures() > failures:  # not "unknown": the databases could not be asked
                    raise UserError(f"{facts.unknown} (The film databases did not answer just now, so I could not"
                                    " look it up there: try again in a few minutes.)")
                raise UserError(facts.unknown)
            title = facts.title if facts.film_id is not None or meta is None else meta.title
            # The overview's ending is held back, not only hidden, while the club's screening of it is upcoming.
            gate = await spoiler_gate(self.bot.store, guild.id, self.bot.themes)
            # Its other titles as this server reads them: its moderators' and the providers', never another server's.
            others = [] if facts.film_id is None else await self.bot.store.films.aliases.titles(facts.film_id, guild.id)
            embed = film_card(meta, title, facts.year, facts.club_avg, facts.club_count,
                              facts.critic_reviews, facts.quotable_passages, film_id=facts.film_id, gate=gate,
                              other_titles=others)
            if interaction.response.is_done():  # private for a film the club doesn't know, whoever deferred
                await followup_as(interaction, ephemeral=private, embed=embed,
                                  allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    async def _record_titles(self, film_id: int, meta: FilmMetadata) -> None:
        """The record's English and original titles, kept as the film's other titles: proved to be this film,
        "Spirited Away" then names 千と千尋の神隠し (2001) in every film option of every server that sees it."""
        film = await self.bot.store.films.get(film_id)
        # Every server reads them: only a record of the film's exact year whose ids do not contradict it (a yearless
        # club film's record may be a namesake's, whose original title would then name this film everywhere).
        if film is not None and film.year is not None and film.year == meta.year and ids_prove(film, meta):
            await self.bot.store.films.aliases.record_proven(film, proven_titles(meta), iso(self.bot.now()))

    @moderator_only
    @app_commands.command(name="alias", description="Give a film another title members may type (moderators).")
    @app_commands.describe(
        film="The club's film, e.g. 千と千尋の神隠し (2001)",
        title="Its other title, e.g. Spirited Away",
        remove="True: take that other title back",
    )
    async def alias(self, interaction: discord.Interaction, film: str, title: str, remove: bool = False) -> None:
        """Another title of a club film (its English or original title, a nickname): every film option then
        finds the film by it, in this server. Never a title another film here holds."""
        async with user_errors(interaction, typed=(("Other title", title),)):
            guild = require_guild(interaction)
            member = await require_moderator(interaction, "give a film another title")
            scope = await film_scope(self.bot.store, film, guild.id)
            target = await self.bot.store.films.visible(scope.film_id or 0, guild.id)
            if target is None:
                raise UserError("Name a film, e.g. `/film alias film:千と千尋の神隠し title:Spirited Away`.")
            films = self.bot.store.films
            if remove:
                answer = await remove_alias(films, guild.id, target, title, member.id)
            else:
                answer = await add_alias(films, guild.id, target, title, member.id, iso(self.bot.now()))
            await interaction.response.send_message(answer, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @alias.autocomplete("film")
    async def alias_film_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)

    @info.autocomplete("film")
    async def film_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot.store, current, interaction.guild_id)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Films(bot))
