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
pub mod ingest;
pub mod login_limit;
pub mod monitor_pages;
pub mod pages;
pub mod projection;
pub mod read;
pub mod redirect;
pub mod response_headers;
pub mod state;
pub mod summary;

pub use accounts::{Accounts, Role, User};
pub use app::router;
pub use error::{StartError, WebError};
pub use state::{AppState, Config};

use std::net::SocketAddr;
use std::time::Duration;

/// The pause between two rebuilds of the search index.
const REINDEX_PAUSE: Duration = Duration::from_secs(2);

/// Opens the data directory and builds the application, with its background index refresher.
/// Must be called inside a tokio runtime.
pub fn application(config: Config) -> Result<(AppState, axum::Router), StartError> {
    let state = AppState::open(config)?;
    tokio::spawn(state.clone().reindex_loop(REINDEX_PAUSE));
    // An empty index is built from the register; one that holds records is kept as it is, since
    // a rebuild reads the whole register (`casebook ingest` and the pipeline keep it in step).
    if state.index().is_some_and(|index| index.num_docs() == 0) {
        state.request_reindex();
    }
    summary::warm(&state);
    let router = app::router(state.clone());
    Ok((state, router))
}

/// Serves the application on `addr` until Ctrl-C.
pub async fn serve(config: Config, addr: SocketAddr) -> Result<(), StartError> {
    let (_, router) = application(config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| StartError(format!("cannot listen on {addr}: {e}")))?;
    eprintln!("casebook: serving on http://{local}/");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| StartError(format!("the server stopped: {e}")))
}
