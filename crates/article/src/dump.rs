//! Pre-scraped text dumps → [`Article`].
//!
//! A dump is what a scraper copied off a news page as plain text: a title line (sometimes twice),
//! a dateline before or after it, picture credits, the body, a byline, and then whatever else the
//! page showed — related headlines with their dates, sharing and comment widgets, copyright lines,
//! log-in forms. The phrases that mark that chrome are data (`data/dump_chrome.txt`); this module
//! only walks the lines: header, body, byline, tail.

use crate::{date, ArticleError};
use casebook_model::Article;
use std::sync::LazyLock;

/// The longest line still taken for a title; longer first lines are body text.
const MAX_TITLE_CHARS: usize = 300;
/// How much longer than an `[ends-article]` phrase a line may be and still be that chrome
/// ("Copyright ©2014-2022 EMPR", "Comments (3)").
const MAX_CHROME_EXTRA_CHARS: usize = 30;
/// The longest line still taken for a bare byline (a name on its own line).
const MAX_BYLINE_CHARS: usize = 60;
/// The most words a rubric line ("Новость", "News", "Суспільство") or a site name has; a first
/// title of no more words gives way to a longer headline below it.
const MAX_RUBRIC_WORDS: usize = 2;
/// The longest line that replaces a rubric or site name taken for the title.
const MAX_HEADLINE_CHARS: usize = 200;
/// The most words of one step of a breadcrumb trail ("Новости Крыма").
const MAX_BREADCRUMB_WORDS: usize = 3;
/// The most words after the date on a rubric dateline ("• 12 ноября 2019 в России, Общество").
const MAX_DATELINE_EXTRA_WORDS: usize = 6;
/// A paragraph of at least this many words is body text even without a closing full stop.
const MIN_SENTENCE_WORDS: usize = 25;
/// The most lines the body loop may give back to the header when a dateline follows them.
const MAX_LATE_HEADER_LINES: usize = 4;

struct Chrome {
    ends_article: Vec<String>,
    drop_line: Vec<String>,
    credit: Vec<String>,
    language_label: Vec<String>,
    not_a_name: Vec<String>,
}

static CHROME: LazyLock<Chrome> = LazyLock::new(|| {
    let mut chrome = Chrome {
        ends_article: Vec::new(),
        drop_line: Vec::new(),
        credit: Vec::new(),
        language_label: Vec::new(),
        not_a_name: Vec::new(),
    };
    let mut section = None;
    for line in include_str!("../data/dump_chrome.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line {
            "[ends-article]" => section = Some(&mut chrome.ends_article),
            "[drop-line]" => section = Some(&mut chrome.drop_line),
            "[credit]" => section = Some(&mut chrome.credit),
            "[language-label]" => section = Some(&mut chrome.language_label),
            "[not-a-name]" => section = Some(&mut chrome.not_a_name),
            phrase => {
                if let Some(list) = section.as_deref_mut() {
                    list.push(phrase.to_lowercase());
                }
            }
        }
    }
    chrome
});

/// Byline prefixes ("By", "Author:", "Автор:"), from the same data file's neighbour.
static BYLINE_PREFIXES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/byline_prefixes.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Extracts the article from a pre-scraped plain-text dump. `source` becomes the article's
/// `source` and provisional `id` (the [`crate::extract`] entry point replaces the id with the
/// original's hash).
pub fn extract_text_dump(source: &str, text: &str) -> Result<Article, ArticleError> {
    let blocks = blocks(text);
    if blocks.is_empty() {
        return Err(ArticleError::NoArticle);
    }
    let wrapped = is_hard_wrapped(&blocks);
    let lines: Vec<Line<'_>> = blocks
        .iter()
        .enumerate()
        .flat_map(|(block, lines)| lines.iter().map(move |text| Line { text, block }))
        .collect();

    let mut article = Article {
        id: source.to_string(),
        source: source.to_string(),
        ..Article::default()
    };
    let mut position = 0;

    // Header: datelines, picture credits, "By" lines, the title and its repetitions, rubric
    // lines and the page's language switcher.
    while let Some(line) = lines.get(position) {
        let text = line.text;
        if let Some(found) = date::parse(text).or_else(|| rubric_dateline(text)) {
            article
                .published
                .get_or_insert_with(|| found.published("dateline"));
        } else if is_credit(text)
            || is_dropped(text)
            || is_language_switcher(text)
            || is_breadcrumb(text)
        {
        } else if let Some(author) = prefixed_byline(text) {
            article.authors.push(author);
        } else if article.title.is_none() && looks_like_title(text) {
            article.title = Some(text.to_string());
        } else if article.title.as_deref().is_some_and(|t| same_text(t, text)) {
        } else if article
            .title
            .as_deref()
            .is_some_and(|title| is_better_headline(title, text))
        {
            // The first line was the site's name or a rubric, not the headline.
            article.title = Some(text.to_string());
        } else if article.title.is_some() && is_rubric(text) {
        } else {
            break;
        }
        position += 1;
    }

    // Body: up to the first line that ends the article, or a standalone date (a related
    // headline's date, or the article's own dateline printed below it).
    let mut body: Vec<Line<'_>> = Vec::new();
    while let Some(line) = lines.get(position) {
        let text = line.text;
        if ends_article(text) {
            break;
        }
        if let Some(found) = date::parse(text) {
            if article.published.is_none() && is_late_header(&body) {
                // What came before this dateline was header, not body: a headline below the
                // site's name or language switcher, a rubric.
                take_late_header(&mut article, &body);
                article
                    .published
                    .get_or_insert_with(|| found.published("dateline"));
                body.clear();
                position += 1;
                continue;
            }
            let tail_has_dates = lines[position + 1..]
                .iter()
                .take_while(|l| !ends_article(l.text))
                .any(|l| date::parse(l.text).is_some());
            if article.published.is_none() && !tail_has_dates {
                article.published = Some(found.published("dateline"));
            }
            break;
        }
        if !is_credit(text) && !is_dropped(text) {
            body.push(*line);
        }
        position += 1;
    }

    // Byline: the body's last line, when it is a name and nothing else.
    if let Some(last) = body.last() {
        if let Some(author) = prefixed_byline(last.text).or_else(|| bare_name(last.text)) {
            article.authors.push(author);
            body.pop();
        }
    }

    article.paragraphs = paragraphs(&body, wrapped);
    if article.paragraphs.is_empty() {
        return Err(if article.title.is_some() || position > 0 {
            ArticleError::OnlyChrome
        } else {
            ArticleError::NoArticle
        });
    }
    Ok(article)
}

/// One non-blank line and the blank-line-separated block it belongs to.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    block: usize,
}

/// Non-blank lines, trimmed, grouped into blocks separated by blank lines.
fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// True when the dump's paragraphs were wrapped at a fixed width (several lines per block, none
/// much longer than a terminal line): then the lines of a block join into one paragraph.
/// Otherwise every line is a paragraph of its own, as scrapers usually write them.
fn is_hard_wrapped(blocks: &[Vec<&str>]) -> bool {
    let lengths: Vec<usize> = blocks.iter().flatten().map(|l| l.chars().count()).collect();
    let multi_line_blocks = blocks.iter().filter(|b| b.len() >= 3).count();
    let longest = lengths.iter().copied().max().unwrap_or(0);
    multi_line_blocks >= 1 && longest <= 100 && lengths.iter().filter(|&&n| n >= 50).count() >= 3
}

fn paragraphs(body: &[Line<'_>], wrapped: bool) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut previous_block = None;
    for line in body {
        match paragraphs.last_mut() {
            Some(last) if wrapped && previous_block == Some(line.block) => {
                last.push(' ');
                last.push_str(line.text);
            }
            _ => paragraphs.push(line.text.to_string()),
        }
        previous_block = Some(line.block);
    }
    paragraphs
}

/// Lower-cases and strips trailing punctuation and white space, for comparing lines.
fn key(text: &str) -> String {
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '!' | '…'))
        .to_lowercase()
}

fn same_text(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

/// True when `line` (lower-cased) starts with `phrase` followed by a non-letter or nothing.
fn starts_with_phrase(line: &str, phrase: &str) -> bool {
    line.strip_prefix(phrase)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphabetic()))
}

fn ends_article(text: &str) -> bool {
    let line = key(text);
    CHROME.ends_article.iter().any(|phrase| {
        let phrase = key(phrase);
        line == phrase
            || (starts_with_phrase(&line, &phrase)
                && line.chars().count() <= phrase.chars().count() + MAX_CHROME_EXTRA_CHARS
                && !text.trim_end().ends_with(['.', '!', '?']))
    })
}

fn is_dropped(text: &str) -> bool {
    let line = text.to_lowercase();
    CHROME
        .drop_line
        .iter()
        .any(|phrase| starts_with_phrase(&line, phrase))
}

fn is_credit(text: &str) -> bool {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .or_else(|| text.strip_prefix('[').and_then(|t| t.strip_suffix(']')));
    let Some(inner) = inner else {
        return false;
    };
    let inner = inner.trim().to_lowercase();
    CHROME
        .credit
        .iter()
        .any(|phrase| starts_with_phrase(&inner, phrase))
}

/// True when the lines read so far as body hold no sentence and are few: the header went on
/// past them (a dateline follows).
fn is_late_header(body: &[Line<'_>]) -> bool {
    !body.is_empty()
        && body.len() <= MAX_LATE_HEADER_LINES
        && body.iter().all(|line| !is_sentence(line.text))
}

/// Reads header lines the body loop took: the longest title-like one is the headline when the
/// title found so far is missing or only a rubric or site name.
fn take_late_header(article: &mut Article, lines: &[Line<'_>]) {
    for line in lines {
        let title = article.title.as_deref();
        if title.is_none_or(|t| is_better_headline(t, line.text))
            && looks_like_title(line.text)
            && !is_rubric(line.text)
        {
            article.title = Some(line.text.to_string());
        } else if article.authors.is_empty() {
            if let Some(author) = bare_name(line.text) {
                article.authors.push(author);
            }
        }
    }
}

/// A paragraph of running text: it ends a sentence (maybe inside quotes or brackets), or is
/// too long for a headline.
fn is_sentence(text: &str) -> bool {
    let end = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '»' | '”' | '’' | ')' | ']')
    });
    (end.ends_with(['.', '!', '?', '…']) && !end.ends_with("..."))
        || text.split_whitespace().count() >= MIN_SENTENCE_WORDS
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A short line of words (no digits, no sentence punctuation) that is not a person's name: a
/// rubric ("Новость", "News", "Haber") or a site's name.
fn is_rubric(text: &str) -> bool {
    let words = word_count(text);
    (1..=MAX_RUBRIC_WORDS).contains(&words)
        && !text.chars().any(|c| c.is_ascii_digit())
        && !is_sentence(text)
        && !text.ends_with([':', ','])
        && (words == 1 || bare_name(text).is_none())
}

/// True when `candidate` is the headline and `title`, taken before it, was a rubric or the
/// site's name: the title is that short and the candidate a longer headline.
fn is_better_headline(title: &str, candidate: &str) -> bool {
    is_rubric(title)
        && looks_like_title(candidate)
        && candidate.chars().count() <= MAX_HEADLINE_CHARS
        && word_count(candidate) > MAX_RUBRIC_WORDS
}

/// A line that opens with a date and goes on with a few words of rubric and place, no sentence
/// ("• 12 ноября 2019 в России, Общество"): the article's dateline.
fn rubric_dateline(text: &str) -> Option<date::HumanDate> {
    let (found, range) = date::find(text)?;
    let before_is_bullet = text[..range.start]
        .chars()
        .all(|c| c.is_whitespace() || !c.is_alphanumeric());
    let after = &text[range.end..];
    (before_is_bullet && word_count(after) <= MAX_DATELINE_EXTRA_WORDS && !is_sentence(after))
        .then_some(found)
}

/// "Головна › Новини › Крим", "Home / News / Crimea": a trail of short links to the sections
/// above the page.
fn is_breadcrumb(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split(['›', '»', '>', '/', '→', '|'])
        .map(str::trim)
        .collect();
    parts.len() >= 3
        && parts.iter().all(|part| {
            (1..=MAX_BREADCRUMB_WORDS).contains(&word_count(part))
                && part.chars().any(char::is_alphabetic)
                && !is_sentence(part)
        })
}

/// "UA EN", "ua | en | ru": every word the name of a language version.
fn is_language_switcher(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | '·' | '•'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.len() >= 2 && words.iter().all(|w| CHROME.language_label.contains(w))
}

fn looks_like_title(text: &str) -> bool {
    let length = text.chars().count();
    // Headlines rarely end with a full stop; body sentences nearly always do.
    let ends_a_sentence = text.ends_with('.') && !text.ends_with("...");
    length <= MAX_TITLE_CHARS && !ends_a_sentence
}

/// "By Anna Balchinos", "Автор: Анна Бальчінос" → the name.
fn prefixed_byline(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    BYLINE_PREFIXES.iter().find_map(|prefix| {
        if !starts_with_phrase(&lower, prefix) {
            return None;
        }
        // Lower-casing can change byte lengths, so the prefix is cut by characters.
        let rest: String = text.chars().skip(prefix.chars().count()).collect();
        bare_name(rest.trim_start_matches([':', ' ', '\u{a0}']).trim())
    })
}

/// True when `text` names a widget, a sharing button or a rubric rather than a person
/// ("FACEBOOK КОМЕНТАРІ", "Поділитися"): it holds a `[not-a-name]` word or is a line that ends
/// the article.
pub(crate) fn is_widget_line(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let word = w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
        CHROME.not_a_name.contains(&word)
    }) || ends_article(text)
}

/// A line that is a person's name and nothing else: two to four capitalised words of letters
/// (in any script), hyphens and apostrophes, no digits, no sentence punctuation.
fn bare_name(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_BYLINE_CHARS {
        return None;
    }
    if is_widget_line(text) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_name_word = |w: &&str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            && !w.ends_with("..")
    };
    ((2..=4).contains(&words.len()) && words.iter().all(is_name_word)).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_data_loads() {
        assert!(CHROME
            .ends_article
            .iter()
            .any(|p| p == "you might also like"));
        assert!(CHROME.drop_line.len() > 5);
        assert!(CHROME.credit.iter().any(|p| p == "фото"));
        assert!(BYLINE_PREFIXES.iter().any(|p| p == "by"));
    }

    #[test]
    fn chrome_lines_are_recognised_and_body_lines_are_not() {
        for chrome in [
            "You might also like:",
            "Share this:",
            "Copyright ©2014-2022 EMPR",
            "© 2025 Crimean News",
            "Comments (3)",
            "Поділитися",
        ] {
            assert!(ends_article(chrome), "{chrome}");
        }
        for body in [
            "Share prices of the port fell after the raid.",
            "Comments by the lawyer were not reported by the court press service, which refused to say more.",
            "Copyrighted materials were seized.",
        ] {
            assert!(!ends_article(body), "{body}");
        }
        assert!(is_credit("(PHOTO: Qirim Media)"));
        assert!(is_credit("[Фото: Кримська правозахисна група]"));
        assert!(!is_credit("(The court did not explain why.)"));
        assert!(is_dropped(
            "Read also: Occupiers search homes in Bakhchysarai"
        ));
        assert!(is_breadcrumb("Home / News / Crimea"));
        assert!(!is_breadcrumb("12/05/2024"));
        assert!(!is_breadcrumb(
            "Court: 3 / 4 / 5 of the charges were dropped by the judge today"
        ));
    }

    #[test]
    fn bylines() {
        assert_eq!(
            bare_name("Анна Бальчінос").as_deref(),
            Some("Анна Бальчінос")
        );
        assert_eq!(
            bare_name("Mary-Jane O'Neil").as_deref(),
            Some("Mary-Jane O'Neil")
        );
        assert_eq!(bare_name("The court refused."), None);
        assert_eq!(bare_name("Dzhemilev"), None);
        assert_eq!(
            prefixed_byline("By Elmaz Seitova").as_deref(),
            Some("Elmaz Seitova")
        );
        assert_eq!(
            prefixed_byline("Автор: Ельмаз Сеїтова").as_deref(),
            Some("Ельмаз Сеїтова")
        );
        assert_eq!(prefixed_byline("Bypass road closed"), None);
    }

    #[test]
    fn hard_wrapped_dumps_join_their_lines() {
        let dump = "Searches in Bilohirsk\n\n\
            Officers searched the homes of three Crimean Tatar families in\n\
            Bilohirsk early on Tuesday, relatives told the Crimean Solidarity\n\
            initiative. Two men were taken away for questioning.\n\n\
            A lawyer was not allowed into the house while the search went on,\n\
            according to the relatives, who filmed the officers at the gate.\n";
        let article = extract_text_dump("d.txt", dump).unwrap();
        assert_eq!(article.title.as_deref(), Some("Searches in Bilohirsk"));
        assert_eq!(article.paragraphs.len(), 2);
        assert!(article.paragraphs[0].starts_with(
            "Officers searched the homes of three Crimean Tatar families in Bilohirsk"
        ));
    }
}
