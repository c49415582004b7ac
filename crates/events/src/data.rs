//! The knowledge files under `data/`, parsed once. They are compiled into the crate with `include_str!`,
//! so a parse failure is a defect of the crate itself, caught by this module's tests.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One event type of the taxonomy.
#[derive(Debug, Clone, Deserialize)]
pub struct EventTypeDef {
    /// The type id (`detention`, `sentence`, …).
    pub id: String,
    /// What the type means.
    pub description: String,
    /// The status ([`casebook_model::Status`] id) a person has after such an event.
    pub status: String,
    /// True when the event leaves an already known status unchanged.
    #[serde(default)]
    pub keeps_status: bool,
    /// The step of a prosecution this type is; ranks events reported for the same date.
    pub stage: u32,
    /// True when an attempt ("tried to recruit") already counts as the event.
    #[serde(default)]
    pub attempt_counts: bool,
    /// False when an event without a date in its sentence must not take the narrative's date.
    #[serde(default = "yes")]
    pub inherits_date: bool,
    /// False when a date inside the trigger's object dates something else ("accused of sabotage in
    /// August": the alleged act).
    #[serde(default = "yes")]
    pub dates_in_object: bool,
    /// Types whose trigger right after this one is its object, not an event ("upheld the verdict").
    #[serde(default)]
    pub governs: Vec<String>,
    /// True when nothing can change the status after this event, dated or not (death).
    #[serde(default)]
    pub terminal: bool,
    /// Lower-case phrases that report this type.
    pub triggers: Vec<String>,
    /// Status overrides by a detail value.
    #[serde(default)]
    pub status_when: Vec<StatusWhen>,
}

/// "When detail `key` is `value`, the status is `status`."
#[derive(Debug, Clone, Deserialize)]
pub struct StatusWhen {
    pub key: String,
    pub value: String,
    pub status: String,
}

/// The taxonomy file.
#[derive(Debug, Deserialize)]
pub struct Taxonomy {
    #[serde(rename = "type")]
    pub types: Vec<EventTypeDef>,
    pub blockers: Blockers,
}

/// Phrases that contain a trigger word but report no event.
#[derive(Debug, Deserialize)]
pub struct Blockers {
    pub phrases: Vec<String>,
}

impl Taxonomy {
    /// The definition of type `id`, if the taxonomy has it.
    pub fn get(&self, id: &str) -> Option<&EventTypeDef> {
        self.types.iter().find(|t| t.id == id)
    }
}

/// Negation, modality and attribution cues.
#[derive(Debug, Deserialize)]
pub struct Cues {
    pub negation_window: usize,
    pub negation: Vec<String>,
    pub modality_window: usize,
    pub modality: Vec<String>,
    pub infinitive: Vec<String>,
    /// Auxiliaries of a tense that tells an earlier event ("had sentenced").
    pub earlier_tense: Vec<String>,
    /// Words that may stand between two coordinated triggers ("searched and detained").
    pub coordination_words: Vec<String>,
    /// Words right before a trigger that make it a mere time reference ("before the trial").
    pub time_references: Vec<String>,
    /// Words right before a trigger that make it name an event told elsewhere to time this
    /// sentence's ("sentenced ten months after his arrest"): the event is kept, but the sentence's
    /// date and place are not its own.
    #[serde(default)]
    pub back_references: Vec<String>,
    /// Determiners that make a trigger refer to an event already told ("the transfer took place …").
    pub definite_determiners: Vec<String>,
    /// Words after a trigger that open its object ("accused of", "charged with").
    pub object_openers: Vec<String>,
    /// Words between two triggers that make the first happen during the second.
    pub simultaneous: Vec<String>,
    pub clause_breaks: Vec<String>,
    pub segment_breaks: Vec<String>,
    /// Words opening a clause that shares the verb of the clause before it, its own verb left out and
    /// marked by a dash ("отправил А под домашний арест, а Б и В — в СИЗО").
    #[serde(default)]
    pub gapping_openers: Vec<String>,
    pub attribution: Vec<Attribution>,
    /// True when an undated event told in the report's first paragraph happened on the report's
    /// date (news agencies' style: "сотрудники ФСБ пришли с обысками", dated by the dateline).
    #[serde(default)]
    pub lede_takes_published: bool,
    /// A prosecutor's request that makes every event after it in the sentence only asked for
    /// ("прокурор попросил назначить 17 лет Крошу, по 15 лет Бекирову"), up to a `request_breaks` word.
    #[serde(default)]
    pub request: Vec<String>,
    #[serde(default)]
    pub request_breaks: Vec<String>,
}

/// A phrase that marks a sentence as relaying a party's claim.
#[derive(Debug, Deserialize)]
pub struct Attribution {
    pub cue: String,
    pub party: String,
}

/// Role words, group nouns, numbers, abbreviations, calendar words and case-name patterns.
#[derive(Debug, Deserialize)]
pub struct Lexicon {
    pub non_victim_roles: Vec<String>,
    pub role_exceptions: Vec<String>,
    pub relations: Vec<String>,
    pub perpetrator_roles: Vec<String>,
    /// The role each of `perpetrator_roles` is, in the English lexicon's words, position by
    /// position ("судья" is a "judge"): one official's role whatever the language of the report.
    /// Empty in the English lexicon, whose words are the roles.
    #[serde(default)]
    pub perpetrator_role_classes: Vec<String>,
    pub speech_verbs: Vec<String>,
    /// Words that open a date and may stand between it and a verb of saying ("said on Tuesday").
    #[serde(default)]
    pub date_prepositions: Vec<String>,
    pub speaker_prefixes: Vec<String>,
    pub agencies: Vec<String>,
    pub not_agencies: Vec<String>,
    pub singular_anaphors: Vec<String>,
    pub plural_anaphors: Vec<String>,
    pub group_nouns: Vec<String>,
    pub group_quantifiers: Vec<String>,
    pub uncounted_quantifiers: Vec<String>,
    /// Words before a bare count that make it stand for people ("all four", "the two").
    pub bare_count_leads: Vec<String>,
    /// Words that may follow such a bare count ("all four are", "the two were").
    pub bare_count_follow: Vec<String>,
    /// Words that make a counted group other people than those named ("two more men").
    pub distinct_group_words: Vec<String>,
    pub number_words: BTreeMap<String, u32>,
    pub abbreviations: Vec<String>,
    /// Month names (every form the calendar lists) and their numbers, 1 to 12. Not in the lexicon
    /// files: taken from the shared calendar (`casebook_vocabulary`) when the file is read.
    #[serde(skip)]
    pub months: BTreeMap<String, u32>,
    /// Weekday names and their numbers, 0 (Monday) to 6, as `chrono`'s `num_days_from_monday`
    /// counts. Taken from the shared calendar like the months.
    #[serde(skip)]
    pub weekdays: BTreeMap<String, u32>,
    pub relative_days: BTreeMap<String, i64>,
    pub later_units: BTreeMap<String, i64>,
    pub case_patterns: Vec<String>,
    pub case_stop_words: Vec<String>,
    /// Words a sentence must contain to name a case, and that make a date before them a case's name.
    pub case_words: Vec<String>,
    /// Words of a case name that name no particular case ("case", "group", "of", "first").
    pub case_name_words: Vec<String>,
    /// Pronouns that open a relative clause about the person before them ("who").
    pub relative_pronouns: Vec<String>,
    /// Words that join coordinated names or triggers ("and").
    pub conjunctions: Vec<String>,
    /// Words that pair a list with the names before it, item by item ("respectively").
    #[serde(default)]
    pub respectively: Vec<String>,
    /// Possessive pronouns: before a relation word they point to someone else ("her husband").
    pub possessives: Vec<String>,
    /// Phrases after a count that make it part of a group told before ("two of them").
    pub partitive: Vec<String>,
    /// Number words that are no counts of people ("a", "an").
    pub not_counts: Vec<String>,
    /// Words before a transfer's destination ("transferred to Rostov").
    pub destination_prepositions: Vec<String>,
    /// Tokens after a name that make it a possessor, not a speaker ("Dzhelyal's").
    pub possessive_markers: Vec<String>,
    /// Words that end the head of a descriptor or an apposition ("son of a lawyer").
    pub descriptor_stops: Vec<String>,
    /// Words between a role word and a name that make the person the role's client ("lawyer of X").
    pub client_markers: Vec<String>,
    /// Words (prefixes of the lower-case text) that mark an administrative case.
    pub administrative_words: Vec<String>,
}

/// Patterns for event details.
#[derive(Debug, Deserialize)]
pub struct DetailPatterns {
    pub article: Vec<String>,
    pub term: Vec<String>,
    pub regime: BTreeMap<String, Vec<String>>,
    pub money: Money,
    pub days: String,
    pub measure: BTreeMap<String, Vec<String>>,
}

/// How amounts of money are written.
#[derive(Debug, Deserialize)]
pub struct Money {
    pub pattern: String,
    pub currencies: BTreeMap<String, String>,
}

/// A language's date grammar: a regular expression with the group names [`crate::dates`] resolves, in
/// which `{months}`, `{weekdays}`, `{relative}`, `{numbers}` and `{units}` stand for the alternations of the
/// lexicon's lists.
#[derive(Debug, Deserialize)]
pub struct DateGrammar {
    pub expression: String,
    /// What a lead word of a relative expression means: `last`, `this` or `that`.
    #[serde(default)]
    pub leads: BTreeMap<String, String>,
    /// Words of the expression's fixed phrases besides the word lists ("месяце" of "в прошлом месяце"):
    /// given, the expression is only tried around them, the lists' words and numbers (see `dates.rs`).
    #[serde(default)]
    pub anchors: Vec<String>,
}

/// One language's knowledge file (`data/lexicon.LANG.toml`): the same kinds of knowledge as the English
/// files, for an inflected language whose triggers are matched on stems.
#[derive(Debug, Deserialize)]
pub struct LanguageFile {
    /// ISO 639-1 code, as the article stage gives it.
    pub language: String,
    /// `snowball-russian`, or `suffixes` (cut the longest of `suffixes` leaving `min_stem` letters).
    pub stemmer: String,
    #[serde(default)]
    pub min_stem: usize,
    #[serde(default)]
    pub suffixes: Vec<String>,
    /// Phrases that contain a trigger but report no event.
    pub blockers: Vec<String>,
    /// Trigger phrases by event type id.
    pub triggers: BTreeMap<String, Vec<String>>,
    pub cues: Cues,
    pub lexicon: Lexicon,
    pub details: DetailPatterns,
    pub dates: DateGrammar,
}

fn yes() -> bool {
    true
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    match toml::from_str(text) {
        Ok(v) => v,
        // The files are part of the crate's source; a broken one must fail loudly at first use and in tests.
        Err(e) => panic!("casebook-events data file {name} is invalid: {e}"),
    }
}

/// Fills in a lexicon's month and weekday names: its language's, from the shared calendar.
fn add_calendar(lexicon: &mut Lexicon, language: &str) {
    lexicon.months = casebook_vocabulary::months(language)
        .iter()
        .map(|&(word, number)| (word.to_string(), number))
        .collect();
    // The calendar counts weekdays from 1 (Monday), the date resolver from 0.
    lexicon.weekdays = casebook_vocabulary::weekdays(language)
        .iter()
        .map(|&(word, number)| (word.to_string(), number.saturating_sub(1)))
        .collect();
}

/// A language's knowledge file, its lexicon completed from the calendar.
fn language_file(name: &str, text: &str) -> LanguageFile {
    let mut file: LanguageFile = parse(name, text);
    add_calendar(&mut file.lexicon, &file.language);
    file
}

/// The event taxonomy (`data/taxonomy.toml`).
pub static TAXONOMY: LazyLock<Taxonomy> =
    LazyLock::new(|| parse("taxonomy.toml", include_str!("../data/taxonomy.toml")));
/// Negation, modality and attribution cues (`data/cues.toml`).
pub static CUES: LazyLock<Cues> =
    LazyLock::new(|| parse("cues.toml", include_str!("../data/cues.toml")));
/// The lexicon (`data/lexicon.toml`), with the English month and weekday names of the calendar.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lexicon: Lexicon = parse("lexicon.toml", include_str!("../data/lexicon.toml"));
    add_calendar(&mut lexicon, "en");
    lexicon
});
/// Detail patterns (`data/details.toml`).
pub static DETAILS: LazyLock<DetailPatterns> =
    LazyLock::new(|| parse("details.toml", include_str!("../data/details.toml")));

/// The knowledge of the languages read besides English (`data/lexicon.ru.toml`, `data/lexicon.uk.toml`,
/// `data/lexicon.crh.toml`).
pub static LANGUAGES: LazyLock<Vec<LanguageFile>> = LazyLock::new(|| {
    vec![
        language_file("lexicon.ru.toml", include_str!("../data/lexicon.ru.toml")),
        language_file("lexicon.uk.toml", include_str!("../data/lexicon.uk.toml")),
        language_file("lexicon.crh.toml", include_str!("../data/lexicon.crh.toml")),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_model::Status;

    #[test]
    fn data_files_parse_and_are_consistent() {
        assert_eq!(TAXONOMY.types.len(), 16);
        for t in &TAXONOMY.types {
            assert!(
                Status::parse(&t.status).is_some(),
                "{} has unknown status {}",
                t.id,
                t.status
            );
            for w in &t.status_when {
                assert!(
                    Status::parse(&w.status).is_some(),
                    "{}: unknown status {}",
                    t.id,
                    w.status
                );
            }
            assert!(!t.triggers.is_empty(), "{} has no triggers", t.id);
            for trig in &t.triggers {
                assert_eq!(
                    trig,
                    &trig.to_lowercase(),
                    "trigger {trig} must be lower-case"
                );
            }
        }
        assert!(CUES.negation.iter().any(|c| c == "not"));
        assert!(LEXICON.months.get("september") == Some(&9));
        assert!(!DETAILS.article.is_empty());
    }

    #[test]
    fn every_language_reports_every_type_of_the_taxonomy() {
        for lang in LANGUAGES.iter() {
            for id in lang.triggers.keys() {
                assert!(
                    TAXONOMY.get(id).is_some(),
                    "{}: unknown type {id}",
                    lang.language
                );
            }
            for t in &TAXONOMY.types {
                assert!(
                    lang.triggers.get(&t.id).is_some_and(|v| !v.is_empty()),
                    "{} has no triggers for {}",
                    lang.language,
                    t.id
                );
            }
            for phrase in lang.triggers.values().flatten().chain(&lang.blockers) {
                assert_eq!(
                    phrase,
                    &phrase.to_lowercase(),
                    "{}: {phrase}",
                    lang.language
                );
            }
            assert!(matches!(
                lang.stemmer.as_str(),
                "snowball-russian" | "suffixes"
            ));
            assert!(!lang.lexicon.months.is_empty() && !lang.lexicon.number_words.is_empty());
        }
        let codes: Vec<&str> = LANGUAGES.iter().map(|l| l.language.as_str()).collect();
        assert_eq!(codes, ["ru", "uk", "crh"]);
    }

    #[test]
    fn month_and_weekday_names_are_the_calendars() {
        // Names left in a lexicon file would be ignored (the fields are skipped): they belong in
        // the calendar of casebook-vocabulary.
        for (name, text) in [
            ("lexicon.toml", include_str!("../data/lexicon.toml")),
            ("lexicon.ru.toml", include_str!("../data/lexicon.ru.toml")),
            ("lexicon.uk.toml", include_str!("../data/lexicon.uk.toml")),
            ("lexicon.crh.toml", include_str!("../data/lexicon.crh.toml")),
        ] {
            assert!(
                !text
                    .lines()
                    .any(|l| l.starts_with("months") || l.starts_with("weekdays")),
                "{name} lists month or weekday names"
            );
        }
        assert_eq!(LEXICON.weekdays.get("monday"), Some(&0));
        assert_eq!(LEXICON.weekdays.get("sunday"), Some(&6));
        let russian = &LANGUAGES[0].lexicon;
        assert_eq!(russian.months.get("июне"), Some(&6));
        assert_eq!(russian.weekdays.get("среду"), Some(&2));
        let crimean_tatar = &LANGUAGES[2].lexicon;
        assert_eq!(crimean_tatar.months.get("ekim"), Some(&10));
        assert_eq!(crimean_tatar.weekdays.get("bazar"), Some(&6));
    }

    #[test]
    fn taxonomy_matches_the_corpus_type_list() {
        let listed = include_str!("../../corpus/data/event_types.txt");
        let ids: Vec<&str> = listed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        for id in &ids {
            assert!(TAXONOMY.get(id).is_some(), "taxonomy lacks {id}");
        }
        assert_eq!(ids.len(), TAXONOMY.types.len());
    }
}
