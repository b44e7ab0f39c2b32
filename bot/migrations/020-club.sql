-- 020: the club's own voice: ratings and takes, consent, the critic-or-club game, thread digests.
-- Everything a member wrote or answered carries their user_id, so /rate forget-me can find every trace.

-- One rating per member per film per server; re-rating replaces it. stars_x2: 1..10 half stars.
CREATE TABLE club_ratings (
    guild_id  INTEGER NOT NULL,
    film_id   INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    stars_x2  INTEGER NOT NULL CHECK (stars_x2 BETWEEN 1 AND 10),
    take      TEXT CHECK (take IS NULL OR length(take) BETWEEN 1 AND 280),
    rated_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, film_id, user_id)
);
CREATE INDEX club_ratings_user ON club_ratings(user_id);

-- A member's yes/no to their takes appearing in exports and in the game (no row = no).
CREATE TABLE club_consent (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    consent  INTEGER NOT NULL CHECK (consent IN (0, 1)),
    at       TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- A game is a run of rounds picked up front; a round is posted when its deadline is set (the one
-- before it was revealed), answered until the deadline, then revealed exactly once (revealed_at).
CREATE TABLE club_game_rounds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    game_id     INTEGER NOT NULL,          -- the id of the game's first round
    number      INTEGER NOT NULL,          -- 1..rounds
    rounds      INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('critic', 'club')),
    quote       TEXT,                      -- NULL once a club author asked to be forgotten
    passage_id  INTEGER REFERENCES passages(id) ON DELETE SET NULL,
    author_id   INTEGER,                   -- the member whose take it is (club rounds)
    film_id     INTEGER,
    message_id  INTEGER,
    deadline    TEXT,                      -- NULL = not posted yet
    revealed_at TEXT,
    status      TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'open', 'revealed', 'failed'))
);
CREATE INDEX club_game_rounds_due ON club_game_rounds(status, deadline);

-- One answer per member per round, exact under concurrent clicks.
CREATE TABLE club_game_answers (
    round_id INTEGER NOT NULL REFERENCES club_game_rounds(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    answer   TEXT NOT NULL CHECK (answer IN ('critic', 'club')),
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
    at       TEXT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX club_game_answers_user ON club_game_answers(user_id);

-- Per-server digest setting: hours after a prompt (0 = off). No row = the default, 24 h.
CREATE TABLE club_settings (
    guild_id     INTEGER PRIMARY KEY,
    digest_hours INTEGER NOT NULL CHECK (digest_hours BETWEEN 0 AND 168)
);

-- One due digest per prompt thread, posted exactly once (status moves off 'due' before posting).
CREATE TABLE club_digests (
    thread_id  INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    message_id INTEGER NOT NULL,           -- the prompt message
    passage_id INTEGER,                    -- the critic line the thread started from
    due_at     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'posting', 'posted', 'failed')),
    posted_at  TEXT
);
CREATE INDEX club_digests_due ON club_digests(status, due_at);
