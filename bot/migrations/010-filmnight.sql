-- 010: film night. The club's watchlist (films are the same `films` rows reviews use), picks of the next
-- film (ranked or single choice, one ballot row per member), screenings backed by a Discord scheduled
-- event, and their reminders (claimed before sending, so each is posted at most once).

CREATE TABLE filmnight_settings (
    guild_id           INTEGER PRIMARY KEY,
    watchlist_approval INTEGER NOT NULL DEFAULT 0 CHECK (watchlist_approval IN (0, 1)),
    ping_role_id       INTEGER
);

CREATE TABLE watchlist (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    film_id      INTEGER NOT NULL REFERENCES films(id),
    note         TEXT,
    suggested_by INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'watched')),
    added_at     TEXT NOT NULL,
    decided_by   INTEGER,
    watched_at   TEXT,
    UNIQUE (guild_id, film_id)
);
CREATE INDEX watchlist_guild ON watchlist(guild_id, status);

CREATE TABLE watchlist_support (
    entry_id INTEGER NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (entry_id, user_id)
);

CREATE TABLE filmnight_picks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,                 -- NULL only between storing and posting
    creator_id  INTEGER NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('single', 'ranked')),
    created_at  TEXT NOT NULL,
    deadline    TEXT NOT NULL,
    closed_at   TEXT,                    -- flipped once, only while NULL: the close-once guard
    winner      INTEGER,                 -- candidate position
    result_json TEXT
);
CREATE INDEX filmnight_picks_open ON filmnight_picks(deadline) WHERE closed_at IS NULL;

CREATE TABLE filmnight_candidates (
    pick_id  INTEGER NOT NULL REFERENCES filmnight_picks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    film_id  INTEGER NOT NULL REFERENCES films(id),
    label    TEXT NOT NULL,
    PRIMARY KEY (pick_id, position)
);

CREATE TABLE filmnight_ballots (
    pick_id  INTEGER NOT NULL REFERENCES filmnight_picks(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    ranking  TEXT NOT NULL,              -- candidate positions, best first: '3,1,5'
    cast_at  TEXT NOT NULL,
    PRIMARY KEY (pick_id, user_id)
);

CREATE TABLE screenings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    film_id     INTEGER NOT NULL REFERENCES films(id),
    channel_id  INTEGER NOT NULL,        -- where reminders and the after-screening prompt go
    event_id    INTEGER NOT NULL UNIQUE, -- the Discord scheduled event
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    location    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('scheduled', 'ended', 'cancelled')),
    unlocked_at TEXT,                    -- spoiler themes open from here on
    interested  INTEGER,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
-- One upcoming screening per server at a time.
CREATE UNIQUE INDEX screenings_one_upcoming ON screenings(guild_id) WHERE status = 'scheduled';

CREATE TABLE screening_reminders (
    screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('24h', '1h', 'end')),
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('due', 'claimed', 'sent', 'failed')),
    message_id   INTEGER,
    PRIMARY KEY (screening_id, kind)
);
CREATE INDEX screening_reminders_due ON screening_reminders(due_at) WHERE status = 'due';
