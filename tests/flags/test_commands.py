"""Members flag passages, moderators decide (issue 28, item 4), driven through simcord."""

from __future__ import annotations

from datetime import timedelta

from bot.flags.rules import Reason
from tests.helpers import (
    World,
    advance_to,
    assert_ephemeral_reply,
    burst,
    buttons,
    check_all_payloads,
    click_forged,
    embed_of,
    embed_text,
    grant_hidden_commands,
    passage_id_of,
    prompt_messages,
    rows,
    table_digest,
    text_of,
)

ABOUT = "Griffith Observatory"  # one passage (a spoiler: it tells the ending)
PLAIN = "absurd pursuit of stardom"  # a passage that is no spoiler (before review #1's first reveal)


async def quote(world: World, who=None, **options):
    """A public /quote; its message and passage id."""
    result = await (who or world.alice).slash(world.channel, "quote", **({"about": ABOUT} | options))
    assert not result.ephemeral, text_of(result)
    return result.response, passage_id_of(world.bot.settings, result.response)


async def flag(world: World, who, message, reason: str = "Doesn't read well", label: str = "Flag"):
    """Click Flag on a public message, then the reason: (first reply, second reply)."""
    asked = await who.click(message, label=label)
    if not asked.response or not buttons(asked.response):
        return asked, None
    return asked, await who.click(asked.response, label=reason)


async def queue(world: World, who=None):
    result = await (who or world.mod).slash(world.channel, "passage flagged")
    assert result.ephemeral
    return result


def flags(world: World, passage_id: int | None = None) -> list:
    where, args = ("WHERE passage_id = ?", (passage_id,)) if passage_id else ("", ())
    return rows(world.bot.settings, f"SELECT passage_id, user_id, guild_id, reason, resolved_at FROM passage_flags {where}", args)


async def test_quote_and_prompts_carry_a_flag_button_next_to_the_old_ones(world):
    """/quote keeps Another and More context (same ids) and adds 🚩 Flag; /discuss and /debate excerpts too."""
    message, passage = await quote(world)
    ids = [b["custom_id"] for b in buttons(message)]
    assert ids[1:] == [f"filmbot:quote:context:{passage}", f"filmbot:flag:{passage}"]
    assert ids[0].startswith("filmbot:quote:another:") and ids[0].endswith(f":{passage}")
    await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    await world.alice.slash(world.channel, "debate")
    discuss, debate = prompt_messages(world)[-2:]
    assert [b["label"] for b in buttons(discuss)] == ["Flag"]
    assert [b["label"] for b in buttons(debate)] == ["Flag excerpt 1", "Flag excerpt 2"]
    posted = rows(world.bot.settings, "SELECT passage_id FROM posted_prompts ORDER BY id")
    flagged = [int(b["custom_id"].rsplit(":", 1)[1]) for m in (discuss, debate) for b in buttons(m)]
    assert flagged == [row[0] for row in posted]
    check_all_payloads(world.env)


async def test_member_flags_privately_and_nobody_sees_who(world):
    """The flag is a private exchange; the moderator's queue shows counts by reason, never the member."""
    message, passage = await quote(world)
    public = len(world.bot_messages())
    asked, done = await flag(world, world.alice, message, "Wrong film")
    assert_ephemeral_reply(asked, "never who")
    assert done is not None and "flagged as “Wrong film”" in text_of(done)
    assert done.response.ephemeral and not buttons(done.response)
    assert len(world.bot_messages()) == public  # nothing public
    assert [(r[0], r[1], r[3]) for r in flags(world)] == [(passage, world.alice.id, "wrong_film")]
    shown = await queue(world)
    text = text_of(shown)
    assert "1 flag" in text and "1 wrong film" in text
    assert "alice" not in text.lower() and str(world.alice.id) not in str(shown.response.components)
    assert [b["label"] for b in buttons(shown.response)] == ["Hide 1", "Keep 1", "Mark spoiler 1", "Trim 1"]


async def test_second_flag_on_the_same_passage_is_refused(world):
    """One flag per member per passage: the button says so, a replayed reason writes nothing."""
    message, passage = await quote(world)
    first = await world.alice.click(message, label="Flag")
    second = await world.alice.click(message, label="Flag")  # two private choices open at once
    await world.alice.click(first.response, label="Doesn't read well")
    replay = await world.alice.click(second.response, label="Spoiler")
    assert_ephemeral_reply(replay, "already flagged")
    again = await world.alice.click(message, label="Flag")
    assert_ephemeral_reply(again, "already flagged")
    assert len(flags(world)) == 1 and flags(world)[0]["reason"] == "reads_badly"
    _, other = await flag(world, world.bob, message, "Spoiler")  # another member may
    assert other is not None and len(flags(world, passage)) == 2


async def test_a_flag_in_one_server_does_not_refuse_the_same_members_flag_in_another(world):
    """Alice flags a passage here, then the same passage in her other server: that server's moderators get
    the flag too (each server's queue is its own), and each server still refuses her second flag."""
    message, passage = await quote(world)
    await flag(world, world.alice, message, "Spoiler")
    other = world.env.create_guild(name="Other Club")
    alice_there = other.add_member(world.alice_user)
    channel = other.create_text_channel("films")
    there = (await alice_there.slash(channel, "quote", about=ABOUT)).response
    # the same passage's Flag button, as a quote of it in this server carries it (quotes are drawn at random)
    asked = await click_forged(world.env, alice_there, there, f"filmbot:flag:{passage}")
    assert buttons(asked.response), text_of(asked)
    done = await alice_there.click(asked.response, label="Doesn't read well")
    assert "flagged as" in text_of(done), text_of(done)
    assert sorted((row["guild_id"], row["reason"]) for row in flags(world, passage)) == sorted(
        [(world.guild.id, "spoiler"), (other.id, "reads_badly")])
    assert_ephemeral_reply(await click_forged(world.env, alice_there, there, f"filmbot:flag:{passage}"),
                           "already flagged")
    assert_ephemeral_reply(await world.alice.click(message, label="Flag"), "already flagged")


async def flag_up_to_the_limit(world, member, besides: int) -> None:
    """`member` flags ten passages (not `besides`, the one on screen) through the store: the hourly limit."""
    ids = [r[0] for r in rows(world.bot.settings, "SELECT id FROM passages WHERE quotable = 1 AND id != ?"
                                                  " ORDER BY id LIMIT 10", (besides,))]
    for passage_id in ids:
        assert await world.bot.store.flags.flag(
            passage_id=passage_id, user_id=member.id, guild_id=world.guild.id, reason=Reason.READS_BADLY
        ) == "flagged"


async def test_flags_are_rate_limited_per_member_per_hour(world):
    """Past ten flags in an hour a member is refused privately; others are not; an hour later it works."""
    message, shown = await quote(world)  # first: a uniform pick may be any passage, flagged ones included
    await flag_up_to_the_limit(world, world.alice, besides=shown)
    before = len(flags(world))
    refused = await world.alice.click(message, label="Flag")
    assert_ephemeral_reply(refused, "last hour")
    assert len(flags(world)) == before
    _, bob = await flag(world, world.bob, message)
    assert bob is not None and len(flags(world)) == before + 1
    await advance_to(world, world.env.now() + timedelta(hours=1, seconds=1))
    _, later = await flag(world, world.alice, message)
    assert later is not None and "flagged as" in text_of(later)


async def test_forget_me_does_not_reset_the_flag_limit(world):
    """A member at the hourly flag limit who asks /rate forget-me loses their flags but not the limit: the
    times and counts stay (member_limit_marks, no passage), so the next flag is still refused within the hour."""
    message, shown = await quote(world)
    await flag_up_to_the_limit(world, world.alice, besides=shown)
    await world.alice.slash(world.channel, "rate forget-me", confirm=True)
    assert rows(world.bot.settings, "SELECT count(*) FROM passage_flags WHERE user_id = ?", (world.alice.id,)) \
        == [(0,)]
    assert rows(world.bot.settings, "SELECT kind, guild_id, sum(n) FROM member_limit_marks GROUP BY kind, guild_id") \
        == [("flag", 0, 10)]
    refused = await world.alice.click(message, label="Flag")
    assert_ephemeral_reply(refused, "last hour")
    assert len(flags(world)) == 0
    await advance_to(world, world.env.now() + timedelta(hours=1, seconds=1))
    _, later = await flag(world, world.alice, message)
    assert later is not None and "flagged as" in text_of(later)


async def test_hide_from_the_queue_and_the_passage_is_never_quoted_again(world):
    """Hide says it is corpus-wide, empties the queue, is audited; no /quote or /search shows it again."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    hidden = await world.mod.click(shown.response, label="Hide 1")
    confirmation = text_of(hidden)
    assert "every server" in confirmation and "shared" in confirmation
    assert "No passage is waiting" in embed_text(embed_of(hidden.response))
    assert rows(world.bot.settings, "SELECT action, target_id, actor_id FROM audit_log WHERE action LIKE 'passage.%'") \
        == [("passage.hide", passage, world.mod.id)]
    assert flags(world)[0]["resolved_at"] is not None
    for _ in range(12):
        again = await world.alice.slash(world.channel, "quote", about=ABOUT)
        assert again.ephemeral or passage_id_of(world.bot.settings, again.response) != passage
    found = await world.alice.slash(world.channel, "search", query=ABOUT)
    text = rows(world.bot.settings, "SELECT text FROM passages WHERE id = ?", (passage,))[0][0]
    assert text[:60] not in text_of(found)
    context = await world.bob.click(message, label="More context")
    assert_ephemeral_reply(context, "hid")
    check_all_payloads(world.env)


async def test_queue_pages_four_passages_at_a_time(world):
    """Five flagged passages: two pages, four rows of four buttons and a page row; Next shows the fifth."""
    ids = [r[0] for r in rows(world.bot.settings, "SELECT id FROM passages WHERE quotable = 1 ORDER BY id LIMIT 5")]
    for n, passage_id in enumerate(ids):
        for who in (world.alice, world.bob)[: 2 if n == 0 else 1]:  # the first is the most flagged
            await world.bot.store.flags.flag(
                passage_id=passage_id, user_id=who.id, guild_id=world.guild.id, reason=Reason.SPOILER
            )
    shown = await queue(world)
    first = embed_of(shown.response)
    assert first.title == "Flagged passages (5)" and "Page 1 of 2" in first.footer.text
    assert "2 flags" in first.fields[0].name and len(first.fields) == 4
    labels = [b["label"] for b in buttons(shown.response)]
    assert len(labels) == 18 and labels[-2:] == ["Prev", "Next"]
    second = await world.mod.click(shown.response, label="Next")
    page = embed_of(second.response)
    assert "Page 2 of 2" in page.footer.text and len(page.fields) == 1
    assert [b["label"] for b in buttons(second.response)][:4] == ["Hide 1", "Keep 1", "Mark spoiler 1", "Trim 1"]
    check_all_payloads(world.env)


async def test_mark_spoiler_puts_the_passage_behind_spoiler_bars(world):
    """Mark spoiler: the next quote of that passage is hidden behind || and says a moderator marked it."""
    message, passage = await quote(world, about=PLAIN)
    assert "||" not in embed_of(message).description
    await flag(world, world.alice, message, "Spoiler")
    shown = await queue(world)
    assert "||" in embed_text(embed_of(shown.response))  # members said it spoils: hidden in the queue too
    marked = await world.mod.click(shown.response, label="Mark spoiler 1")
    assert "spoiler bars" in text_of(marked) and "every server" in text_of(marked)
    for _ in range(20):
        again = await world.alice.slash(world.channel, "quote", about=PLAIN)
        if not again.ephemeral and passage_id_of(world.bot.settings, again.response) == passage:
            embed = embed_of(again.response)
            assert embed.description.startswith("> ||")
            assert "moderator marked it" in embed_text(embed)
            return
    raise AssertionError("the marked passage never came back")


async def test_trim_keeps_the_chosen_sentence(world):
    """Trim opens a private menu of the passage's sentences; the one chosen is all that is quoted after."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    menu = await world.mod.click(shown.response, label="Trim 1")
    assert menu.ephemeral
    [select] = [c for row in menu.response.components for c in row["components"] if c["type"] == 3]
    assert select["custom_id"] == f"filmbot:flag:trimto:{passage}" and len(select["options"]) >= 2
    chosen = await world.mod.select(menu.response, ["1"], custom_id=select["custom_id"])
    assert "one sentence" in text_of(chosen) and "every server" in text_of(chosen)
    [(kept,)] = rows(world.bot.settings, "SELECT trimmed FROM passage_marks WHERE passage_id = ?", (passage,))
    full = rows(world.bot.settings, "SELECT text FROM passages WHERE id = ?", (passage,))[0][0]
    assert kept in full and len(kept) < len(full)
    got = await world.bot.store.quotes.get(passage)
    assert got is not None and got.text == kept and got.trimmed
    check_all_payloads(world.env)


async def test_hide_and_show_by_command(world):
    """/passage hide and /passage show name the passage as its footer does; both audited, both corpus-wide."""
    message, passage = await quote(world)
    footer = embed_of(message).footer.text
    hidden = await world.mod.slash(world.channel, "passage hide", passage=footer)
    assert_ephemeral_reply(hidden, "never be quoted", "every server")
    assert (await world.bot.store.quotes.get(passage)).hidden
    shown = await world.mod.slash(world.channel, "passage show", passage=footer)
    assert_ephemeral_reply(shown, "quoted and prompted again", "every server")
    assert not (await world.bot.store.quotes.get(passage)).hidden
    actions = rows(world.bot.settings, "SELECT action FROM audit_log WHERE target_id = ? ORDER BY id", (passage,))
    assert [a[0] for a in actions] == ["passage.hide", "passage.show"]


async def test_hiding_twice_says_nothing_changed_and_clears_no_flags_that_were_never_there(world):
    """/passage hide of a hidden, unflagged passage: "nothing changed", no word of clearing flags it never had,
    and "No open flags in this server." rather than "Open flags in this server: no open flags"."""
    message, _ = await quote(world, about=PLAIN)
    footer = embed_of(message).footer.text
    await world.mod.slash(world.channel, "passage hide", passage=footer)
    again = assert_ephemeral_reply(await world.mod.slash(world.channel, "passage hide", passage=footer))
    assert f"**{footer}** was already hidden: nothing changed.\n" in again, again
    assert "flags in this server are cleared" not in again and "🚩 No open flags in this server." in again, again


async def test_showing_a_flagged_passage_that_was_not_hidden_says_its_flags_are_cleared(world):
    """/passage show of a passage never hidden but flagged here: nothing changed in the corpus, its flags here
    cleared, and said so."""
    message, passage = await quote(world, about=PLAIN)
    await flag(world, world.alice, message)
    shown = await world.mod.slash(world.channel, "passage show", passage=embed_of(message).footer.text)
    assert "was not hidden: nothing changed. Its flags in this server are cleared." in assert_ephemeral_reply(shown)
    assert not [f for f in flags(world, passage) if f["resolved_at"] is None]


async def test_two_moderators_deciding_the_same_flags_at_once_apply_one_decision(world):
    """Hide and Keep pressed at once on the same queued passage (two moderators' open queues): the first one
    decides; the other is told it came second and changes nothing (no second decision, no second audit row)."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world)
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[world.mod_role])  # the second moderator
    hers = await queue(world, carol)
    hide, keep = (f"filmbot:flag:decide:{d}:{passage}:0" for d in ("hide", "keep"))
    first, second = await burst(world.env, [lambda: world.mod.click(shown.response, custom_id=keep),
                                            lambda: carol.click(hers.response, custom_id=hide)])
    came_second = [r for r in (first, second) if "another moderator decided on it first" in text_of(r)]
    assert len(came_second) == 1, [text_of(first), text_of(second)]
    kept = came_second[0] is second  # whichever transaction ran first decided
    assert ("Kept" if kept else "is hidden") in text_of(first if kept else second)
    assert rows(world.bot.settings, "SELECT action FROM audit_log WHERE action LIKE 'passage.%'") == [
        ("passage.keep" if kept else "passage.hide",)]
    assert bool(rows(world.bot.settings, "SELECT 1 FROM passage_marks WHERE hidden = 1")) is not kept
    assert not world.env.errors
    check_all_payloads(world.env)


async def test_member_cannot_use_the_moderators_buttons(world):
    """A moderator demoted after opening the queue and the trim menu is refused there; nothing is written."""
    club_mods = world.guild.create_role("Club mods")
    carol = world.guild.add_member(world.env.create_user("carol"), roles=[club_mods])
    await world.mod.slash(world.channel, "config moderator-role", role=club_mods)
    grant_hidden_commands(world, club_mods)  # as the README tells admins: /passage shown to the moderator role
    message, _ = await quote(world)
    await flag(world, world.alice, message)
    shown = await queue(world, carol)
    menu = await carol.click(shown.response, label="Trim 1")
    await world.mod.slash(world.channel, "config moderator-role")  # carol is a plain member again
    before = table_digest(world.bot.settings.database)
    for label in ("Hide 1", "Keep 1", "Mark spoiler 1", "Trim 1"):
        refused = await carol.click(shown.response, label=label)
        assert_ephemeral_reply(refused, "moderator")
    select = next(c for row in menu.response.components for c in row["components"] if c["type"] == 3)
    refused = await carol.select(menu.response, ["0"], custom_id=select["custom_id"])
    assert_ephemeral_reply(refused, "moderator")
    assert_ephemeral_reply(await carol.slash(world.channel, "passage flagged"), "moderator")
    assert table_digest(world.bot.settings.database) == before


async def test_flag_button_and_queue_survive_a_restart(world):
    """A flag, a restart, the queue and Hide, another restart: the passage stays hidden, old buttons work."""
    message, passage = await quote(world)
    await flag(world, world.alice, message)
    await world.env.restart_bot()
    _, bob = await flag(world, world.bob, message, "Spoiler")  # the button posted before the restart
    assert bob is not None and "flagged as" in text_of(bob)
    shown = await queue(world)
    assert "2 flags" in text_of(shown)
    await world.env.restart_bot()
    hidden = await world.mod.click(shown.response, label="Hide 1")  # the queue opened before the restart
    assert "every server" in text_of(hidden)
    await world.env.restart_bot()
    for _ in range(12):
        again = await world.alice.slash(world.channel, "quote", about=ABOUT)
        assert again.ephemeral or passage_id_of(world.bot.settings, again.response) != passage
    refused = await world.bob.click(message, label="Flag")
    assert_ephemeral_reply(refused, "already hid")


JARGON = "showbiz jargon"  # a harmless passage the rules hide only as "after the review's first reveal"


async def test_not_spoiler_shows_a_passage_the_rules_hid_in_clear_and_survives_a_restart(world):
    """/passage not-spoiler: the passage's quotes lose their spoiler bars in every server, audited; after a restart
    too. (Members do not see /passage at all: tests/cross/test_permissions.py.)"""
    message, passage = await quote(world, about=JARGON)
    assert embed_of(message).description.startswith("> ||")
    footer = embed_of(message).footer.text
    done = await world.mod.slash(world.channel, "passage not-spoiler", passage=footer)
    assert_ephemeral_reply(done, "no longer a spoiler", "every server")
    assert "||" not in text_of(done).split("\n", 1)[1]  # the card below the headline quotes it in clear
    await world.env.restart_bot()
    again, same = await quote(world, about=JARGON)
    assert same == passage and "||" not in embed_of(again).description
    actions = rows(world.bot.settings, "SELECT action FROM audit_log WHERE target_id = ?", (passage,))
    assert [a[0] for a in actions] == ["passage.not_spoiler"]
    check_all_payloads(world.env)


async def test_not_spoiler_refuses_what_it_cannot_undo_and_says_how(world):
    """The ending theme (untag first), a review marked spoiler (edit the review), a passage already in clear:
    each refused privately, nothing written."""
    ending = rows(world.bot.settings, "SELECT p.review_id, p.ordinal FROM passages p JOIN passage_themes t"
                  " ON t.passage_id = p.id WHERE t.theme = 'ending' AND p.quotable = 1 ORDER BY p.id")[0]
    _, plain = await quote(world, about=PLAIN)
    plain_at = rows(world.bot.settings, "SELECT review_id, ordinal FROM passages WHERE id = ?", (plain,))[0]
    before = table_digest(world.bot.settings.database)
    refused = await world.mod.slash(world.channel, "passage not-spoiler", passage=f"{ending[0]}/{ending[1] + 1}")
    assert_ephemeral_reply(refused, "spoiler theme", "/passage untag")
    refused = await world.mod.slash(world.channel, "passage not-spoiler", passage=f"{plain_at[0]}/{plain_at[1] + 1}")
    assert_ephemeral_reply(refused, "already quoted in clear")
    assert table_digest(world.bot.settings.database) == before
    _, jargon = await quote(world, about=JARGON)
    review = rows(world.bot.settings, "SELECT review_id, ordinal FROM passages WHERE id = ?", (jargon,))[0]
    await world.mod.slash(world.channel, "review edit", review=str(review[0]), spoiler=True)
    refused = await world.mod.slash(world.channel, "passage not-spoiler", passage=f"{review[0]}/{review[1] + 1}")
    assert_ephemeral_reply(refused, "whole review is marked spoiler", "spoiler:False")


TIDEWATER = ("Tidewater is a patient drama about two sisters running a seaside hotel out of season. The photography is"
             " lovely, all pale blues and grey light on wet sand. The lighthouse keeper is played by a slurring drunk"
             " who insults the whole village in filthy words. The score hums softly under every scene, a cello and a"
             " harmonium.")


async def test_a_hidden_passage_is_not_shown_as_its_neighbours_more_context(world):
    """A new film's passage flagged and hidden from the queue is never shown again, not even inside the More context
    of the passage next to it (it was, in full): a gap mark stands in its place, before and after a restart."""
    await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031,
                          file=("tidewater.txt", TIDEWATER.encode()))
    message, passage = await quote(world, about="lighthouse keeper")
    await flag(world, world.alice, message)
    shown = await queue(world)
    assert "every server" in text_of(await world.mod.click(shown.response, label="Hide 1"))
    neighbour, other = await quote(world, who=world.bob, about="photography pale blues")
    assert other != passage
    for _ in range(2):
        context = await world.bob.click(neighbour, label="More context")
        assert context.ephemeral and "**Tidewater is a patient drama" in text_of(context), text_of(context)
        assert "lighthouse" not in text_of(context) and "\\[…\\]" in text_of(context), text_of(context)
        await world.env.restart_bot()


async def test_a_reason_picked_after_the_passage_was_hidden_is_refused(world):
    """Flag pressed, then a moderator hides the passage, then the member picks a reason: refused as the Flag
    button refuses a hidden passage, no flag stored (it was thanked, "moderators will look at it", and stored
    where the queue, which leaves hidden passages out, never showed it)."""
    message, passage = await quote(world)
    asked = await world.alice.click(message, label="Flag")
    await world.mod.slash(world.channel, "passage hide", passage=embed_of(message).footer.text)
    late = await world.alice.click(asked.response, label="Doesn't read well")
    assert_ephemeral_reply(late, "already hid that passage")
    assert flags(world, passage) == []


async def trim_to_first_sentence(world: World) -> tuple[str, str]:
    """A moderator trims the Griffith Observatory passage to its first sentence: (kept, full text)."""
    message, passage = await quote(world, about="Griffith Observatory Cherbourg")  # one passage has all three
    await flag(world, world.alice, message)
    menu = await world.mod.click((await queue(world)).response, label="Trim 1")
    await world.mod.select(menu.response, ["0"], custom_id=f"filmbot:flag:trimto:{passage}")
    [(kept,)] = rows(world.bot.settings, "SELECT trimmed FROM passage_marks WHERE passage_id = ?", (passage,))
    [(full,)] = rows(world.bot.settings, "SELECT text FROM passages WHERE id = ?", (passage,))
    return kept, full


async def test_search_finds_a_trimmed_passage_only_by_the_sentence_it_kept(world):
    """After a trim, /search (and /quote about:) no longer match words the moderator trimmed away (perhaps a
    spoiler): the index holds what is shown. A word of the kept sentence still finds it."""
    kept, full = await trim_to_first_sentence(world)
    assert "Griffith" in kept and "Cherbourg" in full and "Cherbourg" not in kept
    away = await world.alice.slash(world.channel, "search", query="Cherbourg reunite")
    assert kept[:40] not in text_of(away), text_of(away)
    quoted = await world.alice.slash(world.channel, "quote", about="Umbrellas Cherbourg")
    assert not quoted.response or kept[:40] not in text_of(quoted), text_of(quoted)
    found = await world.alice.slash(world.channel, "search", query="Griffith Observatory")
    assert kept[:40] in text_of(found), text_of(found)
    check_all_payloads(world.env)
