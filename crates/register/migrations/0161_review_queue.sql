-- Schema version 161 (issue 16, review at scale; numbered so that it cannot collide with the small
-- numbers other branches take): the review queue by article, kept by triggers as claims arrive and
-- are decided, so a queue page reads its own rows through an index and never scans the claims.
--
-- A claim's priority says what a reviewer should see first: 5 an event that changes a person's
-- status, 4 a person the register did not know before this article, 3 a merge candidate, 2 an
-- event its sources disagree on, 1 the rest. Its confidence (0–1) is the machine's: how much the
-- text gave it (a date, a named victim, a full name, several mentions), lower when the report only
-- relays a party's claim; same-person suggestions are uncertain by definition.

-- Claims look-ups by article: the article review page and the queue's triggers.
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);

-- The event types that change a person's status: the taxonomy's types without `keeps_status`
-- (crates/events/data/taxonomy.toml; a test in the register keeps the two the same).
CREATE TABLE IF NOT EXISTS review_status_types (type TEXT PRIMARY KEY) WITHOUT ROWID;
DELETE FROM review_status_types;
INSERT INTO review_status_types (type) VALUES
    ('detention'), ('arrest_custody'), ('sentence'), ('abduction_disappearance'), ('release'),
    ('exchange'), ('death');

-- An article as a list shows it: title (else its source), outlet (the site, else the address's
-- host, else ''), date and language.
DROP VIEW IF EXISTS article_meta;
CREATE VIEW article_meta (id, title, outlet, published, language) AS
SELECT a.id,
       COALESCE(NULLIF(a.title, ''), a.source),
       COALESCE(NULLIF(a.site, ''),
                CASE WHEN instr(a.url, '://') > 0 THEN
                    CASE WHEN instr(substr(a.url, instr(a.url, '://') + 3), '/') > 0
                         THEN substr(substr(a.url, instr(a.url, '://') + 3), 1,
                                     instr(substr(a.url, instr(a.url, '://') + 3), '/') - 1)
                         ELSE substr(a.url, instr(a.url, '://') + 3) END
                END, ''),
       COALESCE(a.published, ''),
       COALESCE(a.language, '')
  FROM articles a;

DROP VIEW IF EXISTS claim_scores;
CREATE VIEW claim_scores (claim_id, article_id, state, priority, confidence) AS
SELECT c.id, c.article_id, c.state,
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
         ELSE 1 END,
       CASE c.kind
         WHEN 'event' THEN COALESCE((
             SELECT min(0.95, 0.45 + 0.2 * (s.date IS NOT NULL) + 0.2 * (s.victims_json != '[]')
                              + 0.1 * (s.place IS NOT NULL) - 0.2 * (s.claimed_by IS NOT NULL))
               FROM event_sources s WHERE s.article_id = c.article_id AND s.claim_id = c.id), 0.5)
         WHEN 'person' THEN COALESCE((
             SELECT min(0.95, 0.3
                   + 0.1 * min(3, (SELECT COUNT(*) FROM mentions m
                                    WHERE m.article_id = ap.article_id AND m.person_idx = ap.idx))
                   + 0.15 * min(2, length(trim(ap.name)) - length(replace(trim(ap.name), ' ', ''))))
               FROM article_persons ap WHERE ap.article_id = c.article_id AND ap.claim_id = c.id), 0.5)
         WHEN 'same_person' THEN 0.5
         WHEN 'case' THEN 0.7
         ELSE 0.6 END
  FROM claims c;

-- One row per article with claims: its open and total claims, the highest priority and the lowest
-- confidence among the open ones, what the filters read, and who took it ("my queue").
CREATE TABLE IF NOT EXISTS review_queue (
    article_id  TEXT PRIMARY KEY,
    open        INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    priority    INTEGER NOT NULL,
    confidence  REAL NOT NULL,
    language    TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    published   TEXT NOT NULL,
    taken_by    TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_queue_order
    ON review_queue(priority, published, article_id) WHERE open > 0;
CREATE INDEX IF NOT EXISTS review_queue_confidence
    ON review_queue(confidence, article_id) WHERE open > 0;
CREATE INDEX IF NOT EXISTS review_queue_taken
    ON review_queue(taken_by, priority, published, article_id) WHERE taken_by IS NOT NULL;

-- The queue row of every article that has claims, computed afresh.
DELETE FROM review_queue;
INSERT INTO review_queue (article_id, open, total, priority, confidence, language, outlet, published)
SELECT m.id,
       (SELECT COUNT(*) FROM claims c WHERE c.article_id = m.id AND c.state = 'suggested'),
       (SELECT COUNT(*) FROM claims c WHERE c.article_id = m.id),
       COALESCE((SELECT MAX(s.priority) FROM claim_scores s
                  WHERE s.article_id = m.id AND s.state = 'suggested'), 0),
       COALESCE((SELECT MIN(s.confidence) FROM claim_scores s
                  WHERE s.article_id = m.id AND s.state = 'suggested'), 1.0),
       m.language, m.outlet, m.published
  FROM article_meta m
 WHERE EXISTS (SELECT 1 FROM claims c WHERE c.article_id = m.id);

-- An article's row once all of it is stored: its audit entry is the last row an ingest writes.
DROP TRIGGER IF EXISTS review_queue_ingest;
CREATE TRIGGER review_queue_ingest AFTER INSERT ON audit
WHEN NEW.action IN ('ingest', 'reanalyse')
BEGIN
    INSERT INTO review_queue (article_id, open, total, priority, confidence, language, outlet, published)
    SELECT m.id,
           (SELECT COUNT(*) FROM claims c WHERE c.article_id = m.id AND c.state = 'suggested'),
           (SELECT COUNT(*) FROM claims c WHERE c.article_id = m.id),
           COALESCE((SELECT MAX(s.priority) FROM claim_scores s
                      WHERE s.article_id = m.id AND s.state = 'suggested'), 0),
           COALESCE((SELECT MIN(s.confidence) FROM claim_scores s
                      WHERE s.article_id = m.id AND s.state = 'suggested'), 1.0),
           m.language, m.outlet, m.published
      FROM article_meta m WHERE m.id = NEW.target
    ON CONFLICT(article_id) DO UPDATE SET
        open = excluded.open, total = excluded.total, priority = excluded.priority,
        confidence = excluded.confidence, language = excluded.language,
        outlet = excluded.outlet, published = excluded.published;
END;

-- A decision (or its undo) changes a claim's state: its article's open count, priority and
-- confidence follow.
DROP TRIGGER IF EXISTS review_queue_decided;
CREATE TRIGGER review_queue_decided AFTER UPDATE OF state ON claims
WHEN NEW.article_id IS NOT NULL AND NEW.state IS NOT OLD.state
BEGIN
    UPDATE review_queue SET
        open = (SELECT COUNT(*) FROM claims c
                 WHERE c.article_id = NEW.article_id AND c.state = 'suggested'),
        priority = COALESCE((SELECT MAX(s.priority) FROM claim_scores s
                              WHERE s.article_id = NEW.article_id AND s.state = 'suggested'), 0),
        confidence = COALESCE((SELECT MIN(s.confidence) FROM claim_scores s
                                WHERE s.article_id = NEW.article_id AND s.state = 'suggested'), 1.0)
     WHERE article_id = NEW.article_id;
END;
