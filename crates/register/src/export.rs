//! Exports of the whole register: one JSON document, CSV tables, or FollowTheMoney entity lines.
//!
//! Exports stream record by record from the [`Store`] visitors, so memory stays flat however large
//! the register is. A team export is complete; a public export passes every record through the one
//! [`PublicPolicy`] (the same the public web view uses): confirmed facts only, hidden persons and
//! fields left out, initials-only persons by their initials, protected names withheld from every
//! sentence and title, sources as their outlet's host. CSV cells that a spreadsheet would run as a
//! formula are neutralised.

use crate::error::{RegisterError, Result};
use crate::export_perpetrators::PerpetratorList;
use crate::types::*;
use crate::visibility::{PublicPerson, PublicPolicy};
use crate::Store;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document with `persons`, `articles`, `events` and `cases`.
    Json,
    /// One CSV table per record type, written into a directory.
    Csv,
    /// FollowTheMoney entities, one JSON object per line.
    Ftm,
}

impl Format {
    /// Reads `json`, `csv` or `ftm`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "ftm" => Some(Format::Ftm),
            _ => None,
        }
    }
}

pub use crate::visibility::WITHHELD;

fn io_err(context: &str) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        context: context.to_string(),
        source,
    }
}

/// The policy of one export: everything as it is (team), or the public view of
/// [`PublicPolicy`], which also remembers the events it let through so cases link only to them.
struct ExportPolicy {
    public: Option<PublicPolicy>,
    events: HashSet<String>,
}

/// A person as an export writes it: the full record (team) or the public view.
enum ExportPerson {
    Team(PersonRecord),
    Public(PublicPerson),
}

impl ExportPerson {
    fn id(&self) -> &str {
        match self {
            ExportPerson::Team(p) => &p.id,
            ExportPerson::Public(p) => &p.id,
        }
    }

    fn name(&self) -> &str {
        match self {
            ExportPerson::Team(p) => &p.name,
            ExportPerson::Public(p) => &p.name,
        }
    }

    fn names(&self) -> &[String] {
        match self {
            ExportPerson::Team(p) => &p.names,
            ExportPerson::Public(p) => &p.names,
        }
    }

    /// The status, `None` when the public may not see it.
    fn status(&self) -> Option<&'static str> {
        match self {
            ExportPerson::Team(p) => Some(p.status.as_str()),
            ExportPerson::Public(p) => p.status.map(|s| s.as_str()),
        }
    }

    fn json(&self) -> Value {
        match self {
            ExportPerson::Team(p) => json!({
                "id": p.id,
                "name": p.name,
                "names": p.names,
                "status": p.status.as_str(),
                "articles": p.articles,
                "visibility": p.visibility.as_str(),
                "field_visibility": p.field_visibility,
                "confirmed": p.confirmed,
            }),
            // The public view serialises without the fields it may not show.
            ExportPerson::Public(p) => json!(p),
        }
    }
}

impl ExportPolicy {
    fn person(&self, p: PersonRecord) -> Option<ExportPerson> {
        match &self.public {
            None => Some(ExportPerson::Team(p)),
            Some(policy) => policy.person(&p.id).cloned().map(ExportPerson::Public),
        }
    }

    fn event(&mut self, e: EventRecord) -> Option<EventRecord> {
        let Some(policy) = &self.public else {
            return Some(e);
        };
        let e = policy.event(e)?;
        self.events.insert(e.id.clone());
        Some(e)
    }

    fn article(&self, a: ArticleRecord) -> ArticleRecord {
        match &self.public {
            None => a,
            Some(policy) => policy.article(a),
        }
    }

    fn case(&self, c: CaseRecord) -> Option<CaseRecord> {
        match &self.public {
            None => Some(c),
            Some(policy) => policy.case(c, &|e| self.events.contains(e)),
        }
    }
}

/// Runs the person pass first (it decides what the other passes may show), then the others.
struct Exporter<'a> {
    store: &'a dyn Store,
    policy: ExportPolicy,
}

impl<'a> Exporter<'a> {
    fn new(store: &'a dyn Store, public: bool) -> Result<Self> {
        // Every protected name is learnt before any sentence is written out.
        let public = if public {
            Some(PublicPolicy::build(store)?)
        } else {
            None
        };
        Ok(Exporter {
            store,
            policy: ExportPolicy {
                public,
                events: HashSet::new(),
            },
        })
    }
}

fn sources_json(sources: &[SourceRecord]) -> Value {
    Value::Array(
        sources
            .iter()
            .map(|s| json!({"article": s.article, "text": s.text, "start": s.start, "end": s.end, "claim": s.claim, "review": s.review.as_str()}))
            .collect(),
    )
}

fn event_json(e: &EventRecord) -> Value {
    json!({
        "id": e.id,
        "type": e.event_type,
        "date": e.date,
        "place": e.place,
        "victims": e.victims,
        "perpetrators": e.perpetrators,
        "details": e.details,
        "victim_details": e.victim_details,
        "claimed_by": e.claimed_by,
        "review": e.review.as_str(),
        "sources": sources_json(&e.sources),
        "conflicts": conflicts_json(&e.conflicts),
    })
}

fn conflicts_json(conflicts: &[ConflictRecord]) -> Value {
    Value::Array(
        conflicts
            .iter()
            .map(|c| {
                let mut o = json!({"field": c.field, "values": c.values.iter().map(|v| json!({"value": v.value, "articles": v.articles})).collect::<Vec<_>>()});
                if let Some(p) = &c.person {
                    o["person"] = json!(p);
                }
                o
            })
            .collect(),
    )
}

fn article_json(a: &ArticleRecord) -> Value {
    json!({
        "id": a.id,
        "source": a.source,
        "original_sha256": a.original_sha256,
        "url": a.url,
        "title": a.title,
        "published": a.published,
        "mentions": a.mentions.iter().map(|m| json!({"person": m.person, "text": m.text, "start": m.start, "end": m.end, "review": m.review.as_str()})).collect::<Vec<_>>(),
        "near_duplicates": a.near_duplicates,
    })
}

fn case_json(c: &CaseRecord) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "names": c.names,
        "defendants": c.defendants,
        "events": c.events,
        "review": c.review.as_str(),
        "sources": sources_json(&c.sources),
        "reports": c.reports.iter().map(|r| json!({"article": r.article, "name": r.name, "defendants": r.defendants})).collect::<Vec<_>>(),
    })
}

/// Writes the register as one JSON document to `out`.
pub fn export_json(store: &dyn Store, public: bool, out: &mut dyn Write) -> Result<()> {
    let mut ex = Exporter::new(store, public)?;
    let e = "writing the JSON export";
    let write_item = |out: &mut dyn Write, first: &mut bool, v: &Value| -> Result<()> {
        if !*first {
            out.write_all(b",\n").map_err(io_err(e))?;
        }
        *first = false;
        serde_json::to_writer(&mut *out, v).map_err(|err| io_err(e)(err.into()))
    };
    write!(
        out,
        "{{\"format\":\"casebook-register\",\"version\":1,\"public\":{public},\n\"persons\":[\n"
    )
    .map_err(io_err(e))?;
    let mut first = true;
    let policy = &mut ex.policy;
    ex.store.visit_persons(&mut |p| match policy.person(p) {
        Some(p) => write_item(out, &mut first, &p.json()),
        None => Ok(()),
    })?;
    out.write_all(b"],\n\"articles\":[\n").map_err(io_err(e))?;
    // Events decide which cases may link to them, so they are gathered before articles print.
    let mut first = true;
    ex.store
        .visit_articles(&mut |a| write_item(out, &mut first, &article_json(&policy.article(a))))?;
    out.write_all(b"],\n\"events\":[\n").map_err(io_err(e))?;
    let mut first = true;
    ex.store.visit_events(&mut |ev| match policy.event(ev) {
        Some(ev) => write_item(out, &mut first, &event_json(&ev)),
        None => Ok(()),
    })?;
    out.write_all(b"],\n\"cases\":[\n").map_err(io_err(e))?;
    let mut first = true;
    ex.store.visit_cases(&mut |c| match policy.case(c) {
        Some(c) => write_item(out, &mut first, &case_json(&c)),
        None => Ok(()),
    })?;
    out.write_all(b"]}\n").map_err(io_err(e))?;
    out.flush().map_err(io_err(e))
}

pub(crate) fn csv_writer(
    dir: &Path,
    name: &str,
    header: &[&str],
) -> Result<csv::Writer<std::fs::File>> {
    let path = dir.join(name);
    let mut w = csv::Writer::from_path(&path).map_err(|err| RegisterError::Io {
        context: format!("cannot create {}", path.display()),
        source: err.into(),
    })?;
    w.write_record(header).map_err(|err| RegisterError::Io {
        context: format!("cannot write {}", path.display()),
        source: err.into(),
    })?;
    Ok(w)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// first) gets a leading `'`, which spreadsheets show as text and do not run.
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

pub(crate) fn csv_row(w: &mut csv::Writer<std::fs::File>, row: &[String]) -> Result<()> {
    w.write_record(row.iter().map(|cell| csv_cell(cell).into_owned()))
        .map_err(|err| RegisterError::Io {
            context: "writing the CSV export".into(),
            source: err.into(),
        })
}

fn csv_flush(mut w: csv::Writer<std::fs::File>) -> Result<()> {
    w.flush().map_err(io_err("writing the CSV export"))
}

/// Lists in CSV cells are joined with this separator.
pub const CSV_LIST_SEPARATOR: &str = "; ";

/// Writes one CSV table per record type into `dir`: persons, person_names, articles, mentions,
/// events, event_victims, event_sources, event_conflicts, perpetrators, cases, case_defendants.
pub fn export_csv(store: &dyn Store, public: bool, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| RegisterError::Io {
        context: format!("cannot create the export directory {}", dir.display()),
        source,
    })?;
    let mut ex = Exporter::new(store, public)?;
    let policy = &mut ex.policy;
    csv_persons(ex.store, policy, dir)?;
    let titles = csv_articles(ex.store, policy, dir)?;
    csv_events(ex.store, policy, dir, &titles)?;
    csv_cases(ex.store, policy, dir)
}

/// `persons.csv` and `person_names.csv`.
fn csv_persons(store: &dyn Store, policy: &mut ExportPolicy, dir: &Path) -> Result<()> {
    let mut persons = csv_writer(
        dir,
        "persons.csv",
        &["id", "name", "status", "visibility", "articles"],
    )?;
    let mut names = csv_writer(dir, "person_names.csv", &["person", "name"])?;
    store.visit_persons(&mut |p| {
        let Some(p) = policy.person(p) else {
            return Ok(());
        };
        let (visibility, articles) = match &p {
            ExportPerson::Team(t) => (t.visibility.as_str(), t.articles),
            ExportPerson::Public(v) => ("", v.articles),
        };
        csv_row(
            &mut persons,
            &[
                p.id().to_string(),
                p.name().to_string(),
                p.status().unwrap_or_default().to_string(),
                visibility.to_string(),
                articles.to_string(),
            ],
        )?;
        for n in p.names() {
            csv_row(&mut names, &[p.id().to_string(), n.clone()])?;
        }
        Ok(())
    })?;
    csv_flush(persons)?;
    csv_flush(names)
}

/// Each article's title and publication date by id, as exported: the rows that cite an article
/// carry them, so a spreadsheet shows which report a sentence is from without a look-up.
type ArticleTitles = HashMap<String, (String, String)>;

/// `articles.csv` and `mentions.csv`; returns the titles the event sources cite.
fn csv_articles(store: &dyn Store, policy: &mut ExportPolicy, dir: &Path) -> Result<ArticleTitles> {
    let mut titles = ArticleTitles::new();
    let mut articles = csv_writer(
        dir,
        "articles.csv",
        &[
            "id",
            "source",
            "original_sha256",
            "url",
            "title",
            "published",
            "near_duplicates",
        ],
    )?;
    let mut mentions = csv_writer(
        dir,
        "mentions.csv",
        &[
            "article",
            "article_title",
            "article_published",
            "person",
            "text",
            "start",
            "end",
            "review",
        ],
    )?;
    store.visit_articles(&mut |a| {
        let a = policy.article(a);
        let title = a.title.clone().unwrap_or_default();
        let published = a.published.clone().unwrap_or_default();
        csv_row(
            &mut articles,
            &[
                a.id.clone(),
                a.source.clone(),
                a.original_sha256.clone(),
                a.url.clone().unwrap_or_default(),
                a.title.clone().unwrap_or_default(),
                a.published.clone().unwrap_or_default(),
                a.near_duplicates.join(CSV_LIST_SEPARATOR),
            ],
        )?;
        for m in &a.mentions {
            csv_row(
                &mut mentions,
                &[
                    a.id.clone(),
                    title.clone(),
                    published.clone(),
                    m.person.clone(),
                    m.text.clone(),
                    m.start.to_string(),
                    m.end.to_string(),
                    m.review.as_str().into(),
                ],
            )?;
        }
        titles.insert(a.id.clone(), (title, published));
        Ok(())
    })?;
    csv_flush(articles)?;
    csv_flush(mentions)?;
    Ok(titles)
}

/// `events.csv`, `event_victims.csv`, `event_sources.csv` and `event_conflicts.csv`.
fn csv_events(
    store: &dyn Store,
    policy: &mut ExportPolicy,
    dir: &Path,
    titles: &ArticleTitles,
) -> Result<()> {
    let mut events = csv_writer(
        dir,
        "events.csv",
        &[
            "id",
            "type",
            "date",
            "place",
            "perpetrators",
            "details",
            "claimed_by",
            "review",
        ],
    )?;
    // A victim's own details (a co-defendant's term) stand in their row.
    let mut victims = csv_writer(dir, "event_victims.csv", &["event", "person", "details"])?;
    let mut sources = csv_writer(
        dir,
        "event_sources.csv",
        &[
            "event",
            "article",
            "article_title",
            "article_published",
            "text",
            "start",
            "end",
            "review",
        ],
    )?;
    let mut conflicts = csv_writer(
        dir,
        "event_conflicts.csv",
        &["event", "field", "person", "value", "articles"],
    )?;
    let mut perpetrators = PerpetratorList::new(store.perpetrator_spellings()?);
    store.visit_events(&mut |e| {
        let Some(e) = policy.event(e) else {
            return Ok(());
        };
        perpetrators.add(&e);
        csv_row(
            &mut events,
            &[
                e.id.clone(),
                e.event_type.clone(),
                e.date.clone().unwrap_or_default(),
                e.place.clone().unwrap_or_default(),
                e.perpetrators.join(CSV_LIST_SEPARATOR),
                if e.details.is_empty() {
                    String::new()
                } else {
                    json!(e.details).to_string()
                },
                e.claimed_by.clone().unwrap_or_default(),
                e.review.as_str().into(),
            ],
        )?;
        for v in &e.victims {
            let own = e
                .victim_details
                .get(v)
                .map_or_else(String::new, |d| json!(d).to_string());
            csv_row(&mut victims, &[e.id.clone(), v.clone(), own])?;
        }
        for s in &e.sources {
            csv_row(
                &mut sources,
                &[
                    e.id.clone(),
                    s.article.clone(),
                    titles
                        .get(&s.article)
                        .map_or_else(String::new, |t| t.0.clone()),
                    titles
                        .get(&s.article)
                        .map_or_else(String::new, |t| t.1.clone()),
                    s.text.clone(),
                    s.start.to_string(),
                    s.end.to_string(),
                    s.review.as_str().into(),
                ],
            )?;
        }
        for c in &e.conflicts {
            for v in &c.values {
                csv_row(
                    &mut conflicts,
                    &[
                        e.id.clone(),
                        c.field.clone(),
                        c.person.clone().unwrap_or_default(),
                        v.value.clone(),
                        v.articles.join(CSV_LIST_SEPARATOR),
                    ],
                )?;
            }
        }
        Ok(())
    })?;
    csv_flush(events)?;
    csv_flush(victims)?;
    csv_flush(sources)?;
    csv_flush(conflicts)?;
    perpetrators.write_csv(dir)
}

/// `cases.csv` and `case_defendants.csv`.
fn csv_cases(store: &dyn Store, policy: &mut ExportPolicy, dir: &Path) -> Result<()> {
    let mut cases = csv_writer(
        dir,
        "cases.csv",
        &["id", "name", "names", "events", "review"],
    )?;
    let mut defendants = csv_writer(dir, "case_defendants.csv", &["case", "person"])?;
    store.visit_cases(&mut |c| {
        let Some(c) = policy.case(c) else {
            return Ok(());
        };
        csv_row(
            &mut cases,
            &[
                c.id.clone(),
                c.name.clone(),
                c.names.join(CSV_LIST_SEPARATOR),
                c.events.join(CSV_LIST_SEPARATOR),
                c.review.as_str().into(),
            ],
        )?;
        for d in &c.defendants {
            csv_row(&mut defendants, &[c.id.clone(), d.clone()])?;
        }
        Ok(())
    })?;
    csv_flush(cases)?;
    csv_flush(defendants)
}

/// Writes FollowTheMoney entities, one per line: `Person`, `Article`, `Documentation` (a person
/// named in an article), `Event` (with `involved` persons), `UnknownLink` (a perpetrator of an
/// event, role `perpetrator`), the perpetrators (`Person` with `position`, `Organization`,
/// `Employment`), `CourtCase` and `CourtCaseParty`.
pub fn export_ftm(store: &dyn Store, public: bool, out: &mut dyn Write) -> Result<()> {
    let mut ex = Exporter::new(store, public)?;
    let policy = &mut ex.policy;
    let e = "writing the FollowTheMoney export";
    let line = |out: &mut dyn Write, v: Value| -> Result<()> {
        serde_json::to_writer(&mut *out, &v).map_err(|err| io_err(e)(err.into()))?;
        out.write_all(b"\n").map_err(io_err(e))
    };
    ex.store.visit_persons(&mut |p| {
        let Some(p) = policy.person(p) else {
            return Ok(());
        };
        let aliases: Vec<&String> = p.names().iter().filter(|n| *n != p.name()).collect();
        let mut props = json!({"name": [p.name()]});
        if !aliases.is_empty() {
            props["alias"] = json!(aliases);
        }
        if let Some(status) = p.status() {
            props["status"] = json!([status]);
        }
        line(
            out,
            json!({"id": p.id(), "schema": "Person", "properties": props}),
        )
    })?;
    ex.store.visit_articles(&mut |a| {
        let a = policy.article(a);
        let mut props = json!({"contentHash": [a.original_sha256], "fileName": [a.source]});
        if let Some(t) = &a.title {
            props["title"] = json!([t]);
        }
        if let Some(u) = &a.url {
            props["sourceUrl"] = json!([u]);
        }
        if let Some(p) = &a.published {
            props["publishedAt"] = json!([p]);
        }
        line(out, json!({"id": a.id, "schema": "Article", "properties": props}))?;
        let mut seen = HashSet::new();
        for m in &a.mentions {
            if seen.insert(m.person.clone()) {
                let id = crate::stable_id("doc", &[&a.id, &m.person]);
                line(
                    out,
                    json!({"id": id, "schema": "Documentation", "properties": {"document": [a.id], "entity": [m.person], "role": ["mentioned"]}}),
                )?;
            }
        }
        Ok(())
    })?;
    let mut perpetrators = PerpetratorList::new(ex.store.perpetrator_spellings()?);
    ex.store.visit_events(&mut |ev| {
        let Some(ev) = policy.event(ev) else {
            return Ok(());
        };
        let mut props = json!({"name": [ev.event_type], "involved": ev.victims});
        if let Some(d) = &ev.date {
            props["date"] = json!([d]);
        }
        if let Some(p) = &ev.place {
            props["location"] = json!([p]);
        }
        if let Some(s) = ev.sources.first() {
            props["summary"] = json!([s.text]);
        }
        let notes: Vec<String> = ev
            .perpetrators
            .iter()
            .map(|p| format!("perpetrator: {p}"))
            .chain(ev.victim_details.iter().flat_map(|(person, d)| {
                d.iter().map(move |(k, v)| format!("{k} of {person}: {v}"))
            }))
            .collect();
        if !notes.is_empty() {
            props["notes"] = json!(notes);
        }
        perpetrators.add(&ev);
        // One link per perpetrator, however many of their spellings the event's reports use.
        let subjects: std::collections::BTreeSet<String> =
            ev.perpetrators.iter().map(|p| perpetrators.ftm_id(p)).collect();
        for subject in subjects {
            let id = crate::stable_id("perpetrated", &[&subject, &ev.id]);
            line(
                out,
                json!({"id": id, "schema": "UnknownLink", "properties": {"subject": [subject], "object": [ev.id], "role": ["perpetrator"]}}),
            )?;
        }
        line(
            out,
            json!({"id": ev.id, "schema": "Event", "properties": props}),
        )
    })?;
    for entity in perpetrators.ftm_entities() {
        line(out, entity)?;
    }
    ex.store.visit_cases(&mut |c| {
        let Some(c) = policy.case(c) else { return Ok(()) };
        let names = if c.names.is_empty() { vec![c.name.clone()] } else { c.names.clone() };
        line(out, json!({"id": c.id, "schema": "CourtCase", "properties": {"name": names}}))?;
        for d in &c.defendants {
            let id = crate::stable_id("party", &[&c.id, d]);
            line(
                out,
                json!({"id": id, "schema": "CourtCaseParty", "properties": {"case": [c.id], "party": [d], "role": ["defendant"]}}),
            )?;
        }
        Ok(())
    })?;
    out.flush().map_err(io_err(e))
}
