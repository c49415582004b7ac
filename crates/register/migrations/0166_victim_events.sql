-- Schema version 166 (issue 18): each person's events by type, for the same-event rule at store
-- time. A new report asks which events of its type its victims already have. That was read
-- through the victim's articles and every report of each, so the read grew with how often the
-- victim is in the news: 22 reports per victim at 10,000 articles, 224 at 100,000. A row here per
-- (person, type, event) makes it one indexed range, the size of the answer.
--
-- Invariant: a row exists exactly when a report (`event_sources` row) of that event and type
-- names, among its victims, an article person whose effective register person is `person`.
-- Triggers keep it as reports are stored and removed and as merges and splits move article persons
-- to another person. Written to be applied again over its own table (a store rebuilt to an older
-- shape).

CREATE TABLE IF NOT EXISTS victim_events (
    person   TEXT NOT NULL,
    type     TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (person, type, event_id)
) WITHOUT ROWID;

-- What the reports say: the rows `victim_events` must hold. Read by the backfill, by the triggers
-- to see whether a row is still held, and by the integrity check.
DROP VIEW IF EXISTS report_victim_events;
CREATE VIEW report_victim_events AS
SELECT ap.person, s.type, s.event_id
  FROM event_sources s
  CROSS JOIN json_each(s.victims_json) j
  CROSS JOIN article_persons ap ON ap.article_id = s.article_id AND ap.idx = j.value;

INSERT OR IGNORE INTO victim_events (person, type, event_id)
SELECT person, type, event_id FROM report_victim_events;

DROP TRIGGER IF EXISTS victim_events_report_stored;
CREATE TRIGGER victim_events_report_stored AFTER INSERT ON event_sources
WHEN NEW.victims_json != '[]'
BEGIN
    INSERT OR IGNORE INTO victim_events (person, type, event_id)
    SELECT ap.person, NEW.type, NEW.event_id
      FROM json_each(NEW.victims_json) j
      CROSS JOIN article_persons ap ON ap.article_id = NEW.article_id AND ap.idx = j.value;
END;

-- A row goes when no report is left to hold it: a report removed (a newer reading of its article)
-- may have been the event's only one naming that person.
DROP TRIGGER IF EXISTS victim_events_report_removed;
CREATE TRIGGER victim_events_report_removed AFTER DELETE ON event_sources
WHEN OLD.victims_json != '[]'
BEGIN
    DELETE FROM victim_events
     WHERE type = OLD.type AND event_id = OLD.event_id
       AND person IN (SELECT ap.person FROM json_each(OLD.victims_json) j
                        CROSS JOIN article_persons ap
                           ON ap.article_id = OLD.article_id AND ap.idx = j.value)
       AND NOT EXISTS (SELECT 1 FROM report_victim_events r
                        WHERE r.event_id = victim_events.event_id AND r.type = victim_events.type
                          AND r.person = victim_events.person);
END;

-- Merges and splits move an article person to another effective person: the new one gains the
-- events its reports name; the old one keeps those another of its article persons still holds.
DROP TRIGGER IF EXISTS victim_events_person_moved;
CREATE TRIGGER victim_events_person_moved AFTER UPDATE OF person ON article_persons
WHEN OLD.person IS NOT NEW.person
BEGIN
    INSERT OR IGNORE INTO victim_events (person, type, event_id)
    SELECT NEW.person, s.type, s.event_id
      FROM event_sources s CROSS JOIN json_each(s.victims_json) j
     WHERE s.article_id = NEW.article_id AND j.value = NEW.idx;
    DELETE FROM victim_events
     WHERE person = OLD.person
       AND (type, event_id) IN (SELECT s.type, s.event_id
                                  FROM event_sources s CROSS JOIN json_each(s.victims_json) j
                                 WHERE s.article_id = NEW.article_id AND j.value = NEW.idx)
       AND NOT EXISTS (SELECT 1 FROM report_victim_events r
                        WHERE r.event_id = victim_events.event_id AND r.type = victim_events.type
                          AND r.person = OLD.person);
END;
