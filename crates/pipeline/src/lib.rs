//! casebook-pipeline: the one ingest flow every entry point shares (`casebook ingest`, `bench`,
//! `reindex`, `watch`, the poller of `casebook serve`, and uploads in the web application).
//!
//! In: an untouched [`Original`](casebook_model::Original) (the bytes of a file, an upload or a
//! fetched page). Out: its analysed articles stored in the register through
//! `&mut dyn casebook_register::Store` with provenance (pipeline version and actor), and the
//! derived search index kept in step.
//!
//! Unlike the stage crates this one sits at the edge: it writes the store and the index (through
//! their own crates; it opens no file or socket itself). [`Pipeline::analyse`] is pure and `Sync`;
//! [`Engine`] is the one ingest engine every writer uses: the text stages on a worker thread, the
//! store in batches on the caller's, one person resolver, and an [`Indexer`] fed with what was
//! written. [`projection::for_each_document`] streams the whole register into index documents for
//! a rebuild, and [`StoreSink`] is the monitor's [`Sink`](casebook_monitor::Sink): fetched pages
//! become originals and articles through the engine.

mod analyse;
mod engine;
mod error;
mod index;
pub mod projection;
mod sink;

pub use analyse::{Analysis, Pipeline};
pub use engine::{ArticleOutcome, Engine, Recorded, Settled, Tally, STORE_BATCH};
pub use error::{PipelineError, Result};
pub use index::{
    compare_index, index_persons, index_stored, CaughtUp, IndexComparison, IndexGap, Indexer,
};
pub use sink::{record_page, StoreSink};

/// The pipeline release recorded as the provenance of every claim.
pub const EXTRACTOR_VERSION: &str = concat!("casebook ", env!("CARGO_PKG_VERSION"));
