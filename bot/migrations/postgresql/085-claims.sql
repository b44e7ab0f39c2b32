-- Several processes on one database (FILMBOT_SHARD_IDS): a reminder claim carries when and by whom it was
-- made, so a claim left by a process that died is recognised once its lease ends (filmnight/store
-- REMINDER_LEASE) and another pass (this process restarted, or any owner of the server) settles it. A claim
-- made before this migration has no time and is treated as orphaned at once, as before.
ALTER TABLE screening_reminders ADD COLUMN claimed_at TEXT;
ALTER TABLE screening_reminders ADD COLUMN claimed_by TEXT;

-- Bumped in the same transaction as every corpus write (films, reviews, passages, themes, marks), by any
-- process: one row read before a cached corpus summary is trusted tells whether another process changed
-- the corpus since (bot/core/generation_store.py).
CREATE TABLE corpus_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO corpus_generation(id, generation) VALUES (1, 0);

-- The same for the club's claims: a thread digest being posted ('posting') and a game round taken off the
-- queue to be posted (waiting, deadline cleared). A holder gone leaves the digest due again (unless the
-- thread shows it was posted) and ends the game whose round never appeared, so the channel is free again.
ALTER TABLE club_digests ADD COLUMN claimed_at TEXT;
ALTER TABLE club_digests ADD COLUMN claimed_by TEXT;
ALTER TABLE club_game_rounds ADD COLUMN claimed_at TEXT;
ALTER TABLE club_game_rounds ADD COLUMN claimed_by TEXT;
