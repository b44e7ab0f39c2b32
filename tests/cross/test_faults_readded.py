"""The bot removed from a server with timed work pending, then invited back (issue faults12)."""

from __future__ import annotations

from simcord.backend import serializers

from tests.helpers import rows as db

HOUR = 3600


def kick(world):
    """GUILD_DELETE as Discord sends it when the bot is kicked; the server and its channels stay in Discord."""
    backend = world.env.backend
    guild = backend.guilds[world.guild.id]
    kept = {cid: backend.channels[cid] for cid in list(guild.channel_ids) + list(guild.thread_ids)}
    messages = {cid: backend.messages.get(cid, {}) for cid in kept}
    for cid in kept:
        backend.channels.pop(cid)
        backend.messages.pop(cid, None)
    del backend.guilds[world.guild.id]
    backend.emit("GUILD_DELETE", {"id": str(world.guild.id)})

    def invite_back():
        """GUILD_CREATE as Discord sends it on a join: without `unavailable` (simcord always sends it False, which
        discord.py reads as a server coming back from an outage, `on_guild_available`, not `on_guild_join`)."""
        backend.guilds[world.guild.id] = guild
        backend.channels.update(kept)
        backend.messages.update(messages)
        rejoined_now(world)
        payload = serializers.guild_create_payload(backend, guild)
        payload.pop("unavailable", None)
        backend.emit("GUILD_CREATE", payload)
    return invite_back


def rejoined_now(world) -> None:
    """The bot's own member as Discord has it after an invitation: joined now (simcord keeps the first join's time)."""
    backend = world.env.backend
    backend.guilds[world.guild.id].members[world.env.bot.user.id].joined_at = backend.now_iso()


def result_posts(world, title: str) -> list:
    return [m for m in world.channel.history() if m.author.bot and m.embeds and (m.embeds[0].title or "") == title]


async def test_a_poll_and_a_pick_abandoned_while_kicked_are_announced_once_when_invited_back(world, settings):
    """Kicked an hour before a poll's and a pick's deadlines and invited back two days later: both had been given
    up (no channel to post in) and, back in the server, each result is posted once, saying it comes late; days
    later nothing more."""
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=1, anonymous=True)
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=1, method="single")
    await world.alice.select(opened.response, ["2"])
    invite_back = kick(world)
    for _ in range(4):
        await world.env.advance_time(12 * HOUR)
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)]
    assert db(settings, "SELECT close_state FROM filmnight_picks") == [("abandoned",)]
    invite_back()
    await world.env.advance_time(60)
    [poll] = result_posts(world, "📊 Results of anonymous poll #1")
    [pick] = result_posts(world, "Results of pick #1")
    assert "I could not post the results then, so they come late" in poll.embeds[0].description
    assert "I could not post the results then, so they come late" in pick.embeds[0].description
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    assert db(settings, "SELECT close_state FROM filmnight_picks") == [("announced",)]
    await world.env.restart_bot()
    for _ in range(4):
        await world.env.advance_time(12 * HOUR)
    assert len(result_posts(world, "📊 Results of anonymous poll #1")) == 1
    assert len(result_posts(world, "Results of pick #1")) == 1
    assert not world.env.errors


async def test_a_schedule_paused_while_kicked_resumes_when_invited_back(world, settings):
    """A daily prompt whose slot fell due while the bot was removed is paused (its channel unreachable); invited back,
    the bot resumes it by itself, tells the moderators once, and the next day's prompt is posted once."""
    set_ = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="12:00", timezone="UTC")
    assert set_.ephemeral
    invite_back = kick(world)
    await world.env.advance_time(26 * HOUR)
    [(paused, reason)] = db(settings, "SELECT paused, paused_reason FROM schedules")
    assert paused == 1, reason
    invite_back()
    await world.env.advance_time(60)
    assert db(settings, "SELECT paused FROM schedules") == [(0,)]
    notices = [r for r in world.env.http_requests if r.method == "POST" and "resumed" in str(r.json)]
    assert len(notices) == 1, notices
    await world.env.advance_time(26 * HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    assert db(settings, "SELECT count(*) FROM schedule_posts WHERE status = 'posted'") == [(1,)]
    assert not world.env.errors
