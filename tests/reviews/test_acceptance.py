"""/review: the issue-6 acceptance criteria, black box."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import pytest
from simcord.env import Env

from bot import Settings, create_bot
from tests.helpers import (
    ROOT,
    WHIPLASH,
    World,
    add_review,
    assert_ephemeral_reply,
    buttons,
    discuss_and_get_prompt,
    msg_text,
    msgs,
    quote_passage,
    text_of,
)


def corpus_rows(world: World):
    reviews = world.q("SELECT f.title, f.year, r.critic, r.outlet, r.url, r.published, r.body FROM reviews r "
                   "JOIN films f ON f.id=r.film_id ORDER BY r.body_hash")
    passages = world.q("SELECT p.text, p.quotable FROM passages p ORDER BY p.text")
    return reviews, passages


def _seed_text() -> str:
    return min((ROOT / "data" / "corpus").rglob("*.txt")).read_text(encoding="utf-8")


REFUSALS = {
    "whitespace": {"file": ("empty.txt", b"   \n\t \n  ")},
    "empty": {"file": ("empty.txt", b"")},
    "binary": {"file": ("pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)},
    "non-utf8": {"file": ("latin.txt", ("Le film est une réussite éclatante. " * 10).encode("latin-1"))},
    "too big": {"file": ("huge.txt", (("All work and no play makes a long review. ") * 2600).encode())},
    "bad extension": {"file": ("review.pdf", WHIPLASH.encode())},
    "ftp url": {"file": ("w.txt", WHIPLASH.encode()), "url": "ftp://example.com/review"},
    "js url": {"file": ("w.txt", WHIPLASH.encode()), "url": "javascript:alert(1)"},
    "bare url": {"file": ("w.txt", WHIPLASH.encode()), "url": "example.com/review"},
    "bad date": {"file": ("w.txt", WHIPLASH.encode()), "date": "yesterday"},
    "no passage": {"file": ("w.txt", b"Summit Entertainment\nRelated: Ten things about La La Land\nGreat.\n")},
    "duplicate seed": {"file": ("seed.txt", re.sub(r"\s+", "  ", _seed_text()).upper().encode())},
}


async def forge_click(env: Env, actor, message, custom_id: str):
    """A click on a button of a message the actor cannot see (e.g. someone else's ephemeral)."""
    from simcord import interactions as _interactions
    from simcord.backend import serializers
    from simcord.results import InteractionResult

    env._begin_operation("forge_click")
    try:
        stored = env.backend.get_message(message.channel_id, message.id)
        record, payload = _interactions.base_payload(
            env.backend, type=3, channel_id=stored.channel_id, guild_id=actor.guild.id, user_id=actor.id,
            data={"custom_id": custom_id, "component_type": 2})
        payload["message"] = dict(serializers.message_payload(env.backend, stored))
        record.source_message_id = stored.id
        env.backend.emit("INTERACTION_CREATE", payload)
        await env._settle_internal(dispatch="INTERACTION_CREATE")
        return InteractionResult(env, record)
    finally:
        env._end_operation()


async def _export_bytes(world: World) -> bytes:
    r = await world.mod.slash(world.channel, "review export")
    replies = msgs(r)
    assert all(m.ephemeral for m in replies)
    atts = [a for m in replies for a in m.attachments]
    assert len(atts) == 1 and atts[0].filename.endswith(".json"), atts
    return world.env.backend.cdn.get(atts[0].url)


async def test_added_review_is_quotable_at_once(world: World):
    """Added review is quotable at once."""
    r = await add_review(world, year=2014, critic="Jane Doe", outlet="The Daily", url="https://example.com/whiplash",
                         date="2014-10-10")
    text = assert_ephemeral_reply(r)
    m = re.search(r"#(\d+)", text)
    assert m, text
    rid = int(m.group(1))
    assert re.search(r"\b\d+\b[^\n]*passage", text), f"no passage count in {text!r}"
    assert "The music" in text, f"themes found not listed: {text!r}"  # jazz is La La Land's own theme
    assert world.count("films", "title='Whiplash' AND year=2014") == 1
    assert world.count("reviews", "id=? AND source='moderator'", rid) == 1
    r = await world.alice.slash(world.channel, "quote", film="Whiplash")
    t = text_of(r)
    assert not msgs(r)[0].ephemeral and "Jane Doe" in t and "Whiplash" in t and "2014" in t
    assert "The Daily" in t
    assert quote_passage(r).replace("\\", "") in WHIPLASH.replace("\n", " ")
    r = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    assert "Jane Doe" in text_of(r) and not msgs(r)[0].ephemeral
    assert msgs(r)[0].embeds[0].url == "https://example.com/whiplash" or \
        "https://example.com/whiplash" in text_of(r)
    r = await world.alice.slash(world.channel, "quote", film="Whiplash", theme="music")
    assert "Jane Doe" in text_of(r)
    # /discuss film:<that film> works when its text supports a theme
    r, new = await discuss_and_get_prompt(world, world.alice, film="Whiplash")
    assert len(new) == 1, text_of(r)
    assert "Jane Doe" in msg_text(new[0]) and "Whiplash" in msg_text(new[0])
    r, new = await discuss_and_get_prompt(world, world.alice, film="Whiplash", theme="music")
    assert len(new) == 1 and "Jane Doe" in msg_text(new[0])
    r = await world.alice.slash(world.channel, "search", query="drummer")
    assert "Jane Doe" in text_of(r) or "Whiplash" in text_of(r)


async def test_add_via_modal(world: World):
    """Add via modal."""
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Modal Critic")
    modal = r.modal
    assert modal, "without a file a modal must open"
    field = modal["components"][0]["components"][0]
    assert field.get("max_length") == 4000 and field.get("style") == 2
    blob = json.dumps(modal)
    assert "4,000" in blob or "4000" in blob
    assert "file" in blob.casefold() or "attach" in blob.casefold(), "modal does not point to the attachment"
    done = await world.mod.submit_modal(r, {field["custom_id"]: WHIPLASH})
    assert_ephemeral_reply(done, "passage")
    r = await world.alice.slash(world.channel, "quote", critic="Modal Critic")
    assert "Modal Critic" in text_of(r) and not msgs(r)[0].ephemeral


async def test_modal_whitespace_refused(world: World):
    """Modal whitespace refused."""
    r = await world.mod.slash(world.channel, "review add", film="Whiplash")
    field = r.modal["components"][0]["components"][0]
    before = world.count("reviews")
    done = await world.mod.submit_modal(r, {field["custom_id"]: "   \n\t  "})
    assert_ephemeral_reply(done)
    assert world.count("reviews") == before


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_refusals_are_ephemeral_and_store_nothing(world: World, case):
    """Refusals are ephemeral and store nothing."""
    opts = dict(REFUSALS[case])
    before = world.digest()
    r = await world.mod.slash(world.channel, "review add", film="Some Film", **opts)
    text = assert_ephemeral_reply(r)
    assert "went wrong" not in text and "error code" not in text, text
    assert not re.search(r"Added review", text), text
    assert world.digest() == before, f"{case}: something was stored"
    assert world.bot_messages() == []


async def test_duplicate_of_moderator_review_refused(world: World):
    """Duplicate of moderator review refused."""
    await add_review(world, critic="Jane Doe")
    before = world.digest()
    variant = WHIPLASH.replace("\n\n", "\n\n\n").replace("Whiplash", "WHIPLASH").replace(",", ";")
    r = await add_review(world, text=variant, critic="Someone Else", film="Other")
    text = assert_ephemeral_reply(r)
    assert re.search(r"duplicate|already", text, re.IGNORECASE), text
    assert world.digest() == before


async def test_exactly_100kb_file_is_accepted(world: World):
    """Exactly 100kb file is accepted."""
    world.env.settle_timeout = 60.0  # honest CPU work: 5.4 s at load 7 (per test: a long timeout slows advance_time)
    body = (WHIPLASH + "\n") * 1
    filler = "\n\nThe drummer keeps playing while the band waits in silence for the count. " * 2000
    data = (body + filler).encode()[: 100 * 1024]
    data = data[: data.rfind(b".") + 1]
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", file=("long.txt", data))
    assert_ephemeral_reply(r, "passage")


async def test_moderator_role_grants_access(world: World):
    """Moderator role grants access."""
    staff = world.guild.create_role("Film Club Staff")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[staff])
    await world.env.settle()
    r = await add_review(world, who=dave, critic="Dave")
    assert_ephemeral_reply(r, "moderator")
    r = await world.mod.slash(world.channel, "config moderator-role", role=staff)
    assert_ephemeral_reply(r)
    assert world.q("SELECT moderator_role_id FROM guild_settings") == [(staff.id,)]
    r = await add_review(world, who=dave, critic="Dave")
    assert_ephemeral_reply(r, "passage")
    assert world.count("reviews", "critic='Dave' AND added_by=?", dave.id) == 1
    # the role is checked at run time: removing the setting removes the access
    r = await world.mod.slash(world.channel, "config moderator-role")
    r = await dave.slash(world.channel, "review edit", review="1", critic="Dave again")
    assert_ephemeral_reply(r, "moderator")
    assert world.count("reviews", "critic='Dave again'") == 0


async def test_edit_attribution_shows_at_once_and_survives_restart_and_reimport(world: World):
    """Edit attribution shows at once and survives restart and reimport."""
    r = await world.mod.slash(world.channel, "review edit", review="1", critic="A. O. Scott", outlet="The New York Times",
                           url="https://nytimes.com/lalaland")
    assert_ephemeral_reply(r)
    r = await world.alice.slash(world.channel, "quote", critic="A. O. Scott")
    t = text_of(r)
    assert "A. O. Scott" in t and "The New York Times" in t and "Unattributed review #1" not in t
    r = await world.alice.slash(world.channel, "quote", critic="Unattributed review #1")
    assert "Unattributed review #1" not in text_of(r) or msgs(r)[0].ephemeral
    await world.env.restart_bot()
    # a forced bundled re-import through the public CLI while the bot is down
    await world.env.shutdown()
    out = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "import", "--force", "--database", str(world.db_path)],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    await world.env.start()
    assert world.q("SELECT critic, outlet, url FROM reviews WHERE id=1") == [
        ("A. O. Scott", "The New York Times", "https://nytimes.com/lalaland")]
    r = await world.alice.slash(world.channel, "quote", critic="A. O. Scott")
    assert "A. O. Scott" in text_of(r) and not msgs(r)[0].ephemeral


async def test_bundled_reimport_on_changed_files_keeps_moderator_work(tmp_path):
    """Bundled reimport on changed files keeps moderator work."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.db", "*.db-*"))
    db = tmp_path / "re.db"
    bot = create_bot(Settings(database=db, data_dir=data))
    env = Env(bot)
    await env.start()
    try:
        world = World(env)
        await add_review(world, critic="Jane Doe", year=2014)
        await world.mod.slash(world.channel, "review edit", review="2", critic="Critic Two", outlet="Outlet Two")
        n_mod = world.count("reviews", "source='moderator'")
        # the bundled corpus changes on disk (a seed is re-scraped), then the bot restarts
        seed = sorted((data / "corpus").rglob("*.txt"))[1]
        seed.write_text(seed.read_text(encoding="utf-8") + "\nA new closing sentence about the ending was added.\n",
                        encoding="utf-8")
        await env.restart_bot()
        assert world.count("reviews", "source='moderator'") == n_mod
        assert world.q("SELECT critic, outlet FROM reviews WHERE id=2") == [("Critic Two", "Outlet Two")]
        r = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
        assert "Jane Doe" in text_of(r) and not msgs(r)[0].ephemeral
        r = await world.alice.slash(world.channel, "quote", critic="Critic Two")
        assert "Critic Two" in text_of(r) and not msgs(r)[0].ephemeral
    finally:
        await env.shutdown()
        await bot.close_store()
    env.raise_errors()


async def test_remove_with_confirmation_takes_passages_and_rotation(world: World):
    """Remove with confirmation takes passages and rotation."""
    r = await add_review(world, critic="Jane Doe", year=2014)
    rid = int(re.search(r"#(\d+)", text_of(r)).group(1))
    r, new = await discuss_and_get_prompt(world, world.alice, film="Whiplash", theme="music")
    assert len(new) == 1
    pids = [p for (p,) in world.q("SELECT id FROM passages WHERE review_id=?", rid)]
    assert world.count("posted_prompts", f"passage_id IN ({','.join(map(str, pids))})") == 1
    r = await world.mod.slash(world.channel, "review remove", review=str(rid))
    confirm_msg = assert_ephemeral_reply(r)
    assert world.count("reviews", "id=?", rid) == 1, "removed before confirmation"
    btns = buttons(msgs(r)[0])
    assert btns, f"no confirm button: {confirm_msg}"
    res = await world.mod.click(msgs(r)[0], label=btns[0]["label"])
    assert_ephemeral_reply(res)
    assert world.count("reviews", "id=?", rid) == 0
    assert world.count("passages", "review_id=?", rid) == 0
    assert world.count("passage_themes", f"passage_id IN ({','.join(map(str, pids))})") == 0
    assert world.count("posted_prompts", f"passage_id IN ({','.join(map(str, pids))})") == 0, "rotation rows stayed"
    r = await world.alice.slash(world.channel, "quote", critic="Jane Doe")
    assert_ephemeral_reply(r)
    r = await world.alice.slash(world.channel, "search", query="drummer")
    assert "Jane Doe" not in text_of(r)


async def test_remove_confirmation_names_the_review_in_plain_words(world: World):
    """The confirmation reads "review #N of *Film (Year)* by Critic" (or "with no critic named"), no nested brackets."""
    for rid, critic, title, year in world.q("SELECT r.id, r.critic, f.title, f.year FROM reviews r"
                                            " JOIN films f ON f.id = r.film_id ORDER BY r.id"):
        said = text_of(await world.mod.slash(world.channel, "review remove", review=str(rid)))
        who = f"by {critic}" if critic else "with no critic named"
        assert said.startswith(f"Remove review #{rid} of *{title} ({year})* {who}, and its "), said
        assert "))" not in said and "Unattributed" not in said
    assert world.count("reviews", "critic IS NULL") >= 1, "an unattributed review was checked"


async def test_remove_confirm_only_by_requesting_moderator(world: World):
    """Remove confirm only by requesting moderator."""
    r = await world.mod.slash(world.channel, "review remove", review="3")
    msg = msgs(r)[0]
    cid = buttons(msg)[0]["custom_id"]
    other_mod = world.guild.add_member(world.env.create_user("mod2"), roles=[world.mod_role])
    for who in (world.alice, other_mod):
        res = await forge_click(world.env, who, msg, cid)
        assert_ephemeral_reply(res)
        assert world.count("reviews", "id=3") == 1, "someone other than the asking moderator confirmed"
    res = await world.mod.click(msg, custom_id=cid)
    assert_ephemeral_reply(res)
    assert world.count("reviews", "id=3") == 0
    # a removed bundled review never comes back with re-imports / restarts
    await world.env.restart_bot()
    assert world.count("reviews", "id=3") == 0 and world.count("reviews", "source='bundled'") == 2


async def test_list_paginates_show_and_history(world: World):
    """List paginates show and history."""
    items = [{"film": f"Film {i:02d}", "year": 2000 + i, "critic": f"Critic {i}", "outlet": "", "url": "",
              "date": "", "spoiler": False,
              "text": f"Film {i:02d} is a quiet drama about a family in winter number {i}. " + WHIPLASH.replace(
                  "Whiplash", f"Film {i:02d}"), "source": "moderator"} for i in range(12)]
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()
    r = await world.mod.slash(world.channel, "review import", file=("batch.json", data))
    text = assert_ephemeral_reply(r)
    assert re.search(r"12\D[^\n]*added|added\D*12", text, re.IGNORECASE), text
    r = await world.alice.slash(world.channel, "review list")
    page1 = assert_ephemeral_reply(r)
    msg = msgs(r)[0]
    labels = [b["label"] for b in buttons(msg)]
    assert any("next" in (lbl or "").casefold() for lbl in labels), labels
    ids1 = set(re.findall(r"#(\d+)", page1))
    nxt = next(b["label"] for b in buttons(msg) if "next" in (b["label"] or "").casefold())
    r2 = await world.alice.click(msg, label=nxt)
    page2 = text_of(r2) or msg_text(next(m for m in world.channel.history() if m.id == msg.id))
    ids2 = set(re.findall(r"#(\d+)", page2))
    assert ids2 and ids2 != ids1, (page1, page2)
    assert len(ids1 | ids2) >= 15
    r = await world.alice.slash(world.channel, "review list", critic="Critic 3")
    t = assert_ephemeral_reply(r, "Critic 3")
    assert "Critic 4" not in t
    r = await world.alice.slash(world.channel, "review show", review="2")
    assert_ephemeral_reply(r, "La La Land")
    # audit trail for the import and history
    r = await world.mod.slash(world.channel, "review history")
    assert_ephemeral_reply(r, "import")
    assert world.count("audit_log", "action LIKE '%import%' AND actor_id=?", world.mod.id) >= 1


async def test_audit_records_add_edit_remove_import(world: World):
    """Audit records add edit remove import."""
    r = await add_review(world, critic="Jane Doe")
    rid = int(re.search(r"#(\d+)", text_of(r)).group(1))
    await world.mod.slash(world.channel, "review edit", review=str(rid), critic="Jane Q. Doe")
    r = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(r)[0], label=buttons(msgs(r)[0])[0]["label"])
    rows = world.q("SELECT actor_id, action, target_id, before_json, after_json, at FROM audit_log ORDER BY id")
    actions = [a for _, a, *_ in rows]
    assert any("add" in a for a in actions) and any("edit" in a for a in actions) and \
        any("remove" in a or "delete" in a for a in actions), actions
    assert all(actor == world.mod.id and at for actor, *_x, at in rows)
    edit = next(row for row in rows if "edit" in row[1])
    assert "Jane Doe" in (edit[3] or "") and "Jane Q. Doe" in (edit[4] or "")
    r = await world.mod.slash(world.channel, "review history", review=str(rid))
    text = assert_ephemeral_reply(r)
    assert "Jane Q. Doe" in text and "Jane Doe" in text
    assert True


async def test_export_then_import_into_empty_database(world: World, tmp_path):
    """Export then import into empty database."""
    import shutil

    await add_review(world, critic="Jane Doe", year=2014, outlet="The Daily", url="https://example.com/w",
                     date="2014-10-10")
    await world.mod.slash(world.channel, "review edit", review="1", critic="A. O. Scott")
    data = await _export_bytes(world)
    doc = json.loads(data)
    assert doc["format"] == "filmbot-reviews" and len(doc["reviews"]) == 4
    src_reviews, src_passages = corpus_rows(world)
    await world.env.shutdown()

    # a database with no reviews at all: a data folder whose manifest lists nothing
    empty = tmp_path / "empty-data"
    empty.mkdir()
    shutil.copy(ROOT / "data" / "themes.toml", empty / "themes.toml")
    (empty / "corpus").mkdir()
    (empty / "manifest.toml").write_text("# nothing bundled\n")
    db2 = tmp_path / "empty.db"
    bot2 = create_bot(Settings(database=db2, data_dir=empty))
    env2 = Env(bot2)
    await env2.start()
    try:
        bb2 = World(env2)
        assert bb2.count("reviews") == 0
        r = await bb2.mod.slash(bb2.channel, "review import", file=("corpus.json", data))
        text = assert_ephemeral_reply(r)
        assert "4" in text and "added" in text.casefold(), text
        dst_reviews, dst_passages = corpus_rows(bb2)
        assert dst_reviews == src_reviews
        assert dst_passages == src_passages
        # importing the same file again: all duplicates, nothing added
        bb2.digest()
        r = await bb2.mod.slash(bb2.channel, "review import", file=("corpus.json", data))
        assert_ephemeral_reply(r, "duplicate")
        r = await bb2.alice.slash(bb2.channel, "quote", critic="A. O. Scott")
        assert "A. O. Scott" in text_of(r)
    finally:
        await env2.shutdown()
        await bot2.close_store()
    env2.raise_errors()


async def test_import_is_all_or_nothing_with_reasons(world: World):
    """Import is all or nothing with reasons."""
    good = {"film": "Good Film", "year": 2001, "critic": "G", "outlet": "", "url": "", "date": "",
            "spoiler": False, "text": WHIPLASH.replace("Whiplash", "Good Film"), "source": "moderator"}
    bad_url = dict(good, film="Bad", text=WHIPLASH.replace("Whiplash", "Bad Film"), url="ftp://nope")
    empty = dict(good, film="Empty", text="   ")
    dup_seed = dict(good, film="La La Land", text=_seed_text())
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": [good, bad_url, empty, dup_seed]})
    before = world.digest()
    r = await world.mod.slash(world.channel, "review import", file=("mixed.json", data.encode()))
    text = assert_ephemeral_reply(r)
    assert re.search(r"reject", text, re.IGNORECASE) and "ftp" in text.casefold() or "url" in text.casefold(), text
    assert world.digest() == before, "a partly bad import stored something"
    for garbage in (b"not json", b"[]", b'{"format": "other"}', b"\xff\xfe\x00"):
        r = await world.mod.slash(world.channel, "review import", file=("g.json", garbage))
        assert_ephemeral_reply(r)
        assert world.digest() == before


async def test_autocomplete_films_and_critics(world: World):
    """Autocomplete films and critics."""
    await add_review(world, critic="Jane Doe", year=2014)
    films = await world.mod.autocomplete(world.channel, "review add", "film", "whi")
    assert any("Whiplash" in c["name"] for c in films), films
    critics = await world.mod.autocomplete(world.channel, "review add", "critic", "ja")
    assert any("Jane Doe" in c["name"] for c in critics), critics
    films = await world.alice.autocomplete(world.channel, "quote", "film", "whi")
    assert any("Whiplash" in c["name"] for c in films), films
    # a second review for the existing film (title only) joins it rather than creating a new film
    await add_review(world, text=WHIPLASH.replace("electrifying", "exhausting").replace("Andrew", "The student"),
                     critic="John Roe")
    assert world.count("films", "title='Whiplash'") == 1


async def test_removed_review_rotation_does_not_leak_into_new_review(world: World):
    """Removed review rotation does not leak into new review."""
    r = await add_review(world, critic="Jane Doe", year=2014)
    rid = int(re.search(r"#(\d+)", text_of(r)).group(1))
    for _ in range(2):
        r, new = await discuss_and_get_prompt(world, world.alice, film="Whiplash", theme="music")
        assert len(new) == 1
    r = await world.mod.slash(world.channel, "review remove", review=str(rid))
    await world.mod.click(msgs(r)[0], label=buttons(msgs(r)[0])[0]["label"])
    other = ("Whiplash is a jazz film that treats the drum kit as a battlefield. The jazz band rehearses for hours "
             "every day. The conductor believes jazz needs suffering.\n\nThe jazz standards in the film are "
             "played with a brutal precision. Andrew wants to be the next great jazz drummer of his time.\n")
    r = await add_review(world, text=other, critic="John Roe", year=2014)
    rid2 = int(re.search(r"#(\d+)", text_of(r)).group(1))
    n = world.count("passage_themes t JOIN passages p ON p.id=t.passage_id",
                 "t.theme='music' AND p.review_id=? AND p.quotable=1", rid2)
    assert n >= 2
    for i in range(n):
        r, new = await discuss_and_get_prompt(world, world.alice, film="Whiplash", theme="music")
        assert len(new) == 1
        assert not re.search(r"cycle", text_of(r), re.IGNORECASE), f"new cycle announced after {i + 1} of {n} passages"
