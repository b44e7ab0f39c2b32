"""Watchlist approval whatever became of the log channel's post: the member told plainly, the suggestion kept,
and moderators deciding it from `/watchlist pending` (a refused post, or no log channel when it was suggested)."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from tests.faults import discord_fault
from tests.helpers import (
    assert_ephemeral_reply,
    assert_no_pings,
    buttons,
    check_all_payloads,
    click_forged,
    embed_text,
    msgs,
    text_of,
    write,
)


async def approval_on(world, *, log_channel: bool = True):
    log = world.guild.create_text_channel("mod-log") if log_channel else None
    if log is not None:
        await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    return log


def queue(log) -> list:
    return [m for m in log.history() if m.embeds]


def waiting(world) -> list:
    return [tuple(r) for r in world.q("SELECT f.title, w.status FROM watchlist w JOIN films f ON f.id = w.film_id"
                                      " ORDER BY w.id")]


@pytest.mark.parametrize("status", [403, 503])
async def test_a_refused_log_post_keeps_the_suggestion_and_tells_the_member_privately(world, status):
    """Discord refuses the log post (Missing Permissions, or a 503 it did not apply): the member is told privately
    that the suggestion waits and where moderators find it; it stays pending; the command never raises."""
    log = await approval_on(world)
    discord_fault(world.env, "POST", f"/channels/{log.id}/messages", status)
    told = await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    said = assert_ephemeral_reply(told)
    assert "Suggested **Aftersun (2022)**" in said and "/watchlist pending" in said, said
    assert waiting(world) == [("Aftersun", "pending")] and not queue(log)
    assert not world.env.errors


async def test_moderators_decide_a_suggestion_whose_log_post_failed_from_watchlist_pending(world):
    """No Approve/Reject message exists after a 403: `/watchlist pending` shows the suggestion privately to a
    moderator, and its Approve lists it (audited), after a restart too."""
    log = await approval_on(world)
    discord_fault(world.env, "POST", f"/channels/{log.id}/messages", 403)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022, note="Tender @everyone")
    shown = await world.mod.slash(world.channel, "watchlist pending")
    assert shown.ephemeral
    body = embed_text(shown.response.embeds[0])
    assert "Aftersun (2022)" in body and f"<@{world.alice.id}>" in body and "@\u200beveryone" in body
    await world.env.restart_bot()
    decided = await world.mod.click(shown.response, label="Approve")
    assert "Aftersun (2022)** approved" in text_of(decided)
    assert "No watchlist suggestion awaits approval" in embed_text(decided.response.embeds[0])
    assert waiting(world) == [("Aftersun", "active")]
    assert world.q("SELECT count(*) FROM audit_log WHERE action = 'watchlist.approve'") == [(1,)]
    assert not world.env.errors
    assert_no_pings(world.env)
    check_all_payloads(world.env)


async def test_suggestions_made_before_a_log_channel_are_decided_from_watchlist_pending(world):
    """Suggestions made while no log channel was set get no buttons when one is set later: setting it says how
    many wait, and `/watchlist pending` pages through them; Reject drops one and shows the next."""
    await approval_on(world, log_channel=False)
    for who, film in ((world.alice, "Aftersun"), (world.bob, "Tár"), (world.alice, "Past Lives")):
        told = await who.slash(world.channel, "watchlist add", film=film, year=2022)
        assert "/watchlist pending" in text_of(told)
    log = world.guild.create_text_channel("mod-log")
    set_log = await world.mod.slash(world.channel, "config log-channel", channel=log)
    assert "3 watchlist suggestions already waiting" in text_of(set_log)
    first = await world.mod.slash(world.channel, "watchlist pending")
    assert "Suggestion 1 of 3" in first.response.embeds[0].footer.text
    second = await world.mod.click(first.response, label="Next ▶")
    assert "Tár (2022)" in embed_text(second.response.embeds[0])
    rejected = await world.mod.click(second.response, label="Reject")
    assert "Tár (2022)** rejected" in text_of(rejected)
    assert "Past Lives" in embed_text(rejected.response.embeds[0])
    assert "Suggestion 2 of 2" in rejected.response.embeds[0].footer.text
    assert waiting(world) == [("Aftersun", "pending"), ("Past Lives", "pending")]


async def test_members_and_other_servers_cannot_decide_or_page_the_queue(world):
    """The queue's ids forged by a member (Approve, Next), or its page asked for from another server by that
    server's moderator: refused privately, nothing decided, nothing of this server shown."""
    await approval_on(world, log_channel=False)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022)
    (entry_id,) = world.q("SELECT id FROM watchlist WHERE film_id = (SELECT id FROM films WHERE title = 'Aftersun')")[0]
    public = msgs(await world.alice.slash(world.channel, "watchlist list"))[0]
    for forged in (f"filmbot:filmnight:pending-approve:{entry_id}", f"filmbot:filmnight:pending:{world.guild.id}:1:n"):
        refused = await click_forged(world.env, world.alice, public, forged)
        assert "moderator" in assert_ephemeral_reply(refused).lower()
    other = world.env.create_guild(name="Other Club")
    their_mod = other.add_member(world.env.create_user("theirs"), roles=[other.create_role(
        "Mods", permissions=discord.Permissions(manage_guild=True))])
    theirs = msgs(await their_mod.slash(other.create_text_channel("films"), "watchlist list"))[0]
    result = await click_forged(world.env, their_mod, theirs, f"filmbot:filmnight:pending:{world.guild.id}:1:n")
    assert "another server" in assert_ephemeral_reply(result) and "Tár" not in text_of(result)
    assert waiting(world) == [("Aftersun", "pending"), ("Tár", "pending")]


async def test_a_log_post_discord_made_before_its_5xx_is_kept_once(world):
    """Discord makes the log post, then answers 503: the member hears a moderator will approve it, the one message
    with buttons stands (never a second), and its Approve works."""
    log = await approval_on(world)
    discord_fault(world.env, "POST", f"/channels/{log.id}/messages", 503, applied=True)
    told = await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    assert "a moderator will approve it" in assert_ephemeral_reply(told)
    (posted,) = queue(log)
    await world.mod.click(posted, label="Approve")
    assert waiting(world) == [("Aftersun", "active")]
    assert len(queue(log)) == 1 and not world.env.errors


async def test_the_queue_holds_back_a_notes_own_spoiler_of_the_gated_film(world):
    """While the screening of the film waits, what the member hid behind `||` in a pending suggestion's note of
    that film is not sent in `/watchlist pending` (as in /watchlist list); the rest of the note is."""
    await approval_on(world, log_channel=False)
    await world.alice.slash(world.channel, "watchlist add", film="Alien", year=1979, note="Wow ||Ripley survives||")
    when = (world.env.now() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    await world.mod.slash(world.channel, "filmnight schedule", film="Alien (1979)", when=when, where="x")
    shown = await world.mod.slash(world.channel, "watchlist pending")
    body = embed_text(shown.response.embeds[0])
    assert "Alien (1979)" in body and "Wow" in body and "Ripley" not in body, body


@pytest.mark.parametrize("where", ["queue", "log"])
@pytest.mark.parametrize("applied", [False, True])
async def test_a_decision_whose_message_edit_fails_is_stored_and_said_so(world, where, applied):
    """Approve's edit of its message (the `/watchlist pending` page, or the log channel's post) meets a 503, applied
    or not: the suggestion is approved once and the moderator is told so privately, never to try again."""
    log = await approval_on(world, log_channel=where == "log")
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    shown = (await world.mod.slash(world.channel, "watchlist pending")).response if where == "queue" else queue(log)[0]
    discord_fault(world.env, "POST", "/interactions/*/callback", 503, applied=applied)
    decided = await world.mod.click(shown, label="Approve")
    said = "\n".join(m.content or "" for m in msgs(decided) if m.flags.ephemeral)
    assert "Aftersun (2022)** is approved" in said and "stored" in said, said
    assert "try again" not in said.lower(), said
    assert waiting(world) == [("Aftersun", "active")]
    assert world.q("SELECT count(*) FROM audit_log WHERE action = 'watchlist.approve'") == [(1,)]


async def test_a_log_post_pressed_after_its_suggestion_was_decided_in_the_queue_is_closed(world, settings):
    """Approved from `/watchlist pending`, the log channel's post still offered Approve/Reject: pressed, it now
    shows the suggestion was decided and its buttons disabled; an older copy of the page shows the queue as it is;
    the ids forged onto another message leave it as it was."""
    log = await approval_on(world)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022)
    write(settings, "UPDATE watchlist SET log_message_id = NULL")  # posted before migration 179 recorded it
    page = (await world.mod.slash(world.channel, "watchlist pending")).response
    older = (await world.mod.slash(world.channel, "watchlist pending")).response  # another copy, left open
    [approve] = [b["custom_id"] for b in buttons(page) if b["label"] == "Approve"]
    await world.mod.click(page, label="Approve")
    (posted, _) = sorted(queue(log), key=lambda m: m.id)
    pressed = await world.mod.click(posted, label="Reject")
    assert "already decided" in text_of(pressed)
    (posted, _) = sorted(queue(log), key=lambda m: m.id)
    assert "already decided" in (posted.content or "") and all(b["disabled"] for b in buttons(posted)), posted.content
    stale = await world.mod.click(older, label="Approve")
    assert "already decided" in text_of(stale) and "Suggestion 1 of 1" in stale.response.embeds[0].footer.text
    public = msgs(await world.alice.slash(world.channel, "watchlist list"))[0]
    shown = (public.content, [e.to_dict() for e in public.embeds])  # its buttons: click_forged puts the id there
    for forged in (approve, posted_id := buttons(posted)[0]["custom_id"]):  # onto a message not carrying them
        assert "already decided" in assert_ephemeral_reply(await click_forged(world.env, world.mod, public, forged))
    assert (public.content, [e.to_dict() for e in public.embeds]) == shown, posted_id
    assert waiting(world) == [("Aftersun", "active"), ("Tár", "pending")]
    assert not world.env.errors


@pytest.mark.parametrize("action", ["Approve", "Reject"])
async def test_a_decision_in_watchlist_pending_closes_the_log_post_at_once(world, action):
    """Decided in `/watchlist pending`, the suggestion's log-channel post says at once who decided it, its Approve and
    Reject disabled, without anyone pressing it; the other suggestion's post still offers its decision."""
    log = await approval_on(world)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022)
    page = (await world.mod.slash(world.channel, "watchlist pending")).response
    decided = await world.mod.click(page, label=action)
    verdict = "approved" if action == "Approve" else "rejected"
    assert f"Aftersun (2022)** {verdict}" in text_of(decided) and "log channel" not in text_of(decided)
    aftersun, tar = sorted(queue(log), key=lambda m: m.id)
    assert f"**Aftersun (2022)** {verdict}" in aftersun.content and f"<@{world.mod.id}>" in aftersun.content
    assert "/watchlist pending" in aftersun.content and all(b["disabled"] for b in buttons(aftersun))
    assert not (tar.content or "") and not any(b["disabled"] for b in buttons(tar))
    assert waiting(world) == ([("Aftersun", "active"), ("Tár", "pending")] if action == "Approve"
                              else [("Tár", "pending")])
    assert world.q(f"SELECT count(*) FROM audit_log WHERE action = 'watchlist.{action.lower()}'") == [(1,)]
    assert not world.env.errors
    assert_no_pings(world.env)
    check_all_payloads(world.env)


@pytest.mark.parametrize("status", [404, 503])
async def test_a_log_post_edit_failing_after_a_queue_decision_keeps_the_decision_and_says_so(world, status):
    """The log post's edit meets a 404 (deleted) or a 503 after a decision in `/watchlist pending`: the decision stands
    (stored, audited once) and the moderator is told the truth about the post, never to try again."""
    log = await approval_on(world)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    page = (await world.mod.slash(world.channel, "watchlist pending")).response
    discord_fault(world.env, "PATCH", f"/channels/{log.id}/messages/*", status)
    decided = await world.mod.click(page, label="Approve")
    said = text_of(decided)
    assert "Aftersun (2022)** approved" in said, said
    assert ("is gone" if status == 404 else "may still show Approve/Reject") in said and "try again" not in said.lower()
    assert waiting(world) == [("Aftersun", "active")]
    assert world.q("SELECT count(*) FROM audit_log WHERE action = 'watchlist.approve'") == [(1,)]
    assert not world.env.errors


async def test_a_suggestion_withdrawn_while_it_waits_closes_its_log_post(world):
    """The member removes their own suggestion while it waits for approval: its log post says it was withdrawn and
    stops offering Approve/Reject; a 404 on that edit (the post deleted) still removes it, quietly."""
    log = await approval_on(world)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022)
    removed = await world.alice.slash(world.channel, "watchlist remove", film="Aftersun (2022)")
    assert removed.ephemeral and "Removed" in text_of(removed)
    aftersun, tar = sorted(queue(log), key=lambda m: m.id)
    assert "**Aftersun (2022)** withdrawn" in aftersun.content and all(b["disabled"] for b in buttons(aftersun))
    assert not any(b["disabled"] for b in buttons(tar))  # the other member's suggestion still waits
    discord_fault(world.env, "PATCH", f"/channels/{log.id}/messages/*", 404)
    gone = await world.bob.slash(world.channel, "watchlist remove", film="Tár (2022)")
    assert gone.ephemeral and "Removed" in text_of(gone)
    assert waiting(world) == []
    assert not world.env.errors
    assert_no_pings(world.env)


@pytest.mark.parametrize("decided", [False, True])
async def test_forget_me_edits_the_watchlist_suggestions_log_post(world, decided):
    """The member's note and name leave the log channel's post of their watchlist suggestion (pending, or approved
    already) when they ask /rate forget-me, as they leave the database; bob's post stays; a decision in
    `/watchlist pending` after it names nobody."""
    log = await approval_on(world)
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022, note="Tender, my dad @everyone")
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022, note="Bob's own")
    alices, bobs = sorted(queue(log), key=lambda m: m.id)
    if decided:
        await world.mod.click(alices, label="Approve")
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    (edited,) = [m for m in log.history() if m.id == alices.id]
    shown = (edited.content or "") + "".join(embed_text(e) for e in edited.embeds)
    assert "Tender" not in shown and str(world.alice.id) not in shown, shown
    assert "asked to be forgotten" in shown and not edited.components, shown
    (kept,) = [m for m in log.history() if m.id == bobs.id]
    assert "Bob's own" in embed_text(kept.embeds[0]) and not kept.content
    assert world.count("suggestion_retractions") == 0
    if not decided:
        page = (await world.mod.slash(world.channel, "watchlist pending")).response
        for _ in range(2):  # both, in the queue's order
            page = (await world.mod.click(page, label="Approve")).response
        (edited,) = [m for m in log.history() if m.id == alices.id]
        shown = (edited.content or "") + "".join(embed_text(e) for e in edited.embeds)
        assert "Aftersun (2022)** approved" in shown and "Tender" not in shown, shown
        assert str(world.alice.id) not in shown and "former member" in shown, shown
    assert waiting(world)[0] == ("Aftersun", "active")
    assert not world.env.errors
    assert_no_pings(world.env)


async def test_a_log_post_whose_ids_cannot_be_stored_still_tells_the_member_it_waits(world, monkeypatch):
    """The log post is made but storing where it is fails (the database busy): the member is told their suggestion
    waits for a moderator (it is stored and posted), never to try again; pressed later, the post still decides."""
    from tests.faults import db_fault

    log = await approval_on(world)
    failed = db_fault(monkeypatch, world.bot.store.filmnight, "set_log_post")
    told = await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    said = assert_ephemeral_reply(told)
    assert failed == [1] and "a moderator will approve it" in said and "try again" not in said.lower(), said
    (posted,) = queue(log)
    await world.mod.click(posted, label="Approve")
    assert waiting(world) == [("Aftersun", "active")]
    assert not world.env.errors
