-- 030: one film catalogue. Every film gets its normalised key (film_key(): NFC, casefold, no leading
-- article, letters/digits/marks/symbols only — bot/films/rules.py norm_key, registered on the connection)
-- and room for external metadata; today's duplicate rows are merged into one film each:
--   * rows with the same key and year (NFC vs NFD "Amélie", "la la land" vs "La La Land") become the
--     oldest of them;
--   * a yearless row joins the single film of its key that has a year (two or more years: left alone,
--     members pick the film by year).
-- Nothing a member or moderator stored is lost: watchlist entries of one film in one server become one
-- entry holding every supporter (the merged entries' suggesters included), the best status and the
-- first note; ratings keep the member's latest stars with a take if any of them had one; questions,
-- prompts, reviews, picks, screenings and game rounds point at the surviving film.

ALTER TABLE films ADD COLUMN norm_key TEXT;
ALTER TABLE films ADD COLUMN tmdb_id INTEGER;
ALTER TABLE films ADD COLUMN imdb_id TEXT;
ALTER TABLE films ADD COLUMN wikidata_id TEXT;
ALTER TABLE films ADD COLUMN letterboxd TEXT;
ALTER TABLE films ADD COLUMN runtime_minutes INTEGER CHECK (runtime_minutes IS NULL OR runtime_minutes BETWEEN 1 AND 1000);
ALTER TABLE films ADD COLUMN director TEXT;
ALTER TABLE films ADD COLUMN poster_url TEXT;
ALTER TABLE films ADD COLUMN genres TEXT;
ALTER TABLE films ADD COLUMN overview TEXT;
ALTER TABLE films ADD COLUMN metadata_source TEXT;
ALTER TABLE films ADD COLUMN metadata_at TEXT;

UPDATE films SET norm_key = film_key(title);

-- Which film each duplicate becomes (no chains: every target is a film that is not merged itself).
CREATE TEMP TABLE film_merge (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL);
INSERT INTO film_merge(old_id, new_id)
SELECT f.id, (SELECT min(g.id) FROM films g WHERE g.norm_key = f.norm_key AND g.year IS NOT NULL)
FROM films f
WHERE f.year IS NULL
  AND (SELECT count(DISTINCT g.year) FROM films g WHERE g.norm_key = f.norm_key AND g.year IS NOT NULL) = 1;
INSERT OR IGNORE INTO film_merge(old_id, new_id)
SELECT f.id, (SELECT min(g.id) FROM films g WHERE g.norm_key = f.norm_key AND g.year IS f.year)
FROM films f
WHERE f.id != (SELECT min(g.id) FROM films g WHERE g.norm_key = f.norm_key AND g.year IS f.year);

-- Watchlist: one entry per (server, film); the oldest entry keeps the others' supporters.
CREATE TEMP TABLE entry_film AS
SELECT w.id AS entry_id, w.guild_id AS guild_id, coalesce(m.new_id, w.film_id) AS film_id
FROM watchlist w LEFT JOIN film_merge m ON m.old_id = w.film_id;
CREATE TEMP TABLE entry_merge AS
SELECT e.entry_id AS old_entry,
       (SELECT min(d.entry_id) FROM entry_film d WHERE d.guild_id = e.guild_id AND d.film_id = e.film_id) AS new_entry
FROM entry_film e;
DELETE FROM entry_merge WHERE old_entry = new_entry;

INSERT OR IGNORE INTO watchlist_support(entry_id, user_id, at)
SELECT e.new_entry, s.user_id, s.at FROM watchlist_support s JOIN entry_merge e ON e.old_entry = s.entry_id;
-- Suggesting a film is backing it (as /watchlist add does from now on): every suggester is a supporter.
INSERT OR IGNORE INTO watchlist_support(entry_id, user_id, at)
SELECT coalesce(e.new_entry, w.id), w.suggested_by, w.added_at
FROM watchlist w LEFT JOIN entry_merge e ON e.old_entry = w.id;

UPDATE watchlist SET
    status = (SELECT CASE max(CASE x.status WHEN 'watched' THEN 3 WHEN 'active' THEN 2 ELSE 1 END)
                     WHEN 3 THEN 'watched' WHEN 2 THEN 'active' ELSE 'pending' END
              FROM watchlist x WHERE x.id = watchlist.id
                 OR x.id IN (SELECT old_entry FROM entry_merge WHERE new_entry = watchlist.id)),
    note = coalesce(note, (SELECT x.note FROM watchlist x JOIN entry_merge e ON e.old_entry = x.id
                           WHERE e.new_entry = watchlist.id AND x.note IS NOT NULL ORDER BY x.id LIMIT 1)),
    watched_at = coalesce(watched_at, (SELECT max(x.watched_at) FROM watchlist x JOIN entry_merge e
                                       ON e.old_entry = x.id WHERE e.new_entry = watchlist.id))
WHERE id IN (SELECT new_entry FROM entry_merge);
DELETE FROM watchlist_support WHERE entry_id IN (SELECT old_entry FROM entry_merge);
DELETE FROM watchlist WHERE id IN (SELECT old_entry FROM entry_merge);
UPDATE watchlist SET film_id = (SELECT new_id FROM film_merge WHERE old_id = watchlist.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);

-- Ratings: one per (server, film, member): the latest stars, with a take if any of the merged had one.
CREATE TEMP TABLE rating_film AS
SELECT r.rowid AS rid, r.guild_id AS guild_id, coalesce(m.new_id, r.film_id) AS film_id, r.user_id AS user_id,
       r.rated_at AS rated_at, r.take AS take
FROM club_ratings r LEFT JOIN film_merge m ON m.old_id = r.film_id;
CREATE TEMP TABLE rating_keep AS
SELECT a.rid AS rid,
       (SELECT b.take FROM rating_film b WHERE b.guild_id = a.guild_id AND b.film_id = a.film_id
          AND b.user_id = a.user_id AND b.take IS NOT NULL ORDER BY b.rated_at DESC, b.rid DESC LIMIT 1) AS take
FROM rating_film a
WHERE NOT EXISTS (SELECT 1 FROM rating_film b WHERE b.guild_id = a.guild_id AND b.film_id = a.film_id
                    AND b.user_id = a.user_id AND (b.rated_at > a.rated_at OR (b.rated_at = a.rated_at AND b.rid > a.rid)));
DELETE FROM club_ratings WHERE rowid NOT IN (SELECT rid FROM rating_keep);
UPDATE club_ratings SET take = (SELECT k.take FROM rating_keep k WHERE k.rid = club_ratings.rowid)
WHERE take IS NULL;
UPDATE club_ratings SET film_id = (SELECT new_id FROM film_merge WHERE old_id = club_ratings.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);

-- Questions and prompt history keyed by the film id as text: an identical row already there is the same.
UPDATE OR IGNORE theme_questions SET film_key = CAST((SELECT new_id FROM film_merge WHERE old_id = CAST(theme_questions.film_key AS INTEGER)) AS TEXT)
WHERE film_key != '' AND CAST(film_key AS INTEGER) IN (SELECT old_id FROM film_merge);
DELETE FROM theme_questions WHERE film_key != '' AND CAST(film_key AS INTEGER) IN (SELECT old_id FROM film_merge);
UPDATE OR IGNORE posted_prompts SET film_key = CAST((SELECT new_id FROM film_merge WHERE old_id = CAST(posted_prompts.film_key AS INTEGER)) AS TEXT)
WHERE film_key != '' AND CAST(film_key AS INTEGER) IN (SELECT old_id FROM film_merge);
DELETE FROM posted_prompts WHERE film_key != '' AND CAST(film_key AS INTEGER) IN (SELECT old_id FROM film_merge);

UPDATE reviews SET film_id = (SELECT new_id FROM film_merge WHERE old_id = reviews.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);
UPDATE filmnight_candidates SET film_id = (SELECT new_id FROM film_merge WHERE old_id = filmnight_candidates.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);
UPDATE screenings SET film_id = (SELECT new_id FROM film_merge WHERE old_id = screenings.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);
UPDATE club_game_rounds SET film_id = (SELECT new_id FROM film_merge WHERE old_id = club_game_rounds.film_id)
WHERE film_id IN (SELECT old_id FROM film_merge);

DELETE FROM films WHERE id IN (SELECT old_id FROM film_merge);

-- Scheduled prompts named their film by label: from now on by id (`film:<id>`, bot/films/rules.py ref).
-- A label no film matches stays as typed (resolved when the schedule runs, as before).
UPDATE schedules SET film = coalesce(
    (SELECT 'film:' || f.id FROM films f WHERE f.year IS NOT NULL AND f.norm_key || f.year = film_key(schedules.film)),
    (SELECT 'film:' || min(f.id) FROM films f WHERE f.norm_key = film_key(schedules.film) HAVING count(*) = 1),
    film)
WHERE film IS NOT NULL AND film NOT LIKE 'film:%';

DROP TABLE film_merge;
DROP TABLE entry_film;
DROP TABLE entry_merge;
DROP TABLE rating_film;
DROP TABLE rating_keep;

-- One film per (key, year), a yearless one included; the key follows the title on every write.
CREATE UNIQUE INDEX films_key_year ON films(norm_key, coalesce(year, 0));
CREATE TRIGGER films_key_on_insert AFTER INSERT ON films WHEN new.norm_key IS NULL BEGIN
    UPDATE films SET norm_key = film_key(new.title) WHERE id = new.id;
END;
CREATE TRIGGER films_key_on_title AFTER UPDATE OF title ON films BEGIN
    UPDATE films SET norm_key = film_key(new.title) WHERE id = new.id;
END;
