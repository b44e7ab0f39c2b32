-- Reads the timed jobs make on every pass or every game round, each scanning rows that only grow.
--
-- Every scheduler pass asks for the claimed screening reminders (filmnight/store `claims`, read by
-- reconcile.recover_claims, and `next_reminder`'s oldest claim). Only the 'due' rows had an index, so both
-- scanned every reminder ever stored (three per screening, kept as sent or skipped): ~3.5 ms each at 99,000
-- rows, twice a pass, in every pass of every job. Claimed rows are the few being sent right now.
CREATE INDEX screening_reminders_claimed ON screening_reminders(claimed_at) WHERE status = 'claimed';

-- Each revealed game round posts the server's leaderboard (club/store `leaderboard`): it found the server's
-- revealed rounds through club_game_rounds_due (status, deadline), i.e. every server's revealed rounds ever:
-- 9.5 ms at 100,000 rounds of 200 servers, 1.7 ms through this index (the server's own 500).
CREATE INDEX club_game_rounds_revealed ON club_game_rounds(guild_id) WHERE status = 'revealed';
