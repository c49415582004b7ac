//! The review queue by article: ordered by what matters, filtered, paged by keyset through its
//! indexes, kept in step by decisions and undos; articles shown by title and outlet, never by hash;
//! the status-changing types the same as the taxonomy's.

mod common;

use casebook_model::{FuzzyDate, Precision, Published};
use casebook_register::*;
use common::*;

fn open_tmp() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    (dir, store)
}

/// Article `n`: a new person searched (priority 4 for the person), or detained (5), or a
/// known person searched again (1).
fn item(n: usize, event_type: &'static str, name: &str) -> (Original, AnalysedArticle) {
    let sentence = format!("Officers came to {name} in report {n} of the invented series.");
    let mut item = article(
        &format!("r{n}.txt"),
        &[sentence.as_str()],
        &[name],
        vec![TestEvent {
            event_type,
            victims: vec![0],
            date: Some(FuzzyDate::day(
                2024,
                1 + (n % 12) as u32,
                1 + (n % 27) as u32,
            )),
            sentence: 0,
        }],
        &[],
    );
    item.1.article.published = Some(Published {
        value: format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 27),
        precision: Precision::Day,
        from: "meta".into(),
    });
    item
}

fn all_pages(s: &SqliteStore, filter: &QueueFilter, limit: usize) -> Vec<QueueRow> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = s
            .review_queue_page(filter, after.as_deref(), limit)
            .unwrap();
        out.extend(page.rows);
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

#[test]
fn queue_orders_filters_pages_and_follows_decisions() {
    let (_d, mut s) = open_tmp();
    // Report 0 makes Kaitov a new person; the later searches of him are of a known person.
    for n in 0..12 {
        let ty = if n % 4 == 1 { "detention" } else { "search" };
        store(&mut s, &item(n, ty, "Emir Kaitov"));
    }
    let rows = all_pages(&s, &QueueFilter::default(), 5);
    assert_eq!(rows.len(), 12, "every article once over the pages");
    let mut ids: Vec<&str> = rows.iter().map(|r| r.article.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "no article on two pages");
    let prios: Vec<u8> = rows.iter().map(|r| r.priority).collect();
    assert!(prios.windows(2).all(|w| w[0] >= w[1]), "{prios:?}");
    assert_eq!(prios[0], 5, "a detention changes a status: first");
    assert!(
        prios.contains(&4),
        "the first report made a new person: {prios:?}"
    );
    assert!(prios.contains(&1), "{prios:?}");
    // Titles and outlets, never the hash.
    assert!(rows[0]
        .article
        .title
        .starts_with("Officers came to Emir Kaitov"));
    assert_eq!(rows[0].article.outlet, "example.org");

    // Filters: event type, date prefix, outlet.
    let det = QueueFilter {
        event_type: Some("detention".into()),
        ..Default::default()
    };
    assert_eq!(all_pages(&s, &det, 2).len(), 3);
    let feb = QueueFilter {
        from: Some("2024-02".into()),
        to: Some("2024-02".into()),
        ..Default::default()
    };
    let feb_rows = all_pages(&s, &feb, 10);
    assert_eq!(feb_rows.len(), 1, "{feb_rows:?}");
    assert!(feb_rows[0].article.published.starts_with("2024-02"));
    let other = QueueFilter {
        outlet: Some("elsewhere.net".into()),
        ..Default::default()
    };
    assert!(all_pages(&s, &other, 10).is_empty());

    // Confidence, sortable both ways.
    let asc = all_pages(
        &s,
        &QueueFilter {
            sort: QueueSort::ConfidenceAsc,
            ..Default::default()
        },
        4,
    );
    assert_eq!(asc.len(), 12);
    assert!(asc.windows(2).all(|w| w[0].confidence <= w[1].confidence));
    assert!(asc
        .iter()
        .all(|r| r.confidence > 0.0 && r.confidence <= 1.0));

    // Deciding every claim of the first article takes it off the queue; undo brings it back.
    let first = rows[0].article.id.clone();
    let claims = s.article_claims(&first).unwrap();
    assert!(claims.len() >= 2, "a person claim and an event claim");
    assert!(claims.iter().any(|c| c.priority == 5));
    let mut last = 0;
    for c in &claims {
        last = s
            .decide(
                "ana",
                &Decision::Confirm {
                    target: c.claim.id.clone(),
                },
            )
            .unwrap()
            .id;
    }
    let after = all_pages(&s, &QueueFilter::default(), 50);
    assert_eq!(after.len(), 11);
    assert!(after.iter().all(|r| r.article.id != first));
    s.undo("ana", last).unwrap();
    let row = s.review_queue_row(&first).unwrap().unwrap();
    assert_eq!(row.open, 1);
    assert_eq!(row.total, claims.len() as u64);

    // Taking: my queue.
    let mine: Vec<String> = after[..3].iter().map(|r| r.article.id.clone()).collect();
    assert_eq!(s.take_articles(&mine, Some("ana")).unwrap(), 3);
    let my = QueueFilter {
        taken_by: Some("ana".into()),
        ..Default::default()
    };
    assert_eq!(all_pages(&s, &my, 2).len(), 3);
    let progress = s.queue_progress().unwrap();
    assert_eq!(progress.open_articles, 12);
    assert_eq!(progress.taken, vec![("ana".to_string(), 3)]);
    assert!(progress.confirmed >= 1);
    assert!(!progress.calibration.is_empty());

    let meta = s.article_meta_of(std::slice::from_ref(&first)).unwrap();
    assert_eq!(meta[&first].outlet, "example.org");
}

#[test]
fn a_queue_page_reads_through_an_index() {
    let (_d, mut s) = open_tmp();
    store(&mut s, &item(0, "search", "Lenur Seitov"));
    let dir = _d.path().to_path_buf();
    drop(s);
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE)).unwrap();
    for (order, needle) in [
        (
            "q.priority DESC, q.published DESC, q.article_id DESC",
            "review_queue_order",
        ),
        ("q.confidence, q.article_id", "review_queue_confidence"),
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT q.article_id FROM review_queue q
                  WHERE q.open > 0 AND q.language = 'en' ORDER BY {order} LIMIT 50"
            ))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains(needle), "{plan}");
        assert!(
            !plan.contains("TEMP B-TREE"),
            "no sort of the whole queue: {plan}"
        );
    }
}

#[test]
fn status_changing_types_are_the_taxonomys() {
    let (_d, s) = open_tmp();
    let mut from_taxonomy: Vec<String> = casebook_events::data::TAXONOMY
        .types
        .iter()
        .filter(|t| !t.keeps_status)
        .map(|t| t.id.clone())
        .collect();
    from_taxonomy.sort();
    assert_eq!(s.review_status_types().unwrap(), from_taxonomy);
}

/// A queue of 100,000 articles (rows written straight into the tables, as the triggers would):
/// the first pages of every order and filter read through the indexes, in milliseconds.
#[test]
fn a_queue_of_100000_articles_reads_page_by_page() {
    let (dir, s) = open_tmp();
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
         INSERT INTO articles (id, source, original_sha256, url, title, published, authors_json,
                site, language, paragraphs_json, near_dupes_json, extractor_version, ingested_at)
         SELECT printf('%064x', i * 7919), 'in/' || i, printf('%064x', i), NULL,
                'Report ' || i, printf('2024-%02d-%02d', 1 + i % 12, 1 + i % 28), '[]',
                'outlet' || (i % 40) || '.example', CASE i % 3 WHEN 0 THEN 'ru' WHEN 1 THEN 'uk' ELSE 'en' END,
                '[]', '[]', 'v', '2024' FROM n;
         INSERT INTO review_queue (article_id, open, total, priority, confidence, language, outlet,
                published, taken_by)
         SELECT id, 1 + rowid % 7, 8, 1 + rowid % 5, (rowid % 97) / 100.0, language, site, published,
                CASE WHEN rowid % 500 = 0 THEN 'ana' END FROM articles;",
    )
    .unwrap();
    drop(conn);
    let s = SqliteStore::open(dir.path()).unwrap();
    let filters = [
        ("priority", QueueFilter::default()),
        (
            "least confident",
            QueueFilter {
                sort: QueueSort::ConfidenceAsc,
                ..Default::default()
            },
        ),
        (
            "language",
            QueueFilter {
                language: Some("uk".into()),
                ..Default::default()
            },
        ),
        (
            "outlet and month",
            QueueFilter {
                outlet: Some("outlet7.example".into()),
                from: Some("2024-08".into()),
                to: Some("2024-08".into()),
                ..Default::default()
            },
        ),
        (
            "my queue",
            QueueFilter {
                taken_by: Some("ana".into()),
                ..Default::default()
            },
        ),
    ];
    for (what, filter) in filters {
        let mut after: Option<String> = None;
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let page = s.review_queue_page(&filter, after.as_deref(), 50).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            // A last page may come out empty when the one before was exactly full.
            assert!(!page.rows.is_empty() || after.is_some(), "{what}");
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let worst = times.iter().cloned().fold(0.0, f64::max);
        println!("queue of 100,000 articles, {what}: pages of 50 in {times:.1?} ms");
        assert!(worst < 500.0, "{what}: a page took {worst:.0} ms");
    }
    let t = std::time::Instant::now();
    let progress = s.queue_progress().unwrap();
    println!(
        "queue progress over 100,000 articles: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(progress.open_articles, 100_000);
}

#[test]
fn the_confidence_is_fitted_to_the_reviewers_decisions() {
    let (_d, mut s) = open_tmp();
    for n in 0..20 {
        store(&mut s, &item(n, "search", &format!("Enver Seitov{n}")));
    }
    let claims = s
        .claims(&ClaimFilter {
            state: None,
            kind: None,
            subject: None,
            limit: 1_000,
        })
        .unwrap();
    let of =
        |kind: ClaimKind| -> Vec<&Claim> { claims.iter().filter(|c| c.kind == kind).collect() };
    let (events, persons) = (of(ClaimKind::Event), of(ClaimKind::Person));
    assert_eq!((events.len(), persons.len()), (20, 20));
    let ids = |cs: &[&Claim]| -> Vec<String> { cs.iter().map(|c| c.id.clone()).collect() };
    let confidence =
        |s: &SqliteStore, id: &str| s.claim_confidences(&[id.to_string()]).unwrap()[id].0;
    // The prior: a dated and placed search with a named victim (0.95); a person named once by two words.
    let open_event = events[19].id.clone();
    let profile = s
        .claim_confidences(std::slice::from_ref(&open_event))
        .unwrap();
    assert!(
        (confidence(&s, &open_event) - 0.95).abs() < 1e-9,
        "{profile:?}"
    );
    let prior_person = confidence(&s, &persons[19].id);

    // Reviewers reject the first ten searches and confirm the first ten persons; the confidence
    // changes only when it is calibrated.
    for c in &events[..10] {
        s.decide(
            "rev",
            &Decision::Reject {
                target: c.id.clone(),
            },
        )
        .unwrap();
    }
    for c in &persons[..10] {
        s.decide(
            "rev",
            &Decision::Confirm {
                target: c.id.clone(),
            },
        )
        .unwrap();
    }
    assert!((confidence(&s, &open_event) - 0.95).abs() < 1e-9);
    let c = s.calibrate_confidence().unwrap();
    assert_eq!((c.decided, c.profiles), (20, 2));
    assert!(c.brier_after.unwrap() < c.brier_before.unwrap(), "{c:?}");
    assert!(c.reranked >= 10, "{c:?}");
    // Ten rejections against five pseudo-decisions of the prior: (0 + 5 × 0.95) / 15.
    assert!((confidence(&s, &open_event) - 0.95 * 5.0 / 15.0).abs() < 1e-9);
    let person = confidence(&s, &persons[19].id);
    assert!((person - (10.0 + 5.0 * prior_person) / 15.0).abs() < 1e-9);
    assert_eq!(
        s.claim_confidences(&ids(&events[..1])).unwrap()[&events[0].id].1,
        "event search d1v1p1r0"
    );
    // The queue ranks the open articles by the fitted confidence.
    let rows = all_pages(
        &s,
        &QueueFilter {
            sort: QueueSort::ConfidenceAsc,
            ..Default::default()
        },
        50,
    );
    assert_eq!(rows.len(), 10);
    assert!(
        rows.iter()
            .all(|r| (r.confidence - 0.95 * 5.0 / 15.0).abs() < 1e-9),
        "{rows:?}"
    );
}
