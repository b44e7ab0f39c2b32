"""The playground's page opens a discussion thread from its prompt; members read and reply in it."""

from __future__ import annotations

import pytest

for _module in ("aiohttp", "markdown_it", "linkify_it", "regex", "PIL"):
    pytest.importorskip(_module, reason=f"the playground needs simcord[preview] ({_module} is missing)")

import aiohttp
import discord

from bot.playground import PageClient, build_world, open_preview


def texts(state: dict) -> list[str]:
    """Every message content and embed title/description the page shows."""
    shown = []
    for message in state["messages"].values():
        shown.append(message.get("content") or "")
        for embed in message.get("embeds") or []:
            shown += [embed.get("title") or "", embed.get("description") or ""]
    return [text for text in shown if text]


def thread_of(state: dict) -> tuple[dict, dict]:
    """The prompt carrying a thread chip, and the channel entry the page lists for that thread."""
    prompt = next(m for m in state["messages"].values() if m.get("thread"))
    entry = next(c for c in state["filmbot"]["channels"] if c["id"] == prompt["thread"]["id"])
    return prompt, entry


async def test_member_opens_the_thread_from_the_prompt_reads_and_replies(simcord_env):
    """/discuss from #film-club; its thread opens from the prompt's chip, shows the prompt, takes a reply."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview, aiohttp.ClientSession() as http:
        club = PageClient(preview.url, http)
        await club.open(world.alice.id)
        state = await club.run_command("discuss", theme="ending")
        prompt, entry = thread_of(state)
        assert entry["thread"] and not entry["current"]
        assert entry["name"] == prompt["thread"]["name"]

        thread = club.channel_page(entry["key"])
        opened = await thread.open(world.alice.id)
        assert opened["channel"]["id"] == prompt["thread"]["id"]
        assert opened["channel"]["name"] == prompt["thread"]["name"]
        assert opened["channel"]["canSendMessages"], "alice may write in the thread"
        starter = opened["filmbot"]["starter"]["message"]
        assert starter["id"] == prompt["id"], "the thread page shows the prompt it was opened from"
        assert starter["embeds"][0]["title"] == prompt["embeds"][0]["title"]
        listed = {c["id"]: c for c in opened["filmbot"]["channels"]}
        assert listed[prompt["thread"]["id"]]["current"]
        assert listed[str(world.channel.id)]["name"] == "film-club", "the way back to #film-club"

        reply = "The last shot is a promise, not a goodbye."
        after = await thread.send_message(reply)
        assert reply in texts(after), "the reply shows in the thread"
        club_now = await club.request("GET", "/api/state")
    assert reply not in texts(club_now), "and not in #film-club"
    stored = [m for m in simcord_env.backend.messages[int(prompt["thread"]["id"])].values()
              if m.author_id == world.alice.id]
    assert [m.content for m in stored] == [reply]
    assert not simcord_env.errors


async def test_slash_command_typed_in_a_thread_answers_in_the_thread(simcord_env):
    """/quote run from a thread page is answered in that thread, not in #film-club."""
    world = build_world(simcord_env)
    async with open_preview(world) as preview, aiohttp.ClientSession() as http:
        club = PageClient(preview.url, http)
        await club.open(world.bob.id)
        prompt, entry = thread_of(await club.run_command("discuss", theme="ending"))
        thread = club.channel_page(entry["key"])
        await thread.open(world.bob.id)
        state = await thread.run_command("quote", theme="nostalgia")
    assert state["reply_ids"], "the page shows the bot's answer"
    thread_id = int(prompt["thread"]["id"])
    answer = int(state["reply_ids"][0])
    assert answer in simcord_env.backend.messages[thread_id]
    assert answer not in simcord_env.backend.messages[world.channel.id]


async def test_page_lists_only_threads_the_viewer_can_see(simcord_env):
    """A private thread bob is not in is neither listed for bob nor opened by its key."""
    world = build_world(simcord_env)
    channel = simcord_env.bot.get_channel(world.channel.id)
    private = await channel.create_thread(name="mods only", type=discord.ChannelType.private_thread)
    await private.add_user(discord.Object(world.mod.id))
    async with open_preview(world) as preview, aiohttp.ClientSession() as http:
        as_bob = await PageClient(preview.url, http).open(world.bob.id)
        as_mod = await PageClient(preview.url, http).open(world.mod.id)
        key = preview.link(private.id, world.bob.id)
        denied = await PageClient(f"{preview.url.partition('/#')[0]}/#{key}", http).open(world.bob.id)
    assert "mods only" not in [c["name"] for c in as_bob["filmbot"]["channels"]]
    assert "mods only" in [c["name"] for c in as_mod["filmbot"]["channels"]]
    assert denied["status"] == "access_denied" and denied["messages"] == {}
    assert denied["filmbot"]["starter"] is None
