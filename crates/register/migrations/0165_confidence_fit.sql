-- Schema version 165 (issue 16): the machine's confidence in a claim is fitted to the reviewers'
-- decisions. Each claim has a profile: what the text gave it (for an event report: its type, and
-- whether it has a date, a named victim, a place, and whether it only relays a party's claim; for
-- a person: how often they are mentioned and how many words their name has). The prior is
-- migration 161's fixed formula over the same facts. A claim's profile is written once, when its
-- article is stored (the queue's ingest trigger below), so ranking a claim reads a column instead
-- of its reports. `confidence_fit` counts the decided claims of each profile, as the last
-- calibration (`casebook review calibrate`) found them; a claim's confidence is its profile's
-- share confirmed, smoothed towards the prior by 5 pseudo-decisions, so a profile without
-- decisions keeps the prior and one with hundreds follows the reviewers. Calibrating is explicit
-- because it re-ranks every open article of the queue.

CREATE TABLE IF NOT EXISTS confidence_fit (
    profile   TEXT PRIMARY KEY,
    confirmed INTEGER NOT NULL,
    rejected  INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE claims ADD COLUMN profile TEXT;

-- The profile of every event and person claim, from what its article's reports hold. An event
-- profile reads 'event TYPE d1v1p0r0', a person's 'person m2t1' (mentions up to 3, extra name
-- words up to 2); the prior is read back from those flags, so the two never disagree.
DROP VIEW IF EXISTS claim_profiles;
CREATE VIEW claim_profiles (claim_id, profile) AS
SELECT c.id,
       CASE c.kind
         WHEN 'event' THEN COALESCE((
             SELECT 'event ' || COALESCE(e.type, '?')
                    || ' d' || (s.date IS NOT NULL) || 'v' || (s.victims_json != '[]')
                    || 'p' || (s.place IS NOT NULL) || 'r' || (s.claimed_by IS NOT NULL)
               FROM event_sources s LEFT JOIN events e ON e.id = s.event_id
              WHERE s.article_id = c.article_id AND s.claim_id = c.id), 'event')
         WHEN 'person' THEN COALESCE((
             SELECT 'person m'
                    || min(3, (SELECT COUNT(*) FROM mentions m
                                WHERE m.article_id = ap.article_id AND m.person_idx = ap.idx))
                    || 't' || min(2, length(trim(ap.name)) - length(replace(trim(ap.name), ' ', '')))
               FROM article_persons ap WHERE ap.article_id = c.article_id AND ap.claim_id = c.id),
             'person')
         ELSE c.kind END
  FROM claims c;

UPDATE claims SET profile = (SELECT p.profile FROM claim_profiles p WHERE p.claim_id = claims.id)
 WHERE kind IN ('event', 'person');

DROP VIEW IF EXISTS claim_scores;
CREATE VIEW claim_scores (claim_id, article_id, state, priority, confidence, profile, prior) AS
SELECT x.claim_id, x.article_id, x.state, x.priority,
       COALESCE((SELECT (f.confirmed + 5.0 * x.prior) / (f.confirmed + f.rejected + 5.0)
                   FROM confidence_fit f WHERE f.profile = x.profile), x.prior),
       x.profile, x.prior
  FROM (SELECT c.id AS claim_id, c.article_id, c.state, COALESCE(c.profile, c.kind) AS profile,
               CASE c.kind
                 WHEN 'event' THEN CASE
                     WHEN EXISTS (SELECT 1 FROM events e JOIN review_status_types t ON t.type = e.type
                                   WHERE e.id = c.subject) THEN 5
                     WHEN EXISTS (SELECT 1 FROM events e WHERE e.id = c.subject
                                     AND e.conflicts_json NOT IN ('', '[]')) THEN 2
                     ELSE 1 END
                 WHEN 'person' THEN CASE
                     WHEN EXISTS (SELECT 1 FROM persons p WHERE p.id = c.subject
                                     AND p.created_at = c.created_at) THEN 4
                     ELSE 1 END
                 WHEN 'same_person' THEN 3
                 ELSE 1 END AS priority,
               CASE
                 WHEN c.profile GLOB 'event * d?v?p?r?' THEN min(0.95, 0.45
                     + 0.2 * (substr(c.profile, -7, 1) = '1') + 0.2 * (substr(c.profile, -5, 1) = '1')
                     + 0.1 * (substr(c.profile, -3, 1) = '1') - 0.2 * (substr(c.profile, -1, 1) = '1'))
                 WHEN c.profile GLOB 'person m?t?' THEN min(0.95, 0.3
                     + 0.1 * CAST(substr(c.profile, -3, 1) AS INTEGER)
                     + 0.15 * CAST(substr(c.profile, -1, 1) AS INTEGER))
                 WHEN c.kind IN ('event', 'person', 'same_person') THEN 0.5
                 WHEN c.kind = 'case' THEN 0.7
                 ELSE 0.6 END AS prior
          FROM claims c) x;

-- An article's claims get their profiles once all of it is stored (its audit entry is the last
-- row an ingest writes), then its queue row as migration 163 computes it.
DROP TRIGGER IF EXISTS review_queue_ingest;
CREATE TRIGGER review_queue_ingest AFTER INSERT ON audit
WHEN NEW.action IN ('ingest', 'reanalyse')
BEGIN
    UPDATE claims SET profile = (SELECT p.profile FROM claim_profiles p WHERE p.claim_id = claims.id)
     WHERE article_id = NEW.target AND kind IN ('event', 'person');
    INSERT INTO review_queue (article_id, open, total, priority, confidence, language, outlet, published)
    SELECT m.id, a.open, a.total, a.priority, a.confidence, m.language, m.outlet, m.published
      FROM (SELECT COALESCE(SUM(s.state = 'suggested'), 0) AS open, COUNT(*) AS total,
                   COALESCE(MAX(CASE WHEN s.state = 'suggested' THEN s.priority END), 0) AS priority,
                   COALESCE(MIN(CASE WHEN s.state = 'suggested' THEN s.confidence END), 1.0)
                       AS confidence
              FROM claim_scores s WHERE s.article_id = NEW.target) a,
           article_meta m
     WHERE m.id = NEW.target AND a.total > 0
    ON CONFLICT(article_id) DO UPDATE SET
        open = excluded.open, total = excluded.total, priority = excluded.priority,
        confidence = excluded.confidence, language = excluded.language,
        outlet = excluded.outlet, published = excluded.published;
END;
