"""/history under attack: forged page buttons, a film rated then watched, takes with pings or spoilers, a stored zone
this host cannot load, /rate forget-me between two page presses."""

from __future__ import annotations

from tests.helpers import advance_to, buttons, click_forged, embed_text, msgs, write, write_many

UNRECORDED = "rated, not recorded as watched"


def lines_of(shown) -> list[str]:
    return [line for line in embed_text(msgs(shown)[0].embeds[0]).splitlines() if line.startswith("• ")]


async def paged_history(world, settings, films: int = 32):
    """`films` films alice rated without watching, and her /history's first page (more than one page)."""
    for n in range(films):
        await world.mod.slash(world.channel, "watchlist add", film=f"Attack film {n:02d}", year=1990 + n)
    ids = [r[0] for r in world.q("SELECT id FROM films WHERE title LIKE 'Attack film%' ORDER BY title")]
    write_many(settings, "INSERT INTO club_ratings(guild_id, film_id, user_id, stars_x2, rated_at) VALUES (?, ?, ?, ?, ?)",
               [(world.guild.id, fid, world.alice.id, 4, f"2026-01-{n + 1:02d}T12:00:00+00:00")
                for n, fid in enumerate(ids)])
    return await world.alice.slash(world.channel, "history")


async def test_a_forged_huge_page_shows_the_last_page(world, settings):
    """A forged filmbot:history:<alice>:9999:n: her last page, nothing else."""
    first = await paged_history(world, settings)
    footer = embed_text(msgs(first)[0].embeds[0])
    assert "Page 1 of 3 · 32 films" in footer, footer
    shown = await click_forged(world.env, world.alice, msgs(first)[0], f"filmbot:history:{world.alice.id}:9999:n")
    body = embed_text(msgs(shown)[0].embeds[0])
    assert "Page 3 of 3 · 32 films" in body, body
    assert not world.env.errors


async def test_forget_me_between_page_presses_shows_an_empty_history(world, settings):
    """alice forgets herself after page 1 was drawn: Next shows no film, one page."""
    first = await paged_history(world, settings)
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    nxt = next(b["custom_id"] for b in buttons(msgs(first)[0]) if b["custom_id"].endswith(":n"))
    shown = await world.alice.click(msgs(first)[0], custom_id=nxt)
    body = embed_text(msgs(shown)[0].embeds[0])
    assert lines_of(shown) == [] and "Page 1 of 1 · 0 films" in body, body
    assert not world.env.errors


async def test_a_film_rated_then_watched_is_listed_once_as_a_watch(world):
    """Rated first, watched later: one line, the watch's day, not marked unrecorded; its take (a ping, a
    spoiler) is not shown."""
    rated = await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4,
                                    take="Everyone cries ||Mia and Seb split||")
    await advance_to(world, 2026, 1, 3, 12)
    watched = await world.alice.slash(world.channel, "watched", film="La La Land", date="2026-01-02")
    shown = await world.alice.slash(world.channel, "history")
    lines = lines_of(shown)
    assert "with your take" in msgs(rated)[0].content and "2 Jan 2026" in msgs(watched)[0].content
    assert len(lines) == 1 and "2 Jan 2026" in lines[0] and UNRECORDED not in lines[0], lines
    assert "Everyone" not in lines[0] and "split" not in lines[0]


async def test_a_stored_zone_this_host_cannot_load_lists_the_utc_day(world):
    """A server zone stored by a host whose zone database had it, unloadable here (a region's folder, America):
    /history still lists the rated film, on its UTC day."""
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4)
    write(world.bot.settings, "INSERT INTO guild_settings(guild_id, timezone) VALUES (?, 'America')"
          " ON CONFLICT(guild_id) DO UPDATE SET timezone = 'America'", world.guild.id)
    shown = await world.alice.slash(world.channel, "history")
    assert shown.ephemeral
    lines = lines_of(shown)
    assert len(lines) == 1 and "La La Land" in lines[0] and UNRECORDED in lines[0], embed_text(msgs(shown)[0].embeds[0])
