"""The pick message's "Ballots so far: N" follows the votes (debounced edits) and a moderator closes early."""

from __future__ import annotations

from tests.helpers import burst, text_of


def edits_of(env, message_id: int) -> list:
    return [r for r in env.http_requests if r.method == "PATCH" and r.path.endswith(f"/messages/{message_id}")]


async def open_pick(world):
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=2, method="single")
    return opened.response


def count_shown(world, message_id: int) -> str:
    [message] = [m for m in world.channel.history() if m.id == message_id]
    return message.embeds[0].description


async def test_ballot_count_follows_votes_with_at_most_one_edit_per_six_seconds(world):
    """30 votes in a burst: the count reaches 30 within a few seconds, in a handful of edits, never a flood."""
    env = world.env
    pick = await open_pick(world)
    voters = [world.guild.add_member(env.create_user(f"v{n}")) for n in range(30)]
    await voters[0].select(pick, ["1"])
    assert "Ballots so far: 1." in count_shown(world, pick.id)  # the first vote after a quiet spell: at once
    await burst(env, [lambda v=v: v.select(pick, ["2"]) for v in voters[1:]])
    before = len(edits_of(env, pick.id))
    await env.advance_time(7)
    assert "Ballots so far: 30." in count_shown(world, pick.id)
    assert len(edits_of(env, pick.id)) - before <= 2  # 29 votes, at most two edits
    assert not env.errors


async def test_moderator_closes_a_pick_early_with_the_final_count(world):
    """/filmnight close-pick: results now, the final count on the message, members refused, a second close refused."""
    env = world.env
    pick = await open_pick(world)
    await world.alice.select(pick, ["2"])
    await world.bob.select(pick, ["2"])
    refused = await world.alice.slash(world.channel, "filmnight close-pick")
    assert refused.ephemeral and "Only moderators" in text_of(refused)
    closed = await world.mod.slash(world.channel, "filmnight close-pick")
    assert closed.ephemeral and "Closed pick" in text_of(closed)
    shown = count_shown(world, pick.id)
    [(pick_id,)] = world.q("SELECT id FROM filmnight_picks")
    assert f"Voting closed: 2 ballots in all; the result is posted as “Results of pick #{pick_id}”." in shown
    assert "Choose one film below" not in shown  # no invitation to a menu that takes no more votes
    results = [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Results")]
    assert len(results) == 1 and "Whiplash" in results[0].embeds[0].description
    again = await world.mod.slash(world.channel, "filmnight close-pick")
    assert again.ephemeral and "No pick is open" in text_of(again)
    await env.advance_time(3 * 3600)
    assert len([m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Results")]) == 1
    assert world.q("SELECT action FROM audit_log WHERE action = 'filmnight.pick.close'") == [("filmnight.pick.close",)]


async def test_a_count_edit_failing_with_a_5xx_is_tried_again(world):
    """One 503 on the count's edit: the count is shown after the next 6 s, not left stale until another vote."""
    from tests.faults import discord_fault

    pick = await open_pick(world)
    discord_fault(world.env, "PATCH", f"/channels/{world.channel.id}/messages/{pick.id}", 503)
    await world.alice.select(pick, ["1"])
    assert "Ballots so far: 1." not in count_shown(world, pick.id)
    await world.env.advance_time(7)
    assert "Ballots so far: 1." in count_shown(world, pick.id)
