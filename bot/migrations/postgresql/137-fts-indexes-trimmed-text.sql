-- 137 (PostgreSQL): full-text search indexes what is shown (see bot/migrations/137-*.sql): passages.search,
-- generated from the text until now, becomes a plain tsvector column kept by triggers, so a passage a
-- moderator trimmed to one sentence (passage_marks.trimmed) is indexed as that sentence. DROP EXPRESSION
-- keeps every row's vector as it is; only trimmed passages are computed again below.
ALTER TABLE passages ALTER COLUMN search DROP EXPRESSION;

-- A quotable passage's vector: its trimmed sentence while a mark holds one, else its text (NULL when not
-- quotable, as before: FTS5 indexed quotable passages only).
CREATE FUNCTION passage_search(passage bigint, quotable integer, body text) RETURNS tsvector
LANGUAGE sql STABLE AS $fn$
    SELECT CASE WHEN quotable = 1 THEN to_tsvector('filmbot_english'::regconfig,
        coalesce((SELECT m.trimmed FROM passage_marks m WHERE m.passage_id = passage), body)) END
$fn$;

CREATE FUNCTION passages_search_set() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.search := passage_search(NEW.id, NEW.quotable, NEW.text);
    RETURN NEW;
END
$fn$;
CREATE TRIGGER passages_search BEFORE INSERT OR UPDATE OF text, quotable ON passages
    FOR EACH ROW EXECUTE FUNCTION passages_search_set();

-- The trim write (CorpusWriter.apply_decisions deletes and re-inserts a review's marks) recomputes the vector.
CREATE FUNCTION passage_marks_search_follow() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    passage bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.passage_id ELSE NEW.passage_id END;
BEGIN
    UPDATE passages SET search = passage_search(id, quotable, text) WHERE id = passage;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER passage_marks_search_ins AFTER INSERT ON passage_marks
    FOR EACH ROW WHEN (NEW.trimmed IS NOT NULL) EXECUTE FUNCTION passage_marks_search_follow();
CREATE TRIGGER passage_marks_search_del AFTER DELETE ON passage_marks
    FOR EACH ROW WHEN (OLD.trimmed IS NOT NULL) EXECUTE FUNCTION passage_marks_search_follow();
CREATE TRIGGER passage_marks_search_upd AFTER UPDATE OF trimmed ON passage_marks
    FOR EACH ROW WHEN (OLD.trimmed IS DISTINCT FROM NEW.trimmed) EXECUTE FUNCTION passage_marks_search_follow();

-- Passages trimmed before today: indexed again as their kept sentence.
UPDATE passages p SET search = passage_search(p.id, p.quotable, p.text)
    FROM passage_marks m WHERE m.passage_id = p.id AND m.trimmed IS NOT NULL;
