//! What can go wrong in the shared flow: the register or the search index refusing a write.

/// Errors of the flow. Messages name what was being done, never a victim's name.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The register failed.
    #[error(transparent)]
    Register(#[from] casebook_register::RegisterError),
    /// The search index failed (it is derived data: the store still holds everything).
    #[error("search index: {0}")]
    Index(#[from] casebook_search::SearchError),
}

/// Result alias of the flow.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;
