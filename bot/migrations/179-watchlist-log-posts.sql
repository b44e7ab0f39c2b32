-- 179: where a held watchlist suggestion's Approve/Reject post is in the moderators' log channel. A decision
-- taken in `/watchlist pending` edits that post (buttons off, who decided) instead of leaving it offering a
-- decision that no longer exists until someone presses it. NULL: never posted (no log channel, Discord refused
-- it) or posted before this migration (such a post is still closed when pressed, as before). Read before a
-- rejection deletes the row. Portable SQL: the same file on PostgreSQL.
ALTER TABLE watchlist ADD COLUMN log_channel_id BIGINT;
ALTER TABLE watchlist ADD COLUMN log_message_id BIGINT;
