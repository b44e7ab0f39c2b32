-- A server's latest prompts, newest first (the rotation's `recent`: its 30 latest passages, read by every
-- /discuss and /debate) by index: without it SQLite read every prompt the server ever posted and sorted them
-- (~3 ms per pick at 20,000 prompts, ~50 µs with this index). Covering: the passage id is in the index.
CREATE INDEX posted_prompts_guild_recent ON posted_prompts(guild_id, id, passage_id);
