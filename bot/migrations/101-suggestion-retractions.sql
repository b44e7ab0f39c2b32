-- A suggested question's log-channel message whose author asked /rate forget-me: the message still shows their
-- words and name until it is edited. One row per message, written in forget-me's transaction (which deletes the
-- suggestion itself, so the words leave the database at once); the discussion job edits the message, then
-- deletes the row, trying again with back-off while Discord fails. due: the next try (or the end of a running
-- try's lease); attempts: failed tries so far.
CREATE TABLE suggestion_retractions (
    message_id BIGINT PRIMARY KEY,
    guild_id   BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    due        TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX suggestion_retractions_due ON suggestion_retractions(due);
