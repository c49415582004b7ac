//! The HTTP response stored in a WARC `response` record: status, content type, and the body
//! with its transfer and content encodings undone.

use crate::{gzip, IngestError};
use std::borrow::Cow;
use std::io::Read;

/// An HTTP response, body decoded to the bytes the server meant to send.
#[derive(Debug)]
pub(crate) struct Response<'a> {
    pub(crate) status: u16,
    /// The raw `Content-Type` header value.
    pub(crate) content_type: Option<String>,
    pub(crate) body: Cow<'a, [u8]>,
}

/// Parses a stored HTTP response; `max_body` bounds the decompressed body.
pub(crate) fn parse_response(payload: &[u8], max_body: usize) -> Result<Response<'_>, IngestError> {
    let mut headers = [httparse::EMPTY_HEADER; 256];
    let mut response = httparse::Response::new(&mut headers);
    let header_len = match response.parse(payload) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            return Err(IngestError::Http("the headers are incomplete".into()))
        }
        Err(e) => return Err(IngestError::Http(format!("bad header block: {e}"))),
    };
    let status = response.code.unwrap_or(0);
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let content_type = header("Content-Type");
    let transfer = header("Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let content_encoding = header("Content-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();

    let mut body: Cow<'_, [u8]> = Cow::Borrowed(&payload[header_len..]);
    // Crawlers differ: some store the body as it came over the wire, others store it already
    // de-chunked or decompressed but keep the original headers. So an encoding is undone only
    // when the body actually looks encoded.
    if transfer.contains("chunked") {
        if let Some(joined) = dechunk(&body) {
            body = Cow::Owned(joined);
        }
    }
    match content_encoding.as_str() {
        "" | "identity" => {}
        "gzip" | "x-gzip" if gzip::is_gzip(&body) => {
            body = Cow::Owned(gzip::decompress(&body, max_body)?);
        }
        "deflate" if !body.is_empty() && !body.starts_with(b"<") => {
            body = Cow::Owned(inflate(&body, max_body)?);
        }
        "gzip" | "x-gzip" | "deflate" => {}
        other => {
            return Err(IngestError::Http(format!(
                "unsupported Content-Encoding `{other}`"
            )))
        }
    }
    Ok(Response {
        status,
        content_type,
        body,
    })
}

/// The status and raw `Content-Type` of a response from its start, when its header block is
/// complete there.
pub(crate) fn status_and_content_type(start: &[u8]) -> Option<(u16, Option<String>)> {
    let mut headers = [httparse::EMPTY_HEADER; 256];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(start) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return None,
    }
    let content_type = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("Content-Type"))
        .map(|h| String::from_utf8_lossy(h.value).trim().to_string());
    Some((response.code.unwrap_or(0), content_type))
}

/// Joins a chunked body; `None` when it is not validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut joined = Vec::with_capacity(body.len());
    loop {
        let (start, size) = match httparse::parse_chunk_size(body).ok()? {
            httparse::Status::Complete(found) => found,
            httparse::Status::Partial => return None,
        };
        let size = usize::try_from(size).ok()?;
        if size == 0 {
            return Some(joined);
        }
        let chunk = body.get(start..start.checked_add(size)?)?;
        joined.extend_from_slice(chunk);
        body = &body[start + size..];
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

/// HTTP "deflate" is meant to be zlib-wrapped but is sometimes raw deflate; both are tried.
fn inflate(body: &[u8], limit: usize) -> Result<Vec<u8>, IngestError> {
    let take = limit as u64 + 1;
    let mut out = Vec::new();
    if flate2::read::ZlibDecoder::new(body)
        .take(take)
        .read_to_end(&mut out)
        .is_err()
    {
        out.clear();
        flate2::read::DeflateDecoder::new(body)
            .take(take)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::Http(format!("bad deflate body: {e}")))?;
    }
    if out.len() > limit {
        return Err(IngestError::Oversized {
            what: "decompressed HTTP body",
            size: out.len() as u64,
            limit: limit as u64,
        });
    }
    Ok(out)
}

/// Splits a Content-Type value into its lower-cased MIME type and its charset parameter.
pub(crate) fn split_content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
    });
    (mime, charset.filter(|c| !c.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_plain_response() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"KOI8-R\"\r\n\r\n<p>x</p>";
        let r = parse_response(raw, 1000).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(&*r.body, b"<p>x</p>");
        assert_eq!(
            split_content_type(r.content_type.as_deref().unwrap()),
            ("text/html".to_string(), Some("KOI8-R".to_string()))
        );
    }

    #[test]
    fn undoes_chunking_and_gzip() {
        let packed = gzip::compress(b"<html>hello</html>");
        let mut raw =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        let (a, b) = packed.split_at(5);
        for part in [a, b] {
            raw.extend(format!("{:x}\r\n", part.len()).bytes());
            raw.extend(part);
            raw.extend(b"\r\n");
        }
        raw.extend(b"0\r\n\r\n");
        let r = parse_response(&raw, 1000).unwrap();
        assert_eq!(&*r.body, b"<html>hello</html>");
    }

    #[test]
    fn keeps_bodies_a_crawler_already_decoded() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n<html>hi</html>";
        assert_eq!(
            &*parse_response(raw, 1000).unwrap().body,
            b"<html>hi</html>"
        );
    }

    #[test]
    fn rejects_broken_headers() {
        assert!(matches!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Ty", 10),
            Err(IngestError::Http(_))
        ));
        assert!(matches!(
            parse_response(b"garbage\r\n\r\n", 10),
            Err(IngestError::Http(_))
        ));
    }
}
