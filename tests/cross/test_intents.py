"""The bot asks Discord only for the events it uses: members' chatter never reaches it."""

from __future__ import annotations

import discord

from bot import Settings, create_bot


def test_only_guild_and_scheduled_event_intents() -> None:
    intents = create_bot(Settings()).intents
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_scheduled_events = True
    assert intents == wanted
    assert not (intents.message_content or intents.members or intents.presences)  # nothing privileged


async def test_members_messages_are_not_delivered_but_threads_are(world) -> None:
    """A member's message costs the bot nothing (no event, no cache entry); a prompt's thread is still
    known to it (thread events come with the guilds intent)."""
    await world.alice.send(world.channel, "Anyone seen the new one?")
    bot = world.env.bot
    assert list(bot.cached_messages) == []
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    assert bot.get_channel(thread.id) is not None
    await world.bob.send(thread, "It made me miss LA.")
    assert list(bot.cached_messages) == []
