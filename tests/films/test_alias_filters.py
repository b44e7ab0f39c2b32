"""`/review list film:` typed as a film's other title (`/film alias`) lists that film's reviews, read as every film
option reads it: a film's own title first, an alias only where the server sees no film of that title, never another
server's moderators' alias."""

from __future__ import annotations

import discord

from tests.helpers import embed_text, msgs, rows, text_of

ALIAS = "City of Stars"


def listed(result) -> tuple[list[str], str]:
    """The review lines of a /review list answer, and its footer."""
    embed = msgs(result)[0].embeds[0]
    return [line for line in (embed.description or "").splitlines() if line.startswith("**#")], embed.footer.text


class Other:
    """A second server: #general and its moderator."""

    def __init__(self, world) -> None:
        self.guild = world.env.create_guild(name="Other Club")
        self.channel = self.guild.create_text_channel("general")
        mods = self.guild.create_role("Other mods", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(world.env.create_user("othermod"), roles=[mods])


async def add_alias(mod, channel, title: str = ALIAS) -> None:
    done = await mod.slash(channel, "film alias", film="La La Land", title=title)
    assert "La La Land" in text_of(done) and title in text_of(done), text_of(done)


async def test_review_list_by_an_alias_lists_the_films_reviews(world, settings):
    """film:City of Stars (the moderators' other title of La La Land), with or without its year: its reviews."""
    by_title, footer = listed(await world.alice.slash(world.channel, "review list", film="La La Land"))
    reviewed = rows(settings, "SELECT count(*) FROM reviews r JOIN films f ON f.id = r.film_id"
                    " WHERE f.title = 'La La Land'")[0][0]
    assert reviewed >= 1 and f"{reviewed} review" in footer
    await add_alias(world.mod, world.channel)
    for typed in (ALIAS, f"{ALIAS} (2016)", "city of stars"):
        shown = await world.alice.slash(world.channel, "review list", film=typed)
        assert shown.ephemeral
        assert listed(shown) == (by_title, footer), typed
    assert listed(await world.alice.slash(world.channel, "review list", film=f"{ALIAS} (2015)"))[0] == []


async def test_another_servers_alias_is_never_read(world):
    """Another server's moderators' alias lists La La Land's reviews there, nothing here."""
    other = Other(world)
    await add_alias(other.mod, other.channel)
    there, _ = listed(await other.mod.slash(other.channel, "review list", film=ALIAS))
    here = await world.alice.slash(world.channel, "review list", film=ALIAS)
    assert there and listed(here)[0] == [] and "No review matches." in embed_text(msgs(here)[0].embeds[0])


async def test_a_film_of_that_title_hides_the_alias_only_where_it_is_seen(world):
    """Another server's watchlist film titled City of Stars hides the alias there (its own title first), not here."""
    await add_alias(world.mod, world.channel)
    other = Other(world)
    added = await other.mod.slash(other.channel, "watchlist add", film=ALIAS, year=2020)
    assert "City of Stars (2020)" in text_of(added), text_of(added)
    here, _ = listed(await world.alice.slash(world.channel, "review list", film=ALIAS))
    there, _ = listed(await other.mod.slash(other.channel, "review list", film=ALIAS))
    assert here and there == []


async def test_the_catalogues_film_ids_read_an_alias_as_the_list_does(world, settings):
    """catalogue.film_ids (the quote picks' film scope): the alias names La La Land in its server only."""
    await add_alias(world.mod, world.channel)
    other = Other(world)
    (la_la_land,) = rows(settings, "SELECT id FROM films WHERE title = 'La La Land'")[0]
    catalogue = world.bot.store.catalogue
    assert await catalogue.film_ids(ALIAS, world.guild.id) == {la_la_land}
    assert await catalogue.film_ids(f"{ALIAS} (2016)", world.guild.id) == {la_la_land}
    assert await catalogue.film_ids(ALIAS, other.guild.id) == set()
    assert await catalogue.film_ids(ALIAS) == set()  # no server: no moderator's alias
