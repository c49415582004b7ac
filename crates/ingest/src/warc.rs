//! WARC files (ISO 28500, versions 0.17 to 1.1), read by hand.
//!
//! The `warc` crate was considered and not used: it silently stops at a record whose header is
//! cut short (so a truncated file would look complete), grows its buffers without bound on a
//! damaged `Content-Length`, and insists on exact CRLF framing, which some crawlers do not write.
//! The format itself is small — a header block, `Content-Length` bytes, two line breaks — so a
//! strict-where-it-matters, lenient-where-it-is-harmless reader is a few dozen lines.

use crate::http::{self, Response};
use crate::{decode_page, Document, IngestError, Input, Kind, Limits, Transport};

/// Largest WARC header block accepted; real ones are under a kilobyte.
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// True when `bytes` begin like a WARC file.
pub(crate) fn is_warc(bytes: &[u8]) -> bool {
    bytes.starts_with(b"WARC/")
}

/// Reads every record; `gzip_error` is the failure, if any, of the gzip stream `content` was
/// decompressed from (then `content` is only what could be decompressed).
pub(crate) fn read(
    input: &Input<'_>,
    content: &[u8],
    limits: &Limits,
    gzip_error: Option<IngestError>,
) -> Vec<Result<Document, IngestError>> {
    let mut results = Vec::new();
    let mut rest = content;
    let mut number = 0;
    let mut cut_short = None;
    loop {
        rest = skip_line_breaks(rest);
        if rest.is_empty() {
            break;
        }
        number += 1;
        let record = match split_record(rest, number) {
            Ok((record, after)) => {
                rest = after;
                record
            }
            Err(error) => {
                cut_short = Some(error);
                break;
            }
        };
        match page(&record, number, limits) {
            Ok(Some(page)) => results.push(Ok(page.into_document(input))),
            Ok(None) => {}
            Err(error) => results.push(Err(IngestError::InRecord {
                record: number,
                error: Box::new(error),
            })),
        }
    }
    // When the gzip stream was cut, the last WARC record is incomplete because of that: the gzip
    // error is the one that says what happened.
    match (gzip_error, cut_short) {
        (Some(error), _) | (None, Some(error)) => results.push(Err(error)),
        (None, None) if results.is_empty() => results.push(Err(IngestError::NoPages)),
        (None, None) => {}
    }
    results
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

fn skip_line_breaks(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Splits the record at the start of `bytes` from what follows it.
fn split_record(bytes: &[u8], number: usize) -> Result<(Record<'_>, &[u8]), IngestError> {
    if !is_warc(bytes) {
        return Err(IngestError::MalformedWarc {
            record: number,
            reason: "expected a `WARC/` version line".into(),
        });
    }
    let window = &bytes[..bytes.len().min(MAX_HEADER_BLOCK)];
    let Some((header_end, block_start)) = header_block_end(window) else {
        return Err(if bytes.len() < MAX_HEADER_BLOCK {
            IngestError::TruncatedWarc {
                record: number,
                reason: "the file ends inside its header block".into(),
            }
        } else {
            IngestError::MalformedWarc {
                record: number,
                reason: "no end of header block within 1 MiB".into(),
            }
        });
    };
    let headers = parse_headers(&bytes[..header_end]);
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .ok_or_else(|| IngestError::MalformedWarc {
            record: number,
            reason: "missing or invalid Content-Length".into(),
        })?;
    let available = bytes.len() - block_start;
    if length > available {
        return Err(IngestError::TruncatedWarc {
            record: number,
            reason: format!("its block has {available} of {length} bytes"),
        });
    }
    let block = &bytes[block_start..block_start + length];
    Ok((Record { headers, block }, &bytes[block_start + length..]))
}

/// Where the header block ends (the blank line) and where the block begins.
fn header_block_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    while let Some(offset) = bytes[line_start..].iter().position(|&b| b == b'\n') {
        let line_end = line_start + offset;
        let line = &bytes[line_start..line_end];
        if line.is_empty() || line == b"\r" {
            return Some((line_start, line_end + 1));
        }
        line_start = line_end + 1;
    }
    None
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
