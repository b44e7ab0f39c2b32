-- A dense number per theme for every tag (1, 2, 3 … in the order tags were written), so a uniform random
-- passage of a theme is one index lookup: a random number up to the theme's highest, kept when its tag
-- still exists (bot/core/sample_store.py). A removed tag leaves a hole: a miss, never a bias.
ALTER TABLE passage_themes ADD COLUMN seq INTEGER;
UPDATE passage_themes SET seq = (
    SELECT n FROM (SELECT rowid AS id, row_number() OVER (PARTITION BY theme ORDER BY passage_id) AS n
                   FROM passage_themes) AS numbered WHERE numbered.id = passage_themes.rowid
);
CREATE UNIQUE INDEX passage_themes_seq ON passage_themes(theme, seq);
CREATE TRIGGER passage_themes_seq_ai AFTER INSERT ON passage_themes BEGIN
    UPDATE passage_themes SET seq = coalesce((SELECT max(seq) FROM passage_themes WHERE theme = new.theme), 0) + 1
    WHERE rowid = new.rowid;
END;
