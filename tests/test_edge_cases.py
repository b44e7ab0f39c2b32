"""Second, adversarial QA pass: Discord limits under big inputs, markdown/mention safety, state machines,
time edge cases and restarts that the first pass (test_acceptance_blackbox.py) did not cover.

Genuine bot bugs are marked ``xfail(strict=True)`` with a ``BUG:`` reason; everything else is a
regression test.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from tests.helpers import WHIPLASH_REVIEW, assert_no_pings, db, message_payloads, msgs, table_digest

HOUR = 3600
DAY = 24 * HOUR

REVIEW = WHIPLASH_REVIEW




def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or ""]
    for f in embed.fields:
        parts += [f.name or "", f.value or ""]
    if embed.footer and embed.footer.text:
        parts.append(embed.footer.text)
    return "\n".join(parts)


def text_of(result) -> str:
    return "\n".join((m.content or "") + "\n" + "\n".join(embed_text(e) for e in m.embeds) for m in msgs(result))


def bot_posts(world, channel=None) -> list[discord.Message]:
    me = world.bot.user.id
    return [m for m in (channel or world.channel).history()
            if m.author.id == me and not m.flags.ephemeral and m.type is discord.MessageType.default]


def check_limits(body: dict) -> None:
    """One outgoing message body within Discord's limits."""
    assert len(body.get("content") or "") <= 2000
    for embed in body.get("embeds") or []:
        fields = embed.get("fields") or []
        assert len(fields) <= 25, f"{len(fields)} embed fields"
        assert len(embed.get("title") or "") <= 256
        assert len(embed.get("description") or "") <= 4096
        total = len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
        assert total <= 6000, f"embed total {total}"


def all_within_limits(env) -> None:
    for body in message_payloads(env):
        check_limits(body)


async def add_review(world, text: str = REVIEW, who=None, name="review.txt", **meta):
    meta.setdefault("film", "Whiplash")
    return await (who or world.mod).slash(world.channel, "review add", file=(name, text.encode()), **meta)


def added_id(result) -> int:
    m = re.search(r"#(\d+)", text_of(result))
    assert m, text_of(result)
    return int(m.group(1))


def unique_review(n: int) -> str:
    """A different review text each time (duplicates are refused), still quotable and themed."""
    words = ["amber", "brisk", "cobalt", "dusky", "ember", "fable", "gilded", "hollow", "ivory", "jade"]
    tag = " ".join(words[int(d)] for d in f"{n:04d}")
    return f"Review number {tag} begins here. " + REVIEW.replace("young drummer", f"young drummer ({tag})")


def invalid_links(text: str) -> list[str]:
    """Targets of markdown masked links in `text` that a reader could click (unescaped `](`)."""
    return re.findall(r"(?<!\\)\[[^\[\]]*\]\((https?://[^)\s]+)\)", text)


# =========================================================================== autocomplete under long names

LONG_FILM = "The Extraordinarily Long and Winding Title of a Film About Drummers Who Never Sleep At All"  # 90


async def test_film_titles_over_90_characters_are_refused_naming_the_limit(world, settings):
    """'Title (Year)' must fit a 100-character autocomplete value, so titles stop at 90 characters."""
    before = table_digest(settings.database)
    r = await add_review(world, film=LONG_FILM + " Ever", year=2014, critic="Jane Doe")
    assert "limit is 90" in text_of(r)
    assert table_digest(settings.database) == before


async def test_autocomplete_film_choice_for_a_long_title_can_be_used(world):
    assert len(LONG_FILM) == 90
    r = await add_review(world, film=LONG_FILM, year=2014, critic="Jane Doe")
    added_id(r)
    choices = await world.alice.autocomplete(world.channel, "quote", "film", "Extraordinarily")
    assert choices, "the long film is not offered"
    for c in choices:
        assert len(c["name"]) <= 100 and len(str(c["value"])) <= 100
    picked = choices[0]["value"]
    r = await world.alice.slash(world.channel, "quote", film=picked)
    assert msgs(r) and not msgs(r)[0].ephemeral, f"picking the offered film {picked!r} fails: {text_of(r)[:200]}"


async def test_review_add_with_autocompleted_long_film_reuses_the_film(world, settings):
    await add_review(world, film=LONG_FILM, year=2014, critic="Jane Doe")
    choices = await world.mod.autocomplete(world.channel, "review add", "film", "Extraordinarily")
    picked = choices[0]["value"]
    r = await add_review(world, text=unique_review(1), film=picked, critic="John Roe")
    assert db(settings, "SELECT COUNT(*) FROM films WHERE title LIKE 'The Extraordinarily%'") == [(1,)], text_of(r)


async def test_every_autocomplete_respects_discord_limits_with_long_names(world):
    critic = "C" * 99 + "é"
    outlet = "O" * 100
    await add_review(world, film="F" * 90, year=2001, critic=critic, outlet=outlet)
    for n in range(30):
        await add_review(world, text=unique_review(n), film=f"Film {n:02d} " + "x" * 82, critic=f"Critic {n:02d} " + "y" * 89)
    await world.alice.slash(world.channel, "poll create", question="Q" * 300, options="a|b", anonymous=True)
    cases = [
        ("quote", "film", ""), ("quote", "critic", ""), ("quote", "theme", ""),
        ("review edit", "review", ""), ("review remove", "review", ""), ("review show", "review", ""),
        ("review history", "review", ""), ("review add", "film", ""), ("review add", "critic", ""),
        ("review edit", "film", ""), ("review edit", "critic", ""), ("review list", "film", ""),
        ("review list", "critic", ""), ("discuss", "theme", ""), ("discuss", "film", ""),
        ("debate", "theme", ""), ("debate", "film", ""), ("themes", "film", ""),
        ("poll theme", "theme", ""), ("poll close", "poll", ""),
        ("poll results", "poll", ""), ("schedule set", "timezone", "a"), ("schedule set", "theme", ""),
        ("schedule set", "film", ""), ("config timezone", "zone", "a"),
    ]
    failures = []
    for command, option, typed in cases:
        member = world.mod
        try:
            choices = await member.autocomplete(world.channel, command, option, typed)
        except Exception as error:  # noqa: BLE001 - an option that does not autocomplete is a finding
            failures.append(f"{command}.{option}: {error!r}"[:200])
            continue
        if len(choices) > 25:
            failures.append(f"{command}.{option}: {len(choices)} choices")
        for c in choices:
            if not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100:
                failures.append(f"{command}.{option}: {c}")
    assert not failures, failures


# =========================================================================== polls: big and hostile

OPTIONS_25x80 = [f"{n:02d} " + ("option text " * 10)[: 77].rstrip().ljust(77, "z") for n in range(25)]


async def _button_poll_25(world, **flags):
    assert all(len(o) == 80 for o in OPTIONS_25x80)
    r = await world.alice.slash(world.channel, "poll create", question="Q? " + "w" * 290,
                                options=" | ".join(OPTIONS_25x80), **flags)
    assert msgs(r) and not msgs(r)[0].ephemeral, text_of(r)[:300]
    return msgs(r)[0]


async def test_25_options_of_80_chars_select_labels_and_results_within_limits(world, settings):
    message = await _button_poll_25(world, anonymous=True)
    menus = [c for row in message.components for c in row.get("components", []) if c.get("type") == 3]
    assert len(menus) == 1 and len(menus[0]["options"]) == 25
    assert all(len(o["label"]) <= 100 and o["label"] == OPTIONS_25x80[i] for i, o in enumerate(menus[0]["options"]))
    await world.bob.select(message, ["25"])
    poll_id = db(settings, "SELECT id FROM polls")[0][0]
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    all_within_limits(world.env)
    results = [m for m in bot_posts(world) if m.embeds and "Results" in (m.embeds[0].title or "")]
    assert len(results) == 1
    desc = results[0].embeds[0].description
    assert "25." in desc and "100% (1)" in desc  # nothing was clipped away: the last option is there


async def test_poll_results_of_public_25_option_poll_with_every_option_voted(world, settings):
    message = await _button_poll_25(world)  # >10 options: a public (non-anonymous) button poll
    poll_id = db(settings, "SELECT id FROM polls")[0][0]
    voters = [world.guild.add_member(world.env.create_user(f"voter{n}")) for n in range(25)]
    for n, voter in enumerate(voters):
        await voter.select(message, [str(n + 1)])
    r = await world.mod.slash(world.channel, "poll results", poll=str(poll_id))
    all_within_limits(world.env)
    assert msgs(r) and "25." in text_of(r) and "error code" not in text_of(r), text_of(r)[:300]


async def test_poll_list_question_cannot_inject_a_masked_link(world):
    await world.alice.slash(world.channel, "poll create", question="Best x](https://evil.example/phish) film?",
                            options="a|b", anonymous=True)
    r = await world.bob.slash(world.channel, "poll list")
    desc = msgs(r)[0].embeds[0].description
    links = invalid_links(desc)
    assert all(link.startswith("https://discord.com/channels/") for link in links), desc


async def test_poll_texts_with_markdown_are_inert_everywhere(world, settings):
    question = "**x** ||y|| `z` _w_?"
    option = "**x** `z` ~~s~~"  # `|` separates options, so no spoiler bars here
    r = await world.alice.slash(world.channel, "poll create", question=question,
                                options=f"{option} | [p](https://evil.example) | @everyone")
    message = msgs(r)[0]
    assert not message.ephemeral, text_of(r)
    await world.bob.vote(message, answer=1)
    poll_id = db(settings, "SELECT id FROM polls")[0][0]
    b = await world.alice.slash(world.channel, "poll create", question=question, options=f"{option} | b",
                                hide_results=True)
    bmsg = msgs(b)[0]
    await world.bob.click(bmsg, custom_id=next(c for row in bmsg.components for c in row["components"])["custom_id"])
    bid = db(settings, "SELECT id FROM polls WHERE kind='buttons'")[0][0]
    await world.alice.slash(world.channel, "poll close", poll=str(bid))
    await world.alice.slash(world.channel, "poll close", poll=str(poll_id))
    res = await world.alice.slash(world.channel, "poll results", poll=str(bid))  # closed: who chose what
    assert str(world.bob.id) in text_of(res)
    assert_no_pings(world.env)
    all_within_limits(world.env)
    seen = 0
    for m in msgs(res) + [m for m in bot_posts(world) if m.embeds]:
        for e in m.embeds:
            for part in [e.description or ""] + [f.value for f in e.fields]:  # names: see the xfail below
                seen += "x" in part
                assert "**x**" not in part and "||y||" not in part and "~~s~~" not in part, \
                    f"raw markdown in {part[:200]!r}"
                assert not [u for u in invalid_links(part) if "evil" in u], part
    assert seen >= 3


async def test_field_names_with_user_text_are_inert(world, settings):
    await add_review(world, critic="**x** ||y||")
    r = await world.alice.slash(world.channel, "search", query="drummer")
    names = [f.name for m in msgs(r) for e in m.embeds for f in e.fields]
    assert names and not [n for n in names if "**x**" in n or "||y||" in n], names
    b = await world.alice.slash(world.channel, "poll create", question="Q?", options="**x** ~~s~~ | b",
                                anonymous=False, hide_results=True)
    bmsg = msgs(b)[0]
    await world.bob.click(bmsg, custom_id=next(c for row in bmsg.components for c in row["components"])["custom_id"])
    bid = db(settings, "SELECT id FROM polls")[0][0]
    await world.alice.slash(world.channel, "poll close", poll=str(bid))
    res = await world.alice.slash(world.channel, "poll results", poll=str(bid))
    names = [f.name for m in msgs(res) for e in m.embeds for f in e.fields]
    assert not [n for n in names if "**x**" in n], names


# =========================================================================== reviews: big corpus, long names

N100 = "N" * 99 + "é"


@pytest.fixture
async def big_corpus(world):
    """60 moderator reviews with 100-character critic and outlet names and long film titles."""
    for n in range(60):
        r = await add_review(world, text=unique_review(n), film=f"{n:02d} " + "T" * 87, year=2000 + n % 20,
                             critic=f"{n:02d}" + "*" * 98, outlet=f"{n:02d}" + "_`|" * 32 + "ab")
        assert "Added review" in text_of(r), text_of(r)[:300]
    return world


async def test_long_names_critics_list_and_history_within_limits(big_corpus, settings):
    world = big_corpus
    r = await world.alice.slash(world.channel, "critics")
    text_of(r)
    r2 = await world.alice.slash(world.channel, "review list")
    await world.alice.click(msgs(r2)[0], label="Next") if any(
        c.get("label") == "Next" for row in msgs(r2)[0].components for c in row["components"]) else None
    await world.mod.slash(world.channel, "review history")
    await world.alice.slash(world.channel, "search", query="drummer")
    await world.alice.slash(world.channel, "themes")
    all_within_limits(world.env)
    assert_no_pings(world.env)


async def test_review_history_shows_15_entries_with_long_names(big_corpus):
    r = await big_corpus.mod.slash(big_corpus.channel, "review history")
    lines = [line for line in text_of(r).splitlines() if line.startswith("•")]
    assert len(lines) == 15, f"{len(lines)} entries shown"


async def test_review_list_pages_with_long_names_show_ten_rows(big_corpus):
    world = big_corpus
    r = await world.alice.slash(world.channel, "review list")
    page = msgs(r)[0]
    desc = page.embeds[0].description
    rows = [line for line in desc.splitlines() if line.startswith("**#")]
    assert len(rows) == 10, desc[-300:]
    nxt = await world.alice.click(page, label="Next")
    page2 = msgs(nxt)[0] if msgs(nxt) else None
    all_within_limits(world.env)
    assert page2 is not None


async def test_critics_with_60_long_reviews_says_how_many_are_not_shown(big_corpus):
    r = await big_corpus.alice.slash(big_corpus.channel, "critics")
    desc = msgs(r)[0].embeds[0].description
    shown = len([line for line in desc.splitlines() if line.startswith("•")])
    assert shown == 63 or re.search(rf"\b{63 - shown}\b more", desc), (shown, desc[-200:])


async def test_export_of_large_corpus_and_100kb_review(world, settings):
    paragraph = ("The drummer practises until his hands bleed, and the film watches him with cold patience. "
                 "Each rehearsal is staged like a duel between pride and fear. ")
    body = ""
    n = 0
    while len((body + paragraph).encode()) < 100 * 1024 - 400:
        body += paragraph.replace("drummer", f"drummer {n}") + ("\n\n" if n % 3 == 2 else "")
        n += 1
    r = await add_review(world, text=body, film="Huge", critic=N100, outlet=N100)
    assert "Added review" in text_of(r), text_of(r)[:300]
    for i in range(20):
        await add_review(world, text=unique_review(i), film=f"Film {i}")
    r = await world.mod.slash(world.channel, "review export")
    [attachment] = msgs(r)[0].attachments
    data = json.loads(await attachment.read())
    assert data["format"] == "filmbot-reviews" and len(data["reviews"]) == 24
    assert any(item["critic"] == N100 and item["text"].startswith("The drummer") for item in data["reviews"])
    rid = db(settings, "SELECT id FROM reviews WHERE critic=?", (N100,))[0][0]
    await world.alice.slash(world.channel, "review show", review=str(rid))
    await world.alice.slash(world.channel, "quote", critic=N100)
    all_within_limits(world.env)


# =========================================================================== review state machines


def remove_button(result) -> str:
    return next(c for row in msgs(result)[0].components for c in row["components"])["custom_id"]


async def test_two_moderators_remove_the_same_review(world, settings):
    staff = world.guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    mod2 = world.guild.add_member(world.env.create_user("mod2"), roles=[staff])
    rid = added_id(await add_review(world, critic="Jane Doe"))
    a = await world.mod.slash(world.channel, "review remove", review=str(rid))
    b = await mod2.slash(world.channel, "review remove", review=str(rid))
    if msgs(b)[0].components:
        first = await world.mod.click(msgs(a)[0], custom_id=remove_button(a))
        second = await mod2.click(msgs(b)[0], custom_id=remove_button(b))
        assert "removed" in text_of(first).casefold()
        assert msgs(second) and all(m.ephemeral for m in msgs(second))
        assert "error code" not in text_of(second)
    assert db(settings, "SELECT COUNT(*) FROM reviews WHERE id=?", (rid,)) == [(0,)]
    assert db(settings, "SELECT COUNT(*) FROM audit_log WHERE action='remove' AND target_id=?", (rid,)) == [(1,)]


async def test_quote_buttons_after_their_review_was_removed(world, settings):
    rid = added_id(await add_review(world, critic="Jane Doe"))
    q = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    shown = msgs(q)[0]
    conf = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(conf)[0], custom_id=remove_button(conf))
    ctx = await world.bob.click(shown, label="More context")
    assert msgs(ctx) and msgs(ctx)[0].ephemeral and "removed" in text_of(ctx), text_of(ctx)
    another = await world.bob.click(shown, label="Another")
    assert msgs(another) and msgs(another)[0].ephemeral, text_of(another)[:200]
    assert not msgs(another)[0].embeds and "error code" not in text_of(another)
    edit = await world.mod.slash(world.channel, "review edit", review=str(rid), critic="X")
    assert msgs(edit)[0].ephemeral and f"#{rid}" in text_of(edit) and "error code" not in text_of(edit)
    assert db(settings, "SELECT COUNT(*) FROM reviews") == [(3,)]


async def test_discuss_and_poll_theme_for_a_film_whose_only_review_was_removed(world, settings):
    rid = added_id(await add_review(world, film="Whiplash", year=2014, critic="Jane Doe"))
    conf = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(conf)[0], custom_id=remove_button(conf))
    before = len(bot_posts(world))
    for command, options in (("discuss", {"film": "Whiplash"}), ("debate", {"film": "Whiplash"}),
                             ("discuss", {"film": "Whiplash", "theme": "jazz"}),
                             ("poll theme", {"theme": "ending", "film": "Whiplash"}),
                             ("quote", {"film": "Whiplash"}), ("themes", {"film": "Whiplash"})):
        r = await world.alice.slash(world.channel, command, **options)
        assert msgs(r) and all(m.ephemeral for m in msgs(r)), (command, text_of(r)[:200])
        assert "error code" not in text_of(r)
    assert len(bot_posts(world)) == before
    assert db(settings, "SELECT COUNT(*) FROM posted_prompts") == [(0,)]
    film_choices = await world.alice.autocomplete(world.channel, "quote", "film", "Whip")
    assert film_choices == [], "a film with no review left is still offered"


# =========================================================================== poll state machines


def results_posts(world) -> list[discord.Message]:
    return [m for m in bot_posts(world) if m.embeds and (m.embeds[0].title or "").startswith("📊 Results")]


async def test_poll_close_twice_then_deadline_then_vote_then_restart(world, settings):
    r = await world.alice.slash(world.channel, "poll create", question="Sequel?", options="Yes | No", hours=1,
                                anonymous=True)
    message = msgs(r)[0]
    pid = db(settings, "SELECT id FROM polls")[0][0]
    first = await world.alice.slash(world.channel, "poll close", poll=str(pid))
    second = await world.mod.slash(world.channel, "poll close", poll=str(pid))
    assert "already closed" in text_of(second) and msgs(second)[0].ephemeral
    await world.env.advance_time(2 * HOUR)
    stored = world.env.backend.get_message(world.channel.id, message.id)
    assert all(c.get("disabled") for row in stored.components for c in row["components"]), "buttons still live"
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    assert len(results_posts(world)) == 1, text_of(first)
    other = world.env.create_guild(name="Other Club")
    other_channel = other.create_text_channel("general")
    stranger = other.add_member(world.env.create_user("stranger"))
    for command in ("poll results", "poll close"):
        res = await stranger.slash(other_channel, command, poll=str(pid))
        assert msgs(res)[0].ephemeral and "Sequel" not in text_of(res), text_of(res)


async def test_restart_between_deadline_and_results(world, settings):
    """The bot is down when the deadline passes: one results message after it comes back, never two."""
    r = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                hours=1, hide_results=True)
    await world.bob.click(msgs(r)[0], label="Sad")
    await world.env.shutdown()
    world.env.backend.advance_clock(2 * HOUR)
    await world.env.start()
    await world.env.advance_time(60)
    await world.env.restart_bot()
    await world.env.advance_time(DAY)
    [res] = results_posts(world)
    assert "100% (1)" in res.embeds[0].description


async def test_poll_theme_without_poll_question_and_theme_without_passages_for_film(world):
    themes = world.bot.themes
    without = [k for k, t in themes.items() if not t.poll_question]
    if without:
        r = await world.alice.slash(world.channel, "poll theme", theme=without[0])
        assert msgs(r)[0].ephemeral and "no ready-made poll" in text_of(r)
    await add_review(world, film="Whiplash", critic="Jane Doe")
    r = await world.alice.slash(world.channel, "themes", film="Whiplash")
    assert msgs(r)[0].ephemeral
    empty = next(k for k in themes if k not in ("jazz", "ending"))
    for command in ("discuss", "debate"):
        r = await world.alice.slash(world.channel, command, theme=empty, film="Whiplash")
        assert msgs(r)[0].ephemeral and "error code" not in text_of(r), text_of(r)
    assert not bot_posts(world)


# =========================================================================== schedules: limits, time, state


def posted_slots(settings, schedule_id: int | None = None) -> list[str]:
    sql = "SELECT slot_utc FROM schedule_posts WHERE status='posted'"
    params: tuple = ()
    if schedule_id is not None:
        sql += " AND schedule_id=?"
        params = (schedule_id,)
    return [r[0] for r in db(settings, sql + " ORDER BY slot_utc", params)]


async def set_schedule(world, **options):
    options.setdefault("channel", world.channel)
    r = await world.mod.slash(world.channel, "schedule set", **options)
    m = re.search(r"\*\*#(\d+)\*\*", text_of(r))
    assert m, text_of(r)
    return int(m.group(1))


async def test_fifteen_schedules_list_within_limits_and_sixteenth_refused(world, settings):
    long_film = "L" * 85 + "*_~|`"
    await add_review(world, film=long_film, critic="Jane Doe")
    role = world.guild.create_role("Film Night Regulars With A Long Role Name")
    for n in range(15):
        await set_schedule(world, time=f"{n:02d}:{n * 3:02d}", days="mon,tue,wed,thu,fri,sat" if n % 2 else "daily",
                           timezone="Pacific/Chatham", film=long_film, ping_role=role, thread=bool(n % 3))
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="23:59")
    assert msgs(r)[0].ephemeral and "15" in text_of(r)
    assert db(settings, "SELECT COUNT(*) FROM schedules") == [(15,)]
    listing = await world.alice.slash(world.channel, "schedule list")
    text = text_of(listing)
    assert all(m.ephemeral for m in msgs(listing))
    assert all(f"**#{n}**" in text for n in range(1, 16)), "a schedule is missing from /schedule list"
    assert text.count("Next:") == 15
    all_within_limits(world.env)
    assert_no_pings(world.env)


async def test_midnight_2359_and_monday_only_over_ten_days(world, settings):
    await add_review(world, film="Whiplash", critic="Jane Doe")
    start = world.env.now()
    a = await set_schedule(world, time="00:00", thread=False)
    b = await set_schedule(world, time="23:59")
    c = await set_schedule(world, time="09:00", days="mon", timezone="Europe/Paris")
    for _ in range(10):  # simcord gives each advance_time 5 s of real time
        await world.env.advance_time(DAY)
    await world.env.advance_time(60)
    end = world.env.now()

    def expected(at: str, zone: str, mondays: bool) -> int:
        z = ZoneInfo(zone)
        hh, mm = map(int, at.split(":"))
        n, day = 0, start.astimezone(z).date() - timedelta(days=1)
        while day <= end.astimezone(z).date():
            slot = datetime(day.year, day.month, day.day, hh, mm, tzinfo=z)
            if start < slot <= end and (not mondays or day.weekday() == 0):
                n += 1
            day += timedelta(days=1)
        return n

    assert len(posted_slots(settings, a)) == expected("00:00", "UTC", False) == 10
    assert len(posted_slots(settings, b)) == expected("23:59", "UTC", False) == 10
    assert len(posted_slots(settings, c)) == expected("09:00", "Europe/Paris", True)
    assert all(datetime.fromisoformat(s).astimezone(ZoneInfo("Europe/Paris")).weekday() == 0
               for s in posted_slots(settings, c))
    posts = bot_posts(world)
    assert len(posts) == sum(len(posted_slots(settings, s)) for s in (a, b, c)), \
        "\n".join(f"{p.type} {p.created_at:%m-%d %H:%M} {p.content[:40]!r} {p.channel.id}" for p in posts) + \
        repr(db(settings, "SELECT schedule_id, slot_utc, status, reason FROM schedule_posts ORDER BY slot_utc"))


async def _jump_to(world, when: datetime) -> None:
    """Move the clock with the bot down (nothing scheduled yet, so nothing is caught up)."""
    await world.env.shutdown()
    world.env.backend.advance_clock((when - world.env.now()).total_seconds())
    await world.env.start()


@pytest.mark.parametrize("when, at, local_expected", [
    (datetime(2026, 3, 7, 12, tzinfo=UTC), "02:30", ["03-07 02:30", "03-08 03:30", "03-09 02:30"]),  # spring forward
    (datetime(2026, 10, 31, 12, tzinfo=UTC), "01:30", ["10-31 01:30", "11-01 01:30", "11-02 01:30"]),  # fall back
])
async def test_new_york_dst_days_post_exactly_once(world, settings, when, at, local_expected):
    await _jump_to(world, when - timedelta(hours=20))
    sid = await set_schedule(world, time=at, timezone="America/New_York", thread=False)
    for _ in range(3):
        await world.env.advance_time(DAY)
    await world.env.advance_time(HOUR)
    ny = ZoneInfo("America/New_York")
    local = [datetime.fromisoformat(s).astimezone(ny).strftime("%m-%d %H:%M") for s in posted_slots(settings, sid)]
    assert local == local_expected
    assert len(bot_posts(world)) == 3


async def test_schedule_state_machine(world, settings):
    await add_review(world, film="Whiplash", critic="Jane Doe")
    other = world.guild.create_text_channel("doomed")
    sid = await set_schedule(world, time="09:00", channel=other)
    gone = await set_schedule(world, time="10:00")
    r = await world.mod.slash(world.channel, "schedule pause", id=sid)
    r2 = await world.mod.slash(world.channel, "schedule pause", id=sid)
    assert "already paused" in text_of(r2) and msgs(r2)[0].ephemeral, text_of(r)
    world.env.backend.delete_channel(other.id)
    r3 = await world.mod.slash(world.channel, "schedule resume", id=sid)
    assert msgs(r3)[0].ephemeral and "error code" not in text_of(r3)
    assert "no longer exists" in text_of(r3)
    assert db(settings, "SELECT paused FROM schedules WHERE id=?", (sid,)) == [(1,)]
    await world.mod.slash(world.channel, "schedule remove", id=gone)
    await world.env.advance_time(2 * DAY)
    assert posted_slots(settings) == []
    assert not bot_posts(world)
    for command in ("pause", "resume", "skip", "test", "remove"):
        r = await world.mod.slash(world.channel, f"schedule {command}", id=gone)
        assert msgs(r)[0].ephemeral and f"no schedule #{gone}" in text_of(r), (command, text_of(r))


async def test_schedule_keeps_its_zone_when_server_timezone_changes(world, settings):
    await add_review(world, film="Whiplash", critic="Jane Doe")
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    sid = await set_schedule(world, time="09:00", thread=False)
    await world.mod.slash(world.channel, "config timezone", zone="America/New_York")
    listing = text_of(await world.alice.slash(world.channel, "schedule list"))
    assert "Europe/Paris" in listing and "America/New_York" in listing
    await world.env.advance_time(DAY + HOUR)
    [slot] = posted_slots(settings, sid)
    local = datetime.fromisoformat(slot).astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (9, 0)



# =========================================================================== restarts while Discord fails


async def test_restart_while_thread_creation_fails_for_a_scheduled_prompt(world, settings):
    """The thread of a scheduled prompt fails (500), the bot restarts before the retry: one prompt, one thread."""
    await add_review(world, film="Whiplash", critic="Jane Doe")
    sid = await set_schedule(world, time="00:30", thread=True)
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=500, times=1)
    await world.env.advance_time(31 * 60)
    await world.env.restart_bot()
    await world.env.advance_time(15 * 60)
    posts = bot_posts(world)
    assert len(posts) == 1, [p.content[:50] for p in posts]
    assert posted_slots(settings, sid) and len(posted_slots(settings, sid)) == 1
    threads = [m for m in world.channel.history() if m.type is discord.MessageType.thread_created]
    assert len(threads) == 1


async def test_restart_while_discuss_thread_creation_fails(world, settings):
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=500, times=1)
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert r.ephemeral and "nothing was posted" in text_of(r).lower()
    await world.env.restart_bot()
    assert not bot_posts(world)
    assert db(settings, "SELECT COUNT(*) FROM posted_prompts") == [(0,)]
    again = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert len(bot_posts(world)) == 1 and "error code" not in text_of(again)
    assert db(settings, "SELECT COUNT(*) FROM posted_prompts") == [(1,)]
