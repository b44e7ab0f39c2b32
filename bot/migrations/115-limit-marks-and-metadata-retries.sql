-- 115: two small ledgers, no member's words in either.
--
-- member_limit_marks: when a member who asked /rate forget-me had last used a per-member rate limit (kind
-- 'suggest': a suggested question, per server; kind 'flag': passage flags, over every server, guild_id 0).
-- forget-me deletes the suggestions and flags themselves; these times (and how many flags at that time) keep
-- the hourly limits counting them, so forgetting never resets a limit. Kept a day, then pruned.
CREATE TABLE member_limit_marks (
    kind     TEXT NOT NULL,
    guild_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    at       TEXT NOT NULL,
    n        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, guild_id, user_id, at)
);
CREATE INDEX member_limit_marks_at ON member_limit_marks(at);

-- metadata_retries: a film whose metadata lookup failed because the film databases could not be asked
-- (down, timing out, paused): asked again at `due`, with back-off (attempts: failed tries so far), until
-- found, known to be unknown, or given up. One row per film; survives restarts.
CREATE TABLE metadata_retries (
    film_id  BIGINT PRIMARY KEY,
    due      TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX metadata_retries_due ON metadata_retries(due);
