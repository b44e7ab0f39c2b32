"""What the club's public cards say of channels: a staff channel's discussions stay out of a card posted where
members read it."""

from __future__ import annotations

import re

import discord
from simcord.backend.models.channel import Overwrite
from simcord.enums import OverwriteType

from tests.club.test_commands import members, rate
from tests.helpers import add_review, channel_posts, embed_text, msgs, staff_channel, text_of

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


def quoted_count(card: str) -> int:
    """How many prompts the card's "Most quoted critics" counts (0 when the section is absent)."""
    return sum(int(n) for n in re.findall(r"· (\d+) prompts?\b", card))


async def prompts_in(world, staff, hidden: int, public: int) -> None:
    """Prompts quoting a named critic's review, `hidden` of them in #staff and `public` in #film-club."""
    await add_review(world, year=2014, critic="Ada Lovecritic", outlet="The Daily Reel")
    for _ in range(hidden):
        await world.mod.slash(staff, "discuss", film="Whiplash")
    for _ in range(public):
        await world.alice.slash(world.channel, "discuss", film="Whiplash")
    assert world.count("posted_prompts", "channel_id = ?", staff.id) == hidden
    assert world.count("posted_prompts", "channel_id = ?", world.channel.id) == public


async def test_club_stats_in_a_public_channel_counts_no_staff_prompt_among_quoted_critics(world):
    """#staff's prompts are not counted in #film-club's "Most quoted critics" (each one named its critic there)."""
    staff = staff_channel(world)
    await prompts_in(world, staff, hidden=3, public=1)
    card = embed_text(msgs(await world.mod.slash(world.channel, "club stats"))[0].embeds[0])
    assert quoted_count(card) == 1, card
    assert not world.env.errors


async def test_club_stats_in_the_staff_channel_counts_its_own_prompts_and_public_ones(world):
    """Posted in #staff, the card counts #staff's prompts and #film-club's (every #staff reader sees both)."""
    staff = staff_channel(world)
    await prompts_in(world, staff, hidden=3, public=1)
    card = embed_text(msgs(await world.mod.slash(staff, "club stats"))[0].embeds[0])
    assert quoted_count(card) == 4, card
    assert not world.env.errors


async def play_one_round(world, where, player) -> None:
    """A one-round game in `where`, answered by `player`, revealed."""
    result = await world.mod.slash(where, "game critic-or-club", rounds=1)
    [message] = msgs(result)
    [[round_id]] = world.q("SELECT id FROM club_game_rounds WHERE channel_id = ? AND status = 'open'", where.id)
    await player.click(message, custom_id=f"filmbot:game:answer:{round_id}:critic")
    await world.env.advance_time(61)
    assert world.q("SELECT status FROM club_game_rounds WHERE id = ?", round_id)[0][0] == "revealed"


async def game_in_staff_and_public(world):
    staff = staff_channel(world)
    for i, fan in enumerate(members(world, 3, "critic-fan")):
        await rate(fan, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await fan.slash(world.channel, "rate consent", state="on")
    staffer = world.guild.add_member(world.env.create_user("staffer"))
    see = discord.Permissions(view_channel=True).value
    world.env.backend.set_overwrite(staff.id, Overwrite(staffer.user.id, OverwriteType.MEMBER, allow=see))
    await play_one_round(world, staff, staffer)
    await play_one_round(world, world.channel, world.alice)
    return staff


async def test_game_leaderboard_in_a_public_channel_leaves_out_rounds_played_in_staff(world):
    """/game leaderboard and the last round's reveal in #film-club name no one who only played in #staff."""
    await game_in_staff_and_public(world)
    [reveal] = [m for m in channel_posts(world, world.channel) if "Leaderboard" in (m.content or "")]
    board = text_of(await world.alice.slash(world.channel, "game leaderboard"))
    for text in (reveal.content, board):
        assert "alice" in text and "staffer" not in text, text
    assert not world.env.errors


async def test_game_leaderboard_in_the_staff_channel_counts_its_own_rounds(world):
    """In #staff, the leaderboard counts #staff's rounds and #film-club's."""
    staff = await game_in_staff_and_public(world)
    board = text_of(await world.mod.slash(staff, "game leaderboard"))
    assert "alice" in board and "staffer" in board, board
    assert not world.env.errors
