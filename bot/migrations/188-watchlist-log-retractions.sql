-- 188: /rate forget-me edits the member's watchlist suggestions' log-channel posts (their note and name), as it
-- edits their suggested questions' since 101: those posts are known since 179 (watchlist.log_channel_id /
-- log_message_id). kind: which post a queued row is ('question' or 'watchlist'), so the one job says what was
-- removed. Portable SQL: the same file on PostgreSQL.
ALTER TABLE suggestion_retractions ADD COLUMN kind TEXT NOT NULL DEFAULT 'question';
