//! Person mentions: runs of capitalised words accepted as names on evidence, bare surnames and given
//! names linked to the full names of the same article, and one [`ArticlePerson`] per person.

use crate::entities::Mark;
use crate::lexicon::Lexicon;
use crate::token::{Case, Kind, Token};
use casebook_model::{ArticlePerson, PersonMention};

/// Quotation marks.
const QUOTES: &str = "\"“”«»„'‘’";

/// How a name's word reads on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Given,
    Initial,
    Patronymic,
    /// Has a surname ending; `true` when the ending is telling alone.
    Surname(bool),
    Known,
    Other,
}

/// A person of this article while mentions are still being linked.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    name_words: usize,
    name_initials: usize,
    surname: String,
    given: Option<String>,
    given_initial: Option<char>,
    /// Keys of the other base forms the given name was read from ("Олександра" may be the genitive of
    /// Олександр): a mention of the article with one of them is the same person.
    given_alternatives: Vec<String>,
    /// The name was written in the nominative and reads no other way: it is kept over a name read back
    /// from an oblique case, or one that might be.
    name_as_written: bool,
    /// Token start of each mention, for finding the nearest one.
    mention_starts: Vec<usize>,
}

impl Person {
    /// Records a mention starting at token `at`, keeping the starts sorted.
    fn add_mention(&mut self, at: usize) {
        let pos = self.mention_starts.partition_point(|&s| s < at);
        self.mention_starts.insert(pos, at);
    }

    /// Start of this person's last mention before token `at`.
    fn last_before(&self, at: usize) -> Option<usize> {
        let pos = self.mention_starts.partition_point(|&s| s < at);
        pos.checked_sub(1).map(|p| self.mention_starts[p])
    }
}

/// A mention before persons are numbered: a token range and the person it names.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub first: usize,
    pub last: usize,
    pub person: usize,
}

/// The people of one article, with the token ranges of their mentions.
pub struct People {
    pub persons: Vec<ArticlePerson>,
    pub found: Vec<Found>,
}

/// Context around a token range that speaks for a name.
fn title_before(lex: &Lexicon, tokens: &[Token], first: usize) -> bool {
    let Some(prev) = first.checked_sub(1).and_then(|p| tokens.get(p)) else {
        return false;
    };
    if prev.kind != Kind::Word {
        return false;
    }
    let word = prev.lower.as_str();
    lex.titles
        .longest_at(|k| if k == 0 { Some(word) } else { None })
        .is_some()
        || lex
            .roles
            .longest_at(|k| if k == 0 { Some(word) } else { None })
            .is_some()
        || lex.relations.contains_key(word)
}

fn cue_after(lex: &Lexicon, tokens: &[Token], last: usize) -> bool {
    tokens
        .get(last)
        .is_some_and(|t| t.kind == Kind::Word && lex.cues_after.contains(&t.lower))
}

/// True when `t` is a single-word title or role ("President", "Lawyer"): it stands before names,
/// never inside them.
fn is_title_word(lex: &Lexicon, t: &Token) -> bool {
    let word = t.lower.as_str();
    let one = |k: usize| if k == 0 { Some(word) } else { None };
    lex.titles.longest_at(one) == Some(1) || lex.roles.longest_at(one) == Some(1)
}

fn is_name_token(lex: &Lexicon, t: &Token, mark: Mark) -> bool {
    mark == Mark::Free
        && match t.kind {
            Kind::Initial => true,
            Kind::Word => {
                t.case != Case::Lower && !lex.not_names.contains(&t.lower) && !is_title_word(lex, t)
            }
            _ => false,
        }
}

fn classify(lex: &Lexicon, t: &Token, bases: &[String]) -> Class {
    if t.kind == Kind::Initial {
        return Class::Initial;
    }
    if t.kind != Kind::Word || t.case == Case::Lower {
        return Class::Other;
    }
    if lex.is_given_name(&t.lower) {
        Class::Given
    } else if lex.known_people.contains(&t.lower) {
        Class::Known
    } else if t.cyrillic
        && (casebook_names::is_given_name(&t.lower)
            || bases
                .iter()
                .any(|b| lex.is_given_name(b) || casebook_names::is_given_name(b)))
    {
        // An inflected given name ("Наримана", "Сервером"), or one the names stage knows in another
        // spelling ("Азіз").
        Class::Given
    } else if let Some(alone) = lex.surname_shape(&t.lower) {
        Class::Surname(alone)
    } else if lex.is_patronymic(&t.lower) {
        Class::Patronymic
    } else {
        Class::Other
    }
}

/// Whether a run of two to four capitalised words is a name.
fn run_is_name(
    lex: &Lexicon,
    tokens: &[Token],
    classes: &[Class],
    first: usize,
    last: usize,
) -> bool {
    let words = &tokens[first..last];
    let has = |f: fn(Class) -> bool| classes.iter().any(|&c| f(c));
    let given = has(|c| c == Class::Given);
    let surname = has(|c| matches!(c, Class::Surname(_) | Class::Known));
    let initial = has(|c| c == Class::Initial) && words.iter().any(|t| t.kind == Kind::Word);
    // Cyrillic capitals vouch for a name, but not when the first opens a sentence ("Приговор Джеляла").
    let cyrillic =
        words.iter().all(|t| t.cyrillic && t.case == Case::Title) && !words[0].sentence_start;
    // Runs of acronyms ("NGO UNHCR") are not names unless a name word vouches for them.
    let acronyms = words
        .iter()
        .any(|t| t.kind == Kind::Word && t.case == Case::Upper);
    if acronyms && !given && !surname {
        return false;
    }
    if words.iter().all(|t| t.kind == Kind::Initial) {
        return false;
    }
    given
        || surname
        || initial
        || cyrillic
        || title_before(lex, tokens, first)
        || cue_after(lex, tokens, last)
}

/// Folds a surname or given name for comparison inside one article, across spellings and scripts
/// ("Dzhelyal", "Celâl" and "Джелял" share a key).
fn key(word: &str) -> String {
    casebook_names::key(word)
}

/// The nominative name of a run of tokens and the word of it at each token, when the two line up.
fn nominative_words(surface: &str, tokens: usize) -> (String, Option<Vec<String>>) {
    let name = casebook_names::nominative(surface).into_owned();
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let aligned = (words.len() == tokens).then_some(words);
    (name, aligned)
}

struct Linker<'a> {
    lex: &'a Lexicon,
    text: &'a str,
    tokens: &'a [Token],
    bases: &'a [Vec<String>],
    persons: Vec<Person>,
    found: Vec<Found>,
}

impl<'a> Linker<'a> {
    fn surface(&self, first: usize, last: usize) -> &'a str {
        let (Some(a), Some(b)) = (
            self.tokens.get(first),
            last.checked_sub(1).and_then(|l| self.tokens.get(l)),
        ) else {
            return "";
        };
        self.text.get(a.start_byte..b.end_byte).unwrap_or("")
    }

    /// The people a plural surname names with the given names before it ("Азиз Ахтемовы" after "Асан
    /// и", "братья Ахтемовы"), in the nominative and singular; `None` when the run is not such a name.
    fn plural_name(&self, first: usize, last: usize) -> Option<String> {
        let surname = self.tokens.get(last.checked_sub(1)?)?;
        let before = first.checked_sub(1).and_then(|p| self.tokens.get(p));
        let joined = before.is_some_and(|t| self.lex.name_joiners.contains(&t.lower));
        let family = before.is_some_and(|t| self.lex.plural_relations.contains(&t.lower));
        if !surname.cyrillic || !(joined || family) || last - first < 2 {
            return None;
        }
        let plural = casebook_names::plural_surname(surname.text(self.text))?;
        if plural.also_singular && !joined {
            return None;
        }
        let given = self.surface(first, last - 1);
        casebook_names::plural_names(&[given], surname.text(self.text))?
            .into_iter()
            .next()
    }

    /// Links a full name (two or more words) to a person, creating one if needed.
    fn add_full(&mut self, first: usize, last: usize, classes: &[Class]) {
        let toks = &self.tokens[first..last];
        let (name, words) = match self.plural_name(first, last) {
            Some(name) => nominative_words(&name, toks.len()),
            None => nominative_words(self.surface(first, last), toks.len()),
        };
        // Keys of the name's words in their base form, so "Наримана Джеляла" links to "Нариман Джелял".
        let word_key = |k: usize| match words.as_ref().and_then(|w| w.get(k)) {
            Some(w) => key(w),
            None => key(&toks[k].lower),
        };
        let surname_at = (0..toks.len())
            .rev()
            .find(|&k| {
                !matches!(
                    classes[k],
                    Class::Given | Class::Initial | Class::Patronymic
                )
            })
            .unwrap_or(toks.len() - 1);
        let surname = word_key(surname_at);
        let given_at =
            (0..toks.len()).find(|&k| k != surname_at && classes[k] != Class::Patronymic);
        let (given, given_initial) = match given_at {
            Some(k) if classes[k] == Class::Initial => (None, key(&toks[k].lower).chars().next()),
            Some(k) => {
                let g = word_key(k);
                let initial = g.chars().next();
                (Some(g), initial)
            }
            None => (None, None),
        };
        let given_alternatives: Vec<String> = given_at
            .filter(|&k| classes[k] != Class::Initial)
            .map(|k| {
                let mut alts: Vec<String> = self.bases[first + k].iter().map(|b| key(b)).collect();
                alts.push(key(&toks[k].lower));
                alts.retain(|a| Some(a) != given.as_ref());
                alts
            })
            .unwrap_or_default();
        // A name written in the nominative whose given name reads no other way is sure.
        let as_written = name == self.surface(first, last) && given_alternatives.is_empty();
        let compatible = |p: &Person| {
            !surname.is_empty()
                && p.surname == surname
                && match (&p.given, &given) {
                    (Some(a), Some(b)) => {
                        a == b || given_alternatives.contains(a) || p.given_alternatives.contains(b)
                    }
                    _ => match (p.given_initial, given_initial) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    },
                }
        };
        let existing = self
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| compatible(p))
            .max_by_key(|(_, p)| p.last_before(first))
            .map(|(i, _)| i);
        let words = toks.len();
        let initials = classes.iter().filter(|&&c| c == Class::Initial).count();
        let person = match existing {
            Some(i) => {
                let p = &mut self.persons[i];
                if (words, std::cmp::Reverse(initials), as_written)
                    > (
                        p.name_words,
                        std::cmp::Reverse(p.name_initials),
                        p.name_as_written,
                    )
                {
                    if as_written && !p.name_as_written {
                        // The nominative as written settles which reading the oblique form was.
                        p.given = given.clone();
                        p.given_initial = given_initial;
                    }
                    p.name = name;
                    p.name_words = words;
                    p.name_initials = initials;
                    p.name_as_written = as_written;
                }
                if p.given.is_none() && given.is_some() {
                    p.given = given;
                    p.given_initial = given_initial;
                }
                p.add_mention(first);
                i
            }
            None => {
                self.persons.push(Person {
                    name,
                    name_words: words,
                    name_initials: initials,
                    surname,
                    given,
                    given_initial,
                    given_alternatives,
                    name_as_written: as_written,
                    mention_starts: vec![first],
                });
                self.persons.len() - 1
            }
        };
        self.found.push(Found {
            first,
            last,
            person,
        });
    }

    /// The person among `candidates` mentioned nearest before token `at`, else first after it.
    /// Records the one-word mention at `at` as of `person`.
    fn found_word(&mut self, person: usize, at: usize) {
        self.persons[person].add_mention(at);
        self.found.push(Found {
            first: at,
            last: at + 1,
            person,
        });
    }

    fn nearest(&self, at: usize, candidates: impl Iterator<Item = usize> + Clone) -> Option<usize> {
        let before = candidates
            .clone()
            .filter_map(|i| self.persons[i].last_before(at).map(|s| (s, i)))
            .max();
        if let Some((_, i)) = before {
            return Some(i);
        }
        candidates
            .filter_map(|i| self.persons[i].mention_starts.first().map(|&s| (s, i)))
            .min()
            .map(|(_, i)| i)
    }

    /// Links a single capitalised word to a person of the article, or takes it as a new person when
    /// the lexicons or its context vouch for it.
    fn add_single(&mut self, at: usize) {
        let t = &self.tokens[at];
        if self
            .tokens
            .get(at + 1)
            .is_some_and(|n| self.lex.not_person_after.contains(&n.lower))
            || named_after(self.lex, self.tokens, at)
        {
            return;
        }
        // A word in quotation marks on its own ("Oleg" instead of "Oleh") is talked about, not a person.
        let quote = |t: Option<&Token>| {
            t.is_some_and(|t| t.kind == Kind::Punct && QUOTES.contains(t.lower.as_str()))
        };
        if at > 0 && quote(self.tokens.get(at - 1)) && quote(self.tokens.get(at + 1)) {
            return;
        }
        let k = key(&t.lower);
        let mut linked = self.link_single(at, &k);
        if linked.is_none() {
            // An inflected word names the person of its base form: "Джеляла", "Умеровим".
            linked = self.bases[at]
                .iter()
                .find_map(|b| self.link_single(at, &key(b)));
        }
        let plural = (t.cyrillic && !self.lex.is_given_name(&t.lower))
            .then(|| casebook_names::plural_surname(t.text(self.text)))
            .flatten()
            .filter(|p| !p.also_singular);
        if linked.is_none() {
            if let Some(p) = &plural {
                // "брати Ахтемових": a family; it names a brother the article names in full, or nobody.
                linked = self.link_single(at, &key(&p.singular));
                if linked.is_none() {
                    return;
                }
            }
        }
        if linked.is_none() && t.cyrillic {
            // Russian and Ukrainian decline names: "Джелялу" names Джелял.
            linked = self
                .lex
                .cyrillic_case_endings
                .iter()
                .filter_map(|e| {
                    t.lower
                        .strip_suffix(e.as_str())
                        .filter(|stem| stem.chars().count() >= 3)
                })
                .find_map(|stem| self.link_single(at, &key(stem)));
        }
        let person = match linked {
            Some(i) => i,
            None => {
                if !self.single_is_name(at) {
                    return;
                }
                let given = self.is_given(at);
                let name = casebook_names::nominative(t.text(self.text)).into_owned();
                self.persons.push(Person {
                    name_as_written: name == t.text(self.text),
                    given_alternatives: Vec::new(),
                    name,
                    name_words: 1,
                    name_initials: 0,
                    surname: if given { String::new() } else { k.clone() },
                    given: if given { Some(k.clone()) } else { None },
                    given_initial: k.chars().next(),
                    mention_starts: Vec::new(),
                });
                self.persons.len() - 1
            }
        };
        self.found_word(person, at);
    }

    /// The person a lone word keyed `k` refers to: by surname, else by given name.
    fn link_single(&self, at: usize, k: &str) -> Option<usize> {
        if k.is_empty() {
            return None;
        }
        let by_surname = self.nearest(
            at,
            (0..self.persons.len()).filter(|&i| self.persons[i].surname == k),
        );
        by_surname.or_else(|| {
            let same_given =
                (0..self.persons.len()).filter(|&i| self.persons[i].given.as_deref() == Some(k));
            // "his sister Elmaz" introduces someone new: such a given name may only refer back.
            let introduced = self.after_relation(at);
            if introduced {
                same_given
                    .filter_map(|i| self.persons[i].last_before(at).map(|s| (s, i)))
                    .max()
                    .map(|(_, i)| i)
            } else {
                self.nearest(at, same_given)
            }
        })
    }

    /// True when the word at `at` is a given name, in any case form ("Энвера").
    fn is_given(&self, at: usize) -> bool {
        self.lex.is_given_name(&self.tokens[at].lower)
            || (self.tokens[at].cyrillic
                && self.bases[at].iter().any(|b| self.lex.is_given_name(b)))
    }

    /// True when the word at `at` follows a relation word ("его жена Эльвира"), or a relation word and
    /// the name of whose relative it is ("отца Мустафаева Энвера").
    fn after_relation(&self, at: usize) -> bool {
        let relation = |i: Option<usize>| {
            i.and_then(|p| self.tokens.get(p))
                .is_some_and(|t| self.lex.relations.contains_key(&t.lower))
        };
        relation(at.checked_sub(1))
            || (relation(at.checked_sub(2))
                && at
                    .checked_sub(1)
                    .and_then(|p| self.tokens.get(p))
                    .is_some_and(|t| t.cyrillic && t.case == Case::Title))
    }

    /// Evidence that a lone capitalised word no full name explains is a person.
    fn single_is_name(&self, at: usize) -> bool {
        let t = &self.tokens[at];
        if t.kind != Kind::Word {
            return false;
        }
        if self.lex.known_people.contains(&t.lower) {
            return true;
        }
        if t.case == Case::Upper {
            return false;
        }
        if self.lex.surname_shape(&t.lower) == Some(true) {
            return true;
        }
        if title_before(self.lex, self.tokens, at) {
            return true;
        }
        // "его жена Эльвира": a given name right after a relation word.
        if self.is_given(at) && self.after_relation(at) {
            return true;
        }
        // A verb of saying after the word: but "Witnesses said" opens a sentence with a plain noun.
        let plural_noun = t.lower.ends_with('s')
            && !self.lex.is_given_name(&t.lower)
            && self.lex.surname_shape(&t.lower).is_none();
        cue_after(self.lex, self.tokens, at + 1) && !(t.sentence_start && plural_noun)
    }

    /// "Asan and Aziz Akhtemov": a lone given name joined to a full name shares its surname.
    fn add_coordinated(&mut self, at: usize, full: (usize, usize), classes: &[Class]) {
        let (first, last) = full;
        let surname_at = (first..last).rev().find(|&k| {
            !matches!(
                classes[k - first],
                Class::Given | Class::Initial | Class::Patronymic
            )
        });
        let Some(surname_at) = surname_at else { return };
        let surname_tok = &self.tokens[surname_at];
        let given_text = self.tokens[at].text(self.text);
        let surname_text = surname_tok.text(self.text);
        // "Асана и Азиза Ахтемовых": each brother bears the singular surname.
        let name = casebook_names::plural_names(&[given_text], surname_text)
            .and_then(|names| names.into_iter().next())
            .unwrap_or_else(|| {
                casebook_names::nominative(&format!("{given_text} {surname_text}")).into_owned()
            });
        let (first_word, last_word) = name.rsplit_once(' ').unwrap_or((&name, &name));
        let given = key(first_word);
        let surname = key(last_word);
        let existing = self
            .persons
            .iter()
            .position(|p| p.surname == surname && p.given.as_deref() == Some(given.as_str()));
        let person = match existing {
            Some(i) => i,
            None => {
                self.persons.push(Person {
                    name,
                    name_words: 2,
                    name_initials: 0,
                    surname,
                    given_initial: given.chars().next(),
                    given: Some(given),
                    given_alternatives: Vec::new(),
                    name_as_written: false,
                    mention_starts: Vec::new(),
                });
                self.persons.len() - 1
            }
        };
        self.found_word(person, at);
    }
}

/// True when the word before token `at` makes the name a place's ("парку Шевченка", "улица Ленина").
fn named_after(lex: &Lexicon, tokens: &[Token], at: usize) -> bool {
    at.checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|t| lex.named_places.contains(&t.lower))
}

/// The part of a run of capitalised words that may be a name, or `None` when none is.
fn name_bounds(
    lex: &Lexicon,
    tokens: &[Token],
    classes: &[Class],
    mut first: usize,
    mut last: usize,
) -> Option<(usize, usize)> {
    // "з Ялти Вадим Сірук": a place after a preposition is not the name's first word.
    if last - first >= 3
        && classes[first] != Class::Given
        && classes[first + 1] == Class::Given
        && first
            .checked_sub(1)
            .is_some_and(|p| lex.place_prepositions.contains(&tokens[p].lower))
    {
        first += 1;
    }
    // "У Зекирьи Мамутова": a one-letter Cyrillic word without a full stop is a preposition or a
    // conjunction opening the sentence, never an initial.
    if last - first >= 2
        && tokens[first].cyrillic
        && tokens[first].kind == Kind::Word
        && tokens[first].lower.chars().count() == 1
    {
        first += 1;
    }
    if named_after(lex, tokens, first) {
        return None;
    }
    // "Новотроицка Оренбургской области": Cyrillic words before an administrative word are a place.
    if tokens[first].cyrillic
        && tokens
            .get(last)
            .is_some_and(|t| lex.not_person_after.contains(&t.lower))
    {
        return None;
    }
    // "Nariman Dzhelyal Sentenced To 17 Years": a headline verb is not the name's last word.
    while last - first >= 2
        && classes[last - 1] == Class::Other
        && lex.is_headline_verb(&tokens[last - 1].lower)
    {
        last -= 1;
    }
    Some((first, last))
}

/// The names a run of capitalised words `first..last` holds: usually one, without a sentence opener's
/// unknown first word; two for two names side by side, or for a surname and the given name of the
/// relative it is followed by ("отца Мустафаева Энвера").
fn name_parts(
    lex: &Lexicon,
    tokens: &[Token],
    classes: &[Class],
    first: usize,
    last: usize,
) -> Vec<(usize, usize)> {
    let mut parts = vec![(first, last)];
    let len = last - first;
    // "Commenting Nariman Dzhelyal": an unknown sentence opener before a given name is not a name.
    if len >= 2
        && tokens[first].sentence_start
        && tokens[first].case == Case::Title
        && classes[first] == Class::Other
        && classes[first + 1] == Class::Given
    {
        parts = vec![(first + 1, last)];
    }
    // "отца Мустафаева Энвера": after a relation word, a Cyrillic surname in the genitive names whose
    // relative the given name after it is ("Mustafaev's father, Enver"), not one name written surname
    // first.
    if len == 2
        && tokens[first].cyrillic
        && classes[first] != Class::Given
        && classes[first + 1] == Class::Given
        && first
            .checked_sub(1)
            .is_some_and(|p| lex.relations.contains_key(&tokens[p].lower))
    {
        parts = vec![(first, first + 1), (first + 1, last)];
    }
    // Two full names side by side: "Given Surname Given Surname".
    if len == 4
        && classes[first] == Class::Given
        && classes[first + 2] == Class::Given
        && classes[first + 1] != Class::Given
    {
        parts = vec![(first, first + 2), (first + 2, last)];
    }
    parts
}

/// Finds and links the person mentions among `tokens`.
pub fn find(
    lex: &Lexicon,
    text: &str,
    tokens: &[Token],
    bases: &[Vec<String>],
    marks: &[Mark],
) -> People {
    // Runs of name-like tokens, cut at line breaks.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_name_token(lex, &tokens[i], marks[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < tokens.len()
            && !tokens[i].line_break_before
            && is_name_token(lex, &tokens[i], marks[i])
        {
            i += 1;
        }
        runs.push((start, i));
    }

    let classes: Vec<Class> = tokens
        .iter()
        .zip(bases)
        .map(|(t, b)| classify(lex, t, b))
        .collect();
    let mut full: Vec<(usize, usize)> = Vec::new();
    let mut singles: Vec<usize> = Vec::new();
    for (first, last) in runs {
        let Some((first, last)) = name_bounds(lex, tokens, &classes, first, last) else {
            continue;
        };
        let parts = name_parts(lex, tokens, &classes, first, last);
        for (a, b) in parts {
            match b - a {
                1 => singles.push(a),
                2..=4 if run_is_name(lex, tokens, &classes[a..b], a, b) => full.push((a, b)),
                // A sentence's capitalised first word glued to what follows: try without it.
                2..=4 if tokens[a].sentence_start && tokens[a].case == Case::Title => match b - a {
                    2 => singles.push(a + 1),
                    _ if run_is_name(lex, tokens, &classes[a + 1..b], a + 1, b) => {
                        full.push((a + 1, b))
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }

    let mut linker = Linker {
        lex,
        text,
        tokens,
        bases,
        persons: Vec::new(),
        found: Vec::new(),
    };
    for &(a, b) in &full {
        linker.add_full(a, b, &classes[a..b]);
    }
    for &at in &singles {
        let coordinated = (classes[at] == Class::Given
            && tokens
                .get(at + 1)
                .is_some_and(|t| lex.name_joiners.contains(&t.lower)))
        .then(|| {
            full.iter()
                .find(|&&(a, _)| a == at + 2)
                .filter(|&&(a, _)| classes[a] == Class::Given)
                .copied()
        })
        .flatten();
        match coordinated {
            Some(run) => linker.add_coordinated(at, run, &classes[run.0..run.1]),
            None => linker.add_single(at),
        }
    }

    // Number persons by first mention, so that the output reads in text order.
    linker.found.sort_by_key(|f| f.first);
    let mut order: Vec<Option<usize>> = vec![None; linker.persons.len()];
    let mut next = 0;
    for f in &linker.found {
        if order[f.person].is_none() {
            order[f.person] = Some(next);
            next += 1;
        }
    }
    let mut persons: Vec<Option<ArticlePerson>> = vec![None; next];
    for (old, p) in linker.persons.iter().enumerate() {
        if let Some(new) = order[old] {
            persons[new] = Some(ArticlePerson {
                name: p.name.clone(),
                descriptors: Vec::new(),
                relations: Vec::new(),
            });
        }
    }
    let found = linker
        .found
        .iter()
        .filter_map(|f| {
            order[f.person].map(|person| Found {
                first: f.first,
                last: f.last,
                person,
            })
        })
        .collect();
    People {
        persons: persons.into_iter().flatten().collect(),
        found,
    }
}

/// Turns found mentions into model values.
pub fn to_mentions(text: &str, tokens: &[Token], found: &[Found]) -> Vec<PersonMention> {
    found
        .iter()
        .filter_map(|f| {
            let (a, b) = (tokens.get(f.first)?, tokens.get(f.last.checked_sub(1)?)?);
            Some(PersonMention {
                text: text.get(a.start_byte..b.end_byte)?.to_string(),
                start: a.start,
                end: b.end,
                person: f.person,
            })
        })
        .collect()
}
