//! The dashboard at a cost that does not grow with the register. Its counts and charts come from
//! the register's summary (kept by the store's triggers as data arrives); the one figure that needs
//! every person's events, persons by status, is counted on a background thread and kept here with
//! the register head (latest audit entry) it was counted at. A request never waits for that count:
//! it shows the last one and, when the register has changed since, starts a new one, at most once
//! per [`MIN_RECOUNT`] or ten times as long as the last count took, whichever is longer.

use crate::api::view;
use crate::app::Caller;
use crate::data::{self, Dashboard};
use crate::error::WebResult;
use crate::state::AppState;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The shortest time between two background counts of persons by status.
pub const MIN_RECOUNT: Duration = Duration::from_secs(30);

/// Persons by status as last counted, and the count in progress.
#[derive(Default)]
pub struct StatusCounts {
    inner: Mutex<CountState>,
    /// Persons with articles and the register head they were counted at: counting reads every
    /// person, so it is done once per head, not once per request.
    persons: Mutex<Option<(i64, u64)>>,
}

#[derive(Default)]
struct CountState {
    /// The register head the counts were made at, and the counts.
    counted: Option<(i64, BTreeMap<String, u64>)>,
    running: bool,
    last_started: Option<Instant>,
    last_took: Duration,
}

impl StatusCounts {
    /// The latest counts (`None` before the first one ends); starts a count in the background
    /// when the register has moved past `head` and none ran lately.
    pub fn get(&self, state: &AppState, head: i64) -> Option<BTreeMap<String, u64>> {
        let mut s = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let current = s.counted.as_ref().is_some_and(|(h, _)| *h == head);
        let rested = s
            .last_started
            .is_none_or(|t| t.elapsed() >= MIN_RECOUNT.max(s.last_took * 10));
        if !current && !s.running && rested {
            s.running = true;
            s.last_started = Some(Instant::now());
            let state = state.clone();
            crate::busy::in_background("casebook-status-count", move || recount(&state));
        }
        s.counted.as_ref().map(|(_, c)| c.clone())
    }

    /// Persons with articles at `head`: the count kept for that head, else counted now (and kept).
    pub fn persons(&self, store: &casebook_register::SqliteStore, head: i64) -> WebResult<u64> {
        let kept = *self.persons.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, n)) = kept {
            if at == head {
                return Ok(n);
            }
        }
        let n = store.persons_count()?;
        *self.persons.lock().unwrap_or_else(|p| p.into_inner()) = Some((head, n));
        Ok(n)
    }

    fn finished(&self, result: Option<(i64, BTreeMap<String, u64>)>, took: Duration) {
        let mut s = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        s.running = false;
        s.last_took = took;
        if result.is_some() {
            s.counted = result;
        }
    }
}

/// Counts persons by status at the current head, on the calling (blocking) thread.
fn recount(state: &AppState) {
    let started = Instant::now();
    let result = state.store_blocking(|store| {
        let head = store.register_head()?;
        Ok((head, store.persons_by_status()?))
    });
    let took = started.elapsed();
    let result = match result {
        Ok(counted) => Some(counted),
        Err(e) => {
            eprintln!("casebook-web: counting persons by status failed: {e}");
            None
        }
    };
    state.status_counts().finished(result, took);
}

/// Starts the first background count, so the dashboard has it by the time someone asks.
pub fn warm(state: &AppState) {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Ok(head) = state.store_blocking(|store| Ok(store.register_head()?)) {
            state.status_counts().get(&state, head);
        }
    });
}

/// The dashboard as the caller may see it.
pub async fn dashboard(state: &AppState, caller: &Caller) -> WebResult<Dashboard> {
    let counts = state.clone();
    view(state, caller, move |store, policy, _| {
        let (statuses, persons) = match policy {
            Some(_) => (None, 0),
            None => {
                let head = store.register_head()?;
                let persons = counts.status_counts().persons(store, head)?;
                (counts.status_counts().get(&counts, head), persons)
            }
        };
        data::dashboard(store, policy, statuses, persons)
    })
    .await
}
