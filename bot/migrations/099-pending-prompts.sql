-- A timed prompt (a schedule's slot, a screening's end step) about to be posted: what post_prompt chose, kept
-- until its posted_prompts rows are written (in the same transaction, which deletes this row). A retry or a
-- restart that finds the message in the channel (Discord made it, then answered 5xx and the check read failed,
-- or the process died before recording it) completes it from here: the thread it lacks and its rotation record,
-- once. source: posted_prompts.source ('schedule:<slot>', 'screening:<id>'). thread_name: NULL, no thread wanted.
-- uses: JSON [[passage_id, critic_key, cycle], ...].
CREATE TABLE pending_prompts (
    source      TEXT PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    theme       TEXT NOT NULL,
    film_key    TEXT NOT NULL,
    film        TEXT,
    thread_name TEXT,
    uses        TEXT NOT NULL,
    at          TEXT NOT NULL
);
