"""Writes to the corpus: films, reviews, their passages and theme tags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from bot.core.db import Database, inserted_id
from bot.core.store import AuditStore
from bot.core.time import utc_now_iso
from bot.corpus import TaggedPassage
from bot.corpus.changes_store import corpus_write
from bot.corpus.reasons import SpoilerReason
from bot.films.store import FilmStore


@dataclass(frozen=True)
class NewReview:
    """Everything needed to store one review; critic/outlet None means unknown."""

    film_id: int
    body: str
    body_hash: str
    source: str  # "bundled" or "moderator"
    critic: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    spoiler: bool = False
    source_key: str | None = None
    added_by: int | None = None
    fetched_at: str | None = None  # reviews added from a link: when the page was fetched
    url_key: str | None = None  # ... and the normalised URL that article is known by (unique)


def reason_values(passage: TaggedPassage) -> tuple[str | None, str | None]:
    """(refusal, spoiler_reason) as stored: the Enum keys, or NULL."""
    return (
        passage.refusal.value if passage.refusal is not None else None,
        passage.spoiler.value if passage.spoiler is not None else None,
    )


# A passage's spoiler reason as read: a moderator's mark (flags' passage_marks), else its text's, else
# the review's flag. (SQL over `p` and `r`.)
SPOILER_REASON_SQL = (
    f"coalesce((SELECT '{SpoilerReason.MODERATOR.value}' FROM passage_marks sm WHERE sm.passage_id = p.id"
    f" AND sm.spoiler = 1), p.spoiler_reason, CASE WHEN r.spoiler THEN '{SpoilerReason.REVIEW_MARKED.value}' END)"
)

MANUAL_SCORE = 2.0  # the score of a theme a moderator put on a passage by hand

_OVERRIDDEN = "SELECT o.passage_id, o.theme FROM passage_theme_overrides o JOIN passages p ON p.id = o.passage_id"

# Passages a moderator hid (/passage hide, the flag queue): no pick, search or prompt ever returns one.
HIDDEN_IDS = "SELECT passage_id FROM passage_marks WHERE hidden = 1"
# Today's passages that moderators' decisions (keyed by review body hash and passage text) apply to.
_DECIDED = (
    "SELECT p.id, d.hidden, d.spoiler, d.trimmed FROM passage_decisions d"
    " JOIN reviews r ON r.body_hash = d.body_hash JOIN passages p ON p.review_id = r.id AND p.text = d.text"
    " WHERE (d.hidden = 1 OR d.spoiler = 1 OR d.trimmed IS NOT NULL)"
)
# Today's passages a moderator said are not spoilers (/passage not-spoiler): their text rules' spoiler reason is
# dropped after every (re)write, so every reader of passages.spoiler_reason shows them in clear. A spoiler theme
# tag or a review marked spoiler still hides them (the command refuses those, and says how to undo them).
_CLEARED = (
    "SELECT p.id FROM passage_decisions d JOIN reviews r ON r.body_hash = d.body_hash"
    " JOIN passages p ON p.review_id = r.id AND p.text = d.text WHERE d.cleared = 1"
)


class CorpusWriter:
    """Every statement that changes reviews or passages; call inside `Database.transaction()`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def totals(self) -> tuple[int, int]:
        """(reviews, passages) in the whole database."""
        row = await self.db.fetchone("SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM passages)")
        return (row[0], row[1]) if row else (0, 0)

    @staticmethod
    async def film_id(conn: aiosqlite.Connection, title: str, year: int | None) -> int:
        """The catalogue's film for this title and year (FilmStore.ensure: a yearless title names the
        only film of that title, else the yearless one), created on first use."""
        return await FilmStore.ensure(conn, title, year, strict=False)

    @staticmethod
    async def insert_review(
        conn: aiosqlite.Connection, review: NewReview, passages: Iterable[TaggedPassage]
    ) -> int:
        cur = await conn.execute(
            "INSERT INTO reviews(film_id, critic, outlet, url, published, spoiler, body, body_hash, source,"
            " source_key, added_by, added_at, fetched_at, url_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                review.film_id, review.critic, review.outlet, review.url, review.published,
                int(review.spoiler), review.body, review.body_hash, review.source, review.source_key,
                review.added_by, utc_now_iso(), review.fetched_at, review.url_key,
            ),
        )
        review_id = inserted_id(cur)
        await CorpusWriter.insert_passages(conn, review_id, passages)
        return review_id

    @staticmethod
    async def insert_passages(
        conn: aiosqlite.Connection, review_id: int, passages: Iterable[TaggedPassage]
    ) -> None:
        for passage in passages:
            cur = await conn.execute(
                "INSERT INTO passages(review_id, ordinal, paragraph, text, quotable, refusal, spoiler_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (review_id, passage.ordinal, passage.paragraph, passage.text, int(passage.quotable),
                 *reason_values(passage)),
            )
            await conn.executemany(
                "INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, ?)",
                [(inserted_id(cur), theme, score) for theme, score in passage.themes.items()],
            )
        await CorpusWriter.apply_overrides(conn, review_id)

    @staticmethod
    async def apply_overrides(conn: aiosqlite.Connection, review_id: int | None = None) -> None:
        """Moderators' tag corrections (and hide/spoiler/trim decisions) win over the tagger: run after
        every (re)tag or re-insert of passages (one review, or all)."""
        scope, params = (" AND p.review_id = ?", (review_id,)) if review_id is not None else ("", ())
        await conn.execute(
            f"DELETE FROM passage_themes WHERE (passage_id, theme) IN ({_OVERRIDDEN}"
            f" WHERE o.action = 'remove'{scope})",
            params,
        )
        await conn.execute(
            f"INSERT OR IGNORE INTO passage_themes(passage_id, theme, score) SELECT o.passage_id, o.theme, ?"
            f" FROM passage_theme_overrides o JOIN passages p ON p.id = o.passage_id"
            f" WHERE o.action = 'add' AND p.quotable = 1{scope}",
            (MANUAL_SCORE, *params),
        )
        await CorpusWriter.apply_decisions(conn, review_id)

    @staticmethod
    async def apply_decisions(conn: aiosqlite.Connection, review_id: int | None = None) -> None:
        """Moderators' hide / spoiler / trim / not-a-spoiler decisions reach today's passage ids (one review, or all).

        Decisions are keyed by the review's body hash and the passage's text, so a re-import that
        re-creates the passages of an unchanged review finds them again; the cost is one indexed
        join per decision, whatever the corpus's size.
        """
        if review_id is None:
            await conn.execute("DELETE FROM passage_marks")
            await conn.execute(f"INSERT INTO passage_marks(passage_id, hidden, spoiler, trimmed) {_DECIDED}")
            await conn.execute(f"UPDATE passages SET spoiler_reason = NULL WHERE id IN ({_CLEARED})")
            return
        await conn.execute(
            "DELETE FROM passage_marks WHERE passage_id IN (SELECT id FROM passages WHERE review_id = ?)",
            (review_id,),
        )
        await conn.execute(
            f"INSERT INTO passage_marks(passage_id, hidden, spoiler, trimmed) {_DECIDED} AND r.id = ?", (review_id,)
        )
        await conn.execute(
            f"UPDATE passages SET spoiler_reason = NULL WHERE id IN ({_CLEARED} AND r.id = ?)", (review_id,)
        )

    async def passage_at(self, review_id: int, ordinal: int) -> int | None:
        """The id of a review's passage by its 0-based ordinal ("Review #N · passage M" is ordinal M-1)."""
        return await self.db.fetchval(
            "SELECT id FROM passages WHERE review_id = ? AND ordinal = ?", (review_id, ordinal), default=None
        )

    async def override(
        self, *, passage_id: int, theme: str, action: str, actor_id: int, guild_id: int | None
    ) -> bool:
        """Record a moderator's tag/untag of a passage (it survives retags) and apply it; False if nothing changed."""
        async with corpus_write(self.db) as write:  # the summaries follow the review's new tags
            conn = write.conn
            async with conn.execute(
                "SELECT 1 FROM passage_themes WHERE passage_id = ? AND theme = ?", (passage_id, theme)
            ) as cur:
                tagged = await cur.fetchone() is not None
            await conn.execute(
                "INSERT INTO passage_theme_overrides(passage_id, theme, action, actor_id, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(passage_id, theme) DO UPDATE SET action = excluded.action,"
                " actor_id = excluded.actor_id, at = excluded.at",
                (passage_id, theme, action, actor_id, utc_now_iso()),
            )
            async with conn.execute("SELECT review_id FROM passages WHERE id = ?", (passage_id,)) as cur:
                row = await cur.fetchone()
            if row is not None:
                await write.touching(row[0])
            await CorpusWriter.apply_overrides(conn, row[0] if row else None)
            changed = tagged != (action == "add")
            await AuditStore.record(
                conn, guild_id=guild_id, actor_id=actor_id, action=f"passage.{'tag' if action == 'add' else 'untag'}",
                target_type="passage", target_id=passage_id,
                before={"theme": theme, "tagged": tagged}, after={"theme": theme, "tagged": action == "add"},
            )
        return changed

    @staticmethod
    async def replace_passages(
        conn: aiosqlite.Connection, review_id: int, passages: Iterable[TaggedPassage]
    ) -> None:
        await conn.execute("DELETE FROM passages WHERE review_id = ?", (review_id,))
        await CorpusWriter.insert_passages(conn, review_id, passages)

    @staticmethod
    async def retag(
        conn: aiosqlite.Connection, review_id: int, passages: Iterable[TaggedPassage]
    ) -> None:
        """Replace theme tags, quotability and reasons of a review's passages (same ordinals), keeping
        passage ids stable."""
        passages = list(passages)
        async with conn.execute(
            "SELECT ordinal, id FROM passages WHERE review_id = ?", (review_id,)
        ) as cur:
            ids = {row[0]: row[1] for row in await cur.fetchall()}
        await conn.execute(
            "DELETE FROM passage_themes WHERE passage_id IN (SELECT id FROM passages WHERE review_id = ?)",
            (review_id,),
        )
        rows = [
            (ids[p.ordinal], theme, score)
            for p in passages
            if p.ordinal in ids
            for theme, score in p.themes.items()
        ]
        await conn.executemany(
            "INSERT INTO passage_themes(passage_id, theme, score) VALUES (?, ?, ?)", rows
        )
        # Quotability and the reasons follow the rules of the day (the text is the same, the verdict may
        # not be); quotable is only written where it changed, so the full-text triggers fire only then.
        # A moderator's spoiler mark survives every retag.
        await conn.executemany(
            "UPDATE passages SET quotable = ? WHERE id = ? AND quotable IS NOT ?",
            [(int(p.quotable), ids[p.ordinal], int(p.quotable)) for p in passages if p.ordinal in ids],
        )
        await conn.executemany(
            "UPDATE passages SET refusal = ?, spoiler_reason = CASE WHEN spoiler_reason = ? THEN spoiler_reason"
            " ELSE ? END WHERE id = ?",
            [(refusal, SpoilerReason.MODERATOR.value, spoiler, ids[p.ordinal])
             for p in passages if p.ordinal in ids for refusal, spoiler in [reason_values(p)]],
        )
        await CorpusWriter.apply_overrides(conn, review_id)
