//! `casebook`: the command-line edge of the pipeline. Each subcommand lives in its own module under
//! `commands/`, parses its own arguments and does the I/O the library stages leave out.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

mod commands;
mod inputs;
mod register;

/// mimalloc serves every allocation of the process (the `override` feature takes C's `malloc` too,
/// so SQLite's page cache allocates from it): see `Cargo.toml` for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "A reviewed, searchable register of people persecuted, built from news reports"
)]
struct Cli {
    /// The data directory holding the register (SQLite store, search index, originals).
    #[arg(
        long,
        global = true,
        env = "CASEBOOK_DATA",
        default_value = "./casebook-data"
    )]
    data: PathBuf,

    #[command(subcommand)]
    command: Command,
}

/// Options every command may read.
pub struct Global {
    pub data: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Run only the article stage and print one JSON object per article.
    Extract(commands::extract::Args),
    /// Name keys and same-person scores.
    #[command(subcommand)]
    Names(commands::names::Command),
    /// Read inputs through the whole pipeline into the register.
    Ingest(commands::ingest::Args),
    /// A person's case file: names, status, timeline with evidence.
    Person(commands::person::Args),
    /// Review machine-made claims: list, confirm, reject, edit, merge, split, visibility, undo.
    #[command(subcommand)]
    Review(commands::review::Command),
    /// Export the whole register (JSON, CSV tables, FollowTheMoney lines).
    Export(commands::export::Args),
    /// Counts over the register, and its integrity check.
    Stats(commands::stats::Args),
    /// The hash-chained audit log: verify it, or show entries.
    #[command(subcommand)]
    Audit(commands::audit::Command),
    /// Measure ingest throughput on a synthetic corpus (articles/s, peak memory, store size).
    Bench(commands::bench::Args),
    /// Serve the web application and JSON API (default http://127.0.0.1:8080/).
    Serve(commands::serve::Args),
    /// Accounts of the web application: `casebook user add NAME --role admin` creates the first admin.
    #[command(subcommand)]
    User(commands::user::Command),
    /// Search articles, people and events: full text, names in any script, facets.
    Search(commands::search::Args),
    /// Rebuild the search index from the register.
    Reindex(commands::reindex::Args),
    /// Follow feeds, sitemaps and URL lists; watch people, event types and places; alerts.
    #[command(subcommand)]
    Watch(commands::watch::Command),
    /// Import other groups' lists of persons and reconcile them with the register.
    #[command(subcommand)]
    List(commands::list::Command),
    /// Copy a whole register between a data directory and a PostgreSQL database, verified.
    MigrateStore(commands::migrate_store::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if prints_for_a_reader(&cli.command) {
        quiet_on_closed_pipe();
    }
    let global = Global { data: cli.data };
    let result = match cli.command {
        Command::Extract(args) => commands::extract::run(args, &global),
        Command::Names(cmd) => commands::names::run(cmd, &global),
        Command::Ingest(args) => commands::ingest::run(args, &global),
        Command::Person(args) => commands::person::run(args, &global),
        Command::Review(cmd) => commands::review::run(cmd, &global),
        Command::Export(args) => commands::export::run(args, &global),
        Command::Stats(args) => commands::stats::run(args, &global),
        Command::Audit(cmd) => commands::audit::run(cmd, &global),
        Command::Bench(args) => commands::bench::run(args, &global),
        Command::Serve(args) => commands::serve::run(args, &global),
        Command::User(cmd) => commands::user::run(cmd, &global),
        Command::Search(args) => commands::search::run(args, &global),
        Command::Reindex(args) => commands::reindex::run(args, &global),
        Command::Watch(cmd) => commands::watch::run(cmd, &global),
        Command::List(cmd) => commands::list::run(cmd, &global),
        Command::MigrateStore(args) => commands::migrate_store::run(args, &global),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("casebook: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Commands whose work is printing what they read: when the reader goes away (`casebook person …
/// | head`), they have nothing left to do. The long-running and writing commands (`ingest`,
/// `serve`, `watch`, `bench`, `reindex`, `extract`) keep the default and handle a closed pipe
/// themselves where they write to one.
fn prints_for_a_reader(command: &Command) -> bool {
    matches!(
        command,
        Command::Person(_)
            | Command::Search(_)
            | Command::Stats(_)
            | Command::Names(_)
            | Command::Audit(_)
            | Command::Review(_)
            | Command::Export(_)
            | Command::List(_)
    )
}

/// Ends the process quietly when standard output is a pipe its reader closed, as `cat` or `grep`
/// do, instead of `println!` panicking on the write error. Rust ignores SIGPIPE by default;
/// this restores the system's default action for it.
#[allow(unsafe_code)] // one libc call, its safety argued where it stands
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: sets the disposition of one signal at start-up, before any thread is spawned.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
