//! One module per subcommand.

pub mod extract;
pub mod ingest;
pub mod names;
