"""Forged component interactions: custom ids the bot never sent, used by a member or a moderator.

Every DynamicItem the bot registered is walked (so a new button cannot be forgotten) with ids at 0 and at
their largest; each use gets a private answer, changes nothing, and never fails unanswered."""

from __future__ import annotations

import logging
import re

import discord
import pytest

from tests.helpers import (
    World,
    assert_no_pings,
    check_all_payloads,
    click_forged,
    forged_ids,
    msgs,
    registered_templates,
    table_digest,
    text_of,
)


def failures_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Exceptions discord.py swallowed (a component's) or the bot logged as unexpected."""
    return [record.getMessage()[:200] for record in caplog.records if record.levelno >= logging.ERROR]


async def test_every_component_answers_a_forged_id_privately_and_changes_nothing(world: World, settings, caplog):
    """Ids at 0 or their largest, of every registered component, as a member and as a moderator."""
    templates = registered_templates(world.bot)
    assert len(templates) >= 20, sorted(templates)
    target = msgs(await world.alice.slash(world.channel, "quote"))[0]
    for template, factory in sorted(templates.items()):
        values = ["1"] if factory.__name__.endswith("Select") else None
        for custom_id in forged_ids(template):
            for actor in (world.alice, world.mod):
                before = table_digest(settings)
                result = await click_forged(world.env, actor, target, custom_id, values)
                where = f"{custom_id} by {actor.user.name}"
                assert not failures_logged(caplog), f"{where}: {failures_logged(caplog)}"
                assert result.acknowledged, f"{where}: left unanswered"
                if actor is world.alice:  # a moderator's pager may turn the page it is on (the flag queue's)
                    assert all(m.ephemeral for m in msgs(result)), f"{where}: {text_of(result)[:200]}"
                assert table_digest(settings) == before, f"{where} changed the database: {text_of(result)[:200]}"
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_every_menu_refuses_a_value_in_other_digits_privately(world: World, settings, caplog):
    """A forged menu value that str.isdigit() takes and int() refuses ('²'), of every registered select, by a
    member and a moderator: a private refusal, nothing changed (it was an error code, logged as unexpected)."""
    selects = {t: f for t, f in registered_templates(world.bot).items() if f.__name__.endswith("Select")}
    assert len(selects) >= 3, sorted(selects)
    await world.alice.slash(world.channel, "poll create", question="Which?", options="A|B|C|D|E|F|G")
    target = msgs(await world.alice.slash(world.channel, "quote"))[0]
    for template in sorted(selects):
        for custom_id in [*forged_ids(template), "filmbot:poll:select:1"]:
            if not re.fullmatch(template, custom_id):
                continue
            for actor in (world.alice, world.mod):
                before = table_digest(settings)
                result = await click_forged(world.env, actor, target, custom_id, ["²"])
                where = f"{custom_id} = '²' by {actor.user.name}"
                assert not failures_logged(caplog), f"{where}: {failures_logged(caplog)}"
                assert result.acknowledged and all(m.ephemeral for m in msgs(result)), where
                assert "error code" not in text_of(result), f"{where}: {text_of(result)[:200]}"
                assert table_digest(settings) == before, where


async def test_a_watchlist_page_of_another_server_is_refused(world: World, settings):
    """The watchlist pager shows this server's list only, whatever server id its custom id carries."""
    other = world.env.create_guild(name="Other Club")
    alice_there = other.add_member(world.alice_user)
    other_channel = other.create_text_channel("films")
    await world.alice.slash(world.channel, "watchlist add", film="Secret Film Of Club One", year=1999)
    assert "Secret Film Of Club One" in text_of(await world.alice.slash(world.channel, "watchlist list"))
    theirs = msgs(await alice_there.slash(other_channel, "watchlist list"))[0]
    result = await click_forged(world.env, alice_there, theirs, f"filmbot:filmnight:wl:{world.guild.id}:0:n")
    assert all(m.ephemeral for m in msgs(result)) and "another server" in text_of(result), text_of(result)
    assert "Secret Film" not in text_of(result)
    assert "Secret Film" not in "".join(m.content or "" + str(m.embeds) for m in other_channel.history())

async def test_history_pages_of_a_deleted_account_answer_privately(world: World, caplog):
    """Next on a /history whose member's account was deleted: a private answer, not a failed interaction."""
    gone = 123456789012345678  # no such user: Discord answers 404 Unknown User
    result = await click_forged(world.env, world.alice, msgs(await world.alice.slash(world.channel, "quote"))[0],
                                f"filmbot:history:{gone}:1:n")
    assert result.acknowledged and all(m.ephemeral for m in msgs(result)), text_of(result)
    assert "no longer exists" in text_of(result) and not failures_logged(caplog), failures_logged(caplog)


async def test_a_button_that_fails_unexpectedly_answers_privately_with_a_code(world: World, monkeypatch, caplog):
    """Any DynamicItem's unexpected failure: a private answer with a code to quote, logged (discord.py alone
    would only log it and leave "This interaction failed")."""
    quote = msgs(await world.alice.slash(world.channel, "quote"))[0]

    async def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(world.bot.store.quotes, "context", broken)
    result = await world.bob.click(quote, label="More context")
    assert result.acknowledged and all(m.ephemeral for m in msgs(result))
    assert "error code" in text_of(result), text_of(result)
    assert any("disk on fire" in (record.exc_text or "") for record in caplog.records)


async def test_a_forged_vote_on_another_servers_or_a_hidden_channels_poll_is_refused(world: World, settings):
    """A vote button carrying the id of a poll of another server, or of #staff (which the member cannot view), is
    refused privately and counts nothing: a vote only comes from the poll's own message."""
    from tests.cross.test_permissions_channels import staff_channel

    other = world.env.create_guild(name="Other Club")
    carol = other.add_member(world.env.create_user("carol"))
    await carol.slash(other.create_text_channel("films"), "poll create", question="Theirs?", options="X | Y")
    await world.mod.slash(staff_channel(world), "poll create", question="Staff only?", options="S | T")
    target = msgs(await world.alice.slash(world.channel, "quote"))[0]
    for (poll_id,) in world.q("SELECT id FROM polls"):
        before = table_digest(settings)
        result = await click_forged(world.env, world.bob, target, f"filmbot:poll:vote:{poll_id}:1")
        assert all(m.ephemeral for m in msgs(result)) and "no longer exists" in text_of(result), text_of(result)
        assert table_digest(settings) == before
    assert world.count("poll_votes") == 0


async def test_a_forged_ballot_or_game_answer_for_a_hidden_channel_is_refused(world: World, settings):
    """A film-night pick and a game round posted in #staff (which the member cannot view): a ballot menu or an
    answer button forged with their ids, used from #film-club, is refused privately and counts nothing, as a
    poll's vote is: a ballot or an answer only comes from its own message's channel."""
    from tests.cross.test_permissions_channels import staff_channel

    staff = staff_channel(world)
    for film, year in (("Whiplash", 2014), ("Paterson", 2016)):
        await world.alice.slash(world.channel, "watchlist add", film=film, year=year)
    assert not (await world.mod.slash(staff, "filmnight pick", candidates=2, hours=2, method="single")).ephemeral
    await world.alice.slash(world.channel, "rate film", film="La La Land", stars=4, take="The colours sing all along.")
    await world.alice.slash(world.channel, "rate consent", state="on")
    assert not (await world.mod.slash(staff, "game critic-or-club", rounds=1)).ephemeral
    [(pick,)], [(round_id,)] = world.q("SELECT id FROM filmnight_picks"), world.q("SELECT id FROM club_game_rounds")
    target = msgs(await world.bob.slash(world.channel, "quote"))[0]
    before = table_digest(settings)
    for custom_id, values in ((f"filmbot:filmnight:rank:{pick}", ["1"]), (f"filmbot:game:answer:{round_id}:critic", None)):
        result = await click_forged(world.env, world.bob, target, custom_id, values)
        assert all(m.ephemeral for m in msgs(result)) and "no longer exists" in text_of(result), text_of(result)
        assert "Whiplash" not in text_of(result)
    assert table_digest(settings) == before
    assert world.count("filmnight_ballots") == 0 and world.count("club_game_answers") == 0


async def test_a_moderator_of_another_server_cannot_decide_this_servers_queues(world: World, settings):
    """Anyone can be a moderator of a server of their own: from there, Approve / Reject forged with the id of this
    server's pending watchlist film or suggested question is refused and decides nothing."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.alice.slash(world.channel, "suggest question", text="Which song stays with you?", theme="music")
    [(entry,)] = world.q("SELECT id FROM watchlist WHERE status = 'pending'")
    [(suggestion,)] = world.q("SELECT id FROM question_suggestions WHERE state = 'pending'")

    own = world.env.create_guild(name="Attacker's Club")
    admin = discord.Permissions(manage_guild=True)
    attacker = own.add_member(world.env.create_user("mallory"), roles=[own.create_role("Mods", permissions=admin)])
    their_channel = own.create_text_channel("films")
    target = msgs(await attacker.slash(their_channel, "quote"))[0]
    for custom_id in (f"filmbot:filmnight:approve:{entry}", f"filmbot:filmnight:reject:{entry}",
                      f"filmbot:suggest:approve:{suggestion}", f"filmbot:suggest:reject:{suggestion}"):
        before = table_digest(settings)
        result = await click_forged(world.env, attacker, target, custom_id)
        assert all(m.ephemeral for m in msgs(result)), f"{custom_id}: {text_of(result)[:200]}"
        assert table_digest(settings) == before, f"{custom_id} decided another server's record"
    assert world.q("SELECT status FROM watchlist") == [("pending",)]
    assert world.q("SELECT state FROM question_suggestions") == [("pending",)]


async def test_a_member_of_another_server_cannot_answer_this_servers_game_or_vote_in_its_pick(world: World, settings):
    """A game answer or a film-night ballot forged with this server's round or pick id, clicked in another server,
    is refused and stored nothing (it would count in this server's game and ballot)."""
    from tests.club.test_commands import start_game
    from tests.filmnight.test_pick_count import open_pick

    await start_game(world)
    await open_pick(world)
    [(round_id,)] = world.q("SELECT id FROM club_game_rounds ORDER BY id LIMIT 1")
    [(pick_id,)] = world.q("SELECT id FROM filmnight_picks")
    other = world.env.create_guild(name="Other Club")
    mallory = other.add_member(world.env.create_user("mallory"))
    target = msgs(await mallory.slash(other.create_text_channel("films"), "quote"))[0]
    for custom_id, values in ((f"filmbot:game:answer:{round_id}:critic", None),
                              (f"filmbot:filmnight:rank:{pick_id}", ["1"])):
        before = table_digest(settings)
        result = await click_forged(world.env, mallory, target, custom_id, values)
        assert all(m.ephemeral for m in msgs(result)) and "no longer exists" in text_of(result), text_of(result)
        assert table_digest(settings) == before, custom_id


async def test_a_review_form_that_fails_unexpectedly_answers_privately_with_a_code(world: World, monkeypatch):
    """The /review add form is handled by a listener, whose exceptions discord.py only logs: a failure while
    storing it is answered privately with a code, not left as "This interaction failed"."""
    shown = await world.mod.slash(world.channel, "review add", film="Form Film")
    assert shown.modal is not None

    async def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(world.bot.store.drafts, "take", broken)
    result = await world.mod.submit_modal(shown, {"filmbot:review:text": "A film about forms. " * 10})
    assert result.acknowledged and all(m.ephemeral for m in msgs(result)) and "error code" in text_of(result)


async def test_another_servers_saved_search_is_not_shown_through_a_forged_pager(world: World, settings):
    """A /review list's Prev/Next or a quote's Another forged with the id of a search saved in another server
    shows none of what was typed there (a critic filter, `about:` words): the search is that server's."""
    other = world.env.create_guild(name="Other Club")
    carol = other.add_member(world.env.create_user("carol"))
    theirs = other.create_text_channel("films")
    await carol.slash(theirs, "review list", critic="Carol's private grudge list")
    await carol.slash(theirs, "quote", about="music")
    saved = world.q("SELECT id FROM quote_queries ORDER BY id")
    assert len(saved) == 2
    target = msgs(await world.alice.slash(world.channel, "quote"))[0]
    for (query_id,) in saved:
        for custom_id in (f"filmbot:review:list:{query_id}:0:n", f"filmbot:quote:another:{query_id}:1"):
            result = await click_forged(world.env, world.alice, target, custom_id)
            assert all(m.ephemeral for m in msgs(result)), f"{custom_id}: {text_of(result)[:200]}"
            assert "grudge" not in text_of(result) and "no longer available" in text_of(result), text_of(result)
