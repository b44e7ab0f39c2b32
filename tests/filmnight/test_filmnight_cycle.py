"""Film night end to end through simcord: watchlist → ranked pick → screening → reminders → spoilers.

A restart between every phase; a second server running its own film night at the same time; members
refused every moderator step.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from tests.helpers import assert_no_pings, msgs
from tests.helpers import rows as db

HOUR = 3600


def text(result) -> str:
    return "\n".join((m.content or "") + "".join(e.description or "" for e in m.embeds) for m in msgs(result))


def bot_messages(channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.bot]


def reminders(channel) -> list[str]:
    return [m.content for m in bot_messages(channel) if m.content.startswith(("⏰", "<@&"))]


async def advance_to(env, moment: datetime) -> None:
    await env.advance_time((moment - env.now()).total_seconds())


class Club:
    """A second server with its own moderator, to prove nothing leaks between servers."""

    def __init__(self, env) -> None:
        self.guild = env.create_guild(name="Other Club")
        self.channel = self.guild.create_text_channel("cinema")
        mods = self.guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(env.create_user("othermod"), roles=[mods])


# Candidates by watchlist support: 1 La La Land (3), 2 Whiplash (2), 3 Paterson (1), 4 Aftersun, 5 Tampopo.
# Twelve ballots (positions, best first), counted by hand:
#   4 × [2, 1]   4 × [1, 3]   3 × [3, 1, 2]   1 × [4]
# Round 1: LLL 4, Whiplash 4, Paterson 3, Aftersun 1, Tampopo 0 → Tampopo out (fewest).
# Round 2: LLL 4, Whiplash 4, Paterson 3, Aftersun 1           → Aftersun out; its ballot exhausts.
# Round 3: LLL 4, Whiplash 4, Paterson 3 (1 exhausted)         → Paterson out; its 3 go to LLL.
# Round 4: LLL 7, Whiplash 4 (1 exhausted): 7 > 11 / 2         → La La Land wins.
BALLOTS = [["2", "1"]] * 4 + [["1", "3"]] * 4 + [["3", "1", "2"]] * 3 + [["4"]]


async def vote(member, pick_message, ranking: list[str]):
    result = await member.select(pick_message, [ranking[0]])
    for choice in ranking[1:]:
        result = await member.select(result.response, [choice])
    assert "Your ballot" in text(result)
    return result


async def test_full_film_night_cycle(world, settings):
    env = world.env
    other = Club(env)
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")

    # ---- 1. the watchlist: six suggestions, support decides the order
    for member, film, year in (
        (world.alice, "La La Land", 2016), (world.bob, "Whiplash", 2014), (world.alice, "Paterson", 2016),
        (world.bob, "Aftersun", 2022), (world.alice, "Tampopo", 1985), (world.bob, "Yi Yi", 2000),
    ):
        assert "Added" in text(await member.slash(world.channel, "watchlist add", film=film, year=year))
    for member, film in ((world.alice, "La La Land"), (world.bob, "La La Land"), (world.mod, "La La Land"),
                         (world.alice, "Whiplash"), (world.bob, "Whiplash"), (world.alice, "Paterson")):
        await member.slash(world.channel, "watchlist support", film=film)
    # The watchlisted La La Land is the reviewed La La Land: one film row.
    assert db(settings, "SELECT count(*) FROM films WHERE title = 'La La Land'") == [(1,)]
    await other.mod.slash(other.channel, "watchlist add", film="Whiplash", year=2014)
    await other.mod.slash(other.channel, "watchlist add", film="Tampopo", year=1985)
    await env.restart_bot()

    # ---- 2. the pick: ranked choice, twelve voters
    refused = await world.alice.slash(world.channel, "filmnight pick")
    assert refused.ephemeral and "Only moderators" in text(refused)
    too_many = await world.mod.slash(world.channel, "filmnight pick", candidates=50)
    assert too_many.ephemeral and "between 2 and 25" in text(too_many)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=5, hours=2, method="ranked")
    pick_message = opened.response
    assert "ranked choice" in pick_message.embeds[0].title
    voters = [world.guild.add_member(env.create_user(f"voter{n}")) for n in range(12)]
    await vote(voters[11], pick_message, ["5"])  # changes their mind below: one ballot each
    for n, (voter, ranking) in enumerate(zip(voters, BALLOTS, strict=True)):
        if n == 6:
            await env.restart_bot()  # mid-vote: ballots and menus survive
        last = await vote(voter, pick_message, ranking)
    assert db(settings, "SELECT count(*) FROM filmnight_ballots") == [(12,)]
    await env.advance_time(2 * HOUR + 1)
    (result,) = [m for m in bot_messages(world.channel) if m.embeds and m.embeds[0].title.startswith("Results")]
    body = result.embeds[0].description
    assert "🏆 **La La Land (2016)** wins" in body
    assert "**Round 1:** La La Land (2016) 4, Whiplash (2014) 4, Paterson (2016) 3, Aftersun (2022) 1, Tampopo (1985) 0 → Tampopo (1985) eliminated" in body
    assert "**Round 2:**" in body and "→ Aftersun (2022) eliminated" in body
    assert "**Round 3:** La La Land (2016) 4, Whiplash (2014) 4, Paterson (2016) 3 (exhausted ballots: 1) → Paterson (2016) eliminated" in body
    assert "**Round 4:** La La Land (2016) 7, Whiplash (2014) 4 (exhausted ballots: 1)" in body
    assert db(settings, "SELECT winner, closed_at IS NOT NULL FROM filmnight_picks") == [(1, 1)]
    late = await voters[11].select(last.response, ["1"])  # the private 2nd-choice menu, after the close
    assert late.ephemeral and "closed" in text(late)
    await env.restart_bot()
    assert len([m for m in bot_messages(world.channel) if m.embeds and m.embeds[0].title.startswith("Results")]) == 1

    # ---- 3. the screening: 20:00 Paris on 3 January = 19:00 UTC
    assert "Only moderators" in text(await world.bob.slash(world.channel, "filmnight schedule", film="La La Land",
                                                              when="2026-01-03 20:00", where="Le Grand Rex"))
    past = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2025-12-31 20:00", where="x")
    assert past.ephemeral and "in the past" in text(past)
    unknown = await world.mod.slash(world.channel, "filmnight schedule", film="Nope Movie", when="2026-01-03 20:00", where="x")
    assert unknown.ephemeral and "Nope Movie" in text(unknown)
    assert db(settings, "SELECT count(*) FROM screenings") == [(0,)]
    done = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-03 20:00",
                                 where="Le Grand Rex, Paris")
    assert "La La Land (2016)" in text(done)
    start = datetime(2026, 1, 3, 19, 0, tzinfo=UTC)
    (event,) = env.backend.get_guild(world.guild.id).scheduled_events.values()
    assert datetime.fromisoformat(event.scheduled_start_time) == start
    assert event.entity_metadata == {"location": "Le Grand Rex, Paris"}
    shown = await world.alice.slash(world.channel, "filmnight next")
    stamp = int(start.timestamp())
    assert f"<t:{stamp}:F>" in text(shown) and f"<t:{stamp}:R>" in text(shown)
    # The second server screens something else, in UTC, at the same time.
    await other.mod.slash(other.channel, "filmnight schedule", film="Whiplash", when="2026-01-03 21:00", where="Online")
    # Spoilers wait: the ending is refused until the screening ends; other themes are fine.
    early = await world.alice.slash(world.channel, "discuss", theme="ending")
    assert early.ephemeral and "spoiler theme" in text(early) and "<t:" in text(early)
    rotation = await world.alice.slash(world.channel, "discuss")
    assert "Started a discussion" in text(rotation)
    assert db(settings, "SELECT theme, film_key FROM posted_prompts")[0][0] != "ending"
    for member in (world.alice, world.bob):
        await member.subscribe_event(event.id)
    await env.restart_bot()

    # ---- 4. reminders: 24 h and 1 h before, once each, across restarts
    await advance_to(env, datetime(2026, 1, 2, 19, 0, 30, tzinfo=UTC))
    assert len(reminders(world.channel)) == 1 and "tomorrow" in reminders(world.channel)[0]
    await env.restart_bot()
    await advance_to(env, datetime(2026, 1, 3, 18, 0, 30, tzinfo=UTC))
    assert len(reminders(world.channel)) == 2 and "in an hour" in reminders(world.channel)[1]
    await env.restart_bot()
    await advance_to(env, datetime(2026, 1, 3, 21, 0, tzinfo=UTC))  # screening running
    assert len(reminders(world.channel)) == 2
    still = await world.bob.slash(world.channel, "discuss", theme="ending")
    assert still.ephemeral and "spoiler theme" in text(still)
    await env.restart_bot()

    # ---- 5. the end: the after-screening prompt in a spoiler thread, the ending unlocked
    await advance_to(env, datetime(2026, 1, 3, 22, 0, 30, tzinfo=UTC))
    threads = [t for t in world.channel.threads if "Spoilers" in t.name]
    assert len(threads) == 1
    assert db(settings, "SELECT status, interested FROM screenings WHERE guild_id = ?", (world.guild.id,)) == [("ended", 2)]
    assert db(settings, "SELECT kind, r.status FROM screening_reminders r JOIN screenings s ON s.id = r.screening_id"
                        " WHERE s.guild_id = ? ORDER BY kind", (world.guild.id,)) == [
        ("1h", "sent"), ("24h", "sent"), ("end", "sent")]
    await env.restart_bot()
    after = await world.alice.slash(world.channel, "discuss", theme="ending")
    assert "Started a discussion" in text(after)
    history = await world.alice.slash(world.channel, "filmnight history")
    assert "La La Land (2016)" in text(history) and "2 interested" in text(history)
    assert db(settings, "SELECT status FROM watchlist w JOIN films f ON f.id = w.film_id"
                        " WHERE f.title = 'La La Land' AND w.guild_id = ?", (world.guild.id,)) == [("watched",)]
    assert len(reminders(world.channel)) == 2  # nothing re-sent after all those restarts

    # ---- the other server had its own, separate night
    other_reminders = reminders(other.channel)
    assert len(other_reminders) == 2 and all("Whiplash" in r for r in other_reminders)
    assert not any("Whiplash" in r for r in reminders(world.channel))
    audited = {row[0] for row in db(settings, "SELECT action FROM audit_log")}
    assert {"filmnight.pick", "filmnight.schedule"} <= audited
    assert_no_pings(env)
