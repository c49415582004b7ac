//! End-to-end tests of the index on a small invented register.

use casebook_search::{
    ArticleDoc, EventDoc, FacetCounts, Filters, IndexDoc, Kind, Mode, PersonDoc, Query,
    SearchError, SearchIndex, Visibility,
};

fn people() -> Vec<PersonDoc> {
    vec![
        PersonDoc {
            id: "p1".into(),
            names: vec!["Nariman Dzhelyal".into()],
            status: Some("serving_sentence".into()),
            places: vec!["Simferopol".into()],
            visibility: Visibility::Public,
        },
        PersonDoc {
            id: "p2".into(),
            names: vec!["Refat Chubarov".into()],
            status: Some("under_persecution".into()),
            places: vec!["Kyiv".into()],
            visibility: Visibility::Public,
        },
        PersonDoc {
            id: "p3".into(),
            names: vec!["Server Ablaiev".into()],
            status: Some("pre_trial_detention".into()),
            places: vec!["Bakhchysarai".into()],
            visibility: Visibility::Public,
        },
        PersonDoc {
            id: "p4".into(),
            names: vec!["Lenura Osmanova".into()],
            status: Some("pre_trial_detention".into()),
            places: vec!["Dzhankoi".into()],
            visibility: Visibility::Hidden,
        },
    ]
}

fn articles() -> Vec<ArticleDoc> {
    vec![
        ArticleDoc {
            id: "a1".into(),
            title: Some("Court extends arrest of Mejlis deputy head".into()),
            text: "A court in Simferopol extended the arrest of Nariman Dzhelyal, first deputy head of \
                   the Mejlis, by three months.\n\nHis lawyer said the case was fabricated and that \
                   the defence would appeal."
                .into(),
            site: Some("Crimean Solidarity".into()),
            year: Some(2022),
            url: Some("https://example.org/a1".into()),
            people: vec!["Nariman Dzhelyal".into()],
        },
        ArticleDoc {
            id: "a2".into(),
            title: Some("Обыски в Бахчисарае".into()),
            text: "Сотрудники ФСБ провели обыски в Бахчисарае. Среди задержанных — Сервер Аблаев. \
                   Ранее Нариман Джелял назвал такие обыски давлением на крымских татар."
                .into(),
            site: Some("Krym.Realii".into()),
            year: Some(2023),
            url: None,
            people: vec!["Сервер Аблаев".into(), "Нариман Джелял".into()],
        },
        ArticleDoc {
            id: "a3".into(),
            title: Some("Chubarov speaks in Kyiv".into()),
            text: "Refat Chubarov, head of the Mejlis, spoke in Kyiv about searches in Crimea.".into(),
            site: Some("Crimean Solidarity".into()),
            year: Some(2023),
            url: None,
            people: vec!["Refat Chubarov".into()],
        },
    ]
}

fn events() -> Vec<EventDoc> {
    vec![
        EventDoc {
            id: "e1".into(),
            event_type: "detention".into(),
            date: Some("2021-09-04".into()),
            year: Some(2021),
            place: Some("Simferopol".into()),
            victims: vec!["Nariman Dzhelyal".into()],
            evidence: "Nariman Dzhelyal was detained in Simferopol on 4 September.".into(),
            article: "a1".into(),
            outlet: Some("Crimean Solidarity".into()),
        },
        EventDoc {
            id: "e2".into(),
            event_type: "search".into(),
            date: Some("2023-02".into()),
            year: Some(2023),
            place: Some("Bakhchysarai".into()),
            victims: vec!["Сервер Аблаев".into()],
            evidence: "Сотрудники ФСБ провели обыски в Бахчисарае.".into(),
            article: "a2".into(),
            outlet: Some("Krym.Realii".into()),
        },
        EventDoc {
            id: "e3".into(),
            event_type: "detention".into(),
            date: Some("2023-02".into()),
            year: Some(2023),
            place: Some("Bakhchysarai".into()),
            victims: vec!["Сервер Аблаев".into()],
            evidence: "Среди задержанных — Сервер Аблаев.".into(),
            article: "a2".into(),
            outlet: Some("Krym.Realii".into()),
        },
    ]
}

fn all_docs() -> Vec<IndexDoc> {
    let mut docs: Vec<IndexDoc> = Vec::new();
    docs.extend(people().into_iter().map(IndexDoc::from));
    docs.extend(articles().into_iter().map(IndexDoc::from));
    docs.extend(events().into_iter().map(IndexDoc::from));
    docs
}

fn built() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open_or_create(dir.path().join("index")).expect("open index");
    let count = index
        .rebuild(all_docs().into_iter().map(Ok::<_, std::io::Error>))
        .expect("rebuild");
    assert_eq!(count, 10);
    (dir, index)
}

fn ids(index: &SearchIndex, query: &Query) -> Vec<(Kind, String)> {
    index
        .search(query)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn person_ids(index: &SearchIndex, text: &str, mode: Mode) -> Vec<String> {
    ids(index, &Query::new(text).mode(mode).kinds(&[Kind::Person]))
        .into_iter()
        .map(|(_, id)| id)
        .collect()
}

#[test]
fn name_in_any_script_or_spelling_finds_the_person() {
    let (_dir, index) = built();
    for query in [
        "Джелял",
        "Celal",
        "Dzhelal",
        "Nariman Celâl",
        "Наріман Джелял",
        "dzhelial",
    ] {
        for mode in [Mode::Names, Mode::Auto] {
            assert_eq!(
                person_ids(&index, query, mode),
                vec!["p1".to_string()],
                "{query:?} in {mode:?}"
            );
        }
    }
    // The Cyrillic spelling also finds the English article and event, and vice versa.
    let hits = ids(&index, &Query::new("Джелял").mode(Mode::Names));
    assert!(hits.contains(&(Kind::Article, "a1".into())));
    assert!(hits.contains(&(Kind::Event, "e1".into())));
    assert!(hits.contains(&(Kind::Article, "a2".into())));
    let hits = ids(&index, &Query::new("Server Ablayev").mode(Mode::Names));
    assert!(hits.contains(&(Kind::Event, "e2".into())), "{hits:?}");
    assert!(hits.contains(&(Kind::Person, "p3".into())), "{hits:?}");
    // Every word must match: another given name does not find him.
    assert!(person_ids(&index, "Refat Dzhelyal", Mode::Names).is_empty());
}

#[test]
fn inflected_and_misspelled_names_still_match() {
    let (_dir, index) = built();
    // Russian genitive, a Slavicised -ov form: the key of the query word is a prefix.
    let hits = ids(&index, &Query::new("Чубаров").mode(Mode::Names));
    assert!(hits.contains(&(Kind::Person, "p2".into())), "{hits:?}");
    // One letter off.
    assert_eq!(person_ids(&index, "Chubarow", Mode::Names), vec!["p2"]);
}

#[test]
fn exact_mode_does_not_transliterate() {
    let (_dir, index) = built();
    assert!(person_ids(&index, "Джелял", Mode::Exact).is_empty());
    assert!(person_ids(&index, "Celal", Mode::Exact).is_empty());
    assert_eq!(person_ids(&index, "Dzhelyal", Mode::Exact), vec!["p1"]);
    let articles = ids(
        &index,
        &Query::new("Джелял")
            .mode(Mode::Exact)
            .kinds(&[Kind::Article]),
    );
    assert_eq!(articles, vec![(Kind::Article, "a2".to_string())]);
}

#[test]
fn full_text_finds_words_and_phrases() {
    let (_dir, index) = built();
    let hits = ids(&index, &Query::new("fabricated").kinds(&[Kind::Article]));
    assert_eq!(hits, vec![(Kind::Article, "a1".to_string())]);
    let hits = ids(
        &index,
        &Query::new("\"deputy head\"").kinds(&[Kind::Article]),
    );
    assert_eq!(hits, vec![(Kind::Article, "a1".to_string())]);
    let hits = ids(
        &index,
        &Query::new("Mejlis -Chubarov").kinds(&[Kind::Article]),
    );
    assert_eq!(hits, vec![(Kind::Article, "a1".to_string())]);
    assert!(ids(&index, &Query::new("zzyzx")).is_empty());
}

#[test]
fn facets_count_and_filter() {
    let (_dir, index) = built();
    let all = index.search(&Query::new("")).expect("search");
    assert_eq!(all.total, 9, "the hidden person is left out");
    assert_eq!(FacetCounts::count(&all.facets.kind, "person"), 3);
    assert_eq!(FacetCounts::count(&all.facets.kind, "article"), 3);
    assert_eq!(FacetCounts::count(&all.facets.event_type, "detention"), 2);
    assert_eq!(FacetCounts::count(&all.facets.event_type, "search"), 1);
    assert_eq!(FacetCounts::count(&all.facets.year, "2023"), 4);
    assert_eq!(
        FacetCounts::count(&all.facets.outlet, "Crimean Solidarity"),
        3
    );
    assert_eq!(FacetCounts::count(&all.facets.outlet, "Krym.Realii"), 3);
    assert_eq!(
        FacetCounts::count(&all.facets.status, "pre_trial_detention"),
        1
    );
    assert_eq!(FacetCounts::count(&all.facets.place, "Bakhchysarai"), 3);

    let mut q = Query::new("");
    q.filters = Filters {
        event_type: Some("Detention".into()),
        year: Some(2023),
        ..Filters::default()
    };
    let r = index.search(&q).expect("search");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].id, "e3");

    let mut q = Query::new("Mejlis");
    q.filters.outlet = Some("crimean solidarity".into());
    let r = index.search(&q).expect("search");
    assert_eq!(r.total, 2);
    assert_eq!(FacetCounts::count(&r.facets.year, "2022"), 1);
    assert_eq!(FacetCounts::count(&r.facets.year, "2023"), 1);

    let mut hidden = Query::new("Osmanova");
    assert_eq!(index.search(&hidden).expect("search").total, 0);
    hidden.include_hidden = true;
    assert_eq!(index.search(&hidden).expect("search").total, 1);
}

#[test]
fn snippets_highlight_matches() {
    let (_dir, index) = built();
    let r = index
        .search(&Query::new("fabricated").kinds(&[Kind::Article]))
        .expect("search");
    let html = r.hits[0].snippet.to_html();
    assert!(html.contains("<b>fabricated</b>"), "{html}");

    // A Latin query highlights the Cyrillic name in running text.
    let r = index
        .search(
            &Query::new("Dzhelyal")
                .mode(Mode::Names)
                .kinds(&[Kind::Article]),
        )
        .expect("search");
    let a2 = r.hits.iter().find(|h| h.id == "a2").expect("a2 found");
    assert!(
        a2.snippet.to_html().contains("<b>Джелял</b>"),
        "{}",
        a2.snippet.to_html()
    );
    let (start, end) = a2.snippet.highlights[0];
    let marked: String = a2
        .snippet
        .fragment
        .chars()
        .skip(start)
        .take(end - start)
        .collect();
    assert!(marked == "Джелял" || marked == "Нариман", "{marked}");

    // A person's snippet is their name.
    let r = index
        .search(&Query::new("Celal").kinds(&[Kind::Person]))
        .expect("search");
    assert_eq!(r.hits[0].snippet.to_html(), "Nariman <b>Dzhelyal</b>");
    assert_eq!(r.hits[0].title.as_deref(), Some("Nariman Dzhelyal"));
}

#[test]
fn rebuild_gives_the_same_results() {
    let (dir, index) = built();
    let queries = [
        Query::new("Джелял"),
        Query::new("Mejlis"),
        Query::new("Celal").mode(Mode::Names),
        Query::new(""),
    ];
    let before: Vec<_> = queries
        .iter()
        .map(|q| index.search(q).expect("search"))
        .collect();
    index
        .rebuild(all_docs().into_iter().map(Ok::<_, std::io::Error>))
        .expect("rebuild");
    let after: Vec<_> = queries
        .iter()
        .map(|q| index.search(q).expect("search"))
        .collect();
    assert_eq!(before, after);
    drop(index);
    // A fresh open of the same directory (another process) sees the same.
    let reopened = SearchIndex::open_or_create(dir.path().join("index")).expect("reopen");
    let again: Vec<_> = queries
        .iter()
        .map(|q| reopened.search(q).expect("search"))
        .collect();
    assert_eq!(before, again);
}

#[test]
fn failed_rebuild_keeps_the_old_index() {
    let (_dir, index) = built();
    let docs = vec![
        Ok(IndexDoc::from(people().remove(1))),
        Err(std::io::Error::other("disk gone")),
    ];
    let err = index.rebuild(docs).expect_err("source error");
    assert!(matches!(err, SearchError::Source(_)));
    index.refresh().expect("refresh");
    assert_eq!(index.num_docs(), 10);
}

#[test]
fn malformed_queries_are_errors_not_panics() {
    let (_dir, index) = built();
    for text in [
        "\"unbalanced",
        "nosuchfield:word",
        "(Mejlis",
        "title:[a TO",
        "-Mejlis",
    ] {
        for mode in [Mode::Auto, Mode::Exact] {
            let err = index.search(&Query::new(text).mode(mode));
            assert!(
                matches!(err, Err(SearchError::Query { .. })),
                "{text:?} in {mode:?} gave {err:?}"
            );
        }
        // Names mode reads only words, so it never fails on syntax.
        index
            .search(&Query::new(text).mode(Mode::Names))
            .expect("names mode ignores syntax");
    }
}

#[test]
fn field_exists_queries_are_query_errors() {
    let (_dir, index) = built();
    for text in ["title:*", "body:* AND Mejlis", "names:*"] {
        for mode in [Mode::Auto, Mode::Exact] {
            let err = index.search(&Query::new(text).mode(mode));
            assert!(
                matches!(err, Err(SearchError::Query { .. })),
                "{text:?} in {mode:?} gave {err:?}"
            );
        }
    }
}

#[test]
fn query_bombs_are_refused_before_parsing() {
    let (_dir, index) = built();
    let deep = format!("{}Mejlis{}", "(".repeat(20_000), ")".repeat(20_000));
    let nested = format!("{}Mejlis{}", "(".repeat(100), ")".repeat(100));
    let wordy = "Mejlis OR ".repeat(200) + "Kyiv";
    // Run on a thread with a small stack: a recursive parse of any of these would overflow it.
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            for text in [&deep, &nested, &wordy] {
                for mode in [Mode::Auto, Mode::Exact, Mode::Names] {
                    let err = index.search(&Query::new(text.as_str()).mode(mode));
                    match err {
                        Err(SearchError::Query { reason }) => {
                            assert!(reason.contains("over the limit"), "{reason}");
                            assert!(!reason.contains("Mejlis"), "{reason}");
                        }
                        other => panic!("{mode:?} gave {other:?}"),
                    }
                }
            }
            // Within the limits the same kind of query still runs.
            let fine = index.search(&Query::new("((Mejlis) OR (Kyiv))"));
            assert!(fine.is_ok_and(|r| r.total > 0));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn delete_and_replace() {
    let (_dir, index) = built();
    let mut writer = index.writer().expect("writer");
    writer.delete(Kind::Person, "p1");
    let mut renamed = people().remove(1);
    renamed.names.push("Рефат Чубаров".into());
    renamed.status = Some("released".into());
    writer.add_person(&renamed).expect("add");
    writer.commit().expect("commit");
    drop(writer);
    assert!(person_ids(&index, "Celal", Mode::Names).is_empty());
    let r = index
        .search(&Query::new("").kinds(&[Kind::Person]))
        .expect("search");
    assert_eq!(
        r.total, 2,
        "p2 replaced, not duplicated; p1 gone; p4 hidden"
    );
    assert_eq!(FacetCounts::count(&r.facets.status, "released"), 1);
    assert_eq!(FacetCounts::count(&r.facets.status, "under_persecution"), 0);
}

#[test]
fn a_second_writer_waits_then_reports_busy() {
    let (dir, index) = built();
    let _held = index.writer().expect("first writer");
    let mut other = SearchIndex::open_or_create(dir.path().join("index")).expect("second handle");
    other.set_writer_wait(std::time::Duration::from_millis(300));
    let err = other.writer().err().expect("busy");
    assert!(matches!(err, SearchError::WriterBusy { .. }), "{err}");
    // Reading goes on while the writer is held.
    assert_eq!(other.search(&Query::new("Mejlis")).expect("read").total, 2);
}

#[test]
fn empty_ids_are_refused() {
    let (_dir, index) = built();
    let mut writer = index.writer().expect("writer");
    let err = writer
        .add_article(&ArticleDoc::default())
        .expect_err("empty id");
    assert!(matches!(
        err,
        SearchError::Document {
            kind: Kind::Article,
            ..
        }
    ));
}

/// A store that hands over a fixed register, as the register's own implementation would.
struct FixedStore(Vec<IndexDoc>);

impl casebook_search::IndexSource for FixedStore {
    fn for_each_doc(
        &self,
        sink: &mut dyn FnMut(IndexDoc) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        for doc in &self.0 {
            sink(doc.clone())?;
        }
        Ok(())
    }
}

#[test]
fn rebuild_from_a_source_replaces_everything() {
    let (_dir, index) = built();
    let only_people: Vec<IndexDoc> = people().into_iter().map(IndexDoc::from).collect();
    let n = index
        .rebuild_from(&FixedStore(only_people))
        .expect("rebuild");
    assert_eq!(n, 4);
    assert_eq!(index.num_docs(), 4);
    assert!(ids(&index, &Query::new("fabricated")).is_empty());
    assert_eq!(person_ids(&index, "Джелял", Mode::Names), vec!["p1"]);
}

#[test]
fn a_name_in_one_case_form_finds_the_others_in_both_modes() {
    let (_dir, index) = built();
    // The article says "Нариман Джелял" and "Сервер Аблаев"; the queries are genitive and dative.
    for query in ["Джеляла", "Наримана Джеляла", "Джелялу"] {
        let hits = ids(&index, &Query::new(query).mode(Mode::Names));
        assert!(
            hits.contains(&(Kind::Person, "p1".into())),
            "{query}: {hits:?}"
        );
        let hits = ids(&index, &Query::new(query).kinds(&[Kind::Article]));
        assert!(
            hits.contains(&(Kind::Article, "a2".into())),
            "{query}: {hits:?}"
        );
    }
    let hits = ids(&index, &Query::new("Аблаева").kinds(&[Kind::Article]));
    assert!(hits.contains(&(Kind::Article, "a2".into())), "{hits:?}");
}
