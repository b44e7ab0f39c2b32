-- A /review import running now: one transaction, so a restart (a deploy, a crash) in the middle stores none of
-- it, and its private reply stayed at "Importing… N / 300" forever. The row is written when the import starts
-- and deleted in the import's own transaction (or when it is refused or fails); a row left behind is a reply
-- the next start edits to say nothing was stored (bot/reviews/interrupted.py), while Discord's 15-minute
-- interaction token still allows it. `holder` is the process that ran it (bot/core/claims.py), so another
-- live process's import is never called interrupted. Portable SQL: the same file on PostgreSQL.
CREATE TABLE running_imports (
    token TEXT PRIMARY KEY,
    application_id BIGINT NOT NULL,
    guild_id BIGINT,
    user_id BIGINT NOT NULL,
    holder TEXT NOT NULL,
    started_at TEXT NOT NULL
);
