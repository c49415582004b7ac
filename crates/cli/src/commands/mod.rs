//! One module per subcommand.

pub mod audit;
pub mod bench;
pub mod bench_web;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod list;
pub mod migrate_store;
pub mod names;
pub mod person;
pub mod reindex;
pub mod review;
pub mod search;
pub mod serve;
pub mod stats;
pub mod user;
pub mod watch;
