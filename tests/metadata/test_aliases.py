"""A provider's record `/film info` proved to be the club's film gives it its other titles (migration 225): its
original title then names the film in every film option of every server that sees it."""

from __future__ import annotations

from tests.helpers import check_all_payloads, text_of
from tests.metadata.test_spoilers import AMELIE_SETUP, record_amelie

ORIGINAL = "Le Fabuleux Destin d'Amélie Poulain"


async def test_a_proven_records_original_title_names_the_film_everywhere_it_is_known(world, recorded):
    """/film info film:Amélie finds TMDB's record (original title "Le Fabuleux Destin d'Amélie Poulain"): the
    original title is kept once for every server; /rate film by it (accents or not) rates the club's Amélie, the
    autocomplete offers Amélie for "fabuleux", and another server that lists Amélie reads it too."""
    record_amelie(recorded, AMELIE_SETUP)
    await world.alice.slash(world.channel, "watchlist add", film="Amélie", year=2001)
    [(film_id,)] = world.q("SELECT id FROM films WHERE title = 'Amélie'")
    unknown = await world.bob.slash(world.channel, "rate film", film="Le fabuleux destin d'Amelie Poulain", stars=4.0)
    assert "I don't know a film called" in text_of(unknown)
    await world.alice.slash(world.channel, "film info", film="Amélie")
    await world.alice.slash(world.channel, "film info", film="Amélie")  # asked twice: kept once
    assert world.q("SELECT guild_id, film_id, title, source FROM film_aliases") == [(0, film_id, ORIGINAL, "provider")]
    rated = await world.bob.slash(world.channel, "rate film", film="Le fabuleux destin d'Amelie Poulain", stars=4.0)
    assert "Amélie (2001)" in text_of(rated)
    assert world.q("SELECT film_id FROM club_ratings") == [(film_id,)]
    choices = await world.bob.autocomplete(world.channel, "rate film", "film", "le fabuleux")
    assert [c["value"] for c in choices] == [f"film:{film_id}"] and choices[0]["name"].startswith("Amélie (2001)")
    kept = await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ORIGINAL, remove=True)
    assert kept.ephemeral and "the film databases give" in text_of(kept)
    other = world.env.create_guild(name="Other Club")
    channel = other.create_text_channel("films")
    member = other.add_member(world.env.create_user("stranger"))
    assert "I don't know a film called" in text_of(await member.slash(channel, "rate film", film=ORIGINAL, stars=3.0))
    await member.slash(channel, "watchlist add", film="Amélie", year=2001)
    there = await member.slash(channel, "rate film", film=ORIGINAL, stars=3.0)
    assert "Amélie (2001)" in text_of(there)
    assert not world.env.errors


def _also_known_as(result) -> str:
    fields = {f.name: f.value for f in result.response.embeds[0].fields} if result.response.embeds else {}
    if not fields and result.followups:
        fields = {f.name: f.value for f in result.followups[-1].embeds[0].fields}
    return fields.get("Also known as", "")


async def test_the_card_lists_the_films_other_titles_of_this_server_and_the_providers(world, recorded):
    """/film info Amélie: its card's "Also known as" holds the provider's original title and this server's
    moderator's other title (a mention in it inert); another server seeing Amélie reads the provider's, never
    this server's moderator's; a card of a film with no other title has no such field."""
    record_amelie(recorded, AMELIE_SETUP)
    await world.alice.slash(world.channel, "watchlist add", film="Amélie", year=2001)
    await world.alice.slash(world.channel, "film info", film="Amélie")  # the provider's titles proved, kept
    await world.mod.slash(world.channel, "film alias", film="Amélie", title="Amelie from @everyone Montmartre")
    card = _also_known_as(await world.alice.slash(world.channel, "film info", film="Amélie"))
    assert ORIGINAL in card and "Montmartre" in card and "@everyone" not in card, card
    other = world.env.create_guild(name="Other Club")
    channel = other.create_text_channel("films")
    member = other.add_member(world.env.create_user("stranger"))
    await member.slash(channel, "watchlist add", film="Amélie", year=2001)
    there = _also_known_as(await member.slash(channel, "film info", film="Amélie"))
    assert ORIGINAL in there and "Montmartre" not in there, there
    await world.alice.slash(world.channel, "watchlist add", film="Paterson", year=2016)
    bare = await world.alice.slash(world.channel, "film info", film="Paterson (2016)")
    assert _also_known_as(bare) == ""
    check_all_payloads(world.env)
    assert not world.env.errors
