-- Members suggest discussion questions; moderators approve or reject them from the log channel.
CREATE TABLE question_suggestions (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    question       TEXT NOT NULL,
    theme          TEXT,                -- NULL: a question for any theme without spoilers
    film_id        INTEGER REFERENCES films(id) ON DELETE SET NULL,
    credit         INTEGER NOT NULL DEFAULT 0,  -- the member agreed to be named with the question
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    created_at     TEXT NOT NULL,
    decided_by     INTEGER,
    decided_at     TEXT,
    log_channel_id INTEGER,
    log_message_id INTEGER
);
CREATE INDEX question_suggestions_member ON question_suggestions(guild_id, user_id, created_at);

-- Who suggested a server's added question (NULL: a moderator wrote it, or its author stays unnamed).
ALTER TABLE theme_questions ADD COLUMN suggested_by INTEGER;
