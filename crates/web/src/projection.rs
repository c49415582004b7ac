//! The search index's documents, projected from the register. The index is derived data: the server
//! rebuilds it from the store after writes that change what search should find (ingests, merges,
//! splits, edits, visibility), in the background, so requests never wait for it.

use crate::error::{WebError, WebResult};
use crate::state::AppState;
use casebook_search::IndexDoc;

pub use casebook_pipeline::projection::year_of;

/// Every document the index should hold, from the register as it is now (the projection of
/// casebook-pipeline, shared with `casebook reindex`).
pub fn documents(state: &AppState) -> WebResult<Vec<IndexDoc>> {
    state.store_blocking(|store| {
        casebook_pipeline::projection::documents(store)
            .map_err(|e| WebError::internal("projecting the register into the search index", e))
    })
}

/// Rebuilds the whole index from the register; returns the number of records indexed.
pub fn reindex(state: &AppState) -> WebResult<usize> {
    let Some(index) = state.index() else {
        return Err(WebError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "search is off: the search index could not be opened",
        ));
    };
    let docs = documents(state)?;
    let n = index.rebuild(docs.into_iter().map(Ok::<_, std::convert::Infallible>))?;
    index.refresh()?;
    Ok(n)
}
