//! The public policy: what the public read-only view (and a public export) may show.
//!
//! Only confirmed facts appear; people marked hidden (witnesses, relatives, minors) never appear;
//! people or name fields marked initials-only appear by their initials; and every protected name is
//! blacked out wherever text is shown (evidence sentences, article bodies, titles, snippets), because
//! a sentence about someone else may still name a protected person.

use casebook_model::Status;
use casebook_register::identity::initials;
use casebook_register::{EventRecord, PersonRecord, ReviewState, Store, Visibility};
use std::collections::HashMap;

/// What replaces a hidden name in public text.
pub const WITHHELD: &str = "[withheld]";

/// The public view of the register at one moment, built from every person's visibility.
#[derive(Debug, Default, Clone)]
pub struct PublicPolicy {
    /// Persons that may appear, adjusted for display.
    shown: HashMap<String, PersonRecord>,
    /// Names to black out, longest first, with their replacement.
    redactions: Vec<(String, String)>,
}

/// The level a person's name may be shown at: the stricter of the person's and the name field's.
fn name_level(p: &PersonRecord) -> Visibility {
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

fn field_hidden(p: &PersonRecord, field: &str) -> bool {
    p.field_visibility.get(field).copied() == Some(Visibility::Hidden)
}

impl PublicPolicy {
    /// Builds the policy from every person of the register.
    pub fn build(store: &dyn Store) -> casebook_register::Result<PublicPolicy> {
        let mut policy = PublicPolicy::default();
        store.visit_persons(&mut |p| {
            policy.learn(p);
            Ok(())
        })?;
        // Longest first, so a full name is replaced before its surname alone.
        policy.redactions.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        policy.redactions.dedup_by(|a, b| a.0 == b.0);
        Ok(policy)
    }

    fn learn(&mut self, p: PersonRecord) {
        let level = name_level(&p);
        let replacement = match level {
            Visibility::Public => None,
            Visibility::Initials => Some(initials(&p.name)),
            Visibility::Hidden => Some(WITHHELD.to_string()),
        };
        if let Some(rep) = &replacement {
            for name in p.names.iter().chain(std::iter::once(&p.name)) {
                self.redactions.push((name.clone(), rep.clone()));
                for word in name.split_whitespace().filter(|w| w.chars().count() >= 3) {
                    self.redactions.push((word.to_string(), rep.clone()));
                }
            }
        }
        if level == Visibility::Hidden || !p.confirmed {
            return;
        }
        let mut shown = p;
        if let Some(rep) = replacement {
            shown.name = rep;
            shown.names = vec![shown.name.clone()];
        } else if field_hidden(&shown, "names") {
            shown.names = vec![shown.name.clone()];
        }
        if field_hidden(&shown, "status") {
            shown.status = Status::Unknown;
        }
        shown.field_visibility.clear();
        self.shown.insert(shown.id.clone(), shown);
    }

    /// The person as the public may see them, or `None`.
    pub fn person(&self, id: &str) -> Option<&PersonRecord> {
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

    /// The persons the public may see.
    pub fn shown(&self) -> impl Iterator<Item = &PersonRecord> {
        self.shown.values()
    }

    /// `text` with every protected name blacked out.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, replacement) in &self.redactions {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), replacement);
            }
        }
        out
    }

    /// The event as the public may see it: confirmed only, confirmed sources only, protected
    /// victims left out and protected names blacked out of its sentences.
    pub fn event(&self, mut event: EventRecord) -> Option<EventRecord> {
        if event.review != ReviewState::Confirmed {
            return None;
        }
        event.victims.retain(|v| self.allows_person(v));
        event.sources.retain(|s| s.review == ReviewState::Confirmed);
        // Disagreements are shown only among the confirmed reports.
        let confirmed: Vec<String> = event.sources.iter().map(|s| s.article.clone()).collect();
        for c in &mut event.conflicts {
            for v in &mut c.values {
                v.articles.retain(|a| confirmed.contains(a));
            }
            c.values.retain(|v| !v.articles.is_empty());
        }
        event.conflicts.retain(|c| c.values.len() > 1);
        for s in &mut event.sources {
            s.text = self.redact(&s.text);
        }
        event.perpetrators = event.perpetrators.iter().map(|p| self.redact(p)).collect();
        event.place = event.place.map(|p| self.redact(&p));
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn person(id: &str, name: &str, vis: Visibility, confirmed: bool) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            name: name.into(),
            names: vec![name.into()],
            status: Status::PreTrialDetention,
            visibility: vis,
            field_visibility: BTreeMap::new(),
            articles: 1,
            confirmed,
        }
    }

    #[test]
    fn hidden_and_unconfirmed_people_stay_out_and_names_are_blacked_out() {
        let mut policy = PublicPolicy::default();
        policy.learn(person("p1", "Ruslan Veliev", Visibility::Public, true));
        policy.learn(person("p2", "Elmaz Veliev", Visibility::Hidden, true));
        policy.learn(person("p3", "Server Kemalov", Visibility::Initials, true));
        policy.learn(person("p4", "Lilia Amzaeva", Visibility::Public, false));
        policy
            .redactions
            .sort_by_key(|r| std::cmp::Reverse(r.0.chars().count()));
        assert!(policy.allows_person("p1"));
        assert!(!policy.allows_person("p2"));
        assert_eq!(policy.person("p3").map(|p| p.name.as_str()), Some("S. K."));
        assert!(!policy.allows_person("p4"));
        let text =
            policy.redact("Elmaz Veliev, a witness, spoke after Server Kemalov was detained.");
        assert!(!text.contains("Elmaz"), "{text}");
        assert!(!text.contains("Kemalov"), "{text}");
        assert!(text.contains(WITHHELD));
    }
}
