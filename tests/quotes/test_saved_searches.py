"""Saved searches (quote_queries: /quote's Another, /review list's Prev/Next) are read only by the server that
saved them; one saved before migration 120 has no server and is treated as expired, never read anywhere."""

from __future__ import annotations

from tests.helpers import World, click_forged, msgs, table_digest, text_of, write


async def as_migration_120_left_it(world: World) -> list[int]:
    """Searches typed in server A, then stripped of their server as migration 120's upgrade leaves older rows."""
    await world.alice.slash(world.channel, "review list", critic="Alice's private grudge list")
    await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    write(world.bot.settings, "UPDATE quote_queries SET guild_id = NULL")
    return [query_id for (query_id,) in world.q("SELECT id FROM quote_queries ORDER BY id")]


async def test_a_search_saved_before_servers_is_expired_for_another_server(world: World, settings):
    """Another / Prev / Next forged in server B with a server-less search's id: a private "run it again", nothing
    of what server A typed, nothing written."""
    saved = await as_migration_120_left_it(world)
    assert len(saved) == 2
    other = world.env.create_guild(name="Other Club")
    carol = other.add_member(world.env.create_user("carol"))
    theirs = other.create_text_channel("films")
    target = msgs(await carol.slash(theirs, "quote"))[0]
    for query_id in saved:
        for custom_id in (f"filmbot:review:list:{query_id}:0:n", f"filmbot:quote:another:{query_id}:1"):
            before = table_digest(settings)
            result = await click_forged(world.env, carol, target, custom_id)
            shown = text_of(result)
            assert all(m.ephemeral for m in msgs(result)), f"{custom_id}: {shown[:200]}"
            assert "no longer available" in shown and "again" in shown, shown
            assert "grudge" not in shown and "Griffith" not in shown, shown
            assert table_digest(settings) == before, custom_id


async def test_a_search_saved_before_servers_is_expired_in_its_own_server_too(world: World):
    """The server that made it cannot be told from the row, so its own buttons say the same: run it again."""
    await as_migration_120_left_it(world)
    quoted = msgs(await world.alice.slash(world.channel, "quote", about="music"))[0]
    [(fresh,)] = world.q("SELECT id FROM quote_queries WHERE guild_id = ?", world.guild.id)
    pressed = await world.bob.click(quoted, label="Another")  # a search saved with this server still works
    assert pressed.acknowledged and "no longer available" not in text_of(pressed), text_of(pressed)
    [(old,)] = world.q("SELECT id FROM quote_queries WHERE guild_id IS NULL AND about IS NOT NULL")
    assert old != fresh
    result = await click_forged(world.env, world.bob, quoted, f"filmbot:quote:another:{old}:1")
    assert all(m.ephemeral for m in msgs(result)) and "run /quote again" in text_of(result), text_of(result)
