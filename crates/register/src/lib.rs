//! casebook-register: The register: store of record (SQLite), search index (tantivy), review, audit log and export.
