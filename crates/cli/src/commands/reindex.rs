//! `casebook reindex`: rebuilds the search index (`DATA/index/`) from the register. The index is
//! derived data, so this can run at any time; searches keep answering from the old index until the
//! new one is committed, and a running server picks the new one up by itself.

use crate::Global;
use anyhow::{Context, Result};
use casebook_search::{Kind, SearchError, SearchIndex};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args, global: &Global) -> Result<ExitCode> {
    let started = Instant::now();
    // The same projection the web server rebuilds with at start (casebook-pipeline), streamed from
    // the store into the index: the register's texts are never all in memory.
    let store = casebook_register::open(&global.data)
        .with_context(|| format!("opening the register in {}", global.data.display()))?;
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
    let mut counts = [0usize; 3];
    let indexed = casebook_pipeline::projection::rebuild_with(&index, &|| true, &mut |f| {
        casebook_pipeline::projection::for_each_document(&store, &mut |doc| {
            if let Some(at) = Kind::ALL.iter().position(|k| *k == doc.kind()) {
                counts[at] += 1;
            }
            f(doc)
        })
    })
    .context("rebuilding the search index from the register")?;
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
