//! The reads that cost what a page shows (summary, newest events, case-file pages, review pages,
//! batched look-ups) give what the full passes over the register give, through edits, reviews and
//! a re-run of the pipeline.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::*;
use casebook_register::{month_of, RegisterSummary};
use common::*;
use std::collections::{BTreeMap, BTreeSet};

fn open_tmp() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    (dir, store)
}

/// The corpus, and `reports` articles each reporting one more hearing of Rustem Dzhelyalov on a
/// date of its own (some undated), so he has many events.
fn busy_register(reports: usize) -> (tempfile::TempDir, SqliteStore) {
    let (dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    for n in 0..reports {
        let sentence = format!(
            "Hearing {n} in the case of Rustem Dzhelyalov took place in the Southern District Military Court."
        );
        let date = (n % 7 != 3).then(|| {
            FuzzyDate::day(
                2020 + (n % 4) as i32,
                1 + (n % 12) as u32,
                1 + (n % 27) as u32,
            )
        });
        let item = article(
            &format!("hearing-{n}.txt"),
            &[sentence.as_str()],
            &["Rustem Dzhelyalov"],
            vec![TestEvent {
                event_type: if n % 3 == 0 {
                    "search"
                } else {
                    "court_hearing"
                },
                victims: vec![0],
                date,
                sentence: 0,
            }],
            &[],
        );
        store(&mut s, &item);
    }
    (dir, s)
}

/// The dashboard's figures as a pass over every event and the full statistics count them.
fn counted(s: &SqliteStore) -> RegisterSummary {
    let stats = s.stats().unwrap();
    let mut out = RegisterSummary {
        articles: stats.articles,
        cases: stats.cases,
        persons: stats.persons,
        claims_by_state: stats.claims_by_state.clone(),
        ..RegisterSummary::default()
    };
    s.visit_events(&mut |e| {
        out.events += 1;
        *out.events_by_type.entry(e.event_type.clone()).or_default() += 1;
        let month = month_of(e.date.as_deref());
        if !month.is_empty() {
            *out.events_per_month
                .entry(month.to_string())
                .or_default()
                .entry(e.event_type.clone())
                .or_default() += 1;
        }
        Ok(())
    })
    .unwrap();
    out
}

fn person_id(s: &SqliteStore, name: &str) -> String {
    let found = s.find_persons(name, 10).unwrap();
    assert_eq!(found.len(), 1, "exactly one person named {name}: {found:?}");
    found[0].id.clone()
}

#[test]
fn the_summary_counts_what_a_full_pass_counts_through_edits_reviews_and_reruns() {
    let (_dir, mut s) = busy_register(30);
    assert_eq!(s.summary().unwrap(), counted(&s));
    assert!(s.summary().unwrap().events > 20);

    let busy = person_id(&s, "Rustem Dzhelyalov");
    let file = s.case_file(&busy).unwrap();
    let dated = file
        .timeline
        .iter()
        .find(|e| e.date.is_some())
        .unwrap()
        .id
        .clone();
    for (field, value) in [("type", "interrogation"), ("date", "2019-05-17")] {
        s.decide(
            "rev",
            &Decision::Edit {
                target: dated.clone(),
                field: field.into(),
                value: value.into(),
            },
        )
        .unwrap();
    }
    s.decide(
        "rev",
        &Decision::Confirm {
            target: dated.clone(),
        },
    )
    .unwrap();
    let summary = s.summary().unwrap();
    assert_eq!(summary, counted(&s));
    assert_eq!(summary.events_per_month["2019-05"]["interrogation"], 1);
    assert!(
        summary
            .claims_by_state
            .get("confirmed")
            .copied()
            .unwrap_or(0)
            >= 1
    );

    // A newer pipeline stores every article again: its rows are removed and written anew.
    for item in &corpus() {
        s.store_article(&item.0, &item.1, &provenance("v2"), &KeyResolver)
            .unwrap();
    }
    assert_eq!(s.summary().unwrap(), counted(&s));
}

#[test]
fn the_newest_events_are_the_latest_dates_edits_included() {
    let (_dir, mut s) = busy_register(25);
    let mut all = Vec::new();
    s.visit_events(&mut |e| {
        all.push(e);
        Ok(())
    })
    .unwrap();
    // Move the oldest dated event to the top by a reviewer's edit.
    let oldest = all
        .iter()
        .filter(|e| e.date.is_some())
        .min_by(|a, b| a.date.cmp(&b.date))
        .unwrap()
        .id
        .clone();
    s.decide(
        "rev",
        &Decision::Edit {
            target: oldest.clone(),
            field: "date".into(),
            value: "2031-01-02".into(),
        },
    )
    .unwrap();
    let mut expected = Vec::new();
    s.visit_events(&mut |e| {
        if e.date.is_some() {
            expected.push(e);
        }
        Ok(())
    })
    .unwrap();
    expected.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    expected.truncate(5);
    let newest = s.newest_events(5).unwrap();
    let ids = |v: &[EventRecord]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&newest), ids(&expected));
    assert_eq!(newest[0].id, oldest);
}

#[test]
fn case_file_pages_hold_every_event_once_newest_first() {
    let (_dir, s) = busy_register(40);
    let busy = person_id(&s, "Rustem Dzhelyalov");
    let whole = s.case_file(&busy).unwrap();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = s.case_file_page(&busy, offset, 12).unwrap();
        assert_eq!(page.total_events, whole.timeline.len());
        assert!(page.file.timeline.len() <= 12);
        assert_eq!(page.file.person, whole.person);
        assert_eq!(page.file.cases.len(), whole.cases.len());
        if page.file.timeline.is_empty() {
            break;
        }
        seen.extend(page.file.timeline);
        offset += 12;
    }
    assert_eq!(seen.len(), whole.timeline.len());
    // Latest date first, undated after every dated one.
    for pair in seen.windows(2) {
        match (&pair[0].date, &pair[1].date) {
            (Some(a), Some(b)) => assert!(a >= b, "{a} before {b}"),
            (None, Some(b)) => panic!("an undated event before one of {b}"),
            _ => {}
        }
    }
    let ids: BTreeSet<_> = seen.iter().map(|e| e.id.clone()).collect();
    let expected: BTreeSet<_> = whole.timeline.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, expected);
    let err = s.case_file_page("p-nobody", 0, 10).unwrap_err();
    assert!(matches!(err, RegisterError::UnknownId { .. }), "{err}");
}

#[test]
fn review_pages_walk_every_open_claim_once_in_order() {
    let (_dir, mut s) = busy_register(8);
    let open = s
        .claims(&ClaimFilter {
            state: Some(ReviewState::Suggested),
            kind: None,
            subject: None,
            limit: 0,
        })
        .unwrap();
    // A reviewed claim leaves the queue.
    let confirmed = open[2].id.clone();
    s.decide(
        "rev",
        &Decision::Confirm {
            target: confirmed.clone(),
        },
    )
    .unwrap();
    let open: Vec<String> = s
        .claims(&ClaimFilter {
            state: Some(ReviewState::Suggested),
            kind: None,
            subject: None,
            limit: 0,
        })
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = s.review_page(after.as_deref(), 4).unwrap();
        assert!(page.claims.len() + page.merge_candidates.len() <= 4);
        assert!(page
            .merge_candidates
            .iter()
            .all(|c| c.kind == ClaimKind::SamePerson));
        let mut ids: Vec<Claim> = page
            .claims
            .into_iter()
            .chain(page.merge_candidates)
            .collect();
        ids.sort_by_key(|c| open.iter().position(|o| *o == c.id));
        walked.extend(ids.into_iter().map(|c| c.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(walked, open);
    assert!(!walked.contains(&confirmed));
    let err = s.review_page(Some("c-no-such-claim"), 4).unwrap_err();
    assert!(matches!(err, RegisterError::UnknownId { .. }), "{err}");
}

#[test]
fn batched_look_ups_agree_with_full_passes() {
    let (_dir, mut s) = busy_register(6);
    let mut names = BTreeMap::new();
    s.visit_persons(&mut |p| {
        names.insert(p.id, p.name);
        Ok(())
    })
    .unwrap();
    let ids: Vec<String> = names.keys().cloned().collect();
    let batched = s.person_names_of(&ids).unwrap();
    assert_eq!(batched.into_iter().collect::<BTreeMap<_, _>>(), names);

    let mut first = BTreeMap::new();
    let mut events = Vec::new();
    s.visit_events(&mut |e| {
        first.insert(e.id.clone(), e.sources[0].article.clone());
        events.push(e.id);
        Ok(())
    })
    .unwrap();
    let links = s.event_first_articles(&events).unwrap();
    assert_eq!(links.into_iter().collect::<BTreeMap<_, _>>(), first);

    assert!(s.confirmed_among(&events).unwrap().is_empty());
    s.decide(
        "rev",
        &Decision::Confirm {
            target: events[1].clone(),
        },
    )
    .unwrap();
    let confirmed = s.confirmed_among(&events).unwrap();
    assert_eq!(
        confirmed.into_iter().collect::<Vec<_>>(),
        vec![events[1].clone()]
    );
    let mut visited = Vec::new();
    s.visit_confirmed_events(&mut |e| {
        visited.push(e.id);
        Ok(())
    })
    .unwrap();
    assert_eq!(visited, vec![events[1].clone()]);
    assert!(s.person_names_of(&[]).unwrap().is_empty());
}
