"""/discuss and /debate: the issue-3 acceptance criteria, black box."""

from __future__ import annotations

import re

import discord
import pytest

from bot.discussion.question import strip_instructions
from tests.helpers import (
    ENDING_WORDS,
    SPOILER_RE,
    World,
    add_review,
    assert_ephemeral_reply,
    burst,
    discuss_and_get_prompt,
    film_theme,
    msg_text,
    msgs,
    prompt_messages,
    text_of,
    themes_toml,
)

NOSTALGIA_WORDS = re.compile(
    r"nostalgi|past\b|golden age|old hollywood|bygone|yesteryear|throwback|looking back|traditionalist|amber|"
    r"ossified|grew up|lost art|backward",
    re.IGNORECASE,
)


@pytest.mark.parametrize("theme", ["ending", "nostalgia"])
async def test_discuss_posts_prompt_with_excerpt_question_and_thread(world: World, theme):
    """Discuss posts prompt with excerpt question and thread."""
    spec = themes_toml()[theme]
    r, new = await discuss_and_get_prompt(world, world.alice, theme=theme)
    assert len(new) == 1, f"expected one prompt message, got {len(new)}: {text_of(r)}"
    prompt = new[0]
    text = msg_text(prompt)
    assert spec["name"] in text, "the theme's name is shown"
    question = next((q for q in film_theme(world.bot, theme).questions_for("La La Land") if q in text), None)
    assert question, f"no question from themes.toml in {text!r}"
    assert "Unattributed review #" in text and "La La Land" in text, "attribution shown"
    spoilers = SPOILER_RE.findall(text)
    if theme == "ending":
        assert spoilers, "ending excerpt must be behind spoiler tags"
    # the excerpt is a passage tagged with the theme in the database
    pid = world.q("SELECT passage_id FROM posted_prompts ORDER BY id DESC LIMIT 1")[0][0]
    assert world.count("passage_themes", "passage_id=? AND theme=?", pid, theme) == 1
    passage = world.q("SELECT text FROM passages WHERE id=?", pid)[0][0]
    if theme == "ending":  # behind its own tags (the question, drawn at random, comes first behind others)
        [excerpt] = [s for s in spoilers if passage[:40].replace("\\", "") in s.replace("\\", "")]
        assert ENDING_WORDS.search(excerpt), excerpt
    assert passage[:60].replace("\\", "") in text.replace("\\", "").replace("||", ""), (passage, text)
    # a public thread on that message, named after the question, auto-archive set
    threads = [t for t in world.channel.threads if t.id == prompt.id]
    assert threads, "no thread on the prompt message"
    thread = threads[0]
    assert len(thread.name) <= 100
    meta = thread._channel.thread_metadata
    assert meta.auto_archive_duration in (60, 1440, 4320, 10080)
    assert thread._channel.type == discord.ChannelType.public_thread.value
    if theme == "ending":  # a thread name cannot be hidden: the film and the theme, never the question
        assert thread.name == "⚠️ Spoilers: La La Land — the ending", thread.name
    else:
        assert question[:40] in thread.name or question[:60] in thread.name, (question, thread.name)
    # the invoker gets an ephemeral link
    assert_ephemeral_reply(r, str(thread.id))


async def test_every_ending_passage_is_about_the_ending(world: World):
    """Every ending passage is about the ending."""
    rows = world.q("SELECT p.text FROM passages p JOIN passage_themes t ON t.passage_id=p.id "
                "WHERE t.theme='ending' AND p.quotable=1")
    assert len(rows) >= 3
    for (text,) in rows:
        assert ENDING_WORDS.search(text), f"tagged ending but not visibly about the ending: {text!r}"


async def test_every_nostalgia_passage_is_visibly_about_nostalgia(world: World):
    """Every nostalgia passage is visibly about nostalgia."""
    rows = world.q("SELECT p.id, p.text FROM passages p JOIN passage_themes t ON t.passage_id=p.id "
                "WHERE t.theme='nostalgia' AND p.quotable=1")
    assert len(rows) >= 3
    bad = [(pid, text) for pid, text in rows if not NOSTALGIA_WORDS.search(text)]
    assert bad == [], bad




async def test_nostalgia_rotation_no_repeats_across_restart(world: World):
    """Nostalgia rotation no repeats across restart."""
    r = await world.alice.slash(world.channel, "themes")
    m = re.search(r"Nostalgia\*?\*? \(`nostalgia`\): (\d+) passages", text_of(r))
    n_visible = int(m.group(1)) if m else None
    n = world.count("passage_themes t JOIN passages p ON p.id=t.passage_id", "t.theme='nostalgia' AND p.quotable=1")
    assert n_visible in (None, n), (n_visible, n)
    assert n >= 2
    review_of = dict(world.q("SELECT id, review_id FROM passages"))
    used, reviews_in_order = [], []
    for i in range(n):
        if i == n // 2:
            await world.env.restart_bot()
        r, new = await discuss_and_get_prompt(world, world.alice if i % 2 else world.bob, theme="nostalgia")
        assert len(new) == 1, text_of(r)
        pid = world.q("SELECT passage_id FROM posted_prompts ORDER BY id DESC LIMIT 1")[0][0]
        assert str(pid) in msg_text(new[0]) or True
        used.append(pid)
        reviews_in_order.append(review_of[pid])
        text = text_of(r).casefold()
        assert "cycle" not in text and "start over" not in text and "starting over" not in text, (i, text)
    assert len(set(used)) == n, f"passages repeated within a cycle: {used}"
    # the same critic (review) is not used twice in a row while another one still has unused passages
    nostalgia_pids = {p for p in used}
    for i in range(1, n):
        remaining = nostalgia_pids - set(used[:i])
        others_left = {review_of[p] for p in remaining} - {reviews_in_order[i - 1]}
        if others_left:
            assert reviews_in_order[i] != reviews_in_order[i - 1], (i, reviews_in_order)
    await world.env.restart_bot()
    r, new = await discuss_and_get_prompt(world, world.alice, theme="nostalgia")
    assert len(new) == 1
    text = text_of(r).casefold()
    assert re.search(r"cycle|start(ed|ing)? (over|again)|all \d+|every", text), f"new cycle not announced: {text}"


async def test_debate_two_excerpts_from_two_reviews(world: World):
    """Debate two excerpts from two reviews."""
    before = {m.id for m in prompt_messages(world)}
    r = await world.alice.slash(world.channel, "debate", theme="ending")
    new = [m for m in prompt_messages(world) if m.id not in before]
    assert len(new) == 1, text_of(r)
    text = msg_text(new[0])
    excerpts = SPOILER_RE.findall(text)
    assert len(excerpts) >= 2, f"two spoiler-tagged excerpts expected: {text}"
    labels = re.findall(r"Unattributed review #(\d+)", text)
    assert len(set(labels)) >= 2, f"excerpts not from two different reviews: {labels}"
    question = strip_instructions(film_theme(world.bot, "ending").debate_question_for("La La Land"))
    assert question in text, "the film's question, without its own instruction"
    instructions = re.findall(r"(?:pick|take) a side|make the case|where you stand", text, re.IGNORECASE)
    assert len(instructions) == 1, f"one instruction line, not {instructions}"
    assert [t for t in world.channel.threads if t.id == new[0].id], "debate thread missing"
    assert world.count("posted_prompts", "kind='debate'") >= 1


async def test_themes_lists_counts(world: World):
    """/themes lists every theme that has quotable passages with their count (also for one film), and does
    not suggest a theme with none."""
    # Every theme may have passages in the seed reviews: a moderator hides those of the rarest one, which
    # then has none to show.
    tagged = "passage_themes t JOIN passages p ON p.id=t.passage_id"
    rarest = min(themes_toml(), key=lambda k: world.count(tagged, "t.theme=? AND p.quotable=1", k))
    for (passage,) in world.q(f"SELECT p.id FROM {tagged} WHERE t.theme=? AND p.quotable=1", rarest):
        await world.mod.slash(world.channel, "passage hide", passage=str(passage))
    r = await world.alice.slash(world.channel, "themes")
    text = text_of(r)
    empty = 0
    visible = "p.quotable=1 AND NOT EXISTS (SELECT 1 FROM passage_marks h WHERE h.passage_id=p.id AND h.hidden=1)"
    for key, spec in themes_toml().items():
        n = world.count(tagged, f"t.theme=? AND {visible}", key)
        if n:
            assert re.search(rf"{re.escape(spec['name'])}\W.*?\b{n}\b", text), (spec["name"], n, text)
        else:
            assert f"(`{key}`)" not in text and "0 passages" not in text
            empty += 1
    assert empty and f"{empty} more theme{'s' if empty > 1 else ''} with no passages yet" in text
    counts = await world.bot.store.catalogue.theme_counts()
    r = await world.alice.slash(world.channel, "themes", film="La La Land")
    assert all(m.ephemeral for m in msgs(r))
    assert "Nostalgia" in text_of(r)
    assert f"(`ending`): {counts['ending']} passages" in text_of(r)
    assert f"(`nostalgia`): {counts['nostalgia']} passages" in text_of(r)


async def test_autocomplete_lists_themes_with_passages_for_film(world: World):
    """Autocomplete lists themes with passages for film."""
    choices = await world.alice.autocomplete(world.channel, "discuss", "theme", "", film="La La Land")
    values = {c["value"] for c in choices}
    assert {"ending", "nostalgia"} <= values


@pytest.mark.parametrize("denied,perm_name", [
    ("create_public_threads", "Create Public Threads"),
    ("send_messages", "Send Messages"),
])
async def test_missing_bot_permission_names_it_and_consumes_nothing(world: World, denied, perm_name):
    """Missing bot permission names it and consumes nothing."""
    bot_member = world.env.bot.user
    channel = world.guild.create_text_channel(
        "locked", overwrites={bot_member: discord.PermissionOverwrite(**{denied: False})}
    )
    await world.env.settle()
    before = world.digest()
    r = await world.alice.slash(channel, "discuss", theme="nostalgia")
    assert_ephemeral_reply(r, perm_name)
    assert world.bot_messages(channel) == [], "a half-done prompt stayed behind"
    assert channel.threads == []
    assert world.digest() == before, "rotation/prompt rows changed"
    r = await world.alice.slash(channel, "debate", theme="ending")
    assert_ephemeral_reply(r, perm_name)
    assert world.digest() == before
    # and the rotation continues from where it was in a normal channel
    r, new = await discuss_and_get_prompt(world, world.alice, theme="nostalgia")
    assert len(new) == 1
    assert world.q("SELECT cycle FROM posted_prompts")[0][0] == 1


async def test_concurrent_discuss_hand_out_distinct_passages(world: World):
    """Concurrent discuss hand out distinct passages."""
    members = [world.guild.add_member(world.env.create_user(f"m{i}")) for i in range(20)]
    await burst(world.env, [lambda m=m: m.slash(world.channel, "discuss", theme="nostalgia") for m in members])
    rows = world.q("SELECT cycle, passage_id FROM posted_prompts WHERE theme='nostalgia'")
    assert len(rows) == 20
    assert len(rows) == len(set(rows)), "a passage was handed out twice in a cycle"
    assert len(prompt_messages(world)) == 20
    assert world.env.errors == []


async def test_discuss_autocomplete_is_film_specific(world: World):
    """Discuss autocomplete is film specific."""
    await add_review(world, critic="Jane Doe", year=2014)
    choices = await world.alice.autocomplete(world.channel, "discuss", "theme", "", film="Whiplash")
    values = {c["value"] for c in choices}
    whiplash_themes = {t for (t,) in world.q(
        "SELECT DISTINCT t.theme FROM passage_themes t JOIN passages p ON p.id=t.passage_id "
        "JOIN reviews r ON r.id=p.review_id JOIN films f ON f.id=r.film_id WHERE f.title='Whiplash'")}
    assert "music" in values and values == whiplash_themes, (values, whiplash_themes)


async def test_debate_ending_question_names_no_one_absent_from_its_excerpts(world: World):
    """/debate theme:ending: two excerpts from two reviews, one instruction, and no absent character named."""
    before = {m.id for m in prompt_messages(world)}
    await world.alice.slash(world.channel, "debate", theme="ending")
    [message] = [m for m in prompt_messages(world) if m.id not in before]
    embed = message.embeds[0]
    description = embed.description or ""
    assert len(set(re.findall(r"Unattributed review #(\d+)", description))) == 2
    excerpts = " ".join(re.findall(r"^> (.+)$", description, re.MULTILINE))
    question = re.findall(r"^\*\*(.+)\*\*$", description, re.MULTILINE)[-1]
    for name in ("Keith", "Mia", "Sebastian", "Seb", "Stone", "Gosling"):
        if re.search(rf"\b{name}\b", question):
            assert re.search(rf"\b{name}\b", excerpts), f"{name} is named but absent: {question}"
    heading = embed.title or ""
    assert heading.startswith(("⚖️ Debate", "🔍 Two takes on")), heading
    shown = (message.content or "") + description
    assert len(re.findall(r"(?:pick|take) a side|where you stand", shown, re.IGNORECASE)) == 1
    assert world.env.errors == []
