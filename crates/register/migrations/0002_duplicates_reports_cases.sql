-- Schema version 2: near-duplicate articles linked at ingest, every article's own values for an
-- event it reports (so a joined event reconciles and shows disagreements), and every name a case
-- was reported under (so one case named differently by different outlets stays one case).

-- The MinHash signature of each article body, and its LSH band keys: an article sharing a band
-- key with another is a candidate copy, confirmed on the signatures. Looked up by (band, key).
CREATE TABLE article_signatures (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id),
    signature   BLOB NOT NULL
);
CREATE TABLE article_bands (
    band        INTEGER NOT NULL,
    key         INTEGER NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;
CREATE INDEX article_bands_article ON article_bands(article_id);

-- Confirmed near-duplicate pairs, stored both ways; `articles.near_dupes_json` mirrors them.
CREATE TABLE near_duplicates (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    other_id    TEXT NOT NULL REFERENCES articles(id),
    similarity  REAL NOT NULL,
    PRIMARY KEY (article_id, other_id)
) WITHOUT ROWID;
CREATE INDEX near_duplicates_other ON near_duplicates(other_id);

-- What each article says of an event it reports; `events` holds the reconciled values and the
-- fields the reports disagree on (`conflicts_json`: field, each value, the articles giving it).
CREATE TABLE event_reports (
    article_id    TEXT NOT NULL REFERENCES articles(id),
    seq           INTEGER NOT NULL,
    event_id      TEXT NOT NULL REFERENCES events(id),
    date          TEXT,
    place         TEXT,
    details_json  TEXT NOT NULL,
    claimed_by    TEXT,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX event_reports_event ON event_reports(event_id);
ALTER TABLE events ADD COLUMN conflicts_json TEXT NOT NULL DEFAULT '[]';
-- Reports stored before version 2 kept no values of their own: they take their event's.
INSERT INTO event_reports (article_id, seq, event_id, date, place, details_json, claimed_by)
SELECT s.article_id, s.seq, s.event_id, e.date, e.place, e.details_json, e.claimed_by
  FROM event_sources s JOIN events e ON e.id = s.event_id;

-- The name each article gives a case it reports, and that name's key (`casebook_events::merge::
-- case_name_key`, here approximated for old rows by the lower-cased name), looked up at ingest.
CREATE TABLE case_reports (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX case_reports_case ON case_reports(case_id);
CREATE INDEX case_reports_name ON case_reports(name_key);
INSERT INTO case_reports (article_id, seq, case_id, name, name_key)
SELECT s.article_id, s.seq, s.case_id, c.name, lower(c.name)
  FROM case_sources s JOIN cases c ON c.id = s.case_id;

-- Cases a register person is a defendant in are found through their article persons.
CREATE INDEX case_defendants_article_person ON case_defendants(article_id, person_idx);
