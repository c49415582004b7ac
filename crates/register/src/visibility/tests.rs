//! Tests of the public policy over invented persons.

use super::*;
use crate::types::{MentionRecord, SourceRecord};
use std::collections::BTreeMap;

fn person(id: &str, names: &[&str], vis: Visibility, confirmed: bool) -> PersonRecord {
    PersonRecord {
        id: id.into(),
        name: names[0].into(),
        names: names.iter().map(|n| n.to_string()).collect(),
        status: Status::PreTrialDetention,
        visibility: vis,
        field_visibility: BTreeMap::new(),
        articles: 1,
        confirmed,
    }
}

fn policy() -> PublicPolicy {
    let mut initials_names = person(
        "p5",
        &["Dilyara Umerova", "Диляра Умерова"],
        Visibility::Public,
        true,
    );
    initials_names
        .field_visibility
        .insert("names".into(), Visibility::Initials);
    let mut hidden_status = person("p6", &["Lilia Amzaeva"], Visibility::Public, true);
    hidden_status
        .field_visibility
        .insert("status".into(), Visibility::Hidden);
    PublicPolicy::from_persons([
        person("p1", &["Ruslan Veliev"], Visibility::Public, true),
        person(
            "p2",
            &["Elmaz Velieva", "Эльмаз Велиева"],
            Visibility::Hidden,
            true,
        ),
        person("p3", &["Server Kemalov"], Visibility::Initials, true),
        person("p4", &["Enver Abibullaev"], Visibility::Public, false),
        initials_names,
        hidden_status,
    ])
}

#[test]
fn hidden_and_unconfirmed_people_stay_out_and_initials_are_one() {
    let p = policy();
    assert!(p.allows_person("p1"));
    assert!(!p.allows_person("p2"));
    assert!(!p.allows_person("p4"));
    let kemalov = p.person("p3").expect("initials-only persons are shown");
    assert_eq!(kemalov.name, "S. K.");
    assert_eq!(kemalov.names, vec!["S. K.".to_string()]);
    // The same initials in text as on the record.
    assert_eq!(p.redact("KEMALOV was detained"), "S. K. was detained");
}

#[test]
fn a_protected_field_is_absent_not_a_stand_in() {
    let p = policy();
    let umerova = p.person("p5").expect("shown");
    assert_eq!(umerova.names, vec!["Dilyara Umerova".to_string()]);
    let amzaeva = p.person("p6").expect("shown");
    assert_eq!(amzaeva.status, None);
    let json = serde_json::to_value(amzaeva).expect("serialises");
    assert!(json.get("status").is_none(), "{json}");
    assert_eq!(
        p.person("p1").and_then(|r| r.status),
        Some(Status::PreTrialDetention)
    );
}

fn source(article: &str, text: &str) -> SourceRecord {
    SourceRecord {
        article: article.into(),
        text: text.into(),
        start: 0,
        end: 0,
        claim: "c".into(),
        review: ReviewState::Confirmed,
    }
}

fn event(victims: &[&str], text: &str) -> EventRecord {
    EventRecord {
        id: "e1".into(),
        event_type: "detention".into(),
        date: Some("2024-03-02".into()),
        place: Some("Simferopol".into()),
        victims: victims.iter().map(|v| v.to_string()).collect(),
        perpetrators: vec!["FSB".into()],
        details: BTreeMap::from([("witness".into(), "ЭЛЬМАЗ ВЕЛИЕВА".into())]),
        victim_details: Default::default(),
        claimed_by: Some("analyst-anna".into()),
        review: ReviewState::Confirmed,
        sources: vec![source("a1", text)],
        conflicts: Vec::new(),
    }
}

#[test]
fn events_of_a_protected_person_alone_are_not_shown() {
    let p = policy();
    assert!(p
        .event(event(&["p2"], "Elmaz Velieva was detained."))
        .is_none());
    let shared = p
        .event(event(
            &["p1", "p2"],
            "VELIEVA and her brother Ruslan were detained.",
        ))
        .expect("a public victim keeps the event");
    assert_eq!(shared.victims, vec!["p1".to_string()]);
    assert_eq!(
        shared.sources[0].text,
        "[withheld] and her brother Ruslan were detained."
    );
    assert_eq!(shared.details["witness"], "[withheld]");
    assert_eq!(shared.claimed_by, None);
}

#[test]
fn articles_show_the_outlet_host_and_no_file_name() {
    let p = policy();
    let a = p.article(ArticleRecord {
        id: "a1".into(),
        source: "/home/anna/downloads/velieva-elmaz-interrogation.html".into(),
        original_sha256: "a1".into(),
        url: Some("https://www.crimea-news.example/2024/velieva-elmaz?x=1".into()),
        title: Some("Elmaz Velieva questioned; Kemalov released".into()),
        published: None,
        mentions: vec![
            MentionRecord {
                person: "p3".into(),
                text: "Server Kemalov".into(),
                start: 0,
                end: 0,
                review: ReviewState::Confirmed,
            },
            MentionRecord {
                person: "p2".into(),
                text: "Elmaz Velieva".into(),
                start: 0,
                end: 0,
                review: ReviewState::Confirmed,
            },
        ],
        near_duplicates: Vec::new(),
    });
    assert_eq!(a.source, "crimea-news.example");
    assert_eq!(a.url, None);
    assert_eq!(
        a.title.as_deref(),
        Some("[withheld] questioned; S. K. released")
    );
    assert_eq!(a.mentions.len(), 1);
    assert_eq!(a.mentions[0].text, "S. K.");
}

#[test]
fn only_web_addresses_become_links_or_hosts() {
    assert_eq!(
        linkable_url(" https://a.example/x "),
        Some("https://a.example/x")
    );
    assert_eq!(linkable_url("HTTP://a.example/"), Some("HTTP://a.example/"));
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "/etc/passwd",
        "",
    ] {
        assert_eq!(linkable_url(bad), None, "{bad:?}");
        assert_eq!(outlet_host(Some(bad)), None, "{bad:?}");
    }
    // An address with a control character is not a link, though its host is still its host.
    assert_eq!(linkable_url("http://a.example/\nx"), None);
    assert_eq!(
        outlet_host(Some("http://a.example/\nx")),
        Some("a.example".to_string())
    );
    assert_eq!(
        outlet_host(Some("http://user:pw@News.Example:8080/a/b")),
        Some("news.example".to_string())
    );
}

#[test]
fn a_search_for_a_protected_name_is_recognised_in_any_spelling() {
    let p = policy();
    for q in ["Velieva", "велиевой", "ELMAZ", "Эльмаз"] {
        assert!(p.mentions_protected(q), "{q}");
    }
    assert!(!p.mentions_protected("Simferopol detention"));
}
