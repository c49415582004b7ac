-- Schema version 162 (issue 16): the queue's open articles counted by triggers as the queue changes
-- (a migration of its own: 161 may already be in a store).
-- Open articles, counted as the queue changes: the queue's progress is read at every queue page,
-- and counting 100,000 rows there would cost more than the page.
CREATE TABLE IF NOT EXISTS review_counts (
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;
DROP TRIGGER IF EXISTS review_counts_insert;
CREATE TRIGGER review_counts_insert AFTER INSERT ON review_queue WHEN NEW.open > 0
BEGIN
    UPDATE review_counts SET n = n + 1 WHERE name = 'open_articles';
END;
DROP TRIGGER IF EXISTS review_counts_update;
CREATE TRIGGER review_counts_update AFTER UPDATE OF open ON review_queue
WHEN (OLD.open > 0) != (NEW.open > 0)
BEGIN
    UPDATE review_counts SET n = n + (CASE WHEN NEW.open > 0 THEN 1 ELSE -1 END)
     WHERE name = 'open_articles';
END;
DROP TRIGGER IF EXISTS review_counts_delete;
CREATE TRIGGER review_counts_delete AFTER DELETE ON review_queue WHEN OLD.open > 0
BEGIN
    UPDATE review_counts SET n = n - 1 WHERE name = 'open_articles';
END;
INSERT OR REPLACE INTO review_counts (name, n)
VALUES ('open_articles', (SELECT COUNT(*) FROM review_queue WHERE open > 0));
