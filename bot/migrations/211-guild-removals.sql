-- 211: the servers the bot was removed from (GUILD_DELETE, not an outage), until it is back. Discord sends a join only
-- to a connected bot: one invited back while its process was down finds the server among its start-up guilds, so
-- FilmBot.on_ready reads this table to run what a join runs (the given-up posts tried again). Portable SQL: the same
-- file on PostgreSQL.
CREATE TABLE guild_removals (
    guild_id   BIGINT PRIMARY KEY,
    removed_at TEXT NOT NULL
);
