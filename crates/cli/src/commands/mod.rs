//! One module per subcommand.

pub mod audit;
pub mod bench;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod names;
pub mod person;
pub mod review;
pub mod stats;
