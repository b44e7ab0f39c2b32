-- 055: closing a film-night pick is the same durable state machine as a poll's (006): open → closing →
-- announced (or abandoned). `closing` is entered in the UPDATE that sets closed_at; the film-night job then
-- counts, disables the menu and posts the result, retrying with back-off and after restarts, until it is
-- `announced`, or `abandoned` (moderators told) after the last attempt.

ALTER TABLE filmnight_picks ADD COLUMN close_state TEXT NOT NULL DEFAULT 'open'
    CHECK (close_state IN ('open', 'closing', 'announced', 'abandoned'));
ALTER TABLE filmnight_picks ADD COLUMN close_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE filmnight_picks ADD COLUMN next_close_at TEXT;   -- for 'closing': when to try announcing again
ALTER TABLE filmnight_picks ADD COLUMN close_error TEXT;      -- the last reason announcing failed
ALTER TABLE filmnight_picks ADD COLUMN results_message_id INTEGER;

-- Picks closed before this migration are taken as done: announcing them now would surprise everyone.
UPDATE filmnight_picks SET close_state = 'announced' WHERE closed_at IS NOT NULL;
CREATE INDEX filmnight_picks_closing ON filmnight_picks(next_close_at) WHERE close_state = 'closing';
