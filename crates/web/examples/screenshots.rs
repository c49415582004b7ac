//! The README's screenshots of the review pages, taken in headless Chromium from a register of the
//! project's example articles: the review of one article, the review of one person, and the
//! reconciliation of another group's list with the register.
//!
//! `cargo run -p casebook-web --example screenshots -- [--examples DIR] [--out DIR]` (defaults
//! `examples` and `docs/screenshots`, from the repository's root); needs Debian's `chromium` and
//! `chromium-driver` (`scripts/install-chromium`).

#[path = "../tests/common/browser.rs"]
mod browser;

use casebook_lists::{read_list, Limits};
use casebook_pipeline::{Engine, Indexer};
use casebook_register::{Provenance, QueueFilter, SqliteStore, Store};
use fantoccini::{Client, Locator};
use std::error::Error;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

const USER: (&str, &str) = ("screens", "screenshot password 1");
const LIST: &str = "kyiv group";

fn value(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The example articles stored through the one ingest engine, with their search index.
fn ingest(data: &Path, examples: &Path) -> Result<SqliteStore, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut originals = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f)?;
        originals.push(casebook_ingest::original(f.display().to_string(), bytes));
    }
    let mut store = casebook_register::open(data)?;
    let mut indexer = Indexer::open(data)?;
    Engine::new("screenshots").run(
        &mut store,
        originals.into_iter(),
        Some(&mut indexer),
        &mut |_| {},
    )?;
    indexer.finish(&store)?;
    Ok(store)
}

/// Another group's list of the register's most reported persons, written as such lists write
/// them (surname first, a status of another date), and one person the register lacks.
fn import_list(store: &mut SqliteStore) -> Result<(), Box<dyn Error>> {
    let mut persons = Vec::new();
    store.visit_persons(&mut |p| {
        persons.push(p);
        Ok(())
    })?;
    persons.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.id.cmp(&b.id)));
    let mut csv = String::from("Name,Status\n");
    for (i, p) in persons.iter().take(4).enumerate() {
        let name = match (i, p.name.rsplit_once(' ')) {
            (1, Some((given, surname))) => format!("{surname} {given}"),
            _ => p.name.clone(),
        };
        let status = if i == 0 { "released" } else { "detained" };
        csv.push_str(&format!("{name},{status}\n"));
    }
    csv.push_str("Petro Vyhadanyi,detained\n");
    let parsed = read_list(
        "kyiv-group.csv",
        csv.as_bytes(),
        None,
        &[],
        &Limits::default(),
    )?;
    let provenance = Provenance {
        extractor_version: "screenshots".into(),
        actor: "screenshots".into(),
    };
    store.import_list(LIST, "kyiv-group.csv", &parsed, &provenance)?;
    Ok(())
}

async fn serve(data: &Path) -> Result<SocketAddr, Box<dyn Error>> {
    let (_, router) = casebook_web::application(casebook_web::Config::new(data))?;
    Ok(browser::serve(router).await?)
}

async fn log_in(c: &Client, base: &str) -> Result<(), Box<dyn Error>> {
    c.goto(&format!("{base}/login?next=/review/queue")).await?;
    browser::submit_login(c, USER, "table.review-queue").await?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let examples = PathBuf::from(value("--examples").unwrap_or_else(|| "examples".into()));
    let out = PathBuf::from(value("--out").unwrap_or_else(|| "docs/screenshots".into()));
    let data = tempfile::tempdir()?;
    let mut store = ingest(data.path(), &examples)?;
    import_list(&mut store)?;
    let article = store
        .review_queue_page(&QueueFilter::default(), None, 1)?
        .rows
        .first()
        .map(|r| r.article.id.clone())
        .ok_or("the examples gave no claim to review")?;
    let mut person = None;
    store.visit_persons(&mut |p| {
        if person.as_ref().is_none_or(|(_, n)| p.articles > *n) {
            person = Some((p.id.clone(), p.articles));
        }
        Ok(())
    })?;
    let (person, _) = person.ok_or("the examples name nobody")?;
    drop(store);
    casebook_web::Accounts::open(data.path())?.add_user(
        USER.0,
        USER.1,
        casebook_web::Role::Analyst,
    )?;

    let addr = serve(data.path()).await?;
    // "localhost" is a secure context, so the browser keeps the Secure session cookie over HTTP.
    let base = format!("http://localhost:{}", addr.port());
    let (chromium, _driver, driver_port) = browser::start_driver();
    let profile = tempfile::tempdir()?;
    let c = browser::browser(&chromium, driver_port, profile.path()).await;
    log_in(&c, &base).await?;
    std::fs::create_dir_all(&out)?;
    for (name, path, ready) in [
        (
            "article-review",
            format!("/review/articles/{article}"),
            ".claims",
        ),
        ("person-review", format!("/review/persons/{person}"), "main"),
        (
            "list-reconciliation",
            "/lists/kyiv%20group".to_string(),
            "main",
        ),
    ] {
        c.goto(&format!("{base}{path}")).await?;
        c.wait().for_element(Locator::Css(ready)).await?;
        let file = out.join(format!("{name}.png"));
        std::fs::write(&file, c.screenshot().await?)?;
        println!("{}", file.display());
    }
    c.close().await?;
    Ok(())
}
