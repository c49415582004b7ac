-- Schema version 3: indexes that keep ingest and the integrity check from slowing down as the store grows.

-- The same-event rule reads every event of a victim at each ingest: person → (article, index) →
-- event without visiting the tables' rows.
DROP INDEX IF EXISTS article_persons_person;
CREATE INDEX article_persons_person ON article_persons(person, article_id, idx);
DROP INDEX IF EXISTS event_victims_ap;
CREATE INDEX event_victims_ap ON event_victims(article_id, person_idx, event_id);

-- The integrity check looks up each article's audit entry by target.
CREATE INDEX IF NOT EXISTS audit_target ON audit(target, action);
