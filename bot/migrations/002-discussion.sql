-- Discussion prompts (/discuss, /debate, scheduled prompts): one row per passage a prompt used.
-- The rotation reads these rows: a passage is used once per cycle of its (guild, theme, film).
CREATE TABLE posted_prompts (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    thread_id   INTEGER,
    kind        TEXT NOT NULL CHECK (kind IN ('discuss', 'debate')),
    theme       TEXT NOT NULL,
    film_key    TEXT NOT NULL,      -- films.id as text, '' = every film
    film        TEXT,               -- the film label shown, NULL = every film
    cycle       INTEGER NOT NULL,   -- 1, 2, …: bumps when every passage of the rotation was used
    -- A removed review takes its rotation rows with it (so a later passage can never inherit them).
    passage_id  INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    critic_key  TEXT NOT NULL,      -- critic name, or 'review:<id>' for unattributed reviews
    source      TEXT NOT NULL,      -- 'command', 'schedule', …
    at          TEXT NOT NULL,
    -- The real guard against handing one passage out twice in a cycle (the per-guild lock is the first).
    UNIQUE (guild_id, theme, film_key, cycle, passage_id)
);
CREATE INDEX posted_prompts_recent ON posted_prompts(guild_id, film_key, id);
CREATE INDEX posted_prompts_message ON posted_prompts(message_id);
