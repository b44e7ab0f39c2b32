"""Removed and invited back without the bot ever seeing either (session 16): its process was down when it was removed,
ran while it was away (the poll's results given up: no channel), and was down again when it was invited back. Discord
sends neither a GUILD_DELETE nor a join then; only the bot's own member, joined later than the bot last saw, tells
(migration 237)."""

from __future__ import annotations

from tests.cross.test_faults_readded import rejoined_now, result_posts
from tests.helpers import rows as db

HOUR = 3600
DAY = 24 * HOUR


def removed_unseen(world):
    """The server as Discord has it for a bot removed while down: gone from its guilds, channels unreachable."""
    backend = world.env.backend
    guild = backend.guilds.pop(world.guild.id)
    kept = {cid: backend.channels.pop(cid) for cid in list(guild.channel_ids) + list(guild.thread_ids)}
    messages = {cid: backend.messages.pop(cid, {}) for cid in kept}

    def invited_back():
        backend.guilds[world.guild.id] = guild
        backend.channels.update(kept)
        backend.messages.update(messages)
        rejoined_now(world)
    return invited_back


async def poll_given_up_while_unseen(world, settings):
    await world.env.restart_bot()  # a start records when the bot joined (simcord's set-up sends it no join)
    assert len(db(settings, "SELECT guild_id FROM guild_memberships")) == 1
    await world.alice.slash(world.channel, "poll create", question="Best ending?", options="La La Land | Whiplash",
                            hours=2, anonymous=True)
    await world.env.shutdown()
    invited_back = removed_unseen(world)
    await world.env.start()
    await world.env.advance_time(DAY)  # the close is tried, its channel is gone: given up
    assert db(settings, "SELECT close_state FROM polls") == [("abandoned",)]
    await world.env.shutdown()
    invited_back()
    world.env.backend.advance_clock(HOUR)
    await world.env.start()


async def test_invited_back_unseen_posts_the_results_it_gave_up_once(world, settings):
    await poll_given_up_while_unseen(world, settings)
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert db(settings, "SELECT close_state FROM polls") == [("announced",)]
    posts = result_posts(world, "📊 Results of anonymous poll #1")
    assert len(posts) == 1 and "late" in (posts[0].content or "") + str(posts[0].embeds[0].to_dict())
    assert not world.env.errors


async def test_a_plain_restart_is_not_taken_for_an_invitation(world, settings):
    """Restarts without a removal change nothing: no given-up result is revived by a start alone."""
    await poll_given_up_while_unseen(world, settings)
    await world.env.advance_time(HOUR)
    announced = db(settings, "SELECT close_state FROM polls")
    for _ in range(2):
        await world.env.restart_bot()
        await world.env.advance_time(HOUR)
    assert db(settings, "SELECT close_state FROM polls") == announced
    assert len(result_posts(world, "📊 Results of anonymous poll #1")) == 1
