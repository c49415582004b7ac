//! casebook-web: the web application and JSON API over the register.
//!
//! In: a data directory (the register, its search index, `accounts.sqlite` with the accounts and
//! `monitor.sqlite` with the watched sources, watchlist and alerts) and a [`Config`]. Out: an axum
//! [`Router`](axum::Router) serving the pages (dashboard, search, case files, articles, review
//! queue, alert inbox and its Atom feed, watchlist and sources, ingest of files and feeds, exports,
//! audit log, users) and a JSON API for everything the pages do, described by
//! `GET /api/openapi.json`.
//!
//! Team mode needs a login (roles: viewer reads, analyst reviews, edits and ingests, admin also
//! manages accounts); every write goes to the register under the user's name, so the audit log
//! records who did it. Public mode ([`Config::public`]) is read-only and shows only confirmed facts,
//! never a person or field marked protected.

pub mod accounts;
pub mod alerts;
pub mod api;
pub mod app;
pub mod busy;
pub mod chart;
pub mod data;
pub mod error;
pub mod export_stream;
pub mod index_update;
pub mod ingest;
pub mod lists_page;
pub mod login_limit;
pub mod monitor_pages;
pub mod pages;
pub mod perpetrators_page;
pub mod projection;
pub mod public_follow;
pub mod read;
pub mod redirect;
pub mod response_headers;
pub mod review_locks;
pub mod review_pages;
pub mod state;
pub mod summary;

pub use accounts::{Accounts, Role, User};
pub use app::router;
pub use error::{StartError, WebError};
pub use state::{AppState, Config};

use std::time::Duration;

/// The pause between two rebuilds of the search index.
const REINDEX_PAUSE: Duration = Duration::from_secs(2);

/// Opens the data directory and builds the application, with its background index refresher.
/// Must be called inside a tokio runtime.
pub fn application(config: Config) -> Result<(AppState, axum::Router), StartError> {
    let state = AppState::open(config)?;
    tokio::spawn(state.clone().reindex_loop(REINDEX_PAUSE));
    // The index is rebuilt only when it differs from the register (empty, or behind after a
    // killed ingest): the comparison reads ids only, on a thread of its own, so the start does not
    // wait for it and an unchanged register costs no rebuild.
    let check = state.clone();
    busy::in_background("casebook-index-check", move || index_check(&check));
    if state.public() {
        tokio::spawn(public_follow::follow_register(
            state.clone(),
            public_follow::FOLLOW_EVERY,
        ));
    }
    summary::warm(&state);
    let router = app::router(state.clone());
    Ok((state, router))
}

/// Asks for a rebuild when the search index and the register disagree.
fn index_check(state: &AppState) {
    let Some(index) = state.index() else { return };
    if index.num_docs() == 0 {
        state.request_reindex();
        return;
    }
    let compared = state.store_blocking(|store| {
        casebook_pipeline::compare_index(&*store, index)
            .map_err(|e| WebError::internal("comparing the search index with the register", e))
    });
    match compared {
        Ok(c) if c.is_whole() => {}
        Ok(c) => {
            for line in c.problems() {
                eprintln!("casebook-web: the search index is behind the register: {line}");
            }
            state.request_reindex();
        }
        Err(e) => {
            eprintln!("casebook-web: could not compare the search index with the register: {e}")
        }
    }
}
