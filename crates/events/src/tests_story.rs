//! How an article's story is told: events named only to time another, groups whose names follow, and
//! demands that are not decisions; on sentences written for these tests about invented people.

use crate::tests::{analyse, P};

#[test]
fn an_arrest_named_to_time_a_verdict_takes_neither_its_date_nor_its_place() {
    let (_, events) = analyse(
        "Emir Khalilov was detained at his home in Dzhankoi in February 2023.\n\nOn November 30 the \
         Southern District Military Court in Rostov-on-Don sentenced Khalilov to 14 years, less \
         than ten months after his arrest.",
        Some("2023-12-01"),
        &[P("Emir Khalilov", &[])],
        &["Dzhankoi", "Rostov-on-Don"],
        &["Southern District Military Court"],
    );
    let detentions: Vec<_> = events
        .events
        .iter()
        .filter(|e| e.event_type == "detention")
        .collect();
    assert_eq!(detentions.len(), 1, "{:?}", events.events);
    assert_eq!(detentions[0].place.as_deref(), Some("Dzhankoi"));
    assert_eq!(
        detentions[0].date.map(|d| d.to_string()).as_deref(),
        Some("2023-02")
    );
    let sentence = events.events.iter().find(|e| e.event_type == "sentence");
    assert_eq!(
        sentence.and_then(|e| e.place.clone()).as_deref(),
        Some("Rostov-on-Don")
    );
}

#[test]
fn an_arrest_named_only_to_time_a_verdict_stays_undated() {
    let (_, events) = analyse(
        "On November 30 a court in Rostov-on-Don sentenced Emir Khalilov to 14 years, less than \
         ten months after his arrest.",
        Some("2023-12-01"),
        &[P("Emir Khalilov", &[])],
        &["Rostov-on-Don"],
        &[],
    );
    for e in events.events.iter().filter(|e| e.event_type != "sentence") {
        assert_eq!(e.date, None, "{e:?}");
        assert_eq!(e.place, None, "{e:?}");
    }
}

#[test]
fn a_prosecutors_demand_is_no_sentence() {
    for text in [
        "The prosecutor asked the court to sentence Emir Khalilov to 15 years in a strict-regime colony.",
        "Prosecutors requested 19 years in prison for Emir Khalilov.",
        "The prosecution demanded that Emir Khalilov be sentenced to 17 years.",
        "State prosecutor Ivan Petrenko asked for a 12-year sentence for Emir Khalilov.",
        "The prosecutor sought a 14-year prison sentence for Emir Khalilov on Tuesday.",
    ] {
        let (_, events) = analyse(text, Some("2024-02-01"), &[P("Emir Khalilov", &[])], &[], &[]);
        assert!(
            events.events.iter().all(|e| e.event_type != "sentence"),
            "{text}: {:?}",
            events.events
        );
    }
}

#[test]
fn a_group_sentenced_is_named_in_the_next_sentence() {
    let (people, events) = analyse(
        "Four Crimean Tatar men were sentenced on Monday to between 12 and 17 years in prison. They \
         are Enver Kadyrov, Server Alimov, Ruslan Bekirov and Timur Ibraimov.",
        Some("2024-02-06"),
        &[
            P("Enver Kadyrov", &[]),
            P("Server Alimov", &[]),
            P("Ruslan Bekirov", &[]),
            P("Timur Ibraimov", &[]),
        ],
        &[],
        &[],
    );
    for p in &people.persons {
        let i = people
            .persons
            .iter()
            .position(|q| q.name == p.name)
            .unwrap_or(99);
        let dated = events.events.iter().any(|e| {
            e.event_type == "sentence"
                && e.victims.contains(&i)
                && e.date.map(|d| d.to_string()).as_deref() == Some("2024-02-05")
        });
        assert!(dated, "{}: {:?}", p.name, events.events);
    }
}

#[test]
fn cases_named_by_their_charge_or_by_brothers_are_cases() {
    let (people, events) = analyse(
        "Lenur Umerov, one of the defendants in the sabotage case, was sentenced on Monday to 15 \
         years.\n\nHis cousin Ruslan Bekirov is held in the case of the Abdullaev brothers.",
        Some("2024-02-06"),
        &[P("Lenur Umerov", &[]), P("Ruslan Bekirov", &[])],
        &[],
        &[],
    );
    let names: Vec<(&str, Vec<&str>)> = events
        .cases
        .iter()
        .map(|c| {
            let who = c
                .defendants
                .iter()
                .map(|&d| people.persons[d].name.as_str())
                .collect();
            (c.name.as_str(), who)
        })
        .collect();
    assert!(
        names.contains(&("sabotage case", vec!["Lenur Umerov"])),
        "{names:?}"
    );
    assert!(
        names.contains(&("case of the Abdullaev brothers", vec!["Ruslan Bekirov"])),
        "{names:?}"
    );
}

#[test]
fn an_event_named_to_time_another_keeps_a_date_of_its_own() {
    let (_, events) = analyse(
        "Emir Khalilov told the court that after his detention in October 2022 he was beaten.",
        Some("2023-12-01"),
        &[P("Emir Khalilov", &[])],
        &[],
        &[],
    );
    let d = events.events.iter().find(|e| e.event_type == "detention");
    assert_eq!(
        d.and_then(|e| e.date).map(|d| d.to_string()).as_deref(),
        Some("2022-10"),
        "{:?}",
        events.events
    );
}
