"""Channel types and missing channel permissions, for every command that posts."""

from __future__ import annotations

import discord
import pytest
from simcord import ChannelHandle, OptionError

from tests.helpers import (
    assert_ephemeral_reply,
    channel_posts,
    message_payloads,
    public_reply,
    rows,
    table_digest,
    text_of,
)


def handle(world, channel_model) -> ChannelHandle:
    return ChannelHandle(world.env, world.guild, channel_model)


def make_thread(world, parent, name: str = "side-chat") -> ChannelHandle:
    return handle(world, world.env.backend.create_thread(parent.id, name, world.alice.id))


def _muted_channel(world):
    """The bot may read but neither send nor embed links here."""
    return world.guild.create_text_channel("muted", overwrites={
        world.guild.me: discord.PermissionOverwrite(send_messages=False, embed_links=False)})


@pytest.mark.parametrize("where", ["thread", "forum post", "voice", "stage"])
@pytest.mark.parametrize("command", ["discuss", "debate"])
async def test_prompts_outside_a_text_channel_are_refused_and_use_nothing(world, settings, where, command):
    """Prompts outside a text channel are refused and use nothing."""
    env, guild = world.env, world.guild
    if where == "thread":
        channel = make_thread(world, world.channel)
    elif where == "forum post":
        channel = make_thread(world, guild.create_forum_channel("reviews-forum"), "post")
    elif where == "voice":
        channel = guild.create_voice_channel("screening-room")
    else:
        channel = guild.create_stage_channel("stage")
    before = table_digest(settings)
    sent_before = len(message_payloads(env))
    r = await world.alice.slash(channel, command, theme="ending")
    assert_ephemeral_reply(r, "text channel")
    assert table_digest(settings) == before
    assert len(message_payloads(env)) == sent_before + 1  # only the refusal
    assert not env.errors


async def test_prompt_in_an_announcement_channel_works(world, settings):
    """Prompt in an announcement channel works."""
    news = world.guild.create_news_channel("announcements")
    assert_ephemeral_reply(await world.alice.slash(news, "discuss", theme="ending"), "Started a discussion")
    assert len(channel_posts(world, news)) == 1 and len(news.threads) == 1


@pytest.mark.parametrize("kind", ["thread", "forum", "voice", "stage", "category"])
@pytest.mark.parametrize("command,options", [
    ("schedule set", {"time": "09:00"}),
    ("config log-channel", {}),
])
async def test_channel_options_only_accept_text_and_announcement_channels(world, settings, kind, command, options):
    """Discord's picker never offers other channel types: the options declare channel_types [text, news],
    which simcord enforces like Discord does. Nothing reaches the bot, nothing is stored."""
    guild = world.guild
    channel = {
        "thread": lambda: make_thread(world, world.channel),
        "forum": lambda: guild.create_forum_channel("forum"),
        "voice": lambda: guild.create_voice_channel("voice"),
        "stage": lambda: guild.create_stage_channel("stage"),
        "category": lambda: guild.create_category("Films"),
    }[kind]()
    before = table_digest(settings)
    with pytest.raises(OptionError, match=r"only allows channel types \[0, 5\]"):
        await world.mod.slash(world.channel, command, channel=channel, **options)
    assert table_digest(settings) == before


async def test_schedule_in_an_announcement_channel_is_accepted(world, settings):
    """Schedule in an announcement channel is accepted."""
    news = world.guild.create_news_channel("announcements")
    r = await world.mod.slash(world.channel, "schedule set", channel=news, time="09:00")
    assert_ephemeral_reply(r, "Schedule set")
    assert rows(settings, "SELECT channel_id FROM schedules") == [(news.id,)]


async def test_quote_is_an_interaction_reply_so_it_works_without_send_messages(world, settings):
    """On Discord an interaction reply needs no Send Messages; simcord models that (the callback route
    is not permission-gated) and does not model Embed Links at all, so only the first part is tested."""
    muted = _muted_channel(world)
    r = await world.alice.slash(muted, "quote", theme="jazz")
    assert "Jazz" in public_reply(r)
    assert not world.env.errors
    assert not [q for q in world.env.http_requests if q.method == "POST" and q.path.endswith(f"/channels/{muted.id}/messages")]


async def test_prompt_without_send_messages_names_the_permission(world, settings):
    """Prompt without send messages names the permission."""
    muted = _muted_channel(world)
    before = table_digest(settings)
    assert_ephemeral_reply(await world.alice.slash(muted, "discuss"), "Send Messages")
    assert table_digest(settings) == before and channel_posts(world, muted) == []


async def test_poll_without_send_messages_is_refused_since_its_results_could_never_be_posted(world, settings):
    """A poll where the bot cannot send is refused privately (naming Send Messages) and nothing is stored."""
    muted = _muted_channel(world)
    assert_ephemeral_reply(
        await world.alice.slash(muted, "poll create", question="Best?", options="a|b", anonymous=True),
        "Send Messages",
    )
    assert channel_posts(world, muted) == []
    assert rows(settings, "SELECT count(*) FROM polls")[0][0] == 0


async def test_closing_a_poll_where_the_bot_cannot_post_does_not_claim_results_were_posted(world, settings):
    """Closing a poll after the bot lost Send Messages does not claim the results were posted."""
    await world.alice.slash(world.channel, "poll create", question="Best?", options="a|b", anonymous=True)
    # The bot loses Send Messages after the poll was created (creation in such a channel is refused).
    await world.bot.get_channel(world.channel.id).set_permissions(
        world.bot.get_guild(world.guild.id).me, send_messages=False, embed_links=False)
    r = await world.alice.slash(world.channel, "poll close", poll="1")
    results_posted = rows(settings, "SELECT results_message_id FROM polls")[0][0] is not None
    assert results_posted or "results are posted" not in text_of(r), text_of(r)


async def test_game_and_pick_where_the_bot_cannot_post_are_refused_and_store_nothing(world, settings):
    """/game critic-or-club, /filmnight pick and /filmnight schedule where the bot cannot send are refused privately,
    naming Send Messages: their first message is the reply, but the next rounds, the pick's result and the
    screening's reminders would fail to post."""
    from tests.club.test_commands import members, rate

    for i, fan in enumerate(members(world, 3, "critic-fan")):
        await rate(fan, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await fan.slash(world.channel, "rate consent", state="on")
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    muted = _muted_channel(world)
    before = table_digest(settings)
    assert_ephemeral_reply(await world.mod.slash(muted, "game critic-or-club", rounds=3), "Send Messages")
    assert_ephemeral_reply(await world.mod.slash(muted, "filmnight pick", candidates=3), "Send Messages")
    assert_ephemeral_reply(await world.mod.slash(muted, "filmnight schedule", film="Whiplash", when="2026-01-03 20:00",
                                                 where="The back room"), "Send Messages")
    assert table_digest(settings) == before and channel_posts(world, muted) == []


@pytest.mark.parametrize("command,options", [
    ("poll create", {"question": "Best?", "options": "a|b", "anonymous": True}),
    ("game critic-or-club", {"rounds": 1}),
    ("filmnight pick", {"candidates": 2}),
    ("filmnight schedule", {"film": "Whiplash", "when": "2026-01-03 20:00", "where": "The back room"}),
])
async def test_commands_that_post_later_refuse_a_forum_channel_and_store_nothing(world, settings, command, options):
    """A forum channel takes posts, not messages: a poll's results, a game's rounds, a pick's result and a screening's
    reminders could never be posted there (their jobs retried for ever). Refused privately, nothing stored."""
    from tests.club.test_commands import members, rate

    for i, fan in enumerate(members(world, 3, "critic-fan")):
        await rate(fan, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await fan.slash(world.channel, "rate consent", state="on")
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.mod.slash(world.channel, "watchlist add", film=film, year=year)
    forum = world.guild.create_forum_channel("reviews-forum")
    before = table_digest(settings)
    assert_ephemeral_reply(await world.mod.slash(forum, command, **options), "forum channel takes posts")
    assert table_digest(settings) == before
    await world.env.advance_time(3 * 24 * 3600)
    assert table_digest(settings) == before and not world.env.errors
