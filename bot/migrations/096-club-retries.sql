-- The club's timed posts are retried when Discord fails for now (a 5xx), as prompts, polls and reminders are:
-- a game round's post and its reveal, and a thread digest, used to end the game or be lost on one 503.
-- attempts: failed attempts so far (the back-off step; past the last one the post is given up).
-- reveal_due: a revealed round whose reveal message is still to be posted, and when to try again.
ALTER TABLE club_game_rounds ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE club_game_rounds ADD COLUMN reveal_due TEXT;
ALTER TABLE club_digests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX club_game_rounds_reveal_due ON club_game_rounds(reveal_due) WHERE reveal_due IS NOT NULL;
