"""The club's own voice through simcord: /rate, /ratings, forget-me, the game, digests, critics vs club."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import discord

from tests.helpers import (
    DAY,
    advance_to,
    assert_ephemeral_reply,
    assert_no_pings,
    burst,
    buttons,
    check_all_payloads,
    embed_text,
    message_payloads,
    msgs,
    prompt_messages,
    results_messages,
    text_of,
    write,
)

FILM = "La La Land"


def members(world, n: int, prefix: str = "fan"):
    return [world.guild.add_member(world.env.create_user(f"{prefix}{i}")) for i in range(n)]


async def rate(who, world, stars, take=None, film=FILM):
    options = {"film": film, "stars": stars}
    if take is not None:
        options["take"] = take
    return await who.slash(world.channel, "rate film", **options)


async def test_twenty_members_rating_at_once_give_the_exact_average(world):
    """20 concurrent /rate film → 20 rows and the exact average in /ratings."""
    crowd = members(world, 20)
    values = [0.5 + (i % 10) / 2 for i in range(20)]  # 0.5 … 5, twice each
    await burst(world.env, [lambda m=m, v=v: rate(m, world, v) for m, v in zip(crowd, values, strict=True)])
    assert world.count("club_ratings") == 20
    assert world.q("SELECT sum(stars_x2) FROM club_ratings")[0][0] == sum(int(v * 2) for v in values)
    result = await world.alice.slash(world.channel, "ratings", film=FILM)
    text = text_of(result)
    assert f"{sum(values) / 20:.2f}★" in text and "20 ratings" in text
    assert not world.env.errors


async def test_rerating_replaces_the_rating_and_take(world):
    """One row per member per film: a second /rate replaces stars and take."""
    await rate(world.alice, world, 2, "Too sweet.")
    result = await rate(world.alice, world, 4.5, "Grew on me.")
    assert_ephemeral_reply(result, "Updated your rating")
    assert [tuple(r) for r in world.q("SELECT stars_x2, take FROM club_ratings")] == [(9, "Grew on me.")]


async def test_invalid_stars_and_takes_are_refused_and_nothing_is_written(world):
    """Out of range, not a half step, mentions, markdown links, 10k characters, NUL: refused, no row."""
    for stars in (0, 5.5, 3.3, -1, 99):
        assert_ephemeral_reply(await rate(world.alice, world, stars), "stars")
    for take in ("@everyone look", "hi <@123456789012345678>", "see [this](http://x.y)", "x" * 10_000,
                 "a\x00b", "<@&123456789012345678>"):
        assert_ephemeral_reply(await rate(world.alice, world, 3, take))
    assert world.count("club_ratings") == 0


async def test_a_take_too_long_is_quoted_back_to_paste_again(world):
    """A 300-character take is refused with the take itself below the reason, to cut and paste again."""
    take = "The ending broke my heart and ||they never get back together|| but " + "so good " * 30
    r = await rate(world.alice, world, 4, take)
    said = r.response.content
    assert r.ephemeral and "at most 280 characters" in said
    assert "**take:** The ending broke my heart and [spoiler left out] but so good" in said and "never get back" not in said
    assert world.count("club_ratings") == 0
    assert_no_pings(world.env)


async def test_invisible_characters_never_make_a_take(world):
    """A take of zero-width spaces is no take (it was stored, shown as an empty take and quoted as an empty game
    round); a right-to-left override that would turn the rest of a take around is dropped; the stars are kept."""
    crowd = members(world, 2)
    blank = await rate(crowd[0], world, 4, "\u200b\u200b\u200b\ufeff")
    assert_ephemeral_reply(blank, "Rated") and "with your take" not in text_of(blank)
    turned = await rate(crowd[1], world, 3, "Lovely \u202eenil gnol yrev a\u202c film")
    assert_ephemeral_reply(turned, "with your take")
    assert sorted(tuple(r) for r in world.q("SELECT stars_x2, take FROM club_ratings")) == [
        (6, "Lovely enil gnol yrev a film"), (8, None)]
    [message] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    assert len(message.embeds[0].fields) == 1
    check_all_payloads(world.env)


async def test_ratings_shows_a_png_chart_and_three_takes_by_display_name(world):
    """/ratings attaches a PNG chart, shows three takes with display names, pings nobody."""
    crowd = members(world, 4)
    for m, (stars, take) in zip(crowd, [(5, "A dream ||spoiler||"), (1, "**Loud** and hollow"), (3, "Fine."),
                                        (4, "Lovely")], strict=True):
        await rate(m, world, stars, take)
    result = await world.bob.slash(world.channel, "ratings", film=FILM)
    [message] = msgs(result)
    assert not message.ephemeral
    [attachment] = message.attachments
    assert attachment.filename == "ratings.png"
    text = embed_text(message.embeds[0])
    assert "fan0" in text and "fan1" in text and len(message.embeds[0].fields) == 3
    assert "> A dream ||spoiler||" in text and "\\*\\*Loud\\*\\*" in text  # their spoiler kept, markdown inert
    assert_no_pings(world.env)
    check_all_payloads(world.env)


async def test_ratings_fall_back_to_text_bars_without_attach_files(world):
    """Without Attach Files the distribution is drawn with █ bars and no file is sent."""
    room = world.guild.create_text_channel(
        "no-files", overwrites={world.guild.me: discord.PermissionOverwrite(attach_files=False)}
    )
    await rate(world.alice, world, 4)
    result = await world.bob.slash(room, "ratings", film=FILM)
    [message] = msgs(result)
    assert not message.attachments
    assert "█" in message.embeds[0].description


async def test_moderator_removes_a_take_audited_and_members_cannot(world):
    """Only moderators remove another member's take; the stars stay; the audit keeps no words."""
    await rate(world.alice, world, 4, "Secret words")
    refused = await world.bob.slash(world.channel, "rate remove", film=FILM, member=world.alice)
    assert_ephemeral_reply(refused, "moderators")
    assert world.q("SELECT take FROM club_ratings")[0][0] == "Secret words"
    done = await world.mod.slash(world.channel, "rate remove", film=FILM, member=world.alice)
    assert_ephemeral_reply(done, "Removed")
    assert [tuple(r) for r in world.q("SELECT stars_x2, take FROM club_ratings")] == [(8, None)]
    [audit] = world.q("SELECT actor_id, action, before_json FROM audit_log WHERE action = 'take-remove'")
    assert audit["actor_id"] == world.mod.id and "Secret" not in audit["before_json"]
    own = await world.alice.slash(world.channel, "rate remove", film=FILM)
    assert_ephemeral_reply(own, "Removed your rating")
    assert world.count("club_ratings") == 0


async def start_game(world, takes: int = 3, rounds: int = 1):
    authors = members(world, takes, "critic-fan")
    for i, m in enumerate(authors):
        await rate(m, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await m.slash(world.channel, "rate consent", state="on")
    result = await world.mod.slash(world.channel, "game critic-or-club", rounds=rounds)
    return result, authors


async def test_forget_me_removes_every_trace_of_ratings_takes_and_answers(world):
    """forget-me (button) deletes ratings, takes, consent, answers and the words in game rounds."""
    await rate(world.alice, world, 4, "Alice's own words")
    await world.alice.slash(world.channel, "rate consent", state="on")
    await rate(world.bob, world, 2, "Bob stays")
    await world.bob.slash(world.channel, "rate consent", state="on")
    # Alice starts the game, so no round is her own take (her answer to one would be refused) and her
    # answer is stored whichever passage or take the round drew.
    result = await world.alice.slash(world.channel, "game critic-or-club", rounds=3)
    [message] = msgs(result)
    await world.alice.click(message, custom_id=buttons(message)[0]["custom_id"])
    assert world.count("club_game_answers", "user_id = ?", world.alice.id) == 1
    shown = await world.alice.slash(world.channel, "rate forget-me")
    assert world.count("club_ratings", "user_id = ?", world.alice.id) == 1  # nothing before the button
    await world.alice.click(msgs(shown)[0], custom_id=f"filmbot:club:forget:{world.alice.id}")
    for table in ("club_ratings", "club_consent", "club_game_answers"):
        assert world.count(table, "user_id = ?", world.alice.id) == 0, table
    assert world.count("club_game_rounds", "author_id = ? OR quote LIKE '%Alice''s own%'", world.alice.id) == 0
    assert world.count("club_ratings") == 1  # bob's stays
    assert not world.env.errors


async def test_forget_me_leaves_no_row_with_the_member_id_in_any_table(world):
    """forget-me also deletes poll votes, ballots, watchlist support, suggested questions and drafts, uncredits
    an approved question, leaves a watchlist film suggested as a former member's, note gone, and the audit log's
    rows about their take and question without their id; bob's stay."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    for who in (world.alice, world.bob):
        poll = await who.slash(world.channel, "poll create", question=f"Ending {who.user.name}?",
                               options="Happy | Sad", anonymous=True)
        await who.click(poll.response.message, label="Happy")
        await who.slash(world.channel, "suggest question", text=f"Which song stays with {who.user.name} longest?",
                        credit=True)
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014, note="Alice's drums")
    await world.bob.slash(world.channel, "watchlist add", film="Paterson", year=2016)
    await world.bob.slash(world.channel, "watchlist support", film="Whiplash (2014)")
    await world.alice.slash(world.channel, "watchlist support", film="Paterson (2016)")
    await world.mod.click(next(m for m in log.history() if m.embeds and "alice" in embed_text(m.embeds[0])),
                          label="Approve")
    await rate(world.alice, world, 2, "Too loud for me")
    await world.mod.slash(world.channel, "rate remove", film=FILM, member=world.alice)
    pick = await world.mod.slash(world.channel, "filmnight pick", candidates=2, hours=2, method="single")
    for who in (world.alice, world.bob):
        await who.select(pick.response.message, ["1"])
    alice = world.alice.id
    assert world.count("poll_votes", "user_id = ?", alice) == 1
    assert world.count("filmnight_ballots", "user_id = ?", alice) == 1
    assert world.count("theme_questions", "suggested_by = ?", alice) == 1
    done = await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert done.ephemeral and "1 poll vote" in text_of(done) and "1 film-night ballot" in text_of(done)
    for table, column in (("poll_votes", "user_id"), ("filmnight_ballots", "user_id"),
                          ("watchlist_support", "user_id"), ("question_suggestions", "user_id"),
                          ("review_drafts", "user_id"), ("theme_questions", "suggested_by"),
                          ("watchlist", "suggested_by")):
        assert world.count(table, f"{column} = ?", alice) == 0, table
    audited = world.q("SELECT action, target_id, coalesce(before_json, '') || coalesce(after_json, '')"
                      " FROM audit_log WHERE action != 'forget-me'")
    assert {row[0] for row in audited} >= {"take-remove", "suggestion.approved"}
    assert [row for row in audited if row[1] == alice or str(alice) in row[2]] == []
    assert world.q("SELECT suggested_by, note FROM watchlist w JOIN films f ON f.id = w.film_id"
                   " WHERE f.title = 'Whiplash'") == [(0, None)]
    for table, kept in (("poll_votes", 1), ("filmnight_ballots", 1), ("watchlist_support", 2),
                        ("question_suggestions", 1)):
        assert world.count(table, "user_id = ?", world.bob.id) == kept, table
    listed = text_of(await world.bob.slash(world.channel, "watchlist list"))
    assert "a former member" in listed and "<@0>" not in listed and "Alice's drums" not in listed
    assert not world.env.errors
    check_all_payloads(world.env)


async def test_forget_me_counts_in_plain_english(world):
    """The forget-me receipt says "1 rating", "0 game answers": no "rating(s)"."""
    await rate(world.alice, world, 4)
    shown = await world.alice.slash(world.channel, "rate forget-me")
    done = await world.alice.click(msgs(shown)[0], custom_id=f"filmbot:club:forget:{world.alice.id}")
    text = text_of(done)
    assert "removed 1 rating and" in text and "0 game answers" in text and "0 game rounds" in text
    assert "(s)" not in text


async def test_game_round_says_when_answers_close(world):
    """A round reads "Time's up in 59 seconds" (later "… 2 minutes ago"), never "Answer before in 59 seconds"."""
    result, _ = await start_game(world)
    description = msgs(result)[0].embeds[0].description
    assert "Time's up <t:" in description and description.endswith(":R>.") and "before <t:" not in description


async def test_one_rating_and_one_take_are_singular(world):
    """/rate export and /compare with one rating and one take say "1 rating", "1 take"."""
    await rate(world.alice, world, 4, "The final scene, the epilogue of what might have been, is a bittersweet ending.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    exported = assert_ephemeral_reply(await world.mod.slash(world.channel, "rate export"))
    assert exported.startswith("1 rating; 1 take whose")
    assert "1 take from the club." in text_of(await world.bob.slash(world.channel, "compare", film=FILM))


async def test_game_round_with_fifteen_players_survives_a_restart(world):
    """15 players answer at once, the bot restarts mid-round, the reveal counts every answer once."""
    result, _ = await start_game(world, rounds=2)
    [message] = msgs(result)
    [round_id] = [r[0] for r in world.q("SELECT id FROM club_game_rounds WHERE number = 1")]
    kind = world.q("SELECT kind FROM club_game_rounds WHERE id = ?", round_id)[0][0]
    players = members(world, 15, "player")
    ids = {b["custom_id"] for b in buttons(message)}
    assert ids == {f"filmbot:game:answer:{round_id}:critic", f"filmbot:game:answer:{round_id}:club"}
    right = f"filmbot:game:answer:{round_id}:{kind}"
    clicks = [lambda p=p: p.click(message, custom_id=right) for p in players[:10]]
    clicks += [lambda p=p: p.click(message, custom_id=right) for p in players[:3]]  # double clicks
    await burst(world.env, clicks)
    await world.env.restart_bot()
    wrong = right.replace(kind, "club" if kind == "critic" else "critic")
    for p in players[10:]:
        await p.click(message, custom_id=wrong)
    assert world.count("club_game_answers", "round_id = ?", round_id) == 15
    await world.env.advance_time(61)
    reveal = [m for m in world.bot_messages() if "Round 1/2" in (m.content or "")]
    assert len(reveal) == 1 and "10 of 15 got it right" in reveal[0].content
    assert world.q("SELECT status FROM club_game_rounds WHERE id = ?", round_id)[0][0] == "revealed"
    await world.env.advance_time(61)  # round 2 was posted and revealed in turn
    assert world.count("club_game_rounds", "status = 'revealed'") == 2
    [second] = [m for m in world.bot_messages() if "Round 2/2: it was" in (m.content or "")]
    assert "Nobody answered this round." in second.content and "0 of 0" not in second.content
    board = await world.alice.slash(world.channel, "game leaderboard")
    assert "player0" in text_of(board) and "1 point" in text_of(board)
    [edited] = [m for m in world.channel.history() if m.id == message.id]
    assert all(b["disabled"] for b in buttons(edited))  # no answers after the reveal
    assert_no_pings(world.env)
    assert not world.env.errors


async def test_two_games_started_at_once_in_one_channel_run_one(world):
    """Two members start a game in one channel at the same moment: one round is posted, the other member is
    told privately a game is running. Both used to pass the check and the channel ran two games."""
    authors = members(world, 3, "critic-fan")
    for i, m in enumerate(authors):
        await rate(m, world, 4, f"My take number {i}: the colours sing and the ending stings.")
        await m.slash(world.channel, "rate consent", state="on")
    results = await burst(world.env, [
        lambda: world.mod.slash(world.channel, "game critic-or-club", rounds=1),
        lambda: world.alice.slash(world.channel, "game critic-or-club", rounds=1),
    ])
    assert world.q("SELECT count(DISTINCT game_id) FROM club_game_rounds") == [(1,)]
    posted = [r for r in results if not r.ephemeral]
    refused = [r for r in results if r.ephemeral]
    assert len(posted) == 1 and posted[0].response.embeds[0].title.startswith("🎭 Critic or club?")
    assert len(refused) == 1
    assert_ephemeral_reply(refused[0], "A game is already running in this channel")
    assert not world.env.errors


async def test_game_needs_consenting_takes(world):
    """Takes without consent are never quoted: the game refuses to start."""
    await rate(world.alice, world, 4, "Not for the game")
    assert_ephemeral_reply(await world.mod.slash(world.channel, "game critic-or-club"), "consent")
    assert world.count("club_game_rounds") == 0


async def test_game_refusal_names_the_consent_command_as_typed(world):
    """The refusal names `/rate consent state:on` (the option Discord asks for), not "/rate consent on", and
    says why the starter's own takes do not count."""
    await rate(world.alice, world, 4, "Not for the game")
    text = assert_ephemeral_reply(await world.alice.slash(world.channel, "game critic-or-club"))
    assert "`/rate consent state:on`, then `/rate film` with a take" in text, text
    assert "Your own takes never appear in your game." in text and "consent on`" not in text


async def test_digest_posts_once_after_24_hours_with_the_right_counts(world):
    """24 h after /discuss, the thread gets one digest: replies, participants, the most-reacted reply."""
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    first = await world.alice.send(thread, "one")
    await world.bob.send(thread, "two")
    top = await world.alice.send(thread, "three")
    await world.bob.react(top, "👍")
    await world.mod.react(top, "🔥")
    await world.bob.react(first, "👍")
    await world.env.advance_time(DAY - 60)
    assert world.count("club_digests", "status = 'posted'") == 0
    await world.env.advance_time(120)
    digests = [m for m in thread.history() if "Thread digest" in (m.content or "")]
    assert len(digests) == 1
    text = digests[0].content
    assert "3 replies from 2 participants" in text and str(top.id) in text and "Started from" in text
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert len([m for m in thread.history() if "Thread digest" in (m.content or "")]) == 1
    assert_no_pings(world.env)


async def test_digest_of_a_long_thread_counts_every_reply(world, monkeypatch):
    """A thread of 2,500 replies (Discord's oldest-first pages, tests/faults.py) is counted to the end;
    one past the digest's read cap says "over N" instead of a wrong exact number."""
    from bot.club import service as club_service

    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    backend = world.env.backend
    for n in range(2_500):
        backend.create_message(thread.id, (world.alice if n % 2 else world.bob).id, f"reply {n}", broadcast=False)
    await world.env.advance_time(DAY + 60)
    [digest] = [m for m in thread.history() if "Thread digest" in (m.content or "")]
    assert "2500 replies from 2 participants" in digest.content, digest.content
    monkeypatch.setattr(club_service, "DIGEST_READ_MAX", 1_000)
    await world.bob.slash(world.channel, "discuss", theme="jazz")
    second = next(t for t in world.channel.threads if t.id != thread.id)
    for n in range(1_200):
        backend.create_message(second.id, world.alice.id, f"reply {n}", broadcast=False)
    await world.env.advance_time(DAY + 60)
    [digest] = [m for m in second.history() if "Thread digest" in (m.content or "")]
    assert "over 1000 replies" in digest.content, digest.content


async def test_a_prompt_s_digest_is_written_with_its_record(world):
    """/discuss writes its thread's digest with its rotation record: same message, thread and passage, due in 24 h."""
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    [thread] = world.channel.threads
    [(message_id, thread_id, passage_id)] = world.q("SELECT message_id, thread_id, passage_id FROM posted_prompts")
    [digest] = world.q("SELECT thread_id, message_id, passage_id, status, due_at FROM club_digests")
    assert tuple(digest)[:4] == (thread.id, message_id, passage_id, "due") and thread_id == thread.id
    due = datetime.fromisoformat(digest[4]) - world.env.now()
    assert timedelta(seconds=DAY - 60) < due <= timedelta(seconds=DAY)


async def test_a_prompt_without_excerpts_gets_its_digest_once(world):
    """A film no critic reviewed is discussed with the generic questions (nothing to record): its thread's
    digest is still written, on its own, and posted once."""
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.alice.slash(world.channel, "discuss", film="Whiplash", theme="nostalgia")
    [thread] = world.channel.threads
    assert world.count("posted_prompts") == 0
    assert world.q("SELECT thread_id, passage_id, status FROM club_digests") == [(thread.id, None, "due")]
    await world.alice.send(thread, "one")
    await world.env.advance_time(DAY + 60)
    await world.env.advance_time(DAY)
    assert len([m for m in thread.history() if "Thread digest" in (m.content or "")]) == 1
    assert not world.env.errors


async def test_digest_hours_zero_turns_digests_off(world):
    """/config digest-hours 0: no digest row, nothing posted."""
    assert_ephemeral_reply(await world.mod.slash(world.channel, "config digest-hours", hours=0), "off")
    assert_ephemeral_reply(await world.alice.slash(world.channel, "config digest-hours", hours=3))
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    await world.env.advance_time(2 * DAY)
    assert world.count("club_digests") == 0


async def test_theme_poll_results_show_critics_beside_the_club(world):
    """Closing a /poll theme poll posts the club's split, the critics' split and where they disagree."""
    await world.alice.slash(world.channel, "poll theme", theme="ending")
    poll_message = [m for m in world.bot_messages() if m.poll][-1]
    await world.alice.vote(poll_message, answer=1)
    await world.bob.vote(poll_message, answer=1)
    [poll_id] = [r[0] for r in world.q("SELECT id FROM polls")]
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    [results] = results_messages(world)
    names = [f.name for f in results.embeds[0].fields]
    assert "The club" in names and "The critics" in names
    text = embed_text(results.embeds[0])
    assert "**Happy**: 2 (100%)" in text and "Where they disagree" in names
    check_all_payloads(world.env)


async def test_a_theme_poll_of_one_film_weighs_every_critic_passage_of_that_film(world):
    """A film's theme poll closes with the critics' split of all of that film's passages on the theme
    (listed from its reviews: no "at random" sample note)."""
    await world.alice.slash(world.channel, "poll theme", theme="ending", film=FILM)
    [poll_id] = [r[0] for r in world.q("SELECT id FROM polls")]
    assert world.q("SELECT film_id FROM polls WHERE id = ?", poll_id)[0][0] is not None
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    [results] = results_messages(world)
    assert "The critics" in [f.name for f in results.embeds[0].fields]
    assert "at random" not in embed_text(results.embeds[0])
    assert not world.env.errors


async def test_compare_shows_critic_themes_beside_take_themes(world):
    """/compare lists critics' theme counts and the themes the club's takes talk about."""
    await rate(world.alice, world, 4, "The final scene, the epilogue of what might have been, is a bittersweet ending.")
    result = await world.bob.slash(world.channel, "compare", film=FILM)
    text = text_of(result)
    assert "Critics vs club" in text and "1 take from the club." in text
    assert "How often each theme comes up in the critics' reviews and in the club's takes." in text
    [ending] = [line for line in text.splitlines() if line.startswith("**The ending**")]
    assert re.fullmatch(r"\*\*The ending\*\* — critics: \d+ passages \(\d+%\) · club: 1 take \(100%\)", ending), ending
    await world.alice.slash(world.channel, "rate remove", film=FILM)
    text = text_of(await world.bob.slash(world.channel, "compare", film=FILM))
    assert "· club:" not in text and text.endswith("0 takes from the club. Add yours: `/rate film` with a `take:`."), text


async def test_export_includes_takes_only_with_consent(world):
    """The ratings export carries a take only when its author said /rate consent on."""
    await rate(world.alice, world, 4, "Alice agrees to share")
    await rate(world.bob, world, 3, "Bob keeps this private")
    await world.alice.slash(world.channel, "rate consent", state="on")
    exported = await world.bot.store.club.export(world.guild.id)
    takes = {row["user_id"]: row.get("take") for row in exported}
    assert takes == {world.alice.id: "Alice agrees to share", world.bob.id: None}


async def test_rate_export_command_gives_moderators_consented_takes_only(world):
    """/rate export is a private JSON file for moderators, with only consented takes; members are refused."""
    import json

    await rate(world.alice, world, 4, "Alice agrees to share")
    await rate(world.bob, world, 3, "Bob keeps this private")
    await world.alice.slash(world.channel, "rate consent", state="on")
    refused = await world.alice.slash(world.channel, "rate export")
    assert refused.response.ephemeral and not refused.response.attachments
    result = await world.mod.slash(world.channel, "rate export")
    assert result.response.ephemeral
    (attachment,) = result.response.attachments
    document = json.loads(await attachment.read())
    takes = sorted(item.get("take", "") for item in document["ratings"])
    assert takes == ["", "Alice agrees to share"] and "Bob keeps this private" not in json.dumps(document)


async def test_after_the_screening_the_spoiler_thread_invites_ratings(world):
    """When a screening ends, its after-screening thread carries the invitation to /rate."""

    await world.mod.slash(world.channel, "watchlist add", film="La La Land", year=2016)
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00",
                          where="Club room")
    await advance_to(world, 2026, 1, 6, 6)
    [thread] = [t for t in world.channel.threads if "Spoilers" in t.name]
    invites = [m for m in thread.history() if "/rate film" in (m.content or "")]
    assert len(invites) == 1 and "La La Land" in invites[0].content
    assert_no_pings(world.env)


async def test_ratings_chart_is_a_dark_card_with_alt_text(world):
    """The chart reads on both Discord themes (its own dark card, light text) and carries alt text."""
    import io

    from PIL import Image

    for m, stars in zip(members(world, 3), (5, 4.5, 4.5), strict=True):
        await rate(m, world, stars)
    [message] = msgs(await world.bob.slash(world.channel, "ratings", film=FILM))
    [attachment] = message.attachments
    assert attachment.description.startswith("Bar chart of the club's 3 ratings of La La Land")
    assert "4.5 stars: 2" in attachment.description and "5 stars: 1" in attachment.description
    corner = Image.open(io.BytesIO(await attachment.read())).convert("RGB").getpixel((0, 0))
    assert corner == (0x2B, 0x2D, 0x31)  # the card background, not a white one


TIDEWATER = ("Tidewater is a patient drama about two sisters running a seaside hotel out of season. The photography is"
             " lovely, all pale blues and grey light on wet sand. The lighthouse keeper is played by a slurring drunk"
             " who insults the whole village in filthy words. The score hums softly under every scene, a cello and a"
             " harmonium.")


async def test_a_digest_does_not_quote_a_passage_hidden_after_its_prompt(world):
    """A prompt on a new film's passage, the passage flagged and hidden from the queue the same day: the digest
    24 h later counts the thread but does not quote the hidden passage again ("Started from" left out)."""
    await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031,
                          file=("tidewater.txt", TIDEWATER.encode()))
    await world.alice.slash(world.channel, "discuss", film="Tidewater (2031)")
    [prompt] = prompt_messages(world)
    [thread] = world.channel.threads
    [(text,)] = world.q("SELECT p.text FROM posted_prompts pp JOIN passages p ON p.id = pp.passage_id")
    await world.bob.send(thread, "I loved the hotel")
    asked = await world.bob.click(prompt, label="Flag")
    await world.bob.click(asked.response, label="Doesn't read well")
    queue = await world.mod.slash(world.channel, "passage flagged")
    assert "every server" in text_of(await world.mod.click(queue.response, label="Hide 1"))
    await world.env.advance_time(DAY + 60)
    [digest] = [m for m in thread.history() if "Thread digest" in (m.content or "")]
    assert "1 reply from 1 participant" in digest.content, digest.content
    assert text[:40] not in digest.content and "Started from" not in digest.content, digest.content


async def test_a_digest_quotes_a_passage_trimmed_after_its_prompt_as_trimmed(world):
    """The prompt's passage trimmed to its first sentence from the queue before the digest: the digest quotes that
    sentence only (it quoted the whole passage, the part the moderator cut too)."""
    await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031,
                          file=("tidewater.txt", TIDEWATER.encode()))
    await world.alice.slash(world.channel, "discuss", film="Tidewater (2031)")
    [prompt] = prompt_messages(world)
    [thread] = world.channel.threads
    await world.bob.send(thread, "I loved the hotel")
    asked = await world.bob.click(prompt, label="Flag")
    await world.bob.click(asked.response, label="Doesn't read well")
    queue = await world.mod.slash(world.channel, "passage flagged")
    menu = await world.mod.click(queue.response, label="Trim 1")
    [select] = [c for row in menu.response.components for c in row["components"] if c["type"] == 3]
    await world.mod.select(menu.response, ["0"], custom_id=select["custom_id"])
    [(text, kept)] = world.q("SELECT p.text, m.trimmed FROM posted_prompts pp JOIN passages p ON p.id = pp.passage_id"
                             " JOIN passage_marks m ON m.passage_id = p.id")
    cut = text.replace(kept, "").strip()
    assert kept and cut
    await world.env.advance_time(DAY + 60)
    [digest] = [m for m in thread.history() if "Thread digest" in (m.content or "")]
    assert f"Started from: “{kept}”" in digest.content and cut[:30] not in digest.content, digest.content


async def test_a_game_round_whose_passage_was_hidden_after_the_game_began_quotes_another(world):
    """A two-round game; before round 2 is posted, its critic passage (a new film's) is hidden by a moderator: round 2
    quotes another passage, never the hidden one (it posted the words stored when the game began)."""
    await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031,
                          file=("tidewater.txt", TIDEWATER.encode()))
    [(passage, text, film, review, ordinal)] = world.q(
        "SELECT p.id, p.text, r.film_id, r.id, p.ordinal FROM passages p JOIN reviews r ON r.id = p.review_id"
        " JOIN films f ON f.id = r.film_id WHERE f.title = 'Tidewater' AND p.text LIKE '%lighthouse%'")
    await start_game(world, rounds=2)
    write(world.bot.settings, "UPDATE club_game_rounds SET kind = 'critic', quote = ?, passage_id = ?, author_id = NULL,"
          " film_id = ? WHERE number = 2", text, passage, film)
    hidden = await world.mod.slash(world.channel, "passage hide", passage=f"Review #{review} · passage {ordinal + 1}")
    assert "every server" in text_of(hidden), text_of(hidden)
    await world.env.advance_time(61)
    [(status, now_passage, quote)] = world.q("SELECT status, passage_id, quote FROM club_game_rounds WHERE number = 2")
    assert status == "open" and now_passage != passage and quote != text
    shown = [m for m in world.bot_messages() if m.embeds and "Round 2" in embed_text(m.embeds[0])]
    assert len(shown) == 1 and "lighthouse" not in embed_text(shown[0].embeds[0]), embed_text(shown[0].embeds[0])


async def test_a_round_posted_after_a_screening_was_set_holds_back_the_takes_own_spoiler(world):
    """A game begun before the screening of a film was set: a later round quoting a take on that film posts the
    take without what its author hid behind `||` (not even hidden) until the screening ends."""
    await world.bob.slash(world.channel, "watchlist add", film="Alien", year=1979)
    await world.bob.slash(world.channel, "rate film", film="Alien (1979)", stars=4, take="Tense ||Ripley wins||")
    await world.bob.slash(world.channel, "rate consent", state="on")
    for n in range(16):  # rounds are mixed at random: start games until the take is a later round's
        channel = world.guild.create_text_channel(f"game-{n}")
        await world.alice.slash(channel, "game critic-or-club", rounds=5)
        if world.q("SELECT 1 FROM club_game_rounds WHERE channel_id = ? AND kind = 'club' AND number > 1", channel.id):
            break
    else:
        raise AssertionError("the take was never a later round")
    when = (world.env.now() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    await world.mod.slash(world.channel, "filmnight schedule", film="Alien (1979)", when=when, where="x")
    mark = len(message_payloads(world.env))
    await advance_to(world, world.env.now() + timedelta(minutes=12))
    assert world.q("SELECT status FROM club_game_rounds WHERE channel_id = ? AND kind = 'club'", channel.id)[0][0] \
        != "waiting"
    later = [str(body) for body in message_payloads(world.env)[mark:]]
    assert any("Tense" in body for body in later), "the take's round was never posted"
    assert not [body[:200] for body in later if "Ripley" in body]


async def exported_document(world) -> tuple[dict, str]:
    """The file /rate export gives a moderator, and the private message it comes with."""
    import json

    result = await world.mod.slash(world.channel, "rate export")
    assert result.response.ephemeral
    (attachment,) = result.response.attachments
    return json.loads(await attachment.read()), text_of(result)


async def test_rate_export_holds_back_what_a_take_hides_on_the_film_the_gate_holds(world):
    """While a screening of Alien waits, the moderators' file leaves out what a consenting member hid behind
    `||` in a take on Alien, and says until when; another film's take is as written. Once the screening is
    unlocked the take is in the file as written again."""
    await world.mod.slash(world.channel, "watchlist add", film="Alien", year=1979)
    await rate(world.alice, world, 4, "Tense ||Ripley wins||", film="Alien (1979)")
    await rate(world.alice, world, 3, "Sad ||Mia leaves||")
    await world.alice.slash(world.channel, "rate consent", state="on")
    await world.mod.slash(world.channel, "filmnight schedule", film="Alien (1979)", when="2026-01-06 20:00", where="x")
    [(ends_at,)] = world.q("SELECT ends_at FROM screenings")
    document, said = await exported_document(world)
    assert "Ripley" not in json_text(document) and "Ripley" not in said
    assert "What 1 take on *Alien (1979)* hid behind spoiler bars is held back" in said and "<t:" in said, said
    takes = {item["film"]: item for item in document["ratings"]}
    assert takes["Alien"]["take"].startswith("Tense [spoiler held back") and ends_at in takes["Alien"]["take"]
    assert takes["Alien"]["take_held_back_until"] == ends_at
    assert takes["La La Land"]["take"] == "Sad ||Mia leaves||" and "take_held_back_until" not in takes["La La Land"]
    await world.mod.slash(world.channel, "filmnight unlock")
    after = {item["film"]: item for item in (await exported_document(world))[0]["ratings"]}
    assert after["Alien"]["take"] == "Tense ||Ripley wins||" and "take_held_back_until" not in after["Alien"]


def json_text(document: dict) -> str:
    import json

    return json.dumps(document, ensure_ascii=False)


# Every column of a migration that holds a member's id, and what forget-me leaves in it for that member: none,
# except what a moderator did as one (bot/club/store.py `_PSEUDONYMISED` and the note below it).
_MEMBER_COLUMNS = (
    ("club_ratings", "user_id"), ("club_consent", "user_id"), ("club_game_answers", "user_id"),
    ("club_game_rounds", "author_id"), ("passage_flags", "user_id"), ("film_watches", "user_id"),
    ("poll_votes", "user_id"), ("polls", "creator_id"), ("polls", "closed_by"), ("filmnight_ballots", "user_id"),
    ("watchlist", "suggested_by"), ("watchlist_support", "user_id"), ("question_suggestions", "user_id"),
    ("theme_questions", "suggested_by"), ("review_drafts", "user_id"), ("running_imports", "user_id"),
)


async def test_forget_me_leaves_no_poll_or_running_import_naming_the_member(world, settings):
    """A poll the member made and closed, and an import of theirs running now: forget-me keeps both rows (the poll's
    votes are others' too; the import's reply is still told of a restart) but neither names them any more, and no
    member-id column of any migration holds their id; bob's poll keeps his."""
    alice, bob = world.alice.id, world.bob.id
    for who in (world.alice, world.bob):
        poll = await who.slash(world.channel, "poll create", question=f"Ending {who.user.name}?", options="Happy | Sad",
                                anonymous=True)
        await world.bob.click(poll.response.message, label="Happy")
    (alice_poll,) = world.q("SELECT id FROM polls WHERE creator_id = ?", alice)[0]
    closed = await world.alice.slash(world.channel, "poll close", poll=str(alice_poll))
    assert not any(m.flags.ephemeral and "Only" in (m.content or "") for m in msgs(closed))
    write(settings, "INSERT INTO running_imports(token, application_id, guild_id, user_id, holder, started_at)"
          " VALUES ('tok', 1, ?, ?, 'elsewhere:1:ab', '2026-01-01T00:00:00+00:00')", world.guild.id, alice)
    assert world.q("SELECT closed_by FROM polls WHERE id = ?", alice_poll) == [(alice,)]
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    for table, column in _MEMBER_COLUMNS:
        assert world.count(table, f"{column} = ?", alice) == 0, (table, column)
    assert world.q("SELECT creator_id, closed_by FROM polls ORDER BY id") == [(0, 0), (bob, None)]
    assert world.q("SELECT token, user_id FROM running_imports") == [("tok", 0)]
    assert world.count("poll_votes", "user_id = ?", bob) == 2
    assert not world.env.errors
