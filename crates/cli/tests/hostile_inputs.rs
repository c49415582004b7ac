//! `casebook ingest` and the printing commands run as programs on hostile or careless inputs: a
//! page nested tens of thousands deep, an endless device, a file name that carries a line break,
//! a WARC file cut inside a record, and a reader that closes the pipe. Each bad input gives one
//! error line naming it and the reason; none crashes the program or stops the rest.

mod common;

use common::Scratch;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn casebook(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.arg("--data").arg(data);
    cmd
}

fn ingest(data: &Path, inputs: &[&Path]) -> (Output, String) {
    let out = casebook(data)
        .arg("ingest")
        .arg("--no-index")
        .args(inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

const REPORT: &str = "Searches in Bilohirsk\n\nJune 24, 2025\n\n\
    Officers searched the homes of three Crimean Tatar families in Bilohirsk on Tuesday morning, \
    relatives said. One man, Ismail Bekirov, was taken away for questioning.\n\n\
    A lawyer was not allowed into the houses while the searches went on.\n";

#[test]
fn a_page_nested_thirty_thousand_deep_is_handled_quickly() {
    let scratch = Scratch::new("deep-page");
    let page = scratch.0.join("deep.html");
    let paragraph = "Officers detained Ismail Bekirov in Bilohirsk on Tuesday morning, his \
                     relatives said; a lawyer was not allowed to see him. "
        .repeat(4);
    std::fs::write(
        &page,
        format!(
            "<html><body>{}<p>{paragraph}</p>{}</body></html>",
            "<div>".repeat(30_000),
            "</div>".repeat(30_000)
        ),
    )
    .unwrap();
    let good = scratch.0.join("report.txt");
    std::fs::write(&good, REPORT).unwrap();
    let started = Instant::now();
    let (out, stderr) = ingest(&scratch.0.join("data"), &[&page, &good]);
    // Debug build, shared machine: generous; before the limits this took minutes and then crashed.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(out.status.code().is_some(), "killed by a signal: {stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
    assert!(stderr.contains("2 articles stored"), "{stderr}");
}

#[test]
fn an_endless_input_is_refused_with_one_line_and_the_rest_goes_on() {
    let scratch = Scratch::new("endless");
    let good = scratch.0.join("report.txt");
    std::fs::write(&good, REPORT).unwrap();
    let (out, stderr) = ingest(&scratch.0.join("data"), &[Path::new("/dev/zero"), &good]);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let refused: Vec<&str> = stderr.lines().filter(|l| l.contains("/dev/zero")).collect();
    assert_eq!(refused.len(), 1, "{stderr}");
    assert!(refused[0].contains("over the limit"), "{stderr}");
    assert!(stderr.contains("1 articles stored"), "{stderr}");
}

#[test]
fn a_file_name_cannot_forge_a_line_of_output() {
    let scratch = Scratch::new("forged-name");
    let forged = scratch
        .0
        .join("x\ncasebook ingest: 9 inputs: 9 articles stored\u{1b}[2K.txt");
    std::fs::write(&forged, "\u{0}\u{1}\u{2} not text").unwrap();
    let (_, stderr) = ingest(&scratch.0.join("data"), &[&forged]);
    assert!(
        !stderr
            .lines()
            .any(|l| l.starts_with("casebook ingest: 9 inputs")),
        "{stderr}"
    );
    assert!(stderr.contains("x\\ncasebook ingest: 9 inputs"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

fn warc_record(number: usize, body: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}");
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.org/{number}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend(http.as_bytes());
    out.extend(b"\r\n\r\n");
    out
}

#[test]
fn a_warc_cut_inside_a_record_gives_an_error_line_after_storing_the_rest() {
    let scratch = Scratch::new("cut-warc");
    let mut file = warc_record(1, REPORT);
    let second = warc_record(2, &REPORT.replace("Bilohirsk", "Dzhankoi"));
    file.extend(&second[..second.len() - 60]);
    let path = scratch.0.join("crawl.warc");
    std::fs::write(&path, file).unwrap();
    let (_, stderr) = ingest(&scratch.0.join("data"), &[&path]);
    assert!(stderr.contains("1 articles stored"), "{stderr}");
    let cut: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("crawl.warc") && l.contains("truncated WARC file"))
        .collect();
    assert_eq!(cut.len(), 1, "{stderr}");
    assert!(cut[0].contains("record 2"), "{stderr}");
}

#[test]
fn a_reader_closing_the_pipe_ends_person_quietly() {
    let scratch = Scratch::new("closed-pipe");
    let data = scratch.0.join("data");
    let good = scratch.0.join("report.txt");
    std::fs::write(&good, REPORT).unwrap();
    ingest(&data, &[&good]);
    let mut child = casebook(&data)
        .args(["person", "Bekirov"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the case file is printed, as `head` does once it has enough.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}
