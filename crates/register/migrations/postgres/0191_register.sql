-- The register on PostgreSQL: the schema a SQLite register has after its migration 191, in one
-- migration. Both backends share migration numbers from here on, so a register's schema version
-- means the same shape on either (what `casebook migrate-store` checks before it copies).
--
-- Differences of dialect only: JSON stays in TEXT columns (byte for byte what SQLite holds, so a
-- copy either way is exact) and is read with jsonb functions; SQLite's triggers are PL/pgSQL
-- functions; every foreign key is DEFERRABLE, so a copy can load a table whose rows point at later
-- rows of the same table (a decision undone by a later one, a person merged into a later id).

CREATE TABLE originals (
    sha256     TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    stored_at  TEXT NOT NULL
);
CREATE TABLE articles (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,
    original_sha256    TEXT NOT NULL REFERENCES originals(sha256) DEFERRABLE,
    url                TEXT,
    canonical_url      TEXT,
    title              TEXT,
    published          TEXT,
    published_json     TEXT,
    authors_json       TEXT NOT NULL,
    site               TEXT,
    language           TEXT,
    paragraphs_json    TEXT NOT NULL,
    near_dupes_json    TEXT NOT NULL,
    extractor_version  TEXT NOT NULL,
    ingested_at        TEXT NOT NULL
);
CREATE TABLE persons (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    merged_into  TEXT REFERENCES persons(id) DEFERRABLE
);
CREATE TABLE person_names (
    name_key     TEXT NOT NULL,
    person       TEXT NOT NULL REFERENCES persons(id) DEFERRABLE,
    name         TEXT NOT NULL,
    surname_key  TEXT NOT NULL,
    PRIMARY KEY (name_key, person)
);
CREATE INDEX person_names_surname ON person_names(surname_key);
CREATE TABLE article_persons (
    article_id       TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    idx              BIGINT NOT NULL,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    descriptors_json TEXT NOT NULL,
    machine_person   TEXT NOT NULL REFERENCES persons(id) DEFERRABLE,
    person           TEXT NOT NULL REFERENCES persons(id) DEFERRABLE,
    claim_id         TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX article_persons_person ON article_persons(person, article_id, idx);
CREATE TABLE mentions (
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    seq         BIGINT NOT NULL,
    person_idx  BIGINT NOT NULL,
    text        TEXT NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE TABLE entities (
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    canonical   TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX entities_canonical ON entities(kind, canonical);
CREATE TABLE events (
    id                   TEXT PRIMARY KEY,
    type                 TEXT NOT NULL,
    date                 TEXT,
    place                TEXT,
    details_json         TEXT NOT NULL,
    claimed_by           TEXT,
    created_at           TEXT NOT NULL,
    conflicts_json       TEXT NOT NULL DEFAULT '[]',
    victim_details_json  TEXT
);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date);
CREATE TABLE event_sources (
    article_id           TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    seq                  BIGINT NOT NULL,
    event_id             TEXT NOT NULL REFERENCES events(id) DEFERRABLE,
    text                 TEXT NOT NULL,
    start                BIGINT NOT NULL,
    "end"                BIGINT NOT NULL,
    claim_id             TEXT NOT NULL,
    date                 TEXT,
    place                TEXT,
    details_json         TEXT NOT NULL DEFAULT '{}',
    claimed_by           TEXT,
    victims_json         TEXT NOT NULL DEFAULT '[]',
    perpetrators_json    TEXT NOT NULL DEFAULT '[]',
    type                 TEXT NOT NULL DEFAULT '',
    victim_details_json  TEXT,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX event_sources_event ON event_sources(event_id);
CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE case_sources (
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    seq         BIGINT NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases(id) DEFERRABLE,
    text        TEXT NOT NULL,
    start       BIGINT NOT NULL,
    "end"       BIGINT NOT NULL,
    claim_id    TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX case_sources_case ON case_sources(case_id);
CREATE TABLE case_defendants (
    case_id     TEXT NOT NULL REFERENCES cases(id) DEFERRABLE,
    article_id  TEXT NOT NULL,
    person_idx  BIGINT NOT NULL,
    PRIMARY KEY (case_id, article_id, person_idx)
);
CREATE INDEX case_defendants_article_person ON case_defendants(article_id, person_idx);
CREATE TABLE case_events (
    case_id   TEXT NOT NULL REFERENCES cases(id) DEFERRABLE,
    event_id  TEXT NOT NULL REFERENCES events(id) DEFERRABLE,
    PRIMARY KEY (case_id, event_id)
);
CREATE TABLE claims (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    subject            TEXT NOT NULL,
    article_id         TEXT,
    start              BIGINT,
    "end"              BIGINT,
    summary            TEXT NOT NULL,
    extractor_version  TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'suggested',
    decided_by         TEXT,
    decided_at         TEXT,
    created_at         TEXT NOT NULL,
    profile            TEXT
);
CREATE INDEX claims_state ON claims(state, kind);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_same_person_first
    ON claims (split_part(subject, '|', 1)) WHERE kind = 'same_person';
CREATE INDEX claims_same_person_second
    ON claims (substr(subject, strpos(subject, '|') + 1)) WHERE kind = 'same_person';
CREATE TABLE decisions (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    payload     TEXT NOT NULL,
    undone_by   BIGINT REFERENCES decisions(id) DEFERRABLE
);
CREATE TABLE claim_decisions (
    decision_id  BIGINT NOT NULL REFERENCES decisions(id) DEFERRABLE,
    claim_id     TEXT NOT NULL REFERENCES claims(id) DEFERRABLE,
    state        TEXT NOT NULL,
    PRIMARY KEY (decision_id, claim_id)
);
CREATE INDEX claim_decisions_claim ON claim_decisions(claim_id);
CREATE TABLE person_splits (
    decision_id  BIGINT NOT NULL REFERENCES decisions(id) DEFERRABLE,
    from_person  TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    to_person    TEXT NOT NULL,
    PRIMARY KEY (decision_id, name_key)
);
CREATE INDEX person_splits_from ON person_splits(from_person, name_key);
CREATE TABLE field_edits (
    decision_id  BIGINT PRIMARY KEY REFERENCES decisions(id) DEFERRABLE,
    target       TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL
);
CREATE INDEX field_edits_target ON field_edits(target, field);
CREATE TABLE visibility (
    decision_id  BIGINT PRIMARY KEY REFERENCES decisions(id) DEFERRABLE,
    person       TEXT NOT NULL,
    field        TEXT NOT NULL,
    level        TEXT NOT NULL
);
CREATE INDEX visibility_person ON visibility(person, field);

-- The audit log: append-only, here as in SQLite.
CREATE TABLE audit (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_target ON audit(target, action);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE article_signatures (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) DEFERRABLE,
    signature   BYTEA NOT NULL
);
CREATE TABLE article_bands (
    band        BIGINT NOT NULL,
    key         BIGINT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    PRIMARY KEY (band, key, article_id)
);
CREATE TABLE near_duplicates (
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    other_id    TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    similarity  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (article_id, other_id)
);
CREATE INDEX near_duplicates_other ON near_duplicates(other_id);
CREATE TABLE case_reports (
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE,
    seq         BIGINT NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases(id) DEFERRABLE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX case_reports_case ON case_reports(case_id);
CREATE INDEX case_reports_name ON case_reports(name_key);

CREATE VIEW event_victims (event_id, article_id, person_idx) AS
SELECT s.event_id, s.article_id, j.value::BIGINT
  FROM event_sources s, jsonb_array_elements_text(s.victims_json::jsonb) j(value);

-- Other groups' lists.
CREATE TABLE lists (
    name          TEXT PRIMARY KEY,
    mapping_json  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE list_versions (
    list          TEXT NOT NULL REFERENCES lists(name) DEFERRABLE,
    version       BIGINT NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    mapping_json  TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    PRIMARY KEY (list, version)
);
CREATE TABLE list_rows (
    list            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    "row"           BIGINT NOT NULL,
    name            TEXT NOT NULL,
    row_json        TEXT NOT NULL,
    person          TEXT,
    score           DOUBLE PRECISION,
    why             TEXT,
    conflicts_json  TEXT NOT NULL DEFAULT '[]',
    claim_id        TEXT NOT NULL,
    PRIMARY KEY (list, version, "row"),
    FOREIGN KEY (list, version) REFERENCES list_versions(list, version) DEFERRABLE
);

-- The dashboard's counts, kept by triggers so that it reads a handful of rows at any size.
CREATE TABLE summary_counts (
    name  TEXT PRIMARY KEY,
    n     BIGINT NOT NULL
);
CREATE TABLE summary_events (
    type   TEXT NOT NULL,
    month  TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (type, month)
);
CREATE TABLE summary_claims (
    state  TEXT PRIMARY KEY,
    n      BIGINT NOT NULL
);
INSERT INTO summary_counts (name, n) VALUES ('articles', 0), ('cases', 0);

CREATE FUNCTION summary_month(d TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(d) >= 7 AND substr(d, 5, 1) = '-' THEN substr(d, 1, 7) ELSE '' END
$$;
CREATE FUNCTION summary_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE summary_counts SET n = n + (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
     WHERE name = TG_ARGV[0];
    RETURN NULL;
END $$;
CREATE TRIGGER summary_articles AFTER INSERT OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION summary_count('articles');
CREATE TRIGGER summary_cases AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION summary_count('cases');
CREATE FUNCTION summary_event_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE summary_events SET n = n - 1
         WHERE type = OLD.type AND month = summary_month(OLD.date);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO summary_events AS s (type, month, n)
        VALUES (NEW.type, summary_month(NEW.date), 1)
        ON CONFLICT (type, month) DO UPDATE SET n = s.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER summary_events_stored AFTER INSERT OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION summary_event_months();
CREATE TRIGGER summary_events_update AFTER UPDATE OF type, date ON events
    FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION summary_event_months();
CREATE FUNCTION summary_claim_states() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE summary_claims SET n = n - 1 WHERE state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO summary_claims AS s (state, n) VALUES (NEW.state, 1)
        ON CONFLICT (state) DO UPDATE SET n = s.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER summary_claims_stored AFTER INSERT OR DELETE ON claims
    FOR EACH ROW EXECUTE FUNCTION summary_claim_states();
CREATE TRIGGER summary_claims_update AFTER UPDATE OF state ON claims
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION summary_claim_states();

-- The review queue (the taxonomy's status-changing types, as crates/events/data/taxonomy.toml
-- marks them; a register test keeps SQLite's list and the taxonomy the same).
CREATE TABLE review_status_types (type TEXT PRIMARY KEY);
INSERT INTO review_status_types (type) VALUES
    ('detention'), ('arrest_custody'), ('sentence'), ('abduction_disappearance'), ('release'),
    ('exchange'), ('death');

CREATE VIEW article_meta (id, title, outlet, published, language) AS
SELECT a.id,
       COALESCE(NULLIF(a.title, ''), a.source),
       COALESCE(NULLIF(a.site, ''),
                CASE WHEN strpos(a.url, '://') > 0
                     THEN split_part(substr(a.url, strpos(a.url, '://') + 3), '/', 1) END,
                ''),
       COALESCE(a.published, ''),
       COALESCE(a.language, '')
  FROM articles a;

CREATE TABLE review_queue (
    article_id  TEXT PRIMARY KEY,
    open        BIGINT NOT NULL,
    total       BIGINT NOT NULL,
    priority    BIGINT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    language    TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    published   TEXT NOT NULL,
    taken_by    TEXT
);
CREATE INDEX review_queue_order
    ON review_queue(priority, published, article_id) WHERE open > 0;
CREATE INDEX review_queue_confidence
    ON review_queue(confidence, article_id) WHERE open > 0;
CREATE INDEX review_queue_taken
    ON review_queue(taken_by, priority, published, article_id) WHERE taken_by IS NOT NULL;
CREATE TABLE review_counts (
    name  TEXT PRIMARY KEY,
    n     BIGINT NOT NULL
);
INSERT INTO review_counts (name, n) VALUES ('open_articles', 0);
CREATE FUNCTION review_counts_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_open BOOLEAN := TG_OP IN ('UPDATE', 'DELETE') AND OLD.open > 0;
    is_open  BOOLEAN := TG_OP IN ('UPDATE', 'INSERT') AND NEW.open > 0;
BEGIN
    IF was_open <> is_open THEN
        UPDATE review_counts SET n = n + (CASE WHEN is_open THEN 1 ELSE -1 END)
         WHERE name = 'open_articles';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER review_counts_changed AFTER INSERT OR DELETE OR UPDATE OF open ON review_queue
    FOR EACH ROW EXECUTE FUNCTION review_counts_open();

-- Confidence: the prior of a claim's profile, refitted from reviewers' decisions.
CREATE TABLE confidence_fit (
    profile   TEXT PRIMARY KEY,
    confirmed BIGINT NOT NULL,
    rejected  BIGINT NOT NULL
);
-- A scalar subquery in SQLite takes the first row; here the first report is named explicitly.
CREATE VIEW claim_profiles (claim_id, profile) AS
SELECT c.id,
       CASE c.kind
         WHEN 'event' THEN COALESCE((
             SELECT 'event ' || COALESCE(e.type, '?')
                    || ' d' || (s.date IS NOT NULL)::INT || 'v' || (s.victims_json != '[]')::INT
                    || 'p' || (s.place IS NOT NULL)::INT || 'r' || (s.claimed_by IS NOT NULL)::INT
               FROM event_sources s LEFT JOIN events e ON e.id = s.event_id
              WHERE s.article_id = c.article_id AND s.claim_id = c.id
              ORDER BY s.seq LIMIT 1), 'event')
         WHEN 'person' THEN COALESCE((
             SELECT 'person m'
                    || LEAST(3, (SELECT COUNT(*) FROM mentions m
                                  WHERE m.article_id = ap.article_id AND m.person_idx = ap.idx))
                    || 't' || LEAST(2, length(trim(ap.name))
                                       - length(replace(trim(ap.name), ' ', '')))
               FROM article_persons ap WHERE ap.article_id = c.article_id AND ap.claim_id = c.id
              ORDER BY ap.idx LIMIT 1),
             'person')
         ELSE c.kind END
  FROM claims c;
-- Arithmetic in DOUBLE PRECISION, as SQLite computes it, so both backends score a claim alike.
CREATE VIEW claim_scores (claim_id, article_id, state, priority, confidence, profile, prior) AS
SELECT x.claim_id, x.article_id, x.state, x.priority,
       COALESCE((SELECT (f.confirmed + 5.0::FLOAT8 * x.prior) / (f.confirmed + f.rejected + 5.0::FLOAT8)
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
                 WHEN c.profile ~ '^event .* d.v.p.r.$' THEN LEAST(0.95::FLOAT8, 0.45::FLOAT8
                     + 0.2::FLOAT8 * (substr(c.profile, length(c.profile) - 6, 1) = '1')::INT
                     + 0.2::FLOAT8 * (substr(c.profile, length(c.profile) - 4, 1) = '1')::INT
                     + 0.1::FLOAT8 * (substr(c.profile, length(c.profile) - 2, 1) = '1')::INT
                     - 0.2::FLOAT8 * (substr(c.profile, length(c.profile), 1) = '1')::INT)
                 WHEN c.profile ~ '^person m.t.$' THEN LEAST(0.95::FLOAT8, 0.3::FLOAT8
                     + 0.1::FLOAT8 * substr(c.profile, length(c.profile) - 2, 1)::INT
                     + 0.15::FLOAT8 * substr(c.profile, length(c.profile), 1)::INT)
                 WHEN c.kind IN ('event', 'person', 'same_person') THEN 0.5::FLOAT8
                 WHEN c.kind = 'case' THEN 0.7::FLOAT8
                 ELSE 0.6::FLOAT8 END AS prior
          FROM claims c) x;

CREATE FUNCTION review_queue_claim_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE review_queue SET (open, priority, confidence) = (
        SELECT COALESCE(SUM((s.state = 'suggested')::INT), 0),
               COALESCE(MAX(CASE WHEN s.state = 'suggested' THEN s.priority END), 0),
               COALESCE(MIN(CASE WHEN s.state = 'suggested' THEN s.confidence END), 1.0::FLOAT8)
          FROM claim_scores s WHERE s.article_id = NEW.article_id)
     WHERE article_id = NEW.article_id;
    RETURN NULL;
END $$;
CREATE TRIGGER review_queue_decided AFTER UPDATE OF state ON claims
    FOR EACH ROW WHEN (NEW.article_id IS NOT NULL AND NEW.state IS DISTINCT FROM OLD.state)
    EXECUTE FUNCTION review_queue_claim_decided();

-- An article enters the queue when its ingest (or re-reading) is audited: its claims are whole.
CREATE FUNCTION review_queue_article_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims SET profile = (SELECT p.profile FROM claim_profiles p WHERE p.claim_id = claims.id)
     WHERE article_id = NEW.target AND kind IN ('event', 'person');
    INSERT INTO review_queue AS q
           (article_id, open, total, priority, confidence, language, outlet, published)
    SELECT m.id, a.open, a.total, a.priority, a.confidence, m.language, m.outlet, m.published
      FROM (SELECT COALESCE(SUM((s.state = 'suggested')::INT), 0) AS open, COUNT(*) AS total,
                   COALESCE(MAX(CASE WHEN s.state = 'suggested' THEN s.priority END), 0) AS priority,
                   COALESCE(MIN(CASE WHEN s.state = 'suggested' THEN s.confidence END), 1.0::FLOAT8)
                       AS confidence
              FROM claim_scores s WHERE s.article_id = NEW.target) a,
           article_meta m
     WHERE m.id = NEW.target AND a.total > 0
    ON CONFLICT (article_id) DO UPDATE SET
        open = excluded.open, total = excluded.total, priority = excluded.priority,
        confidence = excluded.confidence, language = excluded.language,
        outlet = excluded.outlet, published = excluded.published;
    RETURN NULL;
END $$;
CREATE TRIGGER review_queue_ingest AFTER INSERT ON audit
    FOR EACH ROW WHEN (NEW.action IN ('ingest', 'reanalyse'))
    EXECUTE FUNCTION review_queue_article_stored();

-- Perpetrators: who each report names, and how many reports name each.
CREATE TABLE perpetrator_reports (
    name       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    event_id   TEXT NOT NULL,
    date       TEXT,
    PRIMARY KEY (name, article_id, seq)
);
CREATE INDEX perpetrator_reports_report ON perpetrator_reports(article_id, seq);
CREATE INDEX perpetrator_reports_dated ON perpetrator_reports(name, date, event_id);
CREATE TABLE perpetrator_counts (
    name    TEXT PRIMARY KEY,
    reports BIGINT NOT NULL
);
CREATE FUNCTION perpetrators_report_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO perpetrator_reports (name, article_id, seq, event_id, date)
    SELECT DISTINCT j.value #>> '{}', NEW.article_id, NEW.seq, NEW.event_id, NEW.date
      FROM jsonb_array_elements(NEW.perpetrators_json::jsonb) j(value)
     WHERE jsonb_typeof(j.value) = 'string'
    ON CONFLICT DO NOTHING;
    INSERT INTO perpetrator_counts AS c (name, reports)
    SELECT name, 1 FROM perpetrator_reports WHERE article_id = NEW.article_id AND seq = NEW.seq
    ON CONFLICT (name) DO UPDATE SET reports = c.reports + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER perpetrators_report_stored AFTER INSERT ON event_sources
    FOR EACH ROW WHEN (NEW.perpetrators_json != '[]')
    EXECUTE FUNCTION perpetrators_report_stored();
CREATE FUNCTION perpetrators_report_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE perpetrator_counts SET reports = reports - 1
     WHERE name IN (SELECT name FROM perpetrator_reports
                     WHERE article_id = OLD.article_id AND seq = OLD.seq);
    DELETE FROM perpetrator_counts
     WHERE reports <= 0
       AND name IN (SELECT name FROM perpetrator_reports
                     WHERE article_id = OLD.article_id AND seq = OLD.seq);
    DELETE FROM perpetrator_reports WHERE article_id = OLD.article_id AND seq = OLD.seq;
    RETURN NULL;
END $$;
CREATE TRIGGER perpetrators_report_removed AFTER DELETE ON event_sources
    FOR EACH ROW WHEN (OLD.perpetrators_json != '[]')
    EXECUTE FUNCTION perpetrators_report_removed();

-- A victim's events by type (what the same-event rule and the case file read).
CREATE TABLE victim_events (
    person   TEXT NOT NULL,
    type     TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (person, type, event_id)
);
CREATE VIEW report_victim_events AS
SELECT ap.person, s.type, s.event_id
  FROM event_sources s
  CROSS JOIN jsonb_array_elements_text(s.victims_json::jsonb) j(value)
  JOIN article_persons ap ON ap.article_id = s.article_id AND ap.idx = j.value::BIGINT;
CREATE FUNCTION victim_events_report_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO victim_events (person, type, event_id)
    SELECT ap.person, NEW.type, NEW.event_id
      FROM jsonb_array_elements_text(NEW.victims_json::jsonb) j(value)
      JOIN article_persons ap ON ap.article_id = NEW.article_id AND ap.idx = j.value::BIGINT
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER victim_events_report_stored AFTER INSERT ON event_sources
    FOR EACH ROW WHEN (NEW.victims_json != '[]')
    EXECUTE FUNCTION victim_events_report_stored();
CREATE FUNCTION victim_events_report_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM victim_events v
     WHERE v.type = OLD.type AND v.event_id = OLD.event_id
       AND v.person IN (SELECT ap.person
                          FROM jsonb_array_elements_text(OLD.victims_json::jsonb) j(value)
                          JOIN article_persons ap
                            ON ap.article_id = OLD.article_id AND ap.idx = j.value::BIGINT)
       AND NOT EXISTS (SELECT 1 FROM report_victim_events r
                        WHERE r.event_id = v.event_id AND r.type = v.type AND r.person = v.person);
    RETURN NULL;
END $$;
CREATE TRIGGER victim_events_report_removed AFTER DELETE ON event_sources
    FOR EACH ROW WHEN (OLD.victims_json != '[]')
    EXECUTE FUNCTION victim_events_report_removed();
CREATE FUNCTION victim_events_person_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO victim_events (person, type, event_id)
    SELECT NEW.person, s.type, s.event_id
      FROM event_sources s CROSS JOIN jsonb_array_elements_text(s.victims_json::jsonb) j(value)
     WHERE s.article_id = NEW.article_id AND j.value::BIGINT = NEW.idx
    ON CONFLICT DO NOTHING;
    DELETE FROM victim_events v
     WHERE v.person = OLD.person
       AND (v.type, v.event_id) IN (
           SELECT s.type, s.event_id
             FROM event_sources s CROSS JOIN jsonb_array_elements_text(s.victims_json::jsonb) j(value)
            WHERE s.article_id = NEW.article_id AND j.value::BIGINT = NEW.idx)
       AND NOT EXISTS (SELECT 1 FROM report_victim_events r
                        WHERE r.event_id = v.event_id AND r.type = v.type AND r.person = OLD.person);
    RETURN NULL;
END $$;
CREATE TRIGGER victim_events_person_moved AFTER UPDATE OF person ON article_persons
    FOR EACH ROW WHEN (OLD.person IS DISTINCT FROM NEW.person)
    EXECUTE FUNCTION victim_events_person_moved();
