//! What each page shows, as plain serialisable values: the JSON API returns these as they are and
//! the HTML pages render them, so the two never disagree. In public mode every value passes through
//! the register's one [`PublicPolicy`] first (the same policy `export --public` uses).

use crate::error::{WebError, WebResult};
use crate::read::{self, ArticleView};
use casebook_model::{Status, Visibility};
use casebook_register::identity::script_of;
use casebook_register::visibility::{outlet_host, PublicPerson, PublicPolicy};
use casebook_register::{
    titled_summary, ArticleMeta, Claim, DecisionRecord, EventRecord, PersonRecord, ReviewState,
    SqliteStore, Store,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A link to a person: id and the name to show.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// One source of an event: the sentence, its article and the untouched original.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub article: String,
    pub article_title: String,
    /// The outlet (site or host), the date and the language of the article; empty when unknown.
    pub outlet: String,
    pub published: String,
    pub language: String,
    /// SHA-256 of the untouched original the article was read from.
    pub original: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub claim: String,
    pub review: ReviewState,
}

/// An event with its victims named and its sources linked.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: String,
    pub event_type: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub victims: Vec<PersonRef>,
    pub perpetrators: Vec<String>,
    pub details: BTreeMap<String, String>,
    /// Each victim's own details (a co-defendant's term), by victim.
    pub victim_details: Vec<(PersonRef, Vec<(String, String)>)>,
    pub claimed_by: Option<String>,
    pub review: ReviewState,
    pub sources: Vec<SourceView>,
    /// Fields the sources disagree on, each value with the articles giving it.
    pub conflicts: Vec<ConflictView>,
}

/// A field of an event its sources disagree on.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    pub field: String,
    /// The victim the sources disagree about, for a detail of one victim.
    pub person: Option<PersonRef>,
    /// Each value, with the articles (id, title) that give it.
    pub values: Vec<(String, Vec<(String, String)>)>,
}

/// The dashboard's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub articles: u64,
    pub persons: u64,
    pub events: u64,
    pub cases: u64,
    pub open_claims: u64,
    pub persons_by_status: Vec<(String, u64)>,
    pub events_by_type: Vec<(String, u64)>,
    /// Events per month (`2024-09`) by type.
    pub events_per_month: BTreeMap<String, BTreeMap<String, u64>>,
    /// The newest events by date, with their sources.
    pub newest: Vec<EventView>,
    /// True while the persons by status are being counted in the background (the chart is empty
    /// until then, or shows the count before the latest changes).
    pub persons_by_status_pending: bool,
}

/// A name of a person with the script it is written in.
#[derive(Debug, Clone, Serialize)]
pub struct NameView {
    pub name: String,
    pub script: String,
}

/// A case with its defendants named.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub id: String,
    pub name: String,
    pub defendants: Vec<PersonRef>,
    pub review: ReviewState,
    /// The other names outlets give the case.
    pub other_names: Vec<String>,
}

/// A person as shown: the whole record to the team; to the public, what the policy lets through,
/// with every field the public may not see left out (not replaced by a stand-in).
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub articles: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_visibility: Option<BTreeMap<String, Visibility>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<bool>,
}

impl From<PersonRecord> for PersonView {
    fn from(p: PersonRecord) -> Self {
        PersonView {
            id: p.id,
            name: p.name,
            names: p.names,
            status: Some(p.status),
            articles: p.articles,
            visibility: Some(p.visibility),
            field_visibility: Some(p.field_visibility),
            confirmed: Some(p.confirmed),
        }
    }
}

impl From<&PublicPerson> for PersonView {
    fn from(p: &PublicPerson) -> Self {
        PersonView {
            id: p.id.clone(),
            name: p.name.clone(),
            names: p.names.clone(),
            status: p.status,
            articles: p.articles,
            visibility: None,
            field_visibility: None,
            confirmed: None,
        }
    }
}

/// A person's case file as shown.
#[derive(Debug, Clone, Serialize)]
pub struct CaseFileView {
    pub person: PersonView,
    pub names: Vec<NameView>,
    pub descriptors: Vec<String>,
    pub cases: Vec<CaseView>,
    /// One page of the events, newest first.
    pub timeline: Vec<EventView>,
    /// Events of the person in all, and this page's number (from 1) of [`TIMELINE_PAGE`] each.
    pub total_events: usize,
    pub page: usize,
    pub pages: usize,
    pub possible_duplicates: Vec<Claim>,
}

/// Events per page of a case file's timeline.
pub const TIMELINE_PAGE: usize = 50;

/// The review queue: open claims and merge candidates, and the latest decisions with who made them.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewQueue {
    pub claims: Vec<Claim>,
    pub merge_candidates: Vec<MergeCandidate>,
    pub decisions: Vec<DecisionRecord>,
    /// What the page shows of the claims' articles, by id: title, outlet, date, language.
    pub articles: HashMap<String, ArticleMeta>,
    /// What each decision's target is, in words (a claim's summary with its article's title),
    /// by target id; targets not listed are shown as they are (person and event ids).
    pub targets: HashMap<String, String>,
    /// The claim id after which the next page starts, empty on the last page.
    pub next: String,
}

/// Two persons that may be one.
#[derive(Debug, Clone, Serialize)]
pub struct MergeCandidate {
    pub claim: Claim,
    pub a: PersonRef,
    pub b: PersonRef,
}

/// Every person's display name by id (team view) or the public names (public view).
pub fn person_names(
    store: &dyn Store,
    policy: Option<&PublicPolicy>,
) -> WebResult<HashMap<String, String>> {
    if let Some(policy) = policy {
        return Ok(policy
            .shown()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect());
    }
    let mut names = HashMap::new();
    store.visit_persons(&mut |p| {
        names.insert(p.id, p.name);
        Ok(())
    })?;
    Ok(names)
}

/// The display names of these persons (team view: one query for all of them) or their public
/// names (public view).
pub fn names_of(
    store: &SqliteStore,
    policy: Option<&PublicPolicy>,
    ids: &[String],
) -> WebResult<HashMap<String, String>> {
    if let Some(policy) = policy {
        return Ok(ids
            .iter()
            .filter_map(|id| policy.person(id).map(|p| (id.clone(), p.name.clone())))
            .collect());
    }
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    Ok(store.person_names_of(&ids)?)
}

pub(crate) fn victims_of(events: &[EventRecord]) -> Vec<String> {
    events
        .iter()
        .flat_map(|e| e.victims.iter().cloned())
        .collect()
}

/// The SHA-256 of the original an article id comes from (`SHA` or `SHA#N`).
pub fn original_of(article: &str) -> String {
    article.split('#').next().unwrap_or(article).to_string()
}

/// An event as shown, or `None` when the public may not see it.
pub fn event_view(
    event: EventRecord,
    names: &HashMap<String, String>,
    titles: &HashMap<String, ArticleMeta>,
    policy: Option<&PublicPolicy>,
) -> Option<EventView> {
    let event = match policy {
        Some(p) => p.event(event)?,
        None => event,
    };
    let redact = |t: &str| policy.map_or_else(|| t.to_string(), |p| p.redact(t));
    let title = |a: &String| redact(titles.get(a).map_or("article", |t| t.title.as_str()));
    let person = |v: &String| PersonRef {
        id: v.clone(),
        name: names.get(v).cloned().unwrap_or_else(|| v.clone()),
    };
    Some(EventView {
        conflicts: event
            .conflicts
            .iter()
            .map(|c| ConflictView {
                field: c.field.clone(),
                person: c.person.as_ref().map(person),
                values: c
                    .values
                    .iter()
                    .map(|v| {
                        let articles = v.articles.iter().map(|a| (a.clone(), title(a))).collect();
                        (redact(&v.value), articles)
                    })
                    .collect(),
            })
            .collect(),
        victims: event
            .victims
            .iter()
            .map(|v| PersonRef {
                id: v.clone(),
                name: names.get(v).cloned().unwrap_or_else(|| v.clone()),
            })
            .collect(),
        sources: event
            .sources
            .into_iter()
            .map(|s| SourceView {
                article_title: title(&s.article),
                outlet: titles
                    .get(&s.article)
                    .map(|m| redact(&m.outlet))
                    .unwrap_or_default(),
                published: titles
                    .get(&s.article)
                    .map(|m| m.published.clone())
                    .unwrap_or_default(),
                language: titles
                    .get(&s.article)
                    .map(|m| m.language.clone())
                    .unwrap_or_default(),
                original: original_of(&s.article),
                article: s.article,
                text: s.text,
                start: s.start,
                end: s.end,
                claim: s.claim,
                review: s.review,
            })
            .collect(),
        id: event.id,
        event_type: event.event_type,
        date: event.date,
        place: event.place,
        perpetrators: event.perpetrators,
        details: event.details,
        victim_details: event
            .victim_details
            .iter()
            .map(|(v, d)| {
                let d = d.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                (person(v), d)
            })
            .collect(),
        claimed_by: event.claimed_by,
        review: event.review,
    })
}

/// What the sources of these events show of their articles (title, outlet, date, language).
pub(crate) fn titles_for(
    store: &SqliteStore,
    events: &[EventRecord],
) -> WebResult<HashMap<String, ArticleMeta>> {
    let mut ids: Vec<String> = events
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.article.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    Ok(store.article_meta_of(&ids)?)
}

/// How many newest events the dashboard lists.
const NEWEST: usize = 12;

/// The dashboard. The team's counts come from the register's summary (kept by the store as data
/// arrives); `statuses` are the persons by status as last counted in the background (`None`
/// while the first count runs). The public's counts are over confirmed events only.
pub fn dashboard(
    store: &SqliteStore,
    policy: Option<&PublicPolicy>,
    statuses: Option<BTreeMap<String, u64>>,
    persons: u64,
) -> WebResult<Dashboard> {
    let summary = store.summary_counts()?;
    let pending = policy.is_none() && statuses.is_none();
    let (events, by_type, per_month, persons, persons_by_status, newest) = match policy {
        Some(p) => {
            let mut events = Vec::new();
            store.visit_confirmed_events(&mut |e| {
                events.push(e);
                Ok(())
            })?;
            let (by_type, per_month) = event_counts(&events);
            let mut by: BTreeMap<String, u64> = BTreeMap::new();
            // A hidden status is not counted under any status: the chart must not tell it.
            for status in p.shown().filter_map(|person| person.status) {
                *by.entry(status.as_str().to_string()).or_default() += 1;
            }
            let mut newest: Vec<EventRecord> = events
                .iter()
                .filter(|e| e.date.is_some())
                .cloned()
                .collect();
            newest.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
            newest.truncate(NEWEST);
            let count = events.len() as u64;
            (
                count,
                by_type,
                per_month,
                p.shown_count() as u64,
                by,
                newest,
            )
        }
        None => (
            summary.events,
            summary.events_by_type.clone(),
            summary.events_per_month.clone(),
            persons,
            statuses.unwrap_or_default(),
            store.newest_events(NEWEST)?,
        ),
    };
    let names = names_of(store, policy, &victims_of(&newest))?;
    let titles = titles_for(store, &newest)?;
    let newest = newest
        .into_iter()
        .filter_map(|e| event_view(e, &names, &titles, policy))
        .collect();
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().filter(|(_, n)| *n > 0).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Ok(Dashboard {
        articles: summary.articles,
        persons,
        events,
        cases: summary.cases,
        open_claims: if policy.is_some() {
            0
        } else {
            summary
                .claims_by_state
                .get("suggested")
                .copied()
                .unwrap_or(0)
        },
        persons_by_status: sorted(persons_by_status),
        events_by_type: sorted(by_type),
        events_per_month: per_month,
        newest,
        persons_by_status_pending: pending,
    })
}

/// Events by type, and per month (`2024-09`) by type, of these events.
type EventCounts = (
    BTreeMap<String, u64>,
    BTreeMap<String, BTreeMap<String, u64>>,
);

fn event_counts(events: &[EventRecord]) -> EventCounts {
    let mut by_type: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_month: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for e in events {
        *by_type.entry(e.event_type.clone()).or_default() += 1;
        let month = casebook_register::month_of(e.date.as_deref());
        if !month.is_empty() {
            *per_month
                .entry(month.to_string())
                .or_default()
                .entry(e.event_type.clone())
                .or_default() += 1;
        }
    }
    (by_type, per_month)
}

/// A person's case file with one page (from 1) of their events, newest first.
pub fn case_file(
    store: &SqliteStore,
    policy: Option<&PublicPolicy>,
    id: &str,
    page: usize,
) -> WebResult<CaseFileView> {
    let page = page.max(1);
    let offset = (page - 1).saturating_mul(TIMELINE_PAGE);
    let paged = store.case_file_page(id, offset, TIMELINE_PAGE)?;
    let total_events = paged.total_events;
    let file = paged.file;
    let person: PersonView = match policy {
        Some(p) => p
            .person(&file.person.id)
            .map(PersonView::from)
            .ok_or_else(|| {
                WebError::not_found(format!("no person with id {id:?} in the register"))
            })?,
        None => file.person.into(),
    };
    let mut shown: Vec<String> = victims_of(&file.timeline);
    shown.extend(file.cases.iter().flat_map(|c| c.defendants.iter().cloned()));
    let names = names_of(store, policy, &shown)?;
    let titles = titles_for(store, &file.timeline)?;
    let timeline = file
        .timeline
        .into_iter()
        .filter_map(|e| event_view(e, &names, &titles, policy))
        .collect();
    let cases = file
        .cases
        .into_iter()
        .filter(|c| policy.is_none() || c.review == ReviewState::Confirmed)
        .map(|c| CaseView {
            name: policy.map_or_else(|| c.name.clone(), |p| p.redact(&c.name)),
            defendants: c
                .defendants
                .iter()
                .filter_map(|d| {
                    names.get(d).map(|n| PersonRef {
                        id: d.clone(),
                        name: n.clone(),
                    })
                })
                .collect(),
            other_names: c
                .names
                .iter()
                .filter(|n| **n != c.name)
                .map(|n| policy.map_or_else(|| n.clone(), |p| p.redact(n)))
                .collect(),
            id: c.id,
            review: c.review,
        })
        .collect();
    let mut name_list: Vec<NameView> = Vec::new();
    for n in std::iter::once(&person.name).chain(person.names.iter()) {
        if !name_list.iter().any(|v| &v.name == n) {
            name_list.push(NameView {
                name: n.clone(),
                script: script_of(n).to_string(),
            });
        }
    }
    Ok(CaseFileView {
        names: name_list,
        descriptors: if policy.is_some() {
            Vec::new()
        } else {
            file.descriptors
        },
        cases,
        timeline,
        total_events,
        page,
        pages: total_events.div_ceil(TIMELINE_PAGE).max(1),
        possible_duplicates: if policy.is_some() {
            Vec::new()
        } else {
            file.possible_duplicates
        },
        person,
    })
}

/// An article, redacted for the public view.
pub fn article(
    store: &dyn Store,
    policy: Option<&PublicPolicy>,
    id: &str,
) -> WebResult<ArticleView> {
    let mut view = read::article(store, id)?;
    if let Some(p) = policy {
        // Redaction changes lengths, so the public view keeps no offsets into the text.
        view.paragraphs = view.paragraphs.iter().map(|t| p.redact(t)).collect();
        view.title = view.title.map(|t| p.redact(&t));
        for d in &mut view.near_duplicates {
            d.title = d.title.as_ref().map(|t| p.redact(t));
        }
        view.mentions.clear();
        view.evidence.retain(|e| e.review == "confirmed");
        for e in &mut view.evidence {
            e.start = 0;
            e.end = 0;
        }
        // An address or a file name may carry a name: the public sees the outlet's host only.
        view.source = outlet_host(view.url.as_deref()).unwrap_or_default();
        view.url = None;
        view.site = view.site.map(|s| p.redact(&s));
    }
    Ok(view)
}

/// Open claims per page of the review queue.
const QUEUE_LIMIT: usize = 200;

/// One page of the review queue: the open claims made after claim `after` (from the first when
/// `None`), merge candidates among them with both persons named, and the latest decisions.
pub fn review_queue(store: &SqliteStore, after: Option<&str>) -> WebResult<ReviewQueue> {
    let page = store.review_page(after, QUEUE_LIMIT)?;
    let pairs: Vec<(Claim, String, String)> = page
        .merge_candidates
        .into_iter()
        .filter_map(|c| {
            let (a, b) = c.subject.split_once('|')?;
            let (a, b) = (a.to_string(), b.to_string());
            Some((c, a, b))
        })
        .collect();
    let ids: Vec<String> = pairs
        .iter()
        .flat_map(|(_, a, b)| [a.clone(), b.clone()])
        .collect();
    let names = names_of(store, None, &ids)?;
    let r = |id: String| PersonRef {
        name: names.get(&id).cloned().unwrap_or_else(|| id.clone()),
        id,
    };
    let merge_candidates = pairs
        .into_iter()
        .map(|(claim, a, b)| MergeCandidate {
            claim,
            a: r(a),
            b: r(b),
        })
        .collect();
    let decisions = store.decisions(50)?;
    let target_ids: Vec<String> = decisions.iter().map(|d| d.target.clone()).collect();
    let decided = store.claims_by_id(&target_ids)?;
    let mut article_ids: Vec<String> = page
        .claims
        .iter()
        .chain(decided.values())
        .filter_map(|c| c.article.clone())
        .collect();
    article_ids.sort();
    article_ids.dedup();
    let articles = store.article_meta_of(&article_ids)?;
    let mut claims = page.claims;
    for c in &mut claims {
        titled_summary(c, &articles);
    }
    let targets = decided
        .into_values()
        .map(|mut c| {
            titled_summary(&mut c, &articles);
            (c.id, c.summary)
        })
        .collect();
    Ok(ReviewQueue {
        claims,
        merge_candidates,
        decisions,
        articles,
        targets,
        next: page.next.unwrap_or_default(),
    })
}

/// An article's body as HTML: paragraphs, people linked to their case files, evidence sentences
/// marked with their event type. Escapes all text.
pub fn article_html(view: &ArticleView, public: bool) -> String {
    let chars: Vec<char> = view
        .paragraphs
        .join(casebook_model::PARAGRAPH_SEPARATOR)
        .chars()
        .collect();
    // Per character: which evidence sentence and which mention covers it (the first one wins).
    let mut ev: Vec<Option<usize>> = vec![None; chars.len()];
    let mut me: Vec<Option<usize>> = vec![None; chars.len()];
    if !public {
        for (i, e) in view.evidence.iter().enumerate() {
            for slot in ev.iter_mut().take(e.end.min(chars.len())).skip(e.start) {
                slot.get_or_insert(i);
            }
        }
        for (i, m) in view.mentions.iter().enumerate() {
            for slot in me.iter_mut().take(m.end.min(chars.len())).skip(m.start) {
                slot.get_or_insert(i);
            }
        }
    }
    let mut html = String::from("<p>");
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' && chars.get(i + 1) == Some(&'\n') {
            html.push_str("</p>\n<p>");
            i += 2;
            continue;
        }
        // A run of characters with the same marks.
        let (e, m) = (ev[i], me[i]);
        let mut j = i;
        while j < chars.len()
            && ev[j] == e
            && me[j] == m
            && !(chars[j] == '\n' && chars.get(j + 1) == Some(&'\n'))
        {
            j += 1;
        }
        let text: String = chars[i..j].iter().collect();
        let mut run = escape_html(&text);
        if let Some(m) = m.and_then(|m| view.mentions.get(m)) {
            run = format!(
                r#"<a class="mention" href="/persons/{}">{run}</a>"#,
                escape_html(&m.person)
            );
        }
        if let Some(e) = e.and_then(|e| view.evidence.get(e)) {
            // The first run of a sentence carries the anchor the case file links to.
            let anchor = if e.start == i {
                format!(r#" id="at-{i}""#)
            } else {
                String::new()
            };
            run = format!(
                r#"<mark{anchor} class="evidence review-{}" title="{}" data-event="{}">{run}</mark>"#,
                escape_html(&e.review),
                escape_html(&e.event_type.replace('_', " ")),
                escape_html(&e.event),
            );
        }
        html.push_str(&run);
        i = j;
    }
    html.push_str("</p>");
    html
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{EvidenceSpan, MentionSpan};

    #[test]
    fn article_html_links_people_marks_evidence_and_escapes() {
        let view = ArticleView {
            id: "a".into(),
            source: "s".into(),
            original_sha256: "a".into(),
            url: None,
            title: None,
            published: None,
            site: None,
            language: None,
            paragraphs: vec![
                "Intro <b>.".into(),
                "FSB detained Emil Ziyadinov today.".into(),
            ],
            mentions: vec![MentionSpan {
                start: 25,
                end: 39,
                text: "Emil Ziyadinov".into(),
                person: "p-1".into(),
            }],
            evidence: vec![EvidenceSpan {
                start: 12,
                end: 47,
                event: "e-1".into(),
                event_type: "detention".into(),
                review: "suggested".into(),
            }],
            near_duplicates: vec![],
        };
        let html = article_html(&view, false);
        assert!(html.starts_with("<p>Intro &lt;b&gt;.</p>\n<p>"), "{html}");
        assert!(
            html.contains(r#"<a class="mention" href="/persons/p-1">Emil Ziyadinov</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"title="detention""#), "{html}");
        assert_eq!(html.matches("<p>").count(), 2);
        let public = article_html(&view, true);
        assert!(!public.contains("<a "), "{public}");
    }
}
