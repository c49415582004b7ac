//! Reconciles what several articles report (pure; no I/O): the same real event reported by several
//! outlets becomes one event with several sources, and one case named differently by different outlets
//! becomes one case. Disagreements are kept visible in [`MergedEvent::conflicts`].
//!
//! Victims must already be resolved to global person ids. Candidates are found through an index by
//! (type, victim id), so the work grows with the number of events, not with its square: 100,000
//! articles merge in seconds.

use casebook_model::{Evidence, FuzzyDate, VictimGroup};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One event as one article reports it, with its victims resolved to global person ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcedEvent {
    pub event_type: String,
    /// Global person ids.
    pub victims: Vec<String>,
    pub victim_group: Option<VictimGroup>,
    pub perpetrators: Vec<String>,
    pub date: Option<FuzzyDate>,
    pub place: Option<String>,
    pub details: BTreeMap<String, String>,
    /// Details that hold for one victim only, by global person id (see
    /// [`casebook_model::Event::victim_details`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub victim_details: BTreeMap<String, BTreeMap<String, String>>,
    pub claimed_by: Option<String>,
    pub evidence: Evidence,
}

/// A field on which the sources disagree, and every value they give (sorted, distinct).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    pub values: Vec<String>,
    /// The victim (global person id) the sources disagree about, for a detail that holds for one
    /// victim (a term, a regime); `None` for the event's own fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// One real event, reconciled from all the reports of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedEvent {
    pub event_type: String,
    /// Union of the victims of all reports.
    pub victims: Vec<String>,
    pub victim_group: Option<VictimGroup>,
    pub perpetrators: Vec<String>,
    /// The most precise date all reports agree with; on disagreement, the value most reports give.
    pub date: Option<FuzzyDate>,
    pub place: Option<String>,
    /// The details every victim shares (all of them, for an event without named victims).
    pub details: BTreeMap<String, String>,
    /// Each victim's details beyond `details`, reconciled from the reports naming that victim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub victim_details: BTreeMap<String, BTreeMap<String, String>>,
    /// Set only when every report merely relays this party's claim.
    pub claimed_by: Option<String>,
    /// The sentence of every report.
    pub sources: Vec<Evidence>,
    /// Indices of the merged inputs.
    pub members: Vec<usize>,
    pub conflicts: Vec<Conflict>,
}

/// How far apart two reported days may be and still be one event ("on Tuesday" in one outlet, the
/// exact date in another, an outlet that dates by publication).
#[derive(Debug, Clone, Copy)]
pub struct MergeOptions {
    pub day_window: i64,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions { day_window: 3 }
    }
}

fn naive(d: &FuzzyDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year, d.month?, d.day?)
}

/// Two reported dates can be one event's: one contains the other (a month contains its days), or both
/// are days at most `window` days apart; a missing date fits any.
pub fn dates_compatible(a: Option<FuzzyDate>, b: Option<FuzzyDate>, window: i64) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            x.contains(&y)
                || y.contains(&x)
                || naive(&x)
                    .zip(naive(&y))
                    .is_some_and(|(p, q)| (p - q).num_days().abs() <= window)
        }
        _ => true,
    }
}

struct Cluster {
    members: Vec<usize>,
}

/// Groups `events` into real events and reconciles each group.
pub fn merge_events(events: &[SourcedEvent], options: &MergeOptions) -> Vec<MergedEvent> {
    let mut clusters: Vec<Cluster> = Vec::new();
    // (type, victim id) → clusters; unnamed groups index under (type, "", year).
    let mut index: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let keys: Vec<(String, String)> = if e.victims.is_empty() {
            vec![(
                e.event_type.clone(),
                format!("\u{0}{}", e.date.map_or(0, |d| d.year)),
            )]
        } else {
            e.victims
                .iter()
                .map(|v| (e.event_type.clone(), v.clone()))
                .collect()
        };
        let mut candidates: BTreeMap<usize, usize> = BTreeMap::new();
        for k in &keys {
            for &c in index.get(k).map(Vec::as_slice).unwrap_or(&[]) {
                *candidates.entry(c).or_default() += 1;
            }
        }
        let fits = |c: &Cluster| {
            c.members.iter().all(|&m| {
                let other = &events[m];
                dates_compatible(other.date, e.date, options.day_window)
                    && (!e.victims.is_empty()
                        || other.place.is_none()
                        || e.place.is_none()
                        || other.place == e.place)
                    && (!e.victims.is_empty() || e.date.is_some() && other.date.is_some())
            })
        };
        // The fitting cluster that shares the most victims.
        let chosen = candidates
            .iter()
            .filter(|(&c, _)| fits(&clusters[c]))
            .max_by_key(|(&c, &shared)| (shared, std::cmp::Reverse(c)))
            .map(|(&c, _)| c);
        let c = match chosen {
            Some(c) => {
                clusters[c].members.push(i);
                c
            }
            None => {
                clusters.push(Cluster { members: vec![i] });
                clusters.len() - 1
            }
        };
        for k in keys {
            let list = index.entry(k).or_default();
            if !list.contains(&c) {
                list.push(c);
            }
        }
    }
    clusters
        .iter()
        .map(|c| reconcile(events, &c.members))
        .collect()
}

/// The value most members give (ties: the smallest), and a conflict when they give more than one.
fn vote(field: &str, values: Vec<String>, conflicts: &mut Vec<Conflict>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    if counts.len() > 1 {
        conflicts.push(Conflict {
            field: field.to_string(),
            values: counts.keys().cloned().collect(),
            person: None,
        });
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(v, _)| v)
}

/// The details of an event's reports, reconciled victim by victim: a report's details hold for each
/// victim it names (its own details overlaid with the victim's), and sources disagree only when they
/// give one victim different values ("A, 17 years" and "A, 15 years"), never when co-defendants
/// received different terms. The event keeps what every victim shares; each victim the rest. An
/// event without named victims votes on its reports' details as a whole.
type ReconciledDetails = (
    BTreeMap<String, String>,
    BTreeMap<String, BTreeMap<String, String>>,
);

fn reconcile_details(
    reports: &[&SourcedEvent],
    victims: &BTreeSet<String>,
    conflicts: &mut Vec<Conflict>,
) -> ReconciledDetails {
    if victims.is_empty() {
        let keys: BTreeSet<&String> = reports.iter().flat_map(|r| r.details.keys()).collect();
        let mut details = BTreeMap::new();
        for k in keys {
            let values = reports
                .iter()
                .filter_map(|r| r.details.get(k).cloned())
                .collect();
            if let Some(v) = vote(k, values, conflicts) {
                details.insert(k.clone(), v);
            }
        }
        return (details, BTreeMap::new());
    }
    let mut per_victim: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for p in victims {
        let own: Vec<BTreeMap<String, String>> = reports
            .iter()
            .filter(|r| r.victims.contains(p))
            .map(|r| {
                let mut d = r.details.clone();
                if let Some(v) = r.victim_details.get(p) {
                    d.extend(v.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                d
            })
            .collect();
        let keys: BTreeSet<&String> = own.iter().flat_map(|d| d.keys()).collect();
        let mut merged = BTreeMap::new();
        for k in keys {
            let mut found = Vec::new();
            let values = own.iter().filter_map(|d| d.get(k).cloned()).collect();
            let value = vote(k, values, &mut found);
            conflicts.extend(found.into_iter().map(|c| Conflict {
                person: Some(p.clone()),
                ..c
            }));
            if let Some(v) = value {
                merged.insert(k.clone(), v);
            }
        }
        per_victim.insert(p.clone(), merged);
    }
    // What every victim has, with one value, is the event's.
    let mut shared: BTreeMap<String, String> =
        per_victim.values().next().cloned().unwrap_or_default();
    shared.retain(|k, v| per_victim.values().all(|d| d.get(k) == Some(v)));
    for d in per_victim.values_mut() {
        d.retain(|k, _| !shared.contains_key(k));
    }
    per_victim.retain(|_, d| !d.is_empty());
    (shared, per_victim)
}

/// Reconciles reports already known to be one event (a store that joined them one at a time):
/// the same date, place, detail votes and conflicts as [`merge_events`] gives its groups.
pub fn reconcile_reports(reports: &[SourcedEvent]) -> MergedEvent {
    let members: Vec<usize> = (0..reports.len()).collect();
    reconcile(reports, &members)
}

fn reconcile(events: &[SourcedEvent], members: &[usize]) -> MergedEvent {
    let reports: Vec<&SourcedEvent> = members.iter().filter_map(|&m| events.get(m)).collect();
    let mut conflicts = Vec::new();
    let dates: Vec<FuzzyDate> = reports.iter().filter_map(|r| r.date).collect();
    // When every date nests in the most precise ones and those agree, that date is simply the finest.
    let finest = dates.iter().map(|d| d.precision()).max();
    let finest_values: BTreeSet<FuzzyDate> = dates
        .iter()
        .copied()
        .filter(|d| Some(d.precision()) == finest)
        .collect();
    let nested = finest_values.len() == 1
        && finest_values
            .iter()
            .next()
            .is_some_and(|f| dates.iter().all(|d| d.contains(f)));
    let date = if nested {
        finest_values.into_iter().next()
    } else if dates.is_empty() {
        None
    } else {
        // A disagreement: every value stays visible, and the most precise value best supported
        // (reports giving it, or a coarser date that contains it) wins; ties go to the earliest.
        let distinct: BTreeSet<String> = dates.iter().map(|d| d.to_string()).collect();
        if distinct.len() > 1 {
            conflicts.push(Conflict {
                field: "date".to_string(),
                values: distinct.into_iter().collect(),
                person: None,
            });
        }
        finest_values
            .iter()
            .max_by_key(|f| {
                (
                    dates.iter().filter(|d| d.contains(f)).count(),
                    std::cmp::Reverse(**f),
                )
            })
            .copied()
    };
    let place = vote(
        "place",
        reports.iter().filter_map(|r| r.place.clone()).collect(),
        &mut conflicts,
    );
    let victims: BTreeSet<String> = reports
        .iter()
        .flat_map(|r| r.victims.iter().cloned())
        .collect();
    let (details, victim_details) = reconcile_details(&reports, &victims, &mut conflicts);
    let mut perpetrators: Vec<String> = Vec::new();
    for p in reports.iter().flat_map(|r| r.perpetrators.iter()) {
        if !perpetrators.iter().any(|q| q.eq_ignore_ascii_case(p)) {
            perpetrators.push(p.clone());
        }
    }
    let claimed_by = if reports.iter().all(|r| r.claimed_by.is_some()) {
        reports.first().and_then(|r| r.claimed_by.clone())
    } else {
        None
    };
    let victim_group = reports
        .iter()
        .filter_map(|r| r.victim_group.clone())
        .max_by_key(|g| g.count.unwrap_or(0));
    let counts: BTreeSet<u32> = reports
        .iter()
        .filter_map(|r| r.victim_group.as_ref()?.count)
        .collect();
    if counts.len() > 1 {
        conflicts.push(Conflict {
            field: "group".into(),
            values: counts.iter().map(u32::to_string).collect(),
            person: None,
        });
    }
    MergedEvent {
        event_type: reports
            .first()
            .map(|r| r.event_type.clone())
            .unwrap_or_default(),
        victims: victims.into_iter().collect(),
        victim_group,
        perpetrators,
        date,
        place,
        details,
        victim_details,
        claimed_by,
        sources: reports.iter().map(|r| r.evidence.clone()).collect(),
        members: members.to_vec(),
        conflicts,
    }
}

/// One case as one article names it, with defendants resolved to global person ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcedCase {
    pub name: String,
    pub defendants: Vec<String>,
    pub evidence: Evidence,
}

/// One case, with every name outlets give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedCase {
    /// Distinct names, most frequent first.
    pub names: Vec<String>,
    pub defendants: Vec<String>,
    pub sources: Vec<Evidence>,
    pub members: Vec<usize>,
}

const NAME_FILLER: &[&str] = &["the", "case", "group", "of", "so-called", "a", "in", "and"];
const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// A case name's distinctive words (lower-case), and its ordinals and numbers, which must agree.
fn name_key(name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut words = BTreeSet::new();
    let mut ordinals = BTreeSet::new();
    for w in name
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(str::to_lowercase)
    {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_string();
        if w.is_empty() || NAME_FILLER.contains(&w.as_str()) {
            continue;
        }
        if ORDINALS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()) {
            ordinals.insert(w);
        } else {
            words.insert(w);
        }
    }
    (words, ordinals)
}

/// Two spellings of one place name agree on their first four letters ("Bakhchysarai",
/// "Bakhchisaray"); a transliteration-aware comparison belongs to the names crate, this is enough to
/// tell case names apart once the defendants already overlap.
fn same_word(a: &str, b: &str) -> bool {
    a == b
        || (a.chars().count() >= 5
            && b.chars().count() >= 5
            && a.chars().take(4).eq(b.chars().take(4)))
}

/// Names that can be one case's: their ordinals and numbers agree and they share a distinctive word.
pub fn names_similar(a: &str, b: &str) -> bool {
    let (wa, oa) = name_key(a);
    let (wb, ob) = name_key(b);
    if !oa.is_empty() && !ob.is_empty() && oa != ob {
        return false;
    }
    if oa != ob && (wa.is_empty() || wb.is_empty()) {
        return false;
    }
    wa.iter().any(|x| wb.iter().any(|y| same_word(x, y)))
        || (wa.is_empty() && wb.is_empty() && oa == ob && !oa.is_empty())
}

/// A case name reduced to what tells cases apart: its distinctive words and ordinals, sorted, so
/// "the Bakhchysarai case" and "Bakhchysarai case" have one key. Empty for a name of filler only.
pub fn case_name_key(name: &str) -> String {
    let (words, ordinals) = name_key(name);
    words
        .into_iter()
        .chain(ordinals)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that do not tell one case from another (`data/generic_case_words.txt`).
static GENERIC_CASE_WORDS: std::sync::LazyLock<BTreeSet<String>> = std::sync::LazyLock::new(|| {
    include_str!("../data/generic_case_words.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Whether a case name can identify one case by itself: it has an ordinal or number, or a word
/// that is not generic ("Yalta", "Perevalne", "26 February"; not "the Hizb ut-Tahrir case").
pub fn name_is_distinctive(name: &str) -> bool {
    let (words, ordinals) = name_key(name);
    !ordinals.is_empty() || words.iter().any(|w| !GENERIC_CASE_WORDS.contains(w))
}

/// Both names carry an ordinal word and the ordinals differ: "the first Bakhchysarai group" is
/// never "the second Bakhchysarai group", however many defendants they share.
fn ordinals_contradict(a: &str, b: &str) -> bool {
    let ordinal_words = |name: &str| -> BTreeSet<String> {
        name_key(name)
            .1
            .into_iter()
            .filter(|w| ORDINALS.contains(&w.as_str()))
            .collect()
    };
    let (oa, ob) = (ordinal_words(a), ordinal_words(b));
    !oa.is_empty() && !ob.is_empty() && oa != ob
}

/// Whether two reports (a case name and its defendants' global person ids) are one case:
/// - similar names and at least one shared defendant;
/// - the same name (same [`case_name_key`]) when they share a defendant, or when one report names
///   no defendant and the name is distinctive ([`name_is_distinctive`]);
/// - or enough shared defendants whatever the names ("the second Bakhchysarai group" and "the
///   Bakhchysarai case of 2019"): at least two, and at least half of the shorter list, unless the
///   ordinals contradict.
pub fn same_case(
    a_name: &str,
    a_defendants: &[String],
    b_name: &str,
    b_defendants: &[String],
) -> bool {
    let shared = a_defendants
        .iter()
        .filter(|d| b_defendants.contains(d))
        .count();
    let key_a = case_name_key(a_name);
    let named_alike = !key_a.is_empty() && key_a == case_name_key(b_name);
    (shared > 0 && names_similar(a_name, b_name))
        || (named_alike
            && (shared > 0
                || (name_is_distinctive(a_name)
                    && (a_defendants.is_empty() || b_defendants.is_empty()))))
        || (shared >= 2
            && 2 * shared >= a_defendants.len().min(b_defendants.len())
            && !ordinals_contradict(a_name, b_name))
}

/// Groups `cases` into real cases: similar names and at least one shared defendant (or the same name
/// when an outlet names no defendant).
pub fn merge_cases(cases: &[SourcedCase]) -> Vec<MergedCase> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_defendant: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in cases.iter().enumerate() {
        let exact = case_name_key(&c.name);
        let mut candidates: BTreeSet<usize> = BTreeSet::new();
        for d in &c.defendants {
            candidates.extend(by_defendant.get(d.as_str()).into_iter().flatten().copied());
        }
        candidates.extend(by_name.get(&exact).into_iter().flatten().copied());
        let chosen = candidates.into_iter().find(|&g| {
            groups[g].iter().any(|&m| {
                let other = &cases[m];
                same_case(&other.name, &other.defendants, &c.name, &c.defendants)
            })
        });
        let g = match chosen {
            Some(g) => {
                groups[g].push(i);
                g
            }
            None => {
                groups.push(vec![i]);
                groups.len() - 1
            }
        };
        for d in &c.defendants {
            let list = by_defendant.entry(d.as_str()).or_default();
            if !list.contains(&g) {
                list.push(g);
            }
        }
        let list = by_name.entry(exact).or_default();
        if !list.contains(&g) {
            list.push(g);
        }
    }
    groups
        .into_iter()
        .map(|members| {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for &m in &members {
                *counts.entry(cases[m].name.as_str()).or_default() += 1;
            }
            let mut names: Vec<(&str, usize)> = counts.into_iter().collect();
            names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let defendants: BTreeSet<String> = members
                .iter()
                .flat_map(|&m| cases[m].defendants.iter().cloned())
                .collect();
            MergedCase {
                names: names.into_iter().map(|(n, _)| n.to_string()).collect(),
                defendants: defendants.into_iter().collect(),
                sources: members.iter().map(|&m| cases[m].evidence.clone()).collect(),
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(article: &str) -> Evidence {
        Evidence {
            article: article.into(),
            text: "s".into(),
            start: 0,
            end: 1,
        }
    }

    fn event(t: &str, victims: &[&str], date: Option<&str>, article: &str) -> SourcedEvent {
        SourcedEvent {
            event_type: t.into(),
            victims: victims.iter().map(|v| v.to_string()).collect(),
            victim_group: None,
            perpetrators: vec![],
            date: date.and_then(FuzzyDate::parse),
            place: None,
            details: BTreeMap::new(),
            victim_details: BTreeMap::new(),
            claimed_by: None,
            evidence: ev(article),
        }
    }

    #[test]
    fn same_event_from_three_outlets_is_one_with_three_sources() {
        let mut a = event("detention", &["dzhelyal"], Some("2021-09-04"), "a");
        a.details.insert("article".into(), "173.2".into());
        let mut b = event("detention", &["dzhelyal", "akhtemov"], Some("2021-09"), "b");
        b.details.insert("article".into(), "281".into());
        let c = event("detention", &["dzhelyal"], None, "c");
        let merged = merge_events(&[a, b, c], &MergeOptions::default());
        assert_eq!(merged.len(), 1);
        let m = &merged[0];
        assert_eq!(m.sources.len(), 3);
        assert_eq!(m.date, Some(FuzzyDate::day(2021, 9, 4)));
        assert_eq!(
            m.victims,
            vec!["akhtemov".to_string(), "dzhelyal".to_string()]
        );
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                field: "article".into(),
                values: vec!["173.2".into(), "281".into()],
                person: Some("dzhelyal".into()),
            }]
        );
        // Only the outlet that names Akhtemov speaks of his charge: his stands alone.
        assert_eq!(m.victim_details["akhtemov"]["article"], "281");
    }

    #[test]
    fn co_defendants_keep_their_own_terms_and_disagree_only_about_one_person() {
        let terms = |pairs: &[(&str, &str)]| -> BTreeMap<String, BTreeMap<String, String>> {
            pairs
                .iter()
                .map(|(p, t)| {
                    (
                        p.to_string(),
                        BTreeMap::from([("term".into(), t.to_string())]),
                    )
                })
                .collect()
        };
        let mut a = event(
            "sentence",
            &["ali", "bekir", "cemil"],
            Some("2024-03-12"),
            "a",
        );
        a.details.insert("regime".into(), "strict".into());
        a.victim_details = terms(&[
            ("ali", "17 years"),
            ("bekir", "15 years"),
            ("cemil", "13 years"),
        ]);
        let mut b = event("sentence", &["bekir"], Some("2024-03-12"), "b");
        b.details.insert("term".into(), "15 years".into());
        let merged = merge_events(&[a.clone(), b], &MergeOptions::default());
        assert_eq!(merged.len(), 1);
        let m = &merged[0];
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(m.details["regime"], "strict");
        assert!(!m.details.contains_key("term"));
        assert_eq!(m.victim_details["ali"]["term"], "17 years");
        assert_eq!(m.victim_details["bekir"]["term"], "15 years");
        assert_eq!(m.victim_details["cemil"]["term"], "13 years");
        // A source that gives Cemil another term disagrees about him alone.
        let mut c = event("sentence", &["cemil"], Some("2024-03-12"), "c");
        c.details.insert("term".into(), "14 years".into());
        let merged = merge_events(&[a, c], &MergeOptions::default());
        assert_eq!(merged[0].conflicts.len(), 1);
        assert_eq!(merged[0].conflicts[0].person.as_deref(), Some("cemil"));
        assert_eq!(merged[0].conflicts[0].values, vec!["13 years", "14 years"]);
    }

    #[test]
    fn nearby_days_merge_with_a_conflict_and_far_dates_do_not() {
        let a = event("search", &["x"], Some("2023-02-16"), "a");
        let b = event("search", &["x"], Some("2023-02-17"), "b");
        let c = event("search", &["x"], Some("2023-02-17"), "c");
        let d = event("search", &["x"], Some("2023-05-02"), "d");
        let e = event("detention", &["x"], Some("2023-02-17"), "e");
        let merged = merge_events(&[a, b, c, d, e], &MergeOptions::default());
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].members, vec![0, 1, 2]);
        assert_eq!(merged[0].date, Some(FuzzyDate::day(2023, 2, 17)));
        assert_eq!(merged[0].conflicts[0].field, "date");
        assert!(!dates_compatible(
            Some(FuzzyDate::month(2023, 2)),
            Some(FuzzyDate::day(2023, 3, 1)),
            3
        ));
    }

    #[test]
    fn claims_stay_claims_only_when_no_outlet_asserts() {
        let mut a = event("detention", &["x"], Some("2023"), "a");
        a.claimed_by = Some("FSB".into());
        let b = event("detention", &["x"], Some("2023"), "b");
        assert_eq!(
            merge_events(&[a.clone()], &MergeOptions::default())[0]
                .claimed_by
                .as_deref(),
            Some("FSB")
        );
        assert_eq!(
            merge_events(&[a, b], &MergeOptions::default())[0].claimed_by,
            None
        );
    }

    #[test]
    fn one_case_under_two_names() {
        let case = |name: &str, d: &[&str], a: &str| SourcedCase {
            name: name.into(),
            defendants: d.iter().map(|s| s.to_string()).collect(),
            evidence: ev(a),
        };
        let cases = [
            case("second Bakhchysarai group", &["a", "b"], "1"),
            case("Bakhchisaray Hizb ut-Tahrir group", &["b", "c"], "2"),
            case("first Bakhchysarai group", &["d"], "3"),
            case("26 February case", &["e"], "4"),
            case("26 February case", &[], "5"),
        ];
        let merged = merge_cases(&cases);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].defendants, vec!["a", "b", "c"]);
        assert_eq!(merged[0].names.len(), 2);
        assert_eq!(merged[2].members, vec![3, 4]);
        assert!(!names_similar(
            "first Bakhchysarai group",
            "second Bakhchysarai group"
        ));
        assert!(names_similar(
            "Hizb ut-Tahrir case",
            "the Hizb ut-Tahrir group"
        ));
    }

    #[test]
    fn differently_named_case_with_the_same_defendants_is_one_case() {
        let ids = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(same_case(
            "the second Bakhchysarai group",
            &ids(&["a", "b", "c"]),
            "the Bakhchysarai case of 2019",
            &ids(&["b", "c"])
        ));
        // One shared defendant is not enough without similar names.
        assert!(!same_case(
            "the second Bakhchysarai group",
            &ids(&["a", "b", "c"]),
            "the Hizb ut-Tahrir case",
            &ids(&["c", "d", "e"])
        ));
        // Contradicting ordinals never join.
        assert!(!same_case(
            "the first Bakhchysarai group",
            &ids(&["a", "b"]),
            "the second Bakhchysarai group",
            &ids(&["a", "b"])
        ));
        assert!(same_case(
            "The 26 February case",
            &[],
            "26 February case",
            &ids(&["x"])
        ));
        // A generic name alone joins nothing: many groups are "the Hizb ut-Tahrir case".
        assert!(!same_case(
            "the Hizb ut-Tahrir case",
            &[],
            "Hizb ut-Tahrir case",
            &ids(&["x"])
        ));
        assert!(!name_is_distinctive("the Hizb ut-Tahrir case"));
        assert!(name_is_distinctive("the Yalta Hizb ut-Tahrir case"));
        assert_eq!(case_name_key("the Bakhchysarai case"), "bakhchysarai");
    }

    #[test]
    fn reports_joined_one_by_one_reconcile_like_a_batch() {
        let mut a = event("sentence", &["x"], Some("2024-03-12"), "a");
        a.details.insert("term".into(), "13 years".into());
        let mut b = event("sentence", &["x"], Some("2024-03-13"), "b");
        b.details.insert("term".into(), "12 years".into());
        let mut c = event("sentence", &["x"], Some("2024-03"), "c");
        c.details.insert("term".into(), "13 years".into());
        let m = reconcile_reports(&[a, b, c]);
        assert_eq!(m.date, Some(FuzzyDate::day(2024, 3, 12)));
        assert_eq!(m.details.get("term").map(String::as_str), Some("13 years"));
        let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["date", "term"]);
        assert_eq!(m.sources.len(), 3);
    }

    #[test]
    fn many_events_merge_quickly_through_the_index() {
        let events: Vec<SourcedEvent> = (0..20_000)
            .map(|i| {
                let person = format!("p{}", i % 5000);
                event(
                    "detention",
                    &[person.as_str()],
                    Some("2022-01-10"),
                    &i.to_string(),
                )
            })
            .collect();
        let merged = merge_events(&events, &MergeOptions::default());
        assert_eq!(merged.len(), 5000);
        assert!(merged.iter().all(|m| m.sources.len() == 4));
    }
}
