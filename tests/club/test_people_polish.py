"""Issue 27 item 5 on the club side, and /club stats: empty digests skipped, the game never scores a member
on their own take, rounds lengthened by the playground's clock speed, the year's numbers."""

from __future__ import annotations

from bot.club.rules import GAME_SECONDS, round_seconds
from tests.helpers import add_review, buttons, embed_text, msgs, text_of

DAY = 24 * 3600


def digests(thread) -> list:
    return [m for m in thread.history() if "Thread digest" in (m.content or "")]


async def test_a_thread_without_replies_gets_no_digest_and_counts_are_kept(world):
    """Nobody replied: no "0 replies from 0 participants"; a thread with replies gets its digest and counts."""
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    await world.bob.slash(world.channel, "discuss", theme="nostalgia")
    quiet, busy = world.channel.threads
    await world.alice.send(busy, "one")
    await world.bob.send(busy, "two")
    await world.env.advance_time(DAY + 60)
    assert digests(quiet) == [] and len(digests(busy)) == 1
    assert world.q("SELECT replies, participants, status FROM club_digests ORDER BY replies") == [
        (0, 0, "posted"), (2, 2, "posted")]
    stats = await world.alice.slash(world.channel, "club stats")
    card = embed_text(msgs(stats)[0].embeds[0])
    assert f"<#{busy.id}> · 2 replies, 2 people" in card and f"<#{quiet.id}>" not in card
    assert not world.env.errors


async def test_own_take_never_scores_and_the_starters_takes_are_left_out(world):
    """The member whose take a round shows can't answer it; the member who starts a game never sees their own."""
    authors = [world.guild.add_member(world.env.create_user(f"author{i}")) for i in range(3)]
    for i, member in enumerate(authors):
        await member.slash(world.channel, "rate film", film="La La Land", stars=4, take=f"Take {i}: the ending stings.")
        await member.slash(world.channel, "rate consent", state="on")
    starter = authors[0]
    for _ in range(3):
        started = await starter.slash(world.channel, "game critic-or-club", rounds=10)
        if not started.ephemeral:
            break
    assert world.count("club_game_rounds", "author_id = ?", starter.id) == 0
    club_rounds = world.q("SELECT id, author_id FROM club_game_rounds WHERE kind = 'club' AND status = 'open'")
    if club_rounds:  # the first round is a club take: its author may not score on it
        round_id, author_id = club_rounds[0]
        [author] = [a for a in authors if a.id == author_id]
        [message] = msgs(started)
        answer = await author.click(message, custom_id=f"filmbot:game:answer:{round_id}:club")
        assert answer.ephemeral and "your own take" in text_of(answer)
        assert world.count("club_game_answers", "user_id = ?", author_id) == 0
    assert not world.env.errors


def test_rounds_last_sixty_real_seconds_at_any_clock_speed():
    """At speed 1 a round is 60 s; at --speed 60 it is 3,600 virtual seconds = 60 real seconds, never shorter."""
    assert round_seconds() == GAME_SECONDS == 60
    assert round_seconds(60) == 3600 and round_seconds(60) / 60 == GAME_SECONDS
    assert round_seconds(0.5) == 60  # a slowed clock never shortens a round


async def test_round_deadline_follows_the_bot_clock_speed(world):
    """With the playground's --speed 60 the first round's deadline is an hour of virtual time away."""
    world.bot.clock_speed = 60
    for i, member in enumerate((world.alice, world.bob)):
        await member.slash(world.channel, "rate film", film="La La Land", stars=4, take=f"Take {i}: lovely.")
        await member.slash(world.channel, "rate consent", state="on")
    started = await world.mod.slash(world.channel, "game critic-or-club", rounds=1)
    assert not started.ephemeral, text_of(started)
    await world.env.advance_time(61)  # one real second at speed 60: still open
    assert world.q("SELECT status FROM club_game_rounds")[0][0] == "open"
    [message] = msgs(started)
    right = buttons(message)[0]["custom_id"]
    answered = await world.mod.click(message, custom_id=right)
    assert answered.ephemeral and "Answer recorded" in text_of(answered)
    await world.env.advance_time(3600)
    assert world.q("SELECT status FROM club_game_rounds")[0][0] == "revealed"
    reveal = [m for m in world.bot_messages() if "Round 1/1" in (m.content or "")]
    assert len(reveal) == 1 and "of 1 got it right" in reveal[0].content


async def test_club_stats_chart_has_alt_text_and_names_quoted_critics(world):
    """Two rated films → an embed with a chart whose description reads every bar; quoted critics are named."""
    for member, stars in ((world.alice, 5), (world.bob, 1), (world.mod, 3)):
        await member.slash(world.channel, "rate film", film="La La Land", stars=stars,
                           take="The ending and the music: bittersweet nostalgia.")
    await add_review(world, year=2014, critic="Ada Lovecritic", outlet="The Daily Reel")
    for member, stars in ((world.alice, 4), (world.bob, 4.5)):
        await member.slash(world.channel, "rate film", film="Whiplash", stars=stars)
    await world.alice.slash(world.channel, "watched", film="La La Land")
    await world.alice.slash(world.channel, "discuss", film="Whiplash")
    await world.alice.slash(world.channel, "discuss", film="La La Land")  # unattributed: never named
    shown = await world.alice.slash(world.channel, "club stats")
    [message] = msgs(shown)
    card = embed_text(message.embeds[0])
    assert "📊 The club in 2026" in card and "**2** films watched" in card
    assert "average rating **3.50★ from 5**" in card
    assert "Most divisive" in card and "*La La Land (2016)*: ratings spread" in card
    assert "1. Ada Lovecritic · 1 prompt" in card and "Most quoted critics" in card
    assert message.embeds[0].image.url == "attachment://club-stats.png"
    [attachment] = message.attachments
    assert attachment.description.startswith("Bar chart of the club's average rating per film in 2026")
    assert "Whiplash (2014): 4.2 stars from 2" in attachment.description
    assert not world.env.errors


async def test_club_stats_refuses_a_silly_year_and_shows_an_empty_year_kindly(world):
    """year 99 is refused privately; a year with nothing says how to start."""
    refused = await world.alice.slash(world.channel, "club stats", year=99)
    assert refused.ephemeral and "between" in text_of(refused)
    empty = await world.alice.slash(world.channel, "club stats", year=2020)
    assert "Nothing recorded this year yet" in embed_text(msgs(empty)[0].embeds[0])


async def test_store_refuses_an_answer_from_the_takes_own_author(world):
    """A club round's author gets 'own' (nothing stored); anyone else answers as usual."""
    from bot.club.store import Pick

    store = world.bot.store.club
    [round_id] = await store.create_game(world.guild.id, world.channel.id,
                                         [Pick("club", "My take", author_id=world.alice.id)])
    await store.open_round(round_id, 1, "2999-01-01T00:00:00+00:00")
    assert await store.answer(round_id, world.alice.id, "club", "2026-01-01T00:00:00+00:00") == "own"
    assert await store.answer(round_id, world.bob.id, "club", "2026-01-01T00:00:00+00:00") == "ok"
    assert world.count("club_game_answers") == 1
