//! casebook-ingest: reads raw inputs into decoded documents.
//!
//! **In:** the untouched bytes of one input (an HTML page, a pre-scraped text dump, either of them
//! gzip-compressed, or a WARC file, plain or `.warc.gz`) and the name it came under.
//! **Out:** one [`Document`] per readable page — decoded to a Rust `String` from whatever charset it
//! was in — or a typed [`IngestError`] saying why a page (or the whole input) could not be read.
//!
//! The crate does no I/O: the caller reads the bytes (the CLI does, see `casebook extract`), and
//! everything here is a pure function of `(source, bytes)`.
//!
//! ```
//! let docs = casebook_ingest::read("page.html", b"<html><title>T</title><p>Body</p></html>");
//! let doc = docs[0].as_ref().unwrap();
//! assert_eq!(doc.kind, casebook_ingest::Kind::Html);
//! ```

mod charset;
mod gzip;
mod http;
mod sniff;
mod warc;

use casebook_model::Original;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use charset::CharsetFrom;

/// One decoded page: an HTML document or a plain-text dump, ready for the article stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The input's name, plus `#N` when the page is the Nth record of a WARC file.
    pub source: String,
    /// Where the page was fetched from (the WARC record's `WARC-Target-URI`), if known.
    pub url: Option<String>,
    /// When the page was fetched (the WARC record's `WARC-Date`, as written there), if known.
    pub fetched: Option<String>,
    /// Whether `text` is HTML markup or plain text.
    pub kind: Kind,
    /// The decoded content. Plain text has its line endings normalised to `\n`; HTML is left as
    /// decoded, because HTML parsers normalise line endings themselves.
    pub text: String,
    /// The WHATWG name of the encoding the bytes were decoded from (`UTF-8`, `windows-1251`, …).
    pub charset: &'static str,
    /// How that encoding was determined.
    pub charset_from: CharsetFrom,
    /// Number of malformed byte sequences replaced by U+FFFD while decoding (0 for clean input).
    pub replaced: usize,
    /// Lower-case hex SHA-256 of the whole input as read (for a WARC, of the whole file): the
    /// address of the untouched original every later fact points back to.
    pub original_sha256: String,
    /// For a page read from a WARC file, the 1-based position of its record among all records of
    /// the file (`warcinfo` and `request` records count too), so `source` addresses it exactly.
    pub record: Option<usize>,
}

/// What kind of content a [`Document`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// HTML (or XHTML) markup.
    Html,
    /// Plain text, such as a pre-scraped text dump.
    Text,
}

/// Why an input, or one record of it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The input holds no bytes, or nothing but white space.
    #[error("empty input")]
    Empty,
    /// The input is not text: an image, an archive, a program, …
    #[error("binary data, not text ({0})")]
    Binary(String),
    /// The input (or a document inside it) is larger than the configured limit; it was not parsed.
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    Oversized {
        /// What was too large (`input`, `decompressed gzip data`, `document`).
        what: &'static str,
        /// Its size in bytes (for decompressed data: how much was read before giving up).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A gzip stream ends before its end marker.
    #[error("truncated gzip data: the stream ends after {decompressed} decompressed bytes")]
    TruncatedGzip {
        /// How many bytes could be decompressed before the stream ended.
        decompressed: u64,
    },
    /// A gzip stream is damaged (bad header, bad checksum, invalid deflate data).
    #[error("corrupt gzip data: {0}")]
    CorruptGzip(String),
    /// A WARC file ends in the middle of a record.
    #[error("truncated WARC file: record {record} is incomplete ({reason})")]
    TruncatedWarc {
        /// 1-based position of the incomplete record.
        record: usize,
        /// What was missing.
        reason: String,
    },
    /// A WARC record is malformed so badly that the rest of the file cannot be found.
    #[error("malformed WARC file at record {record}: {reason}")]
    MalformedWarc {
        /// 1-based position of the bad record.
        record: usize,
        /// What was wrong.
        reason: String,
    },
    /// A WARC file holds no HTML or plain-text page (only requests, metadata, images, …).
    #[error("no HTML or plain-text response in this WARC file")]
    NoPages,
    /// The HTTP response stored in a WARC record cannot be read.
    #[error("unreadable HTTP response: {0}")]
    Http(String),
    /// A readable WARC record whose page could not be turned into a document.
    #[error("WARC record {record}: {error}")]
    InRecord {
        /// 1-based position of the record in the file.
        record: usize,
        /// Why its page could not be read.
        error: Box<IngestError>,
    },
}

/// Size limits that keep a hostile or accidental input from exhausting memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single document (page or text dump) accepted, in bytes before decoding. Real
    /// articles are well under a megabyte; anything this big is a data dump, not a page, and is
    /// rejected before any parsing.
    pub max_document: usize,
    /// Largest amount of data a gzip-compressed WARC file may decompress to in all (a bound on
    /// time: the file is decompressed as it is read, one record at a time, and no record larger
    /// than a document is held in memory); any other gzip input is held to `max_document`.
    pub max_decompressed: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document: 50 * 1024 * 1024,
            max_decompressed: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Wraps freshly read bytes as an [`Original`], computing its SHA-256.
pub fn original(source: impl Into<String>, bytes: Vec<u8>) -> Original {
    Original {
        sha256: sha256_hex(&bytes),
        source: source.into(),
        bytes,
    }
}

/// Reads an [`Original`] with the default [`Limits`]; see [`read_with_limits`].
pub fn read_original(original: &Original) -> Vec<Result<Document, IngestError>> {
    documents_inner(
        &original.source,
        &original.bytes,
        Some(&original.sha256),
        &Limits::default(),
    )
    .collect()
}

/// The documents of an [`Original`], read one at a time with the default [`Limits`]: what
/// [`read_original`] returns, without holding more than one page of a WARC file in memory.
pub fn documents(original: &Original) -> Documents<'_> {
    documents_inner(
        &original.source,
        &original.bytes,
        Some(&original.sha256),
        &Limits::default(),
    )
}

/// Reads one input with the default [`Limits`]; see [`read_with_limits`].
pub fn read(source: &str, bytes: &[u8]) -> Vec<Result<Document, IngestError>> {
    documents_inner(source, bytes, None, &Limits::default()).collect()
}

/// Reads one input into documents.
///
/// `source` names the input (a path, `-` for standard input, a URL) and is copied into each
/// document. The result holds, in input order, one entry per page: a plain page or text dump
/// gives exactly one entry; a WARC file gives one per HTML or plain-text response record (other
/// records — requests, metadata, images, redirects — are skipped silently). A WARC file cut short
/// gives the records read before the cut, then one error. The result is never empty.
pub fn read_with_limits(
    source: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Vec<Result<Document, IngestError>> {
    documents_inner(source, bytes, None, limits).collect()
}

/// The largest input worth reading, judged by its first bytes (at least the first 64 KiB, or all
/// of a shorter input): a WARC file, plain or gzip-compressed, may be as large as
/// `limits.max_decompressed`; anything else holds one document and is refused above
/// `limits.max_document` (for a compressed page, plus what compression may add to data that
/// does not compress). A caller reads no more than this, so an input too large, or endless
/// (`/dev/zero`, a pipe), is refused after reading at most the limit.
pub fn max_input_size(head: &[u8], limits: &Limits) -> u64 {
    let archive =
        warc::is_warc(head) || (gzip::is_gzip(head) && warc::is_warc(&gzip::prefix(head, 5)));
    if archive {
        limits.max_decompressed as u64
    } else if gzip::is_gzip(head) {
        let max = limits.max_document as u64;
        max + max / 1000 + 1024
    } else {
        limits.max_document as u64
    }
}

/// The documents of one input, read one at a time (see [`documents`]).
pub struct Documents<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    /// A single page or text dump, or an input refused whole.
    One(Option<Result<Document, IngestError>>),
    /// The records of a WARC file.
    Warc(Box<warc::Records<'a>>),
}

impl Documents<'_> {
    fn one(result: Result<Document, IngestError>) -> Self {
        Documents {
            inner: Inner::One(Some(result)),
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::One(result) => result.take(),
            Inner::Warc(records) => records.next(),
        }
    }
}

fn documents_inner<'a>(
    source: &'a str,
    bytes: &'a [u8],
    sha256: Option<&str>,
    limits: &Limits,
) -> Documents<'a> {
    if bytes.is_empty() {
        return Documents::one(Err(IngestError::Empty));
    }
    let input = Input {
        source,
        bytes,
        sha256: match sha256 {
            Some(known) => std::cell::OnceCell::from(known.to_string()),
            None => std::cell::OnceCell::new(),
        },
    };
    if gzip::is_gzip(bytes) {
        if warc::is_warc(&gzip::prefix(bytes, 5)) {
            // One gzip member per record, usually: decompressed as the records are read.
            let stream = Box::new(flate2::read::MultiGzDecoder::new(bytes));
            let records = warc::Records::new(input, stream, true, limits);
            return Documents {
                inner: Inner::Warc(Box::new(records)),
            };
        }
        // A compressed page is stopped as soon as it outgrows the document limit. A damaged
        // stream leaves no usable page: half a page would be read as if it were the whole article.
        return Documents::one(match gzip::decompress(bytes, limits.max_document) {
            Ok(data) => decode_page(&data, None, limits).map(|page| page.into_document(&input)),
            Err(error) => Err(error),
        });
    }
    if warc::is_warc(bytes) {
        let records = warc::Records::new(input, Box::new(bytes), false, limits);
        return Documents {
            inner: Inner::Warc(Box::new(records)),
        };
    }
    Documents::one(decode_page(bytes, None, limits).map(|page| page.into_document(&input)))
}

/// What every document of one input shares.
pub(crate) struct Input<'a> {
    source: &'a str,
    bytes: &'a [u8],
    /// Hashing a large input costs time, so it is done only once a document is actually
    /// produced: an input rejected for its size is never hashed.
    sha256: std::cell::OnceCell<String>,
}

impl Input<'_> {
    fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| sha256_hex(self.bytes))
    }
}

/// A decoded page before it is labelled with its place in the input.
pub(crate) struct Page {
    kind: Kind,
    text: String,
    charset: &'static str,
    charset_from: CharsetFrom,
    replaced: usize,
    url: Option<String>,
    fetched: Option<String>,
    record: Option<usize>,
}

impl Page {
    fn into_document(self, input: &Input<'_>) -> Document {
        let source = match self.record {
            Some(n) => format!("{}#{n}", input.source),
            None => input.source.to_string(),
        };
        Document {
            source,
            url: self.url,
            fetched: self.fetched,
            kind: self.kind,
            text: self.text,
            charset: self.charset,
            charset_from: self.charset_from,
            replaced: self.replaced,
            original_sha256: input.sha256().to_string(),
            record: self.record,
        }
    }
}

/// What the transport said about a page (the HTTP response of a WARC record).
#[derive(Debug, Default)]
pub(crate) struct Transport<'a> {
    /// The kind the transport's MIME type names, if it names one.
    kind: Option<Kind>,
    /// The `charset` parameter of the Content-Type header.
    charset: Option<String>,
    /// The page's URL, whose top-level domain hints the charset sniffer.
    url: Option<&'a str>,
}

/// Checks, classifies and decodes the bytes of one page.
pub(crate) fn decode_page(
    bytes: &[u8],
    transport: Option<&Transport<'_>>,
    limits: &Limits,
) -> Result<Page, IngestError> {
    if bytes.len() > limits.max_document {
        return Err(IngestError::Oversized {
            what: "document",
            size: bytes.len() as u64,
            limit: limits.max_document as u64,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    if encoding_rs::Encoding::for_bom(bytes).is_none() {
        sniff::reject_binary(bytes)?;
    }
    let declared = transport.and_then(|t| t.charset.as_deref());
    let tld = transport
        .and_then(|t| t.url)
        .and_then(sniff::top_level_domain);
    let decoded = charset::decode(bytes, declared, tld.as_deref());
    sniff::reject_control_text(&decoded.text, decoded.encoding.name())?;
    let kind = transport
        .and_then(|t| t.kind)
        .unwrap_or_else(|| sniff::kind(&decoded.text));
    let text = match kind {
        Kind::Text => normalise_line_endings(decoded.text),
        Kind::Html => decoded.text,
    };
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(Page {
        kind,
        text,
        charset: decoded.encoding.name(),
        charset_from: decoded.from,
        replaced: decoded.replaced,
        url: None,
        fetched: None,
        record: None,
    })
}

/// Turns `\r\n` and lone `\r` into `\n`, so text dumps saved on any system split alike.
fn normalise_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(source: &str, bytes: &[u8]) -> Result<Document, IngestError> {
        let mut all = read(source, bytes);
        assert_eq!(all.len(), 1, "expected one result, got {all:?}");
        all.remove(0)
    }

    #[test]
    fn reads_a_utf8_text_dump() {
        let text = "Title line\r\n\r\nJune 23, 2025\r\n\r\nБody paragraph with Кирилиця.\r\n";
        let doc = one("dump.txt", text.as_bytes()).unwrap();
        assert_eq!(doc.kind, Kind::Text);
        assert_eq!(doc.charset, "UTF-8");
        assert_eq!(doc.charset_from, CharsetFrom::Utf8);
        assert_eq!(
            doc.text,
            "Title line\n\nJune 23, 2025\n\nБody paragraph with Кирилиця.\n"
        );
        assert_eq!(doc.source, "dump.txt");
        assert_eq!(doc.record, None);
        assert_eq!(doc.original_sha256, sha256_hex(text.as_bytes()));
    }

    #[test]
    fn empty_and_blank_inputs_are_rejected() {
        assert_eq!(one("a", b""), Err(IngestError::Empty));
        assert_eq!(one("a", b" \n\r\n\t "), Err(IngestError::Empty));
    }

    #[test]
    fn binary_inputs_are_rejected_with_a_reason() {
        let err = one("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert_eq!(err, IngestError::Binary("a PNG image".into()));
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.extend([0u8; 64]);
        assert!(matches!(one("a.out", &elf), Err(IngestError::Binary(_))));
        let mut noise: Vec<u8> = b"some text ".to_vec();
        noise.extend((0..200u8).map(|b| b % 9));
        assert!(matches!(one("n", &noise), Err(IngestError::Binary(_))));
    }

    #[test]
    fn oversized_documents_are_rejected_before_parsing() {
        let limits = Limits {
            max_document: 1000,
            ..Limits::default()
        };
        let page = format!("<html><body>{}</body></html>", "<p>x</p>".repeat(500));
        let all = read_with_limits("big.html", page.as_bytes(), &limits);
        assert_eq!(
            all,
            vec![Err(IngestError::Oversized {
                what: "document",
                size: page.len() as u64,
                limit: 1000
            })]
        );
    }

    #[test]
    fn a_large_html_file_is_rejected_quickly() {
        let page = vec![b'a'; 60 * 1024 * 1024];
        let started = std::time::Instant::now();
        let all = read("huge.html", &page);
        assert!(matches!(
            all.as_slice(),
            [Err(IngestError::Oversized {
                what: "document",
                ..
            })]
        ));
        // Not a timing assertion on speed, only a guard that nothing quadratic ran: generous.
        assert!(started.elapsed().as_secs() < 30);
    }

    #[test]
    fn a_compressed_page_is_held_to_the_document_limit() {
        let limits = Limits {
            max_document: 1000,
            max_decompressed: 1_000_000,
        };
        let packed = gzip::compress(&vec![b'a'; 5000]);
        let all = read_with_limits("p.txt.gz", &packed, &limits);
        assert!(matches!(
            all.as_slice(),
            [Err(IngestError::Oversized { limit: 1000, .. })]
        ));
        let doc = one("p.txt.gz", &gzip::compress("Заголовок\n\nТекст".as_bytes())).unwrap();
        assert_eq!(
            (doc.kind, doc.text.as_str()),
            (Kind::Text, "Заголовок\n\nТекст")
        );
    }

    #[test]
    fn crlf_html_is_left_as_decoded() {
        let doc = one("p.html", b"<!DOCTYPE html>\r\n<html><p>a</p></html>").unwrap();
        assert_eq!(doc.kind, Kind::Html);
        assert!(doc.text.contains("\r\n"));
    }
}
