//! casebook-ingest: Reads raw inputs (HTML, text dumps, gzip, WARC, any charset) into decoded documents.
