//! Knowing a person again across articles: name keys and the resolver the register asks.
//!
//! The register keeps identity decisions inside its write transaction (so two ingests running at
//! once see each other's persons); a [`PersonResolver`] only decides, given what the store knows
//! about names like the one at hand, whether it is the same person, possibly the same, or new.

use casebook_names::{PersonIndex, Resolution as NamesResolution};
use std::cell::{Cell, RefCell};

/// What a resolver decided about one name.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Certainly the register person with this id: merged automatically.
    Same(String),
    /// Possibly this person: a new person is made and a same-person claim goes to review.
    Candidate { person: String, score: f32 },
    /// Nobody known.
    New,
}

/// A register person known under some name, as the store hands it to a resolver.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownName {
    pub person: String,
    pub name: String,
}

/// What the store can tell a resolver. Implemented by each backend over its open transaction.
pub trait NameLookup {
    /// Persons known under exactly this [`name_key`].
    fn by_key(&mut self, key: &str) -> crate::Result<Vec<KnownName>>;
    /// Persons known under a name with this surname key (the last word of the key), at most `limit`.
    fn by_surname(&mut self, surname_key: &str, limit: usize) -> crate::Result<Vec<KnownName>>;
    /// Names recorded after position `after` (in recording order), at most `limit`, with their
    /// positions: lets a resolver keep an in-memory index current, also with other writers about.
    fn names_since(&mut self, after: i64, limit: usize) -> crate::Result<Vec<(i64, KnownName)>>;
}

/// Decides who a name in a new article is. Swappable so the names stage's resolver can be plugged in.
pub trait PersonResolver {
    /// Resolves `name` (the fullest form an article gives) against what `known` holds.
    fn resolve(&self, name: &str, known: &mut dyn NameLookup) -> crate::Result<Resolution>;

    /// Called when a write transaction the resolver was consulted in rolled back: a resolver that
    /// keeps what it read must drop it, as those names are no longer in the store.
    fn forget(&self) {}
}

/// The register's own resolver: the same key is the same person; the same surname with a matching
/// first initial and no contradicting given name is a candidate for review.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyResolver;

impl PersonResolver for KeyResolver {
    fn resolve(&self, name: &str, known: &mut dyn NameLookup) -> crate::Result<Resolution> {
        let key = name_key(name);
        if let Some(first) = known.by_key(&key)?.into_iter().next() {
            return Ok(Resolution::Same(first.person));
        }
        let words: Vec<&str> = key.split(' ').collect();
        let (Some(given), Some(surname)) = (words.first(), words.last()) else {
            return Ok(Resolution::New);
        };
        if words.len() < 2 {
            // A bare surname names nobody in particular across articles.
            return Ok(Resolution::New);
        }
        for other in known.by_surname(surname, 20)? {
            let other_key = name_key(&other.name);
            let other_given = other_key.split(' ').next().unwrap_or_default();
            if other_key.split(' ').count() < 2 {
                continue;
            }
            let compatible = given.chars().next() == other_given.chars().next()
                && (given.chars().count() == 1
                    || other_given.chars().count() == 1
                    || given.starts_with(other_given)
                    || other_given.starts_with(given));
            if compatible {
                return Ok(Resolution::Candidate {
                    person: other.person,
                    score: 0.5,
                });
            }
        }
        Ok(Resolution::New)
    }
}

/// The resolver of the names stage ([`casebook_names::PersonIndex`]): same-key names are the same
/// person; otherwise the index's certain matches are the same person, and its plausible ones become
/// same-person claims for review. The index follows the store, names recorded by other writers
/// included, by reading what was recorded since it last looked.
#[derive(Default)]
pub struct IndexResolver {
    index: RefCell<PersonIndex>,
    seen: Cell<i64>,
}

impl IndexResolver {
    /// An empty resolver; it loads the store's names on first use.
    pub fn new() -> Self {
        Self::default()
    }

    fn catch_up(&self, known: &mut dyn NameLookup) -> crate::Result<()> {
        loop {
            let batch = known.names_since(self.seen.get(), 10_000)?;
            let Some(last) = batch.last().map(|(pos, _)| *pos) else {
                return Ok(());
            };
            let mut index = self.index.borrow_mut();
            for (_, name) in &batch {
                if let Some(id) = person_number(&name.person) {
                    index.add_name(id, &name.name);
                }
            }
            self.seen.set(last);
        }
    }
}

/// The index number of a register person id (`p-` and 16 hex digits); `None` for other ids.
fn person_number(id: &str) -> Option<u64> {
    id.strip_prefix("p-")
        .and_then(|h| u64::from_str_radix(h, 16).ok())
}

fn person_id(number: u64) -> String {
    format!("p-{number:016x}")
}

impl PersonResolver for IndexResolver {
    fn forget(&self) {
        *self.index.borrow_mut() = PersonIndex::default();
        self.seen.set(0);
    }

    fn resolve(&self, name: &str, known: &mut dyn NameLookup) -> crate::Result<Resolution> {
        if let Some(first) = known.by_key(&name_key(name))?.into_iter().next() {
            return Ok(Resolution::Same(first.person));
        }
        self.catch_up(known)?;
        Ok(match self.index.borrow().resolve(name) {
            NamesResolution::Same(id, _) => Resolution::Same(person_id(id)),
            NamesResolution::Candidate(list) => match list.first() {
                Some((id, score)) => Resolution::Candidate {
                    person: person_id(*id),
                    score: score.value as f32,
                },
                None => Resolution::New,
            },
            NamesResolution::New => Resolution::New,
        })
    }
}

/// The key a name is looked up by: lower case, letters and digits only, words separated by one
/// space. Scripts are kept apart (transliteration is the names stage's business).
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut pending_space = false;
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '’' || ch == 'ʼ' {
            // Apostrophes inside a name (`Ilmi Umerov` vs `Il'mi Umerov`) are spelling, not a break.
        } else {
            pending_space = true;
        }
    }
    key
}

/// The last word of a [`name_key`].
pub fn surname_key(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

/// The script a name is written in, for the person's list of names.
pub fn script_of(name: &str) -> &'static str {
    let mut latin = 0;
    let mut cyrillic = 0;
    for ch in name.chars().filter(|c| c.is_alphabetic()) {
        match ch as u32 {
            0x0400..=0x052F => cyrillic += 1,
            _ if ch.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&ch) => latin += 1,
            _ => {}
        }
    }
    match (latin, cyrillic) {
        (0, 0) => "other",
        (l, c) if c > l => "cyrillic",
        _ => "latin",
    }
}

/// Initials of a name (`Nariman Dzhelyal` → `N. D.`), for persons who may be named by initials only.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(Vec<KnownName>);
    impl NameLookup for Fixed {
        fn by_key(&mut self, key: &str) -> crate::Result<Vec<KnownName>> {
            Ok(self
                .0
                .iter()
                .filter(|k| name_key(&k.name) == key)
                .cloned()
                .collect())
        }
        fn names_since(&mut self, after: i64, _: usize) -> crate::Result<Vec<(i64, KnownName)>> {
            Ok(self
                .0
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, k)| (i as i64 + 1, k))
                .filter(|(i, _)| *i > after)
                .collect())
        }
        fn by_surname(&mut self, s: &str, _: usize) -> crate::Result<Vec<KnownName>> {
            Ok(self
                .0
                .iter()
                .filter(|k| surname_key(&name_key(&k.name)) == s)
                .cloned()
                .collect())
        }
    }

    #[test]
    fn keys_fold_case_punctuation_and_apostrophes() {
        assert_eq!(name_key("  Il'mi   UMEROV, "), "ilmi umerov");
        assert_eq!(name_key("Server Mustafayev-Ali"), "server mustafayev ali");
        assert_eq!(name_key("Нариман Джелял"), "нариман джелял");
        assert_eq!(surname_key("nariman dzhelyal"), "dzhelyal");
    }

    #[test]
    fn resolves_same_candidate_and_new() {
        let mut known = Fixed(vec![KnownName {
            person: "p-1".into(),
            name: "Emir Usein Kuku".into(),
        }]);
        let r = KeyResolver;
        assert_eq!(
            r.resolve("Emir  Usein KUKU", &mut known).unwrap(),
            Resolution::Same("p-1".into())
        );
        assert!(matches!(
            r.resolve("E. Kuku", &mut known).unwrap(),
            Resolution::Candidate { .. }
        ));
        assert_eq!(
            r.resolve("Server Kuku", &mut known).unwrap(),
            Resolution::New
        );
        assert_eq!(r.resolve("Kuku", &mut known).unwrap(), Resolution::New);
    }

    #[test]
    fn index_resolver_follows_the_store_and_sends_doubt_to_review() {
        let mut known = Fixed(vec![KnownName {
            person: "p-00000000000000a1".into(),
            name: "Nariman Dzhelyal".into(),
        }]);
        let r = IndexResolver::new();
        // Same key: certain, without asking the index.
        assert_eq!(
            r.resolve("NARIMAN DZHELYAL", &mut known).unwrap(),
            Resolution::Same("p-00000000000000a1".into())
        );
        // Another spelling the names stage knows for certain, or a candidate: never a new person.
        assert_ne!(
            r.resolve("Nariman Dzhelial", &mut known).unwrap(),
            Resolution::New
        );
        // A name recorded later (by another writer) is found once the resolver catches up.
        known.0.push(KnownName {
            person: "p-00000000000000b2".into(),
            name: "Server Mustafayev".into(),
        });
        assert_ne!(
            r.resolve("Server Mustafaev", &mut known).unwrap(),
            Resolution::New
        );
        assert_eq!(
            r.resolve("Ivan Petrenko", &mut known).unwrap(),
            Resolution::New
        );
    }

    #[test]
    fn scripts_and_initials() {
        assert_eq!(script_of("Нариман Джелял"), "cyrillic");
        assert_eq!(script_of("Nariman Dzhelyal"), "latin");
        assert_eq!(initials("Nariman Dzhelyal"), "N. D.");
    }
}
