//! A database of its own for each test of the PostgreSQL backend, on the server `scripts/test`
//! starts (`CASEBOOK_TEST_POSTGRES_URL`). Without that server the tests fail, never skip.

// Each test binary that includes this file uses only some of it.
#![allow(dead_code)]

use postgres::{Client, NoTls};

/// A fresh, empty database, dropped when the test ends.
pub struct TestDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl TestDatabase {
    pub fn new(tag: &str) -> TestDatabase {
        let admin = std::env::var("CASEBOOK_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!(
                "CASEBOOK_TEST_POSTGRES_URL is not set: the PostgreSQL tests need the server that \
                 ./scripts/test starts (or `scripts/postgres start`, then set the variable to the \
                 URL it prints)"
            )
        });
        let name = format!("casebook_{tag}_{}", std::process::id());
        let mut client = Client::connect(&admin, NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test server at {admin}: {e}"));
        // One statement each: a batch would run them in one transaction, which these refuse.
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = with_database(&admin, &name);
        TestDatabase { admin, name, url }
    }

    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The URL with another database name in its path.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let host_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[host_end..].find('/') {
        Some(i) => &base[..host_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}
