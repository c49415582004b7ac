//! Page metadata: title, publication date, authors, site name, language and canonical URL.
//!
//! Read from the untouched page before the body is cut out, in order of trust: JSON-LD
//! (`NewsArticle` and kin), `<meta>` tags, `<time>` elements, a visible dateline, the URL.
//! dom_smoothie reads some of these too, but it keeps only one date string with no precision or
//! origin and parses JSON-LD by string rewriting; we need `Published { value, precision, from }`,
//! every author, and to run before its scoring pass mutates the tree.

use casebook_model::{Precision, Published};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// Metadata found on a page; every field is optional.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct PageMetadata {
    pub title: Option<String>,
    pub published: Option<Published>,
    pub authors: Vec<String>,
    pub site: Option<String>,
    /// ISO 639-1 code from `<html lang>` or `og:locale`.
    pub language: Option<String>,
    pub canonical_url: Option<String>,
}

/// JSON-LD `@type`s that describe the page's article.
const ARTICLE_TYPES: [&str; 8] = [
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "WebPage",
    "LiveBlogPosting",
];

/// `<meta>` names/properties that carry the publication date, most specific first.
const DATE_META: [&str; 12] = [
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
];

/// `<meta>` names/properties that carry an author's name.
const AUTHOR_META: [&str; 4] = [
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
];

/// Reads the metadata of a parsed page; `url` is where it was fetched from.
pub(super) fn read(doc: &Document, url: Option<&str>) -> PageMetadata {
    let mut meta = PageMetadata::default();
    let head = gather(doc);
    let ld = json_ld_article(&head.ld_blocks);
    let metas = head.metas;
    let meta_value = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(name, value)| name == k && !value.trim().is_empty())
                .map(|(_, value)| clean_space(value))
        })
    };

    // Title: the article's own headline beats the <title>, which usually carries the site name.
    meta.title = ld
        .as_ref()
        .and_then(|v| string_field(v, "headline"))
        .or_else(|| meta_value(&["og:title", "twitter:title"]))
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title"));

    meta.published = ld
        .as_ref()
        .and_then(|v| string_field(v, "datePublished"))
        .and_then(|d| parse_iso(&d, "json-ld"))
        .or_else(|| {
            DATE_META.iter().find_map(|k| {
                metas
                    .iter()
                    .filter(|(name, _)| name == k)
                    .find_map(|(_, value)| parse_iso(value, "meta"))
            })
        })
        .or_else(|| itemprop_date(doc))
        .or_else(|| time_element(doc))
        .or_else(|| visible_dateline(doc))
        .or_else(|| url.and_then(date_from_url));

    meta.authors = ld.as_ref().map(ld_authors).unwrap_or_default();
    if meta.authors.is_empty() {
        for key in AUTHOR_META {
            for (name, value) in &metas {
                let value = clean_space(value);
                // article:author is often a profile URL, not a name.
                if name == key && !value.is_empty() && !value.contains("://") {
                    push_unique(&mut meta.authors, value);
                }
            }
        }
    }

    meta.site = meta_value(&["og:site_name", "application-name"])
        .or_else(|| ld.as_ref().and_then(ld_publisher))
        .or_else(|| url.and_then(host_of));

    meta.language = head
        .html_lang
        .and_then(|l| language_code(&l))
        .or_else(|| meta_value(&["og:locale", "content-language"]).and_then(|l| language_code(&l)));

    meta.canonical_url = head
        .canonical
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| meta_value(&["og:url"]));
    meta
}

/// What every page is asked for, gathered in one walk over the tree instead of one selector
/// pass per item (each `select` visits every element).
struct Gathered<'a> {
    /// All `<meta>` tags as (lower-case name or property, content).
    metas: Vec<(String, String)>,
    /// `<script type="application/ld+json">` elements.
    ld_blocks: Vec<NodeRef<'a>>,
    /// `lang` of the `<html>` element.
    html_lang: Option<String>,
    /// `href` of the first `<link rel="canonical">`.
    canonical: Option<String>,
}

fn gather(doc: &Document) -> Gathered<'_> {
    let mut found = Gathered {
        metas: Vec::new(),
        ld_blocks: Vec::new(),
        html_lang: None,
        canonical: None,
    };
    let mut seen_html = false;
    let mut seen_canonical = false;
    for node in doc.root().descendants_it() {
        if !node.is_element() {
            continue;
        }
        let Some(name) = node.node_name() else {
            continue;
        };
        match name.as_ref() {
            "meta" => {
                let Some(content) = node.attr("content") else {
                    continue;
                };
                for key in ["property", "name", "itemprop", "http-equiv"] {
                    if let Some(name) = node.attr(key) {
                        found
                            .metas
                            .push((name.trim().to_lowercase(), content.to_string()));
                    }
                }
            }
            "script"
                if node
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                found.ld_blocks.push(node);
            }
            "html" if !seen_html => {
                seen_html = true;
                found.html_lang = node.attr("lang").map(|l| l.to_string());
            }
            "link"
                if !seen_canonical
                    && node
                        .attr("rel")
                        .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                seen_canonical = true;
                found.canonical = node.attr("href").map(|h| h.to_string());
            }
            _ => {}
        }
    }
    found
}

/// The first JSON-LD object on the page that describes an article (looking inside `@graph` and
/// arrays); malformed blocks are skipped.
fn json_ld_article(blocks: &[NodeRef]) -> Option<Value> {
    let mut candidates = Vec::new();
    for node in blocks {
        let text = node.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        flatten_ld(value, &mut candidates, 0);
    }
    let is_type = |v: &Value, types: &[&str]| match v.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    };
    // A real article type first; a WebPage only when it carries a publication date.
    candidates
        .iter()
        .find(|v| is_type(v, &ARTICLE_TYPES[..6]) || is_type(v, &ARTICLE_TYPES[7..]))
        .or_else(|| candidates.iter().find(|v| v.get("datePublished").is_some()))
        .cloned()
}

/// Collects JSON-LD objects from arrays and `@graph`s, to a bounded depth.
fn flatten_ld(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten_ld(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

/// A string field of a JSON-LD object, white space tidied.
fn string_field(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(clean_space(s)).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| v.as_str()).map(clean_space),
        _ => None,
    }
}

/// Author names from JSON-LD `author`: a string, an object with `name`, or an array of either.
fn ld_authors(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: &Value| {
        let name = match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(_) => v.get("name").and_then(Value::as_str),
            _ => None,
        };
        if let Some(name) = name
            .map(clean_space)
            .filter(|n| !n.is_empty() && !n.contains("://"))
        {
            push_unique(&mut out, name);
        }
    };
    match value.get("author") {
        Some(Value::Array(items)) => items.iter().for_each(&mut add),
        Some(v) => add(v),
        None => {}
    }
    out
}

/// The publisher's name from JSON-LD.
fn ld_publisher(value: &Value) -> Option<String> {
    match value.get("publisher")? {
        Value::String(s) => Some(clean_space(s)),
        v => v.get("name").and_then(Value::as_str).map(clean_space),
    }
    .filter(|s| !s.is_empty())
}

/// `itemprop="datePublished"` on a visible element (`content` or `datetime` attribute).
fn itemprop_date(doc: &Document) -> Option<Published> {
    doc.select(r#"[itemprop="datePublished"]"#)
        .nodes()
        .iter()
        .find_map(|n| {
            n.attr("datetime")
                .or_else(|| n.attr("content"))
                .and_then(|v| parse_iso(&v, "meta"))
        })
}

/// The first `<time datetime>` that reads as a date; one marked `pubdate` or sitting in an
/// element whose class says "publish" wins over the others.
fn time_element(doc: &Document) -> Option<Published> {
    let times = doc.select("time[datetime]");
    let nodes = times.nodes();
    let marked = nodes.iter().find(|n| {
        n.has_attr("pubdate")
            || n.attr("class")
                .is_some_and(|c| c.to_lowercase().contains("publish"))
            || n.parent()
                .and_then(|p| p.attr("class"))
                .is_some_and(|c| c.to_lowercase().contains("publish"))
    });
    marked
        .into_iter()
        .chain(nodes.iter())
        .find_map(|n| n.attr("datetime").and_then(|v| parse_iso(&v, "time")))
}

/// A visible dateline: a short element whose class or id names a date, read by [`crate::date`].
fn visible_dateline(doc: &Document) -> Option<Published> {
    let sel = doc.select(
        r#"[class*="date"], [class*="time"], [class*="publish"], [id*="date"], [class*="byline"]"#,
    );
    sel.nodes().iter().take(40).find_map(|n| {
        let text = clean_space(&n.text());
        if text.is_empty() || text.len() > 120 {
            return None;
        }
        crate::date::parse(&text)
            .or_else(|| crate::date::find(&text).map(|(d, _)| d))
            .map(|d| d.published("dateline"))
    })
}

static URL_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
        .expect("constant URL date pattern compiles")
});
static URL_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/").expect("constant URL date pattern compiles")
});

/// A date written into the URL's path (`/2025/06/23/`, `/2025-06-23-…`, `/2025/06/`).
pub(super) fn date_from_url(url: &str) -> Option<Published> {
    let path_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let path = url
        .get(path_start..)?
        .split_once('/')
        .map(|(_, p)| p)
        .unwrap_or("");
    let path = format!("/{path}");
    let num = |c: &regex::Captures, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    if let Some(c) = URL_DAY.captures(&path) {
        let (year, month, day) = (num(&c, 1)?, num(&c, 2)?, num(&c, 3)?);
        NaiveDate::from_ymd_opt(year as i32, month, day)?;
        return Some(Published {
            value: format!("{year:04}-{month:02}-{day:02}"),
            precision: Precision::Day,
            from: "url".into(),
        });
    }
    let c = URL_MONTH.captures(&path)?;
    let (year, month) = (num(&c, 1)?, num(&c, 2)?);
    Some(Published {
        value: format!("{year:04}-{month:02}"),
        precision: Precision::Month,
        from: "url".into(),
    })
}

/// Parses an ISO 8601 / RFC 3339 date or date-time as printed in metadata.
pub(super) fn parse_iso(text: &str, from: &str) -> Option<Published> {
    let text = text.trim();
    let published = |value: String, precision| Published {
        value,
        precision,
        from: from.to_string(),
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(published(
            dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            Precision::Minute,
        ));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(published(
                dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                Precision::Minute,
            ));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(published(
                dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
                Precision::Minute,
            ));
        }
    }
    // A bare date, or a date followed by something chrono does not know (a zone name).
    let head = text.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    Some(published(
        date.format("%Y-%m-%d").to_string(),
        Precision::Day,
    ))
}

/// The host of a URL, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// `en-GB`, `ru_RU`, `uk` → the ISO 639-1 part, when it looks like one.
fn language_code(tag: &str) -> Option<String> {
    let code = tag.trim().split(['-', '_']).next()?.to_lowercase();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase())).then_some(code)
}

/// Text of the first element matching `selector`, white space tidied.
fn first_text(doc: &Document, selector: &str) -> Option<String> {
    let sel = doc.select(selector);
    let node = *sel.nodes().first()?;
    Some(clean_space(&node.text())).filter(|t| !t.is_empty())
}

/// Collapses runs of white space to one space and trims.
pub(super) fn clean_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}
