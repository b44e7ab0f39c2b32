-- 097: a member's flag on a passage is per server, like every member's own record: one flag per member per
-- passage per server. With (passage_id, user_id) as the key, a flag in one server refused the member's flag
-- on the same passage in another ("You already flagged"), so that server's moderators never saw it.
-- SQLite cannot change a primary key in place: the table is rebuilt (PostgreSQL: postgresql/097-*.sql).
CREATE TABLE passage_flags_by_server (
    passage_id  INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('reads_badly', 'wrong_film', 'spoiler')),
    at          TEXT NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (passage_id, user_id, guild_id)
);
INSERT INTO passage_flags_by_server(passage_id, user_id, guild_id, reason, at, resolved_at)
SELECT passage_id, user_id, guild_id, reason, at, resolved_at FROM passage_flags;
DROP TABLE passage_flags;
ALTER TABLE passage_flags_by_server RENAME TO passage_flags;
CREATE INDEX passage_flags_open ON passage_flags(guild_id, passage_id) WHERE resolved_at IS NULL;
CREATE INDEX passage_flags_member ON passage_flags(user_id, at);
