//! Reading one annotated file: the body with its `[[surface|person-id]]` marks, then the gold lines.

use crate::error::CorpusError;
use casebook_model::FuzzyDate;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The line that separates the article from its gold annotations.
pub const GOLD_MARKER: &str = "==== gold";

/// Event type ids a gold line may use (the taxonomy of `shared/reference/domain.md`).
static EVENT_TYPES: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/event_types.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The event type ids of the taxonomy, in alphabetical order.
pub fn event_types() -> impl Iterator<Item = &'static str> {
    EVENT_TYPES.iter().copied()
}

/// One marked person mention, located in [`AnnotatedArticle::raw`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldMention {
    /// Character offset of the first character in `raw`.
    pub start: usize,
    /// Character offset just past the last character in `raw`.
    pub end: usize,
    /// The surface text exactly as it stands in `raw`.
    pub text: String,
    /// The corpus-wide id of the person named.
    pub person_id: String,
}

/// One persecution event the article asserts.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    /// A type id of the taxonomy (`detention`, `sentence`, …).
    pub event_type: String,
    /// Person ids of the named victims.
    pub victims: Vec<String>,
    /// Number of unnamed victims, when the text counts them.
    pub group: Option<u32>,
    /// The event's date at the precision the text gives.
    pub date: Option<FuzzyDate>,
    /// Names the real-world event, shared by articles that report the same event.
    pub key: Option<String>,
    /// Type-specific details: `article`, `part`, `term`, `regime`, `amount`, `days`, `destination` …
    pub details: BTreeMap<String, String>,
    /// Set when the article only relays a party's claim of the event (`FSB press office`): such
    /// events are recorded for reference but are not scored (see `corpus/FORMAT.md`).
    pub claimed_by: Option<String>,
    /// 1-based line of the annotated file this event was read from.
    pub line: usize,
}

impl GoldEvent {
    /// True when the event has no named victim, so it is scored as one `(type, "group")` item.
    pub fn is_unnamed(&self) -> bool {
        self.victims.is_empty()
    }
}

/// People prosecuted together, under the name this article gives their case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldCase {
    /// The case's name as the article writes it.
    pub name: String,
    /// Person ids of the defendants the article names.
    pub defendants: Vec<String>,
    /// 1-based line of the annotated file this case was read from.
    pub line: usize,
}

/// One corpus article: the exact pipeline input and what a careful reader finds in it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedArticle {
    /// The file name (`007-kuku-appeal.txt`), used in messages and reports.
    pub name: String,
    /// The article with the markup removed: exactly what the pipeline reads.
    pub raw: String,
    /// Every marked person mention, in text order.
    pub mentions: Vec<GoldMention>,
    /// The persecution events the article reports, in file order.
    pub events: Vec<GoldEvent>,
    /// The cases (people prosecuted together) the article names.
    pub cases: Vec<GoldCase>,
}

impl AnnotatedArticle {
    /// The distinct person ids marked in the body, in order of first mention.
    pub fn person_ids(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.mentions
            .iter()
            .map(|m| m.person_id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// The date of the article's first non-empty line (its dateline), if it holds one.
    pub fn dateline(&self) -> Option<FuzzyDate> {
        let first = self.raw.lines().find(|l| !l.trim().is_empty())?;
        crate::dateline::parse_dateline(first)
    }

    /// Number of whitespace-separated words of `raw` (chrome included).
    pub fn word_count(&self) -> usize {
        self.raw.split_whitespace().count()
    }
}

/// Parses one annotated file. `name` is used for the article's name and in error messages.
pub fn parse(name: &str, annotated: &str) -> Result<AnnotatedArticle, CorpusError> {
    let (body, gold, gold_first_line) = split_gold(name, annotated)?;
    let (raw, mentions) = strip_markup(name, body)?;
    if raw.trim().is_empty() {
        return Err(CorpusError::Structure {
            file: name.to_string(),
            reason: "the article body is empty".into(),
        });
    }
    let marked: BTreeSet<&str> = mentions.iter().map(|m| m.person_id.as_str()).collect();
    let mut events = Vec::new();
    let mut cases = Vec::new();
    for (i, line) in gold.lines().enumerate() {
        let line_no = gold_first_line + i;
        let line = line.trim();
        // Blank lines and `#` comments let annotators explain a decision (a trap left unmarked).
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_gold_line(name, line_no, line, &marked)? {
            GoldLine::Event(e) => events.push(e),
            GoldLine::Case(c) => cases.push(c),
        }
    }
    Ok(AnnotatedArticle {
        name: name.to_string(),
        raw,
        mentions,
        events,
        cases,
    })
}

/// Splits at the `==== gold` line: the body (with its final newline), the gold text, and the
/// 1-based line number of the first gold line.
fn split_gold<'a>(
    name: &str,
    annotated: &'a str,
) -> Result<(&'a str, &'a str, usize), CorpusError> {
    let mut offset = 0;
    for (i, line) in annotated.split_inclusive('\n').enumerate() {
        if line.trim_end() == GOLD_MARKER {
            let body = &annotated[..offset];
            let gold = &annotated[offset + line.len()..];
            return Ok((body, gold, i + 2));
        }
        offset += line.len();
    }
    Err(CorpusError::Structure {
        file: name.to_string(),
        reason: format!("no `{GOLD_MARKER}` line separates the article from its annotations"),
    })
}

/// Removes `[[surface|person-id]]` marks, recording each mention's character span in the result.
///
/// Written by hand rather than with a regex so that every malformed mark gets a message with its
/// line, instead of being silently left in the text.
fn strip_markup(name: &str, body: &str) -> Result<(String, Vec<GoldMention>), CorpusError> {
    let mut raw = String::with_capacity(body.len());
    let mut raw_chars = 0usize;
    let mut mentions = Vec::new();
    let mut line = 1usize;
    let mut rest = body;
    while !rest.is_empty() {
        let next_open = rest.find("[[");
        let next_close = rest.find("]]");
        if let Some(close) = next_close {
            if next_open.is_none_or(|open| close < open) {
                line += rest[..close].matches('\n').count();
                return Err(CorpusError::markup(
                    name,
                    line,
                    "`]]` without an opening `[[`",
                ));
            }
        }
        let Some(open) = next_open else {
            raw.push_str(rest);
            break;
        };
        let before = &rest[..open];
        raw.push_str(before);
        raw_chars += before.chars().count();
        line += before.matches('\n').count();
        let inner_start = open + 2;
        let after_open = &rest[inner_start..];
        let close = after_open
            .find("]]")
            .ok_or_else(|| CorpusError::markup(name, line, "`[[` is never closed by `]]`"))?;
        let inner = &after_open[..close];
        if inner.contains('\n') {
            return Err(CorpusError::markup(
                name,
                line,
                "a mark spans a line break (is a `]]` missing?)",
            ));
        }
        if inner.contains("[[") {
            return Err(CorpusError::markup(name, line, "marks cannot be nested"));
        }
        let (surface, id) = inner.rsplit_once('|').ok_or_else(|| {
            CorpusError::markup(
                name,
                line,
                "a mark needs the form [[surface text|person-id]]",
            )
        })?;
        if surface.is_empty() || surface.trim() != surface {
            return Err(CorpusError::markup(
                name,
                line,
                "the surface text is empty or starts or ends with a space",
            ));
        }
        if surface.contains('|') {
            return Err(CorpusError::markup(
                name,
                line,
                "a mark has more than one `|`",
            ));
        }
        if !is_valid_id(id) {
            return Err(CorpusError::markup(
                name,
                line,
                "the person id must be lower-case ASCII words joined by single hyphens",
            ));
        }
        let len = surface.chars().count();
        mentions.push(GoldMention {
            start: raw_chars,
            end: raw_chars + len,
            text: surface.to_string(),
            person_id: id.to_string(),
        });
        raw.push_str(surface);
        raw_chars += len;
        rest = &after_open[close + 2..];
    }
    Ok((raw, mentions))
}

/// `nariman-dzhelyal`, `asan-akhtemov-2`: lower-case ASCII letters and digits in hyphen-joined words.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

enum GoldLine {
    Event(GoldEvent),
    Case(GoldCase),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine {
    event: String,
    #[serde(default)]
    victims: Vec<String>,
    group: Option<u32>,
    date: Option<String>,
    key: Option<String>,
    #[serde(default)]
    details: BTreeMap<String, String>,
    claimed_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseLine {
    case: String,
    defendants: Vec<String>,
}

fn parse_gold_line(
    name: &str,
    line_no: usize,
    line: &str,
    marked: &BTreeSet<&str>,
) -> Result<GoldLine, CorpusError> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| CorpusError::gold(name, line_no, format!("not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(CorpusError::gold(name, line_no, "expected a JSON object"));
    };
    let check_marked = |ids: &[String], what: &str| -> Result<(), CorpusError> {
        for (i, id) in ids.iter().enumerate() {
            if !marked.contains(id.as_str()) {
                return Err(CorpusError::gold(
                    name,
                    line_no,
                    format!("{what} {} is not marked anywhere in the body", i + 1),
                ));
            }
        }
        Ok(())
    };
    if object.contains_key("event") {
        let e: EventLine = serde_json::from_value(value)
            .map_err(|e| CorpusError::gold(name, line_no, format!("event line: {e}")))?;
        if !EVENT_TYPES.contains(e.event.as_str()) {
            return Err(CorpusError::gold(
                name,
                line_no,
                format!("unknown event type `{}`", e.event),
            ));
        }
        check_marked(&e.victims, "victim")?;
        if e.group == Some(0) {
            return Err(CorpusError::gold(
                name,
                line_no,
                "`group` counts unnamed victims and cannot be 0 (leave it out when uncounted)",
            ));
        }
        let date = match e.date {
            None => None,
            Some(d) => Some(FuzzyDate::parse(&d).ok_or_else(|| {
                CorpusError::gold(
                    name,
                    line_no,
                    format!("date `{d}` is not YYYY, YYYY-MM or YYYY-MM-DD"),
                )
            })?),
        };
        Ok(GoldLine::Event(GoldEvent {
            event_type: e.event,
            victims: e.victims,
            group: e.group,
            date,
            key: e.key,
            details: e.details,
            claimed_by: e.claimed_by,
            line: line_no,
        }))
    } else if object.contains_key("case") {
        let c: CaseLine = serde_json::from_value(value)
            .map_err(|e| CorpusError::gold(name, line_no, format!("case line: {e}")))?;
        if c.name_is_blank() {
            return Err(CorpusError::gold(name, line_no, "the case name is empty"));
        }
        check_marked(&c.defendants, "defendant")?;
        Ok(GoldLine::Case(GoldCase {
            name: c.case,
            defendants: c.defendants,
            line: line_no,
        }))
    } else {
        Err(CorpusError::gold(
            name,
            line_no,
            "a gold line must have an `event` or a `case` field",
        ))
    }
}

impl CaseLine {
    fn name_is_blank(&self) -> bool {
        self.case.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse("t.txt", text).unwrap_err().to_string()
    }

    #[test]
    fn strips_marks_and_records_char_spans() {
        let a = parse(
            "t.txt",
            "Лидер [[Нариман Джелял|nariman-dzhelyal]] and [[Dzhelyal|nariman-dzhelyal]]'s lawyer.\n==== gold\n\
             {\"event\":\"detention\",\"victims\":[\"nariman-dzhelyal\"],\"date\":\"2021-09\",\"details\":{\"place\":\"Simferopol\"}}\n",
        )
        .unwrap();
        assert_eq!(a.raw, "Лидер Нариман Джелял and Dzhelyal's lawyer.\n");
        assert_eq!(a.mentions.len(), 2);
        let chars: Vec<char> = a.raw.chars().collect();
        for m in &a.mentions {
            assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.text);
        }
        assert_eq!((a.mentions[0].start, a.mentions[0].end), (6, 20));
        assert_eq!(a.events[0].date, Some(FuzzyDate::month(2021, 9)));
        assert_eq!(a.events[0].line, 3);
        assert_eq!(a.events[0].details["place"], "Simferopol");
        assert_eq!(a.person_ids(), vec!["nariman-dzhelyal"]);
    }

    #[test]
    fn reads_cases_groups_and_comments() {
        let a = parse(
            "t.txt",
            "[[A B|a-b]] and [[C D|c-d]] were tried.\n==== gold\n\n# six others: group\n\
             {\"event\":\"search\",\"group\":6}\n{\"case\":\"X case\",\"defendants\":[\"a-b\",\"c-d\"]}\n",
        )
        .unwrap();
        assert_eq!(a.events.len(), 1);
        assert!(a.events[0].is_unnamed());
        assert_eq!(a.events[0].group, Some(6));
        assert_eq!(a.events[0].line, 5);
        assert_eq!(a.cases[0].defendants, vec!["a-b", "c-d"]);
    }

    #[test]
    fn markup_errors_name_file_and_line() {
        assert_eq!(
            err("ok\n[[Dzhelyal|nariman-dzhelyal and more\n==== gold\n"),
            "t.txt:2: bad mention markup: `[[` is never closed by `]]`"
        );
        assert!(
            err("one\ntwo\n[[Dzhelyal]]\n==== gold\n").starts_with("t.txt:3: bad mention markup")
        );
        assert!(err("x]] y\n==== gold\n").contains("without an opening"));
        assert!(err("[[Dzhelyal|Nariman Dzhelyal]]\n==== gold\n").contains("lower-case"));
        assert!(err("[[ Dzhelyal|n-d]]\n==== gold\n").contains("space"));
        assert!(err("[[Dzh\nelyal|n-d]]\n==== gold\n").contains("line break"));
        assert!(err("[[a [[b|x]]|y]]\n==== gold\n").contains("nested"));
    }

    #[test]
    fn gold_errors_name_file_and_line() {
        let body = "[[A|a]] text\n==== gold\n";
        assert!(err("no marker here\n").contains("no `==== gold` line"));
        assert!(err(&format!("{body}{{\"event\":\"detention\""))
            .starts_with("t.txt:3: bad gold line: not JSON"));
        assert!(err(&format!(
            "{body}\n{{\"event\":\"arrested\",\"victims\":[\"a\"]}}"
        ))
        .starts_with("t.txt:4:"));
        assert!(err(&format!(
            "{body}{{\"event\":\"arrested\",\"victims\":[\"a\"]}}"
        ))
        .contains("unknown event type"));
        assert!(err(&format!(
            "{body}{{\"event\":\"search\",\"victims\":[\"b\"]}}"
        ))
        .contains("victim 1 is not marked"));
        assert!(err(&format!(
            "{body}{{\"event\":\"search\",\"victims\":[\"a\"],\"date\":\"2021-13\"}}"
        ))
        .contains("date"));
        assert!(err(&format!(
            "{body}{{\"event\":\"search\",\"victim\":[\"a\"]}}"
        ))
        .contains("unknown field"));
        assert!(err(&format!("{body}{{\"event\":\"search\",\"group\":0}}")).contains("cannot be 0"));
        assert!(
            err(&format!("{body}{{\"case\":\"X\",\"defendants\":[\"z\"]}}"))
                .contains("defendant 1")
        );
        assert!(err(&format!("{body}{{\"who\":\"a\"}}")).contains("`event` or a `case`"));
        assert!(err(&format!("{body}[1,2]")).contains("JSON object"));
        assert!(err("\n==== gold\n").contains("empty"));
    }
}
