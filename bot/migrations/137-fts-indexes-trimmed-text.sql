-- Full-text search indexes what is shown: a passage a moderator trimmed to one sentence ("Trim" in
-- /passage flagged, passage_marks.trimmed) is indexed as that sentence, so /search and /quote about: no longer
-- find it by a word trimmed away (perhaps a spoiler). passages_fts stays an external-content table on
-- passages; its rows are written by triggers, so each 'delete' names the text that row was indexed with:
-- the trimmed sentence while a mark holds one, else the passage's text.
DROP TRIGGER passages_ai;
DROP TRIGGER passages_ad;
DROP TRIGGER passages_au_old;
DROP TRIGGER passages_au_new;

CREATE TRIGGER passages_ai AFTER INSERT ON passages WHEN new.quotable = 1 BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id,
        coalesce((SELECT trimmed FROM passage_marks WHERE passage_id = new.id), new.text));
END;
-- A passage's mark goes before it does (not by the foreign key's cascade, whose order against the AFTER
-- trigger is SQLite's to choose): the mark's own trigger puts the full text back, which passages_ad removes.
CREATE TRIGGER passages_bd_marks BEFORE DELETE ON passages BEGIN
    DELETE FROM passage_marks WHERE passage_id = old.id;
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages WHEN old.quotable = 1 BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id,
        coalesce((SELECT trimmed FROM passage_marks WHERE passage_id = old.id), old.text));
END;
CREATE TRIGGER passages_au_old AFTER UPDATE OF text, quotable ON passages WHEN old.quotable = 1 BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id,
        coalesce((SELECT trimmed FROM passage_marks WHERE passage_id = old.id), old.text));
END;
CREATE TRIGGER passages_au_new AFTER UPDATE OF text, quotable ON passages WHEN new.quotable = 1 BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id,
        coalesce((SELECT trimmed FROM passage_marks WHERE passage_id = new.id), new.text));
END;

-- The trim write (CorpusWriter.apply_decisions deletes and re-inserts a review's marks) swaps the indexed text.
CREATE TRIGGER passage_marks_ai_fts AFTER INSERT ON passage_marks WHEN new.trimmed IS NOT NULL BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text)
        SELECT 'delete', p.id, p.text FROM passages p WHERE p.id = new.passage_id AND p.quotable = 1;
    INSERT INTO passages_fts(rowid, text)
        SELECT p.id, new.trimmed FROM passages p WHERE p.id = new.passage_id AND p.quotable = 1;
END;
CREATE TRIGGER passage_marks_ad_fts AFTER DELETE ON passage_marks WHEN old.trimmed IS NOT NULL BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text)
        SELECT 'delete', p.id, old.trimmed FROM passages p WHERE p.id = old.passage_id AND p.quotable = 1;
    INSERT INTO passages_fts(rowid, text)
        SELECT p.id, p.text FROM passages p WHERE p.id = old.passage_id AND p.quotable = 1;
END;
CREATE TRIGGER passage_marks_au_fts AFTER UPDATE OF trimmed ON passage_marks
WHEN old.trimmed IS NOT new.trimmed BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text)
        SELECT 'delete', p.id, coalesce(old.trimmed, p.text) FROM passages p
        WHERE p.id = old.passage_id AND p.quotable = 1;
    INSERT INTO passages_fts(rowid, text)
        SELECT p.id, coalesce(new.trimmed, p.text) FROM passages p WHERE p.id = new.passage_id AND p.quotable = 1;
END;

-- Passages trimmed before today: indexed again as their kept sentence (one pair of writes per trim).
INSERT INTO passages_fts(passages_fts, rowid, text)
    SELECT 'delete', p.id, p.text FROM passage_marks m JOIN passages p ON p.id = m.passage_id
    WHERE m.trimmed IS NOT NULL AND p.quotable = 1;
INSERT INTO passages_fts(rowid, text)
    SELECT p.id, m.trimmed FROM passage_marks m JOIN passages p ON p.id = m.passage_id
    WHERE m.trimmed IS NOT NULL AND p.quotable = 1;
