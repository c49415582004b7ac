//! The application as a person uses it, in a real headless Chromium driven over WebDriver: log in,
//! ingest the example articles, find a person by a Cyrillic spelling, open the case file, confirm
//! an event, merge two people, protect a person and see the public view hide them, export; watch
//! a person, add a feed, see the alert arrive in the inbox and read it from the keyboard; and no
//! page wider than a 390-pixel phone screen (`CASEBOOK_SCREENSHOTS=DIR` keeps screenshots of them).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-chromium`, which `scripts/test`
//! runs); without them, or when Chromium cannot start, this test fails.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{
    browser, click, page_json, press, serve, start_driver, submit_login, type_into, wait_for,
};
use common::*;
use fantoccini::{Client, Locator};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

async fn start_server(dir: &Path, public: bool) -> SocketAddr {
    let mut config = casebook_web::Config::new(dir);
    config.public = public;
    // The feed this test fetches is served on 127.0.0.1.
    config.allow_private_fetch = true;
    let (_, router) = casebook_web::application(config).unwrap();
    serve(router).await.unwrap()
}

/// Waits until the page source satisfies `ready`, reloading `url` between looks.
async fn wait_for_page(c: &Client, url: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        c.goto(url).await.unwrap();
        let source = c.source().await.unwrap();
        if ready(&source) {
            return source;
        }
        if started.elapsed() > Duration::from_secs(120) {
            // What the page showed last, without its markup: the job's rows say where it stopped.
            let text = c
                .find(Locator::Css("main"))
                .await
                .ok()
                .map(|m| async move { m.text().await.unwrap_or_default() });
            let text = match text {
                Some(t) => t.await,
                None => String::new(),
            };
            panic!("timed out waiting for {what} at {url}; the page said:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn submit_decision(c: &Client, form_css: &str) {
    click(c, form_css).await;
    wait_for(c, "p.notice").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reviewer_works_through_the_register_in_a_real_browser() {
    let (chromium, _driver, driver_port) = start_driver();
    let data = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    {
        let accounts = casebook_web::Accounts::open(data.path()).unwrap();
        accounts
            .add_user(ADMIN.0, ADMIN.1, casebook_web::Role::Admin)
            .unwrap();
    }
    let addr = start_server(data.path(), false).await;
    // "localhost" is a secure context, so the browser keeps the Secure session cookie over HTTP.
    let base = format!("http://localhost:{}", addr.port());
    let c = browser(&chromium, driver_port, profile.path()).await;

    log_in(&c, &base).await;
    ingest_examples(&c, &base).await;
    let person_url = open_case_file_and_confirm(&c).await;
    let person_id = person_url.rsplit('/').next().unwrap().to_string();
    merge_other_spelling(&c, &base, &person_url, &person_id).await;
    let protected = confirm_and_protect(&c, &base, &person_url, &person_id).await;
    check_public_view(&c, data.path(), &person_id, &protected).await;
    check_exports(&c, &base, protected.is_some()).await;
    alerts_arrive_and_are_read(&c, &base).await;
    review_from_the_keyboard(&c, &base).await;
    readable_on_a_phone(&c, &base, &person_url).await;
    c.close().await.unwrap();
}

/// Logs in through the form and lands on the dashboard.
async fn log_in(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    submit_login(c, ADMIN, "section.figures").await.unwrap();
    assert!(c.source().await.unwrap().contains("Dashboard"));
}

/// A report, written for this test about an invented questioning, naming the activist of the
/// examples under a spelling the names stage does not join by itself.
const OTHER_SPELLING: &str = "Bilohirsk activist questioned again by the FSB\n\n12 March 2025\n\n\
Officers of the FSB summoned the Crimean Tatar activist Nuri Seit-Khalilov for questioning in \
Bilohirsk on 11 March 2025, his relatives said.\n\nNuri Seit-Khalilov was released after four \
hours. His lawyer said the officers asked about his posts on social networks.\n";

/// Ingests the example articles (and [`OTHER_SPELLING`]) through the upload form and waits until
/// search finds them.
async fn ingest_examples(c: &Client, base: &str) {
    c.goto(&format!("{base}/ingest")).await.unwrap();
    let examples = std::fs::canonicalize("../../examples").unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    // The engine joins the examples' spellings of Nuri Seitkhalilov by itself; this report gives a
    // spelling it keeps apart (no same-person claim either), for the reviewer to merge below.
    let extra = std::env::temp_dir().join(format!("casebook-browser-{}", std::process::id()));
    std::fs::create_dir_all(&extra).unwrap();
    let extra = extra.join("questioned-again.txt");
    std::fs::write(&extra, OTHER_SPELLING).unwrap();
    files.push(extra.display().to_string());
    type_into(c, "input[type=file]", &files.join("\n")).await;
    click(c, "form[enctype] button").await;
    let page = wait_for_page(c, &format!("{base}/ingest"), "the ingest job", |s| {
        s.contains(", finished")
    })
    .await;
    assert!(
        !page.contains("outcome-failed"),
        "an example failed to ingest"
    );
    // The index is rebuilt in the background after the job.
    let hit_page = wait_for_page(
        c,
        &format!("{base}/search?q=%D0%A1%D0%B5%D0%B9%D1%82%D1%85%D0%B0%D0%BB%D0%B8%D0%BB%D0%BE%D0%B2&kind=person"),
        "a person found by the Cyrillic spelling Сейтхалилов",
        |s| s.contains("hit-title"),
    )
    .await;
    assert!(
        hit_page.contains("Nuri"),
        "the Cyrillic search found someone else"
    );
}

/// Opens the case file from the search hit and confirms its first event; returns its address.
async fn open_case_file_and_confirm(c: &Client) -> String {
    click(c, "a.hit-title").await;
    wait_for(c, "header.person-head").await;
    let person_url = c.current_url().await.unwrap().to_string();
    let file = c.source().await.unwrap();
    assert!(file.contains("Timeline") && file.contains("blockquote class=\"evidence\""));
    assert!(
        file.contains("/originals/"),
        "the case file links to the untouched original"
    );

    // Confirm the first event of the timeline.
    submit_decision(c, ".timeline .event button.ok").await;
    let after = c.source().await.unwrap();
    assert!(after.contains("Decision #"), "no notice after confirming");
    assert!(
        after.contains("review review-confirmed"),
        "the event is not shown as confirmed"
    );
    person_url
}

/// Finds the other spelling's person and merges it into this one.
async fn merge_other_spelling(c: &Client, base: &str, person_url: &str, person_id: &str) {
    c.goto(&format!("{base}/api/persons?q=khalilov"))
        .await
        .unwrap();
    let list = page_json(c).await;
    let other = list
        .as_array()
        .unwrap()
        .iter()
        // The other spelling of the same man, not his wife, who shares the surname.
        .filter(|p| p["name"].as_str().is_some_and(|n| n.starts_with("Nuri ")))
        .map(|p| p["id"].as_str().unwrap().to_string())
        .find(|id| *id != person_id);
    if let Some(other) = other {
        c.goto(person_url).await.unwrap();
        type_into(c, "input[name=from]", &other).await;
        submit_decision(c, "form.inline button").await;
        let merged = c.source().await.unwrap();
        assert!(merged.contains("merge"), "the merge was not recorded");
        // The merged person's page now leads to the kept one.
        c.goto(&format!("{base}/persons/{other}")).await.unwrap();
        assert_eq!(c.current_url().await.unwrap().as_str(), person_url);
    } else {
        panic!("the uploads should give two spellings of Seitkhalilov as two people to merge");
    }
}

/// Confirms the person and hides the person's wife, a relative, from the public; returns her id.
async fn confirm_and_protect(
    c: &Client,
    base: &str,
    person_url: &str,
    person_id: &str,
) -> Option<String> {
    c.goto(person_url).await.unwrap();
    submit_decision(c, "form.inline button.ok").await;
    c.goto(&format!("{base}/api/persons?q=Elmaz"))
        .await
        .unwrap();
    let wife = page_json(c).await;
    let protected = wife
        .as_array()
        .and_then(|l| l.iter().find(|p| p["id"] != person_id))
        .map(|p| p["id"].as_str().unwrap().to_string());
    if let Some(wife_id) = &protected {
        c.goto(&format!("{base}/persons/{wife_id}")).await.unwrap();
        click(c, "select[name=level] option[value=hidden]").await;
        submit_decision(c, "form.stack button:not(.primary)").await;
        assert!(c.source().await.unwrap().contains("visibility: hidden"));
    }
    protected
}

/// The public view: confirmed facts only, the protected person nowhere.
async fn check_public_view(c: &Client, data: &Path, person_id: &str, protected: &Option<String>) {
    let public = start_server(data, true).await;
    let public_base = format!("http://localhost:{}", public.port());
    c.goto(&format!("{public_base}/persons/{person_id}"))
        .await
        .unwrap();
    let public_file = c.source().await.unwrap();
    assert!(public_file.contains("public view"));
    assert!(public_file.contains("Seitkhalilov") || public_file.contains("Seytkhalilov"));
    if let Some(protected_id) = protected {
        if let Some(at) = public_file.find("Elmaz") {
            let from = public_file[..at]
                .char_indices()
                .rev()
                .nth(80)
                .map_or(0, |(i, _)| i);
            panic!(
                "the public view shows a protected relative: …{}",
                &public_file[from..(at + 120).min(public_file.len())]
            );
        }
        c.goto(&format!("{public_base}/persons/{protected_id}"))
            .await
            .unwrap();
        assert!(c.source().await.unwrap().contains("404"));
    }
}

/// Exports, as the team and under the public policy, fetched by the page itself.
async fn check_exports(c: &Client, base: &str, protected: bool) {
    c.goto(&format!("{base}/")).await.unwrap();
    let fetch = "const [kind, done] = arguments; fetch(kind).then(r => r.text()).then(done);";
    let team = c
        .execute_async(fetch, vec![serde_json::json!("/export?format=json")])
        .await
        .unwrap();
    let team = team.as_str().unwrap();
    assert!(team.contains("Seitkhalilov") || team.contains("Seytkhalilov"));
    let public_export = c
        .execute_async(
            fetch,
            vec![serde_json::json!("/export?format=json&scope=public")],
        )
        .await
        .unwrap();
    let public_export = public_export.as_str().unwrap();
    serde_json::from_str::<serde_json::Value>(public_export).expect("the public export is JSON");
    if protected {
        assert!(team.contains("Elmaz"));
        assert!(
            !public_export.contains("Elmaz"),
            "the public export shows a protected relative"
        );
    }
}

/// Alerts: watches a person, adds a feed on the ingest page, sees the alert arrive and reads it.
async fn alerts_arrive_and_are_read(c: &Client, base: &str) {
    let host = news_host().await;
    c.goto(&format!("{base}/watch")).await.unwrap();
    type_into(c, "#add-watch input[name=value]", "Руслан Куртумеров").await;
    submit_decision(c, "#add-watch button").await;
    assert!(c.source().await.unwrap().contains("Watching person"));
    c.goto(&format!("{base}/ingest")).await.unwrap();
    type_into(
        c,
        "#add-sources textarea",
        &format!("http://{host}/feed.xml"),
    )
    .await;
    submit_decision(c, "#add-sources button").await;
    let jobs = wait_for_page(c, &format!("{base}/ingest"), "the feed's fetch job", |s| {
        s.contains("kurtumerov.html") && !s.contains("running…")
    })
    .await;
    assert!(
        jobs.contains("outcome-stored"),
        "the feed's page was not stored"
    );
    c.goto(&format!("{base}/")).await.unwrap();
    let badge = c
        .find(Locator::Css("#nav-alerts .unread-badge"))
        .await
        .expect("the navigation shows unread alerts");
    let unread: u64 = badge.text().await.unwrap().parse().unwrap();
    assert!(unread >= 1);
    click(c, "#nav-alerts").await;
    wait_for(c, "li.alert.unread").await;
    let inbox = c.source().await.unwrap();
    assert!(inbox.contains("Kurtumerov") && inbox.contains(&format!("{unread} unread")));
    // From the keyboard: the first alert is selected on arrival; "e" marks it read.
    press(c, "e").await;
    wait_for(c, "p.notice").await;
    let read = c.source().await.unwrap();
    assert!(
        read.contains(&format!("{} unread", unread - 1)),
        "the unread count did not drop"
    );
    // Then the rest at once.
    if unread > 1 {
        submit_decision(c, "#read-all").await;
    }
    // The notice of the page before may still be showing while the answer loads: wait for it.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !c.source().await.unwrap().contains("0 unread") {
        assert!(
            Instant::now() < deadline,
            "marking all alerts read left some unread"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(c
        .find(Locator::Css("#nav-alerts .unread-badge"))
        .await
        .is_err());
    assert!(c.find(Locator::Css("li.alert.unread")).await.is_err());
    // The alert leads to the evidence: the article page at the sentence.
    click(c, "a.alert-title").await;
    wait_for(c, "mark.evidence").await;
    assert!(c.source().await.unwrap().contains("Kurtumerov"));
}

/// The review queue from the keyboard.
async fn review_from_the_keyboard(c: &Client, base: &str) {
    // The review queue from the keyboard: the first claim is selected on arrival, "c" confirms it
    // (the page comes back without it, the next one selected), "u" undoes the decision.
    c.goto(&format!("{base}/review")).await.unwrap();
    let claim = c
        .find(Locator::Css(".queue .item.selected"))
        .await
        .expect("a claim is selected on arrival")
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    press(c, "c").await;
    wait_for(c, "p.notice").await;
    let confirmed = c.source().await.unwrap();
    assert!(confirmed.contains("recorded: confirm"), "c did not confirm");
    assert!(!confirmed.contains(&format!("id=\"{claim}\"")));
    assert!(c.find(Locator::Css(".queue .item.selected")).await.is_ok());
    press(c, "u").await;
    let started = Instant::now();
    while !c.source().await.unwrap().contains("undone by") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "u did not undo"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(c
        .source()
        .await
        .unwrap()
        .contains(&format!("id=\"{claim}\"")));
    // "?" shows the shortcuts.
    press(c, "?").await;
    assert!(c
        .find(Locator::Css("dialog#keys-help[open]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("confirm"));
}

/// Readable on a phone: at 390 pixels no page is wider than the screen.
async fn readable_on_a_phone(c: &Client, base: &str, person_url: &str) {
    c.set_window_size(390, 844).await.unwrap();
    let shots = std::env::var_os("CASEBOOK_SCREENSHOTS").map(PathBuf::from);
    let mut too_wide = Vec::new();
    for (name, path) in [
        ("dashboard", "/".to_string()),
        ("person", person_url.trim_start_matches(base).to_string()),
        ("review", "/review".to_string()),
        ("alerts", "/alerts".to_string()),
        ("watch", "/watch".to_string()),
        ("ingest", "/ingest".to_string()),
        ("search", "/search?q=Seitkhalilov".to_string()),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        if overflow.as_i64().unwrap_or(0) > 0 {
            too_wide.push(format!("{name} by {overflow} pixels"));
        }
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).unwrap();
            let png = c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-390.png")), png).unwrap();
        }
    }
    assert!(
        too_wide.is_empty(),
        "wider than a 390-pixel phone screen: {too_wide:?}"
    );
}

/// A news host on loopback: a feed listing one article page (an example page of the project).
async fn news_host() -> SocketAddr {
    let page = std::fs::read("../../examples/pages/utf8-en.html").unwrap();
    news_site(
        "Crimea Watch",
        &[(
            "/news/kurtumerov.html",
            "Court in Simferopol extends arrest of Crimean Tatar activist",
            None,
        )],
        "/news/kurtumerov.html",
        page,
    )
    .await
}
