//! `casebook bench --web` over a small register: it builds the register, serves it with the real
//! `casebook serve`, reaches every kind of page without an error, and reports each figure.

mod common;

use common::Scratch;
use std::process::Command;

#[test]
fn bench_web_drives_every_page_and_reports_start_memory_and_stop() {
    let scratch = Scratch::new("bench-web");
    let dir = scratch.0.join("register");
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["bench", "--articles", "30", "--population", "40", "--dir"])
            .arg(&dir)
            .args(["--web", "--seconds", "2", "--clients", "2"])
            .args(extra)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let first = run(&[]);
    assert!(first.contains("articles            30"), "{first}");
    for line in [
        "start to first answer",
        "dashboard /",
        "search page, surname",
        "search API, names mode",
        "search API, full text",
        "case file, most reported",
        "case file, least reported",
        "article",
        "review queue",
        "alerts inbox",
        "export started",
        "server peak memory (VmHWM)",
        "SIGTERM to exit",
    ] {
        assert!(first.contains(line), "no {line:?} in:\n{first}");
    }
    assert!(first.contains(", 0 errors"), "{first}");
    // A second run reuses the register instead of building it again.
    let second = run(&[]);
    assert!(second.contains("reusing the register"), "{second}");
    assert!(!second.contains("articles            30"), "{second}");
}
