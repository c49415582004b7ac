//! Finding a page's charset and decoding it: BOM, then the transport's declaration, then the
//! page's own `<meta>`/XML declaration, then UTF-8 validity, then statistical sniffing.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde::Serialize;

/// How many leading bytes are searched for a `<meta>` charset declaration. Browsers look at
/// 1024; real pages with long `<head>` comments and scripts put it later, so a little more.
const META_PRESCAN: usize = 4096;

/// An invalid UTF-8 input is still read as UTF-8 (with replacements) when at least this many
/// well-formed multi-byte characters stand for each malformed sequence: a file that is UTF-8
/// with a few damaged bytes, not a legacy-charset file (where nearly every sequence is invalid).
const MOSTLY_UTF8_RATIO: usize = 20;

/// How a document's charset was determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetFrom {
    /// A byte order mark at the start.
    Bom,
    /// The HTTP `Content-Type` header stored with a WARC record.
    Http,
    /// The page's `<meta charset>`, `<meta http-equiv>` or XML declaration.
    Meta,
    /// No declaration; the bytes are valid UTF-8 (or plain ASCII).
    Utf8,
    /// No declaration; the bytes are UTF-8 with a few malformed sequences, replaced by U+FFFD.
    MostlyUtf8,
    /// No declaration; the charset was guessed from the bytes' statistics (chardetng).
    Sniffed,
}

/// The decoded text and how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) encoding: &'static Encoding,
    pub(crate) from: CharsetFrom,
    pub(crate) replaced: usize,
}

/// Decodes `bytes`; `declared` is a charset label from the transport, `tld` the top-level domain
/// of the page's URL, which tells the sniffer which legacy charsets are likely.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>, tld: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_as(&bytes[bom_len..], encoding, CharsetFrom::Bom);
    }
    if let Some(encoding) = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes()))
    {
        return decode_as(bytes, encoding, CharsetFrom::Http);
    }
    if let Some(encoding) = declared_in_markup(bytes) {
        return decode_as(bytes, encoding, CharsetFrom::Meta);
    }
    let (valid_multibyte, invalid) = utf8_census(bytes);
    if invalid == 0 {
        return decode_as(bytes, UTF_8, CharsetFrom::Utf8);
    }
    if valid_multibyte >= invalid.saturating_mul(MOSTLY_UTF8_RATIO) {
        return decode_as(bytes, UTF_8, CharsetFrom::MostlyUtf8);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(tld.map(str::as_bytes), Utf8Detection::Deny);
    decode_as(bytes, encoding, CharsetFrom::Sniffed)
}

fn decode_as(bytes: &[u8], encoding: &'static Encoding, from: CharsetFrom) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let replaced = if had_errors {
        text.matches('\u{fffd}').count()
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding,
        from,
        replaced,
    }
}

/// Counts well-formed multi-byte UTF-8 characters and malformed sequences.
fn utf8_census(bytes: &[u8]) -> (usize, usize) {
    let mut valid_multibyte = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (valid_multibyte, invalid)
}

/// The charset a page declares in its first bytes: `<meta charset=…>`,
/// `<meta http-equiv=Content-Type content="…; charset=…">` or `<?xml … encoding="…"?>`.
fn declared_in_markup(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_PRESCAN)].to_ascii_lowercase();
    let label = if head.starts_with(b"<?xml") {
        let end = find(&head, b"?>").unwrap_or(head.len());
        attribute_value(&head[..end], b"encoding")
    } else {
        None
    };
    let label = label.or_else(|| {
        let mut rest = &head[..];
        while let Some(at) = find(rest, b"<meta") {
            rest = &rest[at + 5..];
            let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            if let Some(label) = attribute_value(&rest[..end], b"charset") {
                return Some(label);
            }
        }
        None
    })?;
    let encoding = Encoding::for_label(label)?;
    // The HTML standard: a page that declares UTF-16 in ASCII-compatible bytes is not UTF-16,
    // and x-user-defined in a declaration means windows-1252.
    Some(
        if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            UTF_8
        } else if encoding == encoding_rs::X_USER_DEFINED {
            WINDOWS_1252
        } else {
            encoding
        },
    )
}

/// The value after `name` `=` (quoted or not) within a tag, e.g. `windows-1251` in
/// `content="text/html; charset=windows-1251"`.
fn attribute_value<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = tag;
    while let Some(at) = find(rest, name) {
        rest = &rest[at + name.len()..];
        let after = trim_start(rest);
        if let Some(value) = after.strip_prefix(b"=") {
            let value = trim_start(value);
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|&b| {
                    matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                })
                .unwrap_or(value.len());
            if end > 0 {
                return Some(&value[..end]);
            }
        }
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSSIAN: &str = "Суд в оккупированном Крыму арестовал крымского татарина. \
        Адвокат сообщил, что обыск в доме продолжался шесть часов, а понятых привели сотрудники ФСБ. \
        Родственники задержанного говорят, что изъяли религиозную литературу и телефоны.";
    const UKRAINIAN: &str = "Окупаційний суд у Криму заарештував кримського татарина. \
        Адвокат повідомив, що обшук у будинку тривав шість годин, а понятих привели співробітники ФСБ. \
        Родичі затриманого кажуть, що вилучили релігійну літературу та телефони.";

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    #[test]
    fn a_bom_wins() {
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend(b"<meta charset=koi8-r>");
        let d = decode(&bytes, Some("windows-1251"), None);
        assert_eq!((d.encoding, d.from), (UTF_8, CharsetFrom::Bom));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Крим".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, None, None).text, "Крим");
    }

    #[test]
    fn http_then_meta_declarations() {
        let page = [
            b"<html><head><meta charset=\"windows-1251\"></head><p>".as_slice(),
            &encode(UKRAINIAN, encoding_rs::WINDOWS_1251),
        ]
        .concat();
        let d = decode(&page, None, None);
        assert_eq!(
            (d.encoding, d.from),
            (encoding_rs::WINDOWS_1251, CharsetFrom::Meta)
        );
        assert!(d.text.contains(UKRAINIAN));
        let d = decode(&page, Some("Windows-1251 "), None);
        assert_eq!(d.from, CharsetFrom::Http);
        let equiv = b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; Charset=KOI8-R'>";
        assert_eq!(declared_in_markup(equiv), Some(encoding_rs::KOI8_R));
        assert_eq!(
            declared_in_markup(b"<?xml version='1.0' encoding='ISO-8859-5'?><html>"),
            Some(encoding_rs::ISO_8859_5)
        );
        assert_eq!(declared_in_markup(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(
            declared_in_markup(b"<meta name=description content=charset>"),
            None
        );
    }

    #[test]
    fn undeclared_legacy_charsets_are_sniffed() {
        for (text, encoding) in [
            (RUSSIAN, encoding_rs::KOI8_R),
            (RUSSIAN, encoding_rs::WINDOWS_1251),
            (UKRAINIAN, encoding_rs::WINDOWS_1251),
        ] {
            let d = decode(&encode(text, encoding), None, None);
            assert_eq!(d.from, CharsetFrom::Sniffed);
            assert_eq!(d.text, text, "{}", encoding.name());
            // chardetng names KOI8-R text KOI8-U, a superset that decodes Cyrillic letters alike.
            let family = |e: &'static Encoding| e.name().trim_end_matches(['R', 'U']).to_string();
            assert_eq!(family(d.encoding), family(encoding));
        }
    }

    #[test]
    fn utf8_with_a_few_damaged_bytes_stays_utf8() {
        let mut bytes = UKRAINIAN.as_bytes().to_vec();
        bytes.insert(30, 0xff);
        let d = decode(&bytes, None, None);
        assert_eq!(
            (d.encoding, d.from, d.replaced),
            (UTF_8, CharsetFrom::MostlyUtf8, 1)
        );
    }
}
