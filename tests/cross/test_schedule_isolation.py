"""One schedule whose stored settings cannot be used is paused with a reason; the others keep posting."""

from __future__ import annotations

from tests.helpers import rows, write

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
    # e.g. a zone a newer tzdata renamed, or a hand edit
    write(settings, "UPDATE schedules SET timezone = 'Mars/Olympus_Mons' WHERE channel_id = ?", world.channel.id)
    listed = await world.alice.slash(world.channel, "schedule list")
    assert "Cannot run" in listed.response.content
    await world.env.advance_time(2 * DAY)
    assert len(prompts(world, other)) == 2
    assert prompts(world, world.channel) == []
    [(paused, reason)] = rows(settings, "SELECT paused, paused_reason FROM schedules WHERE channel_id = ?",
                              (world.channel.id,))
    assert paused == 1 and "Mars/Olympus_Mons" in reason
    notices = [m.content for m in logs.history() if m.author.id == world.bot.user.id]
    assert any("paused" in n and "Mars/Olympus_Mons" in n for n in notices), notices
    listed = await world.alice.slash(world.channel, "schedule list")
    assert "Paused" in listed.response.content


async def test_zone_names_are_stored_canonically(world, settings):
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00",
                              timezone="europe/paris")
    assert "Schedule set" in r.response.content, r.response.content
    [(zone,)] = rows(settings, "SELECT timezone FROM schedules")
    assert zone == "Europe/Paris"
    await world.mod.slash(world.channel, "config timezone", zone="america/new_york")
    stored = rows(settings, "SELECT timezone FROM guild_settings")
    assert stored == [("America/New_York",)], stored
