//! The article body: chrome removal, main-content choice, paragraphs, and line-level cleaning.
//!
//! Main-content choice is dom_smoothie's (a maintained Rust port of Mozilla Readability). What it
//! lacks, and this module adds, is the cleaning that keeps a news body free of captions, photo
//! credits, datelines, related lists and widgets: Readability scores *containers* and keeps what is
//! inside the winner, so these small blocks ride along. We remove them in two places:
//!
//! 1. before scoring, elements whose tag or class/id words say they are chrome
//!    (`data/html_boilerplate_tags.txt`, `data/html_boilerplate_words.txt`); this also makes the
//!    scoring pass cheaper;
//! 2. after scoring, whole paragraphs that read as chrome (`data/html_boilerplate_lines.txt`,
//!    stand-alone datelines of the calendar's month and weekday names and the words of
//!    `data/html_date_words.txt`, short link-only blocks, repeats).

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, ParsePolicy, Readability};
use regex::Regex;
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What a class/id word says about its element. A word listed in two sections takes the later
/// variant here (`Keep` beats `Always` beats `Short`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum WordClass {
    /// Removed only when it holds little running text.
    Short,
    /// Removed whatever its size.
    Always,
    /// Never removed by class words, whatever else the class says (embedded posts).
    Keep,
}

/// Class/id words of chrome elements. One map (with a fast hasher) rather than a set per
/// section: every class word of every element is looked up, which made hashing a visible share
/// of extraction time.
struct ChromeWords {
    classes: FxHashMap<&'static str, WordClass>,
    /// Length of the longest listed word: longer words are not looked up.
    longest: usize,
}

static CHROME_WORDS: LazyLock<ChromeWords> = LazyLock::new(|| {
    let mut words = ChromeWords {
        classes: FxHashMap::default(),
        longest: 0,
    };
    let mut section = WordClass::Always;
    for line in data_lines(include_str!("../../data/html_boilerplate_words.txt")) {
        if line.starts_with('[') {
            section = match line {
                "[short]" => WordClass::Short,
                "[keep]" => WordClass::Keep,
                _ => WordClass::Always,
            };
            continue;
        }
        let class = words.classes.entry(line).or_insert(section);
        *class = (*class).max(section);
        words.longest = words.longest.max(line.len());
    }
    words
});

static CHROME_TAGS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| data_lines(include_str!("../../data/html_boilerplate_tags.txt")).collect());

/// Separate regexes rather than one alternation or a `RegexSet`: with bounded repeats and
/// Unicode case folding a combined automaton overflows the lazy DFA's cache and falls back to the
/// PikeVM (measured: four times slower over the benchmark); one small regex at a time stays on
/// the DFA.
static CHROME_LINES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    // Bundled at build time, not user input; `chrome_line_patterns_compile` checks every pattern.
    data_lines(include_str!("../../data/html_boilerplate_lines.txt"))
        .filter_map(|p| Regex::new(&format!("(?i){p}")).ok())
        .collect()
});

/// Words a stand-alone dateline is made of: the month and weekday names of every language the
/// calendar lists (`casebook_vocabulary`), and the other dateline words of the data file.
static DATE_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let calendar = casebook_vocabulary::all_months()
        .iter()
        .chain(casebook_vocabulary::all_weekdays())
        .map(|&(word, _)| word);
    data_lines(include_str!("../../data/html_date_words.txt"))
        .chain(calendar)
        .collect()
});

/// Non-empty, non-comment lines of a bundled data file.
pub(super) fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Elements with more running text than this are never removed by the `short` class words.
const SHORT_CHROME_MAX_CHARS: usize = 400;

/// A link-heavy block shorter than this many characters is taken for a related-story link.
const LINK_BLOCK_MAX_CHARS: usize = 160;

/// Blocks whose text is split into paragraphs.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "br"
            | "hr"
            | "aside"
            | "main"
            | "nav"
            | "form"
            | "address"
            | "center"
    )
}

/// Below this many characters of body a single strict scoring pass is distrusted and the page is
/// scored again with dom_smoothie's full sequence of ever looser policies.
const STRICT_PASS_MIN_CHARS: usize = 500;

/// Removes chrome from the page, runs main-content scoring and returns the body's paragraphs.
///
/// `doc` is `html` already parsed. A single strict pass comes first because dom_smoothie's own
/// multi-pass `parse` deep-copies the tree before every attempt; the page is parsed again and
/// given the full sequence only when the strict pass finds too little.
pub(super) fn extract(
    html: &str,
    doc: Document,
    url: Option<&str>,
    title: Option<&str>,
) -> Option<Vec<String>> {
    let strict = score_and_collect(doc, url, title, Some(ParsePolicy::Strict));
    let cleaned_chars = strict
        .paragraphs
        .as_ref()
        .map_or(0, |p| p.iter().map(String::len).sum::<usize>());
    // The full sequence starts with this same strict attempt and stops there when the chosen
    // content reaches its character threshold: it would return the very same body.
    let full_would_repeat = strict
        .scored_chars
        .is_some_and(|chars| chars >= config().char_threshold);
    if cleaned_chars >= STRICT_PASS_MIN_CHARS || full_would_repeat {
        return strict.paragraphs;
    }
    score_and_collect(super::limits::parse(html), url, title, None)
        .paragraphs
        .filter(|p| !p.is_empty())
        .or(strict.paragraphs)
}

/// dom_smoothie's settings for every pass.
fn config() -> Config {
    Config {
        // Class names survive into the chosen content so that the walk can still see them.
        keep_classes: true,
        // JSON-LD is read by our own metadata pass over the untouched page.
        disable_json_ld: true,
        ..Config::default()
    }
}

/// The outcome of one scoring pass.
struct Scored {
    /// The cleaned paragraphs; `None` when nothing was chosen or nothing survived cleaning.
    paragraphs: Option<Vec<String>>,
    /// Characters (white space collapsed) of the content dom_smoothie chose, before our cleaning.
    scored_chars: Option<usize>,
}

fn score_and_collect(
    doc: Document,
    url: Option<&str>,
    title: Option<&str>,
    policy: Option<ParsePolicy>,
) -> Scored {
    let mut scored = Scored {
        paragraphs: None,
        scored_chars: None,
    };
    remove_chrome(&doc);
    // dom_smoothie refuses relative URLs; the body does not depend on the URL, so drop it then.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let Ok(mut readability) = Readability::with_document(doc, url, Some(config())) else {
        return scored;
    };
    let parsed = match policy {
        Some(policy) => readability.parse_with_policy(policy),
        None => readability.parse(),
    };
    if parsed.is_err() {
        return scored;
    }
    let root = readability.doc.select("#readability-page-1");
    let Some(node) = root.nodes().first() else {
        return scored;
    };
    scored.scored_chars = Some(node.normalized_char_count());
    let mut blocks = Vec::new();
    let mut current = Block::default();
    walk(node, &mut blocks, &mut current);
    current.flush(&mut blocks);
    let paragraphs = clean_paragraphs(blocks, title);
    scored.paragraphs = (!paragraphs.is_empty()).then_some(paragraphs);
    scored
}

/// Removes elements that are chrome by tag or by class/id words.
///
/// Class names lie now and then (a whole page wrapped in `<form>`, an article body classed
/// `paywall` or `read-more`), so an element that holds a large share of the page's paragraph
/// text is never removed.
fn remove_chrome(doc: &Document) {
    let page_paragraph_chars = paragraph_chars(&doc.root());
    let mut doomed: Vec<NodeRef> = Vec::new();
    // Pre-order walk that does not enter doomed elements: whatever is inside goes with them.
    let mut stack: Vec<NodeRef> = doc.root().children_it(true).collect();
    while let Some(node) = stack.pop() {
        if !node.is_element() {
            continue;
        }
        let Some(name) = node.node_name() else {
            continue;
        };
        let verdict = if CHROME_TAGS.contains(name.as_ref()) {
            Verdict::Always
        } else if matches!(name.as_ref(), "html" | "body" | "main" | "article") {
            Verdict::Keep
        } else {
            let mut verdict = Verdict::Keep;
            for attr in ["class", "id"] {
                if let Some(value) = node.attr(attr) {
                    verdict = verdict.max(classify_words(&value));
                }
            }
            verdict
        };
        let remove = match verdict {
            Verdict::Keep => false,
            // A paragraph is judged by its class only when it is short (a caption or credit line);
            // a long one classed, say, `lead-meta` is still running text.
            Verdict::Always | Verdict::Short if name.as_ref() == "p" => {
                text_len_within(&node, SHORT_CHROME_MAX_CHARS)
            }
            Verdict::Always => {
                let own = paragraph_chars(&node);
                own < 200 || own * 10 < page_paragraph_chars * 4
            }
            Verdict::Short => text_len_within(&node, SHORT_CHROME_MAX_CHARS),
        };
        if remove {
            doomed.push(node);
        } else {
            stack.extend(node.children_it(true));
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// Characters of text sitting directly in `<p>` elements under `node`: a cheap measure of how
/// much running prose an element holds.
fn paragraph_chars(node: &NodeRef) -> usize {
    let mut total = 0;
    for d in node.descendants_it() {
        if d.is_text()
            && d.parent()
                .is_some_and(|p| p.node_name().as_deref() == Some("p"))
        {
            total += d.text().len();
        }
    }
    total
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Keep,
    Short,
    Always,
}

/// Splits a class/id value into lower-case words (on spaces, `-`, `_`, digits and camelCase humps)
/// and looks each up among the chrome words.
fn classify_words(value: &str) -> Verdict {
    let words = &*CHROME_WORDS;
    let mut verdict = Verdict::Keep;
    let mut word = String::new();
    let mut prev_lower = false;
    // `Some(Keep)` as soon as a keep word is seen: it overrides everything else.
    let check = |word: &mut String, verdict: &mut Verdict| -> Option<Verdict> {
        let class = (word.len() <= words.longest)
            .then(|| words.classes.get(word.as_str()))
            .flatten();
        word.clear();
        match class {
            Some(WordClass::Keep) => return Some(Verdict::Keep),
            Some(WordClass::Always) => *verdict = Verdict::Always,
            Some(WordClass::Short) => *verdict = (*verdict).max(Verdict::Short),
            None => {}
        }
        None
    };
    for ch in value.chars() {
        let (alphabetic, upper, lower) = if ch.is_ascii() {
            (
                ch.is_ascii_alphabetic(),
                ch.is_ascii_uppercase(),
                ch.is_ascii_lowercase(),
            )
        } else {
            (ch.is_alphabetic(), ch.is_uppercase(), ch.is_lowercase())
        };
        if alphabetic {
            if upper && prev_lower {
                if let Some(keep) = check(&mut word, &mut verdict) {
                    return keep;
                }
            }
            prev_lower = lower;
            if ch.is_ascii() {
                word.push(ch.to_ascii_lowercase());
            } else {
                word.extend(ch.to_lowercase());
            }
        } else {
            prev_lower = false;
            if !word.is_empty() {
                if let Some(keep) = check(&mut word, &mut verdict) {
                    return keep;
                }
            }
        }
    }
    if !word.is_empty() {
        if let Some(keep) = check(&mut word, &mut verdict) {
            return keep;
        }
    }
    verdict
}

/// Whether the element's text is at most `limit` characters, stopping early once it is not.
fn text_len_within(node: &NodeRef, limit: usize) -> bool {
    let mut total = 0usize;
    for d in node.descendants_it() {
        if d.is_text() {
            total += d.text().trim().chars().count();
            if total > limit {
                return false;
            }
        }
    }
    true
}

/// One block of text gathered from the chosen content, with how much of it sits inside links.
#[derive(Default)]
struct Block {
    text: String,
    link_chars: usize,
    heading: bool,
}

/// A paragraph candidate before line-level cleaning.
struct RawParagraph {
    text: String,
    link_chars: usize,
    heading: bool,
}

impl Block {
    fn flush(&mut self, out: &mut Vec<RawParagraph>) {
        let text = self.text.trim();
        if !text.is_empty() {
            out.push(RawParagraph {
                text: text.to_string(),
                link_chars: self.link_chars,
                heading: self.heading,
            });
        }
        self.text.clear();
        self.link_chars = 0;
        self.heading = false;
    }

    /// Appends text with runs of white space collapsed to one space.
    fn push_text(&mut self, text: &str, in_link: bool) {
        let mut last_space = self.text.is_empty() || self.text.ends_with(' ');
        for ch in text.chars() {
            if ch.is_whitespace() {
                if !last_space {
                    self.text.push(' ');
                    last_space = true;
                }
            } else {
                self.text.push(ch);
                last_space = false;
                if in_link {
                    self.link_chars += 1;
                }
            }
        }
    }
}

/// Depth-first text walk without recursion, so deeply nested pages cannot overflow the stack.
///
/// Hand-written because dom_smoothie hands back one flat string (or HTML to parse again), while
/// we need paragraph boundaries and, per paragraph, how much of it is link text.
fn walk(root: &NodeRef, out: &mut Vec<RawParagraph>, current: &mut Block) {
    // Each stack entry is a node to enter, or the closing of a block / link element.
    enum Step<'a> {
        Enter(NodeRef<'a>, bool),
        CloseBlock,
    }
    let mut stack: Vec<Step> = root
        .children_it(true)
        .map(|c| Step::Enter(c, false))
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::CloseBlock => current.flush(out),
            Step::Enter(node, in_link) => {
                if node.is_text() {
                    current.push_text(&node.text(), in_link);
                    continue;
                }
                if !node.is_element() {
                    continue;
                }
                let Some(name) = node.node_name() else {
                    continue;
                };
                let block = is_block(&name);
                if block {
                    current.flush(out);
                    stack.push(Step::CloseBlock);
                }
                if matches!(name.as_ref(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    current.heading = true;
                }
                if matches!(name.as_ref(), "td" | "th") {
                    // Cells of a row stay on one line, kept apart by a space.
                    current.push_text(" ", false);
                }
                let link = in_link || name.as_ref() == "a";
                for child in node.children_it(true) {
                    stack.push(Step::Enter(child, link));
                }
            }
        }
    }
}

/// Drops paragraphs that read as chrome: credit and widget lines, stand-alone datelines, short
/// link-only blocks (related stories), exact repeats (captions shown twice) and the title.
fn clean_paragraphs(raw: Vec<RawParagraph>, title: Option<&str>) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let title_key = title.map(normalise_key);
    let mut out = Vec::with_capacity(raw.len());
    for p in raw {
        let chars = p.text.chars().count();
        if chars <= LINK_BLOCK_MAX_CHARS && p.link_chars * 10 >= chars * 8 {
            continue;
        }
        if is_chrome_line(&p.text) || is_dateline(&p.text) {
            continue;
        }
        let key = normalise_key(&p.text);
        if p.heading && title_key.as_deref() == Some(key.as_str()) {
            continue;
        }
        if !seen.insert(key) {
            continue;
        }
        out.push(p.text);
    }
    out
}

/// Lower-case letters and digits only: the key for spotting repeats of a paragraph.
fn normalise_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                key.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// Whether a whole paragraph is a credit, counter or widget label.
pub(super) fn is_chrome_line(text: &str) -> bool {
    text.len() <= 600 && CHROME_LINES.iter().any(|r| r.is_match(text))
}

/// Whether a short paragraph consists only of date words, numbers and punctuation.
pub(super) fn is_dateline(text: &str) -> bool {
    if text.chars().count() > 80 || !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // A bare number is a table cell or a count, not a date: ask for a date word or a separator.
    let shaped = text.contains([':', '.', '/', '-'])
        || text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| !w.is_empty());
    shaped
        && text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| {
                w.chars().all(|c| c.is_ascii_digit())
                    || DATE_WORDS.contains(w.to_lowercase().as_str())
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_line_patterns_compile() {
        for pattern in data_lines(include_str!("../../data/html_boilerplate_lines.txt")) {
            assert!(
                Regex::new(&format!("(?i){pattern}")).is_ok(),
                "bad pattern {pattern}"
            );
        }
        let count = data_lines(include_str!("../../data/html_boilerplate_lines.txt")).count();
        assert_eq!(CHROME_LINES.len(), count);
    }

    #[test]
    fn class_words_split_on_case_and_punctuation() {
        assert_eq!(classify_words("article__photoCaption"), Verdict::Always);
        assert_eq!(classify_words("share-bar top"), Verdict::Always);
        assert_eq!(classify_words("post-meta"), Verdict::Short);
        assert_eq!(classify_words("article-body"), Verdict::Keep);
        // "shared" is not "share": whole words only.
        assert_eq!(classify_words("shared-content"), Verdict::Keep);
        // An embedded post quotes a source: kept although "social" marks chrome.
        assert_eq!(classify_words("social-media-embed"), Verdict::Keep);
    }

    #[test]
    fn datelines_and_credits_are_recognised() {
        assert!(is_dateline("June 23, 2025, 8:42 a.m."));
        assert!(is_dateline(
            "Updated 5:27 am EST, Wednesday, November 20, 2024"
        ));
        assert!(is_dateline("23 июня 2025, 10:15"));
        assert!(is_dateline("Thur. 5 Sept. 2024"));
        assert!(is_dateline("12 янв. 2025"));
        assert!(is_dateline("23.06.2025"));
        assert!(!is_dateline("63"), "a bare number is a table cell");
        assert!(!is_dateline(
            "On June 23 three men were detained in Bakhchysarai."
        ));
        assert!(is_chrome_line("Photo: Crimean Solidarity"));
        assert!(is_chrome_line("Image 1 of 8"));
        assert!(is_chrome_line(
            "A search in Bilohirsk on Tuesday morningCredit: Crimean Solidarity"
        ));
        assert!(!is_chrome_line(
            "The court in Simferopol extended the arrest of four men by two months."
        ));
    }
}
