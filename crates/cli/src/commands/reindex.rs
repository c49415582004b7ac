//! `casebook reindex`: rebuilds the search index (`DATA/index/`) from the register. The index is
//! derived data, so this can run at any time; searches keep answering from the old index until the
//! new one is committed, and a running server picks the new one up by itself.

use crate::Global;
use anyhow::{Context, Result};
use casebook_search::{IndexDoc, Kind, SearchError, SearchIndex};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args, global: &Global) -> Result<ExitCode> {
    let started = Instant::now();
    // The same projection the web server rebuilds with after writes (casebook-pipeline).
    let store = casebook_register::open(&global.data)
        .with_context(|| format!("opening the register in {}", global.data.display()))?;
    let docs = casebook_pipeline::projection::documents(&store).context("reading the register")?;
    let counts = Kind::ALL.map(|k| docs.iter().filter(|d| d.kind() == k).count());

    let dir = global.data.join("index");
    let index = match SearchIndex::open_or_create(&dir) {
        // An index of an older layout is derived data: replace it.
        Err(SearchError::SchemaMismatch { .. }) => {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("removing the outdated index in {}", dir.display()))?;
            SearchIndex::open_or_create(&dir)?
        }
        other => other?,
    };
    let indexed = index.rebuild(
        docs.into_iter()
            .map(Ok::<IndexDoc, std::convert::Infallible>),
    )?;
    eprintln!(
        "reindexed {indexed} records ({} articles, {} people, {} events) into {} in {:.1} s",
        counts[0],
        counts[1],
        counts[2],
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
