-- Schema version 1: the register's first shape.
-- Machine-made rows (articles, article_persons, mentions, entities, events, cases, claims) are written by
-- ingest; reviewer decisions live in `decisions` and the tables derived from them (person_splits,
-- field_edits, visibility, persons.merged_into, claims.state), so a re-run of the pipeline never
-- overwrites what a reviewer decided.

CREATE TABLE originals (
    sha256     TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    stored_at  TEXT NOT NULL
);

CREATE TABLE articles (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,
    original_sha256    TEXT NOT NULL REFERENCES originals(sha256),
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

-- A register person. `merged_into` is derived from merge decisions and always names a root person.
CREATE TABLE persons (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    merged_into  TEXT REFERENCES persons(id)
);

-- Every distinct name key each register person was resolved under: what identity lookups search.
CREATE TABLE person_names (
    name_key     TEXT NOT NULL,
    person       TEXT NOT NULL REFERENCES persons(id),
    name         TEXT NOT NULL,
    surname_key  TEXT NOT NULL,
    PRIMARY KEY (name_key, person)
);
CREATE INDEX person_names_surname ON person_names(surname_key);

-- One person as one article names them. `machine_person` is what the pipeline resolved; `person` is
-- the effective register person after reviewers' merges and splits.
CREATE TABLE article_persons (
    article_id      TEXT NOT NULL REFERENCES articles(id),
    idx             INTEGER NOT NULL,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    descriptors_json TEXT NOT NULL,
    machine_person  TEXT NOT NULL REFERENCES persons(id),
    person          TEXT NOT NULL REFERENCES persons(id),
    claim_id        TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX article_persons_person ON article_persons(person);
CREATE INDEX article_persons_machine ON article_persons(machine_person);

CREATE TABLE mentions (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    person_idx  INTEGER NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);

-- Organisations and places.
CREATE TABLE entities (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    canonical   TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX entities_canonical ON entities(kind, canonical);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    date        TEXT,
    place       TEXT,
    details_json TEXT NOT NULL,
    claimed_by  TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX events_type ON events(type);

-- One report of an event by one article; each is a claim.
CREATE TABLE event_sources (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    event_id    TEXT NOT NULL REFERENCES events(id),
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    claim_id    TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX event_sources_event ON event_sources(event_id);

CREATE TABLE event_victims (
    event_id    TEXT NOT NULL REFERENCES events(id),
    article_id  TEXT NOT NULL,
    person_idx  INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id, person_idx)
);
CREATE INDEX event_victims_ap ON event_victims(article_id, person_idx);

CREATE TABLE event_perpetrators (
    event_id  TEXT NOT NULL REFERENCES events(id),
    name      TEXT NOT NULL,
    PRIMARY KEY (event_id, name)
);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE case_sources (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    claim_id    TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX case_sources_case ON case_sources(case_id);

CREATE TABLE case_defendants (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    article_id  TEXT NOT NULL,
    person_idx  INTEGER NOT NULL,
    PRIMARY KEY (case_id, article_id, person_idx)
);

CREATE TABLE case_events (
    case_id   TEXT NOT NULL REFERENCES cases(id),
    event_id  TEXT NOT NULL REFERENCES events(id),
    PRIMARY KEY (case_id, event_id)
);

-- Every machine-made fact. `state` is derived from the decisions about the claim.
CREATE TABLE claims (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    subject            TEXT NOT NULL,
    article_id         TEXT,
    start              INTEGER,
    "end"              INTEGER,
    summary            TEXT NOT NULL,
    extractor_version  TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'suggested',
    decided_by         TEXT,
    decided_at         TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX claims_state ON claims(state, kind);
CREATE INDEX claims_subject ON claims(subject);

-- Reviewer decisions, append-only; an undo is a decision naming the one it reverses.
CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    payload     TEXT NOT NULL,
    undone_by   INTEGER REFERENCES decisions(id)
);

-- Which claims each confirm/reject decision set; a claim's state is its latest active row here.
CREATE TABLE claim_decisions (
    decision_id  INTEGER NOT NULL REFERENCES decisions(id),
    claim_id     TEXT NOT NULL REFERENCES claims(id),
    state        TEXT NOT NULL,
    PRIMARY KEY (decision_id, claim_id)
);
CREATE INDEX claim_decisions_claim ON claim_decisions(claim_id);

CREATE TABLE person_splits (
    decision_id  INTEGER NOT NULL REFERENCES decisions(id),
    from_person  TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    to_person    TEXT NOT NULL,
    PRIMARY KEY (decision_id, name_key)
);
CREATE INDEX person_splits_from ON person_splits(from_person, name_key);

CREATE TABLE field_edits (
    decision_id  INTEGER PRIMARY KEY REFERENCES decisions(id),
    target       TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL
);
CREATE INDEX field_edits_target ON field_edits(target, field);

-- Visibility of a person (field '') or of one of their fields.
CREATE TABLE visibility (
    decision_id  INTEGER PRIMARY KEY REFERENCES decisions(id),
    person       TEXT NOT NULL,
    field        TEXT NOT NULL,
    level        TEXT NOT NULL
);
CREATE INDEX visibility_person ON visibility(person, field);

-- Append-only audit log, each entry chained to the previous one by hash.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
