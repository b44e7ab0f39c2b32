-- 004: polls. Native Discord polls are recorded so their deadline posts results once; button polls keep
-- their options and every vote here, so a restart loses nothing and no click is counted twice.

CREATE TABLE polls (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    channel_id         INTEGER NOT NULL,
    message_id         INTEGER UNIQUE,          -- NULL only between storing and posting
    creator_id         INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('native', 'buttons')),
    question           TEXT NOT NULL,
    multiple           INTEGER NOT NULL DEFAULT 0 CHECK (multiple IN (0, 1)),
    anonymous          INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    hide_results       INTEGER NOT NULL DEFAULT 0 CHECK (hide_results IN (0, 1)),
    theme              TEXT,                    -- set for /poll theme
    created_at         TEXT NOT NULL,           -- UTC ISO-8601
    deadline           TEXT NOT NULL,           -- UTC ISO-8601; the scheduler closes the poll then
    closed_at          TEXT,                    -- flipped once, only while NULL: the at-most-once guard
    closed_by          INTEGER,                 -- NULL = closed by the deadline
    results_message_id INTEGER
);
CREATE INDEX polls_open_deadline ON polls(deadline) WHERE closed_at IS NULL;
CREATE INDEX polls_guild ON polls(guild_id, closed_at);

CREATE TABLE poll_options (
    poll_id   INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL,                 -- 1-based position, as Discord numbers native answers
    label     TEXT NOT NULL,
    PRIMARY KEY (poll_id, option_id)
);

-- One row per (poll, user, option). `single` copies "not multiple" from the poll so that the partial
-- unique index below makes a second choice in a single-choice poll impossible, not just unlikely.
CREATE TABLE poll_votes (
    poll_id   INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    option_id INTEGER NOT NULL,
    single    INTEGER NOT NULL CHECK (single IN (0, 1)),
    voted_at  TEXT NOT NULL,
    PRIMARY KEY (poll_id, user_id, option_id),
    FOREIGN KEY (poll_id, option_id) REFERENCES poll_options(poll_id, option_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX poll_votes_single_choice ON poll_votes(poll_id, user_id) WHERE single = 1;
