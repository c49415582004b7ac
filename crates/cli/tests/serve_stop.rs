//! `casebook serve` stops within a few seconds of SIGTERM even when a client holds a request open
//! (an upload whose body never finishes arriving): requests get a bounded grace, then the process
//! exits cleanly.

mod common;

use common::{casebook, free_port, ok, Scratch};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long test password for stopping";

/// Sends a whole request and reads the whole answer.
fn exchange(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn wait_first_answer(addr: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited at start"
        );
        if let Ok(mut s) = TcpStream::connect(addr) {
            let request =
                format!("GET /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            if s.write_all(request.as_bytes()).is_ok()
                && s.read_to_string(&mut answer).is_ok()
                && answer.starts_with("HTTP/1.1")
            {
                return;
            }
        }
        assert!(Instant::now() < deadline, "the server never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_stops_the_server_within_seconds_while_an_upload_hangs() {
    let scratch = Scratch::new("serve-stop");
    let data = scratch.0.join("data");
    ok(casebook(&data)
        .args(["user", "add", "stopper", "--role", "analyst"])
        .env("CASEBOOK_PASSWORD", PASSWORD));
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = casebook(&data)
        .args(["serve", "--addr", &addr, "--insecure-cookies"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_first_answer(&addr, &mut child);

    let body = format!(r#"{{"name":"stopper","password":"{PASSWORD}"}}"#);
    let answer = exchange(
        &addr,
        &format!(
            "POST /api/session HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {answer}"))
        .to_string();
    let csrf = answer
        .split("\"csrf\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token: {answer}"))
        .to_string();

    // An upload announcing a megabyte and sending a few bytes: its request never completes.
    let mut hanging = TcpStream::connect(&addr).unwrap();
    write!(
        hanging,
        "POST /api/ingest HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\
         Content-Type: multipart/form-data; boundary=stop-test\r\nContent-Length: 1000000\r\n\r\n\
         --stop-test\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nThe court"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // And an idle connection kept alive.
    let _idle = TcpStream::connect(&addr).unwrap();

    let asked = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if asked.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("casebook serve did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = asked.elapsed();
    assert!(exited.success(), "{exited}");
    assert!(
        took < Duration::from_secs(5),
        "SIGTERM to exit took {took:?}"
    );
    drop(hanging);
}
