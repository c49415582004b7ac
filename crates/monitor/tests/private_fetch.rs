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
