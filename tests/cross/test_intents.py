"""The bot asks Discord only for the events it uses: no reactions, typing, DMs or voice."""

from __future__ import annotations

import discord

from bot import Settings, create_bot


def test_only_guild_and_scheduled_event_intents() -> None:
    intents = create_bot(Settings()).intents
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_scheduled_events = True
    assert intents == wanted
    assert not (intents.message_content or intents.members or intents.presences)  # nothing privileged


async def test_reactions_are_not_delivered_and_threads_are_known(world) -> None:
    """A member's reaction reaches no handler (no reaction intent), while a prompt's thread is known to
    the bot (thread events come with the guilds intent) and a digest still counts reactions over REST."""
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    bot = world.env.bot
    assert bot.get_channel(thread.id) is not None
    seen: list[object] = []

    async def on_raw_reaction_add(payload: object) -> None:
        seen.append(payload)

    bot.add_listener(on_raw_reaction_add)
    reply = await world.bob.send(thread, "It made me miss LA.")
    await world.alice.react(reply, "👍")
    assert seen == []
