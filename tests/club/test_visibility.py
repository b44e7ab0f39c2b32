"""What the club's public cards say of channels: a staff channel's discussions stay out of a card posted where
members read it."""

from __future__ import annotations

from tests.helpers import embed_text, msgs, staff_channel

DAY = 24 * 3600


async def busy_threads(world):
    """A discussion with replies in #staff and one in #film-club, their digests counted."""
    staff = staff_channel(world)
    await world.mod.slash(staff, "discuss", theme="nostalgia")
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [hidden], [public] = staff.threads, world.channel.threads
    for text in ("one", "two", "three"):
        await world.mod.send(hidden, text)
    await world.bob.send(public, "one")
    await world.env.advance_time(DAY + 60)
    assert world.count("club_digests", "replies > 0") == 2
    return staff, hidden, public


async def test_club_stats_in_a_public_channel_leaves_out_staff_threads(world):
    """/club stats posted in #film-club, by a member or by the moderator who can see #staff, lists #film-club's
    busiest thread and never a #staff thread (its id, replies or people)."""
    _, hidden, public = await busy_threads(world)
    for member in (world.alice, world.mod):
        card = embed_text(msgs(await member.slash(world.channel, "club stats"))[0].embeds[0])
        assert f"<#{public.id}> · 1 reply, 1 people" in card, card
        assert str(hidden.id) not in card and "3 replies" not in card, card
    assert not world.env.errors


async def test_club_stats_in_the_staff_channel_lists_its_own_threads(world):
    """Posted in #staff itself, whose readers can see its threads, the card lists them."""
    staff, hidden, _ = await busy_threads(world)
    card = embed_text(msgs(await world.mod.slash(staff, "club stats"))[0].embeds[0])
    assert f"<#{hidden.id}> · 3 replies, 1 people" in card, card
    assert not world.env.errors
