//! Telling text from binary data, and HTML from plain text.

use crate::{IngestError, Kind};
use std::sync::LazyLock;

/// `(magic bytes, description)` pairs from `data/binary_signatures.tsv`.
static SIGNATURES: LazyLock<Vec<(Vec<u8>, String)>> = LazyLock::new(|| {
    include_str!("../data/binary_signatures.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (magic, what) = line.split_once('\t')?;
            Some((hex::decode(magic.trim()).ok()?, what.trim().to_string()))
        })
        .collect()
});

/// Share of control characters above which decoded "text" is taken for binary data. Real text
/// has none beyond tab, line breaks and form feed; a few stray ones come from bad copy-paste.
const MAX_CONTROL_SHARE: f64 = 0.01;

/// Rejects bytes that are plainly not text: a known binary format, or NUL bytes (which no
/// single-byte or UTF-8 text holds; UTF-16 input, which does, is recognised by its BOM first).
pub(crate) fn reject_binary(bytes: &[u8]) -> Result<(), IngestError> {
    if let Some((_, what)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Err(IngestError::Binary(what.clone()));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary(format!("NUL byte at offset {at}")));
    }
    Ok(())
}

/// Rejects decoded text made largely of control characters: binary data that happened to hold
/// no NUL byte decodes "successfully" in any single-byte charset.
pub(crate) fn reject_control_text(text: &str, charset: &str) -> Result<(), IngestError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    if total > 0 && control as f64 > total as f64 * MAX_CONTROL_SHARE {
        return Err(IngestError::Binary(format!(
            "{control} of {total} characters are control characters when decoded as {charset}"
        )));
    }
    Ok(())
}

/// Tells HTML from plain text by how the content begins.
pub(crate) fn kind(text: &str) -> Kind {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let early: String = head.chars().take(1024).collect();
    if early.contains("<!doctype html") || early.contains("<html") {
        return Kind::Html;
    }
    // Fragments without an <html> element still start with markup.
    const TAGS: [&str; 12] = [
        "<head", "<body", "<meta", "<title", "<div", "<p>", "<p ", "<article", "<script", "<link",
        "<section", "<main",
    ];
    if head.starts_with('<') && TAGS.iter().any(|tag| head.contains(tag)) {
        Kind::Html
    } else {
        Kind::Text
    }
}

/// The lower-cased last label of a URL's host (`ua` for `https://www.example.com.ua/x`).
pub(crate) fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let tld = host.trim_end_matches('.').rsplit('.').next()?;
    (!tld.is_empty() && tld.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| tld.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_load() {
        assert!(SIGNATURES.len() > 10);
        assert_eq!(
            reject_binary(b"%PDF-1.7\n"),
            Err(IngestError::Binary("a PDF document".into()))
        );
        assert!(reject_binary("plain текст".as_bytes()).is_ok());
    }

    #[test]
    fn tells_html_from_text() {
        assert_eq!(kind("\u{feff}  <!DOCTYPE HTML><p>x"), Kind::Html);
        assert_eq!(kind("<div class=a><p>Body</p></div>"), Kind::Html);
        assert_eq!(kind("Title\n\n<b>not markup</b> in a dump"), Kind::Text);
        assert_eq!(kind("<3 a text that starts with a heart"), Kind::Text);
    }

    #[test]
    fn finds_top_level_domains() {
        assert_eq!(
            top_level_domain("https://user@www.example.com.UA:8080/a?b").as_deref(),
            Some("ua")
        );
        assert_eq!(
            top_level_domain("http://localhost/").as_deref(),
            Some("localhost")
        );
        assert_eq!(top_level_domain("").as_deref(), None);
    }
}
