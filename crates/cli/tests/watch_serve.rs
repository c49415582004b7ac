//! Monitoring end to end through the built `casebook` binary, without the internet: news sites, their
//! feeds and a webhook receiver are served from memory on 127.0.0.1, and the real pipeline and
//! register read what the monitor fetches (`casebook watch run`, and the poller of `casebook serve`).
//!
//! The people in these articles are invented.

mod common;

// The news site the monitor's own tests serve.
#[path = "../../monitor/tests/common/news_site.rs"]
mod news_site;

use common::{casebook, free_port, ok, Scratch};
use news_site::{hits, lock, news_site, not_modified, put, Shared};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The news host on loopback

/// Starts the news host on an ephemeral loopback port, on a thread of its own for the rest of the
/// test process; returns its origin and its shared state.
fn news_host() -> (String, Shared) {
    let (router, site) = news_site();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let _ = axum::serve(listener, router).await;
        });
    });
    (origin, site)
}

/// An RSS 2.0 feed of the items (path, title, RFC 2822 date), newest first.
fn rss(origin: &str, outlet: &str, items: &[(&str, &str, &str)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{outlet}</title>\
         <link>{origin}/</link><description>News from Crimea</description>\n"
    );
    for (path, title, date) in items {
        xml.push_str(&format!(
            "<item><title>{title}</title><link>{origin}{path}</link><guid>{origin}{path}</guid>\
             <pubDate>{date}</pubDate></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// Publishes the RSS feed of `outlet` listing `items` (path, title, RFC 2822 date) at `path`.
fn put_feed(site: &Shared, origin: &str, path: &str, outlet: &str, items: &[(&str, &str, &str)]) {
    put(
        site,
        path,
        rss(origin, outlet, items),
        "application/rss+xml",
    );
}

fn page(outlet: &str, published: &str, title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {outlet}</title>\
         <meta property=\"og:site_name\" content=\"{outlet}\">\
         <meta property=\"article:published_time\" content=\"{published}\"></head>\
         <body><nav>News · Rights · Contacts</nav><article><h1>{title}</h1>\n{body}</article>\
         <footer>© {outlet}</footer></body></html>"
    )
}

/// The first report: a search and a detention, the man's surname spelled with an `i`.
fn search_story() -> String {
    page(
        "Crimea Monitor",
        "2025-03-04T10:15:00+00:00",
        "Crimean Tatar activist Enver Seitumerov detained after a search in Stary Krym",
        &[
            "On 3 March 2025 FSB officers searched the house of the Crimean Tatar activist Enver Seitumerov in Stary Krym and detained him.",
            "The search lasted about three hours; the officers seized two phones and religious books, his wife Lilia said.",
            "His lawyer Rustem Kemalov said he was not allowed into the house while the search went on.",
        ],
    )
}

/// A later story two outlets carry word for word, the surname spelled with a `y`.
fn remand_story(outlet: &str) -> String {
    page(
        outlet,
        "2025-04-16T08:00:00+00:00",
        "Court remands Enver Seytumerov in custody for two more months",
        &[
            "On 15 April 2025 the Kyivskyi District Court of Simferopol remanded Enver Seytumerov in custody until 15 June.",
            "His relatives said that he suffers from a heart condition and has not received treatment.",
        ],
    )
}

/// A report about another invented man, for the serve test.
fn fine_story() -> String {
    page(
        "Crimea Monitor",
        "2025-05-21T09:30:00+00:00",
        "Citizen journalist Izzet Abduramanov fined for a post",
        &[
            "On 20 May 2025 a court in Bilohirsk fined the citizen journalist Izzet Abduramanov 40,000 roubles for a post about a search.",
            "Abduramanov has filmed court hearings of Crimean Tatars since 2020.",
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// The binary

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&out.stdout)))
}

/// The register's articles, through `casebook export --format json`.
fn exported_articles(data: &Path) -> Vec<serde_json::Value> {
    let out = ok(casebook(data).args(["export", "--format", "json"]));
    json(&out)["articles"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn article_urls(data: &Path) -> Vec<String> {
    exported_articles(data)
        .iter()
        .filter_map(|a| a["url"].as_str().map(str::to_string))
        .collect()
}

fn watch_run(data: &Path) -> serde_json::Value {
    json(&ok(casebook(data).args([
        "watch",
        "run",
        "--json",
        "--allow-private-fetch",
    ])))
}

fn source_outcome(report: &serde_json::Value, url: &str) -> String {
    report["sources"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["url"] == url))
        .and_then(|s| s["outcome"].as_str())
        .unwrap_or_else(|| panic!("no source {url} in {report:#}"))
        .to_string()
}

// ---------------------------------------------------------------------------------------------

#[test]
fn watch_run_stores_feed_articles_costs_a_304_when_unchanged_and_alerts_once_per_story() {
    let scratch = Scratch::new("run");
    let data = scratch.0.join("data");
    let (origin, site) =
        watched_search_story(&data, "Activist detained after a search in Stary Krym");
    let monitor_feed = format!("{origin}/crimea-monitor/feed.xml");
    let search_url = format!("{origin}{SEARCH_PATH}");

    // 1. The feed's article goes through the whole pipeline into the register.
    let report = watch_run(&data);
    assert_eq!(source_outcome(&report, &monitor_feed), "checked");
    assert_eq!(report["ingested"], 1, "{report:#}");
    assert_eq!(article_urls(&data), vec![search_url.clone()]);
    let export = json(&ok(casebook(&data).args(["export", "--format", "json"])));
    let persons = export["persons"].as_array().cloned().unwrap_or_default();
    assert!(
        persons
            .iter()
            .any(|p| p["name"].as_str() == Some("Enver Seitumerov")),
        "{persons:#?}"
    );
    let events = export["events"].as_array().cloned().unwrap_or_default();
    assert!(!events.is_empty(), "no event read from the search story");

    // 2. Unchanged: the feed answers 304 and nothing new is stored.
    let report = watch_run(&data);
    assert_eq!(source_outcome(&report, &monitor_feed), "not_modified");
    assert_eq!(report["ingested"], 0, "{report:#}");
    assert_eq!(not_modified(&site, "/crimea-monitor/feed.xml"), 1);
    assert_eq!(exported_articles(&data).len(), 1);

    // 3. The man is watched under the first spelling; a second outlet syndicates the next story,
    //    and both copies write the surname differently. One alert, and the webhook gets it.
    ok(casebook(&data).args(["watch", "person", "Enver Seitumerov"]));
    ok(casebook(&data).args(["watch", "webhook", &format!("{origin}/hook")]));
    let qirim_feed = format!("{origin}/qirim-news/rss");
    ok(casebook(&data).args(["watch", "add", &qirim_feed]));
    put_feed(
        &site,
        &origin,
        "/crimea-monitor/feed.xml",
        "Crimea Monitor",
        &[
            (
                "/crimea-monitor/2025/04/remand.html",
                "Court remands activist",
                "Wed, 16 Apr 2025 08:00:00 GMT",
            ),
            (
                "/crimea-monitor/2025/03/search-stary-krym.html",
                "Activist detained after a search in Stary Krym",
                "Tue, 04 Mar 2025 10:15:00 GMT",
            ),
        ],
    );
    put(
        &site,
        "/crimea-monitor/2025/04/remand.html",
        remand_story("Crimea Monitor"),
        "text/html; charset=utf-8",
    );
    put_feed(
        &site,
        &origin,
        "/qirim-news/rss",
        "Qirim News",
        &[(
            "/qirim-news/news/court-remands-seytumerov",
            "Court remands activist",
            "Wed, 16 Apr 2025 09:00:00 GMT",
        )],
    );
    put(
        &site,
        "/qirim-news/news/court-remands-seytumerov",
        remand_story("Qirim News"),
        "text/html; charset=utf-8",
    );

    let report = watch_run(&data);
    assert_eq!(report["ingested"], 2, "{report:#}");
    assert_eq!(exported_articles(&data).len(), 3);
    let alerts = report["alerts"].as_array().cloned().unwrap_or_default();
    assert_eq!(alerts.len(), 1, "one story, one alert: {alerts:#?}");
    assert_eq!(report["webhooks_delivered"], 1, "{report:#}");
    let hooks = lock(&site).hooks.clone();
    assert_eq!(hooks.len(), 1, "{hooks:#?}");
    let summary = hooks[0]["alert"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("Enver Seitumerov") && summary.contains("Seytumerov"),
        "the alert names the watched man and the new spelling: {summary}"
    );
    let inbox = json(&ok(casebook(&data).args(["watch", "alerts", "--json"])));
    assert_eq!(inbox.as_array().map(Vec::len), Some(1), "{inbox:#}");

    // 4. A run with nothing new raises nothing and posts nothing.
    let report = watch_run(&data);
    assert_eq!(report["ingested"], 0, "{report:#}");
    assert_eq!(report["alerts"].as_array().map(Vec::len), Some(0));
    assert_eq!(lock(&site).hooks.len(), 1);
}

/// Waits (bounded) until `check` holds; panics with `what` when it never does.
fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Where the first report stands on the news host.
const SEARCH_PATH: &str = "/crimea-monitor/2025/03/search-stary-krym.html";

/// The news host with the first report, listed in Crimea Monitor's feed under `title`, which the register in
/// `data` watches; returns the host's origin and state.
fn watched_search_story(data: &Path, title: &str) -> (String, Shared) {
    let (origin, site) = news_host();
    put_feed(
        &site,
        &origin,
        "/crimea-monitor/feed.xml",
        "Crimea Monitor",
        &[(SEARCH_PATH, title, "Tue, 04 Mar 2025 10:15:00 GMT")],
    );
    put(
        &site,
        SEARCH_PATH,
        search_story(),
        "text/html; charset=utf-8",
    );
    ok(casebook(data).args(["watch", "add", &format!("{origin}/crimea-monitor/feed.xml")]));
    (origin, site)
}

/// Starts `casebook serve` on `addr` with `flags`, fetching from loopback, its log written to
/// `log`.
fn serve(data: &Path, addr: &str, flags: &[&str], log: &Path) -> Child {
    casebook(data)
        .args(["serve", "--addr", addr])
        .args(flags)
        .args(["--poll-interval", "1", "--allow-private-fetch"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Stops the server as a service manager would (SIGTERM) and waits for it to exit.
fn stop(mut child: Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("casebook serve did not stop within 20 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_polls_the_watched_sources_by_itself_and_a_failing_source_does_not_stop_it() {
    let scratch = Scratch::new("serve");
    let data = scratch.0.join("data");
    let (origin, site) = watched_search_story(&data, "Activist detained");
    let first = SEARCH_PATH;
    let second = "/crimea-monitor/2025/05/fined.html";
    put(&site, second, fine_story(), "text/html");
    // A source on a port nothing listens on: it fails every run.
    let dead = format!("http://127.0.0.1:{}/feed.xml", free_port());
    ok(casebook(&data).args(["watch", "add", &dead]));

    let log = scratch.0.join("serve.log");
    let addr = format!("127.0.0.1:{}", free_port());
    let child = serve(&data, &addr, &[], &log);
    let limit = Duration::from_secs(90);
    let first_url = format!("{origin}{first}");
    wait_for("the first feed item in the register", limit, || {
        article_urls(&data).contains(&first_url)
    });

    // A new item appears in the feed; the poller picks it up without being asked.
    put_feed(
        &site,
        &origin,
        "/crimea-monitor/feed.xml",
        "Crimea Monitor",
        &[
            (second, "Journalist fined", "Wed, 21 May 2025 09:30:00 GMT"),
            (first, "Activist detained", "Tue, 04 Mar 2025 10:15:00 GMT"),
        ],
    );
    let second_url = format!("{origin}{second}");
    wait_for("the new feed item in the register", limit, || {
        article_urls(&data).contains(&second_url)
    });
    assert_eq!(exported_articles(&data).len(), 2);

    // The server still answers after runs with a failing source.
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = stop(child);
    assert!(status.success(), "casebook serve exited with {status}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("failing"), "{log}");
    // Logs carry counts, never the people the articles name.
    for name in ["Seitumerov", "Abduramanov", "Lilia", "Kemalov"] {
        assert!(!log.contains(name), "{name} in the log:\n{log}");
    }
    // The failing source is recorded with its error, for `casebook watch list`.
    let sources = json(&ok(casebook(&data).args(["watch", "list", "--json"])));
    let failing = sources
        .as_array()
        .and_then(|s| s.iter().find(|s| s["url"] == dead.as_str()))
        .cloned()
        .unwrap_or_default();
    assert!(failing["last_error"].is_string(), "{sources:#}");
}

#[test]
fn serve_with_no_poll_leaves_the_sources_to_cron() {
    let scratch = Scratch::new("nopoll");
    let data = scratch.0.join("data");
    let (origin, site) = watched_search_story(&data, "Activist detained");
    let first = SEARCH_PATH;

    let log = scratch.0.join("serve.log");
    let addr = format!("127.0.0.1:{}", free_port());
    let child = serve(&data, &addr, &["--no-poll"], &log);
    wait_for("the server to listen", Duration::from_secs(60), || {
        std::net::TcpStream::connect(&addr).is_ok()
    });
    // Several poll intervals pass; the feed is never asked for.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(hits(&site, "/crimea-monitor/feed.xml"), 0);
    let status = stop(child);
    assert!(status.success(), "casebook serve exited with {status}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("the poller is off"), "{log}");

    // The cron path still works on the same data directory.
    let report = watch_run(&data);
    assert_eq!(report["ingested"], 1, "{report:#}");
    assert_eq!(article_urls(&data), vec![format!("{origin}{first}")]);
}
