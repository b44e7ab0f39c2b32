"""/poll through simcord: native polls, durable button polls, closing exactly once, limits, no pings."""

from __future__ import annotations

from simcord import actors as sim_actors
from simcord import interactions as sim_interactions
from simcord.backend import serializers as sim_serializers
from simcord.enums import ComponentType, InteractionType
from simcord.results import InteractionResult

from bot.corpus import themes_for_film
from tests.helpers import assert_no_pings, buttons, message_payloads, results_messages, rows, table_digest

HOUR = 3600






def poll_id_of(settings, message_id: int) -> int:
    return rows(settings, "SELECT id FROM polls WHERE message_id = ?", (message_id,))[0][0]


async def click_burst(env, clicks) -> list[InteractionResult]:
    """Deliver every (member, message, label) click before the bot handles any of them.

    simcord's public click() settles after each interaction and refuses overlapping operations
    ("operation overlaps active click"), so asyncio.gather(click, click) cannot race. This queues all
    INTERACTION_CREATE events first and settles once, which is what a gateway delivering a burst of
    double-clicks and simultaneous voters looks like to the bot: their handlers interleave.
    """
    env._begin_operation("click_burst")
    records = []
    try:
        for member, message, label in clicks:
            stored = sim_actors._visible_message(member, message)
            button = sim_actors._find_component(
                stored.components, types=(ComponentType.BUTTON,), custom_id=None, label=label
            )
            record, payload = sim_interactions.base_payload(
                env.backend,
                type=InteractionType.MESSAGE_COMPONENT,
                channel_id=stored.channel_id,
                guild_id=member.guild.id,
                user_id=member.id,
                data={"custom_id": button["custom_id"], "component_type": ComponentType.BUTTON},
            )
            payload["message"] = dict(sim_serializers.message_payload(env.backend, stored))
            record.source_message_id = stored.id
            env._notify_dispatch_observers(record)
            env.backend.emit("INTERACTION_CREATE", payload)
            records.append(record)
        await env._settle_internal(dispatch="click_burst")
    finally:
        env._end_operation()
    return [InteractionResult(env, record) for record in records]


async def test_native_poll_results_posted_once_after_deadline(world, settings):
    """A 3-option /poll create is a native poll; after its deadline one results message has the counts."""
    created = await world.alice.slash(
        world.channel,
        "poll create",
        question="Best number?",
        options="La La Land | Whiplash | First Man",
        hours=2,
    )
    message = created.response.message
    assert message.poll is not None and [a.text for a in message.poll.answers] == [
        "La La Land",
        "Whiplash",
        "First Man",
    ]
    assert rows(settings, "SELECT kind, closed_at FROM polls") == [("native", None)]
    await world.alice.vote(message, answer=1)
    await world.bob.vote(message, answer=1)
    await world.mod.vote(message, answer=3)
    await world.env.advance_time(2 * HOUR + 5)
    results = results_messages(world)
    assert len(results) == 1
    text = results[0].embeds[0].description
    assert "`███████░░░ 67% (2)`" in text and "`░░░░░░░░░░ 0% (0)`" in text and "`███░░░░░░░ 33% (1)`" in text
    assert rows(settings, "SELECT closed_by, closed_at IS NOT NULL FROM polls") == [(None, 1)]
    await world.env.advance_time(48 * HOUR)
    assert len(results_messages(world)) == 1


async def test_a_refused_poll_quotes_its_question_and_options_back(world, settings):
    """One option is refused; the question and the options typed come back in the refusal, nothing stored."""
    before = table_digest(settings)
    r = await world.alice.slash(world.channel, "poll create", question="Best **Nolan** film?", options="Memento")
    said = r.response.content
    assert r.ephemeral and "**question:** Best \\*\\*Nolan\\*\\* film?\n**options:** Memento" in said
    assert table_digest(settings) == before


async def test_native_poll_closed_early_ends_it_and_posts_results(world, settings):
    """/poll close on a native poll ends it on Discord and posts the same results message."""
    created = await world.alice.slash(world.channel, "poll create", question="Sequel?", options="Yes | No")
    message = created.response.message
    await world.bob.vote(message, answer=2)
    poll_id = poll_id_of(settings, message.id)
    closed = await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    assert closed.ephemeral and "Closed poll" in closed.response.content
    assert any(r.path.endswith(f"/polls/{message.id}/expire") for r in world.env.http_requests)
    [results] = results_messages(world)
    assert "`██████████ 100% (1)`" in results.embeds[0].description
    assert rows(settings, "SELECT closed_by FROM polls") == [(world.alice.id,)]


async def test_results_of_a_poll_nobody_voted_in_say_so_and_keep_the_options(world, settings):
    """/poll results with no votes: "Nobody voted yet" (then "Nobody voted" once closed), the options listed, no 0 % bars."""
    created = await world.alice.slash(world.channel, "poll create", question="Sequel?", options="Yes | No | Maybe",
                                      anonymous=True)  # a button poll: /poll results reads its tally
    poll_id = poll_id_of(settings, created.response.message.id)
    for expected in ("Nobody voted yet.", "Nobody voted."):
        shown = await world.alice.slash(world.channel, "poll results", poll=str(poll_id))
        description = shown.response.embeds[0].description
        assert shown.ephemeral and expected in description, description
        assert "**1.** Yes\n**2.** No\n**3.** Maybe" in description and "0%" not in description and "░" not in description
        await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    [results] = results_messages(world)
    assert "Nobody voted." in results.embeds[0].description and "0%" not in results.embeds[0].description


async def test_anonymous_button_poll_tally_is_exact_under_bursts(world, settings):
    """30 members vote in bursts (changes, double and triple clicks): the tally is exact, no voter named."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Ending?", options="Happy | Sad | Both", anonymous=True
    )
    message = created.response.message
    labels = [b["label"] for b in buttons(message)]
    assert message.poll is None and labels == ["Happy", "Sad", "Both"], "an anonymous poll is a button poll"
    members = [world.guild.add_member(world.env.create_user(f"member{i}")) for i in range(30)]
    first = [(m, message, "Happy" if i % 3 == 0 else "Sad") for i, m in enumerate(members[:20])]
    first += [(m, message, "Both") for m in members[20:25] for _ in range(2)]  # double-click: net no vote
    first += [(m, message, "Both") for m in members[25:] for _ in range(3)]  # triple-click: net one vote
    answers = await click_burst(world.env, first)
    assert all(a.ephemeral for a in answers)
    moved = [(m, message, "Both") for m in members[:6]]  # change their minds, all at once
    await click_burst(world.env, moved)
    intended = {1: 0, 2: 0, 3: 0}
    for i, _ in enumerate(members[:20]):
        intended[3 if i < 6 else (1 if i % 3 == 0 else 2)] += 1
    intended[3] += 5
    stored = dict(rows(settings, "SELECT option_id, COUNT(*) FROM poll_votes GROUP BY option_id"))
    assert stored == intended
    assert rows(settings, "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM poll_votes") == [(25, 25)]
    live = world.channel.history()[0].embeds[0].description  # the public message shows the final state
    assert f"({intended[3]})`" in live and "25 votes" in live
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id_of(settings, message.id)))
    [results] = results_messages(world)
    shown = results.embeds[0].description + str(results.embeds[0].fields)
    assert f"({intended[1]})`" in shown and f"({intended[2]})`" in shown
    assert not any(m.name in shown or str(m.id) in shown for m in members) and "<@" not in shown


async def test_anonymous_results_command_names_no_voter(world, settings):
    """/poll results on an anonymous poll shows counts only, even to a moderator."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B", anonymous=True
    )
    await world.bob.click(created.response.message, label="A")
    shown = await world.mod.slash(
        world.channel, "poll results", poll=str(poll_id_of(settings, created.response.id))
    )
    assert shown.ephemeral
    text = str(shown.response.embeds[0].to_dict())
    assert "(1)`" in text and str(world.bob.id) not in text and "bob" not in text


async def test_click_confirms_moves_and_removes_single_choice(world, settings):
    """A click says what is recorded; another option moves the vote; the same option again removes it."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B", hide_results=True
    )
    message = created.response.message
    first = await world.bob.click(message, label="A")
    assert first.ephemeral and "Your vote is now **A**" in first.response.content
    moved = await world.bob.click(message, label="B")
    assert "**B**" in moved.response.content
    assert rows(settings, "SELECT option_id FROM poll_votes") == [(2,)]
    removed = await world.bob.click(message, label="B")
    assert "no vote" in removed.response.content
    assert rows(settings, "SELECT COUNT(*) FROM poll_votes") == [(0,)]




async def test_multiple_choice_toggles(world, settings):
    """multiple: each click adds or removes that option; the reply lists every recorded choice."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B | C", multiple=True, anonymous=True
    )
    message = created.response.message
    await world.bob.click(message, label="A")
    both = await world.bob.click(message, label="C")
    assert "**A**, **C**" in both.response.content
    await world.bob.click(message, label="A")
    assert rows(settings, "SELECT option_id FROM poll_votes") == [(3,)]


async def test_select_menu_poll_beyond_five_options(world, settings):
    """More than 5 options: a select menu, and a pick records that option."""
    options = " | ".join(f"Film {i}" for i in range(1, 13))
    created = await world.alice.slash(world.channel, "poll create", question="Next month?", options=options)
    picked = await world.bob.select(created.response.message, ["7"])
    assert "**Film 7**" in picked.response.content
    assert rows(settings, "SELECT kind FROM polls") == [("buttons",)]
    assert rows(settings, "SELECT option_id, user_id FROM poll_votes") == [(7, world.bob.id)]


async def test_button_poll_survives_restarts_and_closes_once(world, settings):
    """After restart_bot clicks still count, the deadline closes once, a second restart posts nothing."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B", anonymous=True, hours=3
    )
    message = created.response.message
    await world.bob.click(message, label="A")
    await world.env.restart_bot()
    after = await world.alice.click(message, label="B")
    assert "**B**" in after.response.content
    assert dict(rows(settings, "SELECT option_id, COUNT(*) FROM poll_votes GROUP BY 1")) == {1: 1, 2: 1}
    await world.env.advance_time(3 * HOUR + 5)
    assert len(results_messages(world)) == 1
    components = world.channel.history()[0].components
    assert all(button.disabled for row in components for button in row.children)
    sent = len(message_payloads(world.env))
    await world.env.restart_bot()
    await world.env.advance_time(24 * HOUR)
    assert len(results_messages(world)) == 1 and len(message_payloads(world.env)) == sent


async def test_close_refused_for_other_members_and_allowed_for_moderator(world, settings):
    """Only the creator or a moderator may close a poll."""
    created = await world.alice.slash(
        world.channel, "poll create", question="Q?", options="A | B", anonymous=True
    )
    poll_id = str(poll_id_of(settings, created.response.id))
    refused = await world.bob.slash(world.channel, "poll close", poll=poll_id)
    assert refused.ephemeral and "creator or a moderator" in refused.response.content
    assert rows(settings, "SELECT closed_at FROM polls") == [(None,)]
    await world.mod.slash(world.channel, "poll close", poll=f"#{poll_id}")
    again = await world.alice.slash(world.channel, "poll close", poll=poll_id)
    assert "already closed" in again.response.content
    assert len(results_messages(world)) == 1


async def test_limit_violations_are_ephemeral_and_store_nothing(world, settings):
    """26 options, an empty option, a 56-char native option, 0 or 800 hours: named limit, nothing stored."""
    cases = [
        ({"options": " | ".join(f"o{i}" for i in range(26))}, "you gave 26"),
        ({"options": "A |  | B"}, "Option 2 of 3 is empty"),
        ({"options": "A | " + "x" * 56}, "56 characters; a Discord poll allows at most 55"),
        ({"options": "A | " + "x" * 81, "anonymous": True}, "81 characters; a button poll allows at most 80"),
        ({"options": "A | B", "hours": 0}, "between 1 and 768"),
        ({"options": "A | B", "hours": 800}, "you gave 800"),
        ({"options": "A | a"}, "repeats option 1"),
        ({"options": "A | B", "question": "q" * 301}, "at most 300 characters; yours has 301"),
    ]
    before = table_digest(settings)
    for options, expected in cases:
        result = await world.alice.slash(world.channel, "poll create", **{"question": "Q?", **options})
        assert result.ephemeral and expected in result.response.content, result.response.content
    assert table_digest(settings) == before
    assert not [m for m in world.channel.history() if not m.flags.ephemeral]


async def test_everyone_option_is_shown_but_pings_no_one(world, settings):
    """An option `@everyone` appears on the poll, and no request lets a mention through."""
    native = await world.alice.slash(
        world.channel, "poll create", question="@here who?", options="@everyone | no"
    )
    assert native.response.message.poll.answers[0].text == "@everyone"
    created = await world.alice.slash(
        world.channel,
        "poll create",
        question="**Q**",
        options="@everyone | <@&1> | ~~x~~ `y`",
        anonymous=True,
    )
    await world.bob.click(created.response.message, label="@everyone")
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id_of(settings, created.response.id)))
    description = results_messages(world)[0].embeds[0].description
    assert "everyone" in description and "@everyone" not in description  # shown, escaped
    assert "\\*\\*Q\\*\\*" in description and "\\~\\~x\\~\\~ \\`y\\`" in description
    assert_no_pings(world.env)


async def test_theme_poll_posts_excerpt_above_native_poll(world, settings):
    """/poll theme ending posts a spoiler-tagged critic excerpt, then the theme's native poll."""
    result = await world.alice.slash(world.channel, "poll theme", theme="ending")
    excerpt = result.response.embeds[0].description
    assert "||" in excerpt and "Unattributed review #" in excerpt
    poll_message = world.channel.history()[-1]
    # No film given: the excerpt's film (La La Land) picks the poll's wording.
    question, answers = themes_for_film(world.env.bot.themes, "La La Land", 2016)["ending"].poll_for("La La Land")
    assert poll_message.poll.question == question
    assert [a.text for a in poll_message.poll.answers] == list(answers)
    assert rows(settings, "SELECT kind, theme, message_id FROM polls") == [
        ("native", "ending", poll_message.id)
    ]
    assert_no_pings(world.env)


async def test_theme_poll_film_autocomplete_tells_remakes_apart_and_its_choice_names_the_film(world, settings):
    """/poll theme's film option offers 'Suspiria (1977)' and 'Suspiria (2018)' as every film option does; the
    remake's choice puts a passage of that film above its poll."""
    for year in (1977, 2018):
        text = (f"Suspiria ({year}) is a dance-academy horror film with a howling score and wild colours. The"
                f" music of the {year} version is a strange, cold nightmare from end to end.")
        await world.mod.slash(world.channel, "review add", film="Suspiria", year=year, file=("s.txt", text.encode()))
    choices = await world.alice.autocomplete(world.channel, "poll theme", "film", "susp")
    assert [c["name"] for c in choices] == ["Suspiria (1977)", "Suspiria (2018)"], choices
    result = await world.alice.slash(world.channel, "poll theme", theme="music", film=choices[1]["value"])
    assert "2018 version" in result.response.embeds[0].description


async def test_list_and_autocomplete_show_open_polls(world, settings):
    """/poll list and the poll autocomplete show this server's open polls by question."""
    await world.alice.slash(world.channel, "poll create", question="Happy ending?", options="Yes | No")
    poll_id = rows(settings, "SELECT id FROM polls")[0][0]
    listed = await world.bob.slash(world.channel, "poll list")
    assert listed.ephemeral and "Happy ending?" in listed.response.embeds[0].description
    choices = await world.bob.autocomplete(world.channel, "poll close", "poll", "happy")
    assert [(c["name"], c["value"]) for c in choices] == [(f"#{poll_id} · Happy ending?", str(poll_id))]


async def test_results_autocomplete_offers_closed_polls_newest_closed_first(world, settings):
    """/poll results offers open polls, then closed ones by most recent close; /poll close only open ones."""
    for question in ("First ending?", "Second ending?", "Still open?"):
        await world.alice.slash(world.channel, "poll create", question=question, options="Yes | No")
    ids = dict(rows(settings, "SELECT question, id FROM polls"))
    await world.alice.slash(world.channel, "poll close", poll=str(ids["First ending?"]))
    await world.env.advance_time(60)
    await world.alice.slash(world.channel, "poll close", poll=str(ids["Second ending?"]))

    choices = await world.bob.autocomplete(world.channel, "poll results", "poll", "")
    assert [(c["name"], c["value"]) for c in choices] == [
        (f"#{ids['Still open?']} · Still open?", str(ids["Still open?"])),
        (f"#{ids['Second ending?']} · Second ending? (closed)", str(ids["Second ending?"])),
        (f"#{ids['First ending?']} · First ending? (closed)", str(ids["First ending?"])),
    ]
    typed = await world.bob.autocomplete(world.channel, "poll results", "poll", "first")
    assert [c["value"] for c in typed] == [str(ids["First ending?"])]
    closable = await world.bob.autocomplete(world.channel, "poll close", "poll", "")
    assert [c["value"] for c in closable] == [str(ids["Still open?"])]
    shown = await world.bob.slash(world.channel, "poll results", poll=typed[0]["value"])
    assert shown.ephemeral and shown.response.embeds, "the closed poll's results open from the choice"
