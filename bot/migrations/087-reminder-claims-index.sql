-- Every scheduler pass asks for the claimed screening reminders (filmnight/store `claims`, read by
-- reconcile.recover_claims, and `next_reminder`'s oldest claim). Only the 'due' rows had an index, so both
-- scanned every reminder ever stored (three per screening, kept as sent or skipped): ~3.5 ms each at 99,000
-- rows, twice a pass, in every pass of every job. Claimed rows are the few being sent right now.
CREATE INDEX screening_reminders_claimed ON screening_reminders(claimed_at) WHERE status = 'claimed';
