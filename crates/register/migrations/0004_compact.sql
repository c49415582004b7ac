-- Schema version 4: less for a large ingest to write. Once the store outgrows its page cache,
-- every index a new article adds to at a random place costs a page written twice (to the log,
-- then back into the store); these structures said nothing that others do not.

-- Each row of `event_sources` is one article's report of an event. It now also holds what that
-- article says of the event (the report and its evidence were two rows with the same key, each
-- indexed by event) and the event's victims and perpetrators as the article names them
-- (`victims_json`: indexes of the article's persons; `perpetrators_json`: names).
ALTER TABLE event_sources ADD COLUMN date TEXT;
ALTER TABLE event_sources ADD COLUMN place TEXT;
ALTER TABLE event_sources ADD COLUMN details_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE event_sources ADD COLUMN claimed_by TEXT;
ALTER TABLE event_sources ADD COLUMN victims_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_sources ADD COLUMN perpetrators_json TEXT NOT NULL DEFAULT '[]';
UPDATE event_sources
   SET date = r.date, place = r.place, details_json = r.details_json, claimed_by = r.claimed_by
  FROM event_reports r
 WHERE r.article_id = event_sources.article_id AND r.seq = event_sources.seq;
UPDATE event_sources
   SET victims_json = (SELECT json_group_array(v.person_idx) FROM event_victims v
                        WHERE v.event_id = event_sources.event_id
                          AND v.article_id = event_sources.article_id),
       -- Stores before this version kept an event's perpetrators, not who named them.
       perpetrators_json = (SELECT json_group_array(p.name) FROM event_perpetrators p
                             WHERE p.event_id = event_sources.event_id);
DROP TABLE event_reports;
DROP TABLE event_victims;
DROP TABLE event_perpetrators;

-- The victims of each event, as the table of that name used to hold them.
CREATE VIEW event_victims (event_id, article_id, person_idx) AS
SELECT s.event_id, s.article_id, j.value
  FROM event_sources s, json_each(s.victims_json) j;

-- An article's band keys are computed again from its stored signature when it is re-read.
DROP INDEX IF EXISTS article_bands_article;
-- No query looks claims up by subject, nor article persons by their machine-resolved person.
DROP INDEX IF EXISTS claims_subject;
DROP INDEX IF EXISTS article_persons_machine;
