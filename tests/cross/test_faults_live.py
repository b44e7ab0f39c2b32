"""The world changing under timed work while the bot is up (issue faults13): a channel's permissions taken away, a
channel or a message deleted, an event cancelled or moved in Discord, a 429 or a 5xx on a job's first call. Each
job settles without retrying forever, the moderators are told once and truthfully, and a restart repeats nothing.
(The same changes while the bot was away: test_faults_gateway.py; the bot removed and invited back:
test_faults_readded.py.)"""

from __future__ import annotations

from tests.cross.test_faults_readded import kick
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
