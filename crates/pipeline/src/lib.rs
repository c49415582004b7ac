//! casebook-pipeline: the one ingest flow every entry point shares (`casebook ingest`, `bench`,
//! `reindex`, `watch`, the poller of `casebook serve`, and uploads in the web application).
//!
//! In: an untouched [`Original`](casebook_model::Original) (the bytes of a file, an upload or a
//! fetched page). Out: its analysed articles stored in the register through
//! `&mut dyn casebook_register::Store` with provenance (pipeline version and actor), and the
//! derived search index kept in step.
//!
//! Unlike the stage crates this one sits at the edge: it writes the store and the index (through
//! their own crates; it opens no file or socket itself). The work is split so callers can overlap
//! it: [`Pipeline::analyse`] is pure and `Sync` (run it on any thread, or several), [`Recorder`]
//! writes one analysis to a store, and [`Indexer`] feeds what was written to the search index.
//! [`Ingestor`] chains the three for callers that need no overlap. [`projection::documents`]
//! projects the whole register into index documents for a rebuild, and [`StoreSink`] is the
//! monitor's [`Sink`](casebook_monitor::Sink): fetched pages become originals and articles.

mod analyse;
mod error;
mod index;
pub mod projection;
mod record;
mod sink;

pub use analyse::{Analysis, Pipeline};
pub use error::{PipelineError, Result};
pub use index::{
    compare_index, index_persons, index_stored, CaughtUp, IndexComparison, IndexGap, Indexer,
};
pub use record::{ArticleOutcome, Ingestor, Recorded, Recorder};
pub use sink::{record_page, StoreSink};

/// The pipeline release recorded as the provenance of every claim.
pub const EXTRACTOR_VERSION: &str = concat!("casebook ", env!("CARGO_PKG_VERSION"));
