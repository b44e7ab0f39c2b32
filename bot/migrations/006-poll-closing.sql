-- 006: closing a poll is a durable state machine: open → closing → announced (or abandoned).
-- `closing` is entered in the same UPDATE that sets closed_at (the at-most-once guard); the deadline
-- job then disables the buttons and posts the results, retrying with back-off and after restarts,
-- until it is `announced`, or `abandoned` (moderators told) after the last attempt.

ALTER TABLE polls ADD COLUMN close_state TEXT NOT NULL DEFAULT 'open'
    CHECK (close_state IN ('open', 'closing', 'announced', 'abandoned'));
ALTER TABLE polls ADD COLUMN close_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN next_close_at TEXT;   -- for 'closing': when to try announcing again
ALTER TABLE polls ADD COLUMN close_error TEXT;      -- the last reason announcing failed

-- Polls closed before this migration are taken as done: announcing them now would surprise everyone.
UPDATE polls SET close_state = 'announced' WHERE closed_at IS NOT NULL;
CREATE INDEX polls_closing ON polls(next_close_at) WHERE close_state = 'closing';
