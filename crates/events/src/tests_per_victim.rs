//! Details that hold for one victim of an event, on sentences written for these tests about invented
//! people.

use crate::tests::{analyse, P};
use casebook_model::{ArticleEvents, ArticlePeople, Event};

fn sentence(events: &ArticleEvents) -> &Event {
    match events.events.iter().find(|e| e.event_type == "sentence") {
        Some(e) => e,
        None => panic!("no sentence event in {:?}", events.events),
    }
}

/// The term the event gives the person named `name` as their own, if any.
fn term_of(people: &ArticlePeople, e: &Event, name: &str) -> Option<String> {
    let i = people
        .persons
        .iter()
        .position(|p| p.name == name)
        .unwrap_or(usize::MAX);
    e.details_of(i).get("term").cloned()
}

#[test]
fn co_defendants_sentenced_together_keep_their_own_terms() {
    let (people, events) = analyse(
        "On Tuesday the Southern District Military Court in Rostov-on-Don sentenced Lenur Umerov to 17 \
         years in a strict-regime colony, Dilyaver Seitov to 15 years and Rustem Akimov to 13 years \
         under article 205.2.",
        Some("2024-03-14"),
        &[
            P("Lenur Umerov", &[]),
            P("Dilyaver Seitov", &[]),
            P("Rustem Akimov", &[]),
        ],
        &["Rostov-on-Don"],
        &["Southern District Military Court"],
    );
    let e = sentence(&events);
    assert_eq!(e.victims.len(), 3, "{:?}", events.events);
    let term = |name: &str| term_of(&people, e, name);
    assert_eq!(term("Lenur Umerov").as_deref(), Some("17 years"));
    assert_eq!(term("Dilyaver Seitov").as_deref(), Some("15 years"));
    assert_eq!(term("Rustem Akimov").as_deref(), Some("13 years"));
    // What the sentence says of them all stays the event's.
    assert_eq!(e.details.get("article").map(String::as_str), Some("205.2"));
    assert!(!e.details.contains_key("term"));
}

#[test]
fn names_joined_by_a_conjunction_share_the_next_term() {
    let (people, events) = analyse(
        "The court sentenced Enver Kadyrov to 14 years, and Server Alimov and Ruslan Bekirov \
         to 12 years each.",
        Some("2023-06-02"),
        &[
            P("Enver Kadyrov", &[]),
            P("Server Alimov", &[]),
            P("Ruslan Bekirov", &[]),
        ],
        &[],
        &[],
    );
    let e = sentence(&events);
    assert_eq!(e.victims.len(), 3, "{:?}", events.events);
    let term = |name: &str| term_of(&people, e, name);
    assert_eq!(term("Enver Kadyrov").as_deref(), Some("14 years"));
    assert_eq!(term("Server Alimov").as_deref(), Some("12 years"));
    assert_eq!(term("Ruslan Bekirov").as_deref(), Some("12 years"));
}

#[test]
fn one_term_for_all_stays_on_the_event() {
    let (_, events) = analyse(
        "Eskender Useinov and Timur Ibraimov were sentenced to 11 years each on Monday.",
        Some("2023-06-02"),
        &[P("Eskender Useinov", &[]), P("Timur Ibraimov", &[])],
        &[],
        &[],
    );
    let e = sentence(&events);
    assert_eq!(e.details.get("term").map(String::as_str), Some("11 years"));
    assert!(e.victim_details.is_empty());
}

#[test]
fn separate_sentences_about_each_defendant_stay_apart() {
    let (people, events) = analyse(
        "Lenur Umerov and Dilyaver Seitov were sentenced on Tuesday. Umerov was sentenced to 17 years. \
         Seitov was sentenced to 15 years.",
        Some("2024-03-14"),
        &[P("Lenur Umerov", &[]), P("Dilyaver Seitov", &[])],
        &[],
        &[],
    );
    for (name, want) in [
        ("Lenur Umerov", "17 years"),
        ("Dilyaver Seitov", "15 years"),
    ] {
        let i = people
            .persons
            .iter()
            .position(|p| p.name == name)
            .unwrap_or(99);
        let terms: Vec<String> = events
            .events
            .iter()
            .filter(|e| e.event_type == "sentence" && e.victims.contains(&i))
            .filter_map(|e| e.details_of(i).get("term").cloned())
            .collect();
        assert_eq!(terms, vec![want.to_string()], "{name}: {:?}", events.events);
    }
}

#[test]
fn a_list_said_respectively_gives_each_name_its_item() {
    let (people, events) = analyse(
        "Lenur Umerov, Dilyaver Seitov and Rustem Akimov were sentenced to 17, 15 and 13 years \
         respectively in a strict-regime colony.",
        Some("2024-03-14"),
        &[
            P("Lenur Umerov", &[]),
            P("Dilyaver Seitov", &[]),
            P("Rustem Akimov", &[]),
        ],
        &[],
        &[],
    );
    let e = sentence(&events);
    let term = |name: &str| term_of(&people, e, name);
    assert_eq!(term("Lenur Umerov").as_deref(), Some("17 years"));
    assert_eq!(term("Dilyaver Seitov").as_deref(), Some("15 years"));
    assert_eq!(term("Rustem Akimov").as_deref(), Some("13 years"));
    assert_eq!(e.details.get("regime").map(String::as_str), Some("strict"));
    assert!(!e.details.contains_key("term"), "{:?}", e.details);

    // Without "respectively" the list says nothing of who got which.
    let (_, events) = analyse(
        "Lenur Umerov and Dilyaver Seitov were sentenced to terms between 17 and 15 years.",
        Some("2024-03-14"),
        &[P("Lenur Umerov", &[]), P("Dilyaver Seitov", &[])],
        &[],
        &[],
    );
    assert!(sentence(&events).victim_details.is_empty());
}

#[test]
fn amounts_said_respectively_keep_their_digit_groups() {
    let (people, events) = analyse(
        "A court in Simferopol fined Server Mustafayev and Edem Bekirov 20,000 and 30,000 rubles \
         respectively for a single picket.",
        Some("2024-03-14"),
        &[P("Server Mustafayev", &[]), P("Edem Bekirov", &[])],
        &["Simferopol"],
        &[],
    );
    let fine = match events
        .events
        .iter()
        .find(|e| e.details.contains_key("currency"))
    {
        Some(e) => e,
        None => panic!("no fine in {:?}", events.events),
    };
    let amount = |name: &str| {
        let i = people.persons.iter().position(|p| p.name == name);
        fine.details_of(i.unwrap_or(usize::MAX))
            .get("amount")
            .cloned()
    };
    assert_eq!(amount("Server Mustafayev").as_deref(), Some("20000"));
    assert_eq!(amount("Edem Bekirov").as_deref(), Some("30000"));
}

#[test]
fn russian_and_ukrainian_lists_said_respectively() {
    use crate::tests_languages::{analyse as analyse_in, P as Forms};
    let persons = [
        Forms("Ленур Умеров", &["Ленура Умерова"]),
        Forms("Дилявер Сеитов", &["Дилявера Сеитова"]),
        Forms("Рустем Акимов", &["Рустема Акимова"]),
    ];
    let (people, events) = analyse_in(
        "ru",
        "Южный окружной военный суд приговорил Ленура Умерова, Дилявера Сеитова и Рустема \
         Акимова к 17, 15 и 13 годам колонии строгого режима соответственно.",
        Some("2024-03-14"),
        &persons,
    );
    let e = sentence(&events);
    for (name, want) in [
        ("Ленур Умеров", "17 years"),
        ("Дилявер Сеитов", "15 years"),
        ("Рустем Акимов", "13 years"),
    ] {
        assert_eq!(
            term_of(&people, e, name).as_deref(),
            Some(want),
            "{name}: {e:?}"
        );
    }
    let persons = [
        Forms("Ленур Умеров", &["Ленура Умерова"]),
        Forms("Рустем Акімов", &["Рустема Акімова"]),
    ];
    let (people, events) = analyse_in(
        "uk",
        "Суд засудив Ленура Умерова та Рустема Акімова до 14 і 12 років позбавлення волі \
         відповідно.",
        Some("2024-03-14"),
        &persons,
    );
    let e = sentence(&events);
    for (name, want) in [("Ленур Умеров", "14 years"), ("Рустем Акімов", "12 years")]
    {
        assert_eq!(
            term_of(&people, e, name).as_deref(),
            Some(want),
            "{name}: {e:?}"
        );
    }
}
