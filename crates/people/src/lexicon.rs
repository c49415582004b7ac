//! The recogniser's knowledge, read once from the data files under `data/`: given names, surname and
//! patronymic endings, words that are never names, titles, role and relation words, and the
//! gazetteers of organisations, places and groups.

use crate::token::tokenize;
use casebook_model::EntityKind;
use std::collections::{HashMap, HashSet};

/// The text of every data file the recogniser reads, so that callers can supply their own.
#[derive(Debug, Clone, Copy)]
pub struct DataFiles<'a> {
    /// `given_names.txt`: given names in any script.
    pub given_names: &'a str,
    /// `surname_shapes.txt`: surname endings, optionally marked `alone`.
    pub surname_shapes: &'a str,
    /// `patronymic_shapes.txt`: patronymic endings.
    pub patronymic_shapes: &'a str,
    /// `not_names.txt`: capitalised words that are never part of a name.
    pub not_names: &'a str,
    /// `titles.txt`: titles that stand before names.
    pub titles: &'a str,
    /// `roles.txt`: role words and phrases for descriptors.
    pub roles: &'a str,
    /// `modifiers.txt`: words that may stand before a role word.
    pub modifiers: &'a str,
    /// `relations.tsv`: relation words and the kind they record.
    pub relations: &'a str,
    /// `cues_after.txt`: words after a name that show it is a person.
    pub cues_after: &'a str,
    /// `known_people.txt`: public figures named by surname alone.
    pub known_people: &'a str,
    /// `organisations.tsv`: organisation gazetteer.
    pub organisations: &'a str,
    /// `places.tsv`: place gazetteer.
    pub places: &'a str,
    /// `groups.txt`: peoples and groups, never persons.
    pub groups: &'a str,
    /// `org_heads.tsv`: head nouns of organisation and detention-place names.
    pub org_heads: &'a str,
    /// `org_inner.txt`: not-name words that may open an organisation name.
    pub org_inner: &'a str,
    /// `not_person_after.txt`: words after a surname that make it a family or group.
    pub not_person_after: &'a str,
    /// `cyrillic_case_endings.txt`: Cyrillic case endings.
    pub cyrillic_case_endings: &'a str,
    /// `headline_verbs.txt`: headline verbs cut off the end of names.
    pub headline_verbs: &'a str,
    /// `inflected_names.tsv`: conjunctions, plural relation words and place prepositions around names.
    pub inflected_names: &'a str,
}

impl DataFiles<'static> {
    /// The data files shipped with this crate.
    pub const BUILT_IN: DataFiles<'static> = DataFiles {
        given_names: include_str!("../data/given_names.txt"),
        surname_shapes: include_str!("../data/surname_shapes.txt"),
        patronymic_shapes: include_str!("../data/patronymic_shapes.txt"),
        not_names: include_str!("../data/not_names.txt"),
        titles: include_str!("../data/titles.txt"),
        roles: include_str!("../data/roles.txt"),
        modifiers: include_str!("../data/modifiers.txt"),
        relations: include_str!("../data/relations.tsv"),
        cues_after: include_str!("../data/cues_after.txt"),
        known_people: include_str!("../data/known_people.txt"),
        organisations: include_str!("../data/organisations.tsv"),
        places: include_str!("../data/places.tsv"),
        groups: include_str!("../data/groups.txt"),
        org_heads: include_str!("../data/org_heads.tsv"),
        org_inner: include_str!("../data/org_inner.txt"),
        not_person_after: include_str!("../data/not_person_after.txt"),
        cyrillic_case_endings: include_str!("../data/cyrillic_case_endings.txt"),
        headline_verbs: include_str!("../data/headline_verbs.txt"),
        inflected_names: include_str!("../data/inflected_names.tsv"),
    };
}

/// A data file line that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LexiconError {
    #[error("{file}, line {line}: {reason}")]
    BadLine {
        file: &'static str,
        line: usize,
        reason: &'static str,
    },
}

/// What a gazetteer phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseKind {
    Entity(EntityKind),
    /// A people or group: blocks person recognition, is not reported.
    Group,
}

/// One gazetteer phrase, as lower-cased tokens.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub words: Vec<String>,
    pub kind: PhraseKind,
    pub canonical: String,
}

/// A multi-word lower-case phrase list, looked up by its first word.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    /// First word → phrases starting with it, longest first.
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl PhraseSet {
    fn insert(&mut self, phrase: &str) {
        let words = phrase_words(phrase);
        if let Some(first) = words.first() {
            self.by_first.entry(first.clone()).or_default().push(words);
        }
    }

    fn finish(&mut self) {
        for list in self.by_first.values_mut() {
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
            list.dedup();
        }
    }

    /// Length in tokens of the longest phrase matching `words` from its start.
    pub fn longest_at<'w>(&self, mut words: impl FnMut(usize) -> Option<&'w str>) -> Option<usize> {
        let first = words(0)?;
        let list = self.by_first.get(first)?;
        list.iter()
            .find(|p| {
                p.iter()
                    .enumerate()
                    .all(|(k, w)| words(k) == Some(w.as_str()))
            })
            .map(|p| p.len())
    }
}

/// Everything the recogniser knows, parsed.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub given_names: HashSet<String>,
    /// (ending, telling enough alone).
    pub surname_endings: Vec<(String, bool)>,
    pub patronymic_endings: Vec<String>,
    pub not_names: HashSet<String>,
    pub titles: PhraseSet,
    pub roles: PhraseSet,
    pub modifiers: HashSet<String>,
    pub relations: HashMap<String, String>,
    pub cues_after: HashSet<String>,
    pub known_people: HashSet<String>,
    /// First word → gazetteer phrases starting with it, longest first.
    pub phrases: HashMap<String, Vec<Phrase>>,
    /// Head nouns of organisation and detention-place names, with the kind they make.
    pub org_heads: HashMap<String, EntityKind>,
    /// Words of `not_names` that may open an organisation's name.
    pub org_inner: HashSet<String>,
    /// Words after a bare surname that make it a family or group ("the Akhtemov brothers").
    pub not_person_after: HashSet<String>,
    /// Cyrillic case endings, longest first.
    pub cyrillic_case_endings: Vec<String>,
    /// Headline verbs: whole words and endings ("ed", "ing").
    pub headline_verbs: HashSet<String>,
    pub headline_verb_endings: Vec<String>,
    /// Conjunctions between given names that share one surname.
    pub name_joiners: HashSet<String>,
    /// Plural relation words before a plural surname ("братья").
    pub plural_relations: HashSet<String>,
    /// Prepositions before a place name ("з", "из").
    pub place_prepositions: HashSet<String>,
    /// Nouns before a name that make it the name of a street, park or institution ("парку Шевченка").
    pub named_places: HashSet<String>,
}

/// Lines of a data file without comments and blank lines, with their 1-based numbers.
fn lines(file: &str) -> impl Iterator<Item = (usize, &str)> {
    file.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Lower-cased word tokens of a phrase, cut the way article text is cut.
fn phrase_words(phrase: &str) -> Vec<String> {
    tokenize(phrase).into_iter().map(|t| t.lower).collect()
}

fn word_set(file: &str) -> HashSet<String> {
    lines(file).map(|(_, l)| l.trim().to_lowercase()).collect()
}

fn phrase_set(file: &str) -> PhraseSet {
    let mut set = PhraseSet::default();
    for (_, l) in lines(file) {
        set.insert(l.trim());
    }
    set.finish();
    set
}

/// The organisations, places and groups of the gazetteers as phrases keyed by their first word,
/// longest first.
fn gazetteer_phrases(files: &DataFiles) -> Result<HashMap<String, Vec<Phrase>>, LexiconError> {
    let mut phrases: HashMap<String, Vec<Phrase>> = HashMap::new();
    let gazetteers = [
        (
            "organisations.tsv",
            files.organisations,
            PhraseKind::Entity(EntityKind::Organization),
        ),
        (
            "places.tsv",
            files.places,
            PhraseKind::Entity(EntityKind::Place),
        ),
    ];
    for (file, text, kind) in gazetteers {
        for (line, l) in lines(text) {
            let (canonical, variants) = l.split_once('\t').unwrap_or((l, ""));
            let canonical = canonical.trim();
            if canonical.is_empty() {
                return Err(LexiconError::BadLine {
                    file,
                    line,
                    reason: "empty canonical name",
                });
            }
            for surface in std::iter::once(canonical)
                .chain(variants.split('|'))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                add_phrase(&mut phrases, surface, kind, canonical);
            }
        }
    }
    for (_, l) in lines(files.groups) {
        add_phrase(&mut phrases, l.trim(), PhraseKind::Group, l.trim());
    }
    for list in phrases.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    Ok(phrases)
}

impl Lexicon {
    /// Parses the data files.
    pub fn parse(files: &DataFiles) -> Result<Lexicon, LexiconError> {
        let mut surname_endings = Vec::new();
        for (line, l) in lines(files.surname_shapes) {
            let mut cols = l.split('\t');
            let ending = cols.next().unwrap_or("").trim().to_lowercase();
            let alone = match cols.next().map(str::trim) {
                None | Some("") => false,
                Some("alone") => true,
                Some(_) => {
                    return Err(LexiconError::BadLine {
                        file: "surname_shapes.txt",
                        line,
                        reason: "second column must be 'alone'",
                    })
                }
            };
            surname_endings.push((ending, alone));
        }
        // Longest endings first, so that "-ovsky" is seen before "-sky".
        surname_endings.sort_by_key(|(e, _)| std::cmp::Reverse(e.chars().count()));

        let mut relations = HashMap::new();
        for (line, l) in lines(files.relations) {
            match l.split_once('\t') {
                Some((word, kind)) if !word.trim().is_empty() && !kind.trim().is_empty() => {
                    relations.insert(word.trim().to_lowercase(), kind.trim().to_string());
                }
                _ => {
                    return Err(LexiconError::BadLine {
                        file: "relations.tsv",
                        line,
                        reason: "expected WORD<tab>KIND",
                    })
                }
            }
        }

        let phrases = gazetteer_phrases(files)?;

        let mut org_heads = HashMap::new();
        for (line, l) in lines(files.org_heads) {
            let kind = match l.split_once('\t').map(|(w, k)| (w.trim(), k.trim())) {
                Some((w, "organization")) if !w.is_empty() => (w, EntityKind::Organization),
                Some((w, "place")) if !w.is_empty() => (w, EntityKind::Place),
                _ => {
                    return Err(LexiconError::BadLine {
                        file: "org_heads.tsv",
                        line,
                        reason: "expected WORD<tab>organization|place",
                    })
                }
            };
            org_heads.insert(kind.0.to_lowercase(), kind.1);
        }

        let (mut name_joiners, mut plural_relations, mut place_prepositions, mut named_places) = (
            HashSet::new(),
            HashSet::new(),
            HashSet::new(),
            HashSet::new(),
        );
        for (line, l) in lines(files.inflected_names) {
            let set = match l.split_once('\t').map(|(k, w)| (k.trim(), w.trim())) {
                Some(("and", w)) if !w.is_empty() => (&mut name_joiners, w),
                Some(("plural", w)) if !w.is_empty() => (&mut plural_relations, w),
                Some(("place", w)) if !w.is_empty() => (&mut place_prepositions, w),
                Some(("named", w)) if !w.is_empty() => (&mut named_places, w),
                _ => {
                    return Err(LexiconError::BadLine {
                        file: "inflected_names.tsv",
                        line,
                        reason: "expected and|plural|place|named<tab>WORD",
                    })
                }
            };
            set.0.insert(set.1.to_lowercase());
        }

        let (endings, words): (Vec<String>, Vec<String>) = word_set(files.headline_verbs)
            .into_iter()
            .partition(|w| w.starts_with('-'));

        Ok(Lexicon {
            given_names: word_set(files.given_names),
            surname_endings,
            patronymic_endings: lines(files.patronymic_shapes)
                .map(|(_, l)| l.trim().to_lowercase())
                .collect(),
            not_names: word_set(files.not_names),
            titles: phrase_set(files.titles),
            roles: phrase_set(files.roles),
            modifiers: word_set(files.modifiers),
            relations,
            cues_after: word_set(files.cues_after),
            known_people: word_set(files.known_people),
            phrases,
            org_heads,
            org_inner: word_set(files.org_inner),
            not_person_after: word_set(files.not_person_after),
            headline_verbs: words.into_iter().collect(),
            headline_verb_endings: endings
                .into_iter()
                .map(|e| e.trim_start_matches('-').to_string())
                .collect(),
            name_joiners,
            plural_relations,
            place_prepositions,
            named_places,
            cyrillic_case_endings: {
                let mut endings: Vec<String> =
                    word_set(files.cyrillic_case_endings).into_iter().collect();
                endings.sort_by_key(|e| (std::cmp::Reverse(e.chars().count()), e.clone()));
                endings
            },
        })
    }

    /// True when `lower` (a lower-cased word) is a known given name, or a hyphenated compound of them.
    pub fn is_given_name(&self, lower: &str) -> bool {
        self.given_names.contains(lower)
            || (lower.contains('-') && lower.split('-').all(|p| self.given_names.contains(p)))
    }

    /// The surname ending `lower` carries, if any: `Some(true)` when telling enough alone.
    pub fn surname_shape(&self, lower: &str) -> Option<bool> {
        self.surname_endings
            .iter()
            .find(|(e, _)| {
                lower.ends_with(e.as_str())
                    && lower.len() > e.len()
                    && lower[..lower.len() - e.len()].chars().nth(1).is_some()
            })
            .map(|&(_, alone)| alone)
    }

    /// True when `lower` reads as a headline verb ("sentenced", "says").
    pub fn is_headline_verb(&self, lower: &str) -> bool {
        self.headline_verbs.contains(lower)
            || self
                .headline_verb_endings
                .iter()
                .any(|e| lower.len() > e.len() + 2 && lower.ends_with(e.as_str()))
    }

    /// True when `lower` looks like a patronymic.
    pub fn is_patronymic(&self, lower: &str) -> bool {
        let len = lower.chars().count();
        self.patronymic_endings
            .iter()
            .any(|e| len >= e.chars().count() + 3 && lower.ends_with(e.as_str()))
    }
}

fn add_phrase(
    phrases: &mut HashMap<String, Vec<Phrase>>,
    surface: &str,
    kind: PhraseKind,
    canonical: &str,
) {
    let words = phrase_words(surface);
    let Some(first) = words.first().cloned() else {
        return;
    };
    let list = phrases.entry(first).or_default();
    if list.iter().any(|p| p.words == words) {
        return;
    }
    list.push(Phrase {
        words,
        kind,
        canonical: canonical.to_string(),
    });
}

/// Test helper: keeps the tokenizer's word kinds in sight of the phrase cutter.
#[cfg(test)]
pub(crate) fn phrase_kinds(phrase: &str) -> Vec<crate::token::Kind> {
    tokenize(phrase).into_iter().map(|t| t.kind).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Kind;

    #[test]
    fn built_in_data_parses() {
        let lex =
            Lexicon::parse(&DataFiles::BUILT_IN).expect("built-in data files are well-formed");
        assert!(
            lex.given_names.len() > 500,
            "given names: {}",
            lex.given_names.len()
        );
        assert!(lex.is_given_name("nariman"));
        assert!(lex.is_given_name("emir-usein"));
        assert!(!lex.is_given_name("dzhelyal"));
        assert_eq!(lex.surname_shape("dzhemilev"), Some(true));
        assert_eq!(lex.surname_shape("ov"), None);
        assert!(lex.is_patronymic("ametovich"));
        assert_eq!(
            lex.relations.get("defender").map(String::as_str),
            Some("lawyer")
        );
        assert!(lex.phrases.contains_key("rostov-on-don"));
        assert_eq!(
            phrase_kinds("Prosecutor's Office"),
            vec![Kind::Word, Kind::Possessive, Kind::Word]
        );
    }

    #[test]
    fn rejects_malformed_lines() {
        let mut files = DataFiles::BUILT_IN;
        files.relations = "son\n";
        assert_eq!(
            Lexicon::parse(&files).err(),
            Some(LexiconError::BadLine {
                file: "relations.tsv",
                line: 1,
                reason: "expected WORD<tab>KIND"
            })
        );
    }
}
