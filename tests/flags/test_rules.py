"""Flags and decisions below Discord: the pure rules, every pick path skipping hidden passages, and
decisions that survive re-imports (the store and the bundled import, no simcord)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.client import FilmBot
from bot.core.config import Settings
from bot.corpus.bundle import import_bundled
from bot.corpus.passage import QuoteFilters, RotationKey
from bot.flags.rules import Decision, Marks, Reason, count_line, pages, trim_choices

THEME = "jazz"
GUILD, MOD = 1, 2


@pytest.fixture
async def bot(tmp_path: Path):
    bot = FilmBot(Settings(database=tmp_path / "t.db"))
    await bot.open_store()
    settings = bot.settings
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file)
    yield bot
    await bot.close_store()


async def decide(bot: FilmBot, passage_id: int, decision: Decision, sentence: str | None = None):
    return await bot.store.flags.decide(
        passage_id=passage_id, decision=decision, actor_id=MOD, guild_id=GUILD, sentence=sentence
    )


async def theme_passages(bot: FilmBot) -> list[int]:
    rows = await bot.store.db.fetchall(  # every passage is tagged; only quotable ones are picked
        "SELECT t.passage_id FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
        " WHERE t.theme = ? AND p.quotable = 1 ORDER BY 1", (THEME,))
    return [row[0] for row in rows]


def test_marks_after_each_decision() -> None:
    """Hide/show flip one mark, spoiler and trim add theirs, keep changes nothing."""
    start = Marks(spoiler=True)
    assert start.after(Decision.HIDE) == Marks(True, True, None)
    assert start.after(Decision.HIDE).after(Decision.SHOW) == start
    assert Marks().after(Decision.SPOILER) == Marks(spoiler=True)
    assert Marks().after(Decision.TRIM, "One.") == Marks(trimmed="One.")
    assert start.after(Decision.KEEP) == start


def test_trim_choices_use_the_corpus_sentence_splitter() -> None:
    """A passage splits into its sentences (abbreviations kept whole), at most 25."""
    assert trim_choices("Mr. Gosling plays piano. Stone sings. It works!") == [
        "Mr. Gosling plays piano.", "Stone sings.", "It works!"
    ]
    assert len(trim_choices(" ".join(f"Sentence {n} here." for n in range(40)))) == 25


def test_queue_wording_counts_and_pages() -> None:
    """Counts read by reason, empty reasons left out; pages round up and never go below one."""
    counts = {Reason.READS_BADLY: 2, Reason.WRONG_FILM: 0, Reason.SPOILER: 1}
    assert count_line(counts) == "2 doesn't read well · 1 spoiler"
    assert [pages(n) for n in (0, 1, 4, 5, 9)] == [1, 1, 1, 2, 3]


async def test_hidden_passages_are_skipped_by_every_pick_path(bot: FilmBot) -> None:
    """All but one passage of a theme hidden: /quote, Another, /discuss, /debate pools, /search, counts,
    the game and critics-vs-club only ever see the one left."""
    ids = await theme_passages(bot)
    assert len(ids) >= 4
    kept, *hidden = ids
    for passage_id in hidden:
        await decide(bot, passage_id, Decision.HIDE)
    quotes = bot.store.quotes
    filters = QuoteFilters(theme=THEME)
    for _ in range(30):
        assert (await quotes.pick(filters)).passage_id == kept
        assert (await quotes.pick(QuoteFilters(theme=THEME, film="La La Land"), exclude=kept)).passage_id == kept
        assert (await quotes.pick(QuoteFilters(theme=THEME, about="jazz"))).passage_id == kept
    pick = await bot.store.rotation.pick(filters, RotationKey(GUILD, THEME, ""))
    assert pick is not None and pick.quote.passage_id == kept
    assert [q.passage_id for q in await bot.store.rotation.pool(filters, frozenset())] == [kept]
    assert [q.passage_id for q in await quotes.passages_for(filters)] == [kept]
    assert not {q.passage_id for q, _ in await quotes.search("jazz", limit=50)} & set(hidden)
    assert (await bot.store.catalogue.theme_counts())[THEME] == 1
    assert (await bot.store.catalogue.theme_counts("La La Land"))[THEME] == 1
    assert not {pick.passage_id for pick in await bot.store.club.critic_picks(500)} & set(hidden)
    assert len(await bot.store.club.theme_passages(THEME)) == 1
    await decide(bot, kept, Decision.HIDE)
    assert await quotes.pick(filters) is None and THEME not in await bot.store.catalogue.theme_counts()


async def test_a_hide_survives_reimports_of_an_unchanged_review(bot: FilmBot) -> None:
    """Forced re-imports, in place and with every passage of the review re-created under new ids, keep it hidden."""
    passage_id = (await theme_passages(bot))[0]
    text, review_id = (await bot.store.db.fetchone("SELECT text, review_id FROM passages WHERE id = ?", (passage_id,)))
    await decide(bot, passage_id, Decision.HIDE)
    settings = bot.settings
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert (await bot.store.quotes.get(passage_id)).hidden  # retagged in place: same id
    # An older segmentation on record: the import replaces every passage of the review (new ids).
    async with bot.store.db.corpus_transaction() as conn:
        await conn.execute("UPDATE passages SET text = text || ' (old cut)' WHERE review_id = ? AND id != ?",
                           (review_id, passage_id))
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert await bot.store.quotes.get(passage_id) is None
    new_id = await bot.store.db.fetchval("SELECT id FROM passages WHERE review_id = ? AND text = ?", (review_id, text))
    assert new_id is not None and new_id != passage_id
    assert (await bot.store.quotes.get(new_id)).hidden
    for _ in range(30):
        assert (await bot.store.quotes.pick(QuoteFilters(theme=THEME))).passage_id != new_id


async def test_spoiler_and_trim_marks_reach_the_quote(bot: FilmBot) -> None:
    """Mark spoiler and trim change what every later quote of the passage carries; audited with before/after."""
    passage_id = (await theme_passages(bot))[0]
    text = await bot.store.flags.original_text(passage_id)
    first = trim_choices(text)[0]
    await decide(bot, passage_id, Decision.SPOILER)
    before, after = await decide(bot, passage_id, Decision.TRIM, first)
    assert before == Marks(spoiler=True) and after == Marks(spoiler=True, trimmed=first)
    quote = await bot.store.quotes.get(passage_id)
    assert quote.marked_spoiler and quote.trimmed and quote.text == first
    audit = await bot.store.db.fetchall("SELECT action, after_json FROM audit_log ORDER BY id")
    assert [row[0] for row in audit] == ["passage.spoiler", "passage.trim"]
    assert first in audit[-1][1]


async def test_one_flag_per_member_per_passage_and_ten_an_hour(bot: FilmBot) -> None:
    """The store refuses a second flag on a passage and an eleventh within the hour."""
    ids = [row[0] for row in await bot.store.db.fetchall("SELECT id FROM passages ORDER BY id LIMIT 11")]
    flag = bot.store.flags.flag
    assert await flag(passage_id=ids[0], user_id=5, guild_id=GUILD, reason=Reason.SPOILER) == "flagged"
    assert await flag(passage_id=ids[0], user_id=5, guild_id=GUILD, reason=Reason.WRONG_FILM) == "duplicate"
    for passage_id in ids[1:10]:
        assert await flag(passage_id=passage_id, user_id=5, guild_id=GUILD, reason=Reason.SPOILER) == "flagged"
    assert await flag(passage_id=ids[10], user_id=5, guild_id=GUILD, reason=Reason.SPOILER) == "limited"
    assert await flag(passage_id=10**12, user_id=6, guild_id=GUILD, reason=Reason.SPOILER) == "gone"
    assert await bot.store.db.fetchval("SELECT count(*) FROM passage_flags") == 10


def test_not_a_spoiler_and_a_spoiler_mark_undo_each_other() -> None:
    """"Not a spoiler" drops a moderator's spoiler mark and is dropped by one; hide, show and trim keep it."""
    cleared = Marks(spoiler=True).after(Decision.NOT_SPOILER)
    assert cleared == Marks(cleared=True)
    assert cleared.after(Decision.HIDE).after(Decision.SHOW).after(Decision.TRIM, "One.") == Marks(
        trimmed="One.", cleared=True
    )
    assert cleared.after(Decision.SPOILER) == Marks(spoiler=True)


async def test_not_a_spoiler_survives_retags_and_reimports(bot: FilmBot) -> None:
    """A passage the text rules hid, shown in clear by a moderator: stays clear through forced re-imports (in place
    and re-created under new ids); a later spoiler mark hides it again."""
    passage_id, review_id, text = await bot.store.db.fetchone(
        "SELECT p.id, p.review_id, p.text FROM passages p WHERE p.spoiler_reason = 'after_reveal' AND p.quotable = 1"
        " AND p.id NOT IN (SELECT passage_id FROM passage_themes) ORDER BY p.id LIMIT 1"
    )
    assert (await bot.store.quotes.get(passage_id)).spoiler_reason == "after_reveal"
    before, after = await decide(bot, passage_id, Decision.NOT_SPOILER)
    assert before == Marks() and after == Marks(cleared=True)
    assert (await bot.store.quotes.get(passage_id)).spoiler_reason is None
    settings = bot.settings
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert (await bot.store.quotes.get(passage_id)).spoiler_reason is None  # retagged in place
    async with bot.store.db.corpus_transaction() as conn:  # an older cut on record: every passage re-created
        await conn.execute("UPDATE passages SET text = text || ' (old cut)' WHERE review_id = ? AND id != ?",
                           (review_id, passage_id))
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    new_id = await bot.store.db.fetchval("SELECT id FROM passages WHERE review_id = ? AND text = ?", (review_id, text))
    assert new_id != passage_id and (await bot.store.quotes.get(new_id)).spoiler_reason is None
    others = await bot.store.db.fetchval(
        "SELECT count(*) FROM passages WHERE review_id = ? AND spoiler_reason = 'after_reveal'", (review_id,)
    )
    assert others > 0  # only that one passage was cleared
    await decide(bot, new_id, Decision.SPOILER)
    quote = await bot.store.quotes.get(new_id)
    assert quote.marked_spoiler
    audit = await bot.store.db.fetchall("SELECT action FROM audit_log ORDER BY id")
    assert [row[0] for row in audit] == ["passage.not_spoiler", "passage.spoiler"]
