//! Headless Chromium driven over WebDriver, for the browser tests and the README's screenshots
//! (`examples/screenshots.rs` includes this file): finding the programs, starting chromedriver on
//! a free port, a client that waits for the browser to come up, the application served on
//! loopback, and the steps every browser test takes (log in, click, type, press a key, wait).

// The screenshots example includes this file too and uses only some of it.
#![allow(dead_code)]

use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// chromedriver, killed when the test ends (our own child process).
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn program(names: &[&str]) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{} is not installed: run scripts/install-chromium (as root: apt-get install -y chromium chromium-driver)",
                names[0]
            )
        })
}

/// Chromium and chromedriver, found on `PATH`, with chromedriver started on a free port.
pub fn start_driver() -> (PathBuf, Driver, u16) {
    let chromium = program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = program(&["chromedriver"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port for chromedriver");
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    (chromium, driver, port)
}

/// A session of headless Chromium through the chromedriver on `driver_port`, once it answers.
pub async fn browser(chromium: &Path, driver_port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
        {
            Ok(c) => return c,
            Err(e) if started.elapsed() < Duration::from_secs(30) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("Chromium cannot start: {e}"),
        }
    }
}

/// Serves `router` (with the peer's address, as `casebook serve` does) on an ephemeral loopback
/// port for the rest of the run; returns the address.
pub async fn serve(router: axum::Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        );
        if let Err(e) = served.await {
            eprintln!("the server stopped: {e}");
        }
    });
    Ok(addr)
}

/// Fills the login form on the page shown with `user` (name, password), submits it and waits for
/// the element `landing_css` of the page it leads to.
pub async fn submit_login(
    c: &Client,
    user: (&str, &str),
    landing_css: &str,
) -> Result<(), CmdError> {
    for (css, text) in [
        ("input[name=name]", user.0),
        ("input[name=password]", user.1),
    ] {
        c.find(Locator::Css(css)).await?.send_keys(text).await?;
    }
    c.find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css(landing_css)).await?;
    Ok(())
}

/// Clicks the element `css`.
pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} to click: {e}"))
        .click()
        .await
        .unwrap();
}

/// Types `text` into the element `css`.
pub async fn type_into(c: &Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} to type into: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

/// Presses `keys` on the page, as the keyboard shortcuts read them.
pub async fn press(c: &Client, keys: &str) {
    type_into(c, "body", keys).await;
}

/// Waits (fantoccini's default wait) for the element `css`.
pub async fn wait_for(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
}

/// The JSON the page shows (an API answer opened in the browser).
pub async fn page_json(c: &Client) -> serde_json::Value {
    let text = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
