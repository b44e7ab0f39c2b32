"""Discord's 429 with a long retry_after on timed posts (`discord_rate_limited`): one rate-limited channel must not
hold up the other servers' timed work, and what it held back is posted later, once."""

from __future__ import annotations

from tests.cross.test_faults_polls import make_poll
from tests.faults import discord_rate_limited
from tests.helpers import rows as db

HOUR = 3600


class Other:
    """A second server using the same bot at the same time."""

    def __init__(self, world) -> None:
        self.guild = world.env.create_guild(name="Other Club")
        self.channel = self.guild.create_text_channel("general")
        self.carol = self.guild.add_member(world.env.create_user("carol"))


def announced(settings) -> list:
    return db(settings, "SELECT guild_id, close_state FROM polls ORDER BY id")


async def test_a_long_rate_limit_on_one_servers_results_does_not_hold_up_another_servers(world, settings):
    """Server 1's poll results meet a 429 asking for an hour: server 2's poll, due the same minute, is announced on
    time; server 1's results follow after the back-off, once."""
    other = Other(world)
    await make_poll(world)
    r = await other.carol.slash(other.channel, "poll create", question="Best score?", options="Yes | No", hours=1)
    assert not r.ephemeral, r.response.content  # the same deadline, announced after server 1's
    discord_rate_limited(world.env, "POST", f"/channels/{world.channel.id}/messages", retry_after=HOUR)
    await world.env.advance_time(HOUR + 10)
    assert world.env.backend.rate_limited, "the fault was not met"
    assert announced(settings) == [(world.guild.id, "closing"), (other.guild.id, "announced")]
    await world.env.advance_time(60)  # the first back-off step: 30 s
    assert announced(settings) == [(world.guild.id, "announced"), (other.guild.id, "announced")]
    results = [m for m in world.channel.history() if m.author.id == world.bot.user.id and m.embeds
               and (m.embeds[0].title or "").startswith("📊 Results of")]
    assert len(results) == 1


async def test_a_game_round_held_back_by_a_long_rate_limit_is_posted_later_and_the_game_goes_on(world):
    """Round 1's reveal and round 2's post meet a 429 asking for an hour: both are retried with the game's
    back-off, posted once each; the game does not end as if Discord had refused them for good."""
    from tests.club.test_commands import start_game
    from tests.club.test_retries import reveals, round_posts

    await start_game(world, rounds=2)
    discord_rate_limited(world.env, "POST", f"/channels/{world.channel.id}/messages", retry_after=HOUR, times=2)
    await world.env.advance_time(61)
    assert len(world.env.backend.rate_limited) == 2 and reveals(world) == []
    await world.env.advance_time(600)
    assert len(reveals(world)) == 1 and len(round_posts(world, 2)) == 1 and len(reveals(world, 2)) == 1
    assert world.q("SELECT status FROM club_game_rounds ORDER BY number") == [("revealed",), ("revealed",)]


async def test_a_digest_held_back_by_a_long_rate_limit_is_posted_later(world):
    """A thread's digest meets a 429 asking for an hour: tried again with the back-off, posted once."""
    from tests.club.test_claims import digests, thread_with_replies
    from tests.helpers import DAY

    thread = await thread_with_replies(world)
    discord_rate_limited(world.env, "POST", f"/channels/{thread.id}/messages", retry_after=HOUR)
    await world.env.advance_time(DAY + 10)
    assert world.env.backend.rate_limited and digests(thread) == []
    await world.env.advance_time(HOUR)
    assert len(digests(thread)) == 1
    assert world.q("SELECT status FROM club_digests") == [("posted",)]


async def test_a_command_meeting_a_long_rate_limit_says_so_privately_and_records_nothing(world, settings):
    """/discuss's prompt meets a 429 asking for an hour: the member is told privately to try again in a few
    minutes (not made to wait an hour), and no prompt is recorded."""
    from tests.helpers import assert_ephemeral_reply

    discord_rate_limited(world.env, "POST", f"/channels/{world.channel.id}/messages", retry_after=HOUR)
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert_ephemeral_reply(r, "limiting how fast")
    assert world.env.backend.rate_limited and db(settings, "SELECT count(*) FROM posted_prompts") == [(0,)]
    assert world.channel.threads == []
