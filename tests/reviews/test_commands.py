"""/review: moderators add, edit, remove, list, export and import reviews, driven through simcord."""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from datetime import datetime

import pytest

from bench.corpus_gen import review_text, seed_sentences
from bot import Settings, create_bot
from bot.core.config import DEFAULT_DATA_DIR
from bot.corpus.bundle import import_bundled
from tests.helpers import assert_no_pings, embed_of, embed_text, export_json, rows, table_digest, text_of

WHIPLASH = (
    "Whiplash is a ferocious film about a young drummer and the teacher who breaks him. Damien Chazelle"
    " stages every rehearsal like a boxing match.\n\n"
    "The jazz in this film is not a refuge but a battlefield, and Fletcher treats every missed beat as a"
    " betrayal. Miles Teller plays Andrew with a hunger that curdles into something frightening.\n\n"
    "By the final concert, the film asks whether greatness is worth the blood on the drum kit. It never"
    " quite answers, and that is its strength.\n"
)
CRITIC = "Jane Critic"




def content(result) -> str:
    message = result.response if result.response is not None else result.followups[-1]
    return message.content


async def add_whiplash(world, **options):
    return await world.mod.slash(
        world.channel,
        "review add",
        film="Whiplash",
        year=2014,
        critic=CRITIC,
        outlet="The Daily Frame",
        file=("whiplash.txt", WHIPLASH.encode()),
        **options,
    )


async def test_added_review_is_quotable_by_film_and_critic_at_once(world, settings):
    """A .txt review of a second film is quotable by film and by critic straight away."""
    result = await add_whiplash(world)
    ((review_id, source, added_by),) = rows(
        settings, "SELECT id, source, added_by FROM reviews WHERE critic = ?", (CRITIC,)
    )
    assert result.ephemeral and f"#{review_id}" in content(result)
    assert "quotable passages" in content(result) and "The music" in content(result)
    assert (source, added_by) == ("moderator", world.mod.id)
    for options in ({"film": "Whiplash"}, {"critic": CRITIC}):
        quote = await world.alice.slash(world.channel, "quote", **options)
        embed = quote.response.embeds[0]
        assert f"Review #{review_id}" in embed.footer.text and CRITIC in embed.description
    # /discuss film:Whiplash is built on another branch; it is not tested here.
    assert_no_pings(world.env)


async def test_modal_add_stores_review_and_points_to_file_for_long_text(world, settings):
    """Without a file a 4,000-character form opens; submitting it stores the review."""
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash (2014)", critic=CRITIC)
    modal = shown.modal
    assert modal is not None and len(modal["title"]) <= 45
    field = modal["components"][0]["components"][0]
    assert field["max_length"] == 4000 and len(field["label"]) <= 45 and ".txt" in field["placeholder"]
    result = await world.mod.submit_modal(shown, {"filmbot:review:text": WHIPLASH})
    assert "Added review" in content(result)
    assert rows(
        settings,
        "SELECT f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id WHERE critic = ?",
        (CRITIC,),
    ) == [("Whiplash", 2014)]


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("review add", {"film": "Whiplash", "file": ("w.txt", WHIPLASH.encode())}),
        ("review add", {"film": "Whiplash"}),
        ("review edit", {"review": "1", "critic": "Someone"}),
        ("review remove", {"review": "1"}),
        ("review export", {}),
        (
            "review import",
            {"file": ("r.json", b'{"format": "filmbot-reviews", "version": 1, "reviews": []}')},
        ),
        ("review history", {}),
    ],
)
async def test_member_is_refused_every_moderator_command(world, settings, command, options):
    """A member without Manage Server or the role is refused and the database is unchanged."""
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, command, **options)
    assert result.ephemeral and "Only moderators" in content(result)
    assert result.modal is None
    assert table_digest(settings) == before


LONG = ("This sentence about the film is long enough to count as prose. " * 1700).encode()


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"file": ("w.txt", b"   \n\t  \n")}, "empty"),
        ({"file": ("w.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "binary"),
        ({"file": ("w.txt", "Un film très réussi, vraiment.".encode("latin-1"))}, "not UTF-8"),
        ({"file": ("w.txt", LONG)}, "limited to 100 KB"),
        ({"file": ("w.pdf", WHIPLASH.encode())}, "not a .txt or .md"),
        ({"file": ("w.md", WHIPLASH.encode()), "url": "javascript:alert(1)"}, "http:// or https://"),
        ({"file": ("w.md", WHIPLASH.encode()), "url": "ftp://example.com/r"}, "http:// or https://"),
        ({"file": ("w.txt", b"Whiplash\nDrums\nJ.K. Simmons\n")}, "no quotable passage"),
        ({"file": ("w.txt", WHIPLASH.encode()), "date": "2014-13-45"}, "YYYY-MM-DD"),
    ],
)
async def test_bad_input_is_refused_with_reason_and_nothing_stored(world, settings, options, reason):
    """Each refusal names its reason ephemerally and writes nothing."""
    before = table_digest(settings)
    result = await world.mod.slash(world.channel, "review add", film="Whiplash", **options)
    assert result.ephemeral and reason in content(result)
    assert table_digest(settings) == before


async def test_whitespace_only_modal_text_is_refused(world, settings):
    """A form submitted with only spaces is refused and the whole flow leaves the database as it was."""
    before = table_digest(settings)
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash")
    result = await world.mod.submit_modal(shown, {"filmbot:review:text": "   \n   "})
    assert result.ephemeral and "empty" in content(result)
    assert table_digest(settings) == before


async def test_a_refused_form_quotes_the_review_text_back(world, settings):
    """The form closes on any answer: a review text refused (a duplicate) comes back in the refusal to paste again."""
    await add_whiplash(world)
    shown = await world.mod.slash(world.channel, "review add", film="Whiplash")
    result = await world.mod.submit_modal(shown, {"filmbot:review:text": WHIPLASH})
    said = content(result)
    assert result.ephemeral and "already in the corpus" in said
    assert "**review text:** " + WHIPLASH[:80] in said and len(said) <= 2000


async def test_duplicate_text_is_refused(world, settings):
    """The same review again, re-spaced and re-punctuated, is refused as a duplicate."""
    await add_whiplash(world)
    before = table_digest(settings)
    respaced = WHIPLASH.replace(". ", ".   ").replace(",", " ,").upper().encode()
    result = await world.mod.slash(world.channel, "review add", film="Whiplash", file=("again.md", respaced))
    assert result.ephemeral and "already in the corpus as review #" in content(result)
    assert table_digest(settings) == before


async def test_edit_critic_shows_in_next_quote_and_survives_reimport(world, settings):
    """An edited seed attribution is quoted at once and kept by restart and forced re-import."""
    seed_id = rows(settings, "SELECT min(id) FROM reviews WHERE source = 'bundled'")[0][0]
    result = await world.mod.slash(world.channel, "review edit", review=str(seed_id), critic="A. O. Scott")
    assert "Unattributed" not in content(result) and "A. O. Scott" in content(result)
    quote = await world.alice.slash(world.channel, "quote", critic="A. O. Scott")
    embed = quote.response.embeds[0]
    assert f"Review #{seed_id}" in embed.footer.text and "A. O. Scott" in embed.description
    await world.env.restart_bot()
    bot = world.bot
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert rows(settings, "SELECT critic, attribution_locked FROM reviews WHERE id = ?", (seed_id,)) == [
        ("A. O. Scott", 1)
    ]


async def test_remove_asks_then_cascades_and_stays_removed(world, settings):
    """Confirming removes the review, passages and tags; a forced re-import does not bring it back."""
    seed_id, key = rows(settings, "SELECT id, source_key FROM reviews WHERE source = 'bundled' ORDER BY id")[
        0
    ]
    asked = await world.mod.slash(world.channel, "review remove", review=f"#{seed_id}")
    assert asked.ephemeral and rows(settings, "SELECT count(*) FROM reviews WHERE id = ?", (seed_id,)) == [
        (1,)
    ]
    done = await world.mod.click(asked.response, label=f"Remove review #{seed_id}")
    assert f"Removed review #{seed_id}" in done.response.content
    assert rows(settings, "SELECT count(*) FROM passages WHERE review_id = ?", (seed_id,)) == [(0,)]
    assert rows(
        settings,
        "SELECT count(*) FROM passage_themes t LEFT JOIN passages p ON p.id = t.passage_id"
        " WHERE p.id IS NULL",
    ) == [(0,)]
    assert rows(settings, "SELECT source_key FROM bundled_suppressed") == [(key,)]
    await world.env.restart_bot()
    await import_bundled(
        world.bot.store, settings.data_dir, world.bot.themes, settings.themes_file, force=True
    )
    assert rows(settings, "SELECT count(*) FROM reviews WHERE source_key = ?", (key,)) == [(0,)]


async def test_remove_confirmation_rechecks_moderator(world, settings):
    """A role moderator who loses the role before confirming is refused; nothing is removed."""
    role = world.guild.create_role("Club staff")
    await world.mod.slash(world.channel, "config moderator-role", role=role)
    staff = world.guild.add_member(world.env.create_user("staff"), roles=[role])
    asked = await staff.slash(world.channel, "review remove", review="1")
    await world.mod.slash(world.channel, "config moderator-role")
    before = table_digest(settings)
    result = await staff.click(asked.response, label="Remove review #1")
    assert result.ephemeral and "Only moderators" in content(result)
    assert table_digest(settings) == before




async def test_list_pages_with_buttons(world, settings):
    """/review list shows 10 per page; Next/Prev move between pages, also after a restart."""
    await world.mod.slash(world.channel, "review import", file=("r.json", export_json(9)))
    first = await world.alice.slash(world.channel, "review list")
    embed = first.response.embeds[0]
    assert embed.description.count("\n") == 9 and "Page 1 of 2" in embed.footer.text
    await world.env.restart_bot()
    second = await world.alice.click(first.response, label="Next")
    assert "Page 2 of 2" in second.response.embeds[0].footer.text
    assert "Critic 8" in second.response.embeds[0].description
    back = await world.alice.click(second.response, label="Prev")
    assert "Page 1 of 2" in back.response.embeds[0].footer.text


async def test_list_filters_by_critic(world):
    """/review list critic:<name> shows only that critic's reviews."""
    await add_whiplash(world)
    result = await world.alice.slash(world.channel, "review list", critic=CRITIC)
    embed = result.response.embeds[0]
    assert CRITIC in embed.description and "Unattributed" not in embed.description


async def test_list_of_a_film_picked_from_the_list_names_the_film(world):
    """/review list film:<a choice of its autocomplete, film:<id>> titles the list with the film's 'Title (Year)',
    not the raw reference."""
    await add_whiplash(world)
    (choice,) = await world.alice.autocomplete(world.channel, "review list", "film", "whip")
    result = await world.alice.slash(world.channel, "review list", film=choice["value"])
    embed = result.response.embeds[0]
    assert embed.title == "Reviews — film: Whiplash (2014)" and CRITIC in embed.description, embed.title


async def test_show_and_autocomplete_name_the_review(world, settings):
    """Autocomplete lists '#id · critic · film'; /review show gives its details."""
    await add_whiplash(world)
    review_id = rows(settings, "SELECT id FROM reviews WHERE critic = ?", (CRITIC,))[0][0]
    choices = await world.mod.autocomplete(world.channel, "review show", "review", "whip")
    assert choices == [{"name": f"#{review_id} · {CRITIC} · Whiplash (2014)", "value": str(review_id)}]
    shown = await world.alice.slash(world.channel, "review show", review=str(review_id))
    embed = shown.response.embeds[0]
    assert shown.ephemeral and CRITIC in embed.description and "The music" in embed_fields(embed)["Themes"]


def embed_fields(embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}


async def test_review_show_leaves_out_what_the_review_lacks_and_says_where_it_came_from_once(world, settings):
    """A bundled review with no date or link: no "Published —" / "Link —" fields, and "by the bundled corpus"
    once (it was said again in a "Source: bundled corpus" footer); a review that has both shows both."""
    [(seed_id,)] = rows(settings, "SELECT MIN(id) FROM reviews WHERE source = 'bundled'")
    embed = (await world.alice.slash(world.channel, "review show", review=str(seed_id))).response.embeds[0]
    fields = embed_fields(embed)
    assert "Published" not in fields and "Link" not in fields and "—" not in fields.values(), fields
    assert fields["Added"].endswith("by the bundled corpus") and embed.footer.text is None
    await add_whiplash(world, date="2014-10-10", url="https://example.com/whiplash")
    [(review_id,)] = rows(settings, "SELECT id FROM reviews WHERE critic = ?", (CRITIC,))
    fields = embed_fields((await world.alice.slash(world.channel, "review show", review=str(review_id))).response.embeds[0])
    assert fields["Published"] == "2014-10-10" and fields["Link"] == "https://example.com/whiplash", fields


async def test_import_with_a_bad_item_adds_nothing(world, settings):
    """One rejected item means nothing is added, and the summary says why."""
    document = json.loads(export_json(2))
    document["reviews"].append({"film": "Bad", "text": "Fine prose here.", "url": "mailto:x@y.z"})
    before = table_digest(settings)
    result = await world.mod.slash(
        world.channel, "review import", file=("r.json", json.dumps(document).encode())
    )
    text = content(result)
    assert "nothing was added" in text and "item 3 (Bad)" in text and "http" in text
    assert table_digest(settings) == before


async def test_import_of_a_title_two_films_share_names_the_item_and_adds_nothing(world, settings):
    """Film 0 of 2000 and its remake of 2020 stored; a file with a yearless "Film 0" item is refused naming
    that item and both films, asking for its year (no "pick from the list": a file has none); nothing added."""
    await world.mod.slash(world.channel, "review import", file=("r.json", export_json(1)))
    document = json.loads(export_json(1))
    document["reviews"][0].update(year=2020, text=document["reviews"][0]["text"] + " The remake.")
    await world.mod.slash(world.channel, "review import", file=("r.json", json.dumps(document).encode()))
    document["reviews"][0].update(year=None, text=document["reviews"][0]["text"] + " A third.")
    document["reviews"].insert(0, json.loads(export_json(1, start=5))["reviews"][0])
    before = table_digest(settings)
    result = await world.mod.slash(world.channel, "review import", file=("r.json", json.dumps(document).encode()))
    text = content(result)
    assert "Review 2 of the file" in text and "Film 0 (2000), Film 0 (2020)" in text and "year" in text, text
    assert "as you type" not in text and table_digest(settings) == before


async def test_import_counts_duplicates(world, settings):
    """Items already stored are skipped and counted as duplicates."""
    await world.mod.slash(world.channel, "review import", file=("r.json", export_json(2)))
    result = await world.mod.slash(world.channel, "review import", file=("r.json", export_json(3)))
    assert "Imported 1 review" in content(result) and "Duplicates (already stored, skipped): 2" in content(
        result
    )
    assert rows(settings, "SELECT count(*) FROM reviews WHERE source = 'moderator'") == [(3,)]


async def test_export_then_import_into_empty_database_reproduces_corpus(world, settings, tmp_path):
    """Export, then import into a bot with an empty database: same reviews, same passages."""
    await add_whiplash(world)
    await world.mod.slash(world.channel, "review edit", review="1", critic="A. O. Scott")
    exported = await world.mod.slash(world.channel, "review export")
    (attachment,) = exported.response.attachments
    data = await attachment.read()
    assert json.loads(data)["format"] == "filmbot-reviews" and len(json.loads(data)["reviews"]) == 4
    corpus_sql = (
        "SELECT f.title, f.year, r.critic, r.outlet, r.url, r.published, r.spoiler, r.body, p.ordinal,"
        " p.text, p.quotable, (SELECT group_concat(theme) FROM (SELECT theme FROM passage_themes"
        " WHERE passage_id = p.id ORDER BY theme)) FROM reviews r JOIN films f ON f.id = r.film_id"
        " JOIN passages p ON p.review_id = r.id"
        " ORDER BY r.id, p.ordinal"
    )
    original = rows(settings, corpus_sql)
    empty_data = tmp_path / "empty-data"
    empty_data.mkdir()
    shutil.copy(DEFAULT_DATA_DIR / "themes.toml", empty_data / "themes.toml")
    (empty_data / "manifest.toml").write_text("# no bundled reviews\n")
    other = Settings(database=tmp_path / "other.db", data_dir=empty_data)
    fresh = create_bot(other)
    try:
        await world.env.restart_bot(fresh)
        assert rows(other, "SELECT count(*) FROM reviews") == [(0,)]
        result = await world.mod.slash(world.channel, "review import", file=("corpus.json", data))
        assert "Imported 4 review" in content(result)
        assert rows(other, corpus_sql) == original
    finally:
        await fresh.close_store()


async def test_history_records_who_did_what(world, settings):
    """Add, edit and remove each leave an audit row; /review history shows them."""
    await add_whiplash(world)
    review_id = rows(settings, "SELECT id FROM reviews WHERE critic = ?", (CRITIC,))[0][0]
    await world.mod.slash(
        world.channel, "review edit", review=str(review_id), url="https://example.com/whiplash"
    )
    asked = await world.mod.slash(world.channel, "review remove", review=str(review_id))
    await world.mod.click(asked.response, label=f"Remove review #{review_id}")
    audit = rows(
        settings, "SELECT action, actor_id FROM audit_log WHERE target_id = ? ORDER BY id", (review_id,)
    )
    assert audit == [("add", world.mod.id), ("edit", world.mod.id), ("remove", world.mod.id)]
    result = await world.mod.slash(world.channel, "review history", review=str(review_id))
    text = content(result)
    assert result.ephemeral and "**remove**" in text and "https://example.com/whiplash" in text
    assert text.index("**remove**") < text.index("**edit**") < text.index("**add**")


async def test_history_and_show_give_discord_timestamps_not_iso(world, settings):
    """/review history and /review show say when as Discord timestamps (each reader's zone), never raw ISO."""
    await add_whiplash(world)
    review_id, added_at = rows(settings, "SELECT id, added_at FROM reviews WHERE critic = ?", (CRITIC,))[0]
    stamp = f"<t:{int(datetime.fromisoformat(added_at).timestamp())}:f>"
    history = content(await world.mod.slash(world.channel, "review history", review=str(review_id)))
    assert f"• {stamp} <@{world.mod.id}> **add**" in history and added_at not in history
    embed = (await world.alice.slash(world.channel, "review show", review=str(review_id))).response.embeds[0]
    assert {f.name: f.value for f in embed.fields}["Added"] == f"{stamp} by <@{world.mod.id}>"
    assert added_at not in embed_text(embed) and not re.search(r"\d{4}-\d\d-\d\dT", embed_text(embed))


async def test_role_moderator_can_add(world, settings):
    """A member holding the configured moderator role may add a review."""
    role = world.guild.create_role("Club staff")
    await world.mod.slash(world.channel, "config moderator-role", role=role)
    staff = world.guild.add_member(world.env.create_user("staff"), roles=[role])
    result = await staff.slash(
        world.channel, "review add", film="Whiplash", file=("w.txt", WHIPLASH.encode())
    )
    assert "Added review" in content(result)
    assert rows(settings, "SELECT added_by FROM reviews WHERE source = 'moderator'") == [(staff.id,)]


async def test_moderator_review_survives_forced_bundled_reimport(world, settings):
    """A restart and forced bundled re-import keep a moderator's review and its passage ids."""
    await add_whiplash(world)
    sql = "SELECT p.id, p.text FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.critic = ?"
    before = rows(settings, sql, (CRITIC,))
    await world.env.restart_bot()
    await import_bundled(world.bot.store, settings.data_dir, world.bot.themes, settings.themes_file, force=True)
    assert before and rows(settings, sql, (CRITIC,)) == before


async def test_add_autocompletes_existing_films_and_critics(world):
    """Autocomplete on /review add suggests films and named critics already in the corpus."""
    await add_whiplash(world)
    films = await world.mod.autocomplete(world.channel, "review add", "film", "whip")
    critics = await world.mod.autocomplete(world.channel, "review add", "critic", "jane")
    # Issue 24: an autocomplete value carries the film's id explicitly (`film:<id>`), never a bare number.
    (film_id,) = world.q("SELECT id FROM films WHERE title = 'Whiplash'")[0]
    assert films == [{"name": "Whiplash (2014)", "value": f"film:{film_id}"}]
    assert critics == [{"name": CRITIC, "value": CRITIC}]


async def test_long_import_edits_its_reply_with_progress_then_the_summary(world, monkeypatch):
    """A long /review import edits its deferred reply with "n / total processed" as it goes, and
    the same reply ends with the summary (no progress message is left behind)."""
    monkeypatch.setattr(sys.modules["cogs.reviews"], "PROGRESS_EVERY", 0.01)  # as loaded by the bot
    world.env.settle_timeout = 60.0  # honest CPU work on a shared, busy machine
    rng, sentences = random.Random(5), seed_sentences()
    items = [{"film": f"Film {n}", "year": 2000 + n, "critic": "Tester",
              "text": "\n\n".join(review_text(rng, sentences) for _ in range(4))} for n in range(20)]
    data = json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()
    result = await world.mod.slash(world.channel, "review import", file=("big.json", data))
    edits = [r.json["content"] for r in world.env.http_requests
             if r.method == "PATCH" and r.path.endswith("/messages/@original")]
    progress = [text for text in edits if "reviews processed" in text]
    assert progress and all(" / 20 reviews processed" in text for text in progress)
    assert edits[-1].startswith("**Imported 20 reviews.**")
    assert result.response.content == edits[-1] and result.ephemeral and not result.followups
    assert world.count("reviews", "source = 'moderator'") == 20



MISFILED = ("Lantern Bay is a handsome, patient drama about a ferryman and his estranged son, shot in cold northern"
            " light. The score is spare and lovely, and the cast never oversells a moment.\n\n"
            "The film's love of jazz is infectious: the piano solos in the smoky club are the best scenes, and the"
            " saxophone lines linger long after.\n")


async def test_a_review_moved_to_another_film_is_tagged_with_that_films_themes(world, settings):
    """A review filed under the wrong film and moved with /review edit film: is tagged as the film it now
    belongs to (La La Land's own Jazz theme), so /quote film:… theme:jazz finds it; it kept the first film's
    tags, and the new film's themes never saw it."""
    added = await world.mod.slash(world.channel, "review add", film="Lantern Bay", critic="Kim Vale",
                                  file=("r.txt", MISFILED.encode()))
    assert "Added review" in content(added), content(added)
    review_id = rows(settings, "SELECT max(id) FROM reviews")[0][0]
    tagged = "SELECT count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id" \
             " WHERE p.review_id = ? AND t.theme = 'jazz'"
    assert rows(settings, tagged, (review_id,)) == [(0,)]
    moved = await world.mod.slash(world.channel, "review edit", review=str(review_id), film="La La Land (2016)")
    assert "Updated review" in content(moved), content(moved)
    assert rows(settings, tagged, (review_id,)) == [(1,)]
    quoted = await world.alice.slash(world.channel, "quote", film="La La Land (2016)", theme="jazz", critic="Kim Vale")
    assert "piano solos" in embed_text(quoted.response.embeds[0]), content(quoted)
    back = await world.mod.slash(world.channel, "review edit", review=str(review_id), film="Lantern Bay")
    assert "Updated review" in content(back) and rows(settings, tagged, (review_id,)) == [(0,)]


async def test_one_quotable_passage_is_counted_in_the_singular(world):
    """/review add of a review with one quotable passage says '1 quotable passage', not '1 quotable passages'."""
    body = ("Few films this year are as tender as Lantern Bay. Its lead gives a weathered, funny performance that"
            " holds every scene together with grace and wit.\n\n"
            "Its second half drags a little, but the harbour scenes have a lived-in warmth that most dramas never find.")
    added = await world.mod.slash(world.channel, "review add", film="Lantern Bay", file=("r.txt", body.encode()))
    assert "**1** quotable passage (of 2)." in content(added), content(added)


async def test_import_of_json_nested_too_deeply_is_refused_and_adds_nothing(world, settings):
    """A file of 5,000 nested arrays: a private one-line refusal, nothing written (json's RecursionError was
    no JSONDecodeError, so the member got the unexpected-error answer)."""
    before = table_digest(settings)
    result = await world.mod.slash(world.channel, "review import", file=("deep.json", b"[" * 5000 + b"]" * 5000))
    assert result.ephemeral and "nested too deeply" in content(result), content(result)
    assert table_digest(settings) == before and not world.env.errors


async def test_a_bundled_review_moved_to_another_film_keeps_that_films_tags_through_a_reimport(world, settings):
    """A seed review of La La Land a moderator moved to another film is tagged for that film, and a forced
    re-import of the bundle keeps it so (it retagged it for the manifest's film: La La Land's Jazz came back)."""
    jazz = "SELECT count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id" \
           " WHERE p.review_id = ? AND t.theme = 'jazz'"
    seed = next(r[0] for r in rows(settings, "SELECT id FROM reviews WHERE source = 'bundled' ORDER BY id")
                if rows(settings, jazz, (r[0],))[0][0] > 0)
    moved = await world.mod.slash(world.channel, "review edit", review=str(seed), film="Lantern Bay")
    assert "Updated review" in content(moved), content(moved)
    assert rows(settings, jazz, (seed,)) == [(0,)]
    bot = world.bot
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert rows(settings, "SELECT f.title FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.id = ?",
                (seed,)) == [("Lantern Bay",)]
    assert rows(settings, jazz, (seed,)) == [(0,)]


TIDEWATER = ("Tidewater is a patient drama about two sisters running a seaside hotel out of season. The lighthouse"
             " keeper is played by a slurring drunk who insults the whole village in filthy words.\n\nThe photography"
             " is lovely, all pale blues and grey light on wet sand. The score hums softly under every scene, a cello"
             " and a harmonium.")


async def test_review_show_does_not_show_a_passage_a_moderator_hid(world):
    """A new film's opening passage hidden by a moderator ('never quoted again'): /review show's opening, asked by
    a member, has a gap mark in its place, and the rest of the review as before (it showed the hidden passage)."""
    await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031,
                          file=("tidewater.txt", TIDEWATER.encode()))
    quoted = await world.alice.slash(world.channel, "quote", about="lighthouse keeper")
    hidden = await world.mod.slash(world.channel, "passage hide", passage=embed_of(quoted.response).footer.text)
    assert "every server" in text_of(hidden)
    [(review_id,)] = rows(world.bot.settings, "SELECT r.id FROM reviews r JOIN films f ON f.id = r.film_id"
                                              " WHERE f.title = 'Tidewater'")
    shown = await world.alice.slash(world.channel, "review show", review=str(review_id))
    assert shown.ephemeral
    opening = embed_of(shown.response).description
    assert "lighthouse" not in opening and "patient drama" not in opening, opening
    assert "> \\[…\\] ¶ The photography is lovely" in opening, opening
