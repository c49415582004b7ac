//! The pages of monitoring: the alert inbox, and the watchlist with the watched sources. Their
//! forms post back here and redirect with a notice; the work is in [`crate::alerts`].

use crate::accounts::Role;
use crate::alerts::{self, AlertView, NewSources, NewWatch};
use crate::app::Caller;
use crate::error::WebResult;
use crate::pages::{back_to, parse_form, render, Layout, NoticeQuery};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::response::Response;
use casebook_monitor::{SourceRecord, Watch};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    layout: Layout,
    alerts: Vec<AlertView>,
    unread: u64,
    unread_only: bool,
}

/// Query of the inbox.
#[derive(Debug, Deserialize)]
pub struct InboxQuery {
    pub done: Option<String>,
    /// `1` shows unread alerts only.
    pub unread: Option<String>,
}

/// `GET /alerts`: the inbox, newest first.
pub async fn inbox(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<InboxQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let unread_only = q.unread.as_deref() == Some("1");
    let inbox = alerts::inbox(&state, unread_only, alerts::INBOX_LIMIT).await?;
    let path = if unread_only {
        "/alerts?unread=1"
    } else {
        "/alerts"
    };
    let mut layout = Layout::new(&caller, "Alerts", "alerts", path.into());
    layout.notice = q.done.unwrap_or_default();
    // The count in the navigation is the one this page shows, even if an alert came in between.
    layout.unread = inbox.unread;
    render(&AlertsPage {
        layout,
        unread: inbox.unread,
        alerts: inbox.alerts,
        unread_only,
    })
}

/// The form marking one alert read or unread.
#[derive(Debug, Deserialize)]
pub struct ReadForm {
    pub id: i64,
    /// `0` marks it unread again; anything else (or nothing) marks it read.
    pub read: Option<String>,
    pub back: Option<String>,
}

/// `POST /alerts/read`.
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: ReadForm = parse_form(&body)?;
    let read = form.read.as_deref() != Some("0");
    let unread = alerts::set_read(&state, &caller, form.id, read).await?;
    Ok(back_to(
        form.back.as_deref(),
        "/alerts",
        &format!(
            "Alert {} marked {}; {unread} unread",
            form.id,
            if read { "read" } else { "unread" }
        ),
    ))
}

/// `POST /alerts/read-all`.
pub async fn mark_all_read(State(state): State<AppState>, caller: Caller) -> WebResult<Response> {
    let n = alerts::mark_all_read(&state, &caller).await?;
    Ok(back_to(
        None,
        "/alerts",
        &format!("{n} alert{} marked read", if n == 1 { "" } else { "s" }),
    ))
}

#[derive(Template)]
#[template(path = "watch.html")]
struct WatchPage {
    layout: Layout,
    watches: Vec<Watch>,
    sources: Vec<SourceRecord>,
}

/// `GET /watch`: the watchlist and the watched sources.
pub async fn watch(
    State(state): State<AppState>,
    caller: Caller,
    Query(n): Query<NoticeQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let (watches, sources) = state.monitor(|m| Ok((m.watches()?, m.sources()?))).await?;
    let mut layout = Layout::new(&caller, "Watchlist", "watch", "/watch".into());
    layout.notice = n.done.unwrap_or_default();
    render(&WatchPage {
        layout,
        watches,
        sources,
    })
}

/// `POST /watch/add`: `kind` and `value`.
pub async fn add_watch(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let new: NewWatch = parse_form(&body)?;
    let watch = alerts::add_watch(&state, &caller, new).await?;
    Ok(back_to(
        None,
        "/watch",
        &format!(
            "Watching {} {} (watch {})",
            watch.kind.as_str().replace('_', " "),
            watch.value,
            watch.id
        ),
    ))
}

/// A form naming one record by id.
#[derive(Debug, Deserialize)]
pub struct IdForm {
    pub id: i64,
}

/// `POST /watch/remove`: `id`.
pub async fn remove_watch(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: IdForm = parse_form(&body)?;
    alerts::remove_watch(&state, &caller, form.id).await?;
    Ok(back_to(
        None,
        "/watch",
        &format!("Watch {} removed; its alerts are kept", form.id),
    ))
}

/// The form adding sources: `urls` (one a line) and `kind`; they are fetched at once.
#[derive(Debug, Deserialize)]
pub struct SourcesForm {
    pub urls: String,
    pub kind: Option<String>,
}

/// `POST /sources/add`: adds the sources and fetches them now; the job shows on the ingest page.
pub async fn add_sources(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: SourcesForm = parse_form(&body)?;
    let added = alerts::add_sources(
        &state,
        &caller,
        NewSources {
            urls: form.urls,
            kind: form.kind.unwrap_or_else(|| "feed".into()),
            fetch: true,
        },
    )
    .await?;
    let n = added.sources.len();
    let notice = match added.job {
        Some(job) => format!(
            "{n} source{} watched; job {job} is fetching {} now",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ),
        None => format!("{n} source{} watched", if n == 1 { "" } else { "s" }),
    };
    Ok(back_to(None, "/ingest", &notice))
}

/// `POST /sources/remove`: `id`.
pub async fn remove_source(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: IdForm = parse_form(&body)?;
    alerts::remove_source(&state, &caller, form.id).await?;
    Ok(back_to(
        None,
        "/watch",
        &format!(
            "Source {} no longer watched; the pages archived from it are kept",
            form.id
        ),
    ))
}

/// `POST /sources/fetch`: `id`; the job shows on the ingest page.
pub async fn fetch_source(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: IdForm = parse_form(&body)?;
    let job = alerts::fetch_source(&state, &caller, form.id).await?;
    Ok(back_to(
        None,
        "/ingest",
        &format!("Job {job} is fetching source {} now", form.id),
    ))
}
