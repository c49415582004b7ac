//! Tests of the whole recogniser on short articles written for them, in the style of the seeds.

use super::*;
use casebook_model::{ArticlePeople, EntityKind, Relation};

fn run(text: &str) -> ArticlePeople {
    Recognizer::new().recognize(text)
}

/// Surface texts of the person mentions.
fn mentions(p: &ArticlePeople) -> Vec<&str> {
    p.mentions.iter().map(|m| m.text.as_str()).collect()
}

/// The person a mention with this surface text at its `nth` occurrence names.
fn person_of(p: &ArticlePeople, surface: &str, nth: usize) -> usize {
    p.mentions
        .iter()
        .filter(|m| m.text == surface)
        .nth(nth)
        .map(|m| m.person)
        .unwrap_or(usize::MAX)
}

fn person_named<'p>(p: &'p ArticlePeople, name: &str) -> &'p casebook_model::ArticlePerson {
    p.persons
        .iter()
        .find(|x| x.name == name)
        .unwrap_or_else(|| panic!("no person {name:?} in {:?}", p.persons))
}

fn entity<'p>(p: &'p ArticlePeople, surface: &str) -> Option<&'p casebook_model::EntityMention> {
    p.entities.iter().find(|e| e.text == surface)
}

#[test]
fn offsets_are_character_offsets_into_the_text() {
    let text = "Ukrinform — «Нариман Джелял» and Nariman Dzhelyal met.";
    let p = run(text);
    let chars: Vec<char> = text.chars().collect();
    assert!(!p.mentions.is_empty());
    for m in &p.mentions {
        let slice: String = chars[m.start..m.end].iter().collect();
        assert_eq!(slice, m.text);
    }
    assert_eq!(mentions(&p), vec!["Нариман Джелял", "Nariman Dzhelyal"]);
    assert_eq!(
        p.mentions[0].person, p.mentions[1].person,
        "one man in two scripts"
    );
}

#[test]
fn seed_style_statement_finds_leader_and_not_groups() {
    let text = "During prisoner exchanges, Russia resists the return of Azov fighters, journalists and Crimean Tatars.\n\n\
        This was stated by the leader of the Crimean Tatar people Mustafa Dzhemilev in a comment to Ukrinform on the sidelines \
        of the OIC summit in Istanbul.\n\n\
        \"They do not want to release the Crimean Tatars,\" Dzhemilev said. He cited the example of Nariman Dzhelal: \
        \"President Erdogan called Putin in my presence with a request to release Dzhelal. Putin promised to consider it.\"\n\n\
        The Mejlis of the Crimean Tatar people called on the participants of the OIC session to help.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec![
            "Mustafa Dzhemilev",
            "Dzhemilev",
            "Nariman Dzhelal",
            "Erdogan",
            "Putin",
            "Dzhelal",
            "Putin"
        ]
    );
    assert_eq!(
        person_of(&p, "Dzhemilev", 0),
        person_of(&p, "Mustafa Dzhemilev", 0)
    );
    assert_eq!(
        person_of(&p, "Dzhelal", 0),
        person_of(&p, "Nariman Dzhelal", 0)
    );
    assert_eq!(person_of(&p, "Putin", 0), person_of(&p, "Putin", 1));
    assert_eq!(p.persons.len(), 4);
    let dzhemilev = person_named(&p, "Mustafa Dzhemilev");
    assert_eq!(
        dzhemilev.descriptors,
        vec!["leader of the Crimean Tatar people"]
    );
    assert!(person_named(&p, "Erdogan")
        .descriptors
        .contains(&"President".to_string()));
    for not_person in [
        "Crimean Tatars",
        "OIC",
        "Mejlis",
        "Ukrinform",
        "Istanbul",
        "Azov",
        "Russia",
        "This",
        "President",
    ] {
        assert!(
            !p.mentions.iter().any(|m| m.text.contains(not_person)),
            "{not_person} taken for a person"
        );
    }
    assert_eq!(
        entity(&p, "OIC").map(|e| e.kind),
        Some(EntityKind::Organization)
    );
    assert_eq!(
        entity(&p, "Istanbul").map(|e| e.kind),
        Some(EntityKind::Place)
    );
    assert_eq!(
        entity(&p, "Ukrinform").map(|e| e.canonical.as_str()),
        Some("Ukrinform")
    );
    assert_eq!(
        entity(&p, "Mejlis of the Crimean Tatar people").map(|e| e.canonical.as_str()),
        Some("Mejlis of the Crimean Tatar People")
    );
}

#[test]
fn seed_style_recruitment_report_links_and_describes() {
    let text = "This was stated by head of the Mejlis of the Crimean Tatar People Refat Chubarov.\n\n\
        The occupiers tried to recruit resident of the peninsula Kurtumer Chalgozov, who had been arrested in his own house. \
        \u{201c}We will imprison you,\u{201d} Chalgozov spoke publicly about their threats.\n\n\
        Another arrested activist, Nariman Ametov, said that he had been subjected to electric shocks.\n\n\
        The authorities tried to link the cases to the proceedings against first deputy head of the Mejlis, Nariman Dzhelyal.\n\n\
        According to Nariman Dzhelyal\u{2019}s defender Nikolai Polozov, only publicity can help. \
        \u{201c}This will be repeated,\u{201d} Nikolai Polozov noted.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec![
            "Refat Chubarov",
            "Kurtumer Chalgozov",
            "Chalgozov",
            "Nariman Ametov",
            "Nariman Dzhelyal",
            "Nariman Dzhelyal",
            "Nikolai Polozov",
            "Nikolai Polozov"
        ]
    );
    assert_eq!(p.persons.len(), 5);
    assert_eq!(
        person_named(&p, "Refat Chubarov").descriptors,
        vec!["head of the Mejlis of the Crimean Tatar People"]
    );
    assert_eq!(
        person_named(&p, "Kurtumer Chalgozov").descriptors,
        vec!["resident of the peninsula"]
    );
    assert_eq!(
        person_named(&p, "Nariman Ametov").descriptors,
        vec!["arrested activist"]
    );
    assert_eq!(
        person_named(&p, "Nariman Dzhelyal").descriptors,
        vec!["first deputy head of the Mejlis"]
    );
    let polozov = person_named(&p, "Nikolai Polozov");
    assert_eq!(polozov.descriptors, vec!["defender"]);
    let dzhelyal = person_of(&p, "Nariman Dzhelyal", 0);
    assert_eq!(
        polozov.relations,
        vec![Relation {
            kind: "lawyer".into(),
            other: dzhelyal
        }]
    );
    assert_eq!(
        entity(&p, "Mejlis").map(|e| e.canonical.as_str()),
        Some("Mejlis of the Crimean Tatar People")
    );
}

#[test]
fn compound_given_names_and_initials() {
    let text = "The court sentenced Emir-Usein Kuku to 12 years. E.-U. Kuku denied the charges, \
        and Kuku's wife Merjen Kuku said the case was fabricated.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec!["Emir-Usein Kuku", "E.-U. Kuku", "Kuku", "Merjen Kuku"]
    );
    let emir = person_of(&p, "Emir-Usein Kuku", 0);
    assert_eq!(person_of(&p, "E.-U. Kuku", 0), emir);
    assert_eq!(person_of(&p, "Kuku", 0), emir);
    let merjen = person_of(&p, "Merjen Kuku", 0);
    assert_ne!(merjen, emir);
    assert_eq!(
        p.persons[merjen].relations,
        vec![Relation {
            kind: "wife".into(),
            other: emir
        }]
    );
    assert_eq!(p.persons[emir].name, "Emir-Usein Kuku");
}

#[test]
fn initials_with_surname_link_to_the_full_name() {
    let p = run("Nariman Dzhelyal was detained. Later N. Dzhelyal was charged.");
    assert_eq!(mentions(&p), vec!["Nariman Dzhelyal", "N. Dzhelyal"]);
    assert_eq!(p.persons.len(), 1);
}

#[test]
fn surname_first_forms() {
    let text = "The documents list the defendants surname first: DZHELYAL Nariman, AKHTEMOV Asan. \
        The prosecution accuses Dzhelyal Nariman of sabotage.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec!["DZHELYAL Nariman", "AKHTEMOV Asan", "Dzhelyal Nariman"]
    );
    assert_eq!(
        person_of(&p, "DZHELYAL Nariman", 0),
        person_of(&p, "Dzhelyal Nariman", 0)
    );
}

#[test]
fn three_part_names_with_patronymic() {
    let p = run("Judge Viktor Nikolaevich Zuev read the verdict. Zuev refused the motion.");
    assert_eq!(mentions(&p), vec!["Viktor Nikolaevich Zuev", "Zuev"]);
    assert_eq!(p.persons.len(), 1);
    assert_eq!(p.persons[0].descriptors, vec!["Judge"]);
}

#[test]
fn brothers_with_one_surname_stay_apart() {
    let text =
        "The brothers Asan and Aziz Akhtemov were detained together. Aziz Akhtemov was beaten. \
        Asan Akhtemov said he was handcuffed to a radiator. Akhtemov added that he had no water. \
        The Akhtemov brothers are in custody.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec![
            "Asan",
            "Aziz Akhtemov",
            "Aziz Akhtemov",
            "Asan Akhtemov",
            "Akhtemov"
        ]
    );
    let asan = person_of(&p, "Asan", 0);
    let aziz = person_of(&p, "Aziz Akhtemov", 0);
    assert_ne!(asan, aziz);
    assert_eq!(person_of(&p, "Asan Akhtemov", 0), asan);
    assert_eq!(person_of(&p, "Aziz Akhtemov", 1), aziz);
    // The bare surname goes to the nearest preceding namesake, not to the first one named.
    assert_eq!(person_of(&p, "Akhtemov", 0), asan);
    assert_eq!(p.persons[asan].name, "Asan Akhtemov");
}

#[test]
fn possessives_are_cut_off_the_mention() {
    let p = run("Lawyer Emil Kurbedinov spoke. Kurbedinov's client was not present; Kurbedinov’s motion failed.");
    assert_eq!(
        mentions(&p),
        vec!["Emil Kurbedinov", "Kurbedinov", "Kurbedinov"]
    );
    assert_eq!(p.persons.len(), 1);
    assert_eq!(p.persons[0].descriptors, vec!["Lawyer"]);
}

#[test]
fn relations_from_pronouns_and_of_phrases() {
    let text = "Political prisoner Server Mustafayev was sentenced. His son Seitumer Mustafayev was eight. \
        Mavile Mustafayeva, the wife of Server Mustafayev, attended the hearing.";
    let p = run(text);
    let server = person_of(&p, "Server Mustafayev", 0);
    let son = person_of(&p, "Seitumer Mustafayev", 0);
    let wife = person_of(&p, "Mavile Mustafayeva", 0);
    assert_eq!(p.persons.len(), 3);
    assert_eq!(
        p.persons[son].relations,
        vec![Relation {
            kind: "son".into(),
            other: server
        }]
    );
    assert_eq!(
        p.persons[wife].relations,
        vec![Relation {
            kind: "wife".into(),
            other: server
        }]
    );
    assert_eq!(p.persons[server].descriptors, vec!["Political prisoner"]);
    assert!(
        p.persons[wife].descriptors.is_empty(),
        "{:?}",
        p.persons[wife].descriptors
    );
}

#[test]
fn descriptors_before_and_after_names() {
    let text = "FSB investigator Andrei Petrenko questioned citizen journalist Remzi Bekirov. \
        Osman Arifmemetov, a civic activist, was also questioned.";
    let p = run(text);
    assert_eq!(
        person_named(&p, "Andrei Petrenko").descriptors,
        vec!["FSB investigator"]
    );
    assert_eq!(
        person_named(&p, "Remzi Bekirov").descriptors,
        vec!["citizen journalist"]
    );
    assert_eq!(
        person_named(&p, "Osman Arifmemetov").descriptors,
        vec!["civic activist"]
    );
}

#[test]
fn courts_and_places_are_entities_never_people() {
    let text = "The Kyivskyi District Court of Simferopol remanded him in custody. The Southern District Military Court \
        in Rostov-on-Don later sentenced Ruslan Suleimanov. He was taken to Lefortovo in Moscow, then to Novocherkassk. \
        Crimean Solidarity reported that searches took place in Bakhchisaray and Simferopol'.";
    let p = run(text);
    assert_eq!(mentions(&p), vec!["Ruslan Suleimanov"]);
    let court = entity(&p, "Kyivskyi District Court of Simferopol").expect("first court");
    assert_eq!(court.kind, EntityKind::Organization);
    assert_eq!(court.canonical, "Kyivskyi District Court of Simferopol");
    let military = entity(&p, "Southern District Military Court \nin Rostov-on-Don")
        .or_else(|| entity(&p, "Southern District Military Court in Rostov-on-Don"))
        .or_else(|| {
            p.entities
                .iter()
                .find(|e| e.text.starts_with("Southern District Military Court"))
        })
        .expect("military court");
    assert_eq!(military.kind, EntityKind::Organization);
    assert_eq!(
        entity(&p, "Bakhchisaray").map(|e| e.canonical.as_str()),
        Some("Bakhchysarai")
    );
    assert_eq!(
        entity(&p, "Simferopol'").map(|e| e.canonical.as_str()),
        Some("Simferopol")
    );
    assert_eq!(
        entity(&p, "Lefortovo").map(|e| e.kind),
        Some(EntityKind::Place)
    );
    assert_eq!(
        entity(&p, "Crimean Solidarity").map(|e| e.kind),
        Some(EntityKind::Organization)
    );
}

#[test]
fn headline_and_sentence_opening_words_are_not_people() {
    let text = "Occupiers Detain Crimean Tatar Activists In Dzhankoi\n\n\
        According to Crimean Solidarity, the men were taken away. Another detainee was released on Monday in January. \
        The President of Ukraine condemned it. Commenting on the case, the Ukrainian ombudsman spoke.";
    let p = run(text);
    assert!(p.mentions.is_empty(), "{:?}", mentions(&p));
}

#[test]
fn unseen_names_need_evidence() {
    // Unknown given names are accepted on a surname shape, a role word or a verb of saying.
    let p = run("Detained were Dzhafer Kurtseitov and the imam Qaytar Emirsaly. Gulzade Bekmambet said she was afraid.");
    assert_eq!(
        mentions(&p),
        vec!["Dzhafer Kurtseitov", "Qaytar Emirsaly", "Gulzade Bekmambet"]
    );
    // Capitalised word pairs without evidence are not names.
    let p = run(
        "The Black Stone monument and the Green Valley resort were closed by Local Authorities.",
    );
    assert!(p.mentions.is_empty(), "{:?}", mentions(&p));
}

#[test]
fn cyrillic_names_and_inflected_surnames() {
    let text =
        "Суд арестовал Нариман Джелял. Адвокат Николай Полозов заявил, что Джелялу грозит 20 лет.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec!["Нариман Джелял", "Николай Полозов", "Джелялу"]
    );
    assert_eq!(
        person_of(&p, "Джелялу", 0),
        person_of(&p, "Нариман Джелял", 0)
    );
}

#[test]
fn spelling_variants_of_one_surname_link_in_one_article() {
    let p = run("Nariman Celâl was detained. Later Dzhelyal was charged, and Çubarov protested. Refat Chubarov said so.");
    assert_eq!(
        mentions(&p),
        vec!["Nariman Celâl", "Dzhelyal", "Çubarov", "Refat Chubarov"]
    );
    assert_eq!(
        person_of(&p, "Dzhelyal", 0),
        person_of(&p, "Nariman Celâl", 0)
    );
    assert_eq!(
        person_of(&p, "Çubarov", 0),
        person_of(&p, "Refat Chubarov", 0)
    );
}

#[test]
fn quoted_words_and_family_groups_are_not_mentions() {
    let p = run("Oleh Kovalenko was exchanged. Prison lists gave \"Oleg\" instead of \"Oleh\". The Kovalenko family waited.");
    assert_eq!(mentions(&p), vec!["Oleh Kovalenko"]);
}

#[test]
fn arbitrary_input_never_panics() {
    let r = Recognizer::new();
    let long_line = "Nariman Dzhelyal, ".repeat(5000);
    let inputs = [
        String::new(),
        " ".into(),
        "\n\n\n".into(),
        "...,,,;;;!!!???---'''\"\"\"".into(),
        "'s 's ' s".into(),
        "A. B. C.-D. E.-".into(),
        "N.".into(),
        "Court".into(),
        "of the Court of".into(),
        "Mejlis".into(),
        "Джелялу".into(),
        "Ω≈ç√∫ 漢字 😀 Nariman 😀 Dzhelyal 🇺🇦 Нариман-Jan".into(),
        "\u{301}\u{302}A\u{301}".into(),
        long_line,
        "Mustafa ".repeat(10000),
        "X".repeat(100_000),
    ];
    for input in &inputs {
        let p = r.recognize(input);
        let n = input.chars().count();
        for m in &p.mentions {
            assert!(m.start < m.end && m.end <= n);
            assert!(m.person < p.persons.len());
        }
        for e in &p.entities {
            assert!(e.start < e.end && e.end <= n);
        }
    }
}

#[test]
fn custom_data_files_are_used() {
    let mut files = DataFiles::BUILT_IN;
    files.given_names = "Zzyzx\n";
    let r = Recognizer::with_data(&files).expect("valid data");
    let p = r.recognize("The guard Zzyzx Qwerty left.");
    assert_eq!(mentions(&p), vec!["Zzyzx Qwerty"]);
}

#[test]
fn headline_verbs_are_cut_off_names() {
    let p = run("Nariman Dzhelyal Sentenced To 17 Years\n\nCHUBAROV SAYS MEJLIS WILL APPEAL\n\nRefat Chubarov said so.");
    assert_eq!(
        mentions(&p),
        vec!["Nariman Dzhelyal", "CHUBAROV", "Refat Chubarov"]
    );
}

#[test]
fn russian_inflected_names_are_one_person_named_in_the_nominative() {
    let text = "В Симферополе задержали Тимура Бекирова и Ремзи Арифова. Адвокат Тимура Бекирова \
        сообщил, что Тимур Бекиров отказался от дачи показаний. Суд отказал Бекирову в освобождении.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec![
            "Тимура Бекирова",
            "Ремзи Арифова",
            "Тимура Бекирова",
            "Тимур Бекиров",
            "Бекирову"
        ]
    );
    let timur = person_of(&p, "Тимура Бекирова", 0);
    assert_eq!(person_of(&p, "Тимур Бекиров", 0), timur);
    assert_eq!(person_of(&p, "Бекирову", 0), timur);
    assert_eq!(p.persons[timur].name, "Тимур Бекиров");
    person_named(&p, "Ремзи Арифов");
    assert_eq!(p.persons.len(), 2);
}

#[test]
fn a_masculine_genitive_is_not_a_woman_and_a_woman_stays_one() {
    let p = run(
        "Следователь допросил Эльвиру Сеитову, сестру Шабана Умерова. \
        Эльвира Сеитова рассказала, что Шабан Умеров болен.",
    );
    person_named(&p, "Эльвира Сеитова");
    person_named(&p, "Шабан Умеров");
    assert_eq!(p.persons.len(), 2, "{:?}", p.persons);
}

#[test]
fn ukrainian_inflected_names_and_glued_places() {
    let text = "Фігурантів справи з Ялти Вадим Сірук і Остап Коваленко етапували. \
        Раніше суд продовжив арешт Остапа Коваленка та Вадима Сірука. Адвокат Ельміри Халілової \
        заявив, що Ельміра Халілова подала скаргу.";
    let p = run(text);
    let names: Vec<&str> = p.persons.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Вадим Сірук", "Остап Коваленко", "Ельміра Халілова"]
    );
    assert!(mentions(&p).contains(&"Вадим Сірук"));
    assert!(!mentions(&p).iter().any(|m| m.contains("Ялти")));
    assert_eq!(
        person_of(&p, "Остапа Коваленка", 0),
        person_of(&p, "Остап Коваленко", 0)
    );
}

#[test]
fn a_place_after_a_preposition_is_not_part_of_the_name() {
    let p = run("Затриманого з Новоолексіївки Дмитра Гаврилюка доправили до суду.");
    assert_eq!(mentions(&p), vec!["Дмитра Гаврилюка"]);
    person_named(&p, "Дмитро Гаврилюк");
}

#[test]
fn plural_surnames_give_each_brother() {
    let p = run(
        "Братья Ахтемовы задержаны. Асан и Азиз Ахтемовы находятся в СИЗО. \
        Адвокат Асана Ахтемова подал жалобу.",
    );
    let mut names: Vec<&str> = p.persons.iter().map(|x| x.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        vec!["Азиз Ахтемов", "Асан Ахтемов"],
        "{:?}",
        p.mentions
    );
    // The family mention names one of the brothers the article names in full, never a third person.
    assert!(person_of(&p, "Ахтемовы", 0) < p.persons.len());
    assert_eq!(person_of(&p, "Асан", 0), person_of(&p, "Асана Ахтемова", 0));

    let p = run("Брати Ахтемови під вартою. Суд залишив Асана та Азіза Ахтемових під вартою.");
    let mut names: Vec<&str> = p.persons.iter().map(|x| x.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        vec!["Азіз Ахтемов", "Асан Ахтемов"],
        "{:?}",
        p.mentions
    );
    // Without a brother named in full, "брати Ахтемови" is a family, not a person.
    let p = run("Брати Ахтемови під вартою вже третій рік.");
    assert!(p.persons.is_empty(), "{:?}", p.persons);
}

#[test]
fn crimean_tatar_suffixes_come_off_the_record_name() {
    let p = run(
        "Mahkeme Nariman Celâlni 17 yılğa hapiske ökm etti. Nariman Celâl bu ökümni qabul etmedi.",
    );
    let nariman = person_named(&p, "Nariman Celâl");
    assert!(p.persons.iter().filter(|x| x.name == nariman.name).count() == 1);
    assert_eq!(p.persons.len(), 1, "{:?}", p.persons);
}

#[test]
fn an_ambiguous_oblique_form_joins_the_nominative_the_article_gives() {
    // "Олександра" is the woman's name and the man's genitive: the article's nominative decides.
    let p = run("Суд заарештував Олександра Кравченко. Олександр Кравченко не визнав провину.");
    assert_eq!(p.persons.len(), 1, "{:?}", p.persons);
    assert_eq!(p.persons[0].name, "Олександр Кравченко");
    assert_eq!(
        person_of(&p, "Олександра Кравченко", 0),
        person_of(&p, "Олександр Кравченко", 0)
    );
}

#[test]
fn place_adjectives_and_religious_groups_are_not_people() {
    let p = run("Киевский районный суд Симферополя продлил арест. Свидетелям Иеговы Остапу Лиману \
        и Ренату Ганиеву вменяют экстремизм. Их этапировали в СИЗО Новотроицка Оренбургской области.");
    let names: Vec<&str> = p.persons.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Остап Лиман", "Ренат Ганиев"],
        "{:?}",
        p.mentions
    );
    assert_eq!(mentions(&p), vec!["Остапу Лиману", "Ренату Ганиеву"]);
}

#[test]
fn verbs_and_captions_are_not_people() {
    let p = run(
        "Обшук тривав три години. Вийшов двоюрідний брат Рустема Аблаєва і сказав, що \
        Рустема забрали.",
    );
    assert_eq!(p.persons.len(), 1, "{:?}", p.persons);
    assert_eq!(p.persons[0].name, "Рустем Аблаєв");
    let p = run(
        "Семья задержанного Эскендера Правообладатель иллюстрации AP\n\nЭскендер Умеров задержан.",
    );
    assert!(
        !p.persons.iter().any(|x| x.name.contains("Правообладатель")),
        "{:?}",
        p.persons
    );
}

#[test]
fn given_names_that_are_words_and_descriptors_before_names() {
    let text =
        "Islam Kurtveliev and Ekrem Seitov were detained. Ombudswoman Daria Holub condemned it. \
        The Nakhimov district court will hear the case; activists gathered at the Lenin monument. \
        Islam is the faith of most Crimean Tatars.";
    let p = run(text);
    assert_eq!(
        mentions(&p),
        vec!["Islam Kurtveliev", "Ekrem Seitov", "Daria Holub"]
    );
}

#[test]
fn a_relative_named_after_the_surname_of_whose_relative_he_is() {
    // "отца Мустафаева Энвера": Mustafaev's father, Enver; not one name written surname first.
    let p = run(
        "Силовики пришли домой к блогеру Ремзи Бариеву. Бариева и отца Бариева Энвера повезли в \
         управление ФСБ.",
    );
    let m = mentions(&p);
    assert!(m.contains(&"Энвера"), "{m:?}");
    assert!(!m.contains(&"Бариева Энвера"), "{m:?}");
    assert_eq!(
        person_of(&p, "Бариева", 1),
        person_of(&p, "Ремзи Бариеву", 0)
    );
    assert_ne!(
        person_of(&p, "Энвера", 0),
        person_of(&p, "Ремзи Бариеву", 0)
    );
}
