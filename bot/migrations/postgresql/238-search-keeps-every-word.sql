-- 238 (PostgreSQL): the search configuration filmbot_english (075) copied pg_catalog.english, whose english_stem
-- dictionary drops ~180 stop words: "/search It" or "Her" found nothing here while SQLite's FTS5 index (porter, no
-- stop words) finds them. The same snowball stemmer without a stop-word list, for every word token, then every
-- quotable passage's vector computed again (passage_search, 137: the trimmed sentence where one is kept).
CREATE TEXT SEARCH DICTIONARY filmbot_english_stem (TEMPLATE = snowball, Language = english);
ALTER TEXT SEARCH CONFIGURATION filmbot_english
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH filmbot_english_stem;
ALTER TEXT SEARCH CONFIGURATION filmbot_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, filmbot_english_stem;
UPDATE passages SET search = passage_search(id, quotable, text) WHERE quotable = 1;
