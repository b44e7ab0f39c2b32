-- 035: film metadata answers (TMDB, Wikidata) cached with an expiry, so a film card asks a provider
-- once a month at most. body is the record as JSON, or NULL for "the provider knows no such film"
-- (cached for a shorter time). Nothing here is user data: the table can be emptied at any moment.
CREATE TABLE metadata_cache (
    provider   TEXT NOT NULL,
    key        TEXT NOT NULL,  -- 'lookup:<normalised title>|<year or empty>'
    body       TEXT,
    fetched_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (provider, key)
);
CREATE INDEX metadata_cache_expiry ON metadata_cache(expires_at);
