//! WARC files (ISO 28500, versions 0.17 to 1.1), read by hand, one record at a time from a
//! stream: a `.warc.gz` is decompressed as it is read, never whole, and a record is held in
//! memory only when it is small enough to be a page (larger ones are read through and, when they
//! hold a page, reported as oversized).
//!
//! The `warc` crate was considered and not used: it silently stops at a record whose header is
//! cut short (so a truncated file would look complete), grows its buffers without bound on a
//! damaged `Content-Length`, and insists on exact CRLF framing, which some crawlers do not write.
//! The format itself is small — a header block, `Content-Length` bytes, two line breaks — so a
//! strict-where-it-matters, lenient-where-it-is-harmless reader is a few dozen lines.

use crate::http::{self, Response};
use crate::{decode_page, Document, IngestError, Input, Kind, Limits, Transport};
use std::io::{self, BufRead, BufReader, Read};

/// Largest WARC header block accepted; real ones are under a kilobyte.
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// How much larger than a document a record's block may be: room for its HTTP header block.
const RECORD_HEADROOM: usize = MAX_HEADER_BLOCK;

/// How much of a record too large to read is looked at to tell whether it holds a page at all
/// (its HTTP status line and headers).
const SNIFF_PREFIX: usize = 64 * 1024;

/// True when `bytes` begin like a WARC file.
pub(crate) fn is_warc(bytes: &[u8]) -> bool {
    bytes.starts_with(b"WARC/")
}

/// A byte stream that counts what it gives and fails once it has given more than `limit`: the
/// guard against gzip bombs, applied while the data streams rather than after it is all in
/// memory.
struct Capped<R> {
    inner: R,
    count: u64,
    limit: u64,
}

/// The error a [`Capped`] stream fails with past its limit.
#[derive(Debug)]
struct OverLimit;

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("over the limit")
    }
}

impl std::error::Error for OverLimit {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.count > self.limit {
            return Err(io::Error::other(OverLimit));
        }
        // One byte past the limit is let through, so that reaching it exactly is not an error.
        let room =
            usize::try_from((self.limit - self.count).saturating_add(1)).unwrap_or(usize::MAX);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        self.count += n as u64;
        if self.count > self.limit {
            return Err(io::Error::other(OverLimit));
        }
        Ok(n)
    }
}

/// What reading one record came to.
enum Step {
    /// The file ended cleanly.
    End,
    /// A record that holds no page (request, metadata, image, redirect, …).
    Skip,
    /// A page.
    Page(crate::Page),
    /// This record could not be read; the records after it can.
    RecordError(IngestError),
    /// The file cannot be read past this point.
    Fatal(IngestError),
}

/// The records of one WARC file, read one at a time from a stream, so that only one record is
/// in memory at once however large the (decompressed) file.
///
/// Yields one entry per HTML or plain-text response record (other records are skipped
/// silently); a file cut short gives the records read before the cut, then one error; a file
/// with no page gives [`IngestError::NoPages`].
pub(crate) struct Records<'a> {
    input: Input<'a>,
    stream: BufReader<Capped<Box<dyn Read + 'a>>>,
    /// Whether the stream is decompressed gzip (its failures are gzip errors).
    gzip: bool,
    limits: Limits,
    /// 1-based position of the record last read.
    number: usize,
    /// Entries yielded so far.
    yielded: usize,
    done: bool,
}

impl<'a> Records<'a> {
    /// Records read from `stream`; a gzip stream is held to `limits.max_decompressed` in all.
    pub(crate) fn new(
        input: Input<'a>,
        stream: Box<dyn Read + 'a>,
        gzip: bool,
        limits: &Limits,
    ) -> Records<'a> {
        let limit = if gzip {
            limits.max_decompressed as u64
        } else {
            u64::MAX
        };
        Records {
            input,
            stream: BufReader::with_capacity(
                64 * 1024,
                Capped {
                    inner: stream,
                    count: 0,
                    limit,
                },
            ),
            gzip,
            limits: *limits,
            number: 0,
            yielded: 0,
            done: false,
        }
    }

    /// The error a failed read of the stream stands for.
    fn stream_error(&self, error: io::Error) -> IngestError {
        let capped = self.stream.get_ref();
        if error.get_ref().is_some_and(|inner| inner.is::<OverLimit>()) {
            return IngestError::Oversized {
                what: "decompressed gzip data",
                size: capped.count,
                limit: capped.limit,
            };
        }
        match error.kind() {
            io::ErrorKind::UnexpectedEof if self.gzip => IngestError::TruncatedGzip {
                decompressed: capped.count,
            },
            _ if self.gzip => IngestError::CorruptGzip(error.to_string()),
            _ => IngestError::MalformedWarc {
                record: self.number,
                reason: format!("cannot read the file: {error}"),
            },
        }
    }

    /// Skips the line breaks between records; false at the end of the stream.
    fn skip_line_breaks(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.stream.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let breaks = buf
                .iter()
                .position(|&b| b != b'\r' && b != b'\n')
                .unwrap_or(buf.len());
            let whole = breaks == buf.len();
            self.stream.consume(breaks);
            if !whole {
                return Ok(true);
            }
        }
    }

    /// Reads the header block, up to and including its blank line. `Err` is the step to take.
    fn header_block(&mut self) -> Result<Vec<u8>, Step> {
        let mut block = Vec::new();
        loop {
            let room = (MAX_HEADER_BLOCK - block.len()) as u64;
            let line_start = block.len();
            let read = (&mut self.stream).take(room).read_until(b'\n', &mut block);
            if let Err(e) = read {
                return Err(Step::Fatal(self.stream_error(e)));
            }
            if line_start == 0 && !is_warc(&block) {
                return Err(Step::Fatal(IngestError::MalformedWarc {
                    record: self.number,
                    reason: "expected a `WARC/` version line".into(),
                }));
            }
            if !block.ends_with(b"\n") {
                return Err(Step::Fatal(if block.len() >= MAX_HEADER_BLOCK {
                    IngestError::MalformedWarc {
                        record: self.number,
                        reason: "no end of header block within 1 MiB".into(),
                    }
                } else {
                    IngestError::TruncatedWarc {
                        record: self.number,
                        reason: "the file ends inside its header block".into(),
                    }
                }));
            }
            let line = &block[line_start..];
            if line == b"\n" || line == b"\r\n" {
                block.truncate(line_start);
                return Ok(block);
            }
        }
    }

    /// Reads the next record.
    fn step(&mut self) -> Step {
        match self.skip_line_breaks() {
            Ok(true) => {}
            Ok(false) => return Step::End,
            Err(e) => return Step::Fatal(self.stream_error(e)),
        }
        self.number += 1;
        let header = match self.header_block() {
            Ok(header) => header,
            Err(step) => return step,
        };
        let headers = parse_headers(&header);
        let Some(length) = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        else {
            return Step::Fatal(IngestError::MalformedWarc {
                record: self.number,
                reason: "missing or invalid Content-Length".into(),
            });
        };
        let record_limit = self.limits.max_document.saturating_add(RECORD_HEADROOM) as u64;
        let kept = if length > record_limit {
            length.min(SNIFF_PREFIX as u64)
        } else {
            length
        };
        let mut block = Vec::with_capacity(usize::try_from(kept).unwrap_or(0).min(1 << 20));
        let read = (&mut self.stream).take(kept).read_to_end(&mut block);
        let mut got = match read {
            Ok(n) => n as u64,
            Err(e) => return Step::Fatal(self.stream_error(e)),
        };
        if got == kept && length > kept {
            // Too large to hold: read through the rest without keeping it.
            let skipped = io::copy(&mut (&mut self.stream).take(length - kept), &mut io::sink());
            match skipped {
                Ok(n) => got += n,
                Err(e) => return Step::Fatal(self.stream_error(e)),
            }
        }
        if got < length {
            return Step::Fatal(IngestError::TruncatedWarc {
                record: self.number,
                reason: format!("its block has {got} of {length} bytes"),
            });
        }
        let record = Record {
            headers,
            block: &block,
        };
        if length > kept {
            return if holds_page(&record) {
                Step::RecordError(IngestError::Oversized {
                    what: "WARC record",
                    size: length,
                    limit: record_limit,
                })
            } else {
                Step::Skip
            };
        }
        match page(&record, self.number, &self.limits) {
            Ok(Some(page)) => Step::Page(page),
            Ok(None) => Step::Skip,
            Err(error) => Step::RecordError(error),
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let item = match self.step() {
                Step::Skip => continue,
                Step::End => {
                    self.done = true;
                    if self.yielded > 0 {
                        return None;
                    }
                    Err(IngestError::NoPages)
                }
                Step::Page(page) => Ok(page.into_document(&self.input)),
                Step::RecordError(error) => Err(IngestError::InRecord {
                    record: self.number,
                    error: Box::new(error),
                }),
                Step::Fatal(error) => {
                    self.done = true;
                    Err(error)
                }
            };
            self.yielded += 1;
            return Some(item);
        }
        None
    }
}

/// One record: its named headers and its block.
struct Record<'a> {
    headers: Vec<(String, String)>,
    block: &'a [u8],
}

impl Record<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `Name: value` lines after the version line; folded continuation lines are joined.
fn parse_headers(block: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(block);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines().skip(1) {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    headers
}

/// Whether a record too large to read holds a page (an HTML or plain-text answer), judged by its
/// WARC headers and the start of its block: only those are worth an error line; a large video
/// or archive in a crawl is skipped like any other non-page record.
fn holds_page(record: &Record<'_>) -> bool {
    let record_type = record.header("WARC-Type").unwrap_or("");
    let content_type =
        if record_type.eq_ignore_ascii_case("response") && record.block.starts_with(b"HTTP/") {
            match http::status_and_content_type(record.block) {
                Some((status, _)) if !(200..300).contains(&status) => return false,
                Some((_, content_type)) => content_type,
                // Headers beyond the prefix: a response no one can classify, reported.
                None => return true,
            }
        } else if record_type.eq_ignore_ascii_case("response")
            || record_type.eq_ignore_ascii_case("resource")
        {
            record.header("Content-Type").map(str::to_string)
        } else {
            return false;
        };
    let (mime, _) = content_type
        .as_deref()
        .map(http::split_content_type)
        .unwrap_or_default();
    matches!(
        mime.as_str(),
        "" | "text/html" | "application/xhtml+xml" | "text/plain"
    )
}

/// The page a record holds, or `None` for records that hold no page (requests, metadata,
/// redirects, images, …).
fn page(
    record: &Record<'_>,
    number: usize,
    limits: &Limits,
) -> Result<Option<crate::Page>, IngestError> {
    let record_type = record
        .header("WARC-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let url = record
        .header("WARC-Target-URI")
        // WARC 1.0 examples wrap the URI in angle brackets, and some tools copied that.
        .map(|u| u.trim_matches(['<', '>']).to_string())
        .filter(|u| !u.is_empty());
    let record_mime = record
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let (content_type, body) = match record_type.as_str() {
        "response"
            if record_mime.starts_with("application/http")
                || record.block.starts_with(b"HTTP/") =>
        {
            let Response {
                status,
                content_type,
                body,
            } = http::parse_response(record.block, limits.max_document)?;
            if !(200..300).contains(&status) {
                return Ok(None);
            }
            (content_type, body)
        }
        "response" | "resource" => (
            record.header("Content-Type").map(str::to_string),
            record.block.into(),
        ),
        _ => return Ok(None),
    };
    let (mime, charset) = content_type
        .as_deref()
        .map(http::split_content_type)
        .unwrap_or_default();
    let kind = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(Kind::Html),
        "text/plain" => Some(Kind::Text),
        "" => None,
        _ => return Ok(None),
    };
    let transport = Transport {
        kind,
        charset,
        url: url.as_deref(),
    };
    let mut page = decode_page(&body, Some(&transport), limits)?;
    page.url = url;
    page.fetched = record.header("WARC-Date").map(str::to_string);
    page.record = Some(number);
    Ok(Some(page))
}

#[cfg(test)]
mod tests {
    use crate::gzip::compress;
    use crate::{read, CharsetFrom, IngestError, Kind};

    fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-24T10:00:00Z\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend(block);
        out.extend(b"\r\n\r\n");
        out
    }

    fn http(content_type: &str, body: &[u8]) -> Vec<u8> {
        let mut out =
            format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        out.extend(body);
        out
    }

    /// warcinfo, request, response (UTF-8 HTML), image, redirect, response (windows-1251 HTML).
    fn records() -> Vec<Vec<u8>> {
        let cyrillic = encoding_rs::WINDOWS_1251
            .encode("<html><p>Обшук у Бахчисараї</p></html>")
            .0
            .into_owned();
        vec![
            record(
                "warcinfo",
                "",
                "application/warc-fields",
                b"software: test\r\n",
            ),
            record(
                "request",
                "https://news.example.org/a",
                "application/http; msgtype=request",
                b"GET /a HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "<https://news.example.org/a>",
                "application/http; msgtype=response",
                &http(
                    "text/html; charset=utf-8",
                    "<html><title>A</title><p>Перший</p></html>".as_bytes(),
                ),
            ),
            record(
                "response",
                "https://news.example.org/logo.png",
                "application/http; msgtype=response",
                &http("image/png", b"\x89PNG\r\n\x1a\n"),
            ),
            record(
                "response",
                "https://news.example.org/old",
                "application/http; msgtype=response",
                b"HTTP/1.1 301 Moved\r\nLocation: /a\r\n\r\n",
            ),
            record(
                "response",
                "https://news.example.com.ua/b",
                "application/http; msgtype=response",
                &http("text/html; charset=windows-1251", &cyrillic),
            ),
        ]
    }

    fn check_two_pages(results: &[Result<crate::Document, IngestError>]) {
        let docs: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(docs.len(), 2, "{results:?}");
        assert_eq!(docs[0].source, "crawl.warc#3");
        assert_eq!(docs[0].record, Some(3));
        assert_eq!(docs[0].url.as_deref(), Some("https://news.example.org/a"));
        assert_eq!(docs[0].fetched.as_deref(), Some("2025-06-24T10:00:00Z"));
        assert_eq!(docs[0].kind, Kind::Html);
        assert!(docs[0].text.contains("Перший"));
        assert_eq!(docs[1].source, "crawl.warc#6");
        assert_eq!(
            (docs[1].charset, docs[1].charset_from),
            ("windows-1251", CharsetFrom::Http)
        );
        assert!(docs[1].text.contains("Обшук у Бахчисараї"));
        assert_eq!(docs[0].original_sha256, docs[1].original_sha256);
    }

    #[test]
    fn reads_html_responses_and_skips_the_rest() {
        let file = records().concat();
        let results = read("crawl.warc", &file);
        assert_eq!(results.len(), 2);
        check_two_pages(&results);
        assert_eq!(
            results[0].as_ref().unwrap().original_sha256,
            crate::sha256_hex(&file)
        );
    }

    #[test]
    fn reads_gzip_per_record_files() {
        let file: Vec<u8> = records().iter().flat_map(|r| compress(r)).collect();
        let results = read("crawl.warc", &file);
        assert_eq!(results.len(), 2);
        check_two_pages(&results);
    }

    #[test]
    fn a_cut_warc_gives_its_complete_records_then_an_error() {
        let mut file = records().concat();
        file.truncate(file.len() - 20);
        let results = read("crawl.warc", &file);
        assert_eq!(results.len(), 2, "{results:?}");
        assert!(results[0].is_ok());
        assert!(
            matches!(
                &results[1],
                Err(IngestError::TruncatedWarc { record: 6, .. })
            ),
            "{results:?}"
        );
    }

    #[test]
    fn a_cut_warc_gz_gives_its_complete_records_then_a_gzip_error() {
        let mut file: Vec<u8> = records().iter().flat_map(|r| compress(r)).collect();
        file.truncate(file.len() - 30);
        let results = read("crawl.warc", &file);
        assert_eq!(results.len(), 2, "{results:?}");
        assert_eq!(results[0].as_ref().unwrap().record, Some(3));
        assert!(
            matches!(&results[1], Err(IngestError::TruncatedGzip { .. })),
            "{results:?}"
        );
    }

    #[test]
    fn bad_records_are_reported_by_number_and_do_not_stop_the_file() {
        let mut all = records();
        all.insert(
            2,
            record(
                "response",
                "https://x.example/b",
                "application/http; msgtype=response",
                &http("text/html", b"\x00\x01\x02 binary"),
            ),
        );
        let results = read("crawl.warc", &all.concat());
        assert_eq!(results.len(), 3);
        assert!(
            matches!(&results[0], Err(IngestError::InRecord { record: 3, error }) if matches!(**error, IngestError::Binary(_)))
        );
        assert_eq!(results[1].as_ref().unwrap().record, Some(4));
    }

    #[test]
    fn files_without_pages_or_with_garbage_say_so() {
        let results = read("x.warc", &records()[..2].concat());
        assert_eq!(results, vec![Err(IngestError::NoPages)]);
        let mut file = records()[2].clone();
        file.extend(b"this is not a record\r\n\r\n");
        let results = read("x.warc", &file);
        assert!(matches!(
            &results[1],
            Err(IngestError::MalformedWarc { record: 2, .. })
        ));
        let no_length = b"WARC/1.0\r\nWARC-Type: response\r\n\r\nbody";
        assert!(matches!(
            read("x.warc", no_length)[0],
            Err(IngestError::MalformedWarc { record: 1, .. })
        ));
    }

    /// A response record whose HTTP body is `body_len` zero bytes, written in pieces so that
    /// the test never holds it whole: gzip-compressed, it is a few kilobytes per megabyte.
    fn zero_bomb_record(body_len: usize) -> Vec<u8> {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
        let head = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            http_head.len() + body_len
        );
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(head.as_bytes()).unwrap();
        encoder.write_all(http_head).unwrap();
        let zeros = vec![0u8; 1 << 20];
        let mut left = body_len;
        while left > 0 {
            let n = left.min(zeros.len());
            encoder.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        encoder.write_all(b"\r\n\r\n").unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn an_oversized_record_is_reported_and_the_next_one_read() {
        let limits = crate::Limits {
            max_document: 100_000,
            max_decompressed: 50_000_000,
        };
        let mut file = zero_bomb_record(20_000_000);
        file.extend(compress(&records()[2]));
        assert!(file.len() < 100_000, "the bomb is small: {}", file.len());
        let results = crate::read_with_limits("bomb.warc.gz", &file, &limits);
        assert_eq!(results.len(), 2, "{results:?}");
        match &results[0] {
            Err(IngestError::InRecord { record: 1, error }) => assert!(
                matches!(
                    **error,
                    IngestError::Oversized {
                        what: "WARC record",
                        ..
                    }
                ),
                "{error:?}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(results[1].as_ref().unwrap().record, Some(2));
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_decompressed_limit() {
        let limits = crate::Limits {
            max_document: 100_000,
            max_decompressed: 5_000_000,
        };
        let mut file = compress(&records()[2]);
        file.extend(zero_bomb_record(20_000_000));
        file.extend(compress(&records()[2]));
        let results = crate::read_with_limits("bomb.warc.gz", &file, &limits);
        assert_eq!(results.len(), 2, "{results:?}");
        assert!(results[0].is_ok());
        assert!(
            matches!(
                results[1],
                Err(IngestError::Oversized {
                    what: "decompressed gzip data",
                    limit: 5_000_000,
                    ..
                })
            ),
            "{results:?}"
        );
    }

    #[test]
    fn an_oversized_record_that_holds_no_page_is_skipped_silently() {
        let limits = crate::Limits {
            max_document: 1_000,
            max_decompressed: 50_000_000,
        };
        let video = vec![7u8; 2_000_000];
        let mut file = record(
            "response",
            "https://news.example.org/clip.mp4",
            "application/http; msgtype=response",
            &http("video/mp4", &video),
        );
        file.extend(records()[2].clone());
        let results = crate::read_with_limits("crawl.warc", &file, &limits);
        assert_eq!(results.len(), 1, "{results:?}");
        assert_eq!(results[0].as_ref().unwrap().record, Some(2));
    }

    #[test]
    fn a_record_cut_inside_its_block_is_an_error_after_the_good_ones() {
        let mut file = records()[..3].concat();
        let cut = records()[5].clone();
        file.extend(&cut[..cut.len() - 40]);
        for bytes in [file.clone(), compress(&file)] {
            let results = read("crawl.warc", &bytes);
            assert_eq!(results.len(), 2, "{results:?}");
            assert!(results[0].is_ok());
            assert!(
                matches!(
                    &results[1],
                    Err(IngestError::TruncatedWarc { record: 4, .. })
                ),
                "{results:?}"
            );
        }
    }

    #[test]
    fn resource_records_and_bare_line_feeds_are_read() {
        let block = "Plain dump\n\nБody".as_bytes();
        let file = format!(
            "WARC/1.0\nWARC-Type: resource\nWARC-Target-URI: file:///dump.txt\nContent-Type: text/plain\nContent-Length: {}\n\n",
            block.len()
        );
        let file = [file.as_bytes(), block, b"\n\n"].concat();
        let results = read("r.warc", &file);
        let doc = results[0].as_ref().unwrap();
        assert_eq!(
            (doc.kind, doc.text.as_str()),
            (Kind::Text, "Plain dump\n\nБody")
        );
    }
}
