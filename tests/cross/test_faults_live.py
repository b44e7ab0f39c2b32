"""The world changing under timed work while the bot is up (issue faults13): a channel's permissions taken away, a
channel or a message deleted, an event cancelled or moved in Discord, a 429 or a 5xx on a job's first call. Each
job settles without retrying forever, the moderators are told once and truthfully, and a restart repeats nothing.
(The same changes while the bot was away: test_faults_gateway.py; the bot removed and invited back:
test_faults_readded.py.)"""

from __future__ import annotations

import pytest

from tests.cross.test_faults_filmnight import schedule
from tests.cross.test_faults_readded import kick
from tests.helpers import advance_to
from tests.helpers import rows as db

HOUR = 3600


async def with_mod_log(world):
    logs = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=logs)
    return logs


def notices(logs) -> list[str]:
    return [m.content for m in logs.history() if m.author.bot]


async def test_a_native_poll_whose_message_a_moderator_deleted_is_given_up_at_once_and_said_so(world, settings):
    """The poll message deleted an hour before its close: its votes went with it, so at the close the poll is given
    up at once (no 6 tries over 8 h), the moderators are told once that there are no results (not that /poll results
    still shows them), and neither the days after, a restart nor the bot invited back tries again."""
    logs = await with_mod_log(world)
    created = await world.alice.slash(world.channel, "poll create", question="Best ending?",
                                      options="La La Land | Whiplash", hours=2)
    assert created.response.message.poll is not None, "a native poll"
    await world.env.advance_time(HOUR)
    world.env.backend.delete_message(world.channel.id, created.response.message.id)
    await world.env.advance_time(HOUR + 60)
    assert db(settings, "SELECT close_state, close_attempts FROM polls") == [("abandoned", 1)]
    [notice] = notices(logs)
    assert "message was deleted" in notice and "no results" in notice and "/poll results" not in notice, notice
    before = len(world.env.backend.http_requests)
    await world.env.advance_time(12 * HOUR)
    assert len(world.env.backend.http_requests) == before
    await world.env.restart_bot()
    await world.env.advance_time(12 * HOUR)
    kick(world)()  # kicked and invited back: only announcements a try could still post are tried again
    await world.env.advance_time(HOUR)
    assert len(notices(logs)) == 1 and not [m for m in world.channel.history() if m.author.bot]
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)] and not world.env.errors


def deny_posting(world) -> None:
    """A moderator takes Send Messages away from the bot in #film-club (a channel overwrite)."""
    import discord
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    world.env.backend.set_overwrite(world.channel.id, Overwrite(
        world.bot.user.id, OverwriteType.MEMBER, deny=discord.Permissions(send_messages=True).value))


@pytest.mark.parametrize("change", ["channel deleted", "posting denied"])
async def test_a_screening_whose_channel_changed_under_it_tells_the_moderators_once(world, settings, change):
    """The screening's channel deleted, or the bot's Send Messages taken away, the day it was scheduled: its 24 h
    reminder, 1 h reminder and end post each fail once, for good, and the moderators get one notice, not three;
    a restart afterwards sends nothing again."""
    logs = await with_mod_log(world)
    await schedule(world)
    world.env.backend.delete_channel(world.channel.id) if change == "channel deleted" else deny_posting(world)
    await advance_to(world, 2026, 1, 6)
    assert db(settings, "SELECT kind, status, attempts FROM screening_reminders ORDER BY kind") == [
        ("1h", "failed", 1), ("24h", "failed", 1), ("end", "failed", 1)]
    [notice] = notices(logs)
    assert "24h reminder of **La La Land (2016)**" in notice and "not say so again" in notice, notice
    await world.env.restart_bot()
    await world.env.advance_time(12 * HOUR)
    assert len(notices(logs)) == 1 and not world.env.errors
