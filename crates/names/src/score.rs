//! Same-person scores for two names, with the reasons.
//!
//! Both names are keyed (see [`crate::key`]) and split into core tokens (given names and surnames),
//! initials and an optional patronymic. The core tokens of the shorter name are aligned, order-free, with
//! those of the longer one; each aligned pair gets a token score in [0, 1] by the first rule that applies:
//! equal keys; the given-name table (equivalent, or two different listed names); Slavic feminine against
//! masculine surname forms (never a match); Jaro-Winkler on the keys; a bare Crimean Tatar surname against
//! its Slavicised form. A token score of 0.5 or more means "these tokens may be the same name".
//!
//! The name score is below 0.5 unless EVERY aligned core token matches, so a shared surname or given
//! name alone never makes a match; one core token on either side (a bare surname) stays below 0.5 even
//! with an agreeing initial, because an initial cannot tell brothers apart; initials and patronymics that
//! disagree pull the score down.

use crate::key::{key_tokens, KeyToken};
use crate::tables::{tables, Tables};
use serde::Serialize;
use std::fmt;

/// Jaro-Winkler on keys from which a token pair counts as the same name. Chosen on the variant pairs:
/// residual typos (Bekirov/Bakirov 0.91, Karametov/Karametor 0.96) lie above, different surnames
/// that share a stem (Memetov/Seitmemetov) below.
const JW_MATCH: f64 = 0.88;
/// Jaro-Winkler a bare surname's key needs with the stem of a Slavicised form (Dzheppar ~ Dzhaparova).
const JW_STEM: f64 = 0.85;
/// Token score of a given-name translation (Mykola = Nikolai): certain, but not the same spelling.
const GIVEN_NAME_EQUIVALENT: f64 = 0.95;
/// Token score of a bare surname against its Slavicised form: a match a reviewer should confirm.
const SLAVICISED: f64 = 0.6;
/// Token score of two different listed given names, or of feminine against masculine forms.
const DIFFERENT: f64 = 0.1;
/// Largest score of a name with one core token against any name (a bare surname never matches alone).
const SINGLE_TOKEN_CAP: f64 = 0.4;
/// Largest score of a bare surname whose initial agrees: still below 0.5, as brothers share initials.
const SINGLE_TOKEN_WITH_INITIAL_CAP: f64 = 0.48;
/// Score ceiling once initials or patronymics disagree.
const CONTRADICTED: f64 = 0.2;
/// Deducted per core token of the longer name left without a partner (Emir-Usein Kuku / Usein Kuku).
const EXTRA_TOKEN_PENALTY: f64 = 0.05;

/// The rule by which two tokens were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The keys are equal (Dzhelyal = Celâl = Джелял).
    ExactKey,
    /// Translations of one given name (Mykola = Nikolai), from the given-name table.
    GivenNameEquivalence,
    /// Two given names the table lists as different names (Server, Servet).
    DistinctGivenNames,
    /// A feminine and a masculine surname form (Mustafayeva, Mustafayev), or Aziza and Aziz.
    GenderForms,
    /// Jaro-Winkler likeness of the keys (strsim).
    JaroWinkler,
    /// A bare Crimean Tatar surname and a Slavicised form (Smedlya, Smedlyaev).
    SlavicisedSurname,
    /// An initial and a word that starts with it, or two equal initials.
    Initial,
}

/// Two tokens that were compared and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenMatch {
    /// Key of the token from the first name.
    pub left: String,
    /// Key of the token from the second name.
    pub right: String,
    pub rule: Rule,
    /// Token score in [0, 1]; 0.5 and more means the tokens may be the same name.
    pub score: f64,
}

/// Facts about the two names as wholes that moved the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// A name had no letters to compare.
    Empty,
    /// One name has a single core token: a shared surname or given name is not enough.
    SingleToken,
    /// Core tokens of the longer name that had no partner.
    ExtraTokens(usize),
    /// An initial agreed with a word of the other name.
    InitialAgrees,
    /// An initial disagreed with every word of the other name left to compare.
    InitialDisagrees,
    /// Both names carry a patronymic, and they agree.
    PatronymicsAgree,
    /// Both names carry a patronymic, and they differ: different fathers.
    PatronymicsDiffer,
}

/// Why a score is what it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// Aligned core tokens, then initials and patronymics that were compared.
    pub tokens: Vec<TokenMatch>,
    pub notes: Vec<Note>,
}

/// How likely two names are to name the same person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// In [0, 1]; 0.5 and above means "the same person".
    pub value: f64,
    pub explanation: Explanation,
}

impl Score {
    /// Whether the score says "the same person" (0.5 and above).
    pub fn is_match(&self) -> bool {
        self.value >= 0.5
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for t in &self.tokens {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{} ~ {}: {:?} {:.3}", t.left, t.right, t.rule, t.score)?;
        }
        for n in &self.notes {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{n:?}")?;
        }
        Ok(())
    }
}

/// One token of a prepared name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub key: String,
    /// Line of the given-name table the key is on, if any.
    pub given: Option<u32>,
    pub folded_first: Option<u8>,
}

/// A name split and keyed once, for scoring against many others (see [`crate::PersonIndex`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PreparedName {
    pub(crate) core: Vec<Token>,
    pub(crate) initials: Vec<Token>,
    pub(crate) patronymic: Option<Token>,
}

impl PreparedName {
    /// Keys and splits `name`.
    pub fn new(name: &str) -> Self {
        prepare_with(tables(), name)
    }

    /// Keys of the core tokens (given names and surnames, without initials and patronymic).
    pub fn core_keys(&self) -> impl Iterator<Item = &str> {
        self.core.iter().map(|t| t.key.as_str())
    }

    /// Number of core tokens.
    pub fn core_len(&self) -> usize {
        self.core.len()
    }
}

fn prepare_with(t: &Tables, name: &str) -> PreparedName {
    let morph = &t.morphology;
    // An inflected name is compared in its base form: "Асана Ахтемова" is Асан Ахтемов, not a woman.
    let name = crate::inflect::nominative_with(t, name);
    let raw: Vec<KeyToken> = key_tokens(t, &name)
        .into_iter()
        .filter(|k| !morph.ignore.contains(&k.key))
        .collect();
    let mut out = PreparedName::default();
    let mut words: Vec<(Token, bool)> = Vec::with_capacity(raw.len());
    for k in raw {
        let token = Token {
            given: t.given_names.get(&k.key).copied(),
            folded_first: k.folded_first,
            key: k.key,
        };
        if morph.patronymic_markers.contains(&token.key) && !words.is_empty() {
            // Nariman Fevzi oglu Dzhelyal: the word before the marker is the father's name.
            if let Some((previous, _)) = words.pop() {
                out.patronymic = Some(previous);
            }
            continue;
        }
        words.push((token, k.initial));
    }
    let full_words = words.iter().filter(|(_, initial)| !initial).count();
    let mut position = 0;
    for (token, initial) in words {
        if initial {
            out.initials.push(token);
            continue;
        }
        // A patronymic stands after the first of three or more words (Нариман Февзиевич Джелял,
        // Джелял Нариман Февзиевич); a lone -ovych word is a surname (Danylovych).
        let is_patronymic = out.patronymic.is_none()
            && full_words >= 3
            && position > 0
            && morph
                .patronymic
                .iter()
                .any(|s| token.key.len() > s.len() + 2 && token.key.ends_with(s.as_str()));
        position += 1;
        if is_patronymic {
            out.patronymic = Some(token);
        } else {
            out.core.push(token);
        }
    }
    out
}

/// Scores two names: 0.5 and above means "the same person".
///
/// ```
/// use casebook_names::score;
/// assert!(score("Nariman Dzhelyal", "Нариман Джелял").value >= 0.5);
/// assert!(score("Muslim Aliev", "Alim Aliev").value < 0.5);
/// ```
pub fn score(a: &str, b: &str) -> Score {
    let t = tables();
    let best = score_prepared(&prepare_with(t, a), &prepare_with(t, b));
    if best.value >= 0.5 {
        return best;
    }
    // A form that reads in either gender ("Олександра Кравченко": a woman, or the genitive of a man's
    // name beside an indeclinable surname) matches a name that one of its readings matches.
    let (ra, rb) = (
        crate::inflect::readings(t, a),
        crate::inflect::readings(t, b),
    );
    ra.iter()
        .flat_map(|x| rb.iter().map(move |y| (x, y)))
        .skip(1)
        .map(|(x, y)| score_prepared(&prepare_with(t, x), &prepare_with(t, y)))
        .fold(best, |best, s| if s.value > best.value { s } else { best })
}

/// Scores two prepared names; the same as [`score`] on their source strings.
pub fn score_prepared(a: &PreparedName, b: &PreparedName) -> Score {
    let mut explanation = Explanation::default();
    let value = score_into(tables(), a, b, Some(&mut explanation));
    Score { value, explanation }
}

/// The value of [`score_prepared`] without its explanation, or 0 as soon as it is certain to stay
/// below `floor`: for ranking many known names, of which few come close and fewer are kept.
pub(crate) fn score_value(a: &PreparedName, b: &PreparedName, floor: f64) -> f64 {
    let t = tables();
    if a.core.is_empty() || b.core.is_empty() {
        return 0.0;
    }
    // Below 0.5 a name's value is at most its worst aligned token score, and every token of the
    // shorter name gets a partner: a token with no partner reaching the floor sinks the name.
    let floor = floor.min(0.5);
    let (short, long) = if a.core.len() > b.core.len() {
        (b, a)
    } else {
        (a, b)
    };
    for s in &short.core {
        if !long.core.iter().any(|l| reaches(t, s, l, floor)) {
            return 0.0;
        }
    }
    score_into(t, a, b, None)
}

/// Whether `compare(t, a, b)` reaches `floor`, without the costlier rules where the answer is
/// already known: most tokens an index lookup scores are far apart, and for those the gender and
/// Slavicised-surname rules cannot lift the score (the same answer as `compare`, tested below).
fn reaches(t: &Tables, a: &Token, b: &Token, floor: f64) -> bool {
    if floor <= DIFFERENT {
        return compare(t, a, b).0 >= floor;
    }
    if a.key == b.key {
        return true;
    }
    if let (Some(x), Some(y)) = (a.given, b.given) {
        return x == y;
    }
    let jw = jaro_winkler(&a.key, &b.key);
    // From here `compare` gives DIFFERENT (below the floor) for gender forms, else at least
    // min(0.5, 0.45 jw) when jw is high, SLAVICISED for a Slavicised form, or 0.45 jw.
    let high = jw >= JW_MATCH || 0.45 * jw >= floor;
    let lifted = high
        || (SLAVICISED >= floor
            && a.given.is_none()
            && b.given.is_none()
            && (slavicised(t, &a.key, &b.key) || slavicised(t, &b.key, &a.key)));
    lifted && !gender_forms(t, &a.key, &b.key)
}

fn score_into(
    t: &Tables,
    a: &PreparedName,
    b: &PreparedName,
    mut explain: Option<&mut Explanation>,
) -> f64 {
    if a.core.is_empty() || b.core.is_empty() {
        if let Some(e) = explain {
            e.notes.push(Note::Empty);
        }
        return 0.0;
    }
    // The shorter name's core tokens each get a partner in the longer one.
    let swapped = a.core.len() > b.core.len();
    let (short, long) = if swapped { (b, a) } else { (a, b) };
    let long_len = long.core.len();
    let matrix: Vec<(f64, Rule)> = short
        .core
        .iter()
        .flat_map(|s| long.core.iter().map(move |l| compare(t, s, l)))
        .collect();
    let assignment = best_assignment(&matrix, short.core.len(), long_len);
    let crossed = assignment.windows(2).any(|w| matches!(w, [x, y] if x > y));
    let (mut min, mut sum) = (1.0_f64, 0.0);
    for (i, &j) in assignment.iter().enumerate() {
        let (mut value, rule) = matrix
            .get(i * long_len + j)
            .copied()
            .unwrap_or((0.0, Rule::JaroWinkler));
        // A Slavicised form is only believed in place: Ali Asanov is not Asan Aliev.
        if crossed && rule == Rule::SlavicisedSurname {
            value = value.min(0.4);
        }
        min = min.min(value);
        sum += value;
        if let Some(e) = explain.as_deref_mut() {
            if let (Some(s), Some(l)) = (short.core.get(i), long.core.get(j)) {
                e.tokens.push(pair(swapped, s, l, rule, value));
            }
        }
    }
    let mean = sum / assignment.len().max(1) as f64;
    let mut value = if min < 0.5 {
        min
    } else {
        0.5 * min + 0.5 * mean
    };

    let extra = long_len - short.core.len();
    let (agrees, disagrees) = if short.initials.is_empty() && long.initials.is_empty() {
        (0, 0)
    } else {
        compare_initials(short, long, &assignment, swapped, explain.as_deref_mut())
    };

    if short.core.len() == 1 {
        if let Some(e) = explain.as_deref_mut() {
            e.notes.push(Note::SingleToken);
        }
        let cap = if agrees > 0 && disagrees == 0 {
            SINGLE_TOKEN_WITH_INITIAL_CAP
        } else {
            SINGLE_TOKEN_CAP
        };
        value *= cap;
    } else if extra > 0 {
        if let Some(e) = explain.as_deref_mut() {
            e.notes.push(Note::ExtraTokens(extra));
        }
        value -= EXTRA_TOKEN_PENALTY * extra as f64;
    }
    if agrees > 0 {
        if let Some(e) = explain.as_deref_mut() {
            e.notes.push(Note::InitialAgrees);
        }
    }
    if disagrees > 0 {
        if let Some(e) = explain.as_deref_mut() {
            e.notes.push(Note::InitialDisagrees);
        }
        value = value.min(CONTRADICTED);
    }
    if let (Some(pa), Some(pb)) = (&a.patronymic, &b.patronymic) {
        let (v, rule) = compare(t, pa, pb);
        if let Some(e) = explain {
            e.tokens.push(pair(false, pa, pb, rule, v));
            e.notes.push(if v < 0.5 {
                Note::PatronymicsDiffer
            } else {
                Note::PatronymicsAgree
            });
        }
        if v < 0.5 {
            value = value.min(CONTRADICTED);
        }
    }
    value.clamp(0.0, 1.0)
}

/// Initials against what is left on the other side: the longer name's unpartnered words, initials and
/// a patronymic the shorter name does not have (Nariman F. Dzhelyal vs Нариман Февзиевич Джелял).
/// Returns how many initials agreed and how many disagreed.
fn compare_initials(
    short: &PreparedName,
    long: &PreparedName,
    assignment: &[usize],
    swapped: bool,
    mut explain: Option<&mut Explanation>,
) -> (usize, usize) {
    let mut pool_long: Vec<(&Token, bool)> = long.initials.iter().map(|t| (t, true)).collect();
    pool_long.extend(
        long.core
            .iter()
            .enumerate()
            .filter(|(j, _)| !assignment.contains(j))
            .map(|(_, t)| (t, false)),
    );
    let mut pool_short: Vec<(&Token, bool)> = Vec::new();
    if short.patronymic.is_none() {
        pool_long.extend(long.patronymic.iter().map(|t| (t, false)));
    }
    if long.patronymic.is_none() {
        pool_short.extend(short.patronymic.iter().map(|t| (t, false)));
    }
    let (mut agrees, mut disagrees) = (0, 0);
    for initial in &short.initials {
        match take_fitting(initial, &mut pool_long) {
            Fit::Agrees(word) => {
                agrees += 1;
                if let Some(e) = explain.as_deref_mut() {
                    e.tokens
                        .push(pair(swapped, initial, word, Rule::Initial, 1.0));
                }
            }
            Fit::Disagrees => disagrees += 1,
            Fit::Nothing => pool_short.push((initial, true)),
        }
    }
    let long_initials: Vec<&Token> = pool_long
        .iter()
        .filter(|(_, ini)| *ini)
        .map(|(t, _)| *t)
        .collect();
    for initial in long_initials {
        match take_fitting(initial, &mut pool_short) {
            Fit::Agrees(word) => {
                agrees += 1;
                if let Some(e) = explain.as_deref_mut() {
                    e.tokens
                        .push(pair(!swapped, initial, word, Rule::Initial, 1.0));
                }
            }
            Fit::Disagrees => disagrees += 1,
            Fit::Nothing => {}
        }
    }
    (agrees, disagrees)
}

fn pair(swapped: bool, s: &Token, l: &Token, rule: Rule, score: f64) -> TokenMatch {
    let (left, right) = if swapped { (l, s) } else { (s, l) };
    TokenMatch {
        left: left.key.clone(),
        right: right.key.clone(),
        rule,
        score,
    }
}

enum Fit<'a> {
    Agrees(&'a Token),
    Disagrees,
    /// Nothing left on the other side to compare with: neutral.
    Nothing,
}

/// Takes the first word of `pool` the initial can stand for.
fn take_fitting<'a>(initial: &Token, pool: &mut Vec<(&'a Token, bool)>) -> Fit<'a> {
    if pool.is_empty() {
        return Fit::Nothing;
    }
    match pool.iter().position(|(w, _)| initial_fits(initial, w)) {
        Some(p) => Fit::Agrees(pool.remove(p).0),
        None => Fit::Disagrees,
    }
}

/// Whether an initial can stand for a word: the word's key or its folded spelling starts with it.
fn initial_fits(initial: &Token, word: &Token) -> bool {
    word.key.starts_with(initial.key.as_str())
        || (initial.folded_first.is_some() && initial.folded_first == word.folded_first)
}

/// Finds the partner in `0..long_len` for each of the `rows` rows of the row-major `matrix` that
/// maximises the summed score, preferring the order-preserving alignment on ties. Names have a handful
/// of tokens, so an exhaustive search over injective assignments is cheap; past six rows or eight
/// columns (a sentence pasted as a name) a greedy pass keeps the cost bounded.
fn best_assignment(matrix: &[(f64, Rule)], rows: usize, long_len: usize) -> Vec<usize> {
    let cell = |i: usize, j: usize| matrix.get(i * long_len + j).map_or(0.0, |c| c.0);
    if rows > 6 || long_len > 8 {
        let mut used = vec![false; long_len];
        return (0..rows)
            .map(|i| {
                let best = (0..long_len)
                    .filter(|&j| !used.get(j).copied().unwrap_or(true))
                    .max_by(|&x, &y| cell(i, x).total_cmp(&cell(i, y)))
                    .unwrap_or(0);
                if let Some(u) = used.get_mut(best) {
                    *u = true;
                }
                best
            })
            .collect();
    }
    if rows == 1 {
        // One row: the best cell, the first on ties (what the search below finds too).
        let best = (0..long_len).fold(0, |b, j| if cell(0, j) > cell(0, b) { j } else { b });
        return vec![best];
    }
    let mut best: (f64, Vec<usize>) = (f64::NEG_INFINITY, Vec::new());
    let mut current = Vec::with_capacity(rows);
    search(&cell, rows, long_len, &mut current, 0.0, &mut best);
    best.1
}

fn search(
    cell: &impl Fn(usize, usize) -> f64,
    rows: usize,
    long_len: usize,
    current: &mut Vec<usize>,
    sum: f64,
    best: &mut (f64, Vec<usize>),
) {
    let i = current.len();
    if i == rows {
        // A tiny bonus per order-preserving step breaks ties in favour of the written order.
        let order = current
            .windows(2)
            .filter(|w| matches!(w, [x, y] if x < y))
            .count() as f64;
        let total = sum + order * 1e-6;
        if total > best.0 {
            best.0 = total;
            best.1.clear();
            best.1.extend_from_slice(current);
        }
        return;
    }
    for j in 0..long_len {
        if current.contains(&j) {
            continue;
        }
        current.push(j);
        search(cell, rows, long_len, current, sum + cell(i, j), best);
        current.pop();
    }
}

/// Token score and rule for two core tokens (or two patronymics).
fn compare(t: &Tables, a: &Token, b: &Token) -> (f64, Rule) {
    if a.key == b.key {
        return (1.0, Rule::ExactKey);
    }
    if let (Some(x), Some(y)) = (a.given, b.given) {
        return if x == y {
            (GIVEN_NAME_EQUIVALENT, Rule::GivenNameEquivalence)
        } else {
            (DIFFERENT, Rule::DistinctGivenNames)
        };
    }
    let jw = jaro_winkler(&a.key, &b.key);
    if gender_forms(t, &a.key, &b.key) {
        return (DIFFERENT, Rule::GenderForms);
    }
    if jw >= JW_MATCH {
        return (
            0.5 + 0.5 * (jw - JW_MATCH) / (1.0 - JW_MATCH),
            Rule::JaroWinkler,
        );
    }
    if a.given.is_none()
        && b.given.is_none()
        && (slavicised(t, &a.key, &b.key) || slavicised(t, &b.key, &a.key))
    {
        return (SLAVICISED, Rule::SlavicisedSurname);
    }
    (0.45 * jw, Rule::JaroWinkler)
}

/// Whether one key is the feminine and the other the masculine form of one surname (or given name:
/// Aziza / Aziz, Oleksandra / Oleksandr).
fn gender_forms(t: &Tables, a: &str, b: &str) -> bool {
    let one_way = |f: &str, m: &str| {
        if let Some(stem) = f.strip_suffix('a') {
            if stem == m && !m.ends_with(['a', 'e', 'i', 'o', 'u']) {
                return true;
            }
        }
        t.morphology.gender.iter().any(|(fs, ms)| {
            match (f.strip_suffix(fs.as_str()), m.strip_suffix(ms.as_str())) {
                (Some(fstem), Some(mstem)) if !fstem.is_empty() => {
                    fstem == mstem || jaro_winkler(fstem, mstem) >= JW_MATCH
                }
                _ => false,
            }
        })
    };
    one_way(a, b) || one_way(b, a)
}

/// Whether `bare` is a Crimean Tatar surname and `long` its Slavicised form (stem + -ov, -eva …).
fn slavicised(t: &Tables, bare: &str, long: &str) -> bool {
    if bare.len() < 3
        || t.morphology
            .slavic
            .iter()
            .any(|s| bare.ends_with(s.as_str()) && bare.len() > s.len() + 2)
    {
        return false;
    }
    t.morphology.slavic.iter().any(|s| {
        long.strip_suffix(s.as_str()).is_some_and(|stem| {
            stem == bare
                || (jaro_winkler(stem, bare) >= JW_STEM && consonants(stem).eq(consonants(bare)))
        })
    })
}

fn consonants(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().filter(|c| !b"aeiou".contains(c))
}

/// Jaro-Winkler similarity, equal to `strsim::jaro_winkler` on the ASCII keys. Written out because the
/// scorer compares token keys millions of times while resolving, and strsim allocates its match flags
/// on every call; here they are bit masks. Keys longer than 64 bytes go to strsim.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro similarity of two byte strings of at most 64 bytes (strsim's definition and arithmetic).
fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    } else if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let low = i.saturating_sub(range);
        let high = b.len().min(i + range + 1);
        for j in low..high {
            if b.get(j) == Some(&ca) && b_flags & (1 << j) == 0 {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut b_matched = b
        .iter()
        .enumerate()
        .filter(|(j, _)| b_flags & (1 << j) != 0)
        .map(|(_, c)| c);
    for (i, ca) in a.iter().enumerate() {
        if a_flags & (1 << i) != 0 && b_matched.next() != Some(ca) {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_test_agrees_with_compare() {
        let t = tables();
        let words = [
            "nariman",
            "jelal",
            "jelalov",
            "mustafaev",
            "mustafaeva",
            "server",
            "servet",
            "bekirov",
            "bakirov",
            "smedla",
            "smedlaev",
            "japar",
            "japarova",
            "aziz",
            "aziza",
            "umerov",
            "kuku",
            "a",
            "asanov",
            "aliev",
            "mikola",
            "nikolai",
            "serhii",
        ];
        let tokens: Vec<Token> = words
            .iter()
            .map(|w| Token {
                key: w.to_string(),
                given: t.given_names.get(*w).copied(),
                folded_first: w.bytes().next(),
            })
            .collect();
        for a in &tokens {
            for b in &tokens {
                for floor in [0.05, 0.2, 0.35, 0.45, 0.5] {
                    assert_eq!(
                        reaches(t, a, b, floor),
                        compare(t, a, b).0 >= floor,
                        "{} ~ {} at {floor}",
                        a.key,
                        b.key
                    );
                }
            }
        }
    }

    fn same(a: &str, b: &str) {
        let s = score(a, b);
        assert!(
            s.value >= 0.5,
            "expected a match ({:.3}): {}",
            s.value,
            s.explanation
        );
        let r = score(b, a);
        assert!((s.value - r.value).abs() < 1e-9, "score is not symmetric");
    }

    fn different(a: &str, b: &str) {
        let s = score(a, b);
        assert!(
            s.value < 0.5,
            "expected no match ({:.3}): {}",
            s.value,
            s.explanation
        );
        let r = score(b, a);
        assert!((s.value - r.value).abs() < 1e-9, "score is not symmetric");
    }

    #[test]
    fn one_man_in_four_spellings() {
        let forms = [
            "Nariman Dzhelyal",
            "Nariman Dzhelal",
            "Nariman Celâl",
            "Нариман Джелял",
            "Наріман Джелял",
        ];
        for a in forms {
            for b in forms {
                same(a, b);
            }
        }
        assert_eq!(score("Nariman Dzhelyal", "Nariman Celâl").value, 1.0);
    }

    #[test]
    fn iotation_variants_match() {
        same("Muslim Aliev", "Muslim Aliyev");
        same("Teymur Abdullaev", "Teimur Abdullaiev");
    }

    #[test]
    fn a_shared_surname_is_not_enough() {
        different("Muslim Aliev", "Alim Aliev");
        different("Asan Akhtemov", "Aziz Akhtemov");
        different("Server Karametov", "Servet Karametov");
        different("Mustafa Dzhemilev", "Khaiser Dzhemilev");
        different("Ali Asanov", "Alim Asanov");
    }

    #[test]
    fn a_shared_given_name_is_not_enough() {
        different("Enver Mamutov", "Enver Bekirov");
        different("Нариман Джелял", "Нариман Аметов");
    }

    #[test]
    fn translated_given_names_match() {
        same("Mykola Semena", "Николай Семена");
        same("Volodymyr Balukh", "Владимир Балух");
        same("Oleh Sentsov", "Олег Сенцов");
        same("Serhiy Tsyhipa", "Sergei Tsygipa");
        same("Oleksandr Kostenko", "Alexander Kostenko");
        same("Emir-Usein Kuku", "Emir-Huseyn Kuku");
        same("Inver Bekirov", "Enver Bekirov");
        let s = score("Mykola Semena", "Николай Семена");
        assert!(s
            .explanation
            .tokens
            .iter()
            .any(|t| t.rule == Rule::GivenNameEquivalence));
    }

    #[test]
    fn feminine_and_masculine_forms_are_two_people() {
        different("Server Mustafayev", "Server Mustafayeva");
        different("Lenie Umerova", "Lenie Umerov");
        different("Natalia Poklonskaya", "Natalia Poklonsky");
        different("Aziz Umerov", "Aziza Umerov");
        different("Oleksandr Ivanov", "Oleksandra Ivanova");
        same("Natalia Poklonskaya", "Nataliya Poklonska");
        let s = score("Server Mustafayev", "Server Mustafayeva");
        assert!(s
            .explanation
            .tokens
            .iter()
            .any(|t| t.rule == Rule::GenderForms));
    }

    #[test]
    fn a_bare_surname_never_matches_alone() {
        different("Dzhelyal", "Nariman Dzhelyal");
        different("Dzhelyal", "Джелял");
        different("Nariman", "Nariman Dzhelyal");
    }

    #[test]
    fn initials_support_but_do_not_decide() {
        let with_initial = score("N. Dzhelyal", "Nariman Dzhelyal");
        let bare = score("Dzhelyal", "Nariman Dzhelyal");
        assert!(with_initial.value > bare.value);
        assert!(with_initial.value < 0.5);
        assert!(with_initial
            .explanation
            .notes
            .contains(&Note::InitialAgrees));
        assert!(score("R. Dzhelyal", "Nariman Dzhelyal").value <= CONTRADICTED);
        same("Nariman F. Dzhelyal", "Нариман Февзиевич Джелял");
        different("Nariman R. Dzhelyal", "Нариман Февзиевич Джелял");
    }

    #[test]
    fn patronymics_are_recognised() {
        same("Нариман Февзиевич Джелял", "Nariman Dzhelyal");
        same("Джелял Нариман Февзиевич", "Nariman Dzhelyal");
        same("Nariman Fevzi oglu Dzhelyal", "Нариман Февзиевич Джелял");
        different("Ахтем Ахмедович Сеитов", "Ахтем Рустемович Сеитов");
        let p = PreparedName::new("Нариман Февзиевич Джелял");
        assert_eq!(p.core_keys().collect::<Vec<_>>(), ["nariman", "jelal"]);
        // A lone -ovych word is a surname, not a patronymic.
        assert_eq!(PreparedName::new("Taras Danylovych").core_len(), 2);
    }

    #[test]
    fn slavicised_crimean_tatar_surnames_match_in_place() {
        same("Zair Smedlya", "Zair Smedlyaev");
        same("Emine Dzheppar", "Emine Dzhaparova");
        different("Emine Dzheppar", "Arsen Dzhepparov");
        different("Ali Asanov", "Asan Aliev");
    }

    #[test]
    fn typos_within_reason() {
        same("Edem Bekirov", "Edem Bakirov");
        same("Server Karametov", "Server Karametor");
        different("Remzi Memetov", "Remzi Seitmemetov");
    }

    #[test]
    fn empty_and_odd_names() {
        assert_eq!(score("", "Nariman Dzhelyal").value, 0.0);
        assert_eq!(score("?!", "...").value, 0.0);
        let s = score("A B C D E F G H", "H G F E D C B A");
        assert!(s.value.is_finite() && (0.0..=1.0).contains(&s.value));
    }

    #[test]
    fn jaro_winkler_equals_strsim() {
        let words = [
            "",
            "a",
            "jelal",
            "jelial",
            "bekirov",
            "bakirov",
            "karametov",
            "karametor",
            "memetov",
            "seitmemetov",
            "aaaa",
            "abab",
            "baba",
            "mustafaev",
            "mustafaeva",
            "x",
            "ab",
            "ba",
        ];
        for a in words {
            for b in words {
                assert_eq!(jaro_winkler(a, b), strsim::jaro_winkler(a, b), "{a} / {b}");
            }
        }
        let long = "a".repeat(70);
        assert_eq!(
            jaro_winkler(&long, "aaa"),
            strsim::jaro_winkler(&long, "aaa")
        );
    }
}
