"""Restarts as a NEW process: a brand-new bot object on the same database.

`env.restart_bot()` re-attaches the same Python object, so anything kept in memory (caches,
dicts on cogs, the scheduler's job table) survives and can hide a bug. A real restart is a new
process: here every restart builds `create_bot(settings)` again. The old object is "killed" first:
its scheduler is stopped (a dead process runs no timers) and its database connection closed.
"""

from __future__ import annotations

from datetime import UTC

import discord
import pytest

from bot import create_bot
from tests.helpers import (
    WHIPLASH,
    World,
    add_review_file,
    advance_to,
    assert_ephemeral_reply,
    bot_posts,
    daily_paris,
    export_json,
    message_payloads,
    passage_id_of,
    posted_slots,
    prompts,
    results_messages,
    rows,
    set_schedule,
    slot_rows,
    text_field,
    text_of,
)

HOUR = 3600
DAY = 24 * HOUR

REVIEW_TEXT = (
    "Whiplash is a film about a drummer and the teacher who breaks him. It is loud, cruel and very "
    "precisely cut, and its final concert is a duel that leaves nobody at peace."
)


@pytest.fixture
async def fresh(world, settings):
    """`await fresh()` restarts the env with a brand-new bot object on the same database."""
    made = []

    async def restart(*, stop_old_scheduler: bool = True):
        old = world.bot
        if stop_old_scheduler:
            await old.scheduler.stop()
        new = create_bot(settings)
        made.append(new)
        await world.env.restart_bot(new)
        assert world.bot is new and world.bot is not old
        await old.close_store()
        return new

    yield restart
    for bot in made:
        await bot.close_store()




def assert_no_errors(world) -> None:
    assert not list(world.env.errors), list(world.env.errors)


# --------------------------------------------------------------------------------------------- /quote


async def test_quote_buttons_work_on_a_new_bot_object(world, fresh):
    """"Another" and "More context" on a /quote posted before a new-process restart still answer."""
    first = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    message = first.response
    old_text = message.embeds[0].description
    await fresh()
    again = await world.bob.click(message, label="Another")
    assert not again.ephemeral and again.response.embeds[0].description
    context = await world.bob.click(message, label="More context")
    assert context.ephemeral and "Griffith Observatory" in context.response.content
    assert old_text
    assert_no_errors(world)


async def test_another_with_cached_filters_after_new_object(world, fresh, settings):
    """The same filters used before and after a restart map to the same stored query (no orphan rows)."""
    await world.alice.slash(world.channel, "quote", theme="nostalgia")
    before = rows(settings, "SELECT COUNT(*) FROM quote_queries")
    await fresh()
    again = await world.alice.slash(world.channel, "quote", theme="nostalgia")
    assert again.response.embeds[0].description
    assert rows(settings, "SELECT COUNT(*) FROM quote_queries") == before
    clicked = await world.bob.click(again.response, label="Another")
    assert clicked.response.embeds[0].description
    assert_no_errors(world)


async def test_flag_then_hide_across_new_bot_objects(world, fresh, settings):
    """Flag on a quote, new process, the moderator hides it from the queue, new process: never quoted again."""
    first = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    message = first.response
    passage = passage_id_of(settings, message)
    asked = await world.alice.click(message, label="Flag")
    await world.alice.click(asked.response, label="Wrong film")
    await fresh()
    asked = await world.bob.click(message, label="Flag")  # the button posted before the restart
    done = await world.bob.click(asked.response, label="Spoiler")
    assert "flagged as" in text_of(done)
    shown = await world.mod.slash(world.channel, "passage flagged")
    assert "2 flags" in text_of(shown)
    await fresh()
    hidden = await world.mod.click(shown.response, label="Hide 1")  # the queue opened before the restart
    assert "every server" in text_of(hidden)
    await fresh()
    for _ in range(10):
        again = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
        assert again.ephemeral or passage_id_of(settings, again.response) != passage
    assert rows(settings, "SELECT hidden FROM passage_marks WHERE passage_id = ?", (passage,)) == [(1,)]
    assert_no_errors(world)


# ---------------------------------------------------------------------------------------------- polls




async def test_button_poll_votes_and_deadline_across_new_objects(world, settings, fresh):
    """Votes count after a new-object restart (move, then removal), the deadline closes once,
    and a second new-object restart after closing posts nothing."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B | C", anonymous=True, hours=3
    )
    message = created.response.message
    await world.bob.click(message, label="A")
    await fresh()
    moved = await world.bob.click(message, label="B")
    assert moved.ephemeral and "**B**" in moved.response.content
    assert rows(settings, "SELECT option_id, user_id FROM poll_votes") == [(2, world.bob.id)]
    removed = await world.bob.click(message, label="B")
    assert "no vote" in removed.response.content
    assert rows(settings, "SELECT COUNT(*) FROM poll_votes") == [(0,)]
    await world.alice.click(message, label="C")
    await world.env.advance_time(3 * HOUR + 5)
    [results] = results_messages(world)
    assert "(1)`" in results.embeds[0].description
    components = world.channel.history()[0].components
    assert all(item.disabled for row in components for item in row.children)
    assert rows(settings, "SELECT closed_at IS NOT NULL FROM polls") == [(1,)]
    sent = len(message_payloads(world.env))
    await fresh()
    await world.env.advance_time(DAY)
    assert len(results_messages(world)) == 1 and len(message_payloads(world.env)) == sent
    assert_no_errors(world)


async def test_button_poll_deadline_passed_while_down_closes_once_on_new_object(world, settings, fresh):
    """The bot is down across a button poll's deadline: the new process closes it once."""
    created = await world.alice.slash(world.channel, "poll create", question="Q?", options="A | B", anonymous=True, hours=2
    )
    await world.bob.click(created.response.message, label="A")
    await world.bot.scheduler.stop()
    await world.env.advance_time(3 * HOUR)
    assert results_messages(world) == []
    await fresh()
    await world.env.advance_time(60)
    assert len(results_messages(world)) == 1
    await fresh()
    await world.env.advance_time(DAY)
    assert len(results_messages(world)) == 1
    assert_no_errors(world)


async def test_native_poll_results_posted_once_across_new_objects(world, settings, fresh):
    """A native poll's deadline posts results once, with a new-object restart before and after it."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Best?", options="La La Land | Whiplash | First Man", hours=2
    )
    message = created.response.message
    assert message.poll is not None
    await world.alice.vote(message, answer=2)
    await fresh()
    await world.bob.vote(message, answer=2)
    await world.env.advance_time(2 * HOUR + 5)
    [results] = results_messages(world)
    assert "(2)`" in results.embeds[0].description
    await fresh()
    await world.env.advance_time(2 * DAY)
    assert len(results_messages(world)) == 1
    assert_no_errors(world)


# -------------------------------------------------------------------------------------------- reviews






async def test_review_list_pages_on_a_new_bot_object(world, fresh):
    """/review list Prev/Next posted before a new-process restart still page."""
    await world.mod.slash(world.channel, "review import", file=("r.json", export_json(9)))
    first = await world.alice.slash(world.channel, "review list")
    assert "Page 1 of 2" in first.response.embeds[0].footer.text
    await fresh()
    second = await world.alice.click(first.response, label="Next")
    assert "Page 2 of 2" in second.response.embeds[0].footer.text
    back = await world.alice.click(second.response, label="Prev")
    assert "Page 1 of 2" in back.response.embeds[0].footer.text
    assert_no_errors(world)


async def test_review_remove_confirmation_on_a_new_bot_object(world, settings, fresh):
    """The remove confirmation works once after a new-process restart; a second click removes nothing."""
    asked = await world.mod.slash(world.channel, "review remove", review="1")
    await fresh()
    done = await world.mod.click(asked.response, label="Remove review #1")
    assert "Removed review #1" in done.response.content
    assert rows(settings, "SELECT COUNT(*) FROM reviews WHERE id = 1") == [(0,)]
    assert rows(settings, "SELECT COUNT(*) FROM passages WHERE review_id = 1") == [(0,)]
    total = rows(settings, "SELECT COUNT(*) FROM reviews")
    await fresh()
    again = await world.mod.slash(world.channel, "review remove", review="1")
    assert again.ephemeral and again.response.content
    assert not again.response.components  # nothing left to confirm
    assert rows(settings, "SELECT COUNT(*) FROM reviews") == total
    assert_no_errors(world)


async def test_review_form_opened_before_submitted_after_new_object(world, settings, fresh):
    """A /review add form opened before a new-process restart is stored once when submitted after it."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe")
    assert shown.modal is not None
    field = text_field(shown)
    before = rows(settings, "SELECT COUNT(*) FROM reviews")[0][0]
    await fresh()
    result = await world.mod.submit_modal(shown, {field: REVIEW_TEXT})
    assert result.ephemeral and "Added review" in result.response.content
    assert rows(settings, "SELECT COUNT(*) FROM reviews")[0][0] == before + 1
    assert rows(settings, "SELECT COUNT(*) FROM review_drafts") == [(0,)]
    quote = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    assert "Jane Doe" in quote.response.embeds[0].description
    assert_no_errors(world)


# ------------------------------------------------------------------------------------------ schedules










async def test_schedule_new_object_right_after_post_posts_next_slot_once(world, settings, fresh):
    """New-process restart just after a post, then past the next slot: exactly one new post."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 8, 0, 30)
    assert len(prompts(world)) == 1
    await fresh()
    await world.env.advance_time(60)
    assert len(prompts(world)) == 1
    await advance_to(world, 2026, 1, 2, 9)
    assert len(prompts(world)) == 2
    assert slot_rows(settings) == [
        ("2026-01-01T08:00:00+00:00", "posted"),
        ("2026-01-02T08:00:00+00:00", "posted"),
    ]
    assert_no_errors(world)


async def test_schedule_down_across_slot_catches_up_once_on_new_object(world, settings, fresh):
    """Down across a slot, back as a new process 2 h later: one catch-up, and nothing more after."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 7)
    await world.bot.scheduler.stop()
    await advance_to(world, 2026, 1, 1, 10)
    assert prompts(world) == []
    await fresh()
    await world.env.advance_time(60)
    [message] = prompts(world)
    assert message.created_at.astimezone(UTC).hour == 10
    [(status, reason)] = rows(settings, "SELECT status, reason FROM schedule_posts")
    assert status == "posted" and reason.startswith("catch-up")
    await fresh()
    await advance_to(world, 2026, 1, 1, 20)
    assert len(prompts(world)) == 1
    await advance_to(world, 2026, 1, 2, 8, 1)
    assert len(prompts(world)) == 2
    assert_no_errors(world)


async def test_schedule_set_after_new_object_restart_is_used(world, settings, fresh):
    """A schedule set on the new process (registered jobs on a fresh scheduler) posts at its slot."""
    await fresh()
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 8, 1)
    assert len(prompts(world)) == 1
    assert_no_errors(world)


# ------------------------------------------------------------------------------------------- /discuss


async def test_discuss_rotation_continues_across_new_objects(world, settings, fresh):
    """No nostalgia passage repeats until the theme is used up, with new-process restarts in between."""
    from bot.corpus.passage import QuoteFilters

    pool = await world.bot.store.quotes.passages_for(QuoteFilters(theme="nostalgia"))
    assert len(pool) >= 3
    for i in range(len(pool)):
        if i in (1, len(pool) // 2 + 1):
            await fresh()
        result = await world.bob.slash(world.channel, "discuss", theme="nostalgia")
        assert "new cycle" not in result.response.content
    used = [r[0] for r in rows(settings, "SELECT passage_id FROM posted_prompts ORDER BY id")]
    assert sorted(used) == sorted(q.passage_id for q in pool)
    await fresh()
    result = await world.bob.slash(world.channel, "discuss", theme="nostalgia")
    assert "new cycle" in result.response.content
    assert_no_errors(world)


# -------------------------------------------------------------------------------------------- commands


def command_puts(world) -> list:
    return [r for r in world.env.http_requests if r.method == "PUT" and "/commands" in r.path]


async def test_unchanged_commands_are_not_resynced_on_new_object(world, fresh):
    """After a new-process restart with unchanged commands there is no sync PUT."""
    before = len(command_puts(world))
    await fresh()
    assert len(command_puts(world)) == before


async def test_commands_invocable_after_new_object(world, fresh):
    """After a new-process restart the commands are registered once and still answer."""
    await fresh()
    [*_, last] = command_puts(world)
    assert {c["name"] for c in last.json} >= {"quote", "discuss", "poll", "review", "schedule", "config"}
    assert world.bot.last_import is not None and world.bot.last_import.unchanged
    result = await world.alice.slash(world.channel, "quote", theme="nostalgia")
    assert result.response.embeds[0].description
    themes = await world.alice.slash(world.channel, "themes")
    assert themes.response is not None
    assert_no_errors(world)


async def test_discuss_theme_rotation_continues_across_new_objects(world, settings, fresh):
    """/discuss with no theme: the theme order carries on after a new-process restart, as without one."""
    n = len([t for t in world.bot.themes])
    for i in range(n):
        if i == 1:
            await fresh()
        await world.alice.slash(world.channel, "discuss")
    themes = [r[0] for r in rows(settings, "SELECT theme FROM posted_prompts ORDER BY id")]
    with_passages = set(themes)
    assert len(themes) == n and len(with_passages) >= min(n, 3)
    # no theme twice before every theme that has passages was used once
    first_repeat = next((i for i, t in enumerate(themes) if t in themes[:i]), len(themes))
    assert set(themes[:first_repeat]) == with_passages
    assert_no_errors(world)


async def test_native_poll_deadline_while_down_posts_results_once_on_new_object(world, settings, fresh):
    """Down across a native poll's deadline: the new process posts its results once."""
    created = await world.alice.slash(world.channel, "poll create", question="Sequel?", options="Yes | No", hours=1)
    await world.bob.vote(created.response.message, answer=1)
    await world.bot.scheduler.stop()
    await world.env.advance_time(2 * HOUR)
    assert results_messages(world) == []
    await fresh()
    await world.env.advance_time(60)
    [results] = results_messages(world)
    assert "(1)`" in results.embeds[0].description
    await fresh()
    await world.env.advance_time(DAY)
    assert len(results_messages(world)) == 1
    assert_no_errors(world)


async def test_schedule_set_before_new_object_posts_first_slot_once(world, settings, fresh):
    """A schedule set before a new-process restart (its first slot not yet due) posts that slot once."""
    await daily_paris(world)
    await advance_to(world, 2026, 1, 1, 6)
    await fresh()
    await advance_to(world, 2026, 1, 1, 8, 1)
    assert len(prompts(world)) == 1
    await fresh()
    await advance_to(world, 2026, 1, 1, 12)
    assert len(prompts(world)) == 1
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
    assert_no_errors(world)


TEXT = (
    "Whiplash is a film about a drummer and the teacher who breaks him. It is loud, cruel and very "
    "precisely cut, and its final concert is a duel that leaves nobody at peace."
)


async def reviews(world) -> int:
    return await world.bot.store.db.fetchval("SELECT count(*) FROM reviews")


async def test_restart_during_review_modal_loses_nothing(world: World):
    """Restart during review modal loses nothing."""
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", critic="Pending Critic")
    field = r.modal["components"][0]["components"][0]
    await world.env.restart_bot()
    done = await world.mod.submit_modal(r, {field["custom_id"]: WHIPLASH})
    assert_ephemeral_reply(done, "passage")
    assert world.count("reviews", "critic='Pending Critic'") == 1


async def test_restart_while_thread_creation_fails_for_a_scheduled_prompt(world, settings):
    """The thread of a scheduled prompt fails (500), the bot restarts before the retry: one prompt, one thread."""
    await add_review_file(world, film="Whiplash", critic="Jane Doe")
    sid = await set_schedule(world, time="00:30", thread=True)
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=500, times=1)
    await world.env.advance_time(31 * 60)
    await world.env.restart_bot()
    await world.env.advance_time(15 * 60)
    posts = bot_posts(world)
    assert len(posts) == 1, [p.content[:50] for p in posts]
    assert posted_slots(settings, sid) and len(posted_slots(settings, sid)) == 1
    threads = [m for m in world.channel.history() if m.type is discord.MessageType.thread_created]
    assert len(threads) == 1


async def test_restart_while_discuss_thread_creation_fails(world, settings):
    """Restart while discuss thread creation fails."""
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=500, times=1)
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert r.ephemeral and "nothing was posted" in text_of(r).lower()
    await world.env.restart_bot()
    assert not bot_posts(world)
    assert rows(settings, "SELECT COUNT(*) FROM posted_prompts") == [(0,)]
    again = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert len(bot_posts(world)) == 1 and "error code" not in text_of(again)
    assert rows(settings, "SELECT COUNT(*) FROM posted_prompts") == [(1,)]


async def test_review_form_submitted_after_restart_is_stored_once(world):
    """A /review add form open across a restart is stored on submit, exactly once."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe")
    assert shown.modal is not None
    before = await reviews(world)
    await world.env.restart_bot()
    result = await world.mod.submit_modal(shown, {text_field(shown): TEXT})
    assert result.ephemeral and "Added review" in result.response.content
    assert await reviews(world) == before + 1
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM review_drafts") == 0
    quote = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    assert "Jane Doe" in quote.response.embeds[0].description


async def test_refused_form_stores_nothing(world):
    """An empty text is refused with a reason; no review is stored and the spent draft is gone."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash")
    refused = await world.mod.submit_modal(shown, {text_field(shown): "   "})
    assert refused.ephemeral and await reviews(world) == 3
    assert "empty" in refused.response.content.lower()
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM review_drafts") == 0


async def test_remove_confirmation_survives_restart(world):
    """The remove confirmation button still works after a restart, once."""
    asked = await world.mod.slash(world.channel, "review remove", review="1")
    await world.env.restart_bot()
    done = await world.mod.click(asked.response, label="Remove review #1")
    assert "Removed review #1" in done.response.content
    assert await world.bot.store.db.fetchval("SELECT count(*) FROM reviews WHERE id = 1") == 0
    assert await world.bot.store.db.fetchval(
        "SELECT count(*) FROM passages WHERE review_id = 1"
    ) == 0


async def test_commands_registered_without_hidden_permissions_are_resynced(world, fresh):
    """A server still holding the commands as registered before /passage was hidden gets them synced again."""
    registered = world.env.backend.commands[None]
    for key, command in registered.items():
        if command["name"] == "passage":
            registered[key] = {**command, "default_member_permissions": None}
    before = len(command_puts(world))
    await fresh()
    assert len(command_puts(world)) == before + 1
    [passage] = [c for c in command_puts(world)[-1].json if c["name"] == "passage"]
    assert int(passage["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
