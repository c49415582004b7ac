//! Other groups' lists in the team application (read-only): `/lists` shows the stored lists and
//! their versions, `/lists/{name}` one version's reconciliation with the register (matched rows with
//! score and why, rows only in the list, conflicts, persons only in the register, and what changed
//! since the version before), and `/lists/{name}/report.json|csv` export the report in the shape of
//! `casebook list report`. Lists are imported with `casebook list import`.

use crate::accounts::Role;
use crate::app::{urlencode, Caller};
use crate::error::WebResult;
use crate::pages::{render, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use casebook_lists::{Changes, Report};
use casebook_register::lists::ListSummary;
use serde::Deserialize;
use std::collections::HashMap;

/// Persons only in the register shown on the page (the export has them all).
const REGISTER_ONLY_SHOWN: usize = 200;

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    layout: Layout,
    versions: Vec<VersionRow>,
}

/// One version of a list, as the index shows it.
struct VersionRow {
    name: String,
    url: String,
    version: u32,
    file_name: String,
    sha256: String,
    sha_short: String,
    rows: u64,
    imported_at: String,
    imported_by: String,
}

fn version_rows(lists: Vec<ListSummary>) -> Vec<VersionRow> {
    lists
        .into_iter()
        .flat_map(|l| {
            let url = format!("/lists/{}", urlencode(&l.name));
            l.versions.into_iter().map(move |v| VersionRow {
                name: l.name.clone(),
                url: format!("{url}?version={}", v.version),
                version: v.version,
                file_name: v.file_name,
                sha_short: v.sha256.chars().take(12).collect(),
                sha256: v.sha256,
                rows: v.rows,
                imported_at: v.imported_at,
                imported_by: v.imported_by,
            })
        })
        .collect()
}

/// `GET /lists`.
pub async fn lists(State(state): State<AppState>, caller: Caller) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let lists = state.store(|store| Ok(store.lists()?)).await?;
    render(&ListsPage {
        layout: Layout::new(&caller, "Lists", "lists", "/lists".into()),
        versions: version_rows(lists),
    })
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<u32>,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    layout: Layout,
    name_url: String,
    report: Report,
    register_only_shown: Vec<String>,
    changes: Option<(u32, Changes)>,
    /// The display name of each person the page links to: a reviewer reads names, not ids.
    names: HashMap<String, String>,
}

impl ListPage {
    fn name_of<'a>(&'a self, person: &'a str) -> &'a str {
        self.names.get(person).map_or(person, String::as_str)
    }
}

/// `GET /lists/{name}?version=N`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    Query(q): Query<VersionQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let list_name = name.clone();
    let (report, changes, names) = state
        .store(move |store| {
            let report = store.list_report(&list_name, q.version)?;
            let changes = if report.version > 1 {
                let (from, _, c) = store.list_changes(&list_name, None, Some(report.version))?;
                Some((from, c))
            } else {
                None
            };
            let r = &report.reconciliation;
            let shown: Vec<String> = r
                .matched
                .iter()
                .map(|m| m.person.clone())
                .chain(r.conflicts.iter().map(|c| c.person.clone()))
                .chain(
                    r.only_in_register
                        .iter()
                        .take(REGISTER_ONLY_SHOWN)
                        .map(|p| p.person.clone()),
                )
                .collect();
            let names = store.person_names_of(&shown)?;
            Ok((report, changes, names))
        })
        .await?;
    let register_only_shown = report
        .reconciliation
        .only_in_register
        .iter()
        .take(REGISTER_ONLY_SHOWN)
        .map(|p| p.person.clone())
        .collect();
    render(&ListPage {
        layout: Layout::new(
            &caller,
            format!("List {name}"),
            "lists",
            format!("/lists/{}", urlencode(&name)),
        ),
        name_url: urlencode(&name),
        report,
        register_only_shown,
        changes,
        names,
    })
}

/// `GET /lists/{name}/report.json` and `/lists/{name}/report.csv` (`?version=N`).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, file)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let csv = match file.as_str() {
        "report.json" => false,
        "report.csv" => true,
        _ => {
            return Err(crate::error::WebError::not_found(
                "no such export of a list",
            ))
        }
    };
    let report = state
        .store(move |store| Ok(store.list_report(&name, q.version)?))
        .await?;
    let (body, kind) = if csv {
        (
            casebook_lists::report_csv(&report),
            "text/csv; charset=utf-8",
        )
    } else {
        (
            serde_json::to_string_pretty(&report).unwrap_or_default(),
            "application/json",
        )
    };
    Ok(([(header::CONTENT_TYPE, kind)], body).into_response())
}
