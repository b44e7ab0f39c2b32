-- 226: the film key leaves out emoji, modifier symbols and variation selectors (bot/core/films.py key_char):
-- "Tick, Tick... Boom" names "Tick, Tick... Boom! 🎹" in every film option and autocomplete. The key is
-- film_key(title), the Python function bot/core/db.py registers (already the new one here); its triggers (030)
-- keep it for new films and changed titles. The rekeying is 114's and 180's, again; aliases (225) are rekeyed
-- the same way (a key two aliases of one server and film would share: the older row stays as it was).
-- Every film's key again: a film takes its new key, unless another film already holds that key with its
-- year (it stays as it was: "Boom!" and "Boom! 🎹" of one year are not merged here), and of films that would
-- share one, the oldest takes it. The title shown never changes.
CREATE TEMP TABLE film_refold AS SELECT id, film_key(title) AS new_key, coalesce(year, 0) AS y FROM films;
CREATE INDEX film_refold_key ON film_refold(new_key, y);
UPDATE films SET norm_key = (SELECT r.new_key FROM film_refold r WHERE r.id = films.id)
WHERE id IN (
    SELECT r.id FROM film_refold r JOIN films f ON f.id = r.id
    WHERE r.new_key <> f.norm_key
      AND r.id = (SELECT min(o.id) FROM film_refold o WHERE o.new_key = r.new_key AND o.y = r.y)
      AND NOT EXISTS (SELECT 1 FROM films h WHERE h.norm_key = r.new_key AND coalesce(h.year, 0) = r.y)
);
DROP TABLE film_refold;
UPDATE film_aliases SET norm_key = film_key(title)
WHERE norm_key <> film_key(title)
  AND NOT EXISTS (SELECT 1 FROM film_aliases o WHERE o.guild_id = film_aliases.guild_id
                  AND o.film_id = film_aliases.film_id AND o.norm_key = film_key(film_aliases.title));
