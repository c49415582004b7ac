//! A list against the register's persons: which row is which person (by the names stage's score over
//! every name of both, and the birth date when both give one), which rows and persons have no
//! partner, and where a matched pair disagrees (status, dates, term, place).
//!
//! Each row takes at most one person and each person at most one row: pairs are taken best score
//! first, so the better spelling of two rows naming one person wins and the other row is left for its
//! next candidate or the list alone.

use crate::values::{parse_date, parse_status, parse_term, places_differ};
use crate::ListRow;
use casebook_names::{nominative, score, PersonIndex, Resolution, Rule, Score, Thresholds};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Score from which a row and a person are the same person: the names stage's "same person".
const MATCH: f64 = 0.5;

/// A register person as matching needs them: the id and every name seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterPerson {
    pub id: String,
    pub names: Vec<String>,
    /// As the register knows it, if it does (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub birth_date: Option<String>,
}

/// What the register says of a matched person, for the conflicts; each in the register's words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    /// A `casebook_model::Status` word.
    pub status: Option<String>,
    /// The date of the first detention.
    pub date_detained: Option<String>,
    /// The latest sentence's term ("13 years").
    pub term: Option<String>,
    /// Where the person was last reported held or moved to.
    pub place: Option<String>,
}

/// A row that is a register person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matched {
    pub row: usize,
    pub person: String,
    /// The names stage's score in [0, 1], four decimals.
    pub score: f64,
    /// Why, in words: which names met, by which rule, and the birth dates.
    pub why: String,
}

/// A row no register person matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlyInList {
    pub row: usize,
    pub name: String,
}

/// A register person no row matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlyInRegister {
    pub person: String,
}

/// A field on which a matched row and its person disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub row: usize,
    pub person: String,
    /// `status`, `date_detained`, `term` or `place`.
    pub field: String,
    /// The list's value as written.
    pub list: String,
    /// The register's value.
    pub register: String,
}

/// A list set against the register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub matched: Vec<Matched>,
    pub only_in_list: Vec<OnlyInList>,
    pub only_in_register: Vec<OnlyInRegister>,
    pub conflicts: Vec<Conflict>,
}

/// The reconciliation of one version of a named list: the report `casebook list report` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub list: String,
    pub version: u32,
    #[serde(flatten)]
    pub reconciliation: Reconciliation,
}

/// The report as one CSV table: a `section` column says which part of the report a line is
/// (`matched`, `only_in_list`, `only_in_register`, `conflict`).
pub fn report_csv(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let version = report.version.to_string();
    let mut lines: Vec<Vec<String>> = vec![[
        "list",
        "version",
        "section",
        "row",
        "person",
        "score",
        "name",
        "field",
        "list_value",
        "register_value",
        "why",
    ]
    .map(str::to_string)
    .to_vec()];
    let mut line = |section: &str, row: Option<usize>, rest: [&str; 7]| {
        let mut record = vec![
            report.list.clone(),
            version.clone(),
            section.to_string(),
            row.map(|r| r.to_string()).unwrap_or_default(),
        ];
        record.extend(rest.map(str::to_string));
        lines.push(record);
    };
    let r = &report.reconciliation;
    for m in &r.matched {
        let score = format!("{:.4}", m.score);
        line(
            "matched",
            Some(m.row),
            [&m.person, &score, "", "", "", "", &m.why],
        );
    }
    for o in &r.only_in_list {
        line(
            "only_in_list",
            Some(o.row),
            ["", "", &o.name, "", "", "", ""],
        );
    }
    for o in &r.only_in_register {
        line(
            "only_in_register",
            None,
            [&o.person, "", "", "", "", "", ""],
        );
    }
    for c in &r.conflicts {
        line(
            "conflict",
            Some(c.row),
            [&c.person, "", "", &c.field, &c.list, &c.register, ""],
        );
    }
    for record in lines {
        // Writing to memory cannot fail.
        let _ = w.write_record(&record);
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// Words for the rule by which two name words met.
fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::ExactKey => "the same name across scripts and spellings",
        Rule::GivenNameEquivalence => "translations of one given name",
        Rule::DistinctGivenNames => "different given names",
        Rule::GenderForms => "feminine and masculine forms",
        Rule::JaroWinkler => "close spellings",
        Rule::SlavicisedSurname => "a surname and its Slavicised form",
        Rule::Initial => "an initial that agrees",
    }
}

/// Why `list_name` is `register_name`, in words.
fn explain(list_name: &str, register_name: &str, s: &Score) -> String {
    let mut why = format!("list name {list_name:?}");
    let base = nominative(list_name);
    if base.as_ref() != list_name {
        why.push_str(&format!(" (read as {base:?})"));
    }
    why.push_str(&format!(
        " and register name {register_name:?} score {:.2}",
        s.value
    ));
    let words: Vec<String> = s
        .explanation
        .tokens
        .iter()
        .filter(|t| t.score >= MATCH)
        .map(|t| format!("{} = {}: {}", t.left, t.right, rule_words(t.rule)))
        .collect();
    if !words.is_empty() {
        why.push_str(&format!(" ({})", words.join("; ")));
    }
    why
}

/// For each row (in order), its person: the best pairing of rows and persons, each used once.
pub fn match_rows(rows: &[ListRow], persons: &[RegisterPerson]) -> Vec<Option<Matched>> {
    let mut index = PersonIndex::with_thresholds(Thresholds {
        same: 0.85,
        candidate: MATCH,
        max_candidates: 5,
    });
    for (slot, p) in persons.iter().enumerate() {
        for name in &p.names {
            index.add_name(slot as u64, name);
        }
    }
    // Every (row, person, score) pair that may be a match, from every name of the row, with
    // whether the birth dates agree and how many words are written alike.
    let mut pairs: Vec<Pair> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut best: BTreeMap<usize, f64> = BTreeMap::new();
        for name in std::iter::once(&row.name).chain(&row.other_names) {
            let found = match index.resolve(name) {
                Resolution::Same(id, s) => vec![(id, s)],
                Resolution::Candidate(c) => c,
                Resolution::New => Vec::new(),
            };
            for (id, s) in found.into_iter().filter(|(_, s)| s.value >= MATCH) {
                let e = best.entry(id as usize).or_insert(0.0);
                *e = e.max(s.value);
            }
        }
        let row_birth = row.birth_date.as_deref().and_then(parse_date);
        for (slot, value) in best {
            let person_birth = persons[slot].birth_date.as_deref().and_then(parse_date);
            let births_agree = match (row_birth, person_birth) {
                // Namesakes born apart are two persons, however alike the names.
                (Some(a), Some(b)) if a.contradicts(&b) => continue,
                (Some(_), Some(_)) => true,
                _ => false,
            };
            pairs.push(Pair {
                row: r,
                slot,
                value,
                births_agree,
                alike: words_alike(row, &persons[slot]),
            });
        }
    }
    // Best first; an agreeing birth date outranks a slightly better spelling, and between equal
    // scores (two persons whose names have one key: Akdulov, Akduliov) the one written alike wins.
    pairs.sort_by(|a, b| {
        b.births_agree
            .cmp(&a.births_agree)
            .then(b.value.total_cmp(&a.value))
            .then(b.alike.cmp(&a.alike))
            .then(a.row.cmp(&b.row))
            .then(a.slot.cmp(&b.slot))
    });
    let mut out: Vec<Option<Matched>> = vec![None; rows.len()];
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    for (i, p) in pairs.iter().enumerate() {
        if out[p.row].is_some() || taken.contains(&p.slot) {
            continue;
        }
        taken.insert(p.slot);
        let (row, person) = (&rows[p.row], &persons[p.slot]);
        let mut why = why(row, person, p.births_agree);
        // Another person as likely: say so, so a reviewer looks before confirming.
        let tied: Vec<&str> = pairs[i + 1..]
            .iter()
            .take_while(|q| q.row == p.row && q.same_rank(p))
            .map(|q| persons[q.slot].id.as_str())
            .collect();
        if !tied.is_empty() {
            why.push_str(&format!(
                "; as likely by name: {} (no birth date tells them apart)",
                tied.join(", ")
            ));
        }
        out[p.row] = Some(Matched {
            row: row.row,
            person: person.id.clone(),
            score: (p.value * 10_000.0).round() / 10_000.0,
            why,
        });
    }
    out
}

/// A row and a person that may be one.
#[derive(Debug, Clone, Copy)]
struct Pair {
    row: usize,
    slot: usize,
    value: f64,
    births_agree: bool,
    alike: usize,
}

impl Pair {
    fn same_rank(&self, other: &Pair) -> bool {
        self.value == other.value
            && self.births_agree == other.births_agree
            && self.alike == other.alike
    }
}

/// The most words any name of the row shares, written alike (case aside), with a name of the person.
fn words_alike(row: &ListRow, person: &RegisterPerson) -> usize {
    let words = |n: &str| -> BTreeSet<String> {
        n.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    std::iter::once(&row.name)
        .chain(&row.other_names)
        .map(|l| {
            let l = words(l);
            person
                .names
                .iter()
                .map(|p| words(p).intersection(&l).count())
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// The words of a match: the pair of names that scored best, and the birth dates.
fn why(row: &ListRow, person: &RegisterPerson, births_agree: bool) -> String {
    let best = std::iter::once(&row.name)
        .chain(&row.other_names)
        .flat_map(|l| person.names.iter().map(move |p| (l, p, score(l, p))))
        .max_by(|a, b| a.2.value.total_cmp(&b.2.value));
    let mut why = match best {
        Some((l, p, s)) => explain(l, p, &s),
        None => String::new(),
    };
    if births_agree {
        why.push_str(&format!(
            "; birth dates agree ({} and {})",
            row.birth_date.as_deref().unwrap_or_default(),
            person.birth_date.as_deref().unwrap_or_default()
        ));
    } else if row.birth_date.is_none() || person.birth_date.is_none() {
        why.push_str("; no birth date to compare");
    }
    why
}

/// Where a matched row and what the register says of its person disagree. Values that cannot be
/// read (a status no phrase explains, a date in words) are not compared.
pub fn conflicts(row: &ListRow, person: &str, facts: &PersonFacts) -> Vec<Conflict> {
    let mut out = Vec::new();
    let mut push = |field: &str, list: &str, register: &str| {
        out.push(Conflict {
            row: row.row,
            person: person.to_string(),
            field: field.into(),
            list: list.into(),
            register: register.into(),
        })
    };
    if let (Some(l), Some(r)) = (row.status.as_deref(), facts.status.as_deref()) {
        if r != "unknown" && parse_status(l).is_some_and(|s| s != r) {
            push("status", l, r);
        }
    }
    if let (Some(l), Some(r)) = (row.date_detained.as_deref(), facts.date_detained.as_deref()) {
        if let (Some(a), Some(b)) = (parse_date(l), parse_date(r)) {
            if a.contradicts(&b) {
                push("date_detained", l, r);
            }
        }
    }
    if let (Some(l), Some(r)) = (row.term.as_deref(), facts.term.as_deref()) {
        if let (Some(a), Some(b)) = (parse_term(l), parse_term(r)) {
            if a != b {
                push("term", l, r);
            }
        }
    }
    if let (Some(l), Some(r)) = (row.place.as_deref(), facts.place.as_deref()) {
        if places_differ(l, r) {
            push("place", l, r);
        }
    }
    out
}

/// Sets `rows` against `persons`: matches, the rows and persons left alone, and the conflicts of
/// the matched pairs, with `facts` asked only about matched persons.
pub fn reconcile<E>(
    rows: &[ListRow],
    persons: &[RegisterPerson],
    mut facts: impl FnMut(&str) -> Result<PersonFacts, E>,
) -> Result<Reconciliation, E> {
    let matches = match_rows(rows, persons);
    let mut out = Reconciliation::default();
    let mut matched_persons: BTreeSet<&str> = BTreeSet::new();
    for (row, m) in rows.iter().zip(matches) {
        match m {
            Some(m) => {
                let f = facts(&m.person)?;
                out.conflicts.extend(conflicts(row, &m.person, &f));
                out.matched.push(m);
            }
            None => out.only_in_list.push(OnlyInList {
                row: row.row,
                name: row.name.clone(),
            }),
        }
    }
    for m in &out.matched {
        matched_persons.insert(m.person.as_str());
    }
    out.only_in_register = persons
        .iter()
        .filter(|p| !matched_persons.contains(p.id.as_str()))
        .map(|p| OnlyInRegister {
            person: p.id.clone(),
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, names: &[&str], birth: Option<&str>) -> RegisterPerson {
        RegisterPerson {
            id: id.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            birth_date: birth.map(str::to_string),
        }
    }

    fn row(n: usize, name: &str, birth: Option<&str>) -> ListRow {
        ListRow {
            row: n,
            name: name.into(),
            birth_date: birth.map(str::to_string),
            ..ListRow::default()
        }
    }

    #[test]
    fn scripts_inflections_and_birth_dates() {
        let persons = [
            person("p-1", &["Enver Kurtseitov"], None),
            person("p-2", &["Lilia Abdurakhmanova"], None),
            person("p-3", &["Rustem Bekirov"], Some("1980-05-02")),
            person("p-4", &["Rustem Bekirov"], Some("1991-11-20")),
            person("p-5", &["Oleh Vasylenko"], None),
        ];
        let rows = [
            row(1, "Энвер Куртсеитов", None),
            row(2, "Лилии Абдурахмановой", None),
            row(3, "Рустем Бекиров", Some("20.11.1991")),
            row(4, "Memet Sadykov", None),
        ];
        let r: Reconciliation =
            reconcile::<()>(&rows, &persons, |_| Ok(PersonFacts::default())).unwrap();
        let pairs: Vec<(usize, &str)> = r
            .matched
            .iter()
            .map(|m| (m.row, m.person.as_str()))
            .collect();
        assert_eq!(pairs, [(1, "p-1"), (2, "p-2"), (3, "p-4")]);
        assert!(r.matched[1].why.contains("read as"), "{}", r.matched[1].why);
        assert!(
            r.matched[2].why.contains("birth dates agree"),
            "{}",
            r.matched[2].why
        );
        assert_eq!(
            r.only_in_list,
            [OnlyInList {
                row: 4,
                name: "Memet Sadykov".into()
            }]
        );
        let alone: Vec<&str> = r
            .only_in_register
            .iter()
            .map(|p| p.person.as_str())
            .collect();
        assert_eq!(alone, ["p-3", "p-5"]);
    }

    #[test]
    fn between_names_of_one_key_the_spelling_decides_and_a_tie_is_said() {
        let persons = [
            person("p-1", &["Edem Akduliov"], None),
            person("p-2", &["Edem Akdulov"], None),
        ];
        let m = match_rows(&[row(1, "Akdulov Edem", None)], &persons);
        assert_eq!(m[0].as_ref().map(|m| m.person.as_str()), Some("p-2"));
        let m = match_rows(&[row(1, "Эдем Акдулов", None)], &persons);
        let why = &m[0].as_ref().unwrap().why;
        assert!(why.contains("as likely by name: p-2"), "{why}");
    }

    #[test]
    fn one_person_takes_one_row() {
        let persons = [person("p-1", &["Enver Kurtseitov"], None)];
        let rows = [
            row(1, "Enver Kurtseitov", None),
            row(2, "Енвер Куртсеітов", None),
        ];
        let m = match_rows(&rows, &persons);
        assert!(m[0].is_some() && m[1].is_none());
    }

    #[test]
    fn conflicts_compare_readings() {
        let r = ListRow {
            row: 7,
            name: "Enver Kurtseitov".into(),
            status: Some("освобождён".into()),
            date_detained: Some("12.03.2019".into()),
            term: Some("13 лет".into()),
            place: Some("ИК-1 Ярославль".into()),
            ..ListRow::default()
        };
        let facts = PersonFacts {
            status: Some("serving_sentence".into()),
            date_detained: Some("2019-03".into()),
            term: Some("13 years".into()),
            place: Some("Simferopol".into()),
        };
        let fields: Vec<String> = conflicts(&r, "p-1", &facts)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["status", "place"]);
    }
}
