"""Issue 24, "Measured this week": each bullet as a member meets it, through simcord."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from tests.helpers import rows as db
from tests.helpers import table_digest, text_of

WHEN = "2026-01-05 20:00"
START = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)


def events(world):
    return list(world.env.backend.get_guild(world.guild.id).scheduled_events.values())


def film_id(world, title: str) -> int:
    (row,) = world.q("SELECT id FROM films WHERE title = ?", title)
    return row[0]


async def test_yearless_add_is_the_reviewed_film_and_the_gate_holds(world, settings):
    """`/watchlist add film:La La Land` (no year) is the reviewed La La Land (2016): one film, and its
    screening locks the spoiler themes and is every command's current film."""
    added = await world.alice.slash(world.channel, "watchlist add", film="La La Land")
    assert "La La Land (2016)" in text_of(added)
    assert world.q("SELECT count(*) FROM films WHERE title LIKE 'la la land'") == [(1,)]
    reviewed = world.q("SELECT DISTINCT film_id FROM reviews")
    assert world.q("SELECT film_id FROM watchlist") == reviewed
    done = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when=WHEN, where="Club room")
    assert "is scheduled" in text_of(done)
    assert world.q("SELECT film_id FROM screenings") == reviewed
    locked = await world.bob.slash(world.channel, "discuss", theme="ending")
    assert locked.ephemeral and "spoiler theme" in text_of(locked)
    rated = await world.bob.slash(world.channel, "rate film", stars=4.5)
    assert "La La Land (2016)" in text_of(rated)


async def test_nfd_and_nfc_amelie_are_one_entry(world, settings):
    """'Amélie' typed on a Mac (NFD) and imported from a CSV (NFC) are one entry; support is not split."""
    nfd, nfc = unicodedata.normalize("NFD", "Amélie"), unicodedata.normalize("NFC", "Amélie")
    await world.alice.slash(world.channel, "watchlist add", film=nfd, year=2001)
    csv = f"Date,Name,Year,Letterboxd URI\n2026-01-01,{nfc},2001,https://boxd.it/1\n".encode()
    imported = await world.mod.slash(world.channel, "watchlist import", file=("watchlist.csv", csv))
    assert "0 added, 1 duplicate" in text_of(imported)
    await world.bob.slash(world.channel, "watchlist add", film=nfc)  # no year: the only Amélie
    assert world.count("films") == 1 + len(world.q("SELECT DISTINCT film_id FROM reviews"))
    assert world.q("SELECT count(*) FROM watchlist") == [(1,)]
    assert world.q("SELECT count(*) FROM watchlist_support") == [(2,)]
    assert world.q("SELECT title FROM films WHERE id = (SELECT film_id FROM watchlist)") == [(nfc,)]


async def test_a_numeric_title_is_never_an_entry_number(world, settings):
    """`/watchlist remove film:9` never removes entry #9 (Heat); 9, 1917, 300 are titles everywhere."""
    for n in range(1, 9):
        await world.mod.slash(world.channel, "watchlist add", film=f"Filler {n}")
    await world.mod.slash(world.channel, "watchlist add", film="Heat", year=1995)
    assert world.q("SELECT id FROM watchlist WHERE film_id = ?", film_id(world, "Heat")) == [(9,)]
    refused = await world.mod.slash(world.channel, "watchlist remove", film="9")
    assert refused.ephemeral and "not on this server's watchlist" in text_of(refused)
    assert world.count("watchlist", "film_id = ?", film_id(world, "Heat")) == 1
    for title, year in (("9", 2009), ("1917", 2019), ("300", 2006)):
        await world.alice.slash(world.channel, "watchlist add", film=title, year=year)
    removed = await world.mod.slash(world.channel, "watchlist remove", film="9")
    assert "Removed **9 (2009)**" in text_of(removed)
    assert world.count("watchlist", "film_id = ?", film_id(world, "Heat")) == 1
    backed = await world.bob.slash(world.channel, "watchlist support", film="300")
    assert "You now support **300 (2006)**" in text_of(backed)
    done = await world.mod.slash(world.channel, "filmnight schedule", film="1917", when=WHEN, where="Club room")
    assert "**1917 (2019)** is scheduled" in text_of(done)


async def test_a_film_without_reviews_is_rated_charted_and_compared(world, settings):
    """A watchlisted film with no critic review can be rated, charted and compared."""
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    rated = await world.alice.slash(world.channel, "rate film", film="Whiplash", stars=4.0, take="Tempo!")
    assert "Rated *Whiplash (2014)*" in text_of(rated)
    charted = await world.bob.slash(world.channel, "ratings", film="Whiplash")
    assert "Whiplash (2014)" in text_of(charted) and "No reviews of" not in text_of(charted)
    compared = await world.bob.slash(world.channel, "compare", film="Whiplash")
    assert "Whiplash (2014)" in text_of(compared) and "no critic reviews yet" in text_of(compared)


async def test_the_current_film_is_the_default_without_reviews(world, settings):
    """Without `film:`, /rate film, /ratings, /compare and /quote use the screened film, reviewed or not."""
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.mod.slash(world.channel, "filmnight schedule", film="Whiplash", when=WHEN, where="Club room")
    assert "Whiplash (2014)" in text_of(await world.alice.slash(world.channel, "rate film", stars=3.5))
    assert world.q("SELECT film_id FROM club_ratings") == [(film_id(world, "Whiplash"),)]
    assert "Whiplash (2014)" in text_of(await world.alice.slash(world.channel, "ratings"))
    assert "no critic reviews yet" in text_of(await world.alice.slash(world.channel, "compare"))
    quoted = await world.alice.slash(world.channel, "quote")
    assert quoted.ephemeral and "Whiplash (2014)" in text_of(quoted)  # nothing quotable yet, said so


async def test_a_refused_schedule_stores_nothing(world, settings):
    """A refused /filmnight schedule (bad `when`, missing `where`) adds nothing, not even a watchlist entry."""
    before = table_digest(settings)
    bad_when = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="someday",
                                     where="Club room")
    assert bad_when.ephemeral and "can't read" in text_of(bad_when)
    nowhere = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when=WHEN)
    assert nowhere.ephemeral and "Say where" in text_of(nowhere)
    assert table_digest(settings) == before and events(world) == []


async def test_the_event_lasts_the_runtime_plus_a_margin(world, settings):
    """With the catalogue's runtime the event ends at start + runtime + 30 min (and after a move)."""
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    film = await world.bot.store.films.set_metadata(film_id(world, "Whiplash"), runtime_minutes=106)
    assert film is not None and film.runtime_minutes == 106
    await world.mod.slash(world.channel, "filmnight schedule", film="Whiplash", when=WHEN, where="Club room")
    end = START + timedelta(minutes=136)
    (event,) = events(world)
    assert datetime.fromisoformat(event.scheduled_end_time) == end
    assert db(settings, "SELECT ends_at FROM screenings") == [(end.isoformat(),)]
    await world.mod.slash(world.channel, "filmnight move", when="2026-01-06 20:00")
    assert datetime.fromisoformat(events(world)[0].scheduled_end_time) == end + timedelta(days=1)


async def test_an_unknown_runtime_keeps_three_hours(world, settings):
    """Without a runtime the event lasts 3 hours, as before."""
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land (2016)", when=WHEN, where="Club room")
    (event,) = events(world)
    assert datetime.fromisoformat(event.scheduled_end_time) == START + timedelta(hours=3)


async def test_a_film_without_reviews_is_discussed_with_the_generic_questions(world, settings):
    """/discuss of a watchlisted film no critic reviewed posts the theme's generic question naming
    it (no excerpt); during its screening it is /discuss's default and spoiler themes stay held back."""
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    asked = await world.alice.slash(world.channel, "discuss", film="Whiplash", theme="nostalgia")
    assert "Started a discussion" in text_of(asked), text_of(asked)
    (prompt,) = [m for m in world.channel.history() if m.author.bot and m.embeds]
    assert "Whiplash (2014)" in prompt.embeds[0].description and "No critic review" in prompt.embeds[0].description
    assert world.q("SELECT count(*) FROM posted_prompts") == [(0,)]
    await world.mod.slash(world.channel, "filmnight schedule", film="Whiplash", when=WHEN, where="Club room")
    held = await world.bob.slash(world.channel, "discuss", theme="ending")
    assert held.ephemeral and "spoiler theme" in text_of(held) and "Whiplash (2014)" in text_of(held)
    for _ in range(5):  # the default is the current film, and never one of its spoiler themes
        assert "Started a discussion" in text_of(await world.bob.slash(world.channel, "discuss"))
    prompts = [m for m in world.channel.history() if m.author.bot and m.embeds and "Discuss" in (m.embeds[0].title or "")]
    assert len(prompts) == 6 and all("Whiplash" in p.embeds[0].description for p in prompts)
    assert not any(t.name.startswith("⚠️") for t in world.channel.threads)
