-- A moderator's "not a spoiler" (/passage not-spoiler): the text rules hide on the safe side (about half of a
-- review's sentences once it has given something away), so a moderator may show one of those passages in clear.
-- Kept with the other corpus-wide decisions, keyed by review body hash and passage text, so it survives
-- restarts, retags and re-imports of an unchanged review. CorpusWriter.apply_decisions clears the passage's
-- text-rule spoiler reason wherever this is 1; a spoiler theme tag or a review marked spoiler still hides it.
ALTER TABLE passage_decisions ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1));
