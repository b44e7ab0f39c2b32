-- 056: screening reminders (and the screening's end) are retried through the job loop like scheduled
-- prompts: a transient failure puts the row back to 'due' at a later due_at with one more attempt; after
-- the last attempt it is 'failed' and moderators are told. A reminder whose moment has passed by the time
-- the bot gets to it (downtime over the screening) is 'skipped', never sent late.
-- SQLite cannot change a CHECK in place: the table is rebuilt (nothing references it).

CREATE TABLE screening_reminders_new (
    screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('24h', '1h', 'end')),
    due_at       TEXT NOT NULL,          -- when it is due; a retry moves it later
    status       TEXT NOT NULL CHECK (status IN ('due', 'claimed', 'sent', 'failed', 'skipped')),
    message_id   INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT,                   -- the last reason it failed
    PRIMARY KEY (screening_id, kind)
);
INSERT INTO screening_reminders_new(screening_id, kind, due_at, status, message_id)
    SELECT screening_id, kind, due_at, status, message_id FROM screening_reminders;
DROP TABLE screening_reminders;
ALTER TABLE screening_reminders_new RENAME TO screening_reminders;
CREATE INDEX screening_reminders_due ON screening_reminders(due_at) WHERE status = 'due';
