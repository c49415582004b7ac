//! Base (nominative) forms of inflected names: Russian and Ukrainian case endings and Crimean Tatar case
//! suffixes, from `data/case_endings.tsv`, with the genders of given names from
//! `data/given_name_genders.tsv`.
//!
//! A word alone is often ambiguous ("Ахтемова" is a woman's surname, or the genitive of Ахтемов), so a
//! whole name is read at once: its words agree in case and gender. Every reading that explains every word
//! is scored (a given name the tables know counts most, a case ending taken off counts, the nominative
//! wins ties), and the best one gives the base form of each word. Crimean Tatar puts the case suffix on
//! the last word only ("Nariman Celâlni"), and only words with a letter of its alphabet that English does
//! not use lose one.

use crate::key::{is_letter, key_with};
use crate::tables::{data_lines, TableError, Tables};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::RefCell;

const CASE_ENDINGS: &str = include_str!("../data/case_endings.tsv");
const GIVEN_NAME_GENDERS: &str = include_str!("../data/given_name_genders.tsv");

/// Grammatical cases, as bits of a case set.
const NOM: u8 = 1;
const CASE_NAMES: [&str; 7] = ["nom", "gen", "dat", "acc", "ins", "loc", "voc"];
/// The oblique cases a reading may put a whole name in.
const OBLIQUE: [u8; 6] = [2, 4, 8, 16, 32, 64];

/// Score of a word read as a given name the tables know.
const KNOWN_GIVEN: f64 = 3.0;
/// Score of a word whose case ending comes off (longer endings are surer).
const ENDING: f64 = 1.0;
const ENDING_PER_LETTER: f64 = 0.2;
/// Bonus of the nominative reading of a name of two or more words, a little below one ending taken off:
/// a known given name in the genitive with a surname in -а (Олександра Тарапона) is a man's genitive.
/// A lone word keeps its form unless a longer ending or a known given name speaks against it ("Джелялу"
/// alone stays, "Джелялом" goes).
const NOMINATIVE_BONUS: f64 = 0.9;
const NOMINATIVE_BONUS_ALONE: f64 = 1.1;
/// Cost of a nominative reading whose words disagree in gender.
const GENDER_CONFLICT: f64 = 1.0;
/// Words whose given-name lookup a thread remembers before it starts afresh.
const GENDER_CACHE: usize = 8192;
/// Cost of a reading whose words are in different cases (a name split across a sentence's grammar).
const MIXED_PENALTY: f64 = 1.5;

/// Grammatical gender a reading needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Masculine,
    Feminine,
    Any,
}

impl Gender {
    fn fits(self, other: Gender) -> bool {
        self == Gender::Any || other == Gender::Any || self == other
    }
}

/// One line of the Cyrillic ending table.
#[derive(Debug, Clone)]
pub(crate) struct Ending {
    ending: Vec<char>,
    /// What the ending is replaced with; empty means the stem must end in a consonant.
    base: String,
    cases: u8,
    gender: Gender,
}

/// The inflection tables.
#[derive(Debug, Default)]
pub(crate) struct Inflection {
    /// Cyrillic endings, longest first.
    endings: Vec<Ending>,
    /// Last letter of an ending → indexes into `endings`, longest first: a word is tried only against
    /// the endings it can have, as every Cyrillic word of every name is read.
    endings_by_last: FxHashMap<char, Vec<usize>>,
    /// Plural surname endings, longest first, with the singular masculine nominative ending and the
    /// singular masculine ending of the same case.
    plural: Vec<(Vec<char>, String, String)>,
    /// Crimean Tatar case suffixes, longest first.
    crh: Vec<Vec<char>>,
    crh_letters: Vec<char>,
    /// Key of a given name → its gender, for names of the gender file.
    genders: FxHashMap<String, Gender>,
}

pub(crate) fn parse(tables: &Tables) -> Result<Inflection, TableError> {
    const FILE: &str = "case_endings.tsv";
    let mut inf = Inflection::default();
    for (line, raw) in data_lines(CASE_ENDINGS) {
        let fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
        let err = |reason: String| TableError {
            file: FILE,
            line,
            reason,
        };
        match fields.as_slice() {
            ["cyr", ending, base, cases, gender] => {
                let mut set = 0u8;
                for case in cases.split(',').map(str::trim) {
                    let bit = CASE_NAMES
                        .iter()
                        .position(|c| *c == case)
                        .ok_or_else(|| err(format!("unknown case `{case}`")))?;
                    set |= 1 << bit;
                }
                let gender = match *gender {
                    "m" => Gender::Masculine,
                    "f" => Gender::Feminine,
                    "any" => Gender::Any,
                    other => return Err(err(format!("unknown gender `{other}`"))),
                };
                if ending.is_empty() {
                    return Err(err("empty ending".into()));
                }
                inf.endings.push(Ending {
                    ending: ending.chars().collect(),
                    base: if *base == "-" {
                        String::new()
                    } else {
                        base.to_string()
                    },
                    cases: set,
                    gender,
                });
            }
            ["plural", ending, base, same_case] if !ending.is_empty() => inf.plural.push((
                ending.chars().collect(),
                base.to_string(),
                same_case.to_string(),
            )),
            ["crh", suffix] if !suffix.is_empty() => inf.crh.push(suffix.chars().collect()),
            ["crh-letters", letters] => inf.crh_letters = letters.chars().collect(),
            _ => return Err(err("unknown kind or wrong number of columns".into())),
        }
    }
    inf.endings
        .sort_by_key(|e| std::cmp::Reverse(e.ending.len()));
    for (i, e) in inf.endings.iter().enumerate() {
        if let Some(&last) = e.ending.last() {
            inf.endings_by_last.entry(last).or_default().push(i);
        }
    }
    inf.plural.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    inf.crh.sort_by_key(|s| std::cmp::Reverse(s.len()));

    const GENDERS: &str = "given_name_genders.tsv";
    for (line, raw) in data_lines(GIVEN_NAME_GENDERS) {
        let err = |reason: &str| TableError {
            file: GENDERS,
            line,
            reason: reason.into(),
        };
        let (gender, names) = raw.split_once('\t').ok_or_else(|| err("expected a tab"))?;
        let gender = match gender.trim() {
            "m" => Gender::Masculine,
            "f" => Gender::Feminine,
            _ => return Err(err("gender is m or f")),
        };
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let key = key_with(tables, name);
            if key.is_empty() || key.contains(' ') {
                return Err(err("not a single-word name"));
            }
            inf.genders.insert(key, gender);
        }
    }
    Ok(inf)
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{52f}').contains(&c)
}

fn is_cyrillic_consonant(c: char) -> bool {
    "бвгґджзклмнпрстфхцчшщ".contains(c)
}

fn is_cyrillic_vowel(c: char) -> bool {
    "аеёиіїоуыэюяє".contains(c)
}

/// One reading of one word: its base form, the cases and the gender it fits.
#[derive(Debug, Clone)]
struct Analysis {
    base: String,
    cases: u8,
    gender: Gender,
    score: f64,
}

/// A word of a name, with where it stands in the name.
struct Word<'a> {
    start: usize,
    text: &'a str,
}

/// The words of a name: letters with inner hyphens and apostrophes.
fn words(name: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    let word_char = |c: char| is_letter(c) || ('\u{300}'..='\u{36f}').contains(&c);
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '-' | '\'' | '’' | 'ʼ')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| word_char(n));
        if word_char(c) || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word {
                start: s,
                text: &name[s..i],
            });
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            text: &name[s..],
        });
    }
    out
}

/// Puts `base` (lower case) after the first `keep` characters of `word`, in the word's capitalisation.
fn rebuild(word: &str, keep: usize, base: &str) -> String {
    let stem: String = word.chars().take(keep).collect();
    let upper = word.chars().filter(|&c| is_letter(c)).count() > 1
        && word
            .chars()
            .filter(|&c| is_letter(c))
            .all(char::is_uppercase);
    if upper {
        stem + &base.to_uppercase()
    } else {
        stem + base
    }
}

impl Inflection {
    /// The gender of a known given name, if the key of `word` is one. Remembered per thread: every
    /// candidate base form of every word is looked up, and keying them cost more than the reading.
    fn given_gender(&self, t: &Tables, word: &str) -> Option<Gender> {
        thread_local! {
            static SEEN: RefCell<FxHashMap<String, Option<Gender>>> = RefCell::default();
        }
        SEEN.with(|cell| {
            let Ok(mut seen) = cell.try_borrow_mut() else {
                return self.given_gender_uncached(t, word);
            };
            if let Some(&gender) = seen.get(word) {
                return gender;
            }
            let gender = self.given_gender_uncached(t, word);
            if seen.len() >= GENDER_CACHE {
                seen.clear();
            }
            seen.insert(word.to_string(), gender);
            gender
        })
    }

    fn given_gender_uncached(&self, t: &Tables, word: &str) -> Option<Gender> {
        let key = key_with(t, word);
        if key.is_empty() {
            return None;
        }
        let mut gender = None;
        for token in key.split(' ') {
            let g = match self.genders.get(token) {
                Some(&g) => g,
                None if t.given_names.contains_key(token) => Gender::Masculine,
                None => return None,
            };
            gender = Some(g);
        }
        gender
    }

    /// Gender a nominative word shows by its surname ending, if any.
    fn surname_gender(lower: &str) -> Gender {
        const FEMININE: [&str; 9] = [
            "ова", "ева", "ёва", "єва", "ина", "іна", "ская", "цкая", "ська",
        ];
        const MASCULINE: [&str; 10] = [
            "ов",
            "ев",
            "ёв",
            "єв",
            "ин",
            "ін",
            "ский",
            "цкий",
            "ський",
            "цький",
        ];
        if FEMININE.iter().any(|e| lower.ends_with(e)) {
            Gender::Feminine
        } else if MASCULINE.iter().any(|e| lower.ends_with(e)) {
            Gender::Masculine
        } else {
            Gender::Any
        }
    }

    /// Every reading of one Cyrillic word, the nominative (the word as written) first.
    fn analyses(&self, t: &Tables, word: &str) -> Vec<Analysis> {
        let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        let lower_text: String = lower.iter().collect();
        let known = self.given_gender(t, word);
        let mut out = vec![Analysis {
            base: word.to_string(),
            cases: NOM,
            gender: known.unwrap_or_else(|| Self::surname_gender(&lower_text)),
            score: if known.is_some() { KNOWN_GIVEN } else { 0.0 },
        }];
        let letters = lower.iter().filter(|&&c| is_letter(c)).count();
        if letters < 3 || !lower.iter().any(|&c| is_cyrillic(c)) {
            // Initials and short words do not decline; a Latin word is not read with Cyrillic endings.
            if let Some(first) = out.first_mut() {
                first.cases = 0x7f;
            }
            return out;
        }
        // Words that do not decline: women's names ending in a consonant (Эльмаз), and names ending in
        // a vowel other than а/я (Куку, Лутфие, Дубовенко).
        let last = lower.last().copied().unwrap_or(' ');
        let indeclinable = if is_cyrillic_vowel(last) && !matches!(last, 'а' | 'я') {
            Some(Gender::Any)
        } else if !is_cyrillic_vowel(last) && known != Some(Gender::Masculine) {
            Some(Gender::Feminine)
        } else {
            None
        };
        if let Some(gender) = indeclinable {
            out.push(Analysis {
                base: word.to_string(),
                cases: 0x7e,
                gender: known.unwrap_or(gender),
                score: if known.is_some() { KNOWN_GIVEN } else { 0.0 },
            });
        }
        let candidates = self
            .endings_by_last
            .get(&last)
            .map_or(&[][..], Vec::as_slice);
        for e in candidates.iter().filter_map(|&i| self.endings.get(i)) {
            if !lower.ends_with(&e.ending) {
                continue;
            }
            let keep = lower.len() - e.ending.len();
            let Some(&stem_last) = lower.get(keep.wrapping_sub(1)) else {
                continue;
            };
            if keep < 2 || (e.base.is_empty() && !is_cyrillic_consonant(stem_last)) {
                continue;
            }
            let base = rebuild(word, keep, &e.base);
            let given = self.given_gender(t, &base);
            let gender = match given {
                Some(g) if !g.fits(e.gender) => continue,
                Some(g) => g,
                None => e.gender,
            };
            let score = if given.is_some() {
                KNOWN_GIVEN
            } else {
                ENDING + ENDING_PER_LETTER * (e.ending.len().min(4) - 1) as f64
            };
            out.push(Analysis {
                base,
                cases: e.cases,
                gender,
                score,
            });
        }
        // A plural surname beside a given name ("Азиз Ахтемовы") is the one its bearer has.
        if let Some(p) = self.plural_surname(word).filter(|p| !p.also_singular) {
            out.push(Analysis {
                base: p.singular,
                cases: 0x7f,
                gender: Gender::Any,
                score: ENDING,
            });
        }
        out
    }

    /// The base form of every word of a Cyrillic name, by the best reading (see the module).
    fn read_cyrillic(
        &self,
        t: &Tables,
        texts: &[&str],
        gender: Option<Gender>,
    ) -> Option<Vec<String>> {
        let all: Vec<Vec<Analysis>> = texts.iter().map(|w| self.analyses(t, w)).collect();
        let gender_wanted = gender.unwrap_or(Gender::Any);
        let mut best: Option<(f64, Vec<usize>)> = None;
        let mut consider = |score: f64, picks: Vec<usize>| {
            if best.as_ref().is_none_or(|(b, _)| score > *b + 1e-9) {
                best = Some((score, picks));
            }
        };
        // Initials and short words take any case and say nothing: "Н. Джеляла" is read as a lone word.
        let full_words = texts
            .iter()
            .filter(|w| w.chars().filter(|&c| is_letter(c)).count() >= 3)
            .count();
        // The nominative first, so that it wins ties; then the oblique cases.
        for case in std::iter::once(NOM).chain(OBLIQUE) {
            let bonus = match (case == NOM, full_words) {
                (false, _) => 0.0,
                (true, 0 | 1) => NOMINATIVE_BONUS_ALONE,
                (true, _) => NOMINATIVE_BONUS,
            };
            for gender in [Gender::Masculine, Gender::Feminine] {
                if !gender.fits(gender_wanted) {
                    continue;
                }
                let mut total = bonus;
                let mut picks = Vec::with_capacity(texts.len());
                for analyses in &all {
                    let pick = analyses
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.cases & case != 0 && a.gender.fits(gender))
                        .max_by(|x, y| x.1.score.total_cmp(&y.1.score).then(y.0.cmp(&x.0)));
                    match pick {
                        Some((i, a)) => {
                            total += a.score;
                            picks.push(i);
                        }
                        None => break,
                    }
                }
                if picks.len() == texts.len() {
                    consider(total, picks);
                }
            }
        }
        if gender.is_none() {
            // The name as written even when its words disagree in gender ("Олександра Кебаров"), at a
            // cost: better than reading it in a case none of its words shows.
            let as_written: f64 = all.iter().filter_map(|a| a.first()).map(|a| a.score).sum();
            let bonus = if full_words > 1 {
                NOMINATIVE_BONUS
            } else {
                NOMINATIVE_BONUS_ALONE
            };
            consider(as_written + bonus - GENDER_CONFLICT, vec![0; texts.len()]);
        }
        if texts.len() > 1 {
            // Words in different oblique cases: each word's best oblique reading, at a cost. A word that
            // reads only as a nominative rules this out ("Николай Семена" is no genitive of Семен).
            let mut total = -MIXED_PENALTY;
            let mut picks = Vec::with_capacity(texts.len());
            for analyses in &all {
                let Some((i, a)) = analyses
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.cases & !NOM != 0)
                    .max_by(|x, y| x.1.score.total_cmp(&y.1.score).then(y.0.cmp(&x.0)))
                else {
                    break;
                };
                total += a.score;
                picks.push(i);
            }
            if picks.len() == texts.len() {
                consider(total, picks);
            }
        }
        let (_, picks) = best?;
        Some(
            picks
                .iter()
                .zip(&all)
                .map(|(&p, a)| a.get(p).map_or_else(String::new, |a| a.base.clone()))
                .collect(),
        )
    }

    /// A Latin word without its Crimean Tatar case suffix, when it has one.
    fn strip_crh<'w>(&self, word: &'w str) -> Option<&'w str> {
        if !word.chars().any(|c| self.crh_letters.contains(&c)) {
            return None;
        }
        // An apostrophe before a suffix (Celâl'ni) goes with it.
        let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        for suffix in &self.crh {
            if lower.ends_with(suffix) && lower.len() >= suffix.len() + 3 {
                let keep = word.chars().count().saturating_sub(suffix.len());
                let end = word.char_indices().nth(keep).map_or(word.len(), |(i, _)| i);
                let stem = word[..end].trim_end_matches(['\'', '’', 'ʼ']);
                return Some(stem);
            }
        }
        None
    }

    /// A plural surname read as the singular one its bearers share (see [`PluralSurname`]).
    fn plural_surname(&self, word: &str) -> Option<PluralSurname> {
        if !word.chars().any(is_cyrillic) {
            return None;
        }
        let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        self.plural.iter().find_map(|(ending, base, same_case)| {
            let keep = lower.len().checked_sub(ending.len())?;
            (lower.ends_with(ending) && keep >= 2).then(|| PluralSurname {
                singular: rebuild(word, keep, base),
                same_case: rebuild(word, keep, same_case),
                // Dative plural -ым/-им is also the singular instrumental (Ахтемовым).
                also_singular: ending.last() == Some(&'м'),
            })
        })
    }
}

/// A Slavic surname in the plural ("Ахтемовы", "Ахтемових"), as brothers or a couple are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluralSurname {
    /// The singular masculine nominative each bearer has ("Ахтемов").
    pub singular: String,
    /// The singular masculine form in the plural's case ("Ахтемовых" → "Ахтемова"), for reading the
    /// given names beside it.
    pub same_case: String,
    /// The form also reads as a singular (the dative plural "Ахтемовым" is the singular instrumental).
    pub also_singular: bool,
}

/// The name with every word in its base (nominative) form, as far as the tables tell.
pub(crate) fn nominative_with<'n>(t: &Tables, name: &'n str) -> Cow<'n, str> {
    nominative_of_gender(t, name, None)
}

/// The base forms a Cyrillic name may have: the best reading, then the best of each gender when it
/// differs ("Олександра Кравченко" is Олександра Кравченко, or the genitive of Олександр Кравченко).
pub(crate) fn readings(t: &Tables, name: &str) -> Vec<String> {
    let mut out = vec![nominative_with(t, name).into_owned()];
    if name.chars().any(is_cyrillic) {
        for gender in [Gender::Masculine, Gender::Feminine] {
            let r = nominative_of_gender(t, name, Some(gender)).into_owned();
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// [`nominative_with`], reading only readings of `gender` when given.
fn nominative_of_gender<'n>(t: &Tables, name: &'n str, gender: Option<Gender>) -> Cow<'n, str> {
    let inf = &t.inflection;
    let cyrillic = name.chars().any(is_cyrillic);
    let crh = !cyrillic && name.chars().any(|c| inf.crh_letters.contains(&c));
    if !cyrillic && !crh {
        return Cow::Borrowed(name);
    }
    let words = words(name);
    let bases: Vec<String> = if cyrillic {
        let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
        match inf.read_cyrillic(t, &texts, gender) {
            Some(b) => b,
            None => return Cow::Borrowed(name),
        }
    } else {
        let mut b: Vec<String> = words.iter().map(|w| w.text.to_string()).collect();
        if let Some((last, word)) = b.last_mut().zip(words.last()) {
            if let Some(stem) = inf.strip_crh(word.text) {
                *last = stem.to_string();
            }
        }
        b
    };
    if bases.iter().zip(&words).all(|(b, w)| b == w.text) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut at = 0;
    for (w, base) in words.iter().zip(&bases) {
        out.push_str(&name[at..w.start]);
        out.push_str(base);
        at = w.start + w.text.len();
    }
    out.push_str(&name[at..]);
    Cow::Owned(out)
}

/// The name with every word in its base (nominative) form: Russian and Ukrainian case endings come off
/// by the reading on which all words agree in case and gender, a Crimean Tatar case suffix comes off the
/// last word. A name the tables cannot read is returned as it is; Latin names in English are untouched.
///
/// ```
/// use casebook_names::nominative;
/// assert_eq!(nominative("Наримана Джеляла"), "Нариман Джелял");
/// assert_eq!(nominative("Асана Ахтемова"), "Асан Ахтемов");
/// assert_eq!(nominative("Эльвиры Мустафаевой"), "Эльвира Мустафаева");
/// assert_eq!(nominative("Nariman Celâlni"), "Nariman Celâl");
/// assert_eq!(nominative("Nariman Dzhelyal"), "Nariman Dzhelyal");
/// ```
pub fn nominative(name: &str) -> Cow<'_, str> {
    nominative_with(crate::tables::tables(), name)
}

/// The candidate base forms of one name word, the word itself first: every form the case tables allow
/// ("Ахтемова" → Ахтемова, Ахтемов; "Celâlniñ" → Celâlniñ, Celâl). Which one a name means is decided
/// by the words around it (see [`nominative`]).
pub fn base_forms(word: &str) -> Vec<String> {
    let t = crate::tables::tables();
    let inf = &t.inflection;
    let mut out = vec![word.to_string()];
    if word.chars().any(is_cyrillic) {
        for a in inf.analyses(t, word) {
            if !out.contains(&a.base) {
                out.push(a.base);
            }
        }
        if let Some(p) = inf.plural_surname(word) {
            if !out.contains(&p.singular) {
                out.push(p.singular);
            }
        }
    } else if let Some(stem) = inf.strip_crh(word) {
        out.push(stem.to_string());
    }
    out
}

/// Whether `word` is a given name the tables know (`given_names.txt` or `given_name_genders.tsv`), in any
/// script and spelling: "Азіз", "Aziz" and "Азиз" are.
pub fn is_given_name(word: &str) -> bool {
    let t = crate::tables::tables();
    t.inflection.given_gender(t, word).is_some()
}

/// The plural reading of a Slavic surname ("Ахтемовы", "Ахтемови", "Ахтемовых"), or `None` when the word
/// has no plural surname ending.
pub fn plural_surname(word: &str) -> Option<PluralSurname> {
    crate::tables::tables().inflection.plural_surname(word)
}

/// The full names, in the nominative, of the people a plural surname names with their given names:
/// "Асана и Азиза Ахтемовых" → ["Асан Ахтемов", "Азиз Ахтемов"]. `None` when `surname` is not a plural.
pub fn plural_names(given_names: &[&str], surname: &str) -> Option<Vec<String>> {
    let t = crate::tables::tables();
    let plural = t.inflection.plural_surname(surname)?;
    Some(
        given_names
            .iter()
            .map(|given| {
                // Brothers, as a rule: "Азиза Ахтемовых" names Азиз, not Азиза.
                let phrase = format!("{given} {}", plural.same_case);
                let read = nominative_of_gender(t, &phrase, Some(Gender::Masculine)).into_owned();
                let first = read
                    .rsplit_once(' ')
                    .map_or(read.as_str(), |(first, _)| first);
                format!("{first} {}", plural.singular)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{key, score};

    #[test]
    fn a_form_of_either_gender_matches_both_readings() {
        // A masculine genitive given name beside an indeclinable surname reads as a woman's name too.
        let t = crate::tables::tables();
        let r = readings(t, "Олександра Кравченко");
        assert!(r.iter().any(|x| x == "Олександр Кравченко"), "{r:?}");
        assert!(score("Олександр Кравченко", "Олександра Кравченко").value >= 0.5);
        assert!(score("Oleksandr Kravchenko", "Олександра Кравченко").value >= 0.5);
        // Different given names stay apart in every reading.
        assert!(score("Олександр Кравченко", "Миколи Кравченка").value < 0.5);
    }

    #[test]
    fn russian_masculine_oblique_cases() {
        assert_eq!(nominative("Наримана Джеляла"), "Нариман Джелял");
        assert_eq!(nominative("Энверу Крошу"), "Энвер Крош");
        assert_eq!(nominative("Шабана Умерова"), "Шабан Умеров");
        assert_eq!(nominative("Асана Ахтемова"), "Асан Ахтемов");
        assert_eq!(nominative("Тимуром Бекировым"), "Тимур Бекиров");
        assert_eq!(nominative("Сервере Аметове"), "Сервер Аметов");
        assert_eq!(nominative("Игоря Полонского"), "Игорь Полонский");
        assert_eq!(nominative("Сергею Николаеву"), "Сергей Николаев");
        assert_eq!(nominative("Юрия Ганиева"), "Юрий Ганиев");
        assert_eq!(nominative("Ремзи Арифова"), "Ремзи Арифов");
    }

    #[test]
    fn ukrainian_oblique_cases() {
        assert_eq!(nominative("Нарімана Джеляла"), "Наріман Джелял");
        assert_eq!(nominative("Ільмі Умерова"), "Ільмі Умеров");
        assert_eq!(nominative("Рустема Мурасова"), "Рустем Мурасов");
        assert_eq!(nominative("Олександра Кравченка"), "Олександр Кравченко");
        assert_eq!(nominative("Дмитра Захарченка"), "Дмитро Захарченко");
        assert_eq!(nominative("Ельміри Халілової"), "Ельміра Халілова");
        assert_eq!(nominative("Богданові Левицькому"), "Богдан Левицький");
        assert_eq!(nominative("Сергія Ткаченка"), "Сергій Ткаченко");
    }

    #[test]
    fn women_keep_their_names() {
        assert_eq!(nominative("Эльвира Мустафаева"), "Эльвира Мустафаева");
        assert_eq!(nominative("Эльвиры Мустафаевой"), "Эльвира Мустафаева");
        assert_eq!(nominative("Лилию Ахтемову"), "Лилия Ахтемова");
        assert_eq!(nominative("Лутфие Зудиева"), "Лутфие Зудиева");
        assert_eq!(nominative("Эльмаз Сейтаблаевой"), "Эльмаз Сейтаблаева");
        assert_eq!(nominative("Наталія Поклонська"), "Наталія Поклонська");
        assert_eq!(nominative("Наталії Поклонської"), "Наталія Поклонська");
    }

    #[test]
    fn nominatives_stay_as_written() {
        for name in [
            "Нариман Джелял",
            "Николай Семена",
            "Заир Смедля",
            "Эмир-Усеин Куку",
            "Рефат Чубаров",
            "Нариман Февзиевич Джелял",
            "Олег Сенцов",
            "Володимир Балух",
            "Nariman Dzhelyal",
            "Asan Akhtemova",
            "Giovanni Bernini",
            // Genders that disagree are no reason to read a case the words do not show.
            "Олександра Кебаров",
        ] {
            assert_eq!(nominative(name), name, "{name}");
        }
    }

    #[test]
    fn a_lone_word_changes_only_on_strong_evidence() {
        assert_eq!(nominative("Ахтемова"), "Ахтемова");
        assert_eq!(nominative("Джелялу"), "Джелялу");
        assert_eq!(nominative("Джелялом"), "Джелял");
        assert_eq!(nominative("Ахтемовой"), "Ахтемова");
        assert_eq!(nominative("Наримана"), "Нариман");
    }

    #[test]
    fn crimean_tatar_suffixes_come_off_the_last_word() {
        assert_eq!(nominative("Nariman Celâlni"), "Nariman Celâl");
        assert_eq!(nominative("Nariman Celâlniñ"), "Nariman Celâl");
        assert_eq!(nominative("Server Mustafayevge"), "Server Mustafayevge");
        assert_eq!(nominative("Emir-Usein Kukunıñ"), "Emir-Usein Kuku");
        assert_eq!(nominative("Asan Ahtemovğa"), "Asan Ahtemov");
        assert_eq!(nominative("Nariman Celâl"), "Nariman Celâl");
        assert_eq!(nominative("Nariman Celâlden"), "Nariman Celâl");
        // Turkish names that end like a case suffix keep their ending.
        assert_eq!(nominative("Ayşe Kızıltan"), "Ayşe Kızıltan");
        assert_eq!(nominative("Fatma Gülten"), "Fatma Gülten");
        assert_eq!(nominative("Recep Erdoğan"), "Recep Erdoğan");
    }

    #[test]
    fn base_forms_list_the_candidates() {
        let forms = base_forms("Ахтемова");
        assert_eq!(forms.first().map(String::as_str), Some("Ахтемова"));
        assert!(forms.iter().any(|f| f == "Ахтемов"), "{forms:?}");
        assert_eq!(base_forms("Celâlniñ"), ["Celâlniñ", "Celâl"]);
        assert_eq!(base_forms("Dzhelyal"), ["Dzhelyal"]);
        assert!(is_given_name("Азіз") && is_given_name("Aziz") && !is_given_name("Ахтемов"));
        assert!(base_forms("Ялти").iter().any(|f| f == "Ялта"));
    }

    #[test]
    fn plural_surnames_give_the_singular() {
        let singular = |w: &str| plural_surname(w).map(|p| p.singular);
        assert_eq!(singular("Ахтемовы").as_deref(), Some("Ахтемов"));
        assert_eq!(singular("Ахтемови").as_deref(), Some("Ахтемов"));
        assert_eq!(singular("Ахтемових").as_deref(), Some("Ахтемов"));
        assert_eq!(singular("Ахтемов"), None);
        assert_eq!(singular("Akhtemovy"), None);
        assert!(plural_surname("Ахтемовым").is_some_and(|p| p.also_singular));
        assert_eq!(
            plural_names(&["Асана", "Азиза"], "Ахтемовых"),
            Some(vec!["Асан Ахтемов".to_string(), "Азиз Ахтемов".to_string()])
        );
        assert_eq!(
            plural_names(&["Асан", "Азіз"], "Ахтемови"),
            Some(vec!["Асан Ахтемов".to_string(), "Азіз Ахтемов".to_string()])
        );
        assert_eq!(plural_names(&["Асан"], "Ахтемов"), None);
    }

    #[test]
    fn keys_and_scores_of_inflected_names_equal_the_nominative() {
        assert_eq!(key("Наримана Джеляла"), key("Нариман Джелял"));
        assert_eq!(key("Асана Ахтемова"), key("Asan Akhtemov"));
        assert_eq!(key("Nariman Celâlniñ"), key("Nariman Dzhelyal"));
        assert!(score("Наримана Джеляла", "Нариман Джелял").is_match());
        assert!(score("Асана Ахтемова", "Asan Akhtemov").is_match());
        assert!(score("Энверу Крошу", "Enver Krosh").is_match());
        assert!(score("Нарімана Джеляла", "Nariman Celâlni").is_match());
        // The masculine genitive is not read as a woman, and a woman stays a woman.
        assert!(!score("Эльвиры Мустафаевой", "Elvir Mustafaev").is_match());
        assert!(!score("Лилия Ахтемова", "Asan Akhtemov").is_match());
        assert!(!score("Асана Ахтемова", "Aziz Akhtemov").is_match());
    }

    #[test]
    fn odd_input_never_panics() {
        for name in [
            "",
            "-",
            "а",
            "Ая",
            "-Наримана-",
            "'Джеляла'",
            "İİnıñ Çelâlnıñ",
            "ĞĞĞ",
            "Н. Джеляла",
            "ДЖЕЛЯЛА НАРИМАНА",
            "\u{301}Асана Ахтемова\u{301}",
            "Асана  Ахтемова , Лилии",
        ] {
            let _ = nominative(name);
            let _ = key(name);
            for word in name.split(' ') {
                let _ = base_forms(word);
                let _ = plural_surname(word);
            }
        }
        assert_eq!(nominative("НАРИМАНА ДЖЕЛЯЛА"), "НАРИМАН ДЖЕЛЯЛ");
        assert_eq!(nominative("Н. Джеляла"), "Н. Джеляла");
    }

    #[test]
    fn the_tables_load() {
        let t = crate::tables::load().unwrap_or_else(|e| panic!("{e}"));
        assert!(t.inflection.endings.len() > 50);
        assert!(!t.inflection.crh.is_empty());
        assert_eq!(t.inflection.genders.get("elmaz"), Some(&Gender::Feminine));
    }
}
