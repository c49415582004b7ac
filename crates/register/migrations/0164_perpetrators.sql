-- Schema version 164 (issue 16): the perpetrators events name, for the perpetrators pages and
-- lists. Each report (`event_sources` row) that names a perpetrator has a row per name in
-- `perpetrator_reports`; `perpetrator_counts` holds how many reports name each. Triggers keep both
-- as reports are stored and removed, so the pages cost what they show, not what the register holds.
-- Written to be applied again over its own tables (a store rebuilt to an older shape).

CREATE TABLE IF NOT EXISTS perpetrator_reports (
    name       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    event_id   TEXT NOT NULL,
    -- The report's own date: a perpetrator's file walks their reports newest first by it, so a
    -- court named in a hundred thousand reports opens as fast as a judge named in one.
    date       TEXT,
    PRIMARY KEY (name, article_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS perpetrator_reports_report ON perpetrator_reports(article_id, seq);
CREATE INDEX IF NOT EXISTS perpetrator_reports_dated ON perpetrator_reports(name, date, event_id);

CREATE TABLE IF NOT EXISTS perpetrator_counts (
    name    TEXT PRIMARY KEY,
    reports INTEGER NOT NULL
) WITHOUT ROWID;

INSERT OR IGNORE INTO perpetrator_reports (name, article_id, seq, event_id, date)
SELECT DISTINCT j.value, s.article_id, s.seq, s.event_id, s.date
  FROM event_sources s, json_each(s.perpetrators_json) j
 WHERE s.perpetrators_json != '[]' AND j.type = 'text';
DELETE FROM perpetrator_counts;
INSERT INTO perpetrator_counts (name, reports)
SELECT name, COUNT(*) FROM perpetrator_reports GROUP BY name;

DROP TRIGGER IF EXISTS perpetrators_report_stored;
CREATE TRIGGER perpetrators_report_stored AFTER INSERT ON event_sources
WHEN NEW.perpetrators_json != '[]'
BEGIN
    INSERT OR IGNORE INTO perpetrator_reports (name, article_id, seq, event_id, date)
    SELECT DISTINCT j.value, NEW.article_id, NEW.seq, NEW.event_id, NEW.date
      FROM json_each(NEW.perpetrators_json) j WHERE j.type = 'text';
    INSERT INTO perpetrator_counts (name, reports)
    SELECT name, 1 FROM perpetrator_reports
     WHERE article_id = NEW.article_id AND seq = NEW.seq
    ON CONFLICT (name) DO UPDATE SET reports = reports + 1;
END;

DROP TRIGGER IF EXISTS perpetrators_report_removed;
CREATE TRIGGER perpetrators_report_removed AFTER DELETE ON event_sources
WHEN OLD.perpetrators_json != '[]'
BEGIN
    UPDATE perpetrator_counts SET reports = reports - 1
     WHERE name IN (SELECT name FROM perpetrator_reports
                     WHERE article_id = OLD.article_id AND seq = OLD.seq);
    DELETE FROM perpetrator_counts
     WHERE reports <= 0
       AND name IN (SELECT name FROM perpetrator_reports
                     WHERE article_id = OLD.article_id AND seq = OLD.seq);
    DELETE FROM perpetrator_reports WHERE article_id = OLD.article_id AND seq = OLD.seq;
END;
