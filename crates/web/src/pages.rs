//! The HTML pages: server-rendered with compiled templates (askama), one CSS file and one small
//! script for keyboard shortcuts, both served from the binary.

use crate::accounts::Role;
use crate::api::{self, view, NewUser, SearchParams};
use crate::app::{clear_cookie, session_token, urlencode, Caller, ClientAddr};
use crate::chart;
use crate::data::{self, CaseFileView, Dashboard, ReviewQueue};
use crate::error::{WebError, WebResult};
use crate::ingest::Job;
use crate::read::ArticleView;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, RawForm, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use casebook_register::{AuditEntry, Decision, Store, Visibility};
use serde::Deserialize;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

/// `GET /static/app.css`.
pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// `GET /static/app.js`.
pub async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
        .into_response()
}

/// What every page's frame needs.
pub struct Layout {
    pub title: String,
    pub public: bool,
    /// The logged-in user's name, empty when nobody is.
    pub user: String,
    pub role: String,
    pub csrf: String,
    pub can_write: bool,
    pub is_admin: bool,
    /// Which navigation entry is current.
    pub nav: &'static str,
    /// The page's own path, for forms that come back to it.
    pub path: String,
    /// A one-line message at the top of the page.
    pub notice: String,
    /// Unread alerts, shown beside the inbox link.
    pub unread: u64,
}

impl Layout {
    pub(crate) fn new(
        caller: &Caller,
        title: impl Into<String>,
        nav: &'static str,
        path: String,
    ) -> Layout {
        let session = caller.session.as_ref();
        Layout {
            title: title.into(),
            public: caller.public,
            user: session.map(|s| s.user.name.clone()).unwrap_or_default(),
            role: session
                .map(|s| s.user.role.as_str().to_string())
                .unwrap_or_default(),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            can_write: caller.role().is_some_and(|r| r >= Role::Analyst),
            is_admin: caller.role() == Some(Role::Admin),
            nav,
            path,
            notice: String::new(),
            unread: caller.unread_alerts.unwrap_or(0),
        }
    }
}

pub(crate) fn render(t: &impl Template) -> WebResult<Response> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| WebError::internal("rendering a page", e))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: String,
    message: String,
}

/// The HTML page for an error.
pub fn error_page(status: StatusCode, message: &str, public: bool) -> Html<String> {
    let page = ErrorPage {
        layout: Layout {
            title: status.to_string(),
            public,
            user: String::new(),
            role: String::new(),
            csrf: String::new(),
            can_write: false,
            is_admin: false,
            nav: "",
            path: String::new(),
            notice: String::new(),
            unread: 0,
        },
        status: status.to_string(),
        message: message.to_string(),
    };
    Html(
        page.render()
            .unwrap_or_else(|_| format!("{status}: {}", data::escape_html(message))),
    )
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    error: String,
    next: String,
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub next: Option<String>,
}

/// Only same-site paths are followed after login, so a link cannot send a user elsewhere.
fn safe_next(next: Option<&str>) -> String {
    crate::redirect::local_path(next)
}

/// `GET /login`.
pub async fn login_form(caller: Caller, Query(q): Query<LoginQuery>) -> WebResult<Response> {
    if caller.session.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    render(&LoginPage {
        layout: Layout::new(&caller, "Log in", "", "/login".into()),
        error: String::new(),
        next: safe_next(q.next.as_deref()),
    })
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub name: String,
    pub password: String,
    pub next: Option<String>,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    Extension(addr): Extension<ClientAddr>,
    axum::Form(form): axum::Form<LoginForm>,
) -> WebResult<Response> {
    let next = safe_next(form.next.as_deref());
    match api::check_login(&state, addr.0, form.name, form.password).await {
        Ok((cookie, _)) => Ok((
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, cookie), (header::LOCATION, next)],
        )
            .into_response()),
        Err(e)
            if e.status == StatusCode::UNAUTHORIZED
                || e.status == StatusCode::TOO_MANY_REQUESTS =>
        {
            let page = LoginPage {
                layout: Layout::new(&caller, "Log in", "", "/login".into()),
                error: e.message.clone(),
                next,
            };
            let html = page
                .render()
                .map_err(|err| WebError::internal("rendering a page", err))?;
            // The page is the answer; the status still tells scripts the login failed.
            let mut response = (e.status, Html(html)).into_response();
            if let Some(secs) = e.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> WebResult<Response> {
    if let Some(token) = session_token(&headers) {
        state
            .blocking(move |s| Ok(s.accounts().close_session(&token)?))
            .await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                clear_cookie(state.config().secure_cookies),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    d: Dashboard,
    status_svg: String,
    type_svg: String,
    month_svg: String,
    legend: Vec<(String, &'static str)>,
}

/// `GET /`.
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
    Query(n): Query<NoticeQuery>,
) -> WebResult<Response> {
    let d = crate::summary::dashboard(&state, &caller).await?;
    let mut layout = Layout::new(&caller, "Dashboard", "dashboard", "/".into());
    layout.notice = n.done.unwrap_or_default();
    render(&DashboardPage {
        layout,
        status_svg: chart::horizontal_bars(&d.persons_by_status, "People by status"),
        type_svg: chart::horizontal_bars(&d.events_by_type, "Events by type"),
        month_svg: chart::stacked_bars(&d.events_per_month, "Events per month, by type"),
        legend: chart::legend(&d.events_per_month),
        d,
    })
}

/// One facet value as a link.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

/// A facet's values.
pub struct FacetGroup {
    pub label: &'static str,
    pub values: Vec<FacetLink>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    mode: String,
    searched: bool,
    total: usize,
    hits: Vec<api::HitView>,
    facets: Vec<FacetGroup>,
    active_filters: Vec<(String, String)>,
    hidden_filters: Vec<(String, String)>,
    prev: String,
    next: String,
}

fn search_href(p: &SearchParams) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    };
    add("q", &Some(p.q.clone()));
    add("mode", &p.mode);
    add("kind", &p.kind);
    add("type", &p.event_type);
    add("year", &p.year);
    add("place", &p.place);
    add("status", &p.status);
    add("outlet", &p.outlet);
    if let Some(page) = p.page.filter(|n| *n > 1) {
        parts.push(format!("page={page}"));
    }
    format!("/search?{}", parts.join("&"))
}

/// The facet slots of [`SearchParams`], with their labels.
fn facet_slot<'a>(p: &'a mut SearchParams, name: &str) -> &'a mut Option<String> {
    match name {
        "kind" => &mut p.kind,
        "type" => &mut p.event_type,
        "year" => &mut p.year,
        "place" => &mut p.place,
        "status" => &mut p.status,
        _ => &mut p.outlet,
    }
}

/// `GET /search`.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> WebResult<Response> {
    let searched = !params.q.trim().is_empty()
        || [
            &params.kind,
            &params.event_type,
            &params.year,
            &params.place,
            &params.status,
            &params.outlet,
        ]
        .iter()
        .any(|v| v.as_ref().is_some_and(|v| !v.is_empty()));
    let results = if searched {
        Some(api::run_search(&state, &caller, params.clone()).await?)
    } else {
        None
    };
    let names = ["kind", "type", "year", "place", "status", "outlet"];
    let mut facets = Vec::new();
    let mut active_filters = Vec::new();
    let mut hidden_filters = Vec::new();
    for name in names {
        let mut p = params.clone();
        p.page = None;
        if let Some(v) = facet_slot(&mut p, name).clone().filter(|v| !v.is_empty()) {
            hidden_filters.push((name.to_string(), v.clone()));
            *facet_slot(&mut p, name) = None;
            active_filters.push((format!("{name}: {}", v.replace('_', " ")), search_href(&p)));
        }
    }
    if let Some(r) = &results {
        let groups: [(&'static str, &str, &Vec<casebook_search::FacetValue>); 6] = [
            ("Kind", "kind", &r.facets.kind),
            ("Event type", "type", &r.facets.event_type),
            ("Year", "year", &r.facets.year),
            ("Place", "place", &r.facets.place),
            ("Status", "status", &r.facets.status),
            ("Outlet", "outlet", &r.facets.outlet),
        ];
        for (label, name, values) in groups {
            let current = facet_slot(&mut params.clone(), name).clone();
            let values = values
                .iter()
                .take(12)
                .map(|v| {
                    let mut p = params.clone();
                    p.page = None;
                    let active = current.as_deref() == Some(v.value.as_str());
                    *facet_slot(&mut p, name) = if active { None } else { Some(v.value.clone()) };
                    FacetLink {
                        label: v.value.replace('_', " "),
                        count: v.count,
                        href: search_href(&p),
                        active,
                    }
                })
                .collect();
            facets.push(FacetGroup { label, values });
        }
    }
    let page = params.page.unwrap_or(1).max(1);
    let (total, hits) = match results {
        Some(r) => (r.total, r.hits),
        None => (0, Vec::new()),
    };
    let link = |n: usize| {
        let mut p = params.clone();
        p.page = Some(n);
        search_href(&p)
    };
    render(&SearchPage {
        layout: Layout::new(&caller, "Search", "search", search_href(&params)),
        q: params.q.clone(),
        mode: params.mode.clone().unwrap_or_else(|| "auto".into()),
        searched,
        total,
        prev: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next: if page * api::PER_PAGE < total {
            link(page + 1)
        } else {
            String::new()
        },
        hits,
        facets,
        active_filters,
        hidden_filters,
    })
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    f: CaseFileView,
}

/// `GET /persons/{id}`.
pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(n): Query<NoticeQuery>,
    Query(p): Query<api::PageParams>,
) -> WebResult<Response> {
    let path = format!("/persons/{}", urlencode(&id));
    let page = p.page.unwrap_or(1);
    let f = view(&state, &caller, move |store, policy, _| {
        data::case_file(store, policy, &id, page)
    })
    .await?;
    if !caller.public && f.person.id != path.trim_start_matches("/persons/") {
        // A merged-away id: show the person it was merged into under their own address.
        return Ok(Redirect::to(&format!("/persons/{}", urlencode(&f.person.id))).into_response());
    }
    let mut layout = Layout::new(&caller, f.person.name.clone(), "search", path);
    layout.notice = n.done.unwrap_or_default();
    render(&PersonPage { layout, f })
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    layout: Layout,
    a: ArticleView,
    body: String,
}

/// `GET /articles/{id}`.
pub async fn article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let path = format!("/articles/{}", urlencode(&id));
    let a = view(&state, &caller, move |store, policy, _| {
        data::article(store, policy, &id)
    })
    .await?;
    let body = data::article_html(&a, caller.public);
    render(&ArticlePage {
        layout: Layout::new(
            &caller,
            a.title.clone().unwrap_or_else(|| "Article".into()),
            "search",
            path,
        ),
        a,
        body,
    })
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    layout: Layout,
    q: ReviewQueue,
}

/// Query of pages that show a notice after a redirect.
#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    pub done: Option<String>,
}

/// `GET /review`.
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Query(n): Query<NoticeQuery>,
    Query(p): Query<api::AfterParams>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let after = p.after.filter(|a| !a.is_empty());
    let q = state
        .store(move |store| data::review_queue(store, after.as_deref()))
        .await?;
    let mut layout = Layout::new(&caller, "Review", "review", "/review".into());
    layout.notice = n.done.unwrap_or_default();
    render(&ReviewPage { layout, q })
}

/// A review form: one action and the fields it needs.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    pub action: String,
    pub target: Option<String>,
    pub into: Option<String>,
    pub from: Option<String>,
    pub person: Option<String>,
    pub field: Option<String>,
    pub value: Option<String>,
    pub level: Option<String>,
    #[serde(default)]
    pub names: Vec<String>,
    pub back: Option<String>,
}

fn required(v: Option<String>, what: &str) -> WebResult<String> {
    v.map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| WebError::bad_request(format!("the form needs {what}")))
}

impl DecideForm {
    fn decision(self) -> WebResult<Decision> {
        Ok(match self.action.as_str() {
            "confirm" => Decision::Confirm {
                target: required(self.target, "a target")?,
            },
            "reject" => Decision::Reject {
                target: required(self.target, "a target")?,
            },
            "edit" => Decision::Edit {
                target: required(self.target, "a target")?,
                field: required(self.field, "a field")?,
                value: required(self.value, "a value")?,
            },
            "merge" => Decision::Merge {
                into: required(self.into, "the person to keep")?,
                from: required(self.from, "the person to merge in")?,
            },
            "split" => {
                if self.names.is_empty() {
                    return Err(WebError::bad_request(
                        "choose at least one name to split off",
                    ));
                }
                Decision::Split {
                    person: required(self.person, "a person")?,
                    names: self.names,
                }
            }
            "visibility" => {
                let level = required(self.level, "a level")?;
                Decision::SetVisibility {
                    person: required(self.person, "a person")?,
                    field: self.field.filter(|f| !f.is_empty()),
                    level: Visibility::parse(&level).ok_or_else(|| {
                        WebError::bad_request(format!(
                            "unknown level {level:?}: use public, initials or hidden"
                        ))
                    })?,
                }
            }
            other => {
                return Err(WebError::bad_request(format!(
                "unknown action {other:?}: use confirm, reject, edit, merge, split or visibility"
            )))
            }
        })
    }
}

pub(crate) fn parse_form<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> WebResult<T> {
    serde_html_form::from_bytes(bytes)
        .map_err(|e| WebError::bad_request(format!("the form could not be read: {e}")))
}

pub(crate) fn back_to(back: Option<&str>, fallback: &str, notice: &str) -> Response {
    let base = safe_next(back.or(Some(fallback)));
    let sep = if base.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{base}{sep}done={}", urlencode(notice))).into_response()
}

/// `POST /review/decide`.
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: DecideForm = parse_form(&body)?;
    let back = form.back.clone();
    let decision = form.decision()?;
    let record = api::apply_decision(&state, &caller, decision).await?;
    let notice = format!(
        "Decision #{} recorded: {} {}",
        record.id, record.action, record.target
    );
    let back = match (&record.action[..], back) {
        // After a merge the page of the merged-away person redirects to the kept one.
        (_, Some(b)) => Some(b),
        (_, None) => None,
    };
    Ok(back_to(back.as_deref(), "/review", &notice))
}

/// The undo form.
#[derive(Debug, Deserialize)]
pub struct UndoForm {
    pub id: i64,
}

/// `POST /review/undo`.
pub async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: UndoForm = parse_form(&body)?;
    let record = api::apply_undo(&state, &caller, form.id).await?;
    Ok(back_to(
        None,
        "/review",
        &format!("Decision #{} undone by #{}", form.id, record.id),
    ))
}

#[derive(Template)]
#[template(path = "ingest.html")]
struct IngestPage {
    layout: Layout,
    jobs: Vec<Job>,
    max_mb: usize,
}

/// `GET /ingest`.
pub async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    Query(n): Query<NoticeQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let mut layout = Layout::new(&caller, "Ingest", "ingest", "/ingest".into());
    layout.notice = n.done.unwrap_or_default();
    render(&IngestPage {
        layout,
        jobs: state.jobs().list(),
        max_mb: state.config().max_body_bytes / (1024 * 1024),
    })
}

/// `POST /ingest` (multipart).
pub async fn ingest_upload(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> WebResult<Response> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let uploads = api::read_uploads(multipart).await?;
    let n = uploads.len();
    let job = crate::ingest::start(&state, &actor, uploads)?;
    Ok(back_to(
        None,
        "/ingest",
        &format!(
            "Job {job} started with {n} file{}",
            if n == 1 { "" } else { "s" }
        ),
    ))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    chain_ok: bool,
    chain_entries: u64,
    chain_problem: String,
    older: String,
    /// What each target is in words (an article's title and outlet, a claim's summary), by id.
    labels: std::collections::HashMap<String, String>,
}

/// Query of the audit page.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    pub before: Option<i64>,
}

/// Audit entries per page.
const AUDIT_PAGE: usize = 100;

/// `GET /audit`: the newest entries first.
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let (mut entries, report, labels) = state
        .store(move |store| {
            let report = store.verify_audit()?;
            let end = q.before.unwrap_or(i64::MAX).min(report.entries as i64 + 1);
            let from = (end - AUDIT_PAGE as i64).max(0);
            let entries = store
                .audit_entries(from, AUDIT_PAGE)?
                .into_iter()
                .filter(|e| e.seq < end)
                .collect::<Vec<_>>();
            let labels = crate::review_pages::labels(store, &entries)?;
            Ok((entries, report, labels))
        })
        .await?;
    entries.reverse();
    let older = match entries.last() {
        Some(e) if e.seq > 1 => format!("/audit?before={}", e.seq),
        _ => String::new(),
    };
    render(&AuditPage {
        layout: Layout::new(&caller, "Audit log", "audit", "/audit".into()),
        chain_ok: report.broken.is_none(),
        chain_entries: report.entries,
        chain_problem: report
            .broken
            .map(|(seq, why)| format!("entry {seq}: {why}"))
            .unwrap_or_default(),
        entries,
        older,
        labels,
    })
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<crate::accounts::User>,
}

/// `GET /users` (admin).
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    Query(n): Query<NoticeQuery>,
) -> WebResult<Response> {
    caller.require(Role::Admin)?;
    let users = state.blocking(|s| Ok(s.accounts().users()?)).await?;
    let mut layout = Layout::new(&caller, "Users", "users", "/users".into());
    layout.notice = n.done.unwrap_or_default();
    render(&UsersPage { layout, users })
}

/// `POST /users` (admin).
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let new: NewUser = parse_form(&body)?;
    let user = api::create_user(&state, &caller, new).await?;
    Ok(back_to(
        None,
        "/users",
        &format!("User {} added as {}", user.name, user.role.as_str()),
    ))
}

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    layout: Layout,
    tables: &'static [&'static str],
}

/// `GET /export`: the downloads, or with `format=…` the download itself.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    query: Query<api::ExportParams>,
) -> WebResult<Response> {
    if query.format.is_some() {
        return api::export(State(state), caller, query).await;
    }
    if !caller.public {
        caller.require(Role::Viewer)?;
    }
    render(&ExportPage {
        layout: Layout::new(&caller, "Export", "export", "/export".into()),
        tables: &api::CSV_TABLES,
    })
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
}

/// `GET /account`: the caller's account and the password form.
pub async fn account(caller: Caller, Query(n): Query<NoticeQuery>) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let mut layout = Layout::new(&caller, "Your account", "account", "/account".into());
    layout.notice = n.done.unwrap_or_default();
    render(&AccountPage { layout })
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

/// `POST /account/password`.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: PasswordForm = parse_form(&body)?;
    if form.new != form.repeat {
        return Err(WebError::bad_request(
            "the new password and its repetition differ",
        ));
    }
    let change = api::PasswordChange {
        current: form.current,
        new: form.new,
    };
    api::set_own_password(&state, &caller, addr.0, session_token(&headers), change).await?;
    Ok(back_to(
        None,
        "/account",
        "Password changed; your other sessions are closed",
    ))
}

/// The role form.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    pub name: String,
    pub role: String,
}

/// `POST /users/role` (admin).
pub async fn change_role(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let form: RoleForm = parse_form(&body)?;
    let user = api::set_role(&state, &caller, form.name, form.role).await?;
    Ok(back_to(
        None,
        "/users",
        &format!("{} is now {}", user.name, user.role.as_str()),
    ))
}
