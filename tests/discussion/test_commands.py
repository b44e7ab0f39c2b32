"""/discuss, /debate, /themes and post_prompt, driven through simcord."""

from __future__ import annotations

import asyncio
import re

import discord

from bot.corpus.passage import QuoteFilters
from bot.discussion.post import AUTO_ARCHIVE_MINUTES, post_prompt
from bot.discussion.question import strip_instructions
from bot.discussion.stance import side_of, stance
from tests.helpers import assert_no_pings, film_theme, rows, table_digest

# Every seed passage tagged `ending` uses one of these (the tagger's phrases, incl. its continuation rule).
ENDING_WORDS = (
    "ending",
    "epilogue",
    "the end",
    "final",
    "last",
    "reunite",
    "part",
    "climax",
    "husband",
    "married",
    "bitter",
)
RESTART_NOTICE = "new cycle"


def bot_prompts(world) -> list[discord.Message]:
    """The prompt messages the bot left in #film-club (thread-created notices excluded)."""
    return [m for m in world.channel.history() if m.author.id == world.bot.user.id and m.embeds]




def prompt_rows(settings) -> list:
    """Every posted prompt, oldest first."""
    return rows(settings, "SELECT * FROM posted_prompts ORDER BY id")


def spoiler_body(description: str) -> str:
    found = re.search(r"> \|\|(.+?)\|\|", description, re.DOTALL)  # the excerpt (the question is hidden too)
    assert found, "expected the excerpt behind spoiler tags"
    return found[1].lower()


async def passages(world, theme: str) -> list:
    return await world.bot.store.quotes.passages_for(QuoteFilters(theme=theme))


async def test_discuss_ending_posts_spoiler_tagged_excerpt_with_a_thread(world, settings):
    """/discuss theme:ending posts an ending excerpt behind spoiler tags and starts a warned thread on it."""
    result = await world.alice.slash(world.channel, "discuss", theme="ending")
    [message] = bot_prompts(world)
    assert any(word in spoiler_body(message.embeds[0].description) for word in ENDING_WORDS)
    [thread] = world.channel.threads
    assert thread.id == message.id and thread.name.startswith("⚠️ Spoilers")
    assert len(thread.name) <= 100
    assert result.ephemeral and result.response.content == f"Started a discussion on **The ending** in {thread_link(thread)}."
    [row] = prompt_rows(settings)
    assert row["passage_id"] in {q.passage_id for q in await passages(world, "ending")}
    assert (row["theme"], row["message_id"], row["thread_id"], row["source"]) == (
        "ending",
        message.id,
        thread.id,
        "command",
    )


def thread_link(thread) -> str:
    return f"<#{thread.id}>"


async def test_thread_has_auto_archive_set(world):
    """The prompt's thread is created with the 3-day auto-archive."""
    await world.alice.slash(world.channel, "discuss", theme="ending")
    [thread] = world.channel.threads
    assert world.bot.get_channel(thread.id).auto_archive_duration == AUTO_ARCHIVE_MINUTES


async def test_discuss_nostalgia_posts_a_nostalgia_excerpt_with_a_thread(world, settings):
    """/discuss theme:nostalgia quotes a passage tagged nostalgia, with the theme's question, in a thread."""
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [message] = bot_prompts(world)
    [row] = prompt_rows(settings)
    assert row["theme"] == "nostalgia"
    assert row["passage_id"] in {q.passage_id for q in await passages(world, "nostalgia")}
    quote = await world.bot.store.quotes.get(row["passage_id"])
    assert discord.utils.escape_markdown(quote.text[:40], as_needed=False) in message.embeds[0].description
    assert "Nostalgia" in message.embeds[0].title
    [thread] = world.channel.threads
    # a nostalgia passage that also tells the ending is hidden, and its thread warns first
    name = thread.name.removeprefix("⚠️ Spoilers: ")
    assert thread.id == message.id and name in film_theme(world.bot, "nostalgia").questions_for("La La Land")


async def test_each_nostalgia_passage_once_before_a_new_cycle(world, settings):
    """N /discuss nostalgia use N different passages; the N+1th starts a new cycle and says so."""
    pool = await passages(world, "nostalgia")
    for _ in pool:
        result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
        assert RESTART_NOTICE not in result.response.content
    used = [r["passage_id"] for r in prompt_rows(settings)]
    assert sorted(used) == sorted(q.passage_id for q in pool)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert RESTART_NOTICE in result.response.content
    assert prompt_rows(settings)[-1]["cycle"] == 2


async def test_rotation_survives_restart(world, settings):
    """The rotation is stored: after restart_bot() the remaining passages come next, then a new cycle."""
    pool = await passages(world, "nostalgia")
    half = len(pool) // 2
    for _ in range(half):
        await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    await world.env.restart_bot()
    for _ in range(len(pool) - half):
        result = await world.bob.slash(world.channel, "discuss", theme="nostalgia")
        assert RESTART_NOTICE not in result.response.content
    assert len({r["passage_id"] for r in prompt_rows(settings)}) == len(pool)
    result = await world.bob.slash(world.channel, "discuss", theme="nostalgia")
    assert RESTART_NOTICE in result.response.content


async def test_same_critic_not_twice_in_a_row_while_another_has_passages_left(world, settings):
    """Consecutive prompts repeat a critic only when every passage left in the cycle is theirs."""
    pool = {q.passage_id: q.review_id for q in await passages(world, "nostalgia")}
    for _ in pool:
        await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    used = [r["passage_id"] for r in prompt_rows(settings)]
    for i in range(1, len(used)):
        if pool[used[i]] == pool[used[i - 1]]:
            left = [pool[p] for p in pool if p not in used[:i]]
            assert set(left) == {pool[used[i]]}, f"critic repeated at prompt {i + 1} while others remained"


async def test_debate_ending_shows_two_contrasting_reviews(world, settings):
    """/debate theme:ending quotes two different reviews that take opposite sides of the question."""
    result = await world.alice.slash(world.channel, "debate", theme="ending")
    [message] = bot_prompts(world)
    description = message.embeds[0].description
    labels = re.findall(r"Unattributed review #(\d+)", description)
    assert len(labels) == 2 and labels[0] != labels[1]
    assert description.count("||") == 6  # both excerpts and the ending question
    assert strip_instructions(film_theme(world.bot, "ending").debate_question_for("La La Land")) in description
    assert "Pick a side" not in description and description.count("Take a side") == 1
    used = [r["passage_id"] for r in prompt_rows(settings)]
    quotes = [await world.bot.store.quotes.get(p) for p in used]
    assert len({q.review_id for q in quotes}) == 2
    sides = {side_of(stance(q.text, world.bot.themes["ending"])) for q in quotes}
    assert sides == {-1, 1}
    assert "⚖️ Debate: The ending" == message.embeds[0].title
    assert "debate" in result.response.content and world.channel.threads


async def test_debate_prompt_reads_with_one_heading(world):
    """/debate posts its embed alone: no "Debate on …" content line repeating the embed's title."""
    await world.alice.slash(world.channel, "debate", theme="ending")
    [message] = bot_prompts(world)
    assert message.content == ""
    assert message.embeds[0].title == "⚖️ Debate: The ending"


async def test_debate_and_discuss_share_the_rotation(world, settings):
    """Passages a debate used are not handed out again by /discuss in the same cycle."""
    pool = await passages(world, "ending")
    await world.alice.slash(world.channel, "debate", theme="ending")
    for _ in range(len(pool) - 2):
        result = await world.alice.slash(world.channel, "discuss", theme="ending")
        assert RESTART_NOTICE not in result.response.content
    assert len({r["passage_id"] for r in prompt_rows(settings)}) == len(pool)


async def test_thread_creation_denied_leaves_nothing_behind(world, settings):
    """Without Create Public Threads the invoker is told; no message stays, the rotation is unchanged."""
    channel = world.guild.create_text_channel(
        "no-threads", overwrites={world.guild.me: discord.PermissionOverwrite(create_public_threads=False)}
    )
    before = table_digest(settings)
    result = await world.alice.slash(channel, "discuss", theme="nostalgia")
    assert result.ephemeral and "Create Public Threads" in result.response.content
    assert not [m for m in channel.history() if not m.flags.ephemeral] and not channel.threads
    assert table_digest(settings) == before


async def test_send_denied_names_send_messages(world, settings):
    """Without Send Messages the invoker is told which permission is missing and nothing is written."""
    channel = world.guild.create_text_channel(
        "read-only", overwrites={world.guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    before = table_digest(settings)
    result = await world.alice.slash(channel, "debate", theme="ending")
    assert result.ephemeral and "Send Messages" in result.response.content
    assert table_digest(settings) == before


async def test_thread_failure_removes_the_prompt_and_consumes_nothing(world, settings):
    """A Discord 5xx while opening the thread deletes the posted prompt and records no rotation use."""
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=503, times=None)
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert result.ephemeral and "Nothing was posted" in result.response.content
    assert bot_prompts(world) == [] and world.channel.threads == []
    assert table_digest(settings) == before


async def test_twenty_concurrent_prompts_never_hand_out_a_passage_twice(world, settings):
    """20 simultaneous prompts in one server: every cycle uses each passage at most once."""
    # simcord runs one member action at a time, so the 20 run through post_prompt, the path
    # /discuss takes once the interaction is acknowledged.
    pool = await passages(world, "nostalgia")
    channel = world.bot.get_channel(world.channel.id)
    posted = await asyncio.gather(
        *(post_prompt(world.bot, channel, guild_id=world.guild.id, theme="nostalgia") for _ in range(20))
    )
    assert sum(p.cycle_restarted for p in posted) == (20 - 1) // len(pool)  # one restart per full cycle
    used = [(r["cycle"], r["passage_id"]) for r in prompt_rows(settings)]
    assert len(used) == 20 == len(set(used)) == len(bot_prompts(world)) == len(world.channel.threads)
    assert sorted(p for c, p in used if c == 1) == sorted(q.passage_id for q in pool)


async def test_discuss_without_theme_rotates_through_themes(world, settings):
    """With no theme, consecutive prompts take the next theme that has passages."""
    for _ in range(3):
        await world.alice.slash(world.channel, "discuss")
    themes = [r["theme"] for r in prompt_rows(settings)]
    assert len(set(themes)) == 3 and all(t in world.bot.themes for t in themes)


async def test_unknown_theme_is_refused_with_the_list(world, settings):
    """An unknown theme gets an ephemeral list of themes and posts nothing."""
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, "discuss", theme="car chases")
    assert result.ephemeral and "`nostalgia`" in result.response.content
    assert bot_prompts(world) == [] and table_digest(settings) == before


async def test_unknown_film_is_refused_with_the_films(world):
    """An unknown film is refused, naming the films that have reviews."""
    result = await world.alice.slash(world.channel, "debate", film="Whiplash")
    assert result.ephemeral and "La La Land (2016)" in result.response.content
    assert bot_prompts(world) == []


async def test_discuss_for_a_film_records_the_film(world, settings):
    """/discuss film:… limits the prompt to that film and the rotation row names it."""
    await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land (2016)")
    [row] = prompt_rows(settings)
    assert row["film"] == "La La Land (2016)" and row["film_key"].isdigit()




async def test_theme_autocomplete_lists_themes_with_passages(world):
    """Theme autocomplete offers themes with passages for the chosen film, with counts."""
    result = await world.alice.autocomplete(world.channel, "discuss", "theme", "nost", film="La La Land")
    assert [c["value"] for c in result] == ["nostalgia"]


async def test_prompts_never_ping(world):
    """Every message of /discuss and /debate goes out with no mentions allowed."""
    await world.alice.slash(world.channel, "discuss", theme="ending")
    await world.alice.slash(world.channel, "debate", theme="nostalgia")
    assert_no_pings(world.env)


async def test_post_prompt_pings_only_the_given_role(world, settings):
    """post_prompt(mention_role_id=…) starts with the role mention and allows only that role."""
    role = world.guild.create_role("Film night")
    channel = world.bot.get_channel(world.channel.id)
    posted = await post_prompt(
        world.bot, channel, guild_id=world.guild.id, theme="jazz", mention_role_id=role.id, source="schedule"
    )
    assert posted.message.content.startswith(f"<@&{role.id}>") and posted.thread is not None
    sent = [r.json for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")]
    mentions = sent[-1]["allowed_mentions"]
    assert mentions["parse"] == [] and [int(r) for r in mentions["roles"]] == [role.id]
    assert not mentions.get("users")
    assert [r["source"] for r in prompt_rows(settings)] == ["schedule"]


async def test_discuss_inside_a_thread_is_refused(world, settings):
    """Prompts start threads, so /discuss inside a thread is refused with a reason."""
    await world.alice.slash(world.channel, "discuss", theme="jazz")
    [thread] = world.channel.threads
    before = table_digest(settings)
    result = await world.alice.slash(thread, "discuss", theme="ending")
    assert result.ephemeral and "text channel" in result.response.content
    assert table_digest(settings) == before


async def test_debate_without_theme_picks_one_with_two_reviews(world, settings):
    """/debate with no theme takes the next theme whose passages span two reviews."""
    result = await world.alice.slash(world.channel, "debate")
    assert "Started a debate" in result.response.content
    used = prompt_rows(settings)
    assert len(used) == 2 and used[0]["theme"] == used[1]["theme"] and used[0]["kind"] == "debate"


def interaction_calls(world) -> list[str]:
    """The bot's interaction responses and follow-ups, in order: 'defer', 'reply' or 'followup'."""
    calls = []
    for entry in world.env.backend.http_requests:
        if entry.path.endswith("/callback"):
            calls.append("defer" if entry.json and entry.json.get("type") == 5 else "reply")
        elif entry.path.startswith("/webhooks/"):
            calls.append("followup")
    return calls


async def test_fast_prompt_answers_without_defer(world):
    """A prompt that posts at once is answered with one reply: no defer and follow-up pair."""
    world.env.backend.http_requests.clear()
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert result.ephemeral and "Started a discussion" in result.response.content
    assert interaction_calls(world) == ["reply"]


async def test_prompt_queued_behind_another_is_deferred_then_followed_up(world):
    """A prompt that must wait for another prompt of the server defers first and follows up with the link."""
    from bot.discussion.post import _guild_lock

    lock = _guild_lock(world.bot, world.guild.id)
    await lock.acquire()  # another prompt of this server is being posted
    world.bot.loop.call_later(0.3, lock.release)
    world.env.backend.http_requests.clear()
    result = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert interaction_calls(world) == ["defer", "followup"]
    assert result.ephemeral and "Started a discussion" in result.response.content
    assert len(bot_prompts(world)) == 1 and len(world.channel.threads) == 1


async def test_the_command_checks_the_permissions_discord_sends_the_same_as_the_cached_ones(world, settings):
    """/discuss checks the bot's permissions from the interaction (`app_permissions`); a scheduled prompt from
    the cached roles and overwrites (`permissions_for`). Through @everyone's and the bot's own overwrites, both
    name the same first missing permission, and a channel they both allow posts."""
    from bot.core.refusals import MissingBotPermission
    from bot.discussion.post import check_bot_permissions

    cases = {
        "no-embeds": {world.guild.default_role: discord.PermissionOverwrite(embed_links=False)},
        "no-send-threads": {world.guild.me: discord.PermissionOverwrite(send_messages_in_threads=False)},
        "bot-unseeing": {world.guild.me: discord.PermissionOverwrite(view_channel=False)},
        "allowed": {world.guild.default_role: discord.PermissionOverwrite(send_messages=False),
                    world.guild.me: discord.PermissionOverwrite(send_messages=True)},
    }
    for name, overwrites in cases.items():
        channel = world.guild.create_text_channel(name, overwrites=overwrites)
        await world.env.settle()
        cached = world.bot.get_channel(channel.id)
        try:
            check_bot_permissions(cached)
            expected = None
        except MissingBotPermission as refusal:
            expected = str(refusal)
        result = await world.alice.slash(channel, "discuss", theme="nostalgia")
        if expected is None:
            assert result.response.content.startswith("Started a discussion"), name
        else:
            assert result.ephemeral and result.response.content == expected, (name, result.response.content)
