//! A reviewer clears a queue of 40 articles by keyboard in a real headless Chromium (driven over
//! WebDriver): one key per claim, no page load between the claims of one article, the next article
//! opening after the last claim. Prints page loads and keys per claim and the server's time per
//! decision (p50, p99), measured around the decision endpoint in the server.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-chromium`, which
//! `scripts/test` runs); without them, or when Chromium cannot start, this test fails.

#[path = "common/browser.rs"]
mod browser;
mod common;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use browser::{browser, click, press, serve, start_driver, submit_login, wait_for};
use casebook_register::{KeyResolver, Provenance, QueueFilter, SqliteStore, Store};
use common::*;
use fantoccini::Client;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Articles in the queue.
const ARTICLES: usize = 40;

/// What the server saw: pages loaded (HTML GETs) and the time of each decision.
#[derive(Default)]
struct Seen {
    pages: Vec<String>,
    decisions: Vec<Duration>,
}

async fn watch(seen: Arc<Mutex<Seen>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let decision = req.method() == axum::http::Method::POST && path == "/api/decisions";
    let page = req.method() == axum::http::Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/static/");
    let started = Instant::now();
    let response = next.run(req).await;
    let mut seen = seen.lock().unwrap();
    if decision {
        seen.decisions.push(started.elapsed());
    }
    if page {
        seen.pages.push(path);
    }
    response
}

/// 40 articles about invented people, each naming two and reporting one or two events.
fn seed_queue(dir: &Path) -> usize {
    let mut store = SqliteStore::open(dir).unwrap();
    let provenance = Provenance {
        extractor_version: "test".into(),
        actor: "test-ingest".into(),
    };
    let surnames = [
        "Abduraimov",
        "Bekirov",
        "Chelebiev",
        "Dzhemilev",
        "Emirov",
        "Fazylov",
        "Gafarov",
        "Khalilov",
        "Ibraimov",
        "Kurtseitov",
    ];
    for n in 0..ARTICLES {
        let a = format!("Rustem {}{}", surnames[n % 10], n);
        let b = format!("Lenara {}ova{}", surnames[(n + 3) % 10], n);
        let first =
            format!("Officers searched the home of {a} in Bakhchysarai at dawn, report {n} says.");
        let second = format!("Later that day a court placed {b} under arrest for two months.");
        let mut events = vec![("search", vec![0], "2025-02-03", 0)];
        if n % 2 == 0 {
            events.push(("arrest_custody", vec![1], "2025-02-04", 1));
        }
        let (original, analysed) = article(
            &format!("queue-{n}.txt"),
            &[first.as_str(), second.as_str()],
            &[a.as_str(), b.as_str()],
            &events,
        );
        store
            .store_article(&original, &analysed, &provenance, &KeyResolver)
            .unwrap();
    }
    store
        .review_queue_page(&QueueFilter::default(), None, 100)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.open as usize)
        .sum()
}

async fn start(dir: &Path, seen: Arc<Mutex<Seen>>) -> SocketAddr {
    let config = casebook_web::Config::new(dir);
    let (_, router) = casebook_web::application(config).unwrap();
    let router = router.layer(middleware::from_fn(move |req, next| {
        watch(seen.clone(), req, next)
    }));
    serve(router).await.unwrap()
}

async fn eval_i64(c: &Client, js: &str) -> i64 {
    c.execute(js, vec![]).await.unwrap().as_i64().unwrap_or(-1)
}

/// Polls until `js` gives `want`, or fails with `what`.
async fn until(c: &Client, js: &str, want: i64, what: &str) {
    let started = Instant::now();
    loop {
        if eval_i64(c, js).await == want {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

const OPEN_JS: &str =
    "return document.querySelectorAll('.claims .claim[data-state=suggested]').length;";
/// 1 while the page the test marked is still the one shown: no page load in between.
const SAME_PAGE_JS: &str = "return window.__reviewMark === 1 ? 1 : 0;";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reviewer_clears_a_queue_of_40_articles_by_keyboard() {
    let (chromium, _driver, driver_port) = start_driver();
    let data = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let claims = seed_queue(data.path());
    casebook_web::Accounts::open(data.path())
        .unwrap()
        .add_user(ANALYST.0, ANALYST.1, casebook_web::Role::Analyst)
        .unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let addr = start(data.path(), seen.clone()).await;
    // "localhost" is a secure context, so the browser keeps the Secure session cookie over HTTP.
    let base = format!("http://localhost:{}", addr.port());
    let c = browser(&chromium, driver_port, profile.path()).await;

    c.goto(&format!("{base}/login?next=/review/queue"))
        .await
        .unwrap();
    submit_login(&c, ANALYST, "table.review-queue")
        .await
        .unwrap();
    let clearing = seen.lock().unwrap().pages.len();
    click(&c, "a.review-link").await;
    let started = Instant::now();
    let (mut keys, mut decided, mut articles) = (0usize, 0usize, 0usize);
    loop {
        wait_for(&c, "[data-review] .claims").await;
        c.execute("window.__reviewMark = 1; return 1;", vec![])
            .await
            .unwrap();
        let open = eval_i64(&c, OPEN_JS).await;
        assert!(open > 0, "an article of the queue with nothing open");
        articles += 1;
        let has_next = eval_i64(
            &c,
            "return document.querySelector('[data-review]').getAttribute('data-next') ? 1 : 0;",
        )
        .await;
        for left in (0..open).rev() {
            // Every fifth claim is wrong in the reviewer's eyes.
            let key = if (decided + 1) % 5 == 0 { "n" } else { "y" };
            press(&c, key).await;
            keys += 1;
            decided += 1;
            if left > 0 || has_next == 0 {
                until(&c, OPEN_JS, left, "the claim to be decided in place").await;
                assert_eq!(
                    eval_i64(&c, SAME_PAGE_JS).await,
                    1,
                    "a page load between the claims of one article"
                );
            } else {
                // The last open claim: the next article opens by itself.
                until(&c, SAME_PAGE_JS, 0, "the next article to open").await;
            }
        }
        if has_next == 0 {
            break;
        }
    }
    let elapsed = started.elapsed();
    c.close().await.unwrap();

    let store = SqliteStore::open(data.path()).unwrap();
    let left = store
        .review_queue_page(&QueueFilter::default(), None, 10)
        .unwrap();
    assert!(
        left.rows.is_empty(),
        "the queue is cleared: {:?}",
        left.rows
    );
    assert_eq!(articles, ARTICLES);
    assert_eq!(decided, claims);
    let seen = seen.lock().unwrap();
    let loads = seen.pages.len() - clearing;
    let mut ms: Vec<f64> = seen
        .decisions
        .iter()
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    assert_eq!(ms.len(), claims, "one request per decision");
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!(
        "review in a real browser: {articles} articles, {claims} claims cleared in {:.1} s; \
         page loads {} ({:.2} per article, 0 between claims of one article); keys per claim {:.2}; \
         server time per decision p50 {p50:.1} ms, p99 {p99:.1} ms",
        elapsed.as_secs_f64(),
        loads,
        loads as f64 / articles as f64,
        keys as f64 / claims as f64,
    );
    assert_eq!(keys, claims, "one key per claim");
    // One page per article: the first opened from the queue, each later one by itself.
    assert_eq!(loads, ARTICLES, "{:?}", &seen.pages[clearing..]);
    assert!(p99 < 2000.0, "a decision took {p99:.0} ms");
}
