"""/poll: the issue-5 acceptance criteria, black box."""

from __future__ import annotations

import re

import discord
import pytest

from bot.corpus import themes_for_film
from tests.helpers import (
    HOUR,
    SPOILER_RE,
    World,
    assert_ephemeral_reply,
    bot_down_for,
    burst,
    buttons,
    create_poll,
    message_payloads,
    msg_text,
    msgs,
    results_messages,
    selects,
    text_of,
)


def tally(world: World, poll_id: int) -> dict[int, int]:
    return dict(world.q("SELECT option_id, COUNT(*) FROM poll_votes WHERE poll_id=? GROUP BY option_id", poll_id))


async def test_native_poll_votes_and_deadline_results(world: World):
    """Native poll votes and deadline results."""
    _r, new = await create_poll(world, question="Was the ending happy?", options="Happy | Sad | Both")
    polls = [m for m in new if m.poll is not None]
    assert len(polls) == 1, "a native discord.Poll was not posted"
    poll_msg = polls[0]
    assert isinstance(poll_msg.poll, discord.Poll)
    assert [a.text for a in poll_msg.poll.answers] == ["Happy", "Sad", "Both"]
    assert poll_msg.poll.question == "Was the ending happy?" or "Was the ending happy?" in str(poll_msg.poll.question)
    carol = world.guild.add_member(world.env.create_user("carol"))
    await world.alice.vote(poll_msg, answer=1)
    await world.bob.vote(poll_msg, answer=1)
    await carol.vote(poll_msg, answer=2)
    await world.env.advance_time(23 * HOUR)
    assert results_messages(world) == [], "closed before the 24 h default"
    await world.env.advance_time(1.5 * HOUR)
    res = results_messages(world)
    assert len(res) == 1, [msg_text(m)[:100] for m in world.bot_messages()]
    text = msg_text(res[0])
    assert re.search(r"Happy[\s\S]{0,40}?(67|66\.7)%[\s\S]{0,10}?\(?2\)?", text), text
    assert re.search(r"Sad[\s\S]{0,40}?(33|33\.3)%[\s\S]{0,10}?\(?1\)?", text), text
    assert re.search(r"Both[\s\S]{0,40}?0%[\s\S]{0,10}?\(?0\)?", text), text
    assert re.search(r"[█▓▒░■□=#]{3,}", text), "no text bars"
    await world.env.restart_bot()
    await world.env.advance_time(2 * HOUR)
    await world.env.restart_bot()
    assert len(results_messages(world)) == 1, "results posted again after a restart"




async def test_concurrent_50_votes_exact(world: World):
    """Concurrent 50 votes exact."""
    _r, new = await create_poll(world, question="Q?", options="A | B | C", hide_results=True)
    poll_msg = new[0]
    poll_id = world.q("SELECT id FROM polls")[0][0]
    members = [world.guild.add_member(world.env.create_user(f"crowd{i}")) for i in range(50)]
    await burst(world.env, [lambda m=m, i=i: m.click(poll_msg, label="ABC"[i % 3]) for i, m in enumerate(members)])
    assert tally(world, poll_id) == {1: 17, 2: 17, 3: 16}


async def test_single_choice_moves_and_multiple_toggles(world: World):
    """Single choice moves and multiple toggles."""
    _r, new = await create_poll(world, question="Single?", options="A | B | C", anonymous=True)
    single = new[0]
    sid = world.q("SELECT id FROM polls ORDER BY id DESC LIMIT 1")[0][0]
    await world.alice.click(single, label="A")
    await world.alice.click(single, label="B")
    assert world.q("SELECT option_id FROM poll_votes WHERE poll_id=? AND user_id=?", sid, world.alice.id) == [(2,)]
    res = await world.alice.click(single, label="B")
    assert_ephemeral_reply(res)
    assert world.q("SELECT option_id FROM poll_votes WHERE poll_id=? AND user_id=?", sid, world.alice.id) == []
    _r, new = await create_poll(world, question="Multi?", options="A | B | C", multiple=True, hide_results=True)
    multi = new[0]
    mid = world.q("SELECT id FROM polls ORDER BY id DESC LIMIT 1")[0][0]
    await world.alice.click(multi, label="A")
    res = await world.alice.click(multi, label="C")
    text = assert_ephemeral_reply(res)
    assert "A" in text and "C" in text
    assert sorted(world.q("SELECT option_id FROM poll_votes WHERE poll_id=? AND user_id=?", mid, world.alice.id)) == \
        [(1,), (3,)]
    await world.alice.click(multi, label="A")
    assert world.q("SELECT option_id FROM poll_votes WHERE poll_id=? AND user_id=?", mid, world.alice.id) == [(3,)]


async def test_hidden_poll_shows_only_voter_count_until_closed(world: World):
    """hide_results: the live message and /poll results show only how many voted; closing shows the counts."""
    r, new = await create_poll(world, question="Hidden?", options="Yes | No", hide_results=True)
    poll_msg = new[0]
    pid = world.q("SELECT id FROM polls")[0][0]
    await world.alice.click(poll_msg, label="Yes")
    await world.bob.click(poll_msg, label="Yes")
    current = next(m for m in world.channel.history() if m.id == poll_msg.id)
    text = msg_text(current)
    assert "2" in text and "100%" not in text and not re.search(r"Yes[\s\S]{0,30}?\(2\)", text), text
    assert "2 members have voted" in text and "(2)`" not in text, text
    for asker in (world.mod, world.bob):  # a moderator and a voter alike see only the count
        r = await asker.slash(world.channel, "poll results", poll=str(pid))
        text = assert_ephemeral_reply(r)
        assert "100%" not in text and not re.search(r"Yes[\s\S]{0,30}?\(2\)", text), text
        assert "2" in text and "(2)`" not in text
    r = await world.alice.slash(world.channel, "poll close", poll=str(pid))
    res = results_messages(world)
    assert len(res) == 1 and "100%" in msg_text(res[0])


async def test_restart_keeps_buttons_and_deadline_closes_once(world: World):
    """Restart keeps buttons and deadline closes once."""
    _r, new = await create_poll(world, question="Restart?", options="A | B", anonymous=True, hours=2)
    poll_msg = new[0]
    pid = world.q("SELECT id FROM polls")[0][0]
    await world.alice.click(poll_msg, label="A")
    await world.env.restart_bot()
    res = await world.bob.click(poll_msg, label="B")
    assert_ephemeral_reply(res, "B")
    assert tally(world, pid) == {1: 1, 2: 1}
    await world.env.restart_bot()
    await world.env.advance_time(2 * HOUR + 60)
    res_msgs = results_messages(world)
    assert len(res_msgs) == 1
    current = next(m for m in world.channel.history() if m.id == poll_msg.id)
    assert buttons(current) and all(b["disabled"] for b in buttons(current)), "buttons not disabled"
    assert world.q("SELECT closed_at IS NOT NULL FROM polls WHERE id=?", pid) == [(1,)]
    await world.env.restart_bot()
    await world.env.advance_time(HOUR)
    await world.env.restart_bot()
    assert len(results_messages(world)) == 1, "a restart after closing posted results again"


async def test_deadline_passes_while_bot_down_closes_once(world: World):
    """Deadline passes while bot down closes once."""
    _r, new = await create_poll(world, question="Down?", options="A | B", anonymous=True, hours=1)
    await world.alice.click(new[0], label="A")
    await bot_down_for(world.env, 3 * HOUR)
    await world.env.advance_time(60)
    assert len(results_messages(world)) == 1
    await world.env.restart_bot()
    await world.env.advance_time(60)
    assert len(results_messages(world)) == 1


async def test_results_announced_days_after_the_deadline_say_they_are_late(world: World):
    """Down for 3 days across a poll's deadline: one results message, saying when voting was due to close
    and that the results come late; results posted at the deadline carry no such line."""
    _r, new = await create_poll(world, question="On time?", options="A | B", anonymous=True, hours=1)
    await world.alice.click(new[0], label="A")
    await world.env.advance_time(HOUR + 60)
    [on_time] = results_messages(world)
    assert "late" not in on_time.embeds[0].description
    _r, new = await create_poll(world, question="Down?", options="A | B", anonymous=True, hours=1)
    deadline = int(world.env.now().timestamp()) + HOUR
    await bot_down_for(world.env, 3 * 24 * HOUR)
    await world.env.advance_time(60)
    [_, late] = results_messages(world)
    assert f"due to close <t:{deadline}:f>" in late.embeds[0].description
    assert "these results come late" in late.embeds[0].description
    assert not world.env.errors


@pytest.mark.parametrize("opts,needles", [
    ({"options": "|".join(f"o{i}" for i in range(26))}, ["25", "26"]),
    ({"options": "A | | B"}, ["empty"]),
    ({"options": "A |    "}, ["empty"]),
    ({"options": "Only one"}, ["2", "1"]),
    ({"options": "A | B | a"}, ["a"]),
    ({"options": "A | " + "x" * 56}, ["55", "56"]),
    ({"options": "A | B", "hours": 0}, ["768", "0"]),
    ({"options": "A | B", "hours": 800}, ["768", "800"]),
    ({"options": "A | B", "hours": -5}, ["-5"]),
    ({"options": "A | B", "question": "q" * 301}, ["300", "301"]),
    ({"options": "A | B", "question": "   "}, []),
    ({"options": "A | " + "y" * 81, "anonymous": True}, ["80", "81"]),
])
async def test_limit_violations_are_ephemeral_and_store_nothing(world: World, opts, needles):
    """Limit violations are ephemeral and store nothing."""
    opts.setdefault("question", "Which?")
    before = world.digest()
    n_before = len(world.bot_messages())
    r = await world.alice.slash(world.channel, "poll create", **opts)
    assert_ephemeral_reply(r, *needles)
    assert len(world.bot_messages()) == n_before, "something was posted"
    assert world.digest() == before, "something was stored"


async def test_everyone_option_shown_but_pings_nobody(world: World):
    """Everyone option shown but pings nobody."""
    _r, new = await create_poll(world, question="@everyone who is right? <@&1>", options="@everyone | @here | <@123>")
    assert new and new[0].poll is not None
    assert "@everyone" in [a.text for a in new[0].poll.answers]
    _r, new2 = await create_poll(world, question="@everyone anon", options="@everyone | **bold** ~~gone~~ | `code` [link](http://x.y)",
                                anonymous=True)
    assert new2
    shown = msg_text(new2[0]) + " ".join(b["label"] for b in buttons(new2[0]))
    assert "everyone" in shown
    desc = new2[0].embeds[0].description
    assert not re.search(r"(?<!\\)\*\*bold", desc), f"markdown not neutralised: {desc!r}"
    assert not re.search(r"(?<![\\])\[link\]\(", desc), f"masked link not neutralised: {desc!r}"
    for body in message_payloads(world.env):
        am = body.get("allowed_mentions")
        assert am is not None and am.get("parse") == [] and not am.get("roles") and not am.get("users"), am


async def test_poll_theme_has_excerpt_above_native_poll(world: World):
    """Poll theme has excerpt above native poll."""
    lala = themes_for_film(world.env.bot.themes, "La La Land", 2016)  # the bundled excerpts' film
    question, answers = lala["ending"].poll_for("La La Land")
    before = {m.id for m in world.bot_messages()}
    await world.alice.slash(world.channel, "poll theme", theme="ending")
    new = [m for m in world.bot_messages() if m.id not in before]
    polls = [m for m in new if m.poll is not None]
    assert len(polls) == 1
    assert polls[0].poll.question == question
    assert [a.text for a in polls[0].poll.answers] == list(answers)
    excerpt = [m for m in new if m.id < polls[0].id and "Unattributed review #" in msg_text(m)]
    assert excerpt, "no critic excerpt above the poll"
    assert SPOILER_RE.search(msg_text(excerpt[0])), "ending excerpt not spoiler-tagged"
    await world.alice.slash(world.channel, "poll theme", theme="nostalgia", film="La La Land")
    nostalgia = lala["nostalgia"].poll_for("La La Land")
    assert any(m.poll and m.poll.question == nostalgia[0] for m in world.bot_messages())


async def test_close_permissions_and_native_early_close(world: World):
    """Close permissions and native early close."""
    r, new = await create_poll(world, who=world.alice, question="Native?", options="X | Y | Z")
    native = next(m for m in new if m.poll)
    pid = world.q("SELECT id FROM polls ORDER BY id DESC LIMIT 1")[0][0]
    await world.bob.vote(native, answer=2)
    r = await world.bob.slash(world.channel, "poll close", poll=str(pid))
    assert_ephemeral_reply(r)
    assert results_messages(world) == [] and world.q("SELECT closed_at FROM polls WHERE id=?", pid) == [(None,)]
    r = await world.mod.slash(world.channel, "poll close", poll=str(pid))
    res = results_messages(world)
    assert len(res) == 1 and re.search(r"Y[\s\S]{0,40}?100%", msg_text(res[0])), msg_text(res[0])
    current = next(m for m in world.channel.history() if m.id == native.id)
    assert current.poll.is_finalised(), "native poll not ended on Discord"
    assert any(req.method == "POST" and req.path.endswith("/expire") for req in world.env.http_requests)
    await world.env.advance_time(25 * HOUR)
    assert len(results_messages(world)) == 1, "deadline posted a second results message"
    r = await world.mod.slash(world.channel, "poll close", poll=str(pid))
    assert_ephemeral_reply(r)
    assert len(results_messages(world)) == 1


async def test_list_and_results(world: World):
    """List and results."""
    await create_poll(world, question="Open one", options="A | B")
    await create_poll(world, question="Open two", options="A | B", anonymous=True, hours=48)
    r, _ = await create_poll(world, question="Closed", options="A | B", anonymous=True)
    closed_id = world.q("SELECT id FROM polls WHERE question='Closed'")[0][0]
    await world.alice.slash(world.channel, "poll close", poll=str(closed_id))
    r = await world.bob.slash(world.channel, "poll list")
    text = assert_ephemeral_reply(r, "Open one", "Open two")
    assert "Closed" not in text.replace("closes", "")
    assert len(re.findall(r"<t:\d+(?::[a-zA-Z])?>", text)) >= 2, "deadlines missing"
    open_id = world.q("SELECT id FROM polls WHERE question='Open two'")[0][0]
    r = await world.bob.slash(world.channel, "poll results", poll=str(open_id))
    assert_ephemeral_reply(r, "Open two")
    r = await world.bob.slash(world.channel, "poll results", poll="9999")
    assert_ephemeral_reply(r)


async def test_many_options_use_select_menu(world: World):
    """Many options use select menu."""
    opts = " | ".join(f"Film {i}" for i in range(1, 13))
    _r, new = await create_poll(world, question="Next month?", options=opts)
    assert len(new) == 1 and new[0].poll is None, "more than 10 options cannot be native"
    menus = selects(new[0])
    assert menus, "beyond 5 options a select menu is expected"
    values = [o.value for o in menus[0].options]
    assert len(values) == 12
    pid = world.q("SELECT id FROM polls")[0][0]
    res = await world.alice.select(new[0], [values[11]])
    assert_ephemeral_reply(res, "Film 12")
    assert world.q("SELECT option_id FROM poll_votes WHERE poll_id=?", pid) == [(12,)]


async def test_poll_theme_blank_theme_is_a_clean_refusal(world: World):
    """Poll theme blank theme is a clean refusal."""
    r = await world.alice.slash(world.channel, "poll theme", theme="   ")
    errors = world.env.errors
    assert errors == [], errors
    text = assert_ephemeral_reply(r)
    assert "went wrong" not in text


async def test_poll_question_lone_surrogate_is_handled(world: World):
    """Poll question lone surrogate is handled."""
    r = await world.alice.slash(world.channel, "poll create", question="\ud800lone", options="A | B")
    errors = world.env.errors
    assert errors == [], errors
    assert msgs(r) and "went wrong" not in text_of(r)
