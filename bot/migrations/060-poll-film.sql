-- 060: a theme poll remembers the film of the excerpt above it (films.id), so its results compare the
-- club with critics of that film only, and the spoiler gate can key on it. NULL: a poll of no film.
ALTER TABLE polls ADD COLUMN film_id INTEGER REFERENCES films(id) ON DELETE SET NULL;
