//! A byte-level pre-pass that cuts out what the extractor never keeps, before the page is parsed.
//!
//! Why this exists: on real news pages about 60% of the bytes are `<script>`, `<style>` and
//! inline `<svg>` (bundled JavaScript, JSON state blobs, critical CSS, icon sprites). html5ever
//! tokenises all of it character by character, and parsing was more than half of extraction
//! time, only for dom_smoothie to delete those elements again. No library offers "parse this
//! page but skip these elements' contents": html5ever has no such option and a streaming
//! rewriter would tokenise everything just the same. So this scanner finds the elements with a
//! few `memchr` calls and copies everything else through untouched.
//!
//! It follows the HTML tokeniser's rules where they decide where an element ends (quoted
//! attribute values, comments, raw-text end tags, the escape states of script data) so that it
//! never cuts into the article. Whenever an element's end cannot be found, or a foreign element
//! would be closed implicitly by the parser, the rest is left as it is for html5ever to read:
//! the pre-pass only ever removes what it has fully delimited.
//!
//! Void `<link>` tags (all but the canonical one) and attributes nothing reads (`data-*`,
//! `srcset`, `sizes`, inline event handlers) go too: after the scripts they are the bulk of what
//! the tokeniser would still have to allocate. JSON-LD (`<script type="application/ld+json">`)
//! is kept: the metadata reader needs it.

use memchr::{memchr, memchr2, memmem};
use std::borrow::Cow;

/// Elements whose raw-text contents are removed together with their tags.
const DROPPED_RAW_TEXT: [&[u8]; 5] = [b"script", b"style", b"noscript", b"iframe", b"noembed"];

/// Elements kept as they are, whose raw text must not be read as markup.
const KEPT_RAW_TEXT: [&[u8]; 4] = [b"title", b"textarea", b"xmp", b"noframes"];

/// Elements with nested markup that are removed when they are cleanly closed.
const DROPPED_NESTED: [&[u8]; 2] = [b"svg", b"template"];

/// HTML start tags that make the parser leave `<svg>` content (the "breakout" list of the HTML
/// standard's foreign-content rules): an `<svg>` holding one is left for the parser.
pub(super) const SVG_BREAKOUT: [&[u8]; 43] = [
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
];

/// Returns `html` without scripts (JSON-LD excepted), styles, `noscript`, `iframe`, `noembed`,
/// cleanly closed `svg` and `template` elements, and comments. Borrows when nothing is removed.
pub(super) fn strip_inert(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    // Input before `copied` is already in `out` or was dropped.
    let mut copied = 0;
    let mut pos = 0;
    let mut unclosed: Vec<&[u8]> = Vec::new();
    while let Some(offset) = bytes.get(pos..).and_then(|rest| memchr(b'<', rest)) {
        let lt = pos + offset;
        if bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            let name_end = tag_name_end(bytes, lt + 1);
            if !bytes.get(lt + 1..name_end).is_some_and(is_special_name) {
                // Most tags: only their attributes may be trimmed, in the one walk that finds
                // the tag's end.
                let (end, _) = attribute_spans(bytes, name_end, |start, name_end, span_end| {
                    if bytes.get(start..name_end).is_some_and(is_inert_attribute) {
                        drop_range(html, &mut out, &mut copied, start, span_end);
                    }
                });
                pos = end;
                continue;
            }
        }
        match markup_at(bytes, lt) {
            Markup::Comment(Some(end)) => {
                drop_range(html, &mut out, &mut copied, lt, end);
                pos = end;
            }
            // Unterminated: the parser reads the rest as one comment.
            Markup::Comment(None) => break,
            Markup::Other(end) => pos = end,
            Markup::EndTag(end) => pos = end,
            Markup::StartTag {
                name,
                end,
                self_closing,
            } => {
                let tag = &bytes[lt..end];
                if name.eq_ignore_ascii_case(b"plaintext") {
                    break;
                }
                if let Some(raw) = DROPPED_RAW_TEXT
                    .iter()
                    .chain(KEPT_RAW_TEXT.iter())
                    .find(|raw| name.eq_ignore_ascii_case(raw))
                {
                    let close = if *raw == b"script" {
                        script_end(bytes, end)
                    } else {
                        raw_text_end(bytes, end, raw)
                    };
                    let Some(close) = close else {
                        // Unterminated: the parser reads the rest as this element's text.
                        break;
                    };
                    let kept = KEPT_RAW_TEXT.contains(raw)
                        || (*raw == b"script" && find_ignore_case(tag, b"ld+json"));
                    if !kept {
                        drop_range(html, &mut out, &mut copied, lt, close);
                    }
                    pos = close;
                } else if let Some(nested) = DROPPED_NESTED
                    .iter()
                    .find(|nested| name.eq_ignore_ascii_case(nested))
                {
                    let foreign = *nested == b"svg";
                    let close = if self_closing && foreign {
                        Ok(end)
                    } else if unclosed.contains(nested) {
                        Err(Unclosed::AtEnd)
                    } else {
                        nested_end(bytes, end, nested, foreign)
                    };
                    match close {
                        Ok(close) => {
                            drop_range(html, &mut out, &mut copied, lt, close);
                            pos = close;
                        }
                        Err(reason) => {
                            if reason == Unclosed::AtEnd {
                                // No later element of this name can close either: looking
                                // again for each would make hostile input quadratic.
                                unclosed.push(nested);
                            }
                            pos = end;
                        }
                    }
                } else if name.eq_ignore_ascii_case(b"link") && !find_ignore_case(tag, b"canonical")
                {
                    // Style sheets, preloads, icons: void elements nothing reads but the
                    // canonical URL.
                    drop_range(html, &mut out, &mut copied, lt, end);
                    pos = end;
                } else {
                    attribute_spans(bytes, lt + 1 + name.len(), |start, name_end, span_end| {
                        if bytes.get(start..name_end).is_some_and(is_inert_attribute) {
                            drop_range(html, &mut out, &mut copied, start, span_end);
                        }
                    });
                    pos = end;
                }
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(html.get(copied..).unwrap_or(""));
    Cow::Owned(out)
}

/// Whether a tag name is one the pre-pass treats specially (any list above, `link`,
/// `plaintext`): one match on the lower-cased name instead of a dozen comparisons per tag.
fn is_special_name(name: &[u8]) -> bool {
    let mut lower = [0u8; 9];
    let Some(buf) = lower.get_mut(..name.len()) else {
        return false;
    };
    for (l, n) in buf.iter_mut().zip(name) {
        *l = n.to_ascii_lowercase();
    }
    matches!(
        &*buf,
        b"script"
            | b"style"
            | b"noscript"
            | b"iframe"
            | b"noembed"
            | b"title"
            | b"textarea"
            | b"xmp"
            | b"noframes"
            | b"svg"
            | b"template"
            | b"link"
            | b"plaintext"
    )
}

/// Moves the input between `copied` and `start` into `out` and skips `start..end`.
///
/// Both ends sit on an ASCII `<` or just after an ASCII byte, so they are character boundaries;
/// `get` keeps that an invariant rather than a panic.
fn drop_range(html: &str, out: &mut String, copied: &mut usize, start: usize, end: usize) {
    if out.capacity() == 0 {
        out.reserve(html.len() / 2);
    }
    out.push_str(html.get(*copied..start).unwrap_or(""));
    *copied = end;
}

/// What starts at a `<`, with the index just past it.
pub(super) enum Markup<'a> {
    /// `<!-- … -->`; `None` when it never ends.
    Comment(Option<usize>),
    StartTag {
        name: &'a [u8],
        end: usize,
        self_closing: bool,
    },
    EndTag(usize),
    /// A doctype, bogus comment, or a `<` that is plain text.
    Other(usize),
}

/// Reads the markup starting at `bytes[lt] == b'<'` the way the tokeniser's data state does.
/// An unterminated comment or tag ends at the end of the input.
pub(super) fn markup_at(bytes: &[u8], lt: usize) -> Markup<'_> {
    let len = bytes.len();
    let after = lt + 1;
    match bytes.get(after) {
        Some(b'!') => {
            if bytes.get(after..after + 3) == Some(b"!--") {
                Markup::Comment(comment_end(bytes, after + 3))
            } else {
                Markup::Other(past_gt(bytes, after))
            }
        }
        Some(b'?') => Markup::Other(past_gt(bytes, after)),
        Some(b'/') => match bytes.get(after + 1) {
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = tag_name_end(bytes, after + 1);
                Markup::EndTag(attributes_end(bytes, name_end).0)
            }
            Some(b'>') => Markup::Other(after + 2),
            Some(_) => Markup::Other(past_gt(bytes, after)),
            None => Markup::Other(len),
        },
        Some(c) if c.is_ascii_alphabetic() => {
            let name_end = tag_name_end(bytes, after);
            let (end, self_closing) = attributes_end(bytes, name_end);
            Markup::StartTag {
                name: &bytes[after..name_end],
                end,
                self_closing,
            }
        }
        _ => Markup::Other(after),
    }
}

/// Index just past the next `>` at or after `from` (a bogus comment's end), or the input's end.
fn past_gt(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| memchr(b'>', rest))
        .map_or(bytes.len(), |i| from + i + 1)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

pub(super) fn tag_name_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    i
}

/// Walks a tag's attributes from just after its name: index past the closing `>` (or the
/// input's end) and whether the tag was written self-closing (`/>`).
fn attributes_end(bytes: &[u8], from: usize) -> (usize, bool) {
    attribute_spans(bytes, from, |_, _, _| {})
}

/// [`attributes_end`] that also reports each attribute as (name start, name end, end of the
/// attribute with its value).
fn attribute_spans(
    bytes: &[u8],
    from: usize,
    mut each: impl FnMut(usize, usize, usize),
) -> (usize, bool) {
    let len = bytes.len();
    let mut i = from;
    loop {
        // Before an attribute name: spaces and stray slashes.
        let mut slash = false;
        while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
            slash = bytes[i] == b'/';
            i += 1;
        }
        if i >= len {
            return (len, false);
        }
        if bytes[i] == b'>' {
            return (i + 1, slash);
        }
        // The name; its first character may be anything, even `=`.
        let name_start = i;
        i += 1;
        while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name_end = i;
        let mut attribute_end = i;
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if i < len && bytes[i] == b'=' {
            i += 1;
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    i = bytes
                        .get(i + 1..)
                        .and_then(|rest| memchr(quote, rest))
                        .map_or(len, |q| i + 1 + q + 1);
                }
                _ => {
                    while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                }
            }
            attribute_end = i;
        }
        each(name_start, name_end, attribute_end.min(len));
    }
}

/// Attributes that nothing downstream reads and that make up a large share of what is left of a
/// page once scripts are gone: `data-*` state, responsive-image lists and inline event handlers.
/// (`class`, `id`, `style`, `href`, `role`, `hidden` and the like all steer scoring and stay.)
fn is_inert_attribute(name: &[u8]) -> bool {
    name.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"data-"))
        || name.eq_ignore_ascii_case(b"srcset")
        || name.eq_ignore_ascii_case(b"sizes")
        || (name.len() > 4
            && name[..2].eq_ignore_ascii_case(b"on")
            && name.iter().all(u8::is_ascii_alphabetic))
}

/// Index just past the comment whose text starts at `from` (after `<!--`), following the
/// tokeniser: `<!-->` and `<!--->` close at once, otherwise `-->` or `--!>` closes it.
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    match bytes.get(from..) {
        Some([b'>', ..]) => return Some(from + 1),
        Some([b'-', b'>', ..]) => return Some(from + 2),
        _ => {}
    }
    let finder = memmem::Finder::new(b"--");
    let mut i = from;
    while let Some(offset) = bytes.get(i..).and_then(|rest| finder.find(rest)) {
        let dashes = i + offset;
        match bytes.get(dashes + 2..) {
            Some([b'>', ..]) => return Some(dashes + 3),
            Some([b'!', b'>', ..]) => return Some(dashes + 4),
            _ => i = dashes + 1,
        }
    }
    None
}

/// Whether `bytes[at..]` starts with `</name` followed by a character that ends a tag name.
fn is_end_tag(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    has_tag_name(bytes, at + 2, name) && bytes.get(at + 1) == Some(&b'/')
}

/// Whether `bytes[at..]` spells `name` (any case) followed by space, `/` or `>`.
fn has_tag_name(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    bytes
        .get(at..at + name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && bytes
            .get(at + name.len())
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
}

/// Index past the end tag that closes a raw-text element whose text starts at `from`.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(offset) = bytes.get(i..).and_then(|rest| memchr(b'<', rest)) {
        let lt = i + offset;
        if is_end_tag(bytes, lt, name) {
            return Some(attributes_end(bytes, lt + 2 + name.len()).0);
        }
        i = lt + 1;
    }
    None
}

/// Index past the `</script>` that closes script data starting at `from`.
///
/// Script data has escape states: after `<!--`, a `<script>` opens a "double-escaped" stretch in
/// which `</script>` does not close the element (it closes the inner one), until `-->`.
fn script_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let name = b"script";
    let mut state = State::Data;
    let mut i = from;
    loop {
        let rest = bytes.get(i..)?;
        let offset = if state == State::Data {
            memchr(b'<', rest)?
        } else {
            memchr2(b'<', b'-', rest)?
        };
        let at = i + offset;
        if bytes[at] == b'-' {
            if bytes.get(at..at + 3) == Some(b"-->") {
                state = State::Data;
                i = at + 3;
            } else {
                i = at + 1;
            }
            continue;
        }
        match state {
            State::Data | State::Escaped if is_end_tag(bytes, at, name) => {
                return Some(attributes_end(bytes, at + 2 + name.len()).0);
            }
            State::Data if bytes.get(at..at + 4) == Some(b"<!--") => {
                state = State::Escaped;
                // The comment opener's own dashes may close it at once (`<!-->`).
                i = at + 2;
            }
            State::Escaped if has_tag_name(bytes, at + 1, name) => {
                state = State::DoubleEscaped;
                i = at + 1;
            }
            State::DoubleEscaped if is_end_tag(bytes, at, name) => {
                state = State::Escaped;
                i = at + 2;
            }
            _ => i = at + 1,
        }
    }
}

/// Why an element with nested markup is left in place.
#[derive(Debug, PartialEq)]
enum Unclosed {
    /// Its end tag (or that of something inside) never comes.
    AtEnd,
    /// An HTML tag inside foreign content would make the parser close it implicitly.
    BrokenOut,
}

/// Index past the end tag that closes the element `name` whose contents start at `from`,
/// counting nested elements of the same name.
fn nested_end(bytes: &[u8], from: usize, name: &[u8], foreign: bool) -> Result<usize, Unclosed> {
    let mut depth = 1usize;
    let mut i = from;
    while let Some(offset) = bytes.get(i..).and_then(|rest| memchr(b'<', rest)) {
        let lt = i + offset;
        if foreign && bytes.get(lt..lt + 9) == Some(b"<![CDATA[") {
            let close = bytes
                .get(lt + 9..)
                .and_then(|rest| memmem::find(rest, b"]]>"))
                .ok_or(Unclosed::AtEnd)?;
            i = lt + 9 + close + 3;
            continue;
        }
        match markup_at(bytes, lt) {
            Markup::Comment(None) => return Err(Unclosed::AtEnd),
            Markup::Comment(Some(end)) | Markup::Other(end) => i = end,
            Markup::EndTag(end) => {
                if is_end_tag(bytes, lt, name) {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(end);
                    }
                }
                i = end;
            }
            Markup::StartTag {
                name: inner,
                end,
                self_closing,
            } => {
                if inner.eq_ignore_ascii_case(name) {
                    if !(foreign && self_closing) {
                        depth += 1;
                    }
                    i = end;
                } else if foreign {
                    if SVG_BREAKOUT.iter().any(|b| inner.eq_ignore_ascii_case(b)) {
                        return Err(Unclosed::BrokenOut);
                    }
                    i = end;
                } else if let Some(raw) = DROPPED_RAW_TEXT
                    .iter()
                    .chain(KEPT_RAW_TEXT.iter())
                    .find(|raw| inner.eq_ignore_ascii_case(raw))
                {
                    let close = if *raw == b"script" {
                        script_end(bytes, end)
                    } else {
                        raw_text_end(bytes, end, raw)
                    };
                    i = close.ok_or(Unclosed::AtEnd)?;
                } else {
                    i = end;
                }
            }
        }
    }
    Err(Unclosed::AtEnd)
}

/// ASCII case-insensitive substring test.
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(html: &str) -> String {
        strip_inert(html).into_owned()
    }

    #[test]
    fn scripts_styles_and_comments_go() {
        assert_eq!(
            strip("<p>a</p><script>var x = 1 < 2;</script><style>p>a{}</style><!-- <p>no</p> --><p>b</p>"),
            "<p>a</p><p>b</p>"
        );
    }

    #[test]
    fn split_end_tag_inside_a_string_does_not_close_the_script() {
        let page = r#"<p>a</p><script>document.write("</scr" + "ipt>"); var s = "</scripts>";</script><p>b</p>"#;
        assert_eq!(strip(page), "<p>a</p><p>b</p>");
    }

    #[test]
    fn double_escaped_script_data_is_followed() {
        // Inside `<!--` a nested `<script>` makes the next `</script>` its own.
        let page =
            "<p>a</p><script><!--\ndocument.write('<script>x()</script>');\n--></script><p>b</p>";
        assert_eq!(strip(page), "<p>a</p><p>b</p>");
        let closed_at_once = "<script><!--></script><p>b</p>";
        assert_eq!(strip(closed_at_once), "<p>b</p>");
    }

    #[test]
    fn comments_containing_tags_go_whole() {
        assert_eq!(
            strip("<p>a</p><!-- <script> </p> <div> --><p>b</p><!--><p>c</p><!---><p>d</p>"),
            "<p>a</p><p>b</p><p>c</p><p>d</p>"
        );
        assert_eq!(strip("<p>a</p><!-- x --!><p>b</p>"), "<p>a</p><p>b</p>");
    }

    #[test]
    fn unterminated_elements_are_left_to_the_parser() {
        for page in [
            "<p>a</p><script>var x = 1;",
            "<p>a</p><style>p{}",
            "<p>a</p><!-- never closed <p>b</p>",
            "<p>a</p><svg><path d='M0'/>",
            "<p>a</p><script",
            "<p>a</p><script type=\"x",
            "<",
            "<!",
            "</",
            "<!--",
        ] {
            assert_eq!(strip(page), page, "{page:?}");
        }
    }

    #[test]
    fn upper_case_tags_are_matched() {
        assert_eq!(
            strip("<P>a</P><SCRIPT TYPE='text/javascript'>x()</SCRIPT ><Style>a{}</sTyLe><P>b</P>"),
            "<P>a</P><P>b</P>"
        );
    }

    #[test]
    fn json_ld_is_kept() {
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"</b>"}</script>"#;
        let page = format!("<head>{ld}<script>track()</script></head><p>a</p>");
        assert_eq!(strip(&page), format!("<head>{ld}</head><p>a</p>"));
        let upper = r#"<SCRIPT TYPE="Application/LD+JSON">{}</SCRIPT>"#;
        assert_eq!(strip(upper), upper);
    }

    #[test]
    fn quoted_attributes_hide_tags() {
        let page = r#"<a title="<script>" href='x>'>link</a><p title="<!--">b</p>"#;
        assert_eq!(strip(page), page);
        assert!(matches!(strip_inert(page), Cow::Borrowed(_)));
    }

    #[test]
    fn inert_attributes_and_links_go() {
        let page = r#"<link rel="stylesheet" href="a.css"><link rel="canonical" href="https://e.org/a"><div data-id="7" class="story" onclick="go()"><img src="a.jpg" srcset="a.jpg 2x" data-x=1 alt="a"><p data-track hidden>text</p></div>"#;
        assert_eq!(
            strip(page),
            r#"<link rel="canonical" href="https://e.org/a"><div  class="story" ><img src="a.jpg"   alt="a"><p  hidden>text</p></div>"#
        );
        // An attribute value that merely mentions one is untouched.
        let quoted = r#"<a title="data-x=1 onclick" href="/">x</a>"#;
        assert_eq!(strip(quoted), quoted);
    }

    #[test]
    fn special_names_cover_every_list() {
        for name in DROPPED_RAW_TEXT
            .iter()
            .chain(&KEPT_RAW_TEXT)
            .chain(&DROPPED_NESTED)
            .chain([&&b"link"[..], &&b"plaintext"[..]])
        {
            assert!(is_special_name(name), "{}", String::from_utf8_lossy(name));
            assert!(is_special_name(&name.to_ascii_uppercase()));
        }
        assert!(!is_special_name(b"scripts"));
        assert!(!is_special_name(b"p"));
        assert!(!is_special_name(b"a-very-long-custom-element"));
    }

    #[test]
    fn raw_text_of_kept_elements_is_not_markup() {
        let page = "<title>How <script> tags work</title><textarea><!-- x --></textarea><p>a</p>";
        assert_eq!(strip(page), page);
    }

    #[test]
    fn svg_goes_unless_the_parser_would_break_out() {
        assert_eq!(
            strip("<p>a<svg viewBox='0 0 1 1'><svg/><g><path d='M0 0'/></g><![CDATA[</svg>]]></svg>b</p>"),
            "<p>ab</p>"
        );
        assert_eq!(strip("<p>a<svg/>b</p>"), "<p>ab</p>");
        // A `<p>` closes an unclosed `<svg>` in the parser: then nothing is cut.
        let broken = "<svg><g></g><p>Article text</p></svg>";
        assert_eq!(strip(broken), broken);
    }

    #[test]
    fn template_goes_with_its_scripts() {
        assert_eq!(
            strip("<p>a</p><template><template></template><script>'</template>'</script></template><p>b</p>"),
            "<p>a</p><p>b</p>"
        );
    }

    #[test]
    fn multibyte_text_survives() {
        let page = "<p>Крымские татары — «Кърым»</p><script>ё</script><p>ü 😀</p>";
        assert_eq!(strip(page), "<p>Крымские татары — «Кърым»</p><p>ü 😀</p>");
    }

    #[test]
    fn any_input_is_safe() {
        let noise: String = (0u32..4000)
            .filter_map(|i| char::from_u32((i * 7919) % 0x3000))
            .collect();
        let _ = strip_inert(&noise);
        for cut in 0..120 {
            let page =
                "<script>a<!--<script>b</script>--></script><svg><![CDATA[x]]></svg><!-- c -->";
            if let Some(prefix) = page.get(..cut) {
                let _ = strip_inert(prefix);
            }
        }
    }
}
