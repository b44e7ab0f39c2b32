-- 225: a film's other titles. "Spirited Away" names 千と千尋の神隠し (2001) and "Parasite" 기생충 once a moderator
-- gave the alias (`/film alias`, guild_id: that server only) or `/film info` proved a provider's record is that film
-- (its original or English title: guild_id 0, every server that sees the film). FilmStore reads an alias only
-- when no film this server sees has the typed title as its own (an alias never shadows a title); the visibility
-- rule (`_KNOWN`) is unchanged. norm_key is bot.core.films.norm_key(title), written by the bot. Portable SQL:
-- the same file on PostgreSQL.
CREATE TABLE film_aliases (
    guild_id  BIGINT NOT NULL,
    norm_key  TEXT NOT NULL,
    film_id   BIGINT NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('moderator', 'provider')),
    added_by  BIGINT,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, norm_key, film_id)
);
-- A keystroke's prefix range and a typed title's seek go through the key; a film's aliases through its id.
CREATE INDEX film_aliases_key ON film_aliases(norm_key, guild_id);
CREATE INDEX film_aliases_film ON film_aliases(film_id, guild_id);
