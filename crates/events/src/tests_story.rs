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
