"""/film info through simcord, the providers played back from a loopback server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.metadata import service
from bot.metadata.rules import TMDB_ATTRIBUTION
from tests.helpers import (
    assert_ephemeral_reply,
    assert_no_pings,
    burst,
    check_all_payloads,
    embed_of,
    msgs,
)
from tests.metadata.conftest import record_la_la_land

FILM = "La La Land"


async def card(world, who=None, **options):
    result = await (who or world.alice).slash(world.channel, "film info", **options)
    [message] = msgs(result)
    return message, embed_of(message)


async def test_full_card_from_tmdb(world, recorded):
    """With a TMDB key: poster, title and year, runtime, director, genres, overview, links, TMDB's notice."""
    message, embed = await card(world, film=FILM)
    assert not message.ephemeral
    assert embed.title == "La La Land (2016)"
    assert embed.thumbnail.url == "https://image.tmdb.org/t/p/w342/uDO8zWDhfWwoFdKS4fzkUJt0Rf0.jpg"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Runtime"] == "2 h 9 min"
    assert fields["Director"] == "Damien Chazelle"
    assert fields["Genres"] == "Comedy, Drama, Romance, Music"
    assert "letterboxd.com/film/la-la-land/" in fields["Links"]
    assert "imdb.com/title/tt3783958/" in fields["Links"] and "themoviedb.org/movie/313369" in fields["Links"]
    assert embed.description.startswith("Mia, an aspiring actress")
    assert TMDB_ATTRIBUTION in embed.footer.text
    assert "critic review" in fields["Critics"] and "No ratings yet" in fields["The club"]
    assert_no_pings(world.env)
    check_all_payloads(world.env)
    assert not world.env.errors


@pytest.mark.metadata("wikidata")
async def test_full_card_from_wikidata_without_a_key(world, recorded):
    """No key: Wikidata's runtime, director, genres, IMDb and Letterboxd links, its credit; no poster."""
    _, embed = await card(world, film=FILM)
    fields = {f.name: f.value for f in embed.fields}
    assert (fields["Runtime"], fields["Director"]) == ("2 h 8 min", "Damien Chazelle")
    assert "letterboxd.com/film/la-la-land/" in fields["Links"] and "imdb.com/title/tt3783958/" in fields["Links"]
    assert embed.thumbnail.url is None and "Wikidata" in embed.footer.text
    assert recorded.count("/3/") == 0
    assert not world.env.errors


@pytest.mark.metadata("off")
async def test_bare_card_when_metadata_is_off(world, recorded):
    """FILMBOT_METADATA=off: title, year and counts, no request leaves the bot."""
    message, embed = await card(world, film=FILM)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert [f.name for f in embed.fields] == ["The club", "Critics"]
    assert recorded.count() == 0 and not world.bot.metadata.enabled
    assert not world.env.errors


FAILURES = {
    "500": {"status": 500, "file": "tmdb/500.json"},
    "malformed": {"file": "tmdb/malformed.json"},
    "429": {"status": 429, "file": "tmdb/429.json", "headers": {"Retry-After": "30"}},
    "404": {"status": 404, "file": "tmdb/404.json"},
    "slow": {"file": "tmdb/search-la-la-land.json", "delay": 2},
}


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_a_failing_provider_leaves_a_plain_card_and_no_alarm(world, recorded, kind):
    """Every provider failure: the public card with title, year and counts, no error wording, nothing raised."""
    recorded.fail(**FAILURES[kind])
    for provider in world.bot.metadata.providers:
        provider.client.timeout = 0.3
    message, embed = await card(world, film=FILM)
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert [f.name for f in embed.fields] == ["The club", "Critics"]
    text = (message.content or "") + str(embed.to_dict())
    assert not any(word in text.casefold() for word in ("error", "wrong", "fail", "429", "500", "tmdb"))
    assert not world.env.errors


async def test_a_different_year_is_never_attached(world, recorded):
    """Asked for La La Land (2017), both providers answer the 2016 film: nothing attached, a private refusal."""
    result = await world.alice.slash(world.channel, "film info", film="La La Land (2017)")
    [message] = msgs(result)
    assert message.ephemeral and not message.embeds and "I don't know a film called" in message.content
    assert recorded.count("/3/search/movie") == 1  # the provider was asked, its answer refused
    assert not world.env.errors


async def test_answers_are_cached_until_they_expire(world, recorded, monkeypatch):
    """A second card asks nobody; once the entry expires (the bot's clock) the providers are asked again."""
    monkeypatch.setattr(service, "FOUND_TTL", timedelta(hours=1))  # 30 days in production
    await card(world, film=FILM)
    asked = recorded.count()
    assert asked >= 2 and world.count("metadata_cache") == 1
    await card(world, film=FILM)
    assert recorded.count() == asked
    await world.env.advance_time(59 * 60)
    await card(world, film=FILM)
    assert recorded.count() == asked
    await world.env.advance_time(2 * 60)
    _, embed = await card(world, film=FILM)
    assert recorded.count() == 2 * asked and embed.thumbnail.url


async def test_twenty_members_at_once_cause_one_lookup(world, recorded):
    """20 concurrent /film info on one film: one search request, 20 full cards."""
    crowd = [world.guild.add_member(world.env.create_user(f"fan{i}")) for i in range(20)]
    results = await burst(world.env, [lambda m=m: m.slash(world.channel, "film info", film=FILM) for m in crowd])
    assert recorded.count("/3/search/movie") == 1
    assert all(embed_of(msgs(r)[0]).thumbnail.url for r in results)
    assert not world.env.errors


@pytest.mark.metadata("off")
async def test_unknown_film_is_refused_privately_without_metadata(world, recorded):
    """A film the club doesn't know, no provider: a private refusal naming the known films."""
    result = await world.alice.slash(world.channel, "film info", film="Whiplash")
    assert_ephemeral_reply(result, "I don't know a film called", "La La Land")


@pytest.mark.parametrize("typed", ["a\x00b", "x" * 500, "…!?", "\u202eدنيا\u202c", "🎬🍿", "Heat (99999)",
                                   "@everyone", "La La Land (1800)"])
async def test_hostile_titles_get_a_private_refusal(world, recorded, typed):
    """Control characters, 500 characters, punctuation, RTL, emoji, absurd years: refused privately, no card."""
    result = await world.alice.slash(world.channel, "film info", film=typed)
    text = assert_ephemeral_reply(result)  # issue 24: a year outside 1870..now+5 is refused as such
    assert "I don't know a film called" in text or "is not a film year" in text
    assert not any(m.embeds for m in msgs(result))
    assert_no_pings(world.env)
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_autocomplete_offers_the_clubs_films(world, recorded):
    """Typing 'la' offers La La Land (2016)."""
    choices = await world.alice.autocomplete(world.channel, "film info", "film", "la")
    assert [c["name"] for c in choices] == ["La La Land (2016)"]


async def test_without_a_film_and_no_screening_the_member_is_asked_to_name_one(world, recorded):
    """No film typed and no current film: a private hint."""
    assert_ephemeral_reply(await world.alice.slash(world.channel, "film info"), "Name a film")


@pytest.mark.metadata("wikidata")
async def test_no_key_and_no_network_gives_the_plain_card(world, recorded):
    """Wikidata unreachable (connection refused): the plain card, then no new attempt for a while."""
    recorded.close()
    _, embed = await card(world, film=FILM)
    assert embed.title == "La La Land (2016)" and [f.name for f in embed.fields] == ["The club", "Critics"]
    [provider] = world.bot.metadata.providers
    assert provider.client.paused() and world.count("metadata_cache") == 0  # a failure is not cached
    await card(world, film=FILM)
    assert provider.client.requests == 1
    assert not world.env.errors


async def test_lookups_work_again_after_the_bot_is_closed_and_started(world, recorded, monkeypatch):
    """bot.close() stops the HTTP thread; the next lookup starts a new one with fresh locks and session."""
    monkeypatch.setattr(service, "FOUND_TTL", timedelta(minutes=1))
    await card(world, film=FILM)
    await world.bot.metadata.close()
    await world.env.advance_time(120)
    asked = recorded.count()
    _, embed = await card(world, film=FILM)
    assert recorded.count() > asked and embed.thumbnail.url
    assert not world.env.errors


async def test_a_film_only_the_provider_knows_gets_a_private_card(world, recorded):
    """Not among the club's films but found by TMDB (details 404): a private card from the search answer."""
    result = await world.alice.slash(world.channel, "film info", film="La La Land: Behind the Scenes (2017)")
    [message] = msgs(result)
    embed = embed_of(message)
    assert message.ephemeral and embed.title == "La La Land: Behind the Scenes (2017)"
    fields = {f.name: f.value for f in embed.fields}
    assert "No critic reviews yet" in fields["Critics"] and "themoviedb.org/movie/441130" in fields["Links"]
    assert recorded.count("/3/movie/441130") == 1 and TMDB_ATTRIBUTION in embed.footer.text
    assert not world.env.errors


async def test_a_card_fills_the_catalogue_and_the_screening_lasts_the_film(world, recorded):
    """What /film info found is kept on the catalogue's film (bot/films set_metadata): the next
    screening lasts its runtime (129 min) plus 30 min, and autocomplete names the director."""
    from datetime import UTC, datetime

    await card(world, film=FILM)
    (row,) = world.q("SELECT runtime_minutes, director, tmdb_id, imdb_id FROM films WHERE title = ?", FILM)
    assert tuple(row) == (129, "Damien Chazelle", 313369, "tt3783958")
    choices = await world.alice.autocomplete(world.channel, "rate film", "film", "la la")
    assert choices[0]["name"] == "La La Land (2016) — Damien Chazelle"
    await world.mod.slash(world.channel, "filmnight schedule", film=FILM, when="2026-01-05 20:00", where="Club room")
    (event,) = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    start = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)
    assert datetime.fromisoformat(event.scheduled_end_time) == start + timedelta(minutes=159)


async def test_a_watchlist_add_fills_year_runtime_and_director_for_lists_picks_and_next(world, recorded):
    """/watchlist add looks the film up in the background: the watchlist, the pick's menu and /filmnight
    next then show its runtime and director (issue 24 item 4)."""
    await world.alice.slash(world.channel, "watchlist add", film=FILM)
    await world.bob.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.env.settle()
    (row,) = world.q("SELECT runtime_minutes, director FROM films WHERE title = ?", FILM)
    assert tuple(row) == (129, "Damien Chazelle")
    listed = embed_of(msgs(await world.alice.slash(world.channel, "watchlist list"))[0])
    assert "La La Land (2016)** · 2 h 09 min · dir. Damien Chazelle" in listed.description
    await world.mod.slash(world.channel, "filmnight pick", candidates=2)
    assert world.q("SELECT label FROM filmnight_candidates WHERE film_id IN (SELECT id FROM films WHERE title = ?)",
                   FILM)[0][0] == "La La Land (2016) — 2 h 09 min · dir. Damien Chazelle"
    await world.mod.slash(world.channel, "filmnight schedule", film=FILM, when="2026-01-05 20:00", where="Club room")
    shown = embed_of(msgs(await world.alice.slash(world.channel, "filmnight next"))[0])
    assert shown.description.startswith("2 h 09 min · dir. Damien Chazelle")
    assert not world.env.errors


async def test_a_card_while_the_providers_are_down_shows_what_an_earlier_lookup_kept(world, recorded, monkeypatch):
    """Cache expired, every provider answering 500: the card still has the runtime, director, poster and
    links the catalogue kept from the earlier lookup, with TMDB's notice (its data is shown); no error."""
    monkeypatch.setattr(service, "FOUND_TTL", timedelta(hours=1))
    await card(world, film=FILM)
    await world.env.advance_time(2 * 3600)
    recorded.fail(500, "tmdb/500.json")
    message, embed = await card(world, film=FILM)
    fields = {f.name: f.value for f in embed.fields}
    assert not message.ephemeral and embed.title == "La La Land (2016)"
    assert (fields.get("Runtime"), fields.get("Director")) == ("2 h 9 min", "Damien Chazelle")
    assert embed.thumbnail.url and "imdb.com/title/tt3783958/" in fields["Links"]
    assert TMDB_ATTRIBUTION in embed.footer.text
    assert not world.env.errors


@pytest.mark.metadata("off")
async def test_a_film_nothing_was_ever_fetched_for_gets_no_credit(world, recorded):
    """No lookup ever made: the bare card, and no provider is credited for data it never gave."""
    _, embed = await card(world, film=FILM)
    assert [f.name for f in embed.fields] == ["The club", "Critics"] and not embed.footer.text


async def test_a_card_made_while_tmdb_failed_is_not_kept_for_30_days(world, recorded):
    """TMDB answering 500, Wikidata fine: a Wikidata card (no poster, Wikidata credited, not TMDB); once
    TMDB is back, a card two hours later has TMDB's poster (it was cached 30 days without one)."""
    for route in ("/3/search/movie", "/3/movie/313369"):
        recorded.serve(route, "tmdb/500.json", status=500)
    _, embed = await card(world, film=FILM)
    assert embed.thumbnail.url is None and "Wikidata" in embed.footer.text
    assert TMDB_ATTRIBUTION not in embed.footer.text
    record_la_la_land(recorded)
    await world.env.advance_time(2 * 3600)
    _, embed = await card(world, film=FILM)
    assert embed.thumbnail.url and TMDB_ATTRIBUTION in embed.footer.text
    assert not world.env.errors


async def test_a_provider_that_hangs_is_not_asked_again_for_a_while(world, recorded):
    """TMDB accepting the request and never answering: the first card comes from Wikidata after TMDB's
    timeout; the next cards, within a minute, do not wait on TMDB again (it is paused like a dead service)."""
    recorded.serve("/3/search/movie", "tmdb/search-la-la-land.json", delay=20)
    for provider in world.bot.metadata.providers:
        provider.client.timeout = 0.5
    _, embed = await card(world, film=FILM)
    assert "Wikidata" in embed.footer.text and TMDB_ATTRIBUTION not in embed.footer.text
    asked = recorded.count("/3/")
    for film in ("Whiplash (2014)", "Moonlight (2016)"):  # not the club's films: looked up all the same
        await world.alice.slash(world.channel, "film info", film=film)
    assert recorded.count("/3/") == asked == 1
    assert not world.env.errors


async def test_a_film_only_the_providers_could_name_while_they_are_down_is_refused_saying_so(world, recorded):
    """A film the club doesn't know, every provider answering 500: a private refusal that says the film
    databases did not answer (not only 'I don't know'), nothing stored; once they answer, the card comes."""
    recorded.fail(500, "tmdb/500.json")
    result = await world.alice.slash(world.channel, "film info", film="La La Land (2017)")
    text = assert_ephemeral_reply(result, "did not answer just now", "try again")
    assert "I don't know a film called" in text and world.count("metadata_cache") == 0
    assert not world.env.errors


async def test_an_error_after_the_public_thinking_is_answered_privately(world, recorded, monkeypatch):
    """The card's film is known, so /film info acknowledges publicly ("thinking…"); the write that keeps what the
    provider found then fails (the database busy): the member alone sees the error, and the public "thinking…"
    is gone, not turned into the error for everyone."""
    from tests.faults import db_fault

    failed = db_fault(monkeypatch, world.bot.metadata, "remember")
    result = await world.alice.slash(world.channel, "film info", film=FILM)
    assert failed == [1]
    texts = [m.content or "" for m in msgs(result)]
    assert any("busy" in t for t in texts) and all(m.ephemeral for m in msgs(result) if "busy" in (m.content or ""))
    assert world.bot_messages(world.channel) == [], "nothing public is left"
    assert ["locked" in str(getattr(e, "original", e)) for e in world.env.errors] == [True]  # answered above


async def test_a_watchlist_film_added_while_the_providers_are_down_is_enriched_later(world, recorded, settings):
    """/watchlist add while TMDB and Wikidata answer 500: the film is queued (metadata_retries), not
    forgotten. Still down at the first retry: one more lookup, then a longer wait (no retry storm). The bot
    restarts (the queue is in the database); the providers come back; at the next retry the film gets its
    runtime, director and poster, and the card credits TMDB; the queue is empty."""
    from bot import Settings, create_bot
    from bot.metadata.job import RETRY_BACKOFF

    recorded.fail(500, "tmdb/500.json")
    await world.alice.slash(world.channel, "watchlist add", film=FILM)
    await world.env.settle()
    assert world.q("SELECT director, poster_url, metadata_source FROM films WHERE title = ?", FILM) == [
        (None, None, None)]
    assert world.q("SELECT attempts FROM metadata_retries") == [(0,)]
    asked = recorded.count()
    await world.env.advance_time(RETRY_BACKOFF[0].total_seconds() + 1)
    await world.env.settle()
    assert world.q("SELECT attempts FROM metadata_retries") == [(1,)]
    tried = recorded.count() - asked
    assert 1 <= tried <= 4, tried  # one lookup (each provider once, at most a search and a details call)
    await world.env.advance_time(RETRY_BACKOFF[1].total_seconds() / 2)  # within the back-off: nothing asked
    await world.env.settle()
    assert recorded.count() - asked == tried

    old = world.bot
    await old.scheduler.stop()
    await old.metadata.close()
    await old.close_store()
    new = create_bot(Settings(**settings.__dict__))
    try:
        await world.env.restart_bot(new)
        record_la_la_land(recorded)
        await world.env.advance_time(RETRY_BACKOFF[1].total_seconds() / 2 + 1)
        await world.env.settle()
        assert world.q("SELECT runtime_minutes, director, poster_url IS NOT NULL FROM films WHERE title = ?",
                       FILM) == [(129, "Damien Chazelle", 1)]
        assert world.count("metadata_retries") == 0
        asked = recorded.count()
        _, embed = await card(world, film=FILM)  # from what the retry fetched: nothing asked again
        assert recorded.count() == asked
        assert embed.title == "La La Land (2016)" and embed.thumbnail.url and TMDB_ATTRIBUTION in embed.footer.text
        assert not world.env.errors
    finally:
        await new.metadata.close()
        await new.close_store()


async def test_the_next_successful_lookup_wakes_the_queued_films(world, recorded):
    """A film queued while the providers were down is looked up as soon as another lookup succeeds (here a
    card of another film, a minute later), not only at its retry time."""
    recorded.fail(500, "tmdb/500.json")
    await world.alice.slash(world.channel, "watchlist add", film=FILM)
    await world.env.settle()
    assert world.count("metadata_retries") == 1
    record_la_la_land(recorded)
    await world.env.advance_time(60)
    await world.alice.slash(world.channel, "film info", film="Whiplash (2014)")
    await world.env.settle()
    assert world.q("SELECT director FROM films WHERE title = ?", FILM) == [("Damien Chazelle",)]
    assert world.count("metadata_retries") == 0
    assert not world.env.errors
