"""/suggest question: members put questions in the moderators' queue; approved ones join the server's."""

from __future__ import annotations

from tests.helpers import assert_no_pings, burst, check_all_payloads, embed_text, msgs, table_digest, text_of

QUESTION = "Which song from the film is still in your head a week later?"


async def with_log_channel(world):
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    return log


def queue(log) -> list:
    return [m for m in log.history() if m.embeds]


async def test_a_suggestion_reaches_the_log_channel_and_approval_adds_it(world):
    """Alice suggests; the log channel shows it with buttons; Approve adds it to the server's questions."""
    log = await with_log_channel(world)
    r = await world.alice.slash(world.channel, "suggest question", text=QUESTION, theme="music", credit=True)
    assert r.ephemeral and "with the moderators" in text_of(r)
    assert not world.bot_messages(world.channel), "nothing public in the channel"
    (pending,) = queue(log)
    assert QUESTION in embed_text(pending.embeds[0]) and "named with the question" in embed_text(pending.embeds[0])
    await world.mod.click(pending, label="Approve")
    assert world.q("SELECT state FROM question_suggestions") == [("approved",)]
    assert world.q("SELECT theme, question, suggested_by FROM theme_questions") == [
        ("music", QUESTION, world.alice.id)
    ]
    assert world.count("audit_log", "action = 'suggestion.approved'") == 1
    (decided,) = queue(log)
    assert "approved" in decided.embeds[0].title and all(b.disabled for b in decided.components[0].children)
    listed = await world.mod.slash(world.channel, "theme list")
    assert QUESTION in embed_text(msgs(listed)[0].embeds[0])
    assert_no_pings(world.env)
    check_all_payloads(world.env)


async def test_a_question_for_any_theme_is_asked_under_non_spoiler_themes_only(world):
    """Approved without a theme, it joins every theme's questions except the spoiler ones."""
    log = await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    await world.mod.click(queue(log)[0], label="Approve")
    assert world.q("SELECT theme FROM theme_questions") == [("*",)]
    store = world.bot.store.questions
    guild = world.guild.id
    assert [r.question for r in await store.rows(guild, "music", "", any_theme=True)] == [QUESTION]
    assert await store.rows(guild, "ending", "", any_theme=False) == []


async def test_reject_tells_nobody_in_public_and_adds_nothing(world):
    """A rejected suggestion stays between the moderators: no public message, no question added."""
    log = await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    await world.mod.click(queue(log)[0], label="Reject")
    assert world.q("SELECT state FROM question_suggestions") == [("rejected",)]
    assert world.count("theme_questions") == 0
    assert not world.bot_messages(world.channel)


async def test_one_suggestion_per_member_per_hour(world):
    """A second suggestion within the hour is refused with when the next one is possible."""
    await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    again = await world.alice.slash(world.channel, "suggest question", text="What did the colours say to you?")
    assert again.ephemeral and "one question an hour" in text_of(again) and "<t:" in text_of(again)
    assert world.count("question_suggestions") == 1
    await world.env.advance_time(3601)
    later = await world.alice.slash(world.channel, "suggest question", text="What did the colours say to you?")
    assert "with the moderators" in text_of(later)
    assert world.count("question_suggestions") == 2


async def test_forget_me_does_not_reset_the_hourly_suggestion_limit(world):
    """/rate forget-me deletes the suggestion but keeps when it was made (no words): a second suggestion within
    the hour is still refused; an hour after the first, it goes through. The receipt says what is kept."""
    await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    done = await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert "1 suggested question" in text_of(done) and "hourly limits" in text_of(done), text_of(done)
    assert world.count("question_suggestions", "user_id = ?", world.alice.id) == 0
    assert world.q("SELECT kind, guild_id FROM member_limit_marks") == [("suggest", world.guild.id)]
    await world.env.advance_time(600)
    again = await world.alice.slash(world.channel, "suggest question", text="What did the colours say to you?")
    assert again.ephemeral and "one question an hour" in text_of(again), text_of(again)
    assert world.count("question_suggestions") == 0
    await world.env.advance_time(3001)
    later = await world.alice.slash(world.channel, "suggest question", text="What did the colours say to you?")
    assert "with the moderators" in text_of(later)
    assert world.count("question_suggestions") == 1


async def test_two_at_once_make_one_suggestion(world):
    """A double send (two interactions before the bot handles either) stores one suggestion."""
    await with_log_channel(world)
    results = await burst(world.env, [
        lambda: world.alice.slash(world.channel, "suggest question", text=QUESTION),
        lambda: world.alice.slash(world.channel, "suggest question", text=QUESTION + " Really?"),
    ])
    assert world.count("question_suggestions") == 1
    assert sum("one question an hour" in text_of(r) for r in results) == 1


async def test_hostile_questions_are_refused_and_nothing_is_stored(world, settings):
    """Mentions, links, 10,000 characters and too-short text: a private refusal, no row, no message."""
    log = await with_log_channel(world)
    before = table_digest(settings)
    for bad, needle in [
        ("Who agrees with @everyone here about the ending?", "mention"),
        (f"Is <@{world.bob.id}> right about the ending of this one?", "mention"),
        ("Did you read https://example.com/review before watching?", "links"),
        ("Thoughts on [this](http://x.y) review of the film?", "links"),
        ("x" * 10_000, "at most 300"),
        ("Why?", "at least"),
    ]:
        r = await world.alice.slash(world.channel, "suggest question", text=bad)
        assert r.ephemeral and needle in text_of(r), (bad[:40], text_of(r))
    assert table_digest(settings) == before
    assert queue(log) == []


async def test_a_question_hiding_words_behind_spoiler_bars_is_refused(world, settings):
    """`||…||` in a suggested question: refused privately, nothing stored. Approved, it became a thread name
    (and the moderators' log showed the bars escaped): the member's spoiler in clear."""
    log = await with_log_channel(world)
    before = table_digest(settings)
    for bad in ("Did you cry when ||Mia leaves Seb for Paris|| at the end?",
                "Did you see ||the twist coming at the end of it all?"):
        r = await world.alice.slash(world.channel, "suggest question", text=bad, theme="music")
        assert r.ephemeral and "spoiler bars" in text_of(r), text_of(r)
        assert "Mia leaves" not in text_of(r) and "twist" not in text_of(r)
    assert table_digest(settings) == before
    assert queue(log) == []
    check_all_payloads(world.env)


async def test_a_question_of_invisible_characters_is_refused(world, settings):
    """Zero-width spaces and bidi marks do not count: 12 of them were a 'question' the moderators saw as empty."""
    log = await with_log_channel(world)
    before = table_digest(settings)
    r = await world.alice.slash(world.channel, "suggest question", text="\u200b" * 8 + "\u202e\u2066Why?")
    assert r.ephemeral and "at least 10" in text_of(r), text_of(r)
    assert table_digest(settings) == before and queue(log) == []


async def test_without_a_log_channel_suggestions_are_refused(world):
    """No log channel: the member is told why, and nothing waits unseen."""
    r = await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    assert r.ephemeral and "log channel" in text_of(r)
    assert world.count("question_suggestions") == 0


async def test_a_refused_suggestion_quotes_the_question_back_to_paste_again(world):
    """Refused (no log channel), the member's question comes back in the refusal, escaped, pinging nobody."""
    typed = "Is **the** ending of {film} happy, or just _bittersweet_?"
    r = await world.alice.slash(world.channel, "suggest question", text=typed)
    said = text_of(r)
    assert r.ephemeral and "log channel" in said
    assert "What you typed, to paste again:\n>>> **question:** Is \\*\\*the\\*\\* ending of {film} happy, or just \\_bittersweet\\_?" in said
    assert_no_pings(world.env)
    check_all_payloads(world.env)


async def test_a_refused_suggestion_for_a_spoiler_theme_quotes_it_back_hidden(world):
    """A question typed for a spoiler theme comes back behind spoiler bars, never in clear."""
    typed = "Did the ending of {film} earn its final twist?"
    r = await world.alice.slash(world.channel, "suggest question", text=typed, theme="ending")
    assert "**question:** ||Did the ending of {film} earn its final twist?||" in text_of(r)


async def test_members_cannot_decide_and_buttons_survive_a_restart(world):
    """Bob's Approve is refused with nothing written; after a restart the moderator's still works."""
    log = await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    (pending,) = queue(log)
    refused = await world.bob.click(pending, label="Approve")
    assert refused.ephemeral and "Only moderators" in text_of(refused)
    assert world.q("SELECT state FROM question_suggestions") == [("pending",)]
    await world.env.restart_bot()
    await world.mod.click(pending, label="Approve")
    assert world.q("SELECT state FROM question_suggestions") == [("approved",)]
    assert world.count("theme_questions") == 1
    (decided,) = queue(log)
    assert all(button.disabled for button in decided.components[0].children)  # no second decision


def patches_of(world, message) -> list:
    return [r for r in world.env.backend.http_requests
            if r.method == "PATCH" and r.path.endswith(f"/messages/{message.id}")]


async def test_forget_me_edits_the_pending_suggestions_log_message_at_once(world):
    """The member's words and name leave the database and the moderators' log message; Approve is gone too."""
    log = await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION, credit=True)
    await world.bob.slash(world.channel, "suggest question", text="What did the last shot mean to you?")
    alices = next(m for m in queue(log) if QUESTION in embed_text(m.embeds[0]))
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert world.q("SELECT question FROM question_suggestions") == [("What did the last shot mean to you?",)]
    (edited,) = [m for m in log.history() if m.id == alices.id]
    assert not edited.embeds and not edited.components and "asked to be forgotten" in edited.content
    assert QUESTION not in str(edited.content) and str(world.alice.id) not in str(edited.content)
    assert len(queue(log)) == 1, "bob's suggestion stays as it was"
    assert world.count("suggestion_retractions") == 0
    assert len(patches_of(world, alices)) == 1
    assert not world.env.errors
    assert_no_pings(world.env)


async def test_forget_me_while_discord_fails_edits_the_log_message_later_once(world):
    """Discord answers 503 to the edit: the words are gone from the database at once, the message is edited on
    the retry (30 s later), once, and a restart in between loses nothing."""
    from tests.faults import discord_fault

    log = await with_log_channel(world)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION, credit=True)
    (pending,) = queue(log)
    discord_fault(world.env, "PATCH", f"/channels/{log.id}/messages/{pending.id}", 503)
    done = await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert done.ephemeral and "1 suggested question" in text_of(done)
    assert world.count("question_suggestions") == 0, "the words leave the database at once"
    assert QUESTION in embed_text(queue(log)[0].embeds[0]), "Discord refused the edit for now"
    assert world.q("SELECT attempts FROM suggestion_retractions") == [(1,)]
    await world.env.restart_bot()
    await world.env.advance_time(31)
    (edited,) = [m for m in log.history() if m.id == pending.id]
    assert not edited.embeds and "asked to be forgotten" in edited.content
    assert world.count("suggestion_retractions") == 0
    await world.env.advance_time(3600)
    assert len(patches_of(world, pending)) == 2, "the failed edit and its one retry"


async def test_a_log_post_discord_made_before_its_5xx_is_kept_once_and_forget_me_reaches_it(world):
    """Discord makes the log message, then answers 503: the suggestion is kept (told so), never sent twice, its
    Approve works, and /rate forget-me edits that message (it once stayed with the words and name, "decided")."""
    from tests.faults import discord_fault

    log = await with_log_channel(world)
    discord_fault(world.env, "POST", f"/channels/{log.id}/messages", 503, applied=True)
    told = await world.alice.slash(world.channel, "suggest question", text=QUESTION, credit=True)
    assert told.ephemeral and "with the moderators" in text_of(told)
    (pending,) = queue(log)
    assert world.q("SELECT state, log_message_id FROM question_suggestions") == [("pending", pending.id)]
    again = await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    assert "one question an hour" in text_of(again) and len(queue(log)) == 1
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    (edited,) = [m for m in log.history() if m.id == pending.id]
    assert not edited.embeds and "asked to be forgotten" in edited.content and QUESTION not in edited.content
    assert not world.env.errors


async def test_a_log_post_discord_refused_keeps_nothing_and_approve_needs_a_new_one(world):
    """A 503 with no message made: the member is told nothing was kept, nothing is stored, a retry posts once."""
    from tests.faults import discord_fault

    log = await with_log_channel(world)
    discord_fault(world.env, "POST", f"/channels/{log.id}/messages", 503)
    told = await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    assert told.ephemeral and "nothing was kept" in text_of(told)
    assert world.count("question_suggestions") == 0 and not queue(log)
    await world.alice.slash(world.channel, "suggest question", text=QUESTION)
    (pending,) = queue(log)
    await world.mod.click(pending, label="Approve")
    assert world.q("SELECT state FROM question_suggestions") == [("approved",)]


async def test_a_spoiler_question_on_the_gated_film_is_held_back_in_the_log_channel(world):
    """While a screening of La La Land waits, a suggested question of a spoiler theme about it is not sent to the
    moderators' log at all (spoiler questions of the gated film are shown nowhere), on posting nor on the
    verdict's edit: a line says until when. The question is stored whole and joins the server's on Approve."""
    log = await with_log_channel(world)
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-06 20:00", where="x")
    assert world.count("screenings") == 1
    start = len(world.env.http_requests)
    asked = "Does the epilogue where Mia leaves break your heart?"
    r = await world.alice.slash(world.channel, "suggest question", text=asked, theme="ending", film="La La Land")
    assert r.ephemeral and "with the moderators" in text_of(r)
    (pending,) = queue(log)
    shown = embed_text(pending.embeds[0])
    assert "Mia leaves" not in shown and "held back" in shown and "<t:" in shown, shown
    await world.mod.click(pending, label="Approve")
    (decided,) = queue(log)
    assert "approved" in decided.embeds[0].title and "held back" in embed_text(decided.embeds[0])
    assert not any("Mia leaves" in str(request) for request in world.env.http_requests[start:]
                   if "interactions" not in str(request))  # her own private echo aside
    assert world.q("SELECT question FROM theme_questions WHERE theme = 'ending' AND question = ?", asked)
