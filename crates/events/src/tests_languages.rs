//! Extractor tests in Russian and Ukrainian, on sentences written for them in the manner of Crimean
//! Solidarity and Krym.Realii reports, about invented people.

use super::*;
use crate::status::Dated;
use crate::tests::{analyse_article, test_article, Named};
use casebook_model::{Event, FuzzyDate};

/// An invented person: the name, and the forms the text writes it in (inflected as written).
pub(crate) struct P(pub(crate) &'static str, pub(crate) &'static [&'static str]);

pub(crate) fn analyse(
    language: &str,
    body: &str,
    published: Option<&str>,
    persons: &[P],
) -> (ArticlePeople, ArticleEvents) {
    let named: Vec<Named> = persons
        .iter()
        .map(|p| {
            let mut forms = p.1.to_vec();
            // The longer forms first, so that an inflected full name is one mention.
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            Named {
                name: p.0,
                descriptors: &[],
                forms,
            }
        })
        .collect();
    let article = test_article(Some(language), body, published);
    analyse_article(article, &named, &[], &[])
}

fn types_of(people: &ArticlePeople, events: &ArticleEvents, victim: &str) -> Vec<String> {
    events
        .events
        .iter()
        .filter(|e| e.victims.iter().any(|&v| people.persons[v].name == victim))
        .map(|e| e.event_type.clone())
        .collect()
}

fn event<'a>(events: &'a ArticleEvents, t: &str) -> &'a Event {
    match events.events.iter().find(|e| e.event_type == t) {
        Some(e) => e,
        None => panic!("no {t} event in {:?}", events.events),
    }
}

const RESHAT: P = P(
    "Решат Абдурахманов",
    &[
        "Решат Абдурахманов",
        "Решата Абдурахманова",
        "Решату Абдурахманову",
        "Абдурахманова",
        "Абдурахманов",
    ],
);
const ISMAIL: P = P(
    "Ісмаїл Рамазанов",
    &[
        "Ісмаїл Рамазанов",
        "Ісмаїла Рамазанова",
        "Ісмаїлу Рамазанову",
        "Рамазанова",
        "Рамазанов",
    ],
);

#[test]
fn every_type_is_found_in_russian() {
    let cases: &[(&str, &str)] = &[
        (
            "search",
            "Сотрудники ФСБ провели обыск в доме Решата Абдурахманова.",
        ),
        (
            "detention",
            "Решата Абдурахманова задержали утром у мечети.",
        ),
        (
            "arrest_custody",
            "Киевский районный суд арестовал Решата Абдурахманова на два месяца.",
        ),
        (
            "charge",
            "Решату Абдурахманову предъявили обвинение по ч. 2 ст. 205.5 УК РФ.",
        ),
        (
            "trial",
            "В военном суде начались судебные заседания, на скамье подсудимых Решат Абдурахманов.",
        ),
        (
            "sentence",
            "Суд приговорил Решата Абдурахманова к 17 годам колонии строгого режима.",
        ),
        (
            "appeal",
            "Апелляционный суд оставил приговор Решату Абдурахманову без изменения.",
        ),
        ("torture", "Решата Абдурахманова избили во время допроса."),
        (
            "coercion_recruitment",
            "Решата Абдурахманова склоняли к сотрудничеству с ФСБ.",
        ),
        (
            "abduction_disappearance",
            "Решата Абдурахманова похитили неизвестные в камуфляже.",
        ),
        (
            "transfer",
            "Решата Абдурахманова этапировали в Ростов-на-Дону.",
        ),
        (
            "release",
            "Решат Абдурахманов вышел на свободу, полностью отбыв срок.",
        ),
        (
            "exchange",
            "Решат Абдурахманов вернулся в Украину в результате обмена пленными.",
        ),
        (
            "citizenship_deprivation",
            "Решата Абдурахманова лишили гражданства Украины.",
        ),
        (
            "administrative_penalty",
            "Решата Абдурахманова оштрафовали на 10 тысяч рублей.",
        ),
        ("death", "Решат Абдурахманов умер в колонии."),
    ];
    for (t, sentence) in cases {
        let (people, events) = analyse("ru", sentence, None, &[RESHAT]);
        let found = types_of(&people, &events, RESHAT.0);
        assert!(
            found.iter().any(|f| f == t),
            "{t} not found in {sentence:?}: {found:?}"
        );
    }
}

#[test]
fn every_type_is_found_in_ukrainian() {
    let cases: &[(&str, &str)] = &[
        (
            "search",
            "Співробітники ФСБ провели обшук у будинку Ісмаїла Рамазанова.",
        ),
        (
            "detention",
            "Ісмаїла Рамазанова затримали вранці біля мечеті.",
        ),
        (
            "arrest_custody",
            "Київський районний суд заарештував Ісмаїла Рамазанова на два місяці.",
        ),
        (
            "charge",
            "Ісмаїлу Рамазанову висунули обвинувачення за ч. 2 ст. 205.5 КК РФ.",
        ),
        (
            "trial",
            "Почався розгляд справи Ісмаїла Рамазанова у військовому суді.",
        ),
        (
            "sentence",
            "Суд засудив Ісмаїла Рамазанова до 17 років колонії суворого режиму.",
        ),
        (
            "appeal",
            "Апеляційний суд залишив вирок Ісмаїлу Рамазанову без змін.",
        ),
        ("torture", "Ісмаїла Рамазанова побили під час допиту."),
        (
            "coercion_recruitment",
            "Ісмаїла Рамазанова схиляли до співпраці з ФСБ.",
        ),
        (
            "abduction_disappearance",
            "Ісмаїла Рамазанова викрали невідомі в камуфляжі.",
        ),
        (
            "transfer",
            "Ісмаїла Рамазанова етапували до Ростова-на-Дону.",
        ),
        (
            "release",
            "Ісмаїл Рамазанов вийшов на волю, відбувши термін повністю.",
        ),
        (
            "exchange",
            "Ісмаїл Рамазанов повернувся в Україну в результаті обміну полоненими.",
        ),
        (
            "citizenship_deprivation",
            "Ісмаїла Рамазанова позбавили громадянства України.",
        ),
        (
            "administrative_penalty",
            "Ісмаїла Рамазанова оштрафували на 10 тисяч рублів.",
        ),
        ("death", "Ісмаїл Рамазанов помер у колонії."),
    ];
    for (t, sentence) in cases {
        let (people, events) = analyse("uk", sentence, None, &[ISMAIL]);
        let found = types_of(&people, &events, ISMAIL.0);
        assert!(
            found.iter().any(|f| f == t),
            "{t} not found in {sentence:?}: {found:?}"
        );
    }
}

#[test]
fn inflected_forms_of_a_trigger_all_report_it() {
    for sentence in [
        "Решат Абдурахманов был задержан в Симферополе.",
        "Решата Абдурахманова задержали в Симферополе.",
        "Задержание Решата Абдурахманова произошло в Симферополе.",
    ] {
        let (people, events) = analyse("ru", sentence, None, &[RESHAT]);
        assert_eq!(
            types_of(&people, &events, RESHAT.0),
            ["detention"],
            "{sentence}"
        );
    }
    for sentence in [
        "Ісмаїла Рамазанова затримали в Сімферополі.",
        "Ісмаїл Рамазанов був затриманий в Сімферополі.",
        "Затримання Ісмаїла Рамазанова відбулося в Сімферополі.",
    ] {
        let (people, events) = analyse("uk", sentence, None, &[ISMAIL]);
        assert_eq!(
            types_of(&people, &events, ISMAIL.0),
            ["detention"],
            "{sentence}"
        );
    }
}

#[test]
fn traps_report_no_event() {
    for sentence in [
        "Решата Абдурахманова не задерживали.",
        "Решату Абдурахманову грозит до 20 лет лишения свободы.",
        "Решата Абдурахманова могут задержать в любой момент.",
        "Родные опасаются, что Решата Абдурахманова могут похитить.",
        // A restriction that starts after a release yet to come.
        "Решату Абдурахманову назначили год ограничения свободы после освобождения.",
    ] {
        let (people, events) = analyse("ru", sentence, None, &[RESHAT]);
        let found = types_of(&people, &events, RESHAT.0);
        assert!(found.is_empty(), "{sentence:?} gave {found:?}");
    }
    for sentence in [
        "Ісмаїла Рамазанова не затримували.",
        "Ісмаїлу Рамазанову загрожує до 20 років позбавлення волі.",
        "Ісмаїла Рамазанова можуть затримати будь-якої миті.",
    ] {
        let (people, events) = analyse("uk", sentence, None, &[ISMAIL]);
        let found = types_of(&people, &events, ISMAIL.0);
        assert!(found.is_empty(), "{sentence:?} gave {found:?}");
    }
}

#[test]
fn an_arrest_counted_in_days_is_an_administrative_penalty() {
    let (people, events) = analyse(
        "ru",
        "Суд арестовал Решата Абдурахманова на 10 суток за пост в соцсети.",
        None,
        &[RESHAT],
    );
    assert_eq!(
        types_of(&people, &events, RESHAT.0),
        ["administrative_penalty"]
    );
    let penalty = event(&events, "administrative_penalty");
    assert_eq!(penalty.detail("days"), Some("10"));
    let (people, events) = analyse(
        "uk",
        "Суд заарештував Ісмаїла Рамазанова на 12 діб.",
        None,
        &[ISMAIL],
    );
    assert_eq!(
        types_of(&people, &events, ISMAIL.0),
        ["administrative_penalty"]
    );
}

#[test]
fn a_claim_of_the_fsb_is_the_fsbs() {
    let (_, events) = analyse(
        "ru",
        "По версии ФСБ, Решат Абдурахманов был задержан с запрещенной литературой.",
        None,
        &[RESHAT],
    );
    assert_eq!(
        event(&events, "detention").claimed_by.as_deref(),
        Some("FSB")
    );
}

#[test]
fn dates_resolve_against_the_article_date() {
    // Thursday, 14 November 2019.
    let published = Some("2019-11-14");
    let cases: &[(&str, &str, FuzzyDate)] = &[
        (
            "ru",
            "Решата Абдурахманова задержали 12 ноября 2019 года.",
            FuzzyDate::day(2019, 11, 12),
        ),
        (
            "ru",
            "Вчера Решата Абдурахманова задержали.",
            FuzzyDate::day(2019, 11, 13),
        ),
        (
            "ru",
            "Решата Абдурахманова задержали в среду.",
            FuzzyDate::day(2019, 11, 13),
        ),
        (
            "ru",
            "Решата Абдурахманова задержали 2 ноября.",
            FuzzyDate::day(2019, 11, 2),
        ),
        (
            "ru",
            "Решата Абдурахманова задержали в марте 2018 года.",
            FuzzyDate::month(2018, 3),
        ),
        (
            "ru",
            "Решата Абдурахманова задержали в 2017 году.",
            FuzzyDate::year(2017),
        ),
        (
            "ru",
            "Решата Абдурахманова задержали 03.10.2019 в Джанкое.",
            FuzzyDate::day(2019, 10, 3),
        ),
        (
            "uk",
            "Ісмаїла Рамазанова затримали 15 листопада 2018 року.",
            FuzzyDate::day(2018, 11, 15),
        ),
        (
            "uk",
            "Вчора Ісмаїла Рамазанова затримали.",
            FuzzyDate::day(2019, 11, 13),
        ),
        (
            "uk",
            "Ісмаїла Рамазанова затримали у середу.",
            FuzzyDate::day(2019, 11, 13),
        ),
        (
            "uk",
            "Ісмаїла Рамазанова затримали у березні 2018 року.",
            FuzzyDate::month(2018, 3),
        ),
        (
            "uk",
            "Ісмаїла Рамазанова затримали у 2017 році.",
            FuzzyDate::year(2017),
        ),
    ];
    for (language, sentence, date) in cases {
        let person = if *language == "ru" { RESHAT } else { ISMAIL };
        let (_, events) = analyse(language, sentence, published, &[person]);
        assert_eq!(event(&events, "detention").date, Some(*date), "{sentence}");
    }
}

#[test]
fn details_of_sentences_charges_fines_and_custody() {
    let (_, events) = analyse(
        "ru",
        "Суд приговорил Решата Абдурахманова к 12 годам и 6 месяцам колонии строгого режима.",
        None,
        &[RESHAT],
    );
    let sentence = event(&events, "sentence");
    assert_eq!(sentence.detail("term"), Some("12 years 6 months"));
    assert_eq!(sentence.detail("regime"), Some("strict"));
    let (_, events) = analyse(
        "ru",
        "Решата Абдурахманова приговорили к восьми с половиной годам по ч. 1 ст. 278 УК РФ.",
        None,
        &[RESHAT],
    );
    let sentence = event(&events, "sentence");
    assert_eq!(sentence.detail("term"), Some("8.5 years"));
    assert_eq!(sentence.detail("article"), Some("278"));
    assert_eq!(sentence.detail("part"), Some("1"));
    let (_, events) = analyse(
        "uk",
        "Суд засудив Ісмаїла Рамазанова на 12 років колонії загального режиму за статтею 205.5.",
        None,
        &[ISMAIL],
    );
    let sentence = event(&events, "sentence");
    assert_eq!(sentence.detail("term"), Some("12 years"));
    assert_eq!(sentence.detail("regime"), Some("general"));
    assert_eq!(sentence.detail("article"), Some("205.5"));
    let (_, events) = analyse(
        "uk",
        "Ісмаїла Рамазанова оштрафували на 40 тисяч рублів.",
        None,
        &[ISMAIL],
    );
    let fine = event(&events, "administrative_penalty");
    assert_eq!(fine.detail("amount"), Some("40000"));
    assert_eq!(fine.detail("currency"), Some("RUB"));
    let (_, events) = analyse(
        "ru",
        "Суд отправил Решата Абдурахманова под домашний арест.",
        None,
        &[RESHAT],
    );
    let custody = event(&events, "arrest_custody");
    assert_eq!(custody.detail("measure"), Some("house_arrest"));
}

#[test]
fn a_pronoun_takes_the_person_named_before_and_english_is_unchanged() {
    let (people, events) = analyse(
        "ru",
        "Решат Абдурахманов вернулся домой из мечети.\n\nВечером его задержали сотрудники полиции.",
        None,
        &[RESHAT],
    );
    assert_eq!(types_of(&people, &events, RESHAT.0), ["detention"]);
    // The same words in an article of no known language are read as English: no event.
    let (people, events) = analyse("tr", "Решата Абдурахманова задержали.", None, &[RESHAT]);
    assert!(types_of(&people, &events, RESHAT.0).is_empty());
    assert_eq!(Extractor::new().languages(), ["en", "ru", "uk", "crh"]);
}

const LENUR: P = P("Lenur Qurtumerov", &["Lenur Qurtumerov", "Qurtumerov"]);

#[test]
fn crimean_tatar_reports_the_common_types_with_their_dates() {
    let (people, events) = analyse(
        "crh",
        "2023 senesi 14 fevralde FSB hadimleri Lenur Qurtumerov evinde tintüv keçirdiler.\n\n\
         Tintüvden soñ Qurtumerov tutıldı. Mahkeme onı apiske aldı.\n\n\
         2024 senesi 3 oktâbrde mahkeme Qurtumerov içün 11 yıl apis cezası kesti.",
        Some("2024-10-05"),
        &[LENUR],
    );
    let types = types_of(&people, &events, LENUR.0);
    for t in ["search", "detention", "arrest_custody", "sentence"] {
        assert!(types.iter().any(|x| x == t), "{t} missing in {types:?}");
    }
    assert_eq!(
        event(&events, "search").date,
        Some(FuzzyDate::day(2023, 2, 14))
    );
    assert_eq!(
        event(&events, "sentence").date,
        Some(FuzzyDate::day(2024, 10, 3))
    );
    assert_eq!(
        event(&events, "sentence")
            .details
            .get("term")
            .map(String::as_str),
        Some("11 years")
    );
}

#[test]
fn crimean_tatar_negation_is_a_suffix_of_the_verb() {
    // "tutulmadı": he was not detained; the negated form stems apart from "tutuldı".
    let (people, events) = analyse(
        "crh",
        "Bugün Lenur Qurtumerov tutulmadı, amma onıñ evinde tintüv keçirildi.",
        Some("2024-10-05"),
        &[LENUR],
    );
    assert_eq!(types_of(&people, &events, LENUR.0), ["search"]);
    assert_eq!(
        event(&events, "search").date,
        Some(FuzzyDate::day(2024, 10, 5))
    );
}

const KADYROV: P = P(
    "Ленур Кадыров",
    &[
        "Ленур Кадыров",
        "Ленура Кадырова",
        "Ленуру Кадырову",
        "Кадырова",
    ],
);
const ZEKI: P = P(
    "Зеки Асанов",
    &["Зеки Асанов", "Зеки Асанова", "Зеки Асанову", "Асанова"],
);
const EDIP: P = P(
    "Эдип Халилов",
    &[
        "Эдип Халилов",
        "Эдипа Халилова",
        "Эдипу Халилову",
        "Халилова",
    ],
);

#[test]
fn a_clause_with_its_verb_left_out_shares_the_event() {
    // "… а Б и В — в СИЗО": the second clause's verb is the first's.
    let (people, events) = analyse(
        "ru",
        "На следующий день суд отправил Ленура Кадырова под домашний арест, а Зеки Асанова и Эдипа \
         Халилова — в СИЗО на два месяца.",
        Some("2024-03-02"),
        &[KADYROV, ZEKI, EDIP],
    );
    for name in ["Ленур Кадыров", "Зеки Асанов", "Эдип Халилов"] {
        assert!(
            types_of(&people, &events, name).contains(&"arrest_custody".to_string()),
            "{name}: {:?}",
            events.events
        );
    }
    // Without the dash the clause has a verb of its own, and is no part of the arrest.
    let (people, events) = analyse(
        "ru",
        "Суд отправил Ленура Кадырова под домашний арест, а Зеки Асанов вернулся домой.",
        Some("2024-03-02"),
        &[KADYROV, ZEKI],
    );
    assert!(types_of(&people, &events, "Зеки Асанов").is_empty());
}

#[test]
fn a_reporter_named_after_an_outlet_in_quotes_is_no_victim() {
    let (people, events) = analyse(
        "ru",
        "Суд оштрафовал Ленура Кадырова на 2 тысячи рублей. Как рассказал корреспондент «Крымского \
         ветра» Зеки Асанов, поводом для административного дела стала публикация в соцсети.",
        Some("2024-03-02"),
        &[KADYROV, ZEKI],
    );
    assert!(
        types_of(&people, &events, "Ленур Кадыров").contains(&"administrative_penalty".to_string())
    );
    assert!(
        types_of(&people, &events, "Зеки Асанов").is_empty(),
        "{:?}",
        events.events
    );
}

#[test]
fn the_relatives_of_someone_are_not_the_sentence_s_other_people() {
    // "его детей пытали": the children were tortured, not the man the sentence is about.
    let (people, events) = analyse(
        "ru",
        "Суд приговорил Ленура Кадырова к 12 годам колонии. Защита нашла ведущего встречи — он уехал \
         вместе с семьей в Киев, после того как его детей пытали током оперативники.",
        Some("2024-03-02"),
        &[KADYROV],
    );
    assert_eq!(
        types_of(&people, &events, "Ленур Кадыров"),
        vec!["sentence".to_string()]
    );
}

#[test]
fn a_short_news_item_is_told_on_its_date_paragraph_after_paragraph() {
    // No date stated in the text: the news, told over several paragraphs, took place on the report's date.
    let (people, events) = analyse(
        "ru",
        "В Джанкое силовики пришли с обысками к крымским татарам.\n\nСотрудники ФСБ пришли домой к \
         Ленуру Кадырову и Зеки Асанову.\n\nОбыск у Кадырова уже закончился, его повезли в управление \
         ФСБ.\n\nКак передает адвокат Эдип Халилов, Зеки Асанова задержали по подозрению в участии в \
         организации.",
        Some("2024-03-02"),
        &[KADYROV, ZEKI, EDIP],
    );
    let day = FuzzyDate::day(2024, 3, 2);
    for (name, t) in [
        ("Ленур Кадыров", "search"),
        ("Зеки Асанов", "search"),
        ("Зеки Асанов", "detention"),
    ] {
        let e = events
            .events
            .iter()
            .find(|e| {
                e.event_type == t && e.victims.iter().any(|&v| people.persons[v].name == name)
            })
            .unwrap_or_else(|| panic!("no {t} of {name}: {:?}", events.events));
        assert_eq!(e.date, Some(day), "{t} of {name}");
    }
    // "задержали по подозрению": the suspicion is the ground of the detention, no charge of its own.
    assert!(!types_of(&people, &events, "Зеки Асанов").contains(&"charge".to_string()));
}

#[test]
fn a_counted_group_in_the_dative_is_the_people_named_next() {
    let (people, events) = analyse(
        "ru",
        "5 марта 2024 года в военном суде во время прений обвинение запросило наказание троим фигурантам \
         дела. Прокурор попросил назначить 17 лет колонии Ленуру Кадырову, 15 лет Зеки Асанову и 13 лет \
         Эдипу Халилову.",
        Some("2024-03-06"),
        &[KADYROV, ZEKI, EDIP],
    );
    for name in ["Ленур Кадыров", "Зеки Асанов", "Эдип Халилов"] {
        let types = types_of(&people, &events, name);
        assert!(
            types.contains(&"trial".to_string()),
            "{name}: {:?}",
            events.events
        );
        assert!(
            !types.contains(&"sentence".to_string()),
            "{name}: {:?}",
            events.events
        );
    }
}
