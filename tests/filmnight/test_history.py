"""/history lists what a member rated without recording a watch, with their watches: dated by the rating's day in
the server's zone, marked as no watch, paged once each, of this server only, and gone after /rate forget-me."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.helpers import advance_to, buttons, embed_text, msgs, rows, write_many

UNRECORDED = "rated, not recorded as watched"
START = date(2025, 1, 20)


def history_lines(shown) -> list[str]:
    return [line for line in embed_text(msgs(shown)[0].embeds[0]).splitlines() if line.startswith("• ")]


async def test_a_rated_film_not_watched_is_listed_on_its_local_day_and_is_no_watch(world, settings):
    """Rated at 03:00 UTC in a Los Angeles club: listed on the evening before, marked, with no watch stored."""
    zone = await world.mod.slash(world.channel, "config timezone", zone="America/Los_Angeles")
    assert zone.ephemeral
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await advance_to(world, 2026, 1, 2, 3)  # 2026-01-01 19:00 in Los Angeles (a short jump: the suite's time)
    await world.alice.slash(world.channel, "rate film", film="Whiplash", stars=4.5)
    await world.alice.slash(world.channel, "watched", film="La La Land", date="2025-12-20")
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=3)

    shown = await world.alice.slash(world.channel, "history")
    assert shown.ephemeral
    lines = history_lines(shown)
    assert len(lines) == 2, lines
    assert "**Whiplash (2014)** · 1 Jan 2026 · ★★★★½ (4.5)" in lines[0] and lines[0].endswith(UNRECORDED)
    assert "**La La Land (2016)** · 20 Dec 2025 · ★★★ (3)" in lines[1] and UNRECORDED not in lines[1]
    assert "Page 1 of 1 · 2 films" in embed_text(msgs(shown)[0].embeds[0])
    assert "`/watched film` records when you saw it" in embed_text(msgs(shown)[0].embeds[0])  # what to do next
    # Rated is not watched: no watch row, so it opens no spoilers and /club stats counts no watch of it.
    whiplash = rows(settings, "SELECT id FROM films WHERE title = 'Whiplash'")[0][0]
    assert rows(settings, "SELECT count(*) FROM film_watches WHERE film_id = ?", (whiplash,))[0][0] == 0
    assert rows(settings, "SELECT count(*) FROM film_watches WHERE user_id = ?", (world.alice.id,))[0][0] == 1


async def test_another_servers_ratings_never_show_in_this_servers_history(world):
    """A film the member rated in another server is not in this server's /history, nor the other way round."""
    env = world.env
    other = env.create_guild(name="Other Club")
    other_channel = other.create_text_channel("general")
    elsewhere = other.add_member(world.alice_user)  # the same account, a member of both servers
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.alice.slash(world.channel, "rate film", film="Whiplash", stars=5)
    await elsewhere.slash(other_channel, "rate film", film="La La Land", stars=2)

    here = history_lines(await world.alice.slash(world.channel, "history"))
    there = history_lines(await elsewhere.slash(other_channel, "history"))
    assert len(here) == 1 and "Whiplash" in here[0] and "La La Land" not in " ".join(here)
    assert len(there) == 1 and "La La Land" in there[0] and "Whiplash" not in " ".join(there)


async def test_history_pages_reach_every_watch_and_rating_once_in_date_order(world, settings):
    """16 watches and 16 films only rated, days interleaved: three pages, each film once, newest day first."""
    for n in range(32):
        await world.mod.slash(world.channel, "watchlist add", film=f"Paged film {n:02d}", year=1990 + n)
    ids = {title: film_id for film_id, title in rows(settings, "SELECT id, title FROM films WHERE title LIKE 'Paged%'")}
    guild, alice = world.guild.id, world.alice.id
    write_many(settings, "INSERT INTO film_watches(guild_id, film_id, user_id, watched_on, recorded_at)"
               " VALUES (?, ?, ?, ?, ?)",
               [(guild, ids[f"Paged film {n:02d}"], alice, (START + timedelta(days=n)).isoformat(), "2025-03-01T00:00:00+00:00")
                for n in range(0, 32, 2)])
    write_many(settings, "INSERT INTO club_ratings(guild_id, film_id, user_id, stars_x2, rated_at) VALUES (?, ?, ?, ?, ?)",
               [(guild, ids[f"Paged film {n:02d}"], alice, 6, f"{START + timedelta(days=n)}T12:00:00+00:00")
                for n in range(1, 32, 2)])

    seen: list[str] = []
    shown = await world.alice.slash(world.channel, "history")
    for page in range(3):
        body = embed_text(msgs(shown)[0].embeds[0])
        assert f"Page {page + 1} of 3 · 32 films" in body, body
        seen += history_lines(shown)
        nxt = [b["custom_id"] for b in buttons(msgs(shown)[0]) if b["custom_id"].endswith(":n")]
        if page < 2:
            shown = await world.alice.click(msgs(shown)[0], custom_id=nxt[0])
    titles = [re.search(r"Paged film (\d\d)", line)[1] for line in seen]
    assert titles == [f"{n:02d}" for n in range(31, -1, -1)]  # every film once, the newest day first
    assert all((UNRECORDED in line) == (int(n) % 2 == 1) for line, n in zip(seen, titles, strict=True))


async def test_forget_me_leaves_no_rated_film_in_history(world):
    """After /rate forget-me, /history lists neither the member's watches nor their rated films."""
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.alice.slash(world.channel, "rate film", film="Whiplash", stars=4)
    await world.alice.slash(world.channel, "watched", film="La La Land")
    assert len(history_lines(await world.alice.slash(world.channel, "history"))) == 2
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    after = await world.alice.slash(world.channel, "history")
    assert history_lines(after) == [] and "No films recorded yet" in embed_text(msgs(after)[0].embeds[0])
    assert after.ephemeral
