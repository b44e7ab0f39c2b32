"""One schedule whose stored settings cannot be used is paused with a reason; the others keep posting."""

from __future__ import annotations

import sqlite3

DAY = 24 * 3600


def prompts(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id and m.embeds]


async def test_a_schedule_with_an_unloadable_zone_is_paused_and_the_others_post(world, settings):
    other = world.guild.create_text_channel("other-club")
    logs = world.guild.create_text_channel("mod-log")
    r = await world.mod.slash(world.channel, "config log-channel", channel=logs)
    for channel in (world.channel, other):
        r = await world.mod.slash(world.channel, "schedule set", channel=channel, time="09:00", timezone="UTC")
        assert "Schedule set" in r.response.content, r.response.content
    with sqlite3.connect(settings.database) as con:  # e.g. a zone a newer tzdata renamed, or a hand edit
        con.execute("UPDATE schedules SET timezone = 'Mars/Olympus_Mons' WHERE channel_id = ?", (world.channel.id,))
    con.close()
    listed = await world.alice.slash(world.channel, "schedule list")
    assert "Cannot run" in listed.response.content
    await world.env.advance_time(2 * DAY)
    assert len(prompts(world, other)) == 2
    assert prompts(world, world.channel) == []
    with sqlite3.connect(settings.database) as con:
        paused, reason = con.execute("SELECT paused, paused_reason FROM schedules WHERE channel_id = ?",
                                     (world.channel.id,)).fetchone()
    con.close()
    assert paused == 1 and "Mars/Olympus_Mons" in reason
    notices = [m.content for m in logs.history() if m.author.id == world.bot.user.id]
    assert any("paused" in n and "Mars/Olympus_Mons" in n for n in notices), notices
    listed = await world.alice.slash(world.channel, "schedule list")
    assert "Paused" in listed.response.content


async def test_zone_names_are_stored_canonically(world, settings):
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00",
                              timezone="europe/paris")
    assert "Schedule set" in r.response.content, r.response.content
    with sqlite3.connect(settings.database) as con:
        [(zone,)] = con.execute("SELECT timezone FROM schedules").fetchall()
    con.close()
    assert zone == "Europe/Paris"
    await world.mod.slash(world.channel, "config timezone", zone="america/new_york")
    with sqlite3.connect(settings.database) as con:
        stored = con.execute("SELECT timezone FROM guild_settings").fetchall()
    con.close()
    assert stored == [("America/New_York",)], stored
