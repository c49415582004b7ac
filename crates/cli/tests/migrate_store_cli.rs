//! `casebook migrate-store` through the built binary: a data directory into PostgreSQL and back
//! into another directory gives the same register; a database that holds one is never overwritten.
//! Needs the PostgreSQL server `scripts/test` starts.

mod common;
#[path = "../../register/tests/common/postgres.rs"]
mod pg;

use casebook_register::synthetic::Generator;
use common::{casebook, ok, Scratch};

#[test]
fn a_data_directory_goes_to_postgres_and_back_through_the_command() {
    let scratch = Scratch::new("migrate-store");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let g = Generator::new(5, 40);
    for i in 0..40 {
        std::fs::write(inputs.join(format!("{i:03}.txt")), g.article(i).1).unwrap();
    }
    let (first, second) = (scratch.0.join("first"), scratch.0.join("second"));
    ok(casebook(&first).args(["ingest", "--no-index"]).arg(&inputs));
    let db = pg::TestDatabase::new("cli");
    // The password is given but never printed.
    let url = db.url.replacen("://casebook@", "://casebook:not-shown@", 1);

    let out = ok(casebook(&first).arg("migrate-store").arg(&first).arg(&url));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("every table verified"), "{said}");
    assert!(
        said.contains("audit chain of 40 entries verifies"),
        "{said}"
    );
    assert!(!said.contains("not-shown"), "{said}");
    ok(casebook(&second)
        .arg("migrate-store")
        .arg(&url)
        .arg(&second));
    let stats = |data| String::from_utf8(ok(casebook(data).arg("stats")).stdout).unwrap();
    assert_eq!(stats(&second), stats(&first));
    assert!(stats(&first).contains("40"), "{}", stats(&first));

    let again = casebook(&first)
        .arg("migrate-store")
        .arg(&first)
        .arg(&url)
        .output()
        .unwrap();
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds a register"), "{said}");
    assert!(!said.contains("not-shown"), "{said}");
}
