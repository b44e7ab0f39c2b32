-- Moderators own themes by command; data/themes.toml stays the bundled default.

-- A server's extra discussion questions ('add', {film} allowed) and hidden bundled ones ('remove').
CREATE TABLE theme_questions (
    id       INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    theme    TEXT NOT NULL,
    film_key TEXT NOT NULL DEFAULT '',  -- films.id as text; '' = every film
    question TEXT NOT NULL,
    action   TEXT NOT NULL CHECK (action IN ('add', 'remove')),
    actor_id INTEGER,
    at       TEXT NOT NULL
);
CREATE UNIQUE INDEX theme_questions_one ON theme_questions(guild_id, theme, film_key, question COLLATE NOCASE);

-- A moderator's correction of a passage's themes: wins over the tagger, applied after every (re)tag.
CREATE TABLE passage_theme_overrides (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    theme      TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('add', 'remove')),
    actor_id   INTEGER,
    at         TEXT NOT NULL,
    PRIMARY KEY (passage_id, theme)
);
