-- Schema version 16 (numbered after issue 16, so it cannot collide with the small numbers other
-- branches take): other groups' lists of persons, each version kept with its file's hash and the
-- column mapping that read it, and every row with its reconciliation against the register. Each
-- row is also a claim (kind 'list_row') whose summary carries its provenance (list, version, file
-- hash, row), reviewed like any other claim.

-- A named list, with the mapping (header → field) its next version is read with.
CREATE TABLE IF NOT EXISTS lists (
    name          TEXT PRIMARY KEY,
    mapping_json  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- One imported file of a list.
CREATE TABLE IF NOT EXISTS list_versions (
    list          TEXT NOT NULL REFERENCES lists(name),
    version       INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    mapping_json  TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    PRIMARY KEY (list, version)
);

-- One row of a version: what it says (`row_json`, the list's values as written), the register
-- person it was matched to at import (NULL: only in the list), why, and where they disagree.
CREATE TABLE IF NOT EXISTS list_rows (
    list            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    row             INTEGER NOT NULL,
    name            TEXT NOT NULL,
    row_json        TEXT NOT NULL,
    person          TEXT,
    score           REAL,
    why             TEXT,
    conflicts_json  TEXT NOT NULL DEFAULT '[]',
    claim_id        TEXT NOT NULL,
    PRIMARY KEY (list, version, row),
    FOREIGN KEY (list, version) REFERENCES list_versions(list, version)
);
