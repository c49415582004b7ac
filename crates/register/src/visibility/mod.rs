//! The one visibility policy: what the public may see of the register, for every public surface
//! (the public web pages and API, public search, charts and counts, and `export --public`).
//!
//! Only confirmed facts appear. A hidden person never appears and their name is withheld wherever
//! text is shown; an initials-only person appears by their initials, the same initials everywhere;
//! a field set hidden (`status`, `names`) is absent, never a stand-in value. Names are found in
//! text by identity, not by the recorded strings ([`Redactor`]): in any case, script or inflected
//! form, whole words only. Sources are shown as their outlet's host: an address or a file name may
//! carry a name.

mod redact;

pub use redact::Redactor;

use crate::identity::initials;
use crate::types::{ArticleRecord, CaseRecord, EventRecord, PersonRecord, ReviewState};
use crate::Store;
use casebook_model::{Status, Visibility};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What replaces a hidden name in public text.
pub const WITHHELD: &str = "[withheld]";

/// The level a person's name may be shown at: the stricter of the person's and the `name` field's.
pub fn name_level(p: &PersonRecord) -> Visibility {
    let field = p
        .field_visibility
        .get("name")
        .copied()
        .unwrap_or(Visibility::Public);
    match (p.visibility, field) {
        (Visibility::Hidden, _) | (_, Visibility::Hidden) => Visibility::Hidden,
        (Visibility::Initials, _) | (_, Visibility::Initials) => Visibility::Initials,
        _ => Visibility::Public,
    }
}

/// True when a field of the person may be shown as recorded.
fn field_public(p: &PersonRecord, field: &str) -> bool {
    p.field_visibility
        .get(field)
        .is_none_or(|v| *v == Visibility::Public)
}

/// A person as the public may see them. A field the public may not see is `None` and left out of
/// JSON (never a stand-in such as `unknown`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicPerson {
    pub id: String,
    /// The name, or the initials of an initials-only person.
    pub name: String,
    /// Every spelling, or only [`PublicPerson::name`] when the names may not be shown.
    pub names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Number of articles naming the person.
    pub articles: u64,
    /// True when the name is shown as initials.
    #[serde(skip)]
    pub initials_only: bool,
}

/// The public view of the register at one moment, built from every person's visibility.
#[derive(Debug, Default, Clone)]
pub struct PublicPolicy {
    shown: HashMap<String, PublicPerson>,
    redactor: Redactor,
}

impl PublicPolicy {
    /// Builds the policy from every person of the register.
    pub fn build(store: &dyn Store) -> crate::Result<PublicPolicy> {
        let mut policy = PublicPolicy::default();
        store.visit_persons(&mut |p| {
            policy.learn(p);
            Ok(())
        })?;
        Ok(policy)
    }

    /// Builds the policy from a list of persons.
    pub fn from_persons(persons: impl IntoIterator<Item = PersonRecord>) -> PublicPolicy {
        let mut policy = PublicPolicy::default();
        for p in persons {
            policy.learn(p);
        }
        policy
    }

    /// Learns one person: protects their names, and keeps them for display when they may appear.
    fn learn(&mut self, p: PersonRecord) {
        let level = name_level(&p);
        let shown_name = match level {
            Visibility::Public => p.name.clone(),
            Visibility::Initials => initials(&p.name),
            Visibility::Hidden => WITHHELD.to_string(),
        };
        if level != Visibility::Public {
            let names = p.names.iter().chain(std::iter::once(&p.name));
            let rank = if level == Visibility::Hidden { 2 } else { 1 };
            self.redactor
                .protect(names.map(String::as_str), &shown_name, rank);
        }
        if p.visibility == Visibility::Hidden || level == Visibility::Hidden || !p.confirmed {
            return;
        }
        let names = if level == Visibility::Public && field_public(&p, "names") {
            let mut names = vec![p.name.clone()];
            names.extend(p.names.iter().filter(|n| **n != p.name).cloned());
            names
        } else {
            vec![shown_name.clone()]
        };
        let person = PublicPerson {
            status: field_public(&p, "status").then_some(p.status),
            initials_only: level == Visibility::Initials,
            id: p.id,
            name: shown_name,
            names,
            articles: p.articles,
        };
        self.shown.insert(person.id.clone(), person);
    }

    /// The person as the public may see them, or `None`.
    pub fn person(&self, id: &str) -> Option<&PublicPerson> {
        self.shown.get(id)
    }

    /// True when the person may appear.
    pub fn allows_person(&self, id: &str) -> bool {
        self.shown.contains_key(id)
    }

    /// Number of persons the public may see.
    pub fn shown_count(&self) -> usize {
        self.shown.len()
    }

    /// The persons the public may see, in no set order.
    pub fn shown(&self) -> impl Iterator<Item = &PublicPerson> {
        self.shown.values()
    }

    /// `text` with every protected name withheld or cut to initials.
    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// True when any word of `text` is (a form of) a protected name: a public search for it must
    /// find nothing.
    pub fn mentions_protected(&self, text: &str) -> bool {
        self.redactor.mentions_protected(text)
    }

    /// The event as the public may see it: confirmed only, confirmed sources only, protected victims
    /// left out and protected names withheld from every text. An event whose every victim is
    /// protected is not shown at all: it is that person's event.
    pub fn event(&self, mut event: EventRecord) -> Option<EventRecord> {
        if event.review != ReviewState::Confirmed {
            return None;
        }
        let had_victims = !event.victims.is_empty();
        event.victims.retain(|v| self.allows_person(v));
        if had_victims && event.victims.is_empty() {
            return None;
        }
        event.sources.retain(|s| s.review == ReviewState::Confirmed);
        // Disagreements are shown only among the confirmed reports.
        let confirmed: HashSet<&str> = event.sources.iter().map(|s| s.article.as_str()).collect();
        for c in &mut event.conflicts {
            for v in &mut c.values {
                v.articles.retain(|a| confirmed.contains(a.as_str()));
                v.value = self.redact(&v.value);
            }
            c.values.retain(|v| !v.articles.is_empty());
        }
        event.conflicts.retain(|c| c.values.len() > 1);
        for s in &mut event.sources {
            s.text = self.redact(&s.text);
        }
        event.perpetrators = event.perpetrators.iter().map(|p| self.redact(p)).collect();
        event.place = event.place.map(|p| self.redact(&p));
        for value in event.details.values_mut() {
            *value = self.redact(value);
        }
        // A protected victim's own details and the disagreements about them go with them.
        event.victim_details.retain(|p, _| self.allows_person(p));
        for value in event
            .victim_details
            .values_mut()
            .flat_map(|d| d.values_mut())
        {
            *value = self.redact(value);
        }
        event
            .conflicts
            .retain(|c| c.person.as_deref().is_none_or(|p| self.allows_person(p)));
        // Who claimed the event is a team matter (an account or a pipeline version).
        event.claimed_by = None;
        Some(event)
    }

    /// The article as the public may see it: title redacted, confirmed mentions of shown persons
    /// only (initials-only persons by their initials), and the source as the outlet's host only.
    pub fn article(&self, mut a: ArticleRecord) -> ArticleRecord {
        a.title = a.title.map(|t| self.redact(&t));
        a.mentions
            .retain(|m| m.review == ReviewState::Confirmed && self.allows_person(&m.person));
        for m in &mut a.mentions {
            match self.shown.get(&m.person) {
                Some(p) if p.initials_only => m.text = p.name.clone(),
                _ => m.text = self.redact(&m.text),
            }
        }
        a.source = outlet_host(a.url.as_deref()).unwrap_or_default();
        a.url = None;
        a
    }

    /// The case as the public may see it; `public_event` says which events may be linked.
    pub fn case(
        &self,
        mut c: CaseRecord,
        public_event: &dyn Fn(&str) -> bool,
    ) -> Option<CaseRecord> {
        if c.review != ReviewState::Confirmed {
            return None;
        }
        c.defendants.retain(|d| self.allows_person(d));
        c.events.retain(|e| public_event(e));
        c.sources.retain(|s| s.review == ReviewState::Confirmed);
        for s in &mut c.sources {
            s.text = self.redact(&s.text);
        }
        c.name = self.redact(&c.name);
        let confirmed: HashSet<String> = c.sources.iter().map(|s| s.article.clone()).collect();
        c.reports.retain(|r| confirmed.contains(&r.article));
        for r in &mut c.reports {
            r.defendants.retain(|d| self.allows_person(d));
            r.name = self.redact(&r.name);
        }
        let mut names: Vec<String> = Vec::new();
        for n in &c.names {
            let n = self.redact(n);
            if c.reports.iter().any(|r| r.name == n) && !names.contains(&n) {
                names.push(n);
            }
        }
        c.names = names;
        Some(c)
    }
}

/// The host of an `http(s)` address (`crimea.example`), without path, query or credentials: what
/// the public sees of a source. `None` for anything else (a file path, `javascript:`, no address).
pub fn outlet_host(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let lower = url.get(..8)?.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_port,
    };
    let host = host.trim_start_matches("www.").to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    valid.then_some(host)
}

/// The address when it may be rendered as a link: `http` and `https` only, never `javascript:`,
/// `data:` or any other scheme.
pub fn linkable_url(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !trimmed.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(trimmed)
}

#[cfg(test)]
mod tests;
