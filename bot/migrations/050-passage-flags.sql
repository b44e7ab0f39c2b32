-- 050: members flag passages that read badly, name the wrong film or spoil; moderators decide
-- (hide, keep, mark as spoiler, trim to one sentence). Issue 28, item 4.

-- One flag per member per passage (anonymous: only counts are ever shown). A moderator's decision
-- resolves the server's open flags on the passage; the row stays, so the member cannot flag it again.
CREATE TABLE passage_flags (
    passage_id  INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('reads_badly', 'wrong_film', 'spoiler')),
    at          TEXT NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (passage_id, user_id)
);
CREATE INDEX passage_flags_open ON passage_flags(guild_id, passage_id) WHERE resolved_at IS NULL;
CREATE INDEX passage_flags_member ON passage_flags(user_id, at);

-- Moderators' decisions, corpus-wide, keyed by what survives a re-import of an unchanged review:
-- the review's body hash and the passage's text (passage ids change when a review is re-segmented).
CREATE TABLE passage_decisions (
    body_hash TEXT NOT NULL,
    text      TEXT NOT NULL,
    hidden    INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    spoiler   INTEGER NOT NULL DEFAULT 0 CHECK (spoiler IN (0, 1)),
    trimmed   TEXT,              -- the one sentence quoted instead of the whole passage
    actor_id  INTEGER,
    at        TEXT NOT NULL,
    PRIMARY KEY (body_hash, text)
);

-- The decisions as they apply to today's passage ids: rebuilt after every write of a review's
-- passages (CorpusWriter.apply_overrides), read by every pick (hidden ones are never picked).
CREATE TABLE passage_marks (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    hidden     INTEGER NOT NULL DEFAULT 0,
    spoiler    INTEGER NOT NULL DEFAULT 0,
    trimmed    TEXT
);
