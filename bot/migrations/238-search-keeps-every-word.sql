-- 238: full-text search finds every word, the short common ones too ("It", "Her", "Us": titles). Nothing to do on
-- SQLite: FTS5's porter tokenizer indexes every word. Its PostgreSQL twin (postgresql/238-*.sql) drops the english
-- stop-word list the search configuration inherited, so both backends find the same passages.
SELECT 1;
