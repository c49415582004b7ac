//! Extractor tests on sentences written for them, about invented people.

use super::*;
use crate::status::Dated;
use casebook_model::{
    ArticlePerson, EntityKind, EntityMention, Event, FuzzyDate, PersonMention, Precision,
    Published, VictimGroup,
};

/// One extractor for every test: building the automata and grammars of all languages is the costly part.
pub(crate) static EXTRACTOR: std::sync::LazyLock<Extractor> =
    std::sync::LazyLock::new(Extractor::new);

/// A person of a test article: full name, descriptors; every occurrence of the full name and of the
/// surname is marked as a mention.
pub(crate) struct P(pub(crate) &'static str, pub(crate) &'static [&'static str]);

pub(crate) fn analyse(
    body: &str,
    published: Option<&str>,
    persons: &[P],
    places: &[&str],
    orgs: &[&str],
) -> (ArticlePeople, ArticleEvents) {
    let named: Vec<Named> = persons
        .iter()
        .map(|p| Named {
            name: p.0,
            descriptors: p.1,
            forms: vec![p.0, p.0.rsplit(' ').next().unwrap_or(p.0)],
        })
        .collect();
    analyse_article(test_article(None, body, published), &named, places, orgs)
}

/// [`analyse`] of a text with no date of publication, no places and no organisations, about the
/// people `names` (no descriptors).
fn analyse_plain(body: &str, names: &[&'static str]) -> (ArticlePeople, ArticleEvents) {
    let persons: Vec<P> = names.iter().map(|n| P(n, &[])).collect();
    analyse(body, None, &persons, &[], &[])
}

/// A person as the people stage hands it on: the name, its descriptors, and the forms the text
/// writes it in.
pub(crate) struct Named<'a> {
    pub(crate) name: &'a str,
    pub(crate) descriptors: &'a [&'a str],
    pub(crate) forms: Vec<&'a str>,
}

/// The test article of `body` (paragraphs split at blank lines).
pub(crate) fn test_article(language: Option<&str>, body: &str, published: Option<&str>) -> Article {
    Article {
        id: "test".into(),
        language: language.map(str::to_string),
        paragraphs: body.split("\n\n").map(str::to_string).collect(),
        published: published.map(|v| Published {
            value: v.into(),
            precision: Precision::Day,
            from: "test".into(),
        }),
        ..Article::default()
    }
}

/// Extracts the events of `article`: every occurrence of a person's form is a mention unless an
/// earlier one covers it (so list the longer forms first), and every occurrence of a place or
/// organisation an entity.
pub(crate) fn analyse_article(
    article: Article,
    persons: &[Named],
    places: &[&str],
    orgs: &[&str],
) -> (ArticlePeople, ArticleEvents) {
    let text = article.text();
    let mut people = ArticlePeople::default();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let char_at = |b: usize| text[..b].chars().count();
    for (i, p) in persons.iter().enumerate() {
        people.persons.push(ArticlePerson {
            name: p.name.into(),
            descriptors: p.descriptors.iter().map(|d| d.to_string()).collect(),
            relations: vec![],
        });
        for &form in &p.forms {
            for (b, _) in text.match_indices(form) {
                let (s, e) = (char_at(b), char_at(b + form.len()));
                if taken.iter().any(|&(x, y)| s < y && x < e) {
                    continue;
                }
                taken.push((s, e));
                people.mentions.push(PersonMention {
                    text: form.into(),
                    start: s,
                    end: e,
                    person: i,
                });
            }
        }
    }
    for (kind, list) in [
        (EntityKind::Place, places),
        (EntityKind::Organization, orgs),
    ] {
        for name in list {
            for (b, _) in text.match_indices(name) {
                people.entities.push(EntityMention {
                    kind,
                    text: name.to_string(),
                    start: char_at(b),
                    end: char_at(b + name.len()),
                    canonical: name.to_string(),
                });
            }
        }
    }
    people.mentions.sort_by_key(|m| m.start);
    let events = EXTRACTOR.extract(&article, &people);
    (people, events)
}

/// The names of an event's victims, in the event's order.
fn victim_names(people: &ArticlePeople, event: &Event) -> Vec<String> {
    event
        .victims
        .iter()
        .map(|&v| people.persons[v].name.clone())
        .collect()
}

/// (type, victim names) of every event, for compact assertions.
fn summary(people: &ArticlePeople, events: &ArticleEvents) -> Vec<(String, Vec<String>)> {
    events
        .events
        .iter()
        .map(|e| {
            let mut names = victim_names(people, e);
            if let Some(g) = &e.victim_group {
                names.push(format!(
                    "group:{}",
                    g.count.map_or("?".into(), |c| c.to_string())
                ));
            }
            (e.event_type.clone(), names)
        })
        .collect()
}

fn has(people: &ArticlePeople, events: &ArticleEvents, t: &str, victim: &str) -> bool {
    summary(people, events)
        .iter()
        .any(|(et, v)| et == t && v.iter().any(|n| n == victim))
}

fn find<'a>(events: &'a ArticleEvents, t: &str) -> &'a Event {
    match events.events.iter().find(|e| e.event_type == t) {
        Some(e) => e,
        None => panic!(
            "no {t} event in {:?}",
            events
                .events
                .iter()
                .map(|e| &e.event_type)
                .collect::<Vec<_>>()
        ),
    }
}

#[test]
fn every_type_is_found() {
    let cases: &[(&str, &str)] = &[
        ("search", "Officers searched the home of Server Kadyrov."),
        ("detention", "Server Kadyrov was detained in the morning."),
        (
            "arrest_custody",
            "The court remanded Server Kadyrov in custody for two months.",
        ),
        (
            "charge",
            "Server Kadyrov was charged under article 205.5 part 2 of the Criminal Code.",
        ),
        (
            "trial",
            "The trial of Server Kadyrov began in Rostov-on-Don.",
        ),
        (
            "sentence",
            "Server Kadyrov was sentenced to 13 years in a strict-regime colony.",
        ),
        (
            "appeal",
            "The appeal court upheld the verdict against Server Kadyrov.",
        ),
        (
            "torture",
            "Server Kadyrov was beaten during the interrogation.",
        ),
        (
            "coercion_recruitment",
            "Server Kadyrov was forced to sign a consent to cooperate with the FSB.",
        ),
        (
            "abduction_disappearance",
            "Server Kadyrov was abducted by men in uniform.",
        ),
        (
            "transfer",
            "Server Kadyrov was transferred to Rostov-on-Don.",
        ),
        (
            "release",
            "Server Kadyrov was released after serving his term.",
        ),
        (
            "exchange",
            "Server Kadyrov returned home in an exchange of prisoners.",
        ),
        (
            "citizenship_deprivation",
            "Server Kadyrov was deprived of his citizenship.",
        ),
        (
            "administrative_penalty",
            "Server Kadyrov was fined 10,000 roubles.",
        ),
        ("death", "Server Kadyrov died in the colony."),
    ];
    for (t, sentence) in cases {
        let (people, events) = analyse_plain(sentence, &["Server Kadyrov"]);
        assert!(
            has(&people, &events, t, "Server Kadyrov"),
            "{t} not found in {sentence:?}: {:?}",
            summary(&people, &events)
        );
    }
}

#[test]
fn traps_report_no_event() {
    let traps = [
        "Server Kadyrov and Ali Ametov were not detained.",
        "Server Kadyrov may be arrested next week.",
        "Relatives feared the abduction of Server Kadyrov.",
        "The FSB threatened to detain Server Kadyrov.",
        "Server Kadyrov was never charged.",
        "Lawyers demanded the release of Server Kadyrov.",
        "The Russians wanted to exchange Server Kadyrov for soldiers.",
        "The prosecutor asked for 15 years in a strict-regime colony for Server Kadyrov.",
        "Server Kadyrov could be sentenced to 20 years.",
    ];
    for sentence in traps {
        let (people, events) = analyse_plain(sentence, &["Server Kadyrov", "Ali Ametov"]);
        assert!(
            events.events.is_empty(),
            "{sentence:?} gave {:?}",
            summary(&people, &events)
        );
    }
}

#[test]
fn faces_up_to_is_a_charge_not_a_sentence() {
    let (people, events) = analyse_plain(
        "Server Kadyrov faces up to 20 years in prison under Article 205.2.",
        &["Server Kadyrov"],
    );
    assert_eq!(
        summary(&people, &events),
        vec![("charge".to_string(), vec!["Server Kadyrov".to_string()])]
    );
    assert_eq!(events.events[0].detail("article"), Some("205.2"));
}

#[test]
fn a_claim_of_the_security_service_is_attributed() {
    let (_, events) = analyse(
        "According to the FSB press office, Server Kadyrov was detained for spying.",
        None,
        &[P("Server Kadyrov", &[])],
        &[],
        &["FSB"],
    );
    let e = find(&events, "detention");
    assert_eq!(e.claimed_by.as_deref(), Some("FSB press office"));
    let (_, events) = analyse_plain("Server Kadyrov was detained.", &["Server Kadyrov"]);
    assert_eq!(find(&events, "detention").claimed_by, None);
}

#[test]
fn lawyers_judges_and_speakers_are_not_victims() {
    let (people, events) = analyse_plain("Lawyer Emil Kurbedinov said that Server Kadyrov was beaten. Judge Viktor Zuev sentenced Ali Ametov to 12 years.", &["Emil Kurbedinov", "Server Kadyrov", "Viktor Zuev", "Ali Ametov"]);
    assert_eq!(
        summary(&people, &events),
        vec![
            ("torture".to_string(), vec!["Server Kadyrov".to_string()]),
            ("sentence".to_string(), vec!["Ali Ametov".to_string()]),
        ]
    );
    assert_eq!(
        find(&events, "sentence").perpetrators,
        vec!["judge Viktor Zuev".to_string()]
    );
    // A lawyer known from the people stage's descriptors.
    let (people, events) = analyse(
        "Kurbedinov reported that Ametov was detained.",
        None,
        &[P("Emil Kurbedinov", &["lawyer"]), P("Ali Ametov", &[])],
        &[],
        &[],
    );
    assert_eq!(
        summary(&people, &events),
        vec![("detention".to_string(), vec!["Ali Ametov".to_string()])]
    );
}

#[test]
fn homes_of_several_people_and_counted_groups() {
    let (people, events) = analyse(
        "On 16 February 2023, FSB officers searched the homes of Ali Ametov, Server Kadyrov and Enver Umerov. \
         At least 20 people were detained in Dzhankoi.",
        Some("2023-02-20"),
        &[P("Ali Ametov", &[]), P("Server Kadyrov", &[]), P("Enver Umerov", &[])],
        &["Dzhankoi"],
        &["FSB"],
    );
    let search = find(&events, "search");
    assert_eq!(search.victims.len(), 3);
    assert_eq!(search.date, Some(FuzzyDate::day(2023, 2, 16)));
    assert_eq!(search.perpetrators, vec!["FSB".to_string()]);
    let detention = find(&events, "detention");
    assert!(detention.victims.is_empty());
    assert_eq!(
        detention.victim_group,
        Some(VictimGroup {
            count: Some(20),
            description: "At least 20 people".into()
        })
    );
    assert_eq!(detention.place.as_deref(), Some("Dzhankoi"));
    let _ = people;
}

#[test]
fn pronouns_refer_to_the_last_fitting_person() {
    let (people, events) = analyse_plain("Ali Ametov is a citizen journalist from Bakhchysarai. His lawyer Emil Kurbedinov said he was tortured.\n\n\
         Nariman Dzhelyal and Asan Akhtemov were detained in September. They were charged with sabotage.", &["Ali Ametov", "Emil Kurbedinov", "Nariman Dzhelyal", "Asan Akhtemov"]);
    assert!(
        has(&people, &events, "torture", "Ali Ametov"),
        "{:?}",
        summary(&people, &events)
    );
    assert!(!has(&people, &events, "torture", "Emil Kurbedinov"));
    let charge = find(&events, "charge");
    assert_eq!(charge.victims.len(), 2);
}

#[test]
fn a_speaker_who_tells_what_was_done_to_him_is_the_victim() {
    let (people, events) = analyse_plain("Another arrested activist, Nariman Ametov, said in his video that he had been subjected to electric shocks.", &["Nariman Ametov"]);
    assert!(
        has(&people, &events, "torture", "Nariman Ametov"),
        "{:?}",
        summary(&people, &events)
    );
}

#[test]
fn dates_attach_to_the_nearest_trigger_and_relative_dates_resolve() {
    let (_, events) = analyse(
        "Server Kadyrov, who was detained in September 2021, was sentenced on 21 September 2022 to 17 years in a strict-regime colony. \
         On Wednesday, Ali Ametov was searched. Yesterday he was detained. One day later he was remanded in custody until March 24.",
        Some("2025-06-23T08:42:00+03:00"),
        &[P("Server Kadyrov", &[]), P("Ali Ametov", &[])],
        &[],
        &[],
    );
    let by = |t: &str, d: Option<FuzzyDate>| {
        events
            .events
            .iter()
            .any(|e| e.event_type == t && e.date == d)
    };
    assert!(by("detention", Some(FuzzyDate::month(2021, 9))));
    assert!(by("sentence", Some(FuzzyDate::day(2022, 9, 21))));
    assert!(by("search", Some(FuzzyDate::day(2025, 6, 18))));
    assert!(by("detention", Some(FuzzyDate::day(2025, 6, 22))));
    assert!(by("arrest_custody", Some(FuzzyDate::day(2025, 6, 23))));
    let custody = find(&events, "arrest_custody");
    assert_eq!(custody.detail("until"), Some("2025-03-24"));
    assert_eq!(custody.detail("measure"), Some("custody"));
    let sentence = find(&events, "sentence");
    assert_eq!(sentence.detail("term"), Some("17 years"));
    assert_eq!(sentence.detail("regime"), Some("strict"));
}

#[test]
fn a_sentence_opening_with_a_date_dates_all_its_events() {
    let (_, events) = analyse_plain(
        "On 4 September 2021, officers searched the house of Nariman Dzhelyal and detained him.",
        &["Nariman Dzhelyal"],
    );
    for t in ["search", "detention"] {
        assert_eq!(
            find(&events, t).date,
            Some(FuzzyDate::day(2021, 9, 4)),
            "{t}"
        );
    }
    assert_eq!(find(&events, "search").victims, vec![0]);
}

#[test]
fn details_by_type() {
    let (_, events) = analyse_plain("Ali Ametov was charged under Part 1 of Article 278. Server Kadyrov was given a suspended sentence. \
         Enver Umerov received 12 days of administrative arrest. Asan Akhtemov was transferred to Rostov-on-Don.", &["Ali Ametov", "Server Kadyrov", "Enver Umerov", "Asan Akhtemov"]);
    let charge = find(&events, "charge");
    assert_eq!(
        (
            charge.details["article"].as_str(),
            charge.details["part"].as_str()
        ),
        ("278", "1")
    );
    assert_eq!(find(&events, "sentence").details["regime"], "suspended");
    assert_eq!(
        find(&events, "administrative_penalty").details["days"],
        "12"
    );
    assert_eq!(
        find(&events, "transfer").details["destination"],
        "Rostov-on-Don"
    );
}

#[test]
fn one_event_reported_twice_in_an_article_is_one_event() {
    let (_, events) = analyse(
        "Server Kadyrov was detained. Server Kadyrov was detained on 4 May 2023 in Simferopol.",
        None,
        &[P("Server Kadyrov", &[])],
        &["Simferopol"],
        &[],
    );
    assert_eq!(events.events.len(), 1);
    let e = &events.events[0];
    assert_eq!(e.date, Some(FuzzyDate::day(2023, 5, 4)));
    assert_eq!(e.place.as_deref(), Some("Simferopol"));
    assert_eq!(
        e.evidence.text,
        "Server Kadyrov was detained on 4 May 2023 in Simferopol."
    );
    assert_eq!(e.evidence.start, 29);
}

#[test]
fn evidence_offsets_are_character_offsets() {
    let body = "Нариман said nothing.\n\nServer Kadyrov was detained.";
    let (_, events) = analyse_plain(body, &["Server Kadyrov"]);
    let e = &events.events[0];
    let text: String = body
        .chars()
        .skip(e.evidence.start)
        .take(e.evidence.end - e.evidence.start)
        .collect();
    assert_eq!(text, e.evidence.text);
    assert_eq!(e.evidence.article, "test");
}

#[test]
fn cases_and_their_defendants() {
    let (people, events) = analyse_plain(
        "Ali Ametov and Server Kadyrov are defendants in the second Bakhchysarai group. \
         The 26 February case was opened against Akhtem Chiygoz. This case drew attention.",
        &["Ali Ametov", "Server Kadyrov", "Akhtem Chiygoz"],
    );
    let names: Vec<&str> = events.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["second Bakhchysarai group", "26 February case"]);
    assert_eq!(events.cases[0].defendants, vec![0, 1]);
    assert_eq!(events.cases[1].defendants, vec![2]);
    // The case's date-like name does not date the charge.
    assert!(has(&people, &events, "charge", "Akhtem Chiygoz"));
    assert_eq!(find(&events, "charge").date, None);
}

#[test]
fn bad_input_does_not_crash() {
    let article = Article {
        paragraphs: vec!["".into(), "…".into()],
        ..Article::default()
    };
    let people = ArticlePeople {
        persons: vec![],
        mentions: vec![PersonMention {
            text: "x".into(),
            start: 50,
            end: 10,
            person: 7,
        }],
        entities: vec![],
    };
    let out = EXTRACTOR.extract(&article, &people);
    assert!(out.events.is_empty());
}

#[test]
fn a_counted_group_is_the_named_victims_when_the_numbers_agree() {
    let (people, events) = analyse_plain("The court sentenced two Crimean Tatars from Alushta. Ali Ametov was sentenced to 12 years. \
         Server Kadyrov received 10 years in a strict-regime colony.", &["Ali Ametov", "Server Kadyrov"]);
    assert!(
        events.events.iter().all(|e| e.victim_group.is_none()),
        "{:?}",
        summary(&people, &events)
    );
    assert!(has(&people, &events, "sentence", "Server Kadyrov"));
}

#[test]
fn a_speaking_relative_reports_and_her_husband_is_not_her() {
    let (people, events) = analyse_plain("Enver Umerov was detained on 3 May 2024. His wife Leniye Umerova told reporters that her husband was beaten.", &["Enver Umerov", "Leniye Umerova"]);
    assert!(
        !summary(&people, &events)
            .iter()
            .any(|(_, v)| v.iter().any(|n| n == "Leniye Umerova")),
        "{:?}",
        summary(&people, &events)
    );
}

/// Summary of one type's events as (sorted victim names, group count, date).
fn typed(
    people: &ArticlePeople,
    events: &ArticleEvents,
    t: &str,
) -> Vec<(Vec<String>, Option<u32>, Option<String>)> {
    events
        .events
        .iter()
        .filter(|e| e.event_type == t)
        .map(|e| {
            let mut names = victim_names(people, e);
            names.sort();
            (
                names,
                e.victim_group.as_ref().and_then(|g| g.count),
                e.date.map(|d| d.to_string()),
            )
        })
        .collect()
}

#[test]
fn a_bare_count_stands_for_the_people_named_before_and_a_day_is_no_count() {
    let (people, events) = analyse(
        "Officers detained Rustem Ablaev, Eldar Kurtveliev and Fevzi Sadykov at dawn.\n\n\
         A court in Simferopol remanded in custody until May 20 three Crimean Tatars. \
         All three are charged with membership of a banned group.",
        Some("2024-03-30"),
        &[
            P("Rustem Ablaev", &[]),
            P("Eldar Kurtveliev", &[]),
            P("Fevzi Sadykov", &[]),
        ],
        &[],
        &[],
    );
    for t in ["arrest_custody", "charge"] {
        let found = typed(&people, &events, t);
        assert_eq!(found.len(), 1, "{t}: {found:?}");
        assert_eq!(found[0].0.len(), 3, "{t}: {found:?}");
        assert_eq!(found[0].1, None, "{t}: the group is the three named men");
    }
}

#[test]
fn two_of_them_were_among_the_counted_group_and_all_of_them_continues_it() {
    let (people, events) = analyse(
        "On Saturday police detained 9 people who laid flowers at the monument. All of them were \
         released in the evening.\n\n\
         On Monday a court sentenced two of them, Dilyaver Seitov and Ayder Umerov, to ten days of \
         administrative arrest. Three other participants were fined 5,000 roubles each.",
        Some("2025-06-03"),
        &[P("Dilyaver Seitov", &[]), P("Ayder Umerov", &[])],
        &[],
        &[],
    );
    let detention = typed(&people, &events, "detention");
    assert!(
        detention.contains(&(vec![], Some(7), Some("2025-05-31".into()))),
        "{detention:?}"
    );
    assert!(detention
        .iter()
        .any(|d| d.0 == ["Ayder Umerov", "Dilyaver Seitov"]));
    let release = typed(&people, &events, "release");
    assert!(
        release.iter().any(|r| r.0.is_empty() && r.1 == Some(7)),
        "{release:?}"
    );
    assert!(release.iter().any(|r| r.0.len() == 2));
    // Days of administrative arrest are an administrative penalty, not a prison sentence.
    assert!(typed(&people, &events, "sentence").is_empty());
    let penalties = typed(&people, &events, "administrative_penalty");
    assert!(penalties.iter().any(|p| p.0.len() == 2), "{penalties:?}");
    assert!(penalties.iter().any(|p| p.1 == Some(3)), "{penalties:?}");
}

#[test]
fn events_told_together_share_their_date() {
    let (people, events) = analyse(
        "Lenur Khalilov was searched and detained on Tuesday. Two weeks earlier, Bekir Useinov was \
         detained during the raid on his workshop on 3 March.",
        Some("2025-03-20"),
        &[P("Lenur Khalilov", &[]), P("Bekir Useinov", &[])],
        &[],
        &[],
    );
    let day = |t: &str, who: &str| {
        typed(&people, &events, t)
            .into_iter()
            .find(|e| e.0.iter().any(|n| n == who))
            .and_then(|e| e.2)
    };
    for (t, who, date) in [
        ("search", "Lenur Khalilov", "2025-03-18"),
        ("detention", "Lenur Khalilov", "2025-03-18"),
        ("detention", "Bekir Useinov", "2025-03-03"),
        ("search", "Bekir Useinov", "2025-03-03"),
    ] {
        assert_eq!(day(t, who).as_deref(), Some(date), "{t} of {who}");
    }
}

#[test]
fn the_date_of_an_alleged_act_is_not_the_date_of_the_charge() {
    let (people, events) = analyse(
        "Ismail Dzhemilov is accused of setting fire to a railway relay box in May.",
        Some("2025-09-01"),
        &[P("Ismail Dzhemilov", &[])],
        &[],
        &[],
    );
    assert_eq!(find(&events, "charge").date, None);
    let _ = people;
}

#[test]
fn an_upheld_verdict_and_a_reference_in_time_are_no_events_of_their_own() {
    let (people, events) = analyse(
        "The appeal court upheld the verdict against Zarema Ibraimova on Friday. \
         Before the exchange, Taras Hnatiuk was held in a colony in Mordovia.",
        Some("2024-11-11"),
        &[P("Zarema Ibraimova", &[]), P("Taras Hnatiuk", &[])],
        &[],
        &[],
    );
    assert!(has(&people, &events, "appeal", "Zarema Ibraimova"));
    assert!(
        typed(&people, &events, "sentence").is_empty(),
        "{:?}",
        summary(&people, &events)
    );
    assert!(typed(&people, &events, "exchange").is_empty());
}

#[test]
fn a_who_clause_is_about_the_person_it_follows() {
    let (people, events) = analyse(
        "Ruslan Chalbash is not related to the activist Enver Bekirov, who was sentenced in 2021 to \
         nine years.",
        Some("2024-02-02"),
        &[P("Ruslan Chalbash", &[]), P("Enver Bekirov", &[])],
        &[],
        &[],
    );
    let sentence = typed(&people, &events, "sentence");
    assert_eq!(sentence.len(), 1);
    assert_eq!(sentence[0].0, vec!["Enver Bekirov".to_string()]);
}

#[test]
fn a_definite_trigger_without_names_dates_the_event_told_before() {
    let (people, events) = analyse(
        "The political prisoner Mykola Savchenko has been transferred to a colony in Omsk.\n\n\
         According to his wife, the transfer took place last Friday.",
        Some("2025-04-16"),
        &[P("Mykola Savchenko", &[])],
        &[],
        &[],
    );
    let transfer = typed(&people, &events, "transfer");
    assert_eq!(
        transfer,
        vec![(
            vec!["Mykola Savchenko".to_string()],
            None,
            Some("2025-04-11".into())
        )]
    );
}

#[test]
fn watching_searches_is_no_event_and_a_group_goes_to_its_nearest_trigger() {
    let (people, events) = analyse(
        "The blogger Seitumer Aliev, who has filmed many searches and court hearings, spoke at the \
         event. As part of the exchange of 40 prisoners, Russia released Ivan Melnyk.",
        Some("2024-10-10"),
        &[P("Seitumer Aliev", &[]), P("Ivan Melnyk", &[])],
        &[],
        &[],
    );
    assert!(typed(&people, &events, "search").is_empty());
    assert!(typed(&people, &events, "trial").is_empty());
    let release = typed(&people, &events, "release");
    assert!(release.iter().all(|r| r.1.is_none()), "{release:?}");
}

#[test]
fn the_month_may_is_no_modal_and_no_event_is_dated_after_the_report() {
    let (people, events) = analyse(
        "Oleksii Danyliuk was detained in August 2023 and in May 2024 sentenced to 6 years. \
         He has been held in a colony in Kirov since 2030.",
        Some("2025-01-10"),
        &[P("Oleksii Danyliuk", &[])],
        &[],
        &[],
    );
    assert_eq!(
        find(&events, "sentence").date,
        Some(FuzzyDate::month(2024, 5))
    );
    assert!(events
        .events
        .iter()
        .all(|e| e.date.is_none_or(|d| d.year <= 2025)));
    let _ = people;
}

#[test]
fn a_pluperfect_event_does_not_take_the_date_the_sentence_opens_with() {
    let (people, events) = analyse(
        "On 2 August, in a prisoner swap, Russia released Petro Kravets, whom a court in Crimea had \
         sentenced to nine years.",
        Some("2025-08-05"),
        &[P("Petro Kravets", &[])],
        &[],
        &[],
    );
    assert_eq!(find(&events, "sentence").date, None);
    assert_eq!(
        find(&events, "exchange").date,
        Some(FuzzyDate::day(2025, 8, 2))
    );
    let _ = people;
}

#[test]
fn a_report_without_a_date_dates_today_by_the_latest_date_it_states() {
    let (people, events) = analyse_plain(
        "On 12 March 2024, officers searched the houses of several believers in Dzhankoi.\n\n\
         The community has faced such raids for a decade.\n\nMost of the men are farmers.\n\n\
         During one of today's searches, officers searched the house of Ruslan Tairov.",
        &["Ruslan Tairov"],
    );
    assert!(has(&people, &events, "search", "Ruslan Tairov"));
    let named = events
        .events
        .iter()
        .find(|e| e.event_type == "search" && e.victims == [0]);
    assert_eq!(
        named.and_then(|e| e.date),
        Some(FuzzyDate::day(2024, 3, 12))
    );
}

#[test]
fn a_relative_clause_inside_a_list_of_names_ends_at_the_next_name() {
    let (people, events) = analyse_plain(
        "Those transferred to colonies include Enver Kadyrov, who is almost blind, Timur Seitov, \
         Rinat Ablaev and Lenur Osmanov.",
        &[
            "Enver Kadyrov",
            "Timur Seitov",
            "Rinat Ablaev",
            "Lenur Osmanov",
        ],
    );
    for name in [
        "Enver Kadyrov",
        "Timur Seitov",
        "Rinat Ablaev",
        "Lenur Osmanov",
    ] {
        assert!(has(&people, &events, "transfer", name), "{name}");
    }
}

#[test]
fn after_serving_the_term_is_no_release() {
    let (people, events) = analyse(
        "The court sentenced Emil Dzhaparov to seven years. After serving the term, Dzhaparov will \
         be placed under supervision for a year.",
        Some("2024-05-02"),
        &[P("Emil Dzhaparov", &[])],
        &[],
        &[],
    );
    assert!(has(&people, &events, "sentence", "Emil Dzhaparov"));
    assert!(!has(&people, &events, "release", "Emil Dzhaparov"));
}

#[test]
fn a_more_precise_date_told_of_one_of_a_list_stays_that_ones() {
    let (people, events) = analyse(
        "During 2025, political prisoners Enver Kadyrov and Timur Seitov were transferred to Russia. \
         In October, Seitov was transferred to a colony in Mordovia.",
        Some("2026-01-20"),
        &[P("Enver Kadyrov", &[]), P("Timur Seitov", &[])],
        &[],
        &[],
    );
    assert!(has(&people, &events, "transfer", "Enver Kadyrov"));
    let date_of = |person: usize| {
        events
            .events
            .iter()
            .find(|e| e.event_type == "transfer" && e.victims.contains(&person))
            .and_then(|e| e.date)
    };
    assert_eq!(date_of(0), Some(FuzzyDate::year(2025)));
    assert_eq!(date_of(1), Some(FuzzyDate::month(2025, 10)));
}

#[test]
fn those_named_later_of_a_counted_group_take_its_date() {
    let (people, events) = analyse(
        "In 2024, at least 12 political prisoners were transferred to colonies in Russia.\n\n\
         \"Families learn about it weeks later,\" the monitors noted.\n\nMost are fathers.\n\n\
         The list of those transferred includes Enver Kadyrov and Timur Seitov.",
        Some("2025-01-15"),
        &[P("Enver Kadyrov", &[]), P("Timur Seitov", &[])],
        &[],
        &[],
    );
    assert!(has(&people, &events, "transfer", "Timur Seitov"));
    let named = events
        .events
        .iter()
        .find(|e| e.event_type == "transfer" && e.victims.contains(&0));
    assert_eq!(named.and_then(|e| e.date), Some(FuzzyDate::year(2024)));
}
