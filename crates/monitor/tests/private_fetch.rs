//! The fetcher's address guard: loopback and private addresses are refused unless allowed, and a
//! failed connection says the same whether the port was open or closed.

use casebook_monitor::{FetchConfig, FetchError, Fetcher, Validators, UNREACHABLE};
use std::io::Write;
use std::net::TcpListener;
use std::time::Duration;

fn fetcher(allow_private: bool) -> Fetcher {
    Fetcher::new(FetchConfig {
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(800),
        retries: 0,
        allow_private,
        ..FetchConfig::default()
    })
    .unwrap()
}

/// A port that accepts connections and answers something that is not HTTP.
fn open_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
        }
    });
    port
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

async fn error_of(fetcher: &Fetcher, url: &str) -> FetchError {
    fetcher
        .fetch(url, &Validators::default())
        .await
        .expect_err(url)
}

#[tokio::test]
async fn loopback_and_private_addresses_are_refused_before_any_connection() {
    let f = fetcher(false);
    let (open, closed) = (open_port(), closed_port());
    let mut messages = Vec::new();
    for url in [
        format!("http://127.0.0.1:{open}/feed.xml"),
        format!("http://127.0.0.1:{closed}/feed.xml"),
        format!("http://localhost:{open}/feed.xml"),
        format!("http://[::1]:{closed}/"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://10.0.0.1/".to_string(),
        "http://2130706433/".to_string(),
    ] {
        let err = error_of(&f, &url).await;
        assert!(matches!(err, FetchError::NonPublic(_)), "{url}: {err:?}");
        messages.push(err.to_string());
    }
    assert!(
        messages[0].contains("--allow-private-fetch"),
        "{}",
        messages[0]
    );
    assert!(messages.iter().all(|m| *m == messages[0]), "{messages:?}");
}

#[tokio::test]
async fn when_allowed_an_open_port_and_a_closed_one_fail_alike() {
    let f = fetcher(true);
    let open = error_of(&f, &format!("http://127.0.0.1:{}/feed.xml", open_port())).await;
    let closed = error_of(&f, &format!("http://127.0.0.1:{}/feed.xml", closed_port())).await;
    assert!(open.to_string().contains(UNREACHABLE), "{open:?}");
    assert_eq!(
        open.to_string(),
        closed.to_string(),
        "{open:?} / {closed:?}"
    );
}

/// A sink that is never called: these monitors have no sources.
struct NoPages;

impl casebook_monitor::Sink for NoPages {
    fn ingest(
        &mut self,
        _page: casebook_monitor::CapturedPage,
    ) -> Result<casebook_monitor::IngestReport, String> {
        Err("no page expected".into())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_on_a_private_address_is_refused_unless_allowed() {
    use casebook_monitor::{AlertDraft, Monitor, MonitorConfig, MonitorState};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    // A receiver on loopback that counts the connections it gets.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
        }
    });
    for hook in [
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://localhost:{port}/hook"),
    ] {
        let state = MonitorState::in_memory().unwrap();
        let draft = AlertDraft {
            watch_id: 1,
            dedup_key: "w1:event:e1".into(),
            title: "Detention".into(),
            summary: "A watched person was detained".into(),
            person_id: None,
            event_id: Some("e1".into()),
            event_type: Some("detention".into()),
            article_id: "a1".into(),
            url: None,
            evidence: None,
            same_story_keys: Vec::new(),
        };
        let alert = state
            .insert_alert(&draft, "2025-06-03T10:00:00Z")
            .unwrap()
            .unwrap();
        state.set_webhook(Some(&hook)).unwrap();
        let mut monitor = Monitor::with_state(state, MonitorConfig::default()).unwrap();
        let report = monitor.run_once(&mut NoPages).await.unwrap();
        assert_eq!((report.webhooks_delivered, report.webhooks_failed), (0, 1));
        let stored = monitor.state().alert(alert.id).unwrap().unwrap();
        let error = stored.webhook_error.unwrap_or_default();
        assert!(error.contains("not public"), "{hook}: {error}");
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}
