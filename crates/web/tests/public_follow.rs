//! A public server's own index follows the register: a person hidden while the server runs leaves
//! the index's text (not only its answers) once the register's head has moved and the index has been
//! rebuilt, without a restart.

mod common;

use casebook_register::{Decision, SqliteStore, Store, Visibility};
use casebook_search::{Mode, Query};
use casebook_web::public_follow::head_moved;
use common::*;

/// Records of any kind whose text holds `word`, read from the index itself (no public guard).
fn records_with(app: &TestApp, word: &str) -> usize {
    let index = app.state.index().expect("the public server has an index");
    index.refresh().unwrap();
    let query = Query::new(word).mode(Mode::Auto);
    index.search(&query).unwrap().total
}

#[test]
fn a_person_hidden_while_serving_leaves_the_public_index_after_the_head_moves() {
    let app = TestApp::new(true);
    let mut seen = None;
    assert!(
        !head_moved(&app.state, &mut seen),
        "the first look only records"
    );
    assert!(!head_moved(&app.state, &mut seen), "nothing was written");
    assert!(
        records_with(&app, "Kemalov") > 0,
        "the witness is public at first"
    );

    let kemalov = person_id(app.dir.path(), "Server Kemalov");
    let mut store = SqliteStore::open(app.dir.path()).unwrap();
    store
        .decide(
            "reviewer",
            &Decision::SetVisibility {
                person: kemalov,
                field: None,
                level: Visibility::Hidden,
            },
        )
        .unwrap();
    assert!(
        head_moved(&app.state, &mut seen),
        "a decision moves the head"
    );
    casebook_web::projection::reindex(&app.state).unwrap();
    assert_eq!(records_with(&app, "Kemalov"), 0);
    assert!(
        records_with(&app, "Ziyadinov") > 0,
        "the rest stays searchable"
    );
    assert!(!head_moved(&app.state, &mut seen));
}
