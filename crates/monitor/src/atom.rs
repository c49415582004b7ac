//! Alerts as an Atom feed (RFC 4287), written with atom_syndication, so a feed reader can follow them.

use crate::state::Alert;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};

/// Where an alert's evidence is shown: the register's article page, the person's case file and the
/// page as fetched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlertLinks {
    /// The article holding the evidence, in the web application.
    pub article: String,
    /// The person's case file, when the alert is about a person.
    pub person: Option<String>,
    /// The page the article was read from.
    pub page: Option<String>,
}

/// Links of an alert under the web application's base URL (`""` gives site-relative paths).
pub fn alert_links(alert: &Alert, base: &str) -> AlertLinks {
    let base = base.trim_end_matches('/');
    AlertLinks {
        article: format!("{base}/articles/{}", path_segment(&alert.article_id)),
        person: alert
            .person_id
            .as_ref()
            .map(|p| format!("{base}/persons/{p}")),
        page: alert.url.clone(),
    }
}

/// An id as one path segment: anything but unreserved characters percent-encoded, so that the
/// `#N` of a WARC record's article id is not taken for a fragment.
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn parse_time(s: &str) -> FixedDateTime {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|_| chrono::DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset())
}

/// Renders alerts (newest first) as an Atom feed whose links start at `base`.
pub fn render_alerts(alerts: &[Alert], base: &str) -> String {
    let entries: Vec<Entry> = alerts
        .iter()
        .map(|alert| {
            let links = alert_links(alert, base);
            let mut atom_links = vec![Link {
                href: links.article.clone(),
                rel: "alternate".into(),
                title: Some("evidence in the register".into()),
                ..Default::default()
            }];
            if let Some(person) = &links.person {
                atom_links.push(Link {
                    href: person.clone(),
                    rel: "related".into(),
                    title: Some("case file".into()),
                    ..Default::default()
                });
            }
            if let Some(page) = &links.page {
                atom_links.push(Link {
                    href: page.clone(),
                    rel: "via".into(),
                    title: Some("page as published".into()),
                    ..Default::default()
                });
            }
            let mut body = alert.summary.clone();
            if let Some(evidence) = &alert.evidence {
                if !body.contains(evidence.as_str()) {
                    body.push_str("\n\n");
                    body.push_str(evidence);
                }
            }
            Entry {
                id: format!("urn:casebook:alert:{}", alert.dedup_key),
                title: Text::plain(alert.title.clone()),
                updated: parse_time(&alert.created_at),
                published: Some(parse_time(&alert.created_at)),
                summary: Some(Text::plain(alert.summary.clone())),
                content: Some(Content {
                    value: Some(body),
                    content_type: Some("text".into()),
                    ..Default::default()
                }),
                links: atom_links,
                ..Default::default()
            }
        })
        .collect();
    let updated = alerts
        .iter()
        .map(|a| parse_time(&a.created_at))
        .max()
        .unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset());
    let base = base.trim_end_matches('/');
    let feed = Feed {
        title: Text::plain("casebook alerts"),
        id: "urn:casebook:alerts".into(),
        updated,
        authors: vec![Person {
            name: "casebook monitor".into(),
            ..Default::default()
        }],
        links: vec![Link {
            href: format!("{base}/alerts.atom"),
            rel: "self".into(),
            ..Default::default()
        }],
        entries,
        ..Default::default()
    };
    feed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(id: i64, key: &str) -> Alert {
        Alert {
            id,
            watch_id: 1,
            dedup_key: key.into(),
            created_at: format!("2025-06-0{id}T10:00:00Z"),
            title: "detention of Server Mustafaiev in Bakhchysarai".into(),
            summary: "watched person Server Mustafayev: FSB officers detained Server Mustafaiev & two others.".into(),
            person_id: Some("p-1".into()),
            event_id: Some("e-1".into()),
            event_type: Some("detention".into()),
            article_id: "a-1".into(),
            url: Some("https://n.example/news/1?a=1&b=2".into()),
            evidence: Some("FSB officers detained Server Mustafaiev & two others.".into()),
            read: false,
            webhook_attempts: 0,
            webhook_error: None,
            webhook_delivered_at: None,
        }
    }

    #[test]
    fn the_feed_reads_back_with_links_to_the_evidence() {
        let xml = render_alerts(
            &[alert(2, "w1:event:e-2"), alert(1, "w1:event:e-1")],
            "https://casebook.example/",
        );
        let feed = feed_rs::parser::parse(xml.as_bytes()).expect("our Atom parses");
        assert_eq!(feed.entries.len(), 2);
        let first = &feed.entries[0];
        assert_eq!(first.id, "urn:casebook:alert:w1:event:e-2");
        let hrefs: Vec<&str> = first.links.iter().map(|l| l.href.as_str()).collect();
        assert!(
            hrefs.contains(&"https://casebook.example/articles/a-1"),
            "{hrefs:?}"
        );
        assert!(
            hrefs.contains(&"https://casebook.example/persons/p-1"),
            "{hrefs:?}"
        );
        assert!(
            hrefs.contains(&"https://n.example/news/1?a=1&b=2"),
            "{hrefs:?}"
        );
        assert!(first
            .summary
            .as_ref()
            .unwrap()
            .content
            .contains("& two others"));
        assert_eq!(
            feed.updated.unwrap().to_rfc3339(),
            "2025-06-02T10:00:00+00:00"
        );
    }

    #[test]
    fn a_warc_record_article_link_keeps_its_record_number() {
        let mut from_warc = alert(1, "w1:event:e-1");
        from_warc.article_id = "9f2c#12".into();
        let links = alert_links(&from_warc, "https://casebook.example");
        assert_eq!(links.article, "https://casebook.example/articles/9f2c%2312");
    }

    #[test]
    fn an_empty_feed_is_still_valid_atom() {
        let xml = render_alerts(&[], "");
        assert!(feed_rs::parser::parse(xml.as_bytes())
            .unwrap()
            .entries
            .is_empty());
    }
}
