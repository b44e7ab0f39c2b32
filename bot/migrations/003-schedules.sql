-- 003: scheduled discussion prompts and every slot they handled.
-- A slot is (schedule, UTC instant); UNIQUE(schedule_id, slot_utc) makes a double post impossible:
-- the row is inserted ('claimed') in the same transaction that decides to post, before posting.

CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    time_of_day   TEXT NOT NULL,              -- HH:MM, local to `timezone`
    days          TEXT NOT NULL,              -- 'daily' | 'weekdays' | 'weekends' | 'mon,wed,fri'
    timezone      TEXT NOT NULL,              -- IANA name
    theme         TEXT,                       -- a theme key; NULL = rotation
    film          TEXT,
    ping_role_id  INTEGER,
    make_thread   INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    -- Slots at or before this instant are never posted: set at creation and on resume, so a
    -- new or resumed schedule does not "catch up" on slots from before it was active.
    active_since  TEXT NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    paused_at     TEXT
);
CREATE INDEX schedules_guild ON schedules(guild_id);

CREATE TABLE schedule_posts (
    id              INTEGER PRIMARY KEY,
    schedule_id     INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    slot_utc        TEXT NOT NULL,            -- UTC ISO-8601 to the second
    status          TEXT NOT NULL CHECK (status IN ('claimed', 'retrying', 'posted', 'skipped', 'failed')),
    message_id      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    recovered       INTEGER NOT NULL DEFAULT 0, -- 1 once an orphaned claim was re-posted after a restart
    claimed_at      TEXT,
    next_attempt_at TEXT,                     -- for 'retrying': when to try again (back-off)
    reason          TEXT,                     -- why skipped / failed / retrying, or 'catch-up …'
    updated_at      TEXT NOT NULL,
    UNIQUE (schedule_id, slot_utc)
);
CREATE INDEX schedule_posts_pending ON schedule_posts(status, next_attempt_at);
