-- Schema version 163 (issue 16): the review queue's triggers read an article's claims in one pass
-- (one aggregate over `claim_scores` instead of four), and an article without claims gets no queue
-- row: what an ingest pays for the queue, per article, is about halved.

DROP TRIGGER IF EXISTS review_queue_ingest;
CREATE TRIGGER review_queue_ingest AFTER INSERT ON audit
WHEN NEW.action IN ('ingest', 'reanalyse')
BEGIN
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

DROP TRIGGER IF EXISTS review_queue_decided;
CREATE TRIGGER review_queue_decided AFTER UPDATE OF state ON claims
WHEN NEW.article_id IS NOT NULL AND NEW.state IS NOT OLD.state
BEGIN
    UPDATE review_queue SET (open, priority, confidence) = (
        SELECT COALESCE(SUM(s.state = 'suggested'), 0),
               COALESCE(MAX(CASE WHEN s.state = 'suggested' THEN s.priority END), 0),
               COALESCE(MIN(CASE WHEN s.state = 'suggested' THEN s.confidence END), 1.0)
          FROM claim_scores s WHERE s.article_id = NEW.article_id)
     WHERE article_id = NEW.article_id;
END;
