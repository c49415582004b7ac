-- Schema version 19 (numbered after issue 19, so it cannot collide with the small numbers other
-- branches take): what the dashboard shows, kept up to date as data arrives instead of counted
-- over the whole register at each request. Triggers keep the counts, so every path that writes
-- these tables (ingest, re-ingest, reconciliation, reviews) keeps them without knowing of them.
-- Each table is a few hundred rows at most, so a trigger's write lands on a page already in cache.

-- Rows of the tables the dashboard counts: `articles`, `cases`.
CREATE TABLE IF NOT EXISTS summary_counts (
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;

-- Events by type and month of their stored date (`2024-09`, or '' when the date has no month).
CREATE TABLE IF NOT EXISTS summary_events (
    type   TEXT NOT NULL,
    month  TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (type, month)
) WITHOUT ROWID;

-- Claims by review state.
CREATE TABLE IF NOT EXISTS summary_claims (
    state  TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;

-- Counted afresh, so a store taken back to an older schema by hand is counted right again.
DELETE FROM summary_counts;
DELETE FROM summary_events;
DELETE FROM summary_claims;
INSERT INTO summary_counts (name, n) SELECT 'articles', COUNT(*) FROM articles;
INSERT INTO summary_counts (name, n) SELECT 'cases', COUNT(*) FROM cases;
INSERT INTO summary_events (type, month, n)
SELECT type,
       CASE WHEN length(date) >= 7 AND substr(date, 5, 1) = '-' THEN substr(date, 1, 7) ELSE '' END,
       COUNT(*)
  FROM events GROUP BY 1, 2;
INSERT INTO summary_claims (state, n) SELECT state, COUNT(*) FROM claims GROUP BY state;

CREATE TRIGGER IF NOT EXISTS summary_articles_insert AFTER INSERT ON articles BEGIN
    UPDATE summary_counts SET n = n + 1 WHERE name = 'articles';
END;
CREATE TRIGGER IF NOT EXISTS summary_articles_delete AFTER DELETE ON articles BEGIN
    UPDATE summary_counts SET n = n - 1 WHERE name = 'articles';
END;
CREATE TRIGGER IF NOT EXISTS summary_cases_insert AFTER INSERT ON cases BEGIN
    UPDATE summary_counts SET n = n + 1 WHERE name = 'cases';
END;
CREATE TRIGGER IF NOT EXISTS summary_cases_delete AFTER DELETE ON cases BEGIN
    UPDATE summary_counts SET n = n - 1 WHERE name = 'cases';
END;

CREATE TRIGGER IF NOT EXISTS summary_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO summary_events (type, month, n)
    VALUES (NEW.type,
            CASE WHEN length(NEW.date) >= 7 AND substr(NEW.date, 5, 1) = '-'
                 THEN substr(NEW.date, 1, 7) ELSE '' END,
            1)
    ON CONFLICT (type, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS summary_events_delete AFTER DELETE ON events BEGIN
    UPDATE summary_events SET n = n - 1
     WHERE type = OLD.type
       AND month = CASE WHEN length(OLD.date) >= 7 AND substr(OLD.date, 5, 1) = '-'
                        THEN substr(OLD.date, 1, 7) ELSE '' END;
END;
CREATE TRIGGER IF NOT EXISTS summary_events_update AFTER UPDATE OF type, date ON events
WHEN OLD.type IS NOT NEW.type OR OLD.date IS NOT NEW.date BEGIN
    UPDATE summary_events SET n = n - 1
     WHERE type = OLD.type
       AND month = CASE WHEN length(OLD.date) >= 7 AND substr(OLD.date, 5, 1) = '-'
                        THEN substr(OLD.date, 1, 7) ELSE '' END;
    INSERT INTO summary_events (type, month, n)
    VALUES (NEW.type,
            CASE WHEN length(NEW.date) >= 7 AND substr(NEW.date, 5, 1) = '-'
                 THEN substr(NEW.date, 1, 7) ELSE '' END,
            1)
    ON CONFLICT (type, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS summary_claims_insert AFTER INSERT ON claims BEGIN
    INSERT INTO summary_claims (state, n) VALUES (NEW.state, 1)
    ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS summary_claims_delete AFTER DELETE ON claims BEGIN
    UPDATE summary_claims SET n = n - 1 WHERE state = OLD.state;
END;
CREATE TRIGGER IF NOT EXISTS summary_claims_update AFTER UPDATE OF state ON claims
WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE summary_claims SET n = n - 1 WHERE state = OLD.state;
    INSERT INTO summary_claims (state, n) VALUES (NEW.state, 1)
    ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;

-- The dashboard's newest events are read from the top of this index.
CREATE INDEX IF NOT EXISTS events_date ON events(date);
