//! Exports of the whole register: one JSON document, CSV tables, or FollowTheMoney entity lines.
//!
//! Exports stream record by record from the [`Store`] visitors, so memory stays flat however large
//! the register is. A team export is complete; a public export holds only confirmed facts, leaves
//! hidden persons out, shows initials-only persons by their initials, and blacks out their names
//! in every evidence sentence and title it keeps.

use crate::error::{RegisterError, Result};
use crate::identity::initials;
use crate::types::*;
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

/// The text a hidden name is replaced with in public exports.
pub const WITHHELD: &str = "[withheld]";

/// What a public export may show of each person; built in a first pass over the persons.
#[derive(Default)]
struct Policy {
    public: bool,
    /// Persons that may appear (public mode only), with the name to show.
    shown: HashMap<String, ShownPerson>,
    /// Names to black out in sentences and titles, longest first, with their replacement.
    redactions: Vec<(String, String)>,
    /// Events that may appear (public mode only).
    events: HashSet<String>,
}

struct ShownPerson {
    /// Replacement for the mention text, when the name may not be shown as written.
    mention_text: Option<String>,
}

fn io_err(context: &str) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        context: context.to_string(),
        source,
    }
}

impl Policy {
    fn allows_person(&self, id: &str) -> bool {
        !self.public || self.shown.contains_key(id)
    }

    fn redact(&self, text: &str) -> String {
        if !self.public || self.redactions.is_empty() {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (name, replacement) in &self.redactions {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), replacement);
            }
        }
        out
    }

    /// The name level a person may be shown at, and what replaces their name otherwise.
    fn name_level(p: &PersonRecord) -> (Visibility, Option<String>) {
        let field = p
            .field_visibility
            .get("name")
            .copied()
            .unwrap_or(Visibility::Public);
        let level = match (p.visibility, field) {
            (Visibility::Hidden, _) | (_, Visibility::Hidden) => Visibility::Hidden,
            (Visibility::Initials, _) | (_, Visibility::Initials) => Visibility::Initials,
            _ => Visibility::Public,
        };
        let replacement = match level {
            Visibility::Public => None,
            Visibility::Initials => Some(initials(&p.name)),
            Visibility::Hidden => Some(WITHHELD.to_string()),
        };
        (level, replacement)
    }

    /// Learns the names of a protected person, to black them out wherever text is exported.
    fn learn(&mut self, p: &PersonRecord) {
        if let (_, Some(rep)) = Self::name_level(p) {
            // Full names, then their single words (a later sentence may use the surname alone).
            for name in p.names.iter().chain(std::iter::once(&p.name)) {
                self.redactions.push((name.clone(), rep.clone()));
                for word in name.split_whitespace().filter(|w| w.chars().count() >= 3) {
                    self.redactions.push((word.to_string(), rep.clone()));
                }
            }
        }
    }

    /// Adjusts a person for output; `None` when the person must not appear.
    fn person(&mut self, mut p: PersonRecord) -> Option<PersonRecord> {
        if !self.public {
            return Some(p);
        }
        let (name_level, replacement) = Self::name_level(&p);
        let level = p.visibility;
        let names_field = p
            .field_visibility
            .get("names")
            .copied()
            .unwrap_or(Visibility::Public);
        if level == Visibility::Hidden || !p.confirmed {
            return None;
        }
        if let Some(rep) = &replacement {
            p.name = rep.clone();
            p.names = vec![rep.clone()];
        }
        if names_field != Visibility::Public {
            p.names = if name_level == Visibility::Public {
                vec![p.name.clone()]
            } else {
                p.names
            };
        }
        self.shown.insert(
            p.id.clone(),
            ShownPerson {
                mention_text: replacement,
            },
        );
        Some(p)
    }

    fn finish_persons(&mut self) {
        // Longest first, so a full name is replaced before its surname alone.
        self.redactions.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        self.redactions.dedup_by(|a, b| a.0 == b.0);
    }

    fn event(&mut self, mut e: EventRecord) -> Option<EventRecord> {
        if !self.public {
            return Some(e);
        }
        if e.review != ReviewState::Confirmed {
            return None;
        }
        e.victims.retain(|v| self.shown.contains_key(v));
        e.sources.retain(|s| s.review == ReviewState::Confirmed);
        // A disagreement is published only among the confirmed reports.
        let confirmed: HashSet<&str> = e.sources.iter().map(|s| s.article.as_str()).collect();
        for c in &mut e.conflicts {
            for v in &mut c.values {
                v.articles.retain(|a| confirmed.contains(a.as_str()));
            }
            c.values.retain(|v| !v.articles.is_empty());
        }
        e.conflicts.retain(|c| c.values.len() > 1);
        for s in &mut e.sources {
            s.text = self.redact(&s.text);
        }
        self.events.insert(e.id.clone());
        Some(e)
    }

    fn article(&self, mut a: ArticleRecord) -> ArticleRecord {
        if !self.public {
            return a;
        }
        a.title = a.title.map(|t| self.redact(&t));
        a.mentions
            .retain(|m| m.review == ReviewState::Confirmed && self.allows_person(&m.person));
        for m in &mut a.mentions {
            if let Some(rep) = self
                .shown
                .get(&m.person)
                .and_then(|s| s.mention_text.clone())
            {
                m.text = rep;
            }
        }
        a
    }

    fn case(&self, mut c: CaseRecord) -> Option<CaseRecord> {
        if !self.public {
            return Some(c);
        }
        if c.review != ReviewState::Confirmed {
            return None;
        }
        c.defendants.retain(|d| self.shown.contains_key(d));
        c.events.retain(|e| self.events.contains(e));
        c.sources.retain(|s| s.review == ReviewState::Confirmed);
        for s in &mut c.sources {
            s.text = self.redact(&s.text);
        }
        c.name = self.redact(&c.name);
        let confirmed: HashSet<String> = c.sources.iter().map(|s| s.article.clone()).collect();
        c.reports.retain(|r| confirmed.contains(&r.article));
        for r in &mut c.reports {
            r.defendants.retain(|d| self.shown.contains_key(d));
            r.name = self.redact(&r.name);
        }
        let mut names: Vec<String> = Vec::new();
        for n in &c.names {
            if c.reports.iter().any(|r| r.name == self.redact(n)) {
                names.push(self.redact(n));
            }
        }
        c.names = names;
        Some(c)
    }
}

/// Runs the person pass first (it decides what the other passes may show), then the others.
struct Exporter<'a> {
    store: &'a dyn Store,
    policy: Policy,
}

impl<'a> Exporter<'a> {
    fn new(store: &'a dyn Store, public: bool) -> Result<Self> {
        let mut policy = Policy {
            public,
            ..Policy::default()
        };
        if public {
            // A dry pass to learn every protected name before any sentence is written out.
            store.visit_persons(&mut |p| {
                policy.learn(&p);
                Ok(())
            })?;
            policy.finish_persons();
        }
        Ok(Exporter { store, policy })
    }
}

fn person_json(p: &PersonRecord, public: bool) -> Value {
    let status_hidden = public
        && p.field_visibility
            .get("status")
            .is_some_and(|v| *v != Visibility::Public);
    let mut v = json!({
        "id": p.id,
        "name": p.name,
        "names": p.names,
        "status": if status_hidden { Value::Null } else { json!(p.status.as_str()) },
        "articles": p.articles,
    });
    if !public {
        v["visibility"] = json!(p.visibility.as_str());
        v["field_visibility"] = json!(p.field_visibility);
        v["confirmed"] = json!(p.confirmed);
    }
    v
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
            .map(|c| json!({"field": c.field, "values": c.values.iter().map(|v| json!({"value": v.value, "articles": v.articles})).collect::<Vec<_>>()}))
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
        Some(p) => write_item(out, &mut first, &person_json(&p, public)),
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

fn csv_writer(dir: &Path, name: &str, header: &[&str]) -> Result<csv::Writer<std::fs::File>> {
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

fn csv_row(w: &mut csv::Writer<std::fs::File>, row: &[String]) -> Result<()> {
    w.write_record(row).map_err(|err| RegisterError::Io {
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
/// events, event_victims, event_sources, event_conflicts, cases, case_defendants.
pub fn export_csv(store: &dyn Store, public: bool, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| RegisterError::Io {
        context: format!("cannot create the export directory {}", dir.display()),
        source,
    })?;
    let mut ex = Exporter::new(store, public)?;
    let policy = &mut ex.policy;
    let mut persons = csv_writer(
        dir,
        "persons.csv",
        &["id", "name", "status", "visibility", "articles"],
    )?;
    let mut names = csv_writer(dir, "person_names.csv", &["person", "name"])?;
    ex.store.visit_persons(&mut |p| {
        let Some(p) = policy.person(p) else {
            return Ok(());
        };
        let v = person_json(&p, public);
        csv_row(
            &mut persons,
            &[
                p.id.clone(),
                p.name.clone(),
                v["status"].as_str().unwrap_or_default().to_string(),
                if public {
                    String::new()
                } else {
                    p.visibility.as_str().to_string()
                },
                p.articles.to_string(),
            ],
        )?;
        for n in &p.names {
            csv_row(&mut names, &[p.id.clone(), n.clone()])?;
        }
        Ok(())
    })?;
    csv_flush(persons)?;
    csv_flush(names)?;

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
        &["article", "person", "text", "start", "end", "review"],
    )?;
    ex.store.visit_articles(&mut |a| {
        let a = policy.article(a);
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
                    m.person.clone(),
                    m.text.clone(),
                    m.start.to_string(),
                    m.end.to_string(),
                    m.review.as_str().into(),
                ],
            )?;
        }
        Ok(())
    })?;
    csv_flush(articles)?;
    csv_flush(mentions)?;

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
    let mut victims = csv_writer(dir, "event_victims.csv", &["event", "person"])?;
    let mut sources = csv_writer(
        dir,
        "event_sources.csv",
        &["event", "article", "text", "start", "end", "review"],
    )?;
    let mut conflicts = csv_writer(
        dir,
        "event_conflicts.csv",
        &["event", "field", "value", "articles"],
    )?;
    ex.store.visit_events(&mut |e| {
        let Some(e) = policy.event(e) else {
            return Ok(());
        };
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
            csv_row(&mut victims, &[e.id.clone(), v.clone()])?;
        }
        for s in &e.sources {
            csv_row(
                &mut sources,
                &[
                    e.id.clone(),
                    s.article.clone(),
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

    let mut cases = csv_writer(
        dir,
        "cases.csv",
        &["id", "name", "names", "events", "review"],
    )?;
    let mut defendants = csv_writer(dir, "case_defendants.csv", &["case", "person"])?;
    ex.store.visit_cases(&mut |c| {
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
/// named in an article), `Event` (with `involved` persons), `CourtCase` and `CourtCaseParty`.
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
        let aliases: Vec<&String> = p.names.iter().filter(|n| **n != p.name).collect();
        let status_hidden = public
            && p.field_visibility
                .get("status")
                .is_some_and(|v| *v != Visibility::Public);
        let mut props = json!({"name": [p.name]});
        if !aliases.is_empty() {
            props["alias"] = json!(aliases);
        }
        if !status_hidden {
            props["status"] = json!([p.status.as_str()]);
        }
        line(
            out,
            json!({"id": p.id, "schema": "Person", "properties": props}),
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
        if !ev.perpetrators.is_empty() {
            props["notes"] = json!(ev
                .perpetrators
                .iter()
                .map(|p| format!("perpetrator: {p}"))
                .collect::<Vec<_>>());
        }
        line(
            out,
            json!({"id": ev.id, "schema": "Event", "properties": props}),
        )
    })?;
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
