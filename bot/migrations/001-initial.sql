-- 001: the corpus (films, reviews, passages, themes), its full-text index, per-server settings,
-- key/value metadata and the audit trail. Never edit this file once landed; add 00N-*.sql instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE films (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    year  INTEGER,
    UNIQUE (title COLLATE NOCASE, year)
);

-- AUTOINCREMENT on reviews and passages: ids are shown to users ("Unattributed review #2") and sit in
-- button custom ids, so an id must never come back for a different review after a removal.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    film_id     INTEGER NOT NULL REFERENCES films(id),
    critic      TEXT,            -- NULL = unknown; never invented
    outlet      TEXT,
    url         TEXT,
    published   TEXT,            -- ISO date as given, NULL when unknown
    spoiler     INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL,   -- the text as received, before cleaning
    body_hash   TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL CHECK (source IN ('bundled', 'moderator')),
    source_key  TEXT UNIQUE,     -- bundled file path; NULL for moderator reviews
    attribution_locked INTEGER NOT NULL DEFAULT 0,  -- a moderator edited it: re-imports keep their values
    added_by    INTEGER,
    added_at    TEXT NOT NULL
);
CREATE INDEX reviews_film ON reviews(film_id);
CREATE INDEX reviews_critic ON reviews(critic COLLATE NOCASE);

CREATE TABLE passages (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text      TEXT NOT NULL,
    quotable  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (review_id, ordinal)
);

CREATE TABLE passage_themes (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    theme      TEXT NOT NULL,
    score      REAL NOT NULL,
    PRIMARY KEY (passage_id, theme)
);
CREATE INDEX passage_themes_theme ON passage_themes(theme, passage_id);

-- External-content FTS5 index over the quotable passages only (nothing else is ever quoted or
-- searched), kept in step by triggers.
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER passages_ai AFTER INSERT ON passages WHEN new.quotable = 1 BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages WHEN old.quotable = 1 BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER passages_au_old AFTER UPDATE OF text, quotable ON passages WHEN old.quotable = 1 BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER passages_au_new AFTER UPDATE OF text, quotable ON passages WHEN new.quotable = 1 BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;

-- A bundled review a moderator removed: re-imports must not bring it back.
CREATE TABLE bundled_suppressed (
    source_key TEXT PRIMARY KEY,
    removed_by INTEGER,
    removed_at TEXT NOT NULL
);

-- Filters behind a quote's "Another" button, so the button survives restarts with a short custom id.
CREATE TABLE quote_queries (
    id           INTEGER PRIMARY KEY,
    filters_hash TEXT NOT NULL UNIQUE,
    film         TEXT,
    critic       TEXT,
    theme        TEXT,
    about        TEXT
);

CREATE TABLE guild_settings (
    guild_id          INTEGER PRIMARY KEY,
    moderator_role_id INTEGER,
    timezone          TEXT,
    log_channel_id    INTEGER
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER,
    actor_id    INTEGER,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   INTEGER,
    before_json TEXT,
    after_json  TEXT,
    at          TEXT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);
