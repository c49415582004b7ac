//! Load test on loopback: search and case-file pages while an ingest runs.
//!
//! `cargo run --release -p casebook-web --example load -- --requests 2000 --seconds 30`
//!
//! Starts the server on 127.0.0.1 over a fresh data directory, ingests the repository's example
//! articles, then starts a second ingest of synthetic variants and, while it runs, sends at most
//! `--requests` requests (half searches, half case-file pages) over `--concurrency` connections for
//! at most `--seconds`. Prints requests/s and latency percentiles per page kind, and fails when any
//! request failed.

use axum::body::Body;
use http_body_util::BodyExt;
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Options {
    requests: usize,
    seconds: u64,
    concurrency: usize,
    synthetic: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        requests: 2000,
        seconds: 30,
        concurrency: 8,
        synthetic: 300,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "load: search and case-file pages under load on loopback while an ingest runs\n\n\
             usage: load [--requests N] [--seconds S] [--concurrency C] [--synthetic FILES]\n\n\
             --requests N      requests sent at most (default {})\n\
             --seconds S       time spent at most (default {})\n\
             --concurrency C   connections at once (default {})\n\
             --synthetic FILES files of the background ingest (default {})\n\n\
             Prints requests/s and p50/p95/p99 latency per page kind; exits 1 on any failed request.",
            o.requests, o.seconds, o.concurrency, o.synthetic
        );
        std::process::exit(0);
    }
    let mut i = 0;
    while i < args.len() {
        let value = args
            .get(i + 1)
            .ok_or_else(|| format!("{} needs a value", args[i]))?;
        let n: usize = value
            .parse()
            .map_err(|_| format!("{} needs a number, not {value:?}", args[i]))?;
        match args[i].as_str() {
            "--requests" => o.requests = n.clamp(1, 1_000_000),
            "--seconds" => o.seconds = (n as u64).clamp(1, 3600),
            "--concurrency" => o.concurrency = n.clamp(1, 256),
            "--synthetic" => o.synthetic = n.clamp(0, 100_000),
            other => return Err(format!("unknown option {other}")),
        }
        i += 2;
    }
    Ok(o)
}

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Body>;

async fn call(
    client: &HttpClient,
    req: Request<Body>,
) -> Result<(u16, hyper::HeaderMap, Vec<u8>), String> {
    let res = client.request(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes()
        .to_vec();
    Ok((status, headers, body))
}

fn multipart(files: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "casebook-load-boundary-51c2";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Invented surnames and given names for the synthetic variants of the examples.
const SURNAMES: [&str; 8] = [
    "Abduraimov",
    "Kurtumerov",
    "Seitveliev",
    "Memetov",
    "Ibraimov",
    "Osmanov",
    "Yakubov",
    "Bekirov",
];
const GIVEN: [&str; 6] = ["Ruslan", "Eskender", "Lenur", "Ayder", "Server", "Enver"];

/// Latencies of search pages, of case-file pages, and the count of failed requests.
type Samples = (Vec<Duration>, Vec<Duration>, usize);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Starts the application on a loopback port over a fresh data directory with one analyst; returns
/// the directory (removed when dropped), the base URL and a client.
async fn start_app() -> (tempfile::TempDir, String, HttpClient) {
    let data = tempfile::tempdir().expect("a temporary data directory");
    let accounts = casebook_web::Accounts::open(data.path()).expect("accounts");
    accounts
        .add_user(
            "loadtester",
            "load test password",
            casebook_web::Role::Analyst,
        )
        .expect("an account");
    let mut config = casebook_web::Config::new(data.path());
    config.max_body_bytes = 256 * 1024 * 1024;
    let (_, router) = casebook_web::application(config).expect("the application starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let base = format!("http://{addr}");
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    (data, base, client)
}

/// Logs the analyst in; returns the session cookie and the CSRF token.
async fn log_in(client: &HttpClient, base: &str) -> (String, String) {
    let login = Request::post(format!("{base}/api/session"))
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"name":"loadtester","password":"load test password"}"#,
        ))
        .expect("a request");
    let (status, headers, body) = call(client, login).await.expect("login");
    assert_eq!(status, 200, "login failed");
    let cookie = headers["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let csrf = serde_json::from_slice::<serde_json::Value>(&body).expect("json")["csrf"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (cookie, csrf)
}

/// The repository's example articles, by file name.
fn read_examples() -> Vec<(String, Vec<u8>)> {
    let examples_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut examples: Vec<(String, Vec<u8>)> = std::fs::read_dir(&examples_dir)
        .expect("the examples folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    examples.sort();
    examples
}

/// `count` variants of the examples, with other names and dates.
fn synthetic_variants(examples: &[(String, Vec<u8>)], count: usize) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|i| {
            let (name, bytes) = &examples[i % examples.len()];
            let text = String::from_utf8_lossy(bytes)
                .replace("Seitkhalilov", SURNAMES[i % SURNAMES.len()])
                .replace("Seytkhalilov", SURNAMES[i % SURNAMES.len()])
                .replace("Nuri", GIVEN[(i / SURNAMES.len()) % GIVEN.len()])
                .replace("2025", &format!("{}", 2015 + i % 10));
            (
                format!("synthetic-{i}-{name}"),
                format!("{text}\n\nReference {i}.\n").into_bytes(),
            )
        })
        .collect()
}

/// What the background ingest job got through during the run.
async fn background_state(
    client: &HttpClient,
    base: &str,
    cookie: &str,
    background: Option<u64>,
) -> String {
    match background {
        Some(job) => {
            let req = Request::get(format!("{base}/api/ingest/jobs/{job}"))
                .header("cookie", cookie)
                .body(Body::empty())
                .expect("req");
            call(client, req)
                .await
                .ok()
                .and_then(|(_, _, b)| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .map(|j| {
                    format!(
                        "{} of {} files ingested during the run{}",
                        j["done"],
                        j["total"],
                        if j["finished"] == true {
                            " (finished)"
                        } else {
                            " (still running)"
                        }
                    )
                })
                .unwrap_or_default()
        }
        None => "no background ingest".into(),
    }
}

/// Waits until an ingest job has finished.
async fn wait_for_job(client: &HttpClient, base: &str, cookie: &str, job: u64) {
    loop {
        let req = Request::get(format!("{base}/api/ingest/jobs/{job}"))
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("req");
        let (_, _, body) = call(client, req).await.expect("job");
        if serde_json::from_slice::<serde_json::Value>(&body)
            .map(|j| j["finished"] == true)
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the searches of the load look for.
const QUERIES: [&str; 8] = [
    "Сейтхалилов",
    "Seytkhalilov",
    "Celal",
    "Chubarov",
    "Onyshchenko",
    "detained",
    "Bilohirsk",
    "Джелял",
];

/// The `n`th request of the load: a search (even `n`) or a case-file page; true for a search.
fn load_url(n: usize, base: &str, persons: &[String]) -> (bool, String) {
    // `is_multiple_of` is newer than the workspace's rust-version (1.80).
    #[allow(clippy::manual_is_multiple_of)]
    let search = n % 2 == 0;
    let url = if search {
        let q: String = QUERIES[n / 2 % QUERIES.len()]
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        format!("{base}/search?q={q}")
    } else {
        format!("{base}/persons/{}", persons[n / 2 % persons.len()])
    };
    (search, url)
}

/// Notes one request's latency by page kind, or its failure.
fn record(
    s: &mut Samples,
    search: bool,
    url: &str,
    took: Duration,
    result: Result<(u16, hyper::HeaderMap, Vec<u8>), String>,
) {
    match result {
        Ok((200, _, _)) | Ok((303, _, _)) => {
            if search {
                s.0.push(took)
            } else {
                s.1.push(took)
            }
        }
        Ok((code, _, body)) => {
            s.2 += 1;
            eprintln!(
                "load: {url} answered {code}: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            );
        }
        Err(e) => {
            s.2 += 1;
            eprintln!("load: {url} failed: {e}");
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load: {e}\nusage: load [--requests N] [--seconds S] [--concurrency C] [--synthetic FILES]");
            std::process::exit(2);
        }
    };
    let (_data, base, client) = start_app().await;
    let (cookie, csrf) = log_in(&client, &base).await;

    let examples = read_examples();
    let ingest = |files: Vec<(String, Vec<u8>)>| {
        let (ctype, body) = multipart(&files);
        Request::post(format!("{base}/api/ingest"))
            .header("content-type", ctype)
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .body(Body::from(body))
            .expect("a request")
    };
    let started = Instant::now();
    let (status, _, body) = call(&client, ingest(examples.clone()))
        .await
        .expect("ingest");
    assert_eq!(
        status,
        202,
        "ingest refused: {}",
        String::from_utf8_lossy(&body)
    );
    let job = serde_json::from_slice::<serde_json::Value>(&body).expect("json")["job"]
        .as_u64()
        .unwrap_or(0);
    wait_for_job(&client, &base, &cookie, job).await;
    eprintln!(
        "load: examples ingested in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    // Person ids for case-file requests.
    let req = Request::get(format!("{base}/api/persons?q=a&limit=200"))
        .header("cookie", &cookie)
        .body(Body::empty())
        .expect("req");
    let (_, _, body) = call(&client, req).await.expect("persons");
    let persons: Vec<String> = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    assert!(
        !persons.is_empty(),
        "no persons after ingesting the examples"
    );
    tokio::time::sleep(Duration::from_secs(3)).await; // the first index rebuild

    // The background ingest: synthetic variants of the examples, with other names and dates.
    let synthetic = synthetic_variants(&examples, o.synthetic);
    let background = if synthetic.is_empty() {
        None
    } else {
        let (status, _, body) = call(&client, ingest(synthetic)).await.expect("ingest");
        assert_eq!(status, 202);
        serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["job"].as_u64())
    };

    let next = Arc::new(AtomicUsize::new(0));
    let samples: Arc<Mutex<Samples>> = Arc::new(Mutex::new((Vec::new(), Vec::new(), 0)));
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let load_started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..o.concurrency {
        let (client, next, samples, persons, base, cookie) = (
            client.clone(),
            Arc::clone(&next),
            Arc::clone(&samples),
            persons.clone(),
            base.clone(),
            cookie.clone(),
        );
        let total = o.requests;
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= total || Instant::now() >= deadline {
                    break;
                }
                let (search, url) = load_url(n, &base, &persons);
                let req = Request::get(&url)
                    .header("cookie", &cookie)
                    .body(Body::empty())
                    .expect("req");
                let t = Instant::now();
                let result = call(&client, req).await;
                let took = t.elapsed();
                let mut s = samples.lock().unwrap_or_else(|p| p.into_inner());
                record(&mut s, search, &url, took, result);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = load_started.elapsed();
    let (mut search, mut case, errors) = {
        let s = samples.lock().unwrap_or_else(|p| p.into_inner());
        (s.0.clone(), s.1.clone(), s.2)
    };
    search.sort();
    case.sort();
    let ingest_state = background_state(&client, &base, &cookie, background).await;
    let total = search.len() + case.len() + errors;
    println!("load: {total} requests in {:.2}s over {} connections: {:.1} requests/s, {errors} errors; {ingest_state}", elapsed.as_secs_f64(), o.concurrency, total as f64 / elapsed.as_secs_f64());
    for (name, list) in [("search page", &search), ("case-file page", &case)] {
        println!(
            "load: {name:15} n={:5}  p50 {:7.1} ms  p95 {:7.1} ms  p99 {:7.1} ms  max {:7.1} ms",
            list.len(),
            percentile(list, 0.50).as_secs_f64() * 1000.0,
            percentile(list, 0.95).as_secs_f64() * 1000.0,
            percentile(list, 0.99).as_secs_f64() * 1000.0,
            list.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        );
    }
    if errors > 0 {
        std::process::exit(1);
    }
}
