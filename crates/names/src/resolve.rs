//! Knowing a person again across articles: a name against an index of known persons.
//!
//! Only a certain, unambiguous match resolves to a known person ([`Resolution::Same`]); anything
//! plausible but uncertain goes to a reviewer as [`Resolution::Candidate`]s, never to a merge. A bare
//! surname is never resolved on its own, as its score stays below 0.5 (see [`crate::score`]).
//!
//! Blocking keeps lookups fast and narrow. Every core token of every known name is filed under its
//! exact key, under the skeleton of its surname stem (which absorbs the vowel differences the key
//! leaves: Bekirov/Bakirov, Dzheppar/Dzhaparova; see [`skeleton`]) and the start of a long skeleton,
//! and, for given names from the table, under their equivalence class. A query looks up only its tokens that are not listed given
//! names (its surnames, in practice): given names and short prefixes are shared by thousands of persons
//! and would make every lookup score thousands of names. With two or more such tokens a person must
//! share blocks with two of them. Only a query made of listed given names alone uses the class blocks.

use crate::score::{score_prepared, score_value, PreparedName, Score, Token};
use crate::tables::{tables, Tables};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

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
    slot_of: FxHashMap<PersonId, u32>,
    /// Block id (a hash of the block's kind and text; see [`blocks_of`]) → slots of the persons filed
    /// under it, ascending. A hash collision only adds persons to score, never loses one.
    blocks: FxHashMap<u64, Vec<u32>>,
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
        let t = tables();
        for token in &prepared.core {
            for block in blocks_of(t, token).into_iter().flatten() {
                let list = self.blocks.entry(block).or_default();
                // Slots grow as persons are added, so this is nearly always a push at the end.
                if let Err(at) = list.binary_search(&slot) {
                    list.insert(at, slot);
                }
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
        let candidates = self.candidates(t, name);
        // Rank by the score value alone; the explanation is built for the few results kept.
        let mut scored: Vec<(PersonId, f64, u32, usize)> = candidates
            .into_iter()
            .filter_map(|slot| {
                let person = self.persons.get(slot as usize)?;
                let (best, value) = person
                    .names
                    .iter()
                    .map(|known| score_value(name, known, self.thresholds.candidate))
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(&b.1))?;
                (value >= self.thresholds.candidate).then_some((person.id, value, slot, best))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // A second known person that matches as well keeps the name for review; one that matches
        // clearly less well does not ("Наріман Джелял" is the known Нариман Джелял at 1.0, not the
        // "Наріман Джелялов" another report gave at 0.82).
        let first_value = scored.first().map_or(0.0, |s| s.1);
        let runner_up_matches = scored.get(1).is_some_and(|s| {
            s.1 >= 0.5 && (s.1 >= self.thresholds.same || s.1 > first_value - RUNNER_UP_MARGIN)
        });
        let explained = |&(id, _, slot, best): &(PersonId, f64, u32, usize)| {
            let known = self
                .persons
                .get(slot as usize)
                .and_then(|p| p.names.get(best))?;
            Some((id, score_prepared(name, known)))
        };
        match scored.first() {
            None => Resolution::New,
            Some(first)
                if first.1 >= self.thresholds.same
                    && !runner_up_matches
                    && name.core_len() >= 2 =>
            {
                match explained(first) {
                    Some((id, score)) => Resolution::Same(id, score),
                    None => Resolution::New,
                }
            }
            Some(_) => Resolution::Candidate(
                scored
                    .iter()
                    .take(self.thresholds.max_candidates)
                    .filter_map(explained)
                    .collect(),
            ),
        }
    }

    /// Slots of the persons worth scoring against `name`, ascending.
    fn candidates(&self, t: &Tables, name: &PreparedName) -> Vec<u32> {
        let lists = |blocks: &[Option<u64>]| -> Vec<&[u32]> {
            blocks
                .iter()
                .flatten()
                .filter_map(|b| self.blocks.get(b).map(Vec::as_slice))
                .collect()
        };
        // Per looked-up token: the block lists it reaches.
        let mut per_token: Vec<Vec<&[u32]>> = name
            .core
            .iter()
            .filter(|token| token.given.is_none())
            .map(|token| {
                let [exact, skeleton, start, _] = blocks_of(t, token);
                lists(&[exact, skeleton, start])
            })
            .collect();
        if per_token.is_empty() {
            // Listed given names alone (Ivan Andrei): the rarest name's class.
            per_token = name
                .core
                .iter()
                .map(|token| lists(&[given_block(token)]))
                .min_by_key(|l| l.iter().map(|x| x.len()).sum::<usize>())
                .into_iter()
                .collect();
        }
        per_token.sort_by_key(|l| l.iter().map(|x| x.len()).sum::<usize>());
        let Some((rarest, others)) = per_token.split_first() else {
            return Vec::new();
        };
        let mut slots: Vec<u32> = rarest.iter().flat_map(|l| l.iter().copied()).collect();
        slots.sort_unstable();
        slots.dedup();
        if !others.is_empty() {
            // Two looked-up tokens must agree: the rarest and any other.
            slots.retain(|slot| {
                others
                    .iter()
                    .any(|lists| lists.iter().any(|l| l.binary_search(slot).is_ok()))
            });
        }
        slots
    }
}

/// Block kinds, hashed in front of the block text so that equal texts of two kinds differ.
/// How far below the first candidate a matching runner-up must stay for the first to be taken.
const RUNNER_UP_MARGIN: f64 = 0.1;

const EXACT: u8 = b'k';
const SKELETON: u8 = b's';
const GIVEN: u8 = b'g';
const SKELETON_START: u8 = b'p';

fn block_id(kind: u8, text: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(kind);
    h.write(text);
    h.finish()
}

/// The blocks a core token is filed under: its exact key, its surname skeleton (and the skeleton's
/// start, if long), its given-name class.
fn blocks_of(t: &Tables, token: &Token) -> [Option<u64>; 4] {
    let skeleton = skeleton(t, &token.key);
    [
        Some(block_id(EXACT, token.key.as_bytes())),
        (skeleton.len() >= 2).then(|| block_id(SKELETON, &skeleton)),
        skeleton
            .get(..SKELETON_PREFIX)
            .filter(|_| skeleton.len() >= LONG_SKELETON)
            .map(|start| block_id(SKELETON_START, start)),
        given_block(token),
    ]
}

fn given_block(token: &Token) -> Option<u64> {
    token
        .given
        .map(|class| block_id(GIVEN, &class.to_le_bytes()))
}

/// The skeleton of a key's stem (without a Slavic surname ending): every run of vowels becomes `a`
/// and repeated consonants merge, which absorbs the vowel differences the key leaves (Bekirov, Bakirov
/// → `bakar`; Dzheppar, Dzhaparova → `japar`; Smedlya, Smedlyaev → `smadla`) while keeping the shape
/// of the word, so that a block holds few persons.
fn skeleton(t: &Tables, key: &str) -> Vec<u8> {
    let stem = t
        .morphology
        .slavic
        .iter()
        .find_map(|s| key.strip_suffix(s.as_str()).filter(|stem| stem.len() >= 3))
        .unwrap_or(key);
    let mut out = Vec::with_capacity(stem.len());
    for b in stem.bytes() {
        let b = if b"aeiou".contains(&b) { b'a' } else { b };
        if out.last() != Some(&b) {
            out.push(b);
        }
    }
    out
}

/// Skeletons this long also get a block for their first five letters: a long surname with a mistyped
/// consonant (Karametor for Karametov) still meets its person there, and five letters of a long
/// skeleton are specific enough to keep the block small.
const LONG_SKELETON: usize = 7;
const SKELETON_PREFIX: usize = 5;

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
    fn a_clearly_better_candidate_wins_over_a_weak_runner_up() {
        let mut idx = PersonIndex::new();
        idx.add_name(1, "Нариман Джелял");
        idx.add_name(2, "Наріман Джелялов");
        assert!(matches!(
            idx.resolve("Наріман Джелял"),
            Resolution::Same(1, _)
        ));
        // Two known people of the same name: the name stays for review.
        let mut idx = PersonIndex::new();
        idx.add_name(1, "Сейтумер Сейтумеров");
        idx.add_name(2, "Сейтумер Сейтумеров");
        assert!(matches!(
            idx.resolve("Сейтумера Сейтумерова"),
            Resolution::Candidate(_)
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
    fn blocks_reach_spelling_variants_of_the_surname() {
        let mut idx = index();
        idx.add_name(9, "Server Karametov");
        idx.add_name(10, "Emine Dzhaparova");
        // A mistyped consonant in a long surname meets the person through the skeleton's start.
        let found = |r: Resolution, id: PersonId| match r {
            Resolution::Same(x, _) => x == id,
            Resolution::Candidate(c) => c.iter().any(|(x, _)| *x == id),
            Resolution::New => false,
        };
        assert!(found(idx.resolve("Server Karametor"), 9));
        // Vowels and double letters differ, the skeleton does not (jpr → `japar`).
        assert!(found(idx.resolve("Emine Dzheppar"), 10));
        assert_eq!(skeleton(tables(), "bekirov"), skeleton(tables(), "bakirov"));
        assert_ne!(
            skeleton(tables(), "bekirov"),
            skeleton(tables(), "bekmurov")
        );
        // A given name alone is not a block: Server Bekirov shares no block with Server Karametov.
        let t = tables();
        let query = PreparedName::new("Server Bekirov");
        let slots = idx.candidates(t, &query);
        assert!(slots
            .iter()
            .all(|&s| idx.persons.get(s as usize).is_some_and(|p| p.id == 7)));
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
