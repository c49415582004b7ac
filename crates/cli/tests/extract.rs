//! `casebook extract` run as a program on files made in temporary directories: good inputs give
//! one JSON line per article; each bad input gives one line on standard error naming it and the
//! reason, without stopping the others, and makes the exit status 1.

use flate2::{write::GzEncoder, Compression};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Run {
    lines: Vec<Value>,
    stderr: String,
    status: i32,
}

fn run(args: &[&Path], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("extract")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casebook runs");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let lines = String::from_utf8(stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    Run {
        lines,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        status: status.code().unwrap_or(-1),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

const DUMP: &str = "Occupiers search homes in Bilohirsk\n\n\
    June 24, 2025, 7:15 a.m.\n\n\
    Russian security forces searched the homes of three Crimean Tatar families in Bilohirsk on Tuesday \
    morning, relatives said. One man, Ismail Bekirov, was taken away for questioning.\n\n\
    A lawyer was not allowed into the houses while the searches went on.\n\n\
    Лейла Аметова\n\n\
    You might also like:\n\n\
    June 23, 2025\n\n\
    Another headline about something else\n";

fn html_page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\n{body}</article>\
         <footer>Copyright 2025</footer></body></html>"
    )
}

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let content_type = match kind {
        "response" => "application/http; msgtype=response",
        "request" => "application/http; msgtype=request",
        _ => "application/warc-fields",
    };
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-24T10:00:00Z\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend(block);
    out.extend(b"\r\n\r\n");
    out
}

/// warcinfo, request, response, request, response: the two pages are records 3 and 5.
fn warc_records() -> Vec<Vec<u8>> {
    let page = |title: &str, name: &str| {
        let html = html_page(
            title,
            &[
                &format!("Officers detained {name} in occupied Crimea on Wednesday after searching his house for five hours, his relatives said in a statement."),
                "The relatives said the officers seized phones, a laptop and religious books, and did not let the family's lawyer in while the search went on.",
                "A court is expected to decide on his pre-trial detention on Friday, according to the human rights group that follows the case.",
            ],
        );
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
        http.extend(html.as_bytes());
        http
    };
    vec![
        warc_record("warcinfo", "", b"software: casebook-test\r\n"),
        warc_record(
            "request",
            "https://news.example.org/one",
            b"GET /one HTTP/1.1\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://news.example.org/one",
            &page("Detention in Kolchugino", "Enver Abibullaev"),
        ),
        warc_record(
            "request",
            "https://news.example.org/two",
            b"GET /two HTTP/1.1\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://news.example.org/two",
            &page("Detention in Stary Krym", "Rustem Memetov"),
        ),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn source(line: &Value) -> &str {
    line["source"].as_str().unwrap()
}

#[test]
fn a_text_dump_comes_out_as_one_clean_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "dump.txt", DUMP.as_bytes());
    let out = run(&[&path], None);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    assert_eq!(out.lines.len(), 1);
    let line = &out.lines[0];
    assert_eq!(source(line), path.display().to_string());
    assert_eq!(line["title"], "Occupiers search homes in Bilohirsk");
    assert_eq!(line["published"], "2025-06-24T07:15:00");
    assert_eq!(line["author"], "Лейла Аметова");
    assert_eq!(line["language"], "en");
    assert_eq!(line["url"], Value::Null);
    let text = line["text"].as_str().unwrap();
    assert!(text.starts_with("Russian security forces"));
    assert!(text.ends_with("while the searches went on."));
    assert_eq!(text.matches("\n\n").count(), 1);
    assert!(!text.contains("You might also like"));
}

#[test]
fn the_shared_seeds_extract_cleanly() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !seeds.is_dir() {
        println!("note: {} not found; skipping", seeds.display());
        return;
    }
    let out = run(&[&seeds], None);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    assert_eq!(out.lines.len(), 2);
    assert!(source(&out.lines[0]).ends_with("000_a09a92dfceb9919f.txt"));
    assert_eq!(out.lines[0]["published"], "2025-06-23T08:42:00");
    assert_eq!(out.lines[0]["author"], "Анна Бальчінос");
    assert_eq!(
        out.lines[1]["title"],
        "Russian FSB attempts to create an agent network among the Crimean Tatars"
    );
    assert!(!out.lines[1]["text"].as_str().unwrap().contains("Notify of"));
}

#[test]
fn bad_inputs_are_named_on_stderr_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = write(d, "good.txt", DUMP.as_bytes());
    let png = write(d, "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    let nul = write(d, "data.bin", b"abc\0\0\x01\x02def");
    let empty = write(d, "empty.txt", b"");
    let packed = gzip(DUMP.repeat(50).as_bytes());
    let cut_gz = write(d, "cut.txt.gz", &packed[..packed.len() / 2]);
    let missing = d.join("missing.txt");
    let out = run(&[&png, &nul, &empty, &good, &cut_gz, &missing], None);
    assert_eq!(out.status, 1);
    assert_eq!(out.lines.len(), 1, "the good input still comes out");
    assert_eq!(source(&out.lines[0]), good.display().to_string());
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 5, "{}", out.stderr);
    let expect = [
        (&png, "binary data, not text (a PNG image)"),
        (&nul, "binary data, not text (NUL byte at offset 3)"),
        (&empty, "empty input"),
        (&cut_gz, "truncated gzip data"),
        (&missing, "no such file or directory"),
    ];
    for (line, (path, reason)) in errors.iter().zip(expect) {
        assert!(line.contains(&path.display().to_string()), "{line}");
        assert!(line.contains(reason), "{line} lacks {reason}");
    }
}

#[test]
fn invalid_utf8_and_legacy_charsets_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ukrainian = "Обшуки в Білогірську\n\n23 червня 2025\n\n\
        Співробітники ФСБ провели обшуки в будинках трьох кримськотатарських родин у Білогірську, \
        повідомили родичі. Одного чоловіка забрали на допит.\n\n\
        Адвоката до будинків не пустили, поки тривали обшуки.\n";
    let mut damaged = ukrainian.as_bytes().to_vec();
    damaged.insert(damaged.len() - 10, 0xff);
    let damaged = write(d, "damaged.txt", &damaged);
    let russian = "Обыски в Белогорске\n\n23 июня 2025\n\n\
        Сотрудники ФСБ провели обыски в домах трёх крымскотатарских семей в Белогорске, \
        сообщили родственники. Одного мужчину увезли на допрос.\n\n\
        Адвоката в дома не пустили, пока шли обыски.\n";
    let koi8 = write(d, "koi8.txt", &encoding_rs::KOI8_R.encode(russian).0);
    let out = run(&[&damaged, &koi8], None);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    assert_eq!(out.lines[0]["title"], "Обшуки в Білогірську");
    assert_eq!(out.lines[0]["published"], "2025-06-23");
    assert!(out.lines[0]["text"].as_str().unwrap().contains('\u{fffd}'));
    assert_eq!(out.lines[1]["title"], "Обыски в Белогорске");
    assert_eq!(out.lines[1]["language"], "ru");
    assert!(out.lines[1]["text"]
        .as_str()
        .unwrap()
        .contains("крымскотатарских семей"));
}

#[test]
fn a_warc_with_two_pages_gives_two_articles_with_record_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "crawl.warc", &warc_records().concat());
    let packed: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    let gz = write(dir.path(), "crawl.warc.gz", &packed);
    for path in [&plain, &gz] {
        let out = run(&[path], None);
        assert_eq!(
            (out.status, out.stderr.as_str()),
            (0, ""),
            "{}",
            path.display()
        );
        assert_eq!(out.lines.len(), 2);
        let name = path.display().to_string();
        assert_eq!(source(&out.lines[0]), format!("{name}#3"));
        assert_eq!(source(&out.lines[1]), format!("{name}#5"));
        assert_eq!(out.lines[0]["url"], "https://news.example.org/one");
        assert_eq!(out.lines[1]["site"], "news.example.org");
        assert!(out.lines[0]["text"]
            .as_str()
            .unwrap()
            .contains("Enver Abibullaev"));
        assert!(out.lines[1]["text"]
            .as_str()
            .unwrap()
            .contains("Rustem Memetov"));
        assert!(out.lines[0]["id"].as_str().unwrap().ends_with("#3"));
    }
}

#[test]
fn a_cut_warc_gz_gives_the_records_before_the_cut_then_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut packed: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    packed.truncate(packed.len() - 40);
    let path = write(dir.path(), "cut.warc.gz", &packed);
    let out = run(&[&path], None);
    assert_eq!(out.status, 1);
    assert_eq!(out.lines.len(), 1);
    assert_eq!(source(&out.lines[0]), format!("{}#3", path.display()));
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains(&path.display().to_string()));
    assert!(out.stderr.contains("truncated gzip data"), "{}", out.stderr);
}

#[test]
fn a_large_file_is_rejected_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = b"<html><body>".to_vec();
    page.resize(60 * 1024 * 1024, b'x');
    let big = write(dir.path(), "big.html", &page);
    let out = run(&[&big], None);
    assert_eq!(out.status, 1);
    assert!(out.lines.is_empty());
    assert!(out.stderr.contains("big.html"), "{}", out.stderr);
    assert!(out.stderr.contains("over the limit"), "{}", out.stderr);
}

#[test]
fn standard_input_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(&dir.path().join("sub"), "b.txt", DUMP.as_bytes());
    write(dir.path(), "a.txt.gz", &gzip(DUMP.as_bytes()));
    write(dir.path(), ".hidden.txt", b"\0");
    let out = run(&[Path::new("-"), dir.path()], Some(DUMP.as_bytes()));
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
    let sources: Vec<&str> = out.lines.iter().map(source).collect();
    let under = |name: &str| dir.path().join(name).display().to_string();
    assert_eq!(
        sources,
        vec!["-".to_string(), under("a.txt.gz"), under("sub/b.txt")]
    );
    assert_eq!(
        out.lines[0]["id"], out.lines[2]["id"],
        "same bytes, same original"
    );
}

#[test]
fn the_example_pages_decode_in_their_charsets() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages");
    let out = run(&[&pages], None);
    let by_name = |name: &str| {
        out.lines
            .iter()
            .find(|l| source(l).ends_with(name))
            .unwrap_or_else(|| panic!("{name} gave no article: {}", out.stderr))
    };
    let text = |name: &str| by_name(name)["text"].as_str().unwrap().to_string();
    assert!(text("koi8-r-undeclared.html").contains("Айдера Мустафаева"));
    assert!(text("windows-1251-ru.html").contains("Энвер Сейдаметов"));
    assert!(text("utf8-en.html").contains("Ruslan Kurtumerov"));
}

#[test]
fn usage_errors_exit_with_clap_status() {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("extract")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
