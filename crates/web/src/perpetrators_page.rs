//! The perpetrators events name, in the team application (read-only): `/perpetrators` lists the
//! judges, prosecutors, investigators, officers and the bodies they serve, most reported first,
//! with filters by role, kind and name; `/perpetrators/{name}` is one perpetrator's file: their
//! role, the institutions named beside them, their cases and their events with evidence, newest
//! first, page by page. The exports list them too (`perpetrators.csv`, FollowTheMoney).

use crate::accounts::Role;
use crate::app::{urlencode, Caller};
use crate::data::{self, EventView};
use crate::error::{WebError, WebResult};
use crate::pages::{render, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use casebook_register::{perpetrator_roles as roles, PerpetratorFilter, PerpetratorRow};
use serde::Deserialize;

/// Perpetrators, or a perpetrator's events, per page.
const PAGE: usize = 50;

/// The list's filters and page.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    /// `person` or `institution`.
    pub kind: Option<String>,
    pub role: Option<String>,
    pub page: Option<usize>,
}

/// One perpetrator as the list shows them.
struct Row {
    url: String,
    name: String,
    /// Empty for an institution.
    role: String,
    /// The other spellings reports use, joined for display.
    also: String,
    reports: u64,
}

impl From<PerpetratorRow> for Row {
    fn from(r: PerpetratorRow) -> Self {
        Row {
            url: format!("/perpetrators/{}", urlencode(&r.text)),
            name: r.perpetrator.name().to_string(),
            role: r.perpetrator.role().unwrap_or_default().to_string(),
            also: r.other_spellings.join("; "),
            reports: r.reports,
        }
    }
}

#[derive(Template)]
#[template(path = "perpetrators.html")]
struct PerpetratorsPage {
    layout: Layout,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    q: String,
    kind: String,
    role: String,
    roles: Vec<&'static str>,
    /// The filters as a query string, for the pager's links.
    filters: String,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// `GET /perpetrators?q=&kind=&role=&page=`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let q = non_empty(query.q).unwrap_or_default();
    let kind = non_empty(query.kind).unwrap_or_default();
    let role = non_empty(query.role).unwrap_or_default();
    let filter = PerpetratorFilter {
        role: Some(role.clone()).filter(|r| !r.is_empty()),
        persons: match kind.as_str() {
            "person" => Some(true),
            "institution" => Some(false),
            _ => None,
        },
        text: Some(q.clone()).filter(|t| !t.is_empty()),
    };
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(PAGE);
    let (rows, total) = state
        .store(move |store| Ok(store.perpetrators(&filter, offset, PAGE)?))
        .await?;
    render(&PerpetratorsPage {
        layout: Layout::new(
            &caller,
            "Perpetrators",
            "perpetrators",
            "/perpetrators".into(),
        ),
        rows: rows.into_iter().map(Row::from).collect(),
        total,
        page,
        pages: total.div_ceil(PAGE).max(1),
        filters: format!(
            "q={}&kind={}&role={}",
            urlencode(&q),
            urlencode(&kind),
            urlencode(&role)
        ),
        q,
        kind,
        role,
        roles: roles(),
    })
}

#[derive(Template)]
#[template(path = "perpetrator.html")]
struct PerpetratorPage {
    layout: Layout,
    url: String,
    name: String,
    role: String,
    /// The other spellings reports use for them.
    also: Vec<String>,
    reports: u64,
    /// Institutions named beside them: link, name, reports.
    institutions: Vec<(String, String, u64)>,
    cases: Vec<String>,
    events: Vec<EventView>,
    page: usize,
    /// True when older events follow this page.
    more: bool,
}

/// Query of a perpetrator's file.
#[derive(Debug, Default, Deserialize)]
pub struct FileQuery {
    pub page: Option<usize>,
}

/// `GET /perpetrators/{name}?page=N`.
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    Path(text): Path<String>,
    Query(query): Query<FileQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(PAGE);
    let wanted = text.clone();
    let (file, events) = state
        .store(move |store| {
            let file = store
                .perpetrator_file(&wanted, offset, PAGE)?
                .ok_or_else(|| WebError::not_found(format!("no report names {wanted:?}")))?;
            let names = data::names_of(store, None, &data::victims_of(&file.events))?;
            let titles = data::titles_for(store, &file.events)?;
            let events: Vec<EventView> = file
                .events
                .iter()
                .cloned()
                .filter_map(|e| data::event_view(e, &names, &titles, None))
                .collect();
            Ok((file, events))
        })
        .await?;
    let url = format!("/perpetrators/{}", urlencode(&file.row.text));
    let perpetrator = &file.row.perpetrator;
    render(&PerpetratorPage {
        layout: Layout::new(
            &caller,
            perpetrator.name().to_string(),
            "perpetrators",
            url.clone(),
        ),
        url,
        name: perpetrator.name().to_string(),
        role: perpetrator.role().unwrap_or_default().to_string(),
        also: file.row.other_spellings.clone(),
        reports: file.row.reports,
        institutions: file
            .institutions
            .into_iter()
            .map(|(n, c)| (format!("/perpetrators/{}", urlencode(&n)), n, c))
            .collect(),
        cases: file.cases.into_iter().map(|(_, name)| name).collect(),
        events,
        page,
        more: file.more,
    })
}
