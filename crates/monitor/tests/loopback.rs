//! The monitor against HTTP servers on 127.0.0.1 only: feeds and pages served from memory, a slow host,
//! a broken host, a page edited after publication, a syndicated story, and a webhook receiver.
//!
//! The register is stood in for by `MiniRegister`: it keeps each page's bytes, resolves names with
//! casebook-names' person index (so spellings meet as in the register) and gives one event id to reports
//! of one event (same type, same person, same date), as the register's merge does. Which facts a page
//! reports is scripted per page, and only counted when the reporting sentence is in the bytes served.

#[path = "common/news_site.rs"]
mod news_site;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use casebook_monitor::*;
use news_site::{hits, lock, news_site, not_modified, put, Shared};
use std::collections::HashMap;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The news host

/// Serves a router on 127.0.0.1 (an ephemeral port) for the rest of the test; returns its origin.
async fn spawn(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

async fn news_host() -> (String, Shared) {
    let (router, site) = news_site();
    (spawn(router).await, site)
}

/// The news host with one story, the detention, listed in its Atom feed at `/feed.xml`.
async fn host_with_one_story() -> (String, Shared) {
    let (origin, site) = news_host().await;
    put(
        &site,
        "/news/detained",
        detention_story("Crimea Monitor"),
        "text/html",
    );
    put_feed(
        &site,
        &origin,
        &[("/news/detained", "Detained", "2025-06-03T10:00:00Z")],
    );
    (origin, site)
}

/// Publishes the Atom feed of `entries` (path, title, updated) at `/feed.xml`.
fn put_feed(site: &Shared, origin: &str, entries: &[(&str, &str, &str)]) {
    put(
        site,
        "/feed.xml",
        atom(origin, entries),
        "application/atom+xml",
    );
}

fn atom(origin: &str, entries: &[(&str, &str, &str)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Crimea Monitor</title><id>urn:crimea-monitor</id><updated>2025-06-04T12:00:00Z</updated>"#,
    );
    for (path, title, updated) in entries {
        xml.push_str(&format!(
            "<entry><title>{title}</title><id>urn:crimea-monitor:{path}</id><updated>{updated}</updated>\
             <link rel=\"alternate\" href=\"{origin}{path}\"/></entry>"
        ));
    }
    xml.push_str("</feed>");
    xml
}

fn article(outlet: &str, title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {outlet}</title>\
         <meta property=\"og:site_name\" content=\"{outlet}\"></head><body><nav>News · Rights · Contacts</nav>\
         <article><h1>{title}</h1>\n{body}</article><footer>© {outlet}</footer></body></html>"
    )
}

const SEARCH_SENTENCE: &str =
    "On 3 June 2025 FSB officers searched the house of Server Mustafaiev in Bakhchysarai and detained him.";

fn detention_story(outlet: &str) -> String {
    article(
        outlet,
        "Crimean Tatar activist detained after a search in Bakhchysarai",
        &[
            SEARCH_SENTENCE,
            "His lawyer Emine Kurtseitova said the officers did not show a warrant and seized two phones.",
            "Crimean Solidarity said it was the fourth search in the town this year.",
        ],
    )
}

fn court_story() -> String {
    article(
        "Crimea Monitor",
        "Hearing postponed in Simferopol",
        &[
            "The Kyivskyi District Court of Simferopol postponed the hearing of Rustem Seitveliev for the third time.",
            "Seitveliev has been held in the pre-trial detention centre since March.",
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// The register stand-in

#[derive(Clone)]
struct Fact {
    event_type: &'static str,
    name: &'static str,
    date: &'static str,
    place: &'static str,
    sentence: &'static str,
}

#[derive(Default)]
struct MiniRegister {
    /// page path → facts it reports
    script: HashMap<String, Vec<Fact>>,
    names: casebook_names::PersonIndex,
    next_person: u64,
    /// (type, person, date) → event id
    events: HashMap<(String, u64, String), String>,
    /// Every page handed in, as captured.
    captured: Vec<CapturedPage>,
    fail_next: bool,
}

impl MiniRegister {
    fn person(&mut self, name: &str) -> u64 {
        match self.names.resolve(name) {
            casebook_names::Resolution::Same(id, _) => id,
            _ => {
                self.next_person += 1;
                self.names.add_name(self.next_person, name);
                self.next_person
            }
        }
    }

    fn captured_for(&self, url_suffix: &str) -> Vec<&CapturedPage> {
        self.captured
            .iter()
            .filter(|p| p.url.ends_with(url_suffix))
            .collect()
    }
}

impl Sink for MiniRegister {
    fn ingest(&mut self, page: CapturedPage) -> Result<IngestReport, String> {
        if std::mem::take(&mut self.fail_next) {
            return Err("the register is locked".into());
        }
        let path = url::Url::parse(&page.url).unwrap().path().to_string();
        let text = String::from_utf8_lossy(&page.bytes).into_owned();
        let article_id = page.sha256.clone();
        let facts: Vec<Fact> = self
            .script
            .get(&path)
            .map(|f| {
                f.iter()
                    .filter(|f| text.contains(f.sentence))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let mut persons = Vec::new();
        let mut events = Vec::new();
        for Fact {
            event_type,
            name,
            date,
            place,
            sentence,
        } in facts
        {
            let pid = self.person(name);
            let person = ReportedPerson {
                id: format!("p-{pid}"),
                name: name.to_string(),
                other_names: Vec::new(),
            };
            let key = (event_type.to_string(), pid, date.to_string());
            let is_new = !self.events.contains_key(&key);
            let n = self.events.len() + 1;
            let id = self
                .events
                .entry(key)
                .or_insert_with(|| format!("e-{n}"))
                .clone();
            persons.push(person.clone());
            events.push(ReportedEvent {
                id,
                event_type: event_type.into(),
                date: Some(date.into()),
                place: Some(place.into()),
                victims: vec![person],
                evidence: sentence.into(),
                is_new,
            });
        }
        self.captured.push(page.clone());
        Ok(IngestReport {
            original_sha256: page.sha256,
            articles: vec![ReportedArticle {
                id: article_id,
                title: None,
                url: Some(page.url),
                persons,
                events,
                near_duplicates: Vec::new(),
            }],
            failures: Vec::new(),
        })
    }
}

fn detention_fact() -> Fact {
    Fact {
        event_type: "detention",
        name: "Server Mustafaiev",
        date: "2025-06-03",
        place: "Bakhchysarai",
        sentence: SEARCH_SENTENCE,
    }
}

// ---------------------------------------------------------------------------------------------

fn config() -> MonitorConfig {
    MonitorConfig {
        fetch: FetchConfig {
            timeout: Duration::from_millis(600),
            connect_timeout: Duration::from_millis(600),
            per_host_interval: Duration::from_millis(5),
            retries: 1,
            retry_backoff: Backoff {
                base: Duration::from_millis(20),
                max: Duration::from_millis(100),
            },
            // Every host of these tests is on 127.0.0.1.
            allow_private: true,
            ..FetchConfig::default()
        },
        source_backoff: Backoff {
            base: Duration::from_secs(300),
            max: Duration::from_secs(3600),
        },
        link_base: "https://casebook.example".into(),
        webhook_timeout: Duration::from_millis(600),
        ..MonitorConfig::default()
    }
}

fn monitor() -> Monitor {
    Monitor::with_state(MonitorState::in_memory().unwrap(), config()).unwrap()
}

/// A monitor whose one source is the feed at `origin`'s `/feed.xml`; returns it and the source's
/// id.
fn monitor_of_feed(origin: &str) -> (Monitor, i64) {
    let mut monitor = monitor();
    let id = add_source(
        &mut monitor,
        &format!("{origin}/feed.xml"),
        SourceKind::Feed,
    );
    (monitor, id)
}

/// Adds the source at `url`; returns its id.
fn add_source(monitor: &mut Monitor, url: &str, kind: SourceKind) -> i64 {
    monitor.add_source(url, kind).unwrap()
}

/// Posts every new alert to the webhook at `url` from now on.
fn set_webhook(monitor: &Monitor, url: &str) {
    monitor.state().set_webhook(Some(url)).unwrap();
}

/// Watches `value` (a person, an event type…) from now on; returns the watch's id.
fn watch(monitor: &Monitor, kind: WatchKind, value: &str) -> i64 {
    monitor
        .state()
        .add_watch(kind, value, &now_rfc3339())
        .unwrap()
}

fn checked(report: &RunReport, id: i64) -> (usize, usize, usize, usize, usize) {
    match &report.sources.iter().find(|s| s.id == id).unwrap().outcome {
        SourceOutcome::Checked {
            listed,
            new_pages,
            new_versions,
            unchanged_pages,
            failed_pages,
        } => (
            *listed,
            *new_pages,
            *new_versions,
            *unchanged_pages,
            *failed_pages,
        ),
        other => panic!("source {id}: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_items_arrive_and_an_unchanged_feed_costs_a_304() {
    let (origin, site) = news_host().await;
    put(
        &site,
        "/news/detained",
        detention_story("Crimea Monitor"),
        "text/html; charset=utf-8",
    );
    put(
        &site,
        "/news/hearing",
        court_story(),
        "text/html; charset=utf-8",
    );
    put(&site, "/private/draft", court_story(), "text/html");
    put_feed(
        &site,
        &origin,
        &[
            (
                "/news/detained",
                "Detained after a search",
                "2025-06-03T10:00:00Z",
            ),
            ("/news/hearing", "Hearing postponed", "2025-06-02T09:00:00Z"),
            ("/private/draft", "Draft", "2025-06-02T08:00:00Z"),
        ],
    );

    let (mut monitor, id) = monitor_of_feed(&origin);
    let mut register = MiniRegister::default();

    let first = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(checked(&first, id), (3, 2, 0, 0, 1));
    assert_eq!(register.captured.len(), 2);
    // robots.txt is honoured: the disallowed page is never requested, and the reason is reported.
    assert_eq!(hits(&site, "/private/draft"), 0);
    assert!(first
        .page_failures
        .iter()
        .any(|f| f.contains("/private/draft") && f.contains("robots.txt")));
    // The archived original is the bytes as served, with its SHA-256, URL and time of capture.
    let page = register.captured_for("/news/detained")[0];
    assert_eq!(page.bytes, detention_story("Crimea Monitor").into_bytes());
    let versions = monitor.state().versions(&page.url).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].sha256, page.sha256);
    assert_eq!(versions[0].captured_at, page.captured_at);

    let second = monitor.run_once(&mut register).await.unwrap();
    assert!(
        matches!(second.sources[0].outcome, SourceOutcome::NotModified),
        "{:?}",
        second.sources
    );
    assert_eq!(not_modified(&site, "/feed.xml"), 1);
    assert_eq!(
        hits(&site, "/news/detained"),
        1,
        "an unchanged feed fetches no page"
    );
    assert_eq!(register.captured.len(), 2);
    assert_eq!(
        hits(&site, "/robots.txt"),
        1,
        "robots.txt is read once, then kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_or_broken_host_times_out_without_blocking_the_others() {
    let (origin, _site) = host_with_one_story().await;
    // A host that accepts connections and never answers in time.
    let slow = spawn(Router::new().route(
        "/{*path}",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(20)).await;
            "too late"
        }),
    ))
    .await;
    // A host whose feed fails with a server error (robots.txt: none).
    let broken = spawn(Router::new().route(
        "/{*path}",
        get(|Path(path): Path<String>| async move {
            if path == "robots.txt" {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }),
    ))
    .await;

    let mut monitor = monitor();
    let slow_id = add_source(&mut monitor, &format!("{slow}/rss"), SourceKind::Feed);
    let broken_id = add_source(&mut monitor, &format!("{broken}/rss"), SourceKind::Feed);
    let good_id = add_source(
        &mut monitor,
        &format!("{origin}/feed.xml"),
        SourceKind::Feed,
    );
    let mut register = MiniRegister::default();

    let started = Instant::now();
    let report = monitor.run_once(&mut register).await.unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "the run took {took:?}");
    assert_eq!(
        checked(&report, good_id).1,
        1,
        "the good host's item arrived"
    );
    assert_eq!(register.captured.len(), 1);

    let sources = monitor.state().sources().unwrap();
    let slow_src = sources.iter().find(|s| s.id == slow_id).unwrap();
    let err = slow_src.last_error.as_deref().unwrap();
    // Said as any unreachable host is, so an answer never tells an open port from a closed one.
    assert!(err.contains(UNREACHABLE), "{err}");
    assert!(slow_src.error_since.is_some() && slow_src.next_attempt_at.is_some());
    let broken_src = sources.iter().find(|s| s.id == broken_id).unwrap();
    assert_eq!(broken_src.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(broken_src.failures, 1);
    let good_src = sources.iter().find(|s| s.id == good_id).unwrap();
    assert_eq!(
        (good_src.last_error.as_deref(), good_src.failures),
        (None, 0)
    );

    // The failing sources back off; the good one is checked again (a 304).
    let again = monitor.run_once(&mut register).await.unwrap();
    for id in [slow_id, broken_id] {
        let run = again.sources.iter().find(|s| s.id == id).unwrap();
        assert!(
            matches!(run.outcome, SourceOutcome::BackingOff { .. }),
            "{run:?}"
        );
    }
    let good = again.sources.iter().find(|s| s.id == good_id).unwrap();
    assert_eq!(good.outcome, SourceOutcome::NotModified);
    // The back-off did not reset when the failure began.
    let since = monitor.state().sources().unwrap()[0].error_since.clone();
    assert_eq!(since, slow_src.error_since);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_edited_after_publication_is_kept_as_a_second_version() {
    let (origin, site) = host_with_one_story().await;
    let (mut monitor, id) = monitor_of_feed(&origin);
    let mut register = MiniRegister::default();
    monitor.run_once(&mut register).await.unwrap();

    // The outlet edits the story and says so in its feed, updated at `updated`.
    let relist = |updated| {
        put_feed(
            &site,
            &origin,
            &[("/news/detained", "Detained, then released", updated)],
        )
    };
    let edited = detention_story("Crimea Monitor").replace(
        "seized two phones.",
        "seized two phones. Update: he was released late at night.",
    );
    put(&site, "/news/detained", edited.clone(), "text/html");
    relist("2025-06-04T07:30:00Z");
    let report = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(checked(&report, id), (1, 0, 1, 0, 0));

    let url = format!("{origin}/news/detained");
    let versions = monitor.state().versions(&url).unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    let pages = register.captured_for("/news/detained");
    assert_eq!(pages.len(), 2);
    assert_eq!(
        pages[0].bytes,
        detention_story("Crimea Monitor").into_bytes(),
        "the first version is kept untouched"
    );
    assert_eq!(pages[1].bytes, edited.into_bytes());
    assert_eq!(versions[0].sha256, pages[0].sha256);
    assert_eq!(versions[1].sha256, pages[1].sha256);
    assert_ne!(versions[0].sha256, versions[1].sha256);

    // A listing that changes without the page changing costs a 304 on the page, no new version.
    relist("2025-06-04T09:00:00Z");
    let report = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(checked(&report, id), (1, 0, 0, 1, 0));
    assert_eq!(not_modified(&site, "/news/detained"), 1);
    assert_eq!(monitor.state().versions(&url).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_person_under_a_new_spelling_raises_one_alert_and_the_webhook_gets_it() {
    // One story, syndicated by two outlets: two pages, two articles, one event (the feed is
    // replaced below by one listing both).
    let (origin, site) = host_with_one_story().await;
    put(
        &site,
        "/syndicated/detained",
        detention_story("Black Sea News"),
        "text/html",
    );
    put(&site, "/news/hearing", court_story(), "text/html");
    put_feed(
        &site,
        &origin,
        &[
            ("/news/detained", "Detained", "2025-06-03T10:00:00Z"),
            (
                "/syndicated/detained",
                "Detained (via Crimea Monitor)",
                "2025-06-03T11:00:00Z",
            ),
            ("/news/hearing", "Hearing", "2025-06-02T09:00:00Z"),
        ],
    );
    let mut register = MiniRegister::default();
    register
        .script
        .insert("/news/detained".into(), vec![detention_fact()]);
    register
        .script
        .insert("/syndicated/detained".into(), vec![detention_fact()]);

    let mut monitor = monitor();
    add_source(
        &mut monitor,
        &format!("{origin}/feed.xml"),
        SourceKind::Feed,
    );
    // The same pages are also listed by a URL list and a sitemap of the site.
    put(
        &site,
        "/watched.txt",
        format!("# pages to watch\n{origin}/news/detained\n"),
        "text/plain",
    );
    put(
        &site,
        "/sitemap.xml",
        format!(
            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
             <url><loc>{origin}/news/hearing</loc><lastmod>2025-06-02</lastmod></url></urlset>"
        ),
        "application/xml",
    );
    let list_id = add_source(
        &mut monitor,
        &format!("{origin}/watched.txt"),
        SourceKind::Urls,
    );
    let map_id = add_source(
        &mut monitor,
        &format!("{origin}/sitemap.xml"),
        SourceKind::Sitemap,
    );
    // Watched under the spelling the register had; the story writes "Mustafaiev".
    let watch_id = watch(&monitor, WatchKind::Person, "Server Mustafayev");
    watch(&monitor, WatchKind::Person, "Rustem Seitveliev");
    set_webhook(&monitor, &format!("{origin}/hook"));

    let report = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(register.captured.len(), 3);
    // Listed by several sources, each page is fetched once.
    assert_eq!(
        (hits(&site, "/news/detained"), hits(&site, "/news/hearing")),
        (1, 1)
    );
    assert_eq!(checked(&report, list_id).0, 1);
    assert_eq!(checked(&report, map_id).0, 1);
    let alerts: Vec<&Alert> = report
        .alerts
        .iter()
        .filter(|a| a.watch_id == watch_id)
        .collect();
    assert_eq!(alerts.len(), 1, "{:#?}", report.alerts);
    assert_eq!(
        report.alerts.len(),
        1,
        "the court story reports no fact of the other watched person"
    );
    let alert = alerts[0];
    assert!(
        alert.summary.contains("Server Mustafaiev"),
        "{}",
        alert.summary
    );
    assert_eq!(alert.evidence.as_deref(), Some(SEARCH_SENTENCE));
    assert_eq!(alert.event_type.as_deref(), Some("detention"));
    assert!(!alert.read);
    assert_eq!(monitor.state().unread_count().unwrap(), 1);

    // The webhook receiver on loopback got it, with links to the evidence.
    assert_eq!(report.webhooks_delivered, 1);
    let hooks = lock(&site).hooks.clone();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["alert"]["dedup_key"], alert.dedup_key.as_str());
    assert_eq!(
        hooks[0]["links"]["article"],
        format!("https://casebook.example/articles/{}", alert.article_id)
    );
    assert!(hooks[0]["text"].as_str().unwrap().contains("detention"));
    assert!(monitor
        .state()
        .alert(alert.id)
        .unwrap()
        .unwrap()
        .webhook_delivered_at
        .is_some());

    // The Atom feed of alerts carries it too.
    let xml = render_alerts(
        &monitor.state().alerts(false, 50).unwrap(),
        "https://casebook.example",
    );
    assert!(xml.contains(&format!("/articles/{}", alert.article_id)));

    // A later run delivers nothing twice.
    let later = monitor.run_once(&mut register).await.unwrap();
    assert_eq!((later.alerts.len(), later.webhooks_delivered), (0, 0));
    assert_eq!(lock(&site).hooks.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_webhook_or_sink_is_recorded_and_tried_again() {
    let (origin, site) = host_with_one_story().await;
    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let mut register = MiniRegister::default();
    register
        .script
        .insert("/news/detained".into(), vec![detention_fact()]);
    register.fail_next = true;
    let (mut monitor, id) = monitor_of_feed(&origin);
    watch(&monitor, WatchKind::EventType, "detention");
    set_webhook(&monitor, &format!("http://{closed}/hook"));

    // The sink refuses the page: nothing archived, the page is fetched again next time.
    let first = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(checked(&first, id), (1, 0, 0, 0, 1));
    assert!(first.page_failures[0].contains("the register is locked"));
    let url = format!("{origin}/news/detained");
    assert!(monitor.state().versions(&url).unwrap().is_empty());

    // Touch the feed so it is not a 304; the failed page is retried and stored.
    put_feed(
        &site,
        &origin,
        &[("/news/detained", "Detained.", "2025-06-03T10:00:00Z")],
    );
    let second = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(checked(&second, id), (1, 1, 0, 0, 0));
    assert_eq!(second.alerts.len(), 1);
    assert_eq!((second.webhooks_delivered, second.webhooks_failed), (0, 1));
    let alert = monitor.state().alert(second.alerts[0].id).unwrap().unwrap();
    assert_eq!(alert.webhook_attempts, 1);
    assert!(alert.webhook_error.is_some());
    assert!(alert.webhook_delivered_at.is_none());

    // Once the webhook works, the pending alert is delivered on the next run.
    set_webhook(&monitor, &format!("{origin}/hook"));
    let third = monitor.run_once(&mut register).await.unwrap();
    assert_eq!(third.webhooks_delivered, 1);
    assert_eq!(lock(&site).hooks.len(), 1);
}

#[test]
fn the_poller_can_run_on_a_multi_threaded_runtime() {
    fn assert_send<T: Send>(_: &T) {}
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let future = monitor().poll_forever(MiniRegister::default(), Duration::from_secs(60), rx);
    assert_send(&future);
}
