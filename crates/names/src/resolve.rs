//! Knowing a person again across articles: a name against an index of known persons.
//!
//! Only a certain, unambiguous match resolves to a known person ([`Resolution::Same`]); anything
//! plausible but uncertain goes to a reviewer as [`Resolution::Candidate`]s, never to a merge. A bare
//! surname is never resolved on its own, as its score stays below 0.5 (see [`crate::score`]).
//!
//! Blocking keeps lookups fast: every core token of every known name is filed under a few coarse keys
//! (its key, its stem without a surname ending, the stem's consonants, its first four letters, its
//! given-name class), and only persons that share blocks with two different tokens of the query (one for
//! a one-token query) are scored.

use crate::score::{score_prepared, PreparedName, Score};
use crate::tables::{tables, Tables};
use std::collections::HashMap;

/// Identifier of a known person, as the register assigns it.
pub type PersonId = u64;

/// The score limits of [`PersonIndex::resolve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Score from which a lone best match is the same person (merge without review).
    pub same: f64,
    /// Score from which a known person is worth a reviewer's look.
    pub candidate: f64,
    /// Most candidates returned, best first.
    pub max_candidates: usize,
}

impl Default for Thresholds {
    /// `same` 0.85 lets exact keys and given-name translations through and sends residual typos
    /// (Bekirov/Bakirov) and Slavicised surnames to review; `candidate` 0.35 keeps bare surnames (scored
    /// at most 0.4) as candidates.
    fn default() -> Self {
        Thresholds {
            same: 0.85,
            candidate: 0.35,
            max_candidates: 10,
        }
    }
}

/// What a name is, against the known persons.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Certainly this known person, and no other known person comes close.
    Same(PersonId, Score),
    /// Possibly one of these (best first): for a reviewer, not for a merge.
    Candidate(Vec<(PersonId, Score)>),
    /// Nobody known.
    New,
}

#[derive(Debug, Clone)]
struct Person {
    id: PersonId,
    names: Vec<PreparedName>,
}

/// Known persons with every name seen for them, blocked for fast lookup.
#[derive(Debug, Clone, Default)]
pub struct PersonIndex {
    persons: Vec<Person>,
    slot_of: HashMap<PersonId, u32>,
    blocks: HashMap<String, Vec<u32>>,
    thresholds: Thresholds,
}

impl PersonIndex {
    /// An empty index with the default [`Thresholds`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty index with the given thresholds.
    pub fn with_thresholds(thresholds: Thresholds) -> Self {
        PersonIndex {
            thresholds,
            ..Self::default()
        }
    }

    /// Number of known persons.
    pub fn len(&self) -> usize {
        self.persons.len()
    }

    /// Whether no person is known.
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Records `name` as a name of person `id`, adding the person if new. A name without letters is
    /// ignored; a name the person already has is not stored twice.
    pub fn add_name(&mut self, id: PersonId, name: &str) {
        let prepared = PreparedName::new(name);
        if prepared.core_len() == 0 {
            return;
        }
        let next = self.persons.len() as u32;
        let slot = *self.slot_of.entry(id).or_insert(next);
        if slot == next {
            self.persons.push(Person {
                id,
                names: Vec::new(),
            });
        }
        let Some(person) = self.persons.get_mut(slot as usize) else {
            return;
        };
        if person.names.contains(&prepared) {
            return;
        }
        for block in prepared
            .core
            .iter()
            .flat_map(|t| blocks_of(tables(), &t.key, t.given))
        {
            let list = self.blocks.entry(block).or_default();
            if list.last() != Some(&slot) {
                list.push(slot);
            }
        }
        person.names.push(prepared);
    }

    /// Resolves `name` against the known persons.
    pub fn resolve(&self, name: &str) -> Resolution {
        self.resolve_prepared(&PreparedName::new(name))
    }

    /// Resolves an already prepared name.
    pub fn resolve_prepared(&self, name: &PreparedName) -> Resolution {
        let t = tables();
        // How many different query tokens each person shares a block with.
        let mut hits: HashMap<u32, u8> = HashMap::new();
        for token in &name.core {
            let mut seen_for_token: Vec<u32> = Vec::new();
            for block in blocks_of(t, &token.key, token.given) {
                if let Some(list) = self.blocks.get(&block) {
                    seen_for_token.extend_from_slice(list);
                }
            }
            seen_for_token.sort_unstable();
            seen_for_token.dedup();
            for slot in seen_for_token {
                let h = hits.entry(slot).or_insert(0);
                *h = h.saturating_add(1);
            }
        }
        let needed = name.core_len().min(2) as u8;
        let mut scored: Vec<(PersonId, Score)> = hits
            .into_iter()
            .filter(|&(_, h)| needed > 0 && h >= needed)
            .filter_map(|(slot, _)| {
                let person = self.persons.get(slot as usize)?;
                let best = person
                    .names
                    .iter()
                    .map(|known| score_prepared(name, known))
                    .max_by(|a, b| a.value.total_cmp(&b.value))?;
                (best.value >= self.thresholds.candidate).then_some((person.id, best))
            })
            .collect();
        scored.sort_by(|a, b| b.1.value.total_cmp(&a.1.value).then(a.0.cmp(&b.0)));
        let runner_up_matches = scored.get(1).is_some_and(|(_, s)| s.is_match());
        match scored.first() {
            None => Resolution::New,
            Some((id, s))
                if s.value >= self.thresholds.same
                    && !runner_up_matches
                    && name.core_len() >= 2 =>
            {
                Resolution::Same(*id, s.clone())
            }
            Some(_) => {
                scored.truncate(self.thresholds.max_candidates);
                Resolution::Candidate(scored)
            }
        }
    }
}

/// The blocks a core token is filed under.
fn blocks_of(t: &Tables, key: &str, given: Option<u32>) -> Vec<String> {
    let mut out = Vec::with_capacity(5);
    out.push(format!("k:{key}"));
    if let Some(class) = given {
        out.push(format!("g:{class}"));
    }
    let stem = t
        .morphology
        .slavic
        .iter()
        .find_map(|s| key.strip_suffix(s.as_str()).filter(|stem| stem.len() >= 3))
        .unwrap_or(key);
    out.push(format!("s:{stem}"));
    let consonants: String = stem.chars().filter(|c| !"aeiou".contains(*c)).collect();
    if consonants.len() >= 2 {
        out.push(format!("c:{consonants}"));
    }
    if key.len() >= 5 {
        out.push(format!("p:{}", key.get(..4).unwrap_or(key)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> PersonIndex {
        let mut idx = PersonIndex::new();
        idx.add_name(1, "Nariman Dzhelyal");
        idx.add_name(1, "Нариман Джелял");
        idx.add_name(2, "Asan Akhtemov");
        idx.add_name(3, "Aziz Akhtemov");
        idx.add_name(4, "Mustafa Dzhemilev");
        idx.add_name(5, "Server Mustafayev");
        idx.add_name(6, "Mykola Semena");
        idx.add_name(7, "Edem Bekirov");
        idx
    }

    #[test]
    fn known_spellings_resolve_to_the_person() {
        let idx = index();
        assert_eq!(idx.len(), 7);
        for name in [
            "Nariman Celâl",
            "Наріман Джелял",
            "Нариман Февзиевич Джелял",
            "Nariman Dzhelal",
        ] {
            assert!(
                matches!(idx.resolve(name), Resolution::Same(1, _)),
                "{name}"
            );
        }
        assert!(matches!(
            idx.resolve("Николай Семена"),
            Resolution::Same(6, _)
        ));
        assert!(matches!(
            idx.resolve("Мустафа Джемилев"),
            Resolution::Same(4, _)
        ));
    }

    #[test]
    fn brothers_and_spouses_stay_apart() {
        let idx = index();
        assert!(matches!(
            idx.resolve("Asan Akhtemov"),
            Resolution::Same(2, _)
        ));
        assert!(matches!(
            idx.resolve("Aziz Akhtemov"),
            Resolution::Same(3, _)
        ));
        // A feminine form is not the husband: a new person (or at most a candidate), never the same.
        assert!(!matches!(
            idx.resolve("Server Mustafayeva"),
            Resolution::Same(..)
        ));
        assert!(!matches!(
            idx.resolve("Leniie Mustafayeva"),
            Resolution::Same(..)
        ));
    }

    #[test]
    fn bare_surnames_and_initials_only_give_candidates() {
        let idx = index();
        match idx.resolve("Akhtemov") {
            Resolution::Candidate(c) => {
                let ids: Vec<PersonId> = c.iter().map(|(id, _)| *id).collect();
                assert!(ids.contains(&2) && ids.contains(&3), "{ids:?}");
            }
            other => panic!("expected candidates, got {other:?}"),
        }
        assert!(matches!(
            idx.resolve("A. Akhtemov"),
            Resolution::Candidate(_)
        ));
        assert!(matches!(idx.resolve("Dzhelyal"), Resolution::Candidate(_)));
    }

    #[test]
    fn uncertain_spellings_go_to_review() {
        let idx = index();
        match idx.resolve("Edem Bakirov") {
            Resolution::Candidate(c) => assert_eq!(c.first().map(|x| x.0), Some(7)),
            Resolution::Same(id, _) => assert_eq!(id, 7),
            Resolution::New => panic!("a one-letter typo should be found"),
        }
    }

    #[test]
    fn strangers_are_new() {
        let idx = index();
        assert_eq!(idx.resolve("Oleh Sentsov"), Resolution::New);
        assert_eq!(idx.resolve(""), Resolution::New);
        assert_eq!(
            PersonIndex::new().resolve("Nariman Dzhelyal"),
            Resolution::New
        );
    }

    #[test]
    fn two_known_persons_matching_is_ambiguous() {
        let mut idx = index();
        idx.add_name(8, "Nariman Dzhelal");
        assert!(
            matches!(idx.resolve("Nariman Dzhelyal"), Resolution::Candidate(c) if c.len() >= 2)
        );
    }

    #[test]
    fn names_are_not_stored_twice() {
        let mut idx = PersonIndex::new();
        idx.add_name(1, "Nariman Dzhelyal");
        idx.add_name(1, "Nariman Dzhelyal");
        idx.add_name(1, "...");
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.persons.first().map(|p| p.names.len()), Some(1));
    }
}
