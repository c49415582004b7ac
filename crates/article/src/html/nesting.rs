//! A bound on nesting applied to the markup itself, before the HTML parser sees it.
//!
//! Why at the markup: html5ever scans its stack of open elements for many start tags (a `<div>`
//! first looks for an open `<p>` to close), so parsing alone is quadratic in the nesting depth:
//! 30,000 nested `<div>`s took 8.5 s to parse, whatever was done with the tree afterwards. No
//! parser option bounds depth, so this pass follows the tree builder closely enough to know an
//! upper bound of the depth at every tag, and removes start tags that would open an element
//! deeper than the limit (their end tags are left: a stray end tag is ignored, or closes an
//! element early, both harmless). The content of a removed element goes to its parent.
//!
//! The estimate errs on the deep side: where the tree builder would close elements implicitly
//! in ways this pass does not follow, elements stay counted as open. It never pops an element
//! the parser keeps open: an end tag closes only when the element is found without crossing a
//! scope boundary, and an end tag for a phrasing element does not cross a block. Formatting
//! elements (`<b>`, `<font>`, …) are also counted apart, because the parser re-opens closed
//! ones (its list of active formatting elements) in every new block.

use super::prefilter::{markup_at, tag_name_end, Markup, SVG_BREAKOUT};
use memchr::memchr;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Elements open at once after this pass, at most (as the tree builder would nest them). Real
/// pages nest at most about fifty deep (52 over the extraction benchmark's 181 pages).
pub(crate) const MAX_NESTING: usize = 128;

/// Formatting elements the parser may re-open, at most: unclosed ones beyond this are removed.
const MAX_FORMATTING: usize = 128;

/// Elements with no content and no end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr", "image",
];

/// Elements whose end tag is optional and that the tree builder closes by context (table parts,
/// list options, ruby annotations, the document's frame). Not counted: they nest only through
/// a counted container (`table`, `select`, …). `p`, `li`, `dd` and `dt` are followed instead.
const CONTEXT_CLOSED: &[&str] = &[
    "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup", "option", "optgroup", "rb",
    "rt", "rp", "rtc", "html", "head", "body", "frameset",
];

/// The formatting elements of the HTML standard.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements a search for an element "in scope" stops at.
const SCOPE_BOUNDARIES: &[&str] = &[
    "applet",
    "caption",
    "html",
    "table",
    "td",
    "th",
    "marquee",
    "object",
    "template",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
    "foreignobject",
    "desc",
    "title",
];

/// Start tags that close an open `<p>` in button scope.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "hr",
    "xmp",
    "li",
    "dd",
    "dt",
];

/// The HTML standard's "special" elements: an end tag of a phrasing element does not close
/// anything past one of these.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dir",
    "div",
    "dl",
    "dd",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "iframe",
    "li",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "style",
    "summary",
    "table",
    "template",
    "textarea",
    "title",
    "ul",
    "xmp",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
    "foreignobject",
    "desc",
];

/// SVG and MathML elements whose children are HTML again.
const INTEGRATION_POINTS: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
];

/// What the lists above say about a name, as bits: one look-up per tag instead of a scan of
/// every list.
const IS_VOID: u16 = 1;
const IS_CONTEXT_CLOSED: u16 = 1 << 1;
const IS_FORMATTING: u16 = 1 << 2;
const IS_SCOPE_BOUNDARY: u16 = 1 << 3;
const IS_CLOSING_P: u16 = 1 << 4;
const IS_SPECIAL: u16 = 1 << 5;
const IS_INTEGRATION_POINT: u16 = 1 << 6;
const IS_BREAKOUT: u16 = 1 << 7;

static FLAGS: LazyLock<FxHashMap<String, u16>> = LazyLock::new(|| {
    let mut flags: FxHashMap<String, u16> = FxHashMap::default();
    for (list, bit) in [
        (VOID, IS_VOID),
        (CONTEXT_CLOSED, IS_CONTEXT_CLOSED),
        (FORMATTING, IS_FORMATTING),
        (SCOPE_BOUNDARIES, IS_SCOPE_BOUNDARY),
        (CLOSES_P, IS_CLOSING_P),
        (SPECIAL, IS_SPECIAL),
        (INTEGRATION_POINTS, IS_INTEGRATION_POINT),
    ] {
        for name in list {
            *flags.entry((*name).to_string()).or_default() |= bit;
        }
    }
    for name in SVG_BREAKOUT {
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        *flags.entry(name).or_default() |= IS_BREAKOUT;
    }
    flags
});

fn flags_of(name: &str) -> u16 {
    FLAGS.get(name).copied().unwrap_or(0)
}

/// One element the tree builder would hold open.
struct Open {
    name: String,
    /// What the lists say about it.
    flags: u16,
    /// Inside `<svg>` or `<math>` (where `/>` closes an element).
    foreign: bool,
    /// How many levels it stands for: a table opens its body, row and cell below it, which
    /// this pass does not follow one by one.
    levels: usize,
}

/// What the pass knows while it walks the markup.
#[derive(Default)]
struct Tracker {
    open: Vec<Open>,
    /// Levels of the open elements, summed.
    depth: usize,
    /// Formatting elements started and not yet ended, by name (an upper bound of the parser's
    /// list of active formatting elements).
    formatting: Vec<(String, usize)>,
}

impl Tracker {
    fn formatting_total(&self) -> usize {
        self.formatting.iter().map(|(_, n)| n).sum()
    }

    fn formatting_count(&self, name: &str) -> usize {
        self.formatting
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, count)| *count)
    }

    fn foreign(&self) -> bool {
        self.open.last().is_some_and(|top| top.foreign)
    }

    /// Closes the open elements from `at` up.
    fn truncate(&mut self, at: usize) {
        for closed in self.open.drain(at..) {
            self.depth -= closed.levels;
        }
    }

    /// Pops to and including the nearest `name` when it is found before an element `stops`
    /// says the search may not cross.
    fn close(&mut self, name: &str, stops: impl Fn(&Open) -> bool) {
        for at in (0..self.open.len()).rev() {
            let here = &self.open[at];
            if here.name == name {
                self.truncate(at);
                return;
            }
            if stops(here) {
                return;
            }
        }
    }

    /// Whether a start tag may open its element; false means the tag is to be removed. Updates
    /// the open elements as the tree builder would (as far as it is followed).
    fn start(&mut self, name: &str, self_closing: bool) -> bool {
        let flags = flags_of(name);
        if self.foreign() && flags & IS_BREAKOUT != 0 {
            while self.foreign() {
                self.truncate(self.open.len() - 1);
            }
        }
        if flags & (IS_VOID | IS_CONTEXT_CLOSED) != 0 {
            return true;
        }
        let foreign = name == "svg"
            || name == "math"
            || self
                .open
                .last()
                .is_some_and(|top| top.foreign && top.flags & IS_INTEGRATION_POINT == 0);
        if foreign && self_closing {
            return true;
        }
        if flags & IS_CLOSING_P != 0 {
            self.close("p", ends_button_scope);
        }
        if matches!(name, "li" | "dd" | "dt") {
            let same: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
            if let Some(at) = self
                .open
                .iter()
                .rposition(|o| same.contains(&o.name.as_str()))
            {
                let crosses = self.open[at + 1..].iter().any(|o| {
                    o.flags & IS_SPECIAL != 0 && !matches!(o.name.as_str(), "address" | "div" | "p")
                });
                if !crosses {
                    self.truncate(at);
                }
            }
        }
        if matches!(name, "a" | "nobr") && self.formatting_count(name) > 0 {
            // A new link (or `nobr`) first closes the one still open, as `</a>` would.
            self.end(name);
        }
        let levels = if name == "table" { 4 } else { 1 };
        if self.depth + levels > MAX_NESTING {
            return false;
        }
        if flags & IS_FORMATTING != 0 {
            if self.formatting_total() >= MAX_FORMATTING {
                return false;
            }
            match self.formatting.iter_mut().find(|(n, _)| n == name) {
                Some((_, count)) => *count += 1,
                None => self.formatting.push((name.to_string(), 1)),
            }
        }
        self.depth += levels;
        self.open.push(Open {
            name: name.to_string(),
            flags,
            foreign,
            levels,
        });
        true
    }

    fn end(&mut self, name: &str) {
        if let Some((_, count)) = self.formatting.iter_mut().find(|(n, _)| n == name) {
            *count = count.saturating_sub(1);
        }
        if name == "p" {
            self.close(name, ends_button_scope);
        } else if name == "li" {
            self.close(name, |o| ends_scope(o) || o.name == "ol" || o.name == "ul");
        } else if flags_of(name) & IS_SPECIAL != 0 || self.foreign() {
            self.close(name, ends_scope);
        } else {
            self.close(name, |o| o.flags & IS_SPECIAL != 0);
        }
    }
}

/// Whether a search for an element "in scope" stops at `open` (a scope boundary).
fn ends_scope(open: &Open) -> bool {
    open.flags & IS_SCOPE_BOUNDARY != 0
}

/// Whether a search for an element "in button scope" stops at `open`.
fn ends_button_scope(open: &Open) -> bool {
    ends_scope(open) || open.name == "button"
}

/// `html` with every start tag removed that would open an element deeper than [`MAX_NESTING`]
/// (or a formatting element past [`MAX_FORMATTING`] unclosed ones). Borrows when nothing is
/// removed, as for every real page.
pub(crate) fn cap_nesting(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut tracker = Tracker::default();
    let mut out = String::new();
    let mut copied = 0;
    let mut pos = 0;
    let mut name = String::new();
    while let Some(offset) = bytes.get(pos..).and_then(|rest| memchr(b'<', rest)) {
        let lt = pos + offset;
        match markup_at(bytes, lt) {
            Markup::Comment(Some(end)) | Markup::Other(end) => pos = end,
            // The parser reads the rest as one comment.
            Markup::Comment(None) => break,
            Markup::EndTag(end) => {
                lower_name(bytes, lt + 2, &mut name);
                tracker.end(&name);
                pos = end;
            }
            Markup::StartTag {
                name: raw,
                end,
                self_closing,
            } => {
                name.clear();
                name.extend(raw.iter().map(|b| char::from(b.to_ascii_lowercase())));
                if !tracker.start(&name, self_closing) {
                    // Both ends are ASCII (`<` and just past `>`), so character boundaries.
                    out.push_str(html.get(copied..lt).unwrap_or(""));
                    copied = end;
                }
                pos = end;
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(html.get(copied..).unwrap_or(""));
    Cow::Owned(out)
}

/// The lower-cased tag name starting at `from`.
fn lower_name(bytes: &[u8], from: usize, name: &mut String) {
    name.clear();
    let end = tag_name_end(bytes, from);
    if let Some(raw) = bytes.get(from..end) {
        name.extend(raw.iter().map(|b| char::from(b.to_ascii_lowercase())));
    }
}

#[cfg(test)]
mod tests {
    use super::super::limits::max_depth;
    use super::*;

    fn parsed_depth(html: &str) -> usize {
        max_depth(&dom_query::Document::from(cap_nesting(html).as_ref()))
    }

    #[test]
    fn real_shapes_are_left_alone() {
        for page in [
            "<html><body><div><p>One<p>Two<ul><li>a<li>b</ul></div></body></html>".to_string(),
            format!("<div>{}</div>", "<p><span>unclosed span".repeat(2_000)),
            format!("<ul>{}</ul>", "<li><b>item</b>".repeat(2_000)),
            format!("<nav>{}</nav>", "<a href='/x'>unclosed link ".repeat(2_000)),
            format!("<table>{}</table>", "<tr><td>cell<td>cell".repeat(2_000)),
            format!(
                "<svg>{}</svg><p>after</p>",
                "<path d='M0 0'/>".repeat(2_000)
            ),
            "<div><div><p>text</p></div></div>".repeat(2_000),
        ] {
            assert!(
                matches!(cap_nesting(&page), Cow::Borrowed(_)),
                "{}",
                &page[..80]
            );
        }
    }

    #[test]
    fn deep_nesting_of_every_kind_is_cut_before_parsing() {
        let n = 5_000;
        let bombs = [
            format!("{}<p>text</p>", "<div>".repeat(n)),
            format!("{}<p>text</p>", "<div/>".repeat(n)),
            format!("{}text", "<span>".repeat(n)),
            format!("{}text", "<span><div></span>".repeat(n)),
            format!("{}text", "<div><table></div>".repeat(n)),
            format!("{}text", "<table><tr><td>".repeat(n)),
            format!("{}text", "<ul><li>".repeat(n)),
            format!("<svg><foreignObject>{}text", "<div/>".repeat(n)),
            format!("{}<p>text", "<b class=x><i class=y>".repeat(n)),
            format!("{}<p>text</p>", "<div><b id=z></div></i>".repeat(n)),
            format!(
                "{}<p>text</p>",
                "<custom-element-with-a-long-name>".repeat(n)
            ),
            format!("{}text", "<li><ul></li>".repeat(n)),
            format!("{}text", "<p><button></p>".repeat(n)),
        ];
        for bomb in bombs {
            let depth = parsed_depth(&bomb);
            // Reopened formatting elements may add up to their own limit.
            assert!(
                depth <= MAX_NESTING + MAX_FORMATTING + 4,
                "depth {depth} for {}",
                &bomb[..60]
            );
            assert!(cap_nesting(&bomb).contains("text"));
        }
    }
}
