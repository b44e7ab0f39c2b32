-- 237: when the bot last joined each server (Discord's joined_at of the bot's own member). Removed and invited back
-- while the process was down, the bot sees no GUILD_DELETE and no join, only the server among its start-up guilds with
-- a later joined_at: FilmBot.on_ready compares it with this row to run what a join runs. Portable SQL: the same file
-- on PostgreSQL. joined_at: ISO 8601 UTC with microseconds, so text order is time order.
CREATE TABLE guild_memberships (
    guild_id  BIGINT PRIMARY KEY,
    joined_at TEXT NOT NULL
);
