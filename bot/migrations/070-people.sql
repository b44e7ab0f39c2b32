-- 070: film night knows its people (issue 27). Who the 24 h and 1 h reminders mention ('role' keeps the
-- reminder role of 010, 'interested' mentions the members who pressed Interested on the server event,
-- 'off' mentions nobody); who has watched which film (one row per member per film per server; the
-- primary key counts 20 simultaneous presses once each); and each digest's counts, kept for /club stats.

ALTER TABLE filmnight_settings ADD COLUMN reminder_mentions TEXT NOT NULL DEFAULT 'role'
    CHECK (reminder_mentions IN ('interested', 'role', 'off'));

CREATE TABLE film_watches (
    guild_id     INTEGER NOT NULL,
    film_id      INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    watched_on   TEXT NOT NULL,            -- YYYY-MM-DD, the member's own date
    screening_id INTEGER REFERENCES screenings(id) ON DELETE SET NULL,  -- the film night, when it was one
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, film_id, user_id)
);
CREATE INDEX film_watches_member ON film_watches(guild_id, user_id, watched_on);
CREATE INDEX film_watches_screening ON film_watches(screening_id);
CREATE INDEX film_watches_day ON film_watches(guild_id, watched_on);

-- NULL = counted before 070 (or not yet); 0 replies = the digest was skipped (nothing to sum up).
ALTER TABLE club_digests ADD COLUMN replies INTEGER;
ALTER TABLE club_digests ADD COLUMN participants INTEGER;
