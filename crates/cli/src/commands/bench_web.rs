//! `casebook bench --web`: the web application over the benchmark's register, as a user meets it.
//! Starts this very binary's `casebook serve` as a child process (so its start, memory and stop are
//! the real server's), times start to first answer, drives it with concurrent clients over every
//! kind of page for a fixed time, and prints p50/p95/p99 per page, requests/s, errors, the server's
//! peak memory (from /proc) and SIGTERM to exit.

use anyhow::{anyhow, bail, Context};
use casebook_register::web_reads::BenchSubjects;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the pages are driven.
pub struct Drive {
    pub clients: usize,
    pub seconds: u64,
}

/// A request slower than this counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the server may take to answer its first request, and to exit after SIGTERM, before the
/// benchmark gives up on it.
const START_LIMIT: Duration = Duration::from_secs(120);
const STOP_LIMIT: Duration = Duration::from_secs(60);
/// Bytes of an export read before the client hangs up: the export is started (its answer begins),
/// not downloaded.
const EXPORT_BYTES: usize = 1;
/// The benchmark's account.
const USER: &str = "casebook-bench";

/// One kind of page: its label and path.
struct Page {
    label: &'static str,
    path: String,
    /// Read at most this many bytes of the answer.
    limit: Option<usize>,
}

/// What one answer took.
struct Sample {
    page: usize,
    took: Duration,
    ok: bool,
}

pub fn run(dir: &Path, drive: &Drive) -> anyhow::Result<()> {
    let subjects = subjects(dir)?;
    let password = format!("bench {}", casebook_web::accounts::random_hex(12)?);
    account(dir, &password)?;
    let pages = pages(&subjects);
    println!(
        "web: most reported person {} ({} articles), least reported {} ({})",
        subjects.busiest, subjects.busiest_reports, subjects.quietest, subjects.quietest_reports
    );
    println!("web: load average before the server starts: {}", loadavg());

    let port = free_port()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let log = dir.join("bench-web-server.log");
    let started = Instant::now();
    let mut server = Server::start(dir, addr, &log)?;
    let first = server.wait_first_answer(addr, started)?;
    println!(
        "web: start to first answer {:.2} s (server log: {})",
        first.as_secs_f64(),
        log.display()
    );
    let cookie = login(addr, &password)?;

    let samples = drive_pages(addr, &cookie, &pages, drive);
    report(&pages, &samples, drive);
    match peak_rss_kib(server.child.id()) {
        Some(kib) => println!(
            "web: server peak memory (VmHWM) {:.0} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("web: server peak memory unknown (no /proc/PID/status)"),
    }
    println!("web: load average after the run: {}", loadavg());
    let stop = server.stop()?;
    println!("web: SIGTERM to exit {:.2} s", stop.as_secs_f64());
    let errors = samples.iter().filter(|s| !s.ok).count();
    if errors > 0 {
        bail!(
            "{errors} requests failed (see the lines above and {})",
            log.display()
        );
    }
    Ok(())
}

/// The persons and article the pages show, read from the register before the server starts.
fn subjects(dir: &Path) -> anyhow::Result<BenchSubjects> {
    let store = casebook_register::SqliteStore::open(dir)
        .with_context(|| format!("opening the register in {}", dir.display()))?;
    store
        .bench_subjects()?
        .ok_or_else(|| anyhow!("the register in {} holds no persons", dir.display()))
}

/// Creates the benchmark's viewer account, or sets its password when a previous run made it.
fn account(dir: &Path, password: &str) -> anyhow::Result<()> {
    let accounts = casebook_web::Accounts::open(dir)?;
    let existing = accounts.users()?.into_iter().find(|u| u.name == USER);
    match existing {
        Some(user) => accounts.set_password(&user, password, None)?,
        None => {
            accounts.add_user(USER, password, casebook_web::Role::Viewer)?;
        }
    }
    Ok(())
}

/// Every kind of page, each with the subject that makes it costly where there is one.
fn pages(s: &BenchSubjects) -> Vec<Page> {
    let surname = s
        .busiest_name
        .split_whitespace()
        .last()
        .unwrap_or(&s.busiest_name);
    let page = |label, path: String| Page {
        label,
        path,
        limit: None,
    };
    vec![
        page("dashboard /", "/".into()),
        page(
            "search page, surname",
            format!("/search?q={}", encode(surname)),
        ),
        page(
            "search API, names mode",
            format!("/api/search?mode=names&q={}", encode(&s.busiest_name)),
        ),
        page(
            "search API, full text",
            "/api/search?q=Simferopol%20detained".into(),
        ),
        page(
            "case file, most reported",
            format!("/persons/{}", encode(&s.busiest)),
        ),
        page(
            "case file, least reported",
            format!("/persons/{}", encode(&s.quietest)),
        ),
        page("article", format!("/articles/{}", encode(&s.article))),
        page("review queue", "/review".into()),
        page("alerts inbox", "/alerts".into()),
        Page {
            label: "export started",
            path: "/api/export?format=json".into(),
            limit: Some(EXPORT_BYTES),
        },
    ]
}

/// Percent-encodes everything but ASCII letters and digits.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A port free on loopback now (the server binds it a moment later).
fn free_port() -> anyhow::Result<u16> {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(probe.local_addr()?.port())
}

/// The `casebook serve` child.
struct Server {
    child: Child,
}

impl Server {
    fn start(dir: &Path, addr: SocketAddr, log: &Path) -> anyhow::Result<Server> {
        let exe: PathBuf = std::env::current_exe().context("finding this program")?;
        let log =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let child = Command::new(exe)
            .arg("--data")
            .arg(dir)
            .args(["serve", "--no-poll", "--addr", &addr.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting `casebook serve`")?;
        Ok(Server { child })
    }

    /// Waits until the server answers anything; returns the time since `started`.
    fn wait_first_answer(
        &mut self,
        addr: SocketAddr,
        started: Instant,
    ) -> anyhow::Result<Duration> {
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited at start ({status})");
            }
            if request(addr, "GET", "/login", None, None, Some(1)).is_ok() {
                return Ok(started.elapsed());
            }
            if started.elapsed() > START_LIMIT {
                bail!(
                    "the server did not answer within {} s",
                    START_LIMIT.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits for the exit; returns the time it took.
    fn stop(mut self) -> anyhow::Result<Duration> {
        let asked = Instant::now();
        terminate(&self.child);
        loop {
            if let Some(status) = self.child.try_wait()? {
                if !status.success() {
                    println!("web: the server exited with {status}");
                }
                return Ok(asked.elapsed());
            }
            if asked.elapsed() > STOP_LIMIT {
                let _ = self.child.kill();
                let _ = self.child.wait();
                bail!(
                    "the server did not stop within {} s of SIGTERM; killed",
                    STOP_LIMIT.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A benchmark that failed half-way must not leave its server running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // one libc call, its safety argued where it stands
fn terminate(child: &Child) {
    // SAFETY: kill(2) with the id of a child this process started and has not reaped yet.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
}

#[cfg(not(target_os = "linux"))]
fn terminate(child: &Child) {
    let _ = Command::new("kill").arg(child.id().to_string()).status();
}

/// Logs in as the benchmark's account; returns the session cookie (`name=value`).
fn login(addr: SocketAddr, password: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({"name": USER, "password": password}).to_string();
    let (status, head) = request(addr, "POST", "/api/session", None, Some(&body), None)?;
    if status != 200 {
        bail!("the benchmark's login was answered {status}");
    }
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("set-cookie"))
        .and_then(|(_, v)| v.trim().split(';').next().map(str::to_string))
        .ok_or_else(|| anyhow!("the login set no cookie"))
}

/// One HTTP/1.1 request on a connection of its own; returns the status and the response head.
/// The body is read to its end, or up to `limit` bytes (then the connection is closed).
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    json: Option<&str>,
    limit: Option<usize>,
) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, REQUEST_TIMEOUT)?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    let body = json.unwrap_or("");
    if json.is_some() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut got = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut head_end = None;
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        if head_end.is_none() {
            head_end = got.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
        }
        if let (Some(end), Some(limit)) = (head_end, limit) {
            if got.len() - end >= limit {
                break;
            }
        }
    }
    let end = head_end.ok_or_else(|| anyhow!("no complete answer to {path}"))?;
    let head = String::from_utf8_lossy(&got[..end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("no status in the answer to {path}"))?;
    Ok((status, head))
}

/// Sends requests over `clients` threads for `seconds`, each taking the next page in turn.
fn drive_pages(addr: SocketAddr, cookie: &str, pages: &[Page], drive: &Drive) -> Vec<Sample> {
    let next = AtomicUsize::new(0);
    let samples = Mutex::new(Vec::new());
    let deadline = Instant::now() + Duration::from_secs(drive.seconds);
    let errors_shown = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for _ in 0..drive.clients.max(1) {
            scope.spawn(|| {
                let mut mine = Vec::new();
                while Instant::now() < deadline {
                    let page = next.fetch_add(1, Ordering::Relaxed) % pages.len();
                    let p = &pages[page];
                    let t = Instant::now();
                    let answer = request(addr, "GET", &p.path, Some(cookie), None, p.limit);
                    let took = t.elapsed();
                    let ok = matches!(answer, Ok((200, _)));
                    if !ok && errors_shown.fetch_add(1, Ordering::Relaxed) < 10 {
                        match &answer {
                            Ok((status, _)) => eprintln!("web: {} answered {status}", p.path),
                            Err(e) => eprintln!("web: {} failed: {e:#}", p.path),
                        }
                    }
                    mine.push(Sample { page, took, ok });
                }
                samples
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(mine);
            });
        }
    });
    samples.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn report(pages: &[Page], samples: &[Sample], drive: &Drive) {
    let errors = samples.iter().filter(|s| !s.ok).count();
    println!(
        "web: {} requests in {} s over {} clients: {:.1} requests/s, {errors} errors",
        samples.len(),
        drive.seconds,
        drive.clients,
        samples.len() as f64 / drive.seconds.max(1) as f64
    );
    println!(
        "web: {:28} {:>5} {:>9} {:>9} {:>9} {:>9} {:>6}",
        "page", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"
    );
    for (i, page) in pages.iter().enumerate() {
        let mut took: Vec<Duration> = samples
            .iter()
            .filter(|s| s.page == i)
            .map(|s| s.took)
            .collect();
        took.sort();
        let failed = samples.iter().filter(|s| s.page == i && !s.ok).count();
        println!(
            "web: {:28} {:>5} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>6}",
            page.label,
            took.len(),
            percentile(&took, 0.50),
            percentile(&took, 0.95),
            percentile(&took, 0.99),
            took.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            failed
        );
    }
}

/// Peak resident memory of a process, in KiB (Linux `VmHWM`).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The 1, 5 and 15 minute load averages (the machine is shared: timings depend on them).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}
