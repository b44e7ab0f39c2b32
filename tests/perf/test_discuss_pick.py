"""/discuss picks its passage in SQL: the theme's pool is never loaded, and a cycle still visits every
passage once before any repeats (bot.discussion.rotation_store.RotationStore.pick)."""

from __future__ import annotations

import pytest

from bot.corpus import TaggedPassage
from bot.corpus.passage import QuoteFilters, RotationKey
from bot.corpus.store import CorpusWriter, NewReview
from bot.discussion.rotation import PromptUse, critic_key
from bot.discussion.rotation_store import RotationStore
from bot.quotes.store import QuoteStore
from tests import pg_backend
from tests.helpers import rows

THEME = "nostalgia"


async def add_pool(store, *, reviews: int, per_review: int, theme: str = THEME, critics: int = 7) -> set[int]:
    """Synthetic reviews of the first film, every passage tagged `theme`; their passage ids."""
    film_id = (await store.catalogue.films())[0][0]
    async with store.db.corpus_transaction() as conn:
        for number in range(reviews):
            review = NewReview(film_id=film_id, body=f"synthetic {number}", body_hash=f"synthetic-{number}",
                               source="moderator", critic=f"Critic {number % critics}")
            passages = [TaggedPassage(i, 0, f"Synthetic passage {number}.{i} about memory.", True, {theme: 1.0})
                        for i in range(per_review)]
            await CorpusWriter.insert_review(conn, review, passages)
    found = await store.db.fetchall(
        "SELECT p.id FROM passages p JOIN reviews r ON r.id = p.review_id WHERE r.body_hash LIKE 'synthetic-%'")
    return {row[0] for row in found}


def count_rows(monkeypatch: pytest.MonkeyPatch, db) -> list[int]:
    """Rows each read statement of the database returns, in order (fetchone/fetchall/fetchval, seek_one)."""
    counts: list[int] = []
    real, real_seek = type(db).fetchall, type(db).seek_one

    async def fetchall(self, sql, params=()):
        result = await real(self, sql, params)
        counts.append(len(result))
        return result

    async def seek_one(self, sql, params=()):
        row = await real_seek(self, sql, params)
        counts.append(0 if row is None else 1)
        return row

    monkeypatch.setattr(type(db), "fetchall", fetchall)
    monkeypatch.setattr(type(db), "seek_one", seek_one)
    return counts


async def test_discuss_never_loads_the_pool(world, settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """/discuss on a 4,000-passage theme posts a prompt while no read returns more than a handful of rows,
    and neither the pool loader nor the whole-pool query runs."""
    store = world.bot.store
    pool = await add_pool(store, reviews=200, per_review=20)
    assert len(pool) == 4000

    def forbidden(*_: object, **__: object) -> None:
        raise AssertionError("/discuss loaded the pool")

    monkeypatch.setattr(RotationStore, "pool", forbidden)
    monkeypatch.setattr(QuoteStore, "passages_for", forbidden)
    for _ in range(2):  # fills the corpus summaries (the review index: one read of every review, then kept)
        await world.alice.slash(world.channel, "discuss", theme=THEME)
    counts = count_rows(monkeypatch, store.db)
    for _ in range(4):
        result = await world.alice.slash(world.channel, "discuss", theme=THEME)
        assert "Started a discussion" in result.response.content
    assert counts and max(counts) <= 1  # one row per read: the rotation's state, the passage
    posted = [row[0] for row in rows(settings, "SELECT passage_id FROM posted_prompts ORDER BY id")]
    assert len(posted) == 6 == len(set(posted))


async def record(store, guild_id: int, theme: str, film_key: str, uses: list[PromptUse]) -> None:
    await store.prompts.record(guild_id=guild_id, channel_id=1, message_id=1, thread_id=None, kind="discuss",
                               theme=theme, film_key=film_key, film=None, uses=uses, source="test")


async def test_cycle_visits_every_passage_once_before_repeating(world) -> None:
    """Over a 300-passage pool, 300 picks use each passage exactly once; pick 301 starts cycle 2."""
    store = world.bot.store
    await add_pool(store, reviews=30, per_review=10, theme="jazz", critics=4)
    filters = QuoteFilters(theme="jazz")
    pool = {q.passage_id for q in await store.quotes.passages_for(filters)}
    assert len(pool) >= 300
    seen: list[int] = []
    for number in range(len(pool) + 1):
        pick = await store.rotation.pick(filters, RotationKey(1, "jazz", ""))
        assert pick is not None
        assert pick.cycle_restarted == (number == len(pool)), number
        assert pick.cycle == (2 if pick.cycle_restarted else 1)
        if not pick.cycle_restarted:
            seen.append(pick.quote.passage_id)
        await record(store, 1, "jazz", "", [PromptUse(pick.quote.passage_id, critic_key(pick.quote), pick.cycle)])
    assert len(seen) == len(set(seen)) and set(seen) == pool
    pick = await store.rotation.pick(filters, RotationKey(1, "jazz", ""))
    assert pick is not None and pick.cycle == 2 and not pick.cycle_restarted


async def test_last_critic_and_recent_passages_are_avoided(world) -> None:
    """The pick skips the last prompt's critic and the server's recent passages while others are left,
    and falls back to them (still unused, no restart) when nothing else is."""
    store = world.bot.store
    ids = await add_pool(store, reviews=3, per_review=2, theme="jazz", critics=3)  # critics 0, 1, 2
    by_critic: dict[str, set[int]] = {}
    for passage_id in ids:
        quote = await store.quotes.get(passage_id)
        assert quote is not None
        by_critic.setdefault(critic_key(quote), set()).add(passage_id)
    film = str((await store.catalogue.films())[0][0])
    filters = QuoteFilters(theme="jazz", film=f"film:{film}")
    rotation = RotationKey(2, "jazz", film)
    # Cycle 1 has used every seed jazz passage of the film; critic 1's passages were just shown under
    # another theme; the last jazz prompt was critic 0's.
    seeds = sorted({q.passage_id for q in await store.quotes.passages_for(filters)} - ids)
    await record(store, 2, "jazz", film, [PromptUse(pid, "seed", 1) for pid in seeds[:-1]])
    await record(store, 2, "nostalgia", film, [PromptUse(pid, "critic 1", 1) for pid in by_critic["critic 1"]])
    await record(store, 2, "jazz", film, [PromptUse(seeds[-1], "critic 0", 1)])
    for _ in range(20):
        pick = await store.rotation.pick(filters, rotation)
        assert pick is not None and not pick.cycle_restarted and pick.cycle == 1
        assert pick.quote.passage_id in by_critic["critic 2"]
    # Only critic 0's passages left unused: they come (critic avoidance gives way), still cycle 1.
    await record(store, 2, "jazz", film, [PromptUse(pid, "critic 0", 1) for pid in ids - by_critic["critic 0"]])
    for _ in range(10):
        pick = await store.rotation.pick(filters, rotation)
        assert pick is not None and not pick.cycle_restarted
        assert pick.quote.passage_id in by_critic["critic 0"]


@pytest.mark.skipif(pg_backend.on_postgres(), reason="SQLite's query plans")
async def test_a_server_s_recent_prompts_are_read_by_index(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 3,000 prompts in a server's history, the pick reads its 30 latest passages through an index
    (migration 100), newest first: no sort of the whole history, whatever its length."""
    store = world.bot.store
    pool = sorted(await add_pool(store, reviews=10, per_review=10, theme="jazz"))
    await record(store, 3, "nostalgia", "", [PromptUse(pid, "critic", 1 + n // 100)
                                             for n, pid in enumerate(pool * 30)])
    sent: list[tuple[str, list]] = []
    real = type(store.db).seek_one

    async def seek_one(self, sql, params=()):
        sent.append((sql, list(params)))
        return await real(self, sql, params)

    monkeypatch.setattr(type(store.db), "seek_one", seek_one)
    pick = await store.rotation.pick(QuoteFilters(theme="jazz"), RotationKey(3, "jazz", ""))
    assert pick is not None
    [(sql, params)] = [(s, p) for s, p in sent if "recent(id)" in s]
    plan = " / ".join(row[3] for row in await store.db.fetchall("EXPLAIN QUERY PLAN " + sql, params))
    recent = plan[plan.index("MATERIALIZE recent"):].split(" / ")[1:3]
    assert "posted_prompts_guild_recent" in recent[0] and "TEMP B-TREE" not in recent[1], plan
