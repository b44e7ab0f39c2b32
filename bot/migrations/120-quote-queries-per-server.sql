-- A saved search (the filters behind /quote's Another and /review list's Prev/Next, by id in the custom id) is
-- the server's that made it: a button forged in another server with its id showed what was typed here (a
-- critic filter, `about:` words). Rows saved before this migration have no server and stay usable everywhere,
-- so buttons already posted keep working.
ALTER TABLE quote_queries ADD COLUMN guild_id BIGINT;
