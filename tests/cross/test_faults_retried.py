"""discord.py's own retries (`discord_fault(..., retried=True)`): Discord made the message, answered 5xx, and
discord.py sent the same create again, which succeeded. The bot sees one success; without an enforced nonce
Discord would have made two messages. Every timed post carries one (bot/core/nonce.py): made once."""

from __future__ import annotations

from tests.cross.test_faults_applied import posts
from tests.cross.test_faults_filmnight import open_pick, reminders, results, schedule
from tests.cross.test_faults_polls import make_poll, results_posted
from tests.faults import discord_fault
from tests.helpers import advance_to, prompts, slot_rows
from tests.helpers import rows as db

HOUR = 3600


async def test_a_scheduled_prompt_retried_by_discord_py_is_posted_once(world, settings):
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", posts(world), 502, retried=True)
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]
    assert db(settings, "SELECT DISTINCT message_id FROM posted_prompts") == [(prompt.id,)]


async def test_poll_results_retried_by_discord_py_are_posted_once(world, settings):
    poll_id = await make_poll(world)
    discord_fault(world.env, "POST", posts(world), 502, retried=True)
    await world.env.advance_time(3 * HOUR)
    assert await results_posted(world, settings, poll_id) == 1


async def test_pick_results_retried_by_discord_py_are_posted_once(world, settings):
    await open_pick(world)
    discord_fault(world.env, "POST", posts(world), 500, retried=True)
    await world.env.advance_time(3 * HOUR)
    assert len(results(world)) == 1


async def test_a_reminder_retried_by_discord_py_is_sent_once(world, settings):
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 18, 59)
    discord_fault(world.env, "POST", posts(world), 504, retried=True)
    await world.env.advance_time(HOUR)
    assert len(reminders(world)) == 2, reminders(world)


async def test_the_after_screening_prompt_retried_by_discord_py_is_posted_once(world, settings):
    await schedule(world)
    await advance_to(world, 2026, 1, 5, 22, 59)
    discord_fault(world.env, "POST", posts(world), 502, retried=True)
    await world.env.advance_time(HOUR)
    after = [m for m in world.channel.history() if m.author.bot and m.embeds]
    assert len(after) == 1, [m.embeds[0].footer.text for m in after]


async def test_a_game_round_and_reveal_retried_by_discord_py_are_posted_once(world, settings):
    from tests.club.test_commands import members, rate

    for i, member in enumerate(members(world, 3, "critic-fan")):
        await rate(member, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await member.slash(world.channel, "rate consent", state="on")
    await world.mod.slash(world.channel, "game critic-or-club", rounds=2)
    discord_fault(world.env, "POST", posts(world), 502, retried=True, times=None)  # every round and reveal
    await world.env.advance_time(600)
    shown = [m.content for m in world.bot_messages() if (m.content or "").startswith("🎭 Round")]
    assert len(shown) == len(set(shown)) == 2, shown
    rounds = [m for m in world.bot_messages() if m.components]
    assert len(rounds) == 2, [m.embeds[0].title if m.embeds else m.content for m in rounds]


async def test_an_event_create_retried_by_discord_py_leaves_one_event(world, settings):
    """Event creates carry no nonce: discord.py's retry makes a second event; the bot must not leave two."""
    from tests.cross.test_faults_filmnight import events, text

    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    discord_fault(world.env, "POST", f"/guilds/{world.guild.id}/scheduled-events", 502, retried=True)
    result = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00",
                                   where="Club room")
    assert "is scheduled" in text(result), text(result)
    [event] = events(world)
    assert db(settings, "SELECT event_id, status FROM screenings") == [(event.id, "scheduled")]


async def test_a_prompt_thread_create_retried_by_discord_py_is_kept(world, settings):
    """The thread is made, 502, discord.py's retry: Discord refuses a second thread on the message."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="08:00", timezone="UTC")
    discord_fault(world.env, "POST", f"{posts(world)}/*/threads", 502, retried=True)
    await advance_to(world, 2026, 1, 1, 9)
    [prompt] = prompts(world)
    assert [t.id for t in world.channel.threads] == [prompt.id]
    assert slot_rows(settings) == [("2026-01-01T08:00:00+00:00", "posted")]


async def test_a_theme_poll_followup_retried_by_discord_py_is_shown_once(world, settings):
    """/poll theme's poll is a follow-up (a webhook: no nonce): discord.py's retry would show it twice."""
    from tests.cross.test_faults_applied import polls_shown

    discord_fault(world.env, "POST", "/webhooks/*", 502, retried=True)
    await world.alice.slash(world.channel, "poll theme", theme="ending")
    shown = polls_shown(world)
    assert len(shown) == 1, len(shown)
    assert db(settings, "SELECT message_id FROM polls") == [(shown[0].id,)]
