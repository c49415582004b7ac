//! Review at scale in the team application: the queue by article (what matters first, filters,
//! the machine's confidence, pages by keyset, who took what, the queue's progress), one article's
//! review (its text with people and events marked, every claim beside it with its evidence
//! sentence, decided from the keyboard by `static/review.js` through `POST /api/decisions`, and by
//! plain forms without script), one person's review (claims, merge candidates, conflicting
//! reports), and taking articles ("my queue"). Team mode only: the router routes none of it on a
//! public server, so protected persons never reach a public page from here.

use crate::accounts::Role;
use crate::app::{urlencode, Caller};
use crate::data::{self, escape_html, ConflictView, PersonRef};
use crate::error::{WebError, WebResult};
use crate::pages::{back_to, parse_form, render, Layout, NoticeQuery};
use crate::review_locks::Held;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use casebook_register::{
    priority_label, ArticleMeta, ClaimKind, QueueFilter, QueueProgress, QueueRow, QueueSort,
    ScoredClaim, SqliteStore, Store as _,
};
use serde::Deserialize;
use std::collections::HashMap;

/// Articles per page of the queue.
pub const QUEUE_PAGE: usize = 50;

const REVIEW_JS: &str = include_str!("../static/review.js");

/// `GET /static/review.js`: the review pages' keyboard, deciding without a page load.
pub async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        REVIEW_JS,
    )
        .into_response()
}

/// Query of the queue page: filters, order, cursor.
#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub case: Option<String>,
    /// `1`: only the articles the caller took.
    pub mine: Option<String>,
    pub sort: Option<String>,
    pub after: Option<String>,
    pub done: Option<String>,
}

impl QueueParams {
    fn mine(&self) -> bool {
        self.mine.as_deref() == Some("1")
    }

    fn filter(&self, user: &str) -> WebResult<QueueFilter> {
        let sort = self.sort.as_deref().unwrap_or("");
        Ok(QueueFilter {
            event_type: self.event_type.clone(),
            outlet: self.outlet.clone(),
            language: self.lang.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            case: self.case.clone(),
            taken_by: self.mine().then(|| user.to_string()),
            sort: QueueSort::parse(sort).ok_or_else(|| {
                WebError::bad_request(format!(
                    "unknown order {sort:?}: use priority, confidence or -confidence"
                ))
            })?,
        })
    }

    /// The query string of these filters (without the cursor), `&`-joined, to build links on.
    fn query(&self) -> String {
        let pairs = [
            ("type", &self.event_type),
            ("outlet", &self.outlet),
            ("lang", &self.lang),
            ("from", &self.from),
            ("to", &self.to),
            ("case", &self.case),
            ("mine", &self.mine),
            ("sort", &self.sort),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_deref()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", urlencode(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One article of the queue as the page lists it.
pub struct QueueItem {
    pub row: QueueRow,
    pub priority: &'static str,
    pub confidence: u32,
    /// Another reviewer who has it open now.
    pub held: Option<Held>,
}

#[derive(Template)]
#[template(path = "review_queue.html")]
struct QueuePageView {
    layout: Layout,
    items: Vec<QueueItem>,
    progress: QueueProgress,
    p: QueueParams,
    /// The filters' query string, for the order and paging links.
    query: String,
    next: String,
}

impl QueuePageView {
    fn selected(&self, sort: &str) -> bool {
        self.p.sort.as_deref().unwrap_or("priority") == sort
    }
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn percent(&self, confirmed: &u64, rejected: &u64) -> u64 {
        let (confirmed, rejected) = (*confirmed, *rejected);
        (confirmed * 100)
            .checked_div(confirmed + rejected)
            .unwrap_or(0)
    }
}

/// `GET /review/queue`: the articles with open claims, what matters first.
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<QueueParams>,
) -> WebResult<Response> {
    let user = caller.require(Role::Viewer)?.user.name.clone();
    let filter = p.filter(&user)?;
    let after = p.after.clone();
    let (page, progress) = state
        .store(move |store| {
            Ok((
                store.review_queue_page(&filter, after.as_deref(), QUEUE_PAGE)?,
                store.queue_progress()?,
            ))
        })
        .await?;
    let locks = state.review_locks();
    let items = page
        .rows
        .into_iter()
        .map(|row| QueueItem {
            priority: priority_label(row.priority),
            confidence: (row.confidence * 100.0).round() as u32,
            held: locks.holder(&row.article.id, &user),
            row,
        })
        .collect();
    let query = p.query();
    let mut layout = Layout::new(&caller, "Review queue", "review", "/review/queue".into());
    layout.notice = p.done.clone().unwrap_or_default();
    render(&QueuePageView {
        layout,
        items,
        progress,
        query,
        next: page.next.unwrap_or_default(),
        p,
    })
}

/// A claim as the review pages show it.
pub struct ClaimItem {
    pub id: String,
    pub kind: &'static str,
    pub summary: String,
    pub priority: &'static str,
    pub confidence: u32,
    pub state: &'static str,
    pub decided_by: String,
    /// The evidence: its sentence, the claim's own words marked (escaped HTML).
    pub evidence: String,
    pub start: Option<usize>,
    /// The article, on the person page (where claims come from many articles).
    pub article: Option<ArticleMeta>,
}

fn kind_label(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::Person => "person named",
        ClaimKind::Event => "event",
        ClaimKind::Case => "case",
        ClaimKind::SamePerson => "same person?",
        ClaimKind::ListRow => "list row",
    }
}

/// The sentence around `start..end` of the text (at most a few hundred characters each side),
/// with the span marked; escaped.
pub fn evidence_html(text: &[char], start: usize, end: usize) -> String {
    let end = end.min(text.len());
    let start = start.min(end);
    let ends_sentence = |i: usize| {
        text[i] == '\n' || (matches!(text[i], '.' | '!' | '?') && text.get(i + 1) == Some(&' '))
    };
    let mut from = start;
    while from > 0 && start - from < 300 && !ends_sentence(from - 1) {
        from -= 1;
    }
    let mut to = end;
    while to < text.len() && to - end < 300 && !(to > end && ends_sentence(to - 1)) {
        to += 1;
    }
    let part = |a: usize, b: usize| escape_html(&text[a..b].iter().collect::<String>());
    format!(
        "{}<mark>{}</mark>{}",
        part(from, start).trim_start(),
        part(start, end),
        part(end, to).trim_end()
    )
}

fn claim_item(c: ScoredClaim, evidence: String, article: Option<ArticleMeta>) -> ClaimItem {
    ClaimItem {
        kind: kind_label(c.claim.kind),
        priority: priority_label(c.priority),
        confidence: (c.confidence * 100.0).round() as u32,
        state: c.claim.state.as_str(),
        decided_by: c.claim.decided_by.clone().unwrap_or_default(),
        start: c.claim.start,
        id: c.claim.id,
        summary: c.claim.summary,
        evidence,
        article,
    }
}

#[derive(Template)]
#[template(path = "review_article.html")]
struct ArticleReview {
    layout: Layout,
    meta: ArticleMeta,
    url: Option<String>,
    body: String,
    claims: Vec<ClaimItem>,
    open: usize,
    held: Option<Held>,
    taken_by: String,
    /// The next article of the queue to review, empty at the end.
    next: String,
}

/// Query of the article review page.
#[derive(Debug, Deserialize)]
pub struct ArticleParams {
    /// `1`: review even though another reviewer has the article open (takes the lock).
    pub force: Option<String>,
    pub done: Option<String>,
}

/// The next article to review after `current`: the caller's own first, then the queue's order,
/// skipping articles another reviewer has open.
fn next_article(
    store: &SqliteStore,
    state: &AppState,
    user: &str,
    current: &str,
) -> WebResult<String> {
    let locks = state.review_locks();
    for taken_by in [Some(user.to_string()), None] {
        let filter = QueueFilter {
            taken_by,
            ..QueueFilter::default()
        };
        let page = store.review_queue_page(&filter, None, 20)?;
        let free = page.rows.into_iter().find(|r| {
            r.article.id != current
                && locks.holder(&r.article.id, user).is_none()
                && r.taken_by.as_deref().is_none_or(|t| t == user)
        });
        if let Some(r) = free {
            return Ok(r.article.id);
        }
    }
    Ok(String::new())
}

/// `GET /review/articles/{id}`: one article with every claim it makes, to decide in one pass.
pub async fn article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<ArticleParams>,
) -> WebResult<Response> {
    let user = caller.require(Role::Viewer)?.user.name.clone();
    let force = q.force.as_deref() == Some("1");
    // A viewer only looks: the lock is for those who decide.
    let held = if caller.role().is_some_and(|r| r >= Role::Analyst) {
        state.review_locks().take(&id, &user, force)
    } else {
        state.review_locks().holder(&id, &user)
    };
    let st = state.clone();
    let (view, meta, claims, row, next) = state
        .store(move |store| {
            let view = crate::read::article(store, &id)?;
            let meta = store
                .article_meta_of(std::slice::from_ref(&id))?
                .remove(&id)
                .unwrap_or_default();
            let claims = store.article_claims(&id)?;
            let row = store.review_queue_row(&id)?;
            let next = next_article(store, &st, &user, &id)?;
            Ok((view, meta, claims, row, next))
        })
        .await?;
    let text: Vec<char> = view
        .paragraphs
        .join(casebook_model::PARAGRAPH_SEPARATOR)
        .chars()
        .collect();
    let claims: Vec<ClaimItem> = claims
        .into_iter()
        .map(|mut c| {
            c.claim.summary = c.claim.summary.replace(&meta.id, "this article");
            let evidence = match (c.claim.start, c.claim.end) {
                (Some(s), Some(e)) => evidence_html(&text, s, e),
                _ => String::new(),
            };
            claim_item(c, evidence, None)
        })
        .collect();
    let open = claims.iter().filter(|c| c.state == "suggested").count();
    let body = data::article_html(&view, false);
    let title = format!("Review: {}", meta.title);
    let path = format!("/review/articles/{}", urlencode(&meta.id));
    let mut layout = Layout::new(&caller, title, "review", path);
    layout.notice = q.done.unwrap_or_default();
    render(&ArticleReview {
        layout,
        url: view.link().map(str::to_string),
        meta,
        body,
        claims,
        open,
        held,
        taken_by: row.and_then(|r| r.taken_by).unwrap_or_default(),
        next,
    })
}

#[derive(Template)]
#[template(path = "review_person.html")]
struct PersonReview {
    layout: Layout,
    person: PersonRef,
    status: String,
    claims: Vec<ClaimItem>,
    open: usize,
    merges: Vec<MergeItem>,
    conflicts: Vec<(String, String, Vec<ConflictView>)>,
}

/// A merge candidate of the person page.
pub struct MergeItem {
    pub claim: String,
    pub a: PersonRef,
    pub b: PersonRef,
}

/// `GET /review/persons/{id}`: a person's claims, merge candidates and conflicting reports.
pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(n): Query<NoticeQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let view = state
        .store(move |store| {
            let paged = store.case_file_page(&id, 0, data::TIMELINE_PAGE)?;
            let file = paged.file;
            let root = file.person.id.clone();
            let claims = store.person_claims(&root)?;
            let mut article_ids: Vec<String> = claims
                .iter()
                .filter_map(|c| c.claim.article.clone())
                .collect();
            article_ids.sort();
            article_ids.dedup();
            let metas = store.article_meta_of(&article_ids)?;
            // Evidence of event reports, from the timeline's sources (the page's events).
            let sentences: HashMap<String, String> = file
                .timeline
                .iter()
                .flat_map(|e| e.sources.iter().map(|s| (s.claim.clone(), s.text.clone())))
                .collect();
            let others: Vec<String> = file
                .possible_duplicates
                .iter()
                .flat_map(|c| c.subject.split('|').map(str::to_string))
                // The victims whose details the sources disagree about.
                .chain(
                    file.timeline
                        .iter()
                        .flat_map(|e| e.conflicts.iter().filter_map(|c| c.person.clone())),
                )
                .collect();
            let names = data::names_of(store, None, &others)?;
            let named = |id: &str| PersonRef {
                id: id.to_string(),
                name: names.get(id).cloned().unwrap_or_else(|| id.to_string()),
            };
            let merges = file
                .possible_duplicates
                .iter()
                .filter_map(|c| {
                    let (a, b) = c.subject.split_once('|')?;
                    Some(MergeItem {
                        claim: c.id.clone(),
                        a: named(a),
                        b: named(b),
                    })
                })
                .collect();
            let conflicts = file
                .timeline
                .iter()
                .filter(|e| !e.conflicts.is_empty())
                .map(|e| {
                    let titles = store.article_meta_of(
                        &e.conflicts
                            .iter()
                            .flat_map(|c| c.values.iter().flat_map(|v| v.articles.clone()))
                            .collect::<Vec<_>>(),
                    )?;
                    let views = e
                        .conflicts
                        .iter()
                        .map(|c| ConflictView {
                            field: c.field.clone(),
                            person: c.person.as_deref().map(named),
                            values: c
                                .values
                                .iter()
                                .map(|v| {
                                    let arts = v
                                        .articles
                                        .iter()
                                        .map(|a| {
                                            let t = titles
                                                .get(a)
                                                .map_or(a.clone(), |m| m.title.clone());
                                            (a.clone(), t)
                                        })
                                        .collect();
                                    (v.value.clone(), arts)
                                })
                                .collect(),
                        })
                        .collect();
                    Ok((
                        e.event_type.replace('_', " "),
                        e.date.clone().unwrap_or_default(),
                        views,
                    ))
                })
                .collect::<WebResult<Vec<_>>>()?;
            let claims: Vec<ClaimItem> = claims
                .into_iter()
                .map(|mut c| {
                    let meta = c.claim.article.as_ref().and_then(|a| metas.get(a)).cloned();
                    if let Some(m) = &meta {
                        c.claim.summary = c.claim.summary.replace(&m.id, &format!("“{}”", m.title));
                    }
                    let evidence = sentences
                        .get(&c.claim.id)
                        .map(|s| format!("<mark>{}</mark>", escape_html(s)))
                        .unwrap_or_default();
                    claim_item(c, evidence, meta)
                })
                .collect();
            Ok(PersonReviewData {
                person: PersonRef {
                    id: root,
                    name: file.person.name,
                },
                status: file.person.status.as_str().replace('_', " "),
                claims,
                merges,
                conflicts,
            })
        })
        .await?;
    let path = format!("/review/persons/{}", urlencode(&view.person.id));
    let mut layout = Layout::new(
        &caller,
        format!("Review: {}", view.person.name),
        "review",
        path,
    );
    layout.notice = n.done.unwrap_or_default();
    let open = view
        .claims
        .iter()
        .filter(|c| c.state == "suggested")
        .count();
    render(&PersonReview {
        layout,
        person: view.person,
        status: view.status,
        claims: view.claims,
        open,
        merges: view.merges,
        conflicts: view.conflicts,
    })
}

struct PersonReviewData {
    person: PersonRef,
    status: String,
    claims: Vec<ClaimItem>,
    merges: Vec<MergeItem>,
    conflicts: Vec<(String, String, Vec<ConflictView>)>,
}

/// The form that takes articles, assigns them or gives them back.
#[derive(Debug, Deserialize)]
pub struct TakeForm {
    #[serde(default)]
    pub article: Vec<String>,
    /// `take` (for the caller), `assign` (to `to`) or `release`.
    pub action: String,
    pub to: Option<String>,
    pub back: Option<String>,
}

/// `POST /review/take`: takes articles ("my queue"), assigns them to another reviewer, or gives
/// them back. An assignment names an existing account.
pub async fn take(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let user = caller.require(Role::Analyst)?.user.name.clone();
    let form: TakeForm = parse_form(&body)?;
    if form.article.is_empty() {
        return Err(WebError::bad_request("choose at least one article"));
    }
    let who = match form.action.as_str() {
        "take" => Some(user),
        "release" => None,
        "assign" => {
            let to = form
                .to
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| WebError::bad_request("assign to whom? give a user name"))?
                .to_string();
            let known = state
                .blocking({
                    let to = to.clone();
                    move |s| Ok(s.accounts().users()?.iter().any(|u| u.name == to))
                })
                .await?;
            if !known {
                return Err(WebError::bad_request(format!("no account named {to:?}")));
            }
            Some(to)
        }
        other => {
            return Err(WebError::bad_request(format!(
                "unknown action {other:?}: use take, assign or release"
            )))
        }
    };
    let ids = form.article.clone();
    let label = who.clone();
    let n = state
        .store(move |store| Ok(store.take_articles(&ids, who.as_deref())?))
        .await?;
    let notice = match label {
        Some(w) => format!("{n} article(s) now in {w}'s queue"),
        None => format!("{n} article(s) given back to the queue"),
    };
    Ok(back_to(form.back.as_deref(), "/review/queue", &notice))
}

/// The form that fits the confidence to the decisions.
#[derive(Debug, Deserialize)]
pub struct CalibrateForm {
    pub back: Option<String>,
}

/// `POST /review/calibrate`: fits the machine's confidence to the decisions so far and re-ranks the
/// queue (recorded in the audit log with what it found).
pub async fn calibrate(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> WebResult<Response> {
    let user = caller.require(Role::Analyst)?.user.name.clone();
    let form: CalibrateForm = parse_form(&body)?;
    let c = state
        .store(move |store| {
            let c = store.calibrate_confidence()?;
            let found = serde_json::to_value(&c).unwrap_or_default();
            store.record_action(&user, "calibrate", "confidence", &found)?;
            Ok(c)
        })
        .await?;
    let notice = format!(
        "the confidence now follows {} decisions in {} profiles; {} open articles re-ranked",
        c.decided, c.profiles, c.reranked
    );
    Ok(back_to(form.back.as_deref(), "/review/queue", &notice))
}

/// What the audit log's targets are in words, by id: an article's title, outlet and date, a
/// claim's summary with its article's title; other targets (persons, users) are left out.
pub fn labels(
    store: &SqliteStore,
    entries: &[casebook_register::AuditEntry],
) -> WebResult<HashMap<String, String>> {
    let ids: Vec<String> = entries.iter().map(|e| e.target.clone()).collect();
    let claims = store.claims_by_id(&ids)?;
    let mut article_ids: Vec<String> = ids.clone();
    article_ids.extend(claims.values().filter_map(|c| c.article.clone()));
    article_ids.sort();
    article_ids.dedup();
    let metas = store.article_meta_of(&article_ids)?;
    let mut out: HashMap<String, String> = HashMap::new();
    for (id, m) in &metas {
        let mut label = m.title.clone();
        for part in [&m.outlet, &m.published, &m.language] {
            if !part.is_empty() {
                label.push_str(" · ");
                label.push_str(part);
            }
        }
        out.insert(id.clone(), label);
    }
    for (id, mut c) in claims {
        casebook_register::titled_summary(&mut c, &metas);
        out.insert(id, c.summary);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_its_sentence_with_the_claim_marked_and_escaped() {
        let text: Vec<char> = "First one. Officers detained <Emil> Ziyadinov at dawn. Later."
            .chars()
            .collect();
        let s = "First one. Officers detained ".chars().count();
        let html = evidence_html(&text, s, s + "<Emil> Ziyadinov".chars().count());
        assert_eq!(
            html,
            "Officers detained <mark>&lt;Emil&gt; Ziyadinov</mark> at dawn."
        );
        // Out of range never panics: an empty mark after the last sentence.
        assert_eq!(evidence_html(&text, 500, 900), "Later.<mark></mark>");
    }
}
