-- 005: the metadata of a /review add whose text form is still open. The form's custom id carries
-- only the draft id, so a submit that arrives after a restart still finds what the moderator typed.
CREATE TABLE review_drafts (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    meta_json  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
