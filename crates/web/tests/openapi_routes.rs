//! The OpenAPI document (`data/openapi.json`, served at `/api/openapi.json`) is written by hand, so this
//! test holds it to the router: every `/api` route the router declares in `src/app.rs`, with each of its
//! methods, is documented, and the document describes no route or method the router lacks.
//!
//! axum cannot list a router's routes, so the routes are read from the router's source, where each is one
//! `.route("PATH", method(handler).method(handler))` call.

use std::collections::BTreeSet;

/// (path with its parameters written `{}`, upper-case method).
type Operation = (String, String);

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// "/api/originals/{sha}" and "/api/originals/{sha256}" are one route.
fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `/api` operations the router declares: each `.route(` call's first string literal and the
/// method functions called in the rest of that call.
fn router_operations(source: &str) -> BTreeSet<Operation> {
    let mut ops = BTreeSet::new();
    for call in source.split(".route(").skip(1) {
        // The call ends where the next builder call or statement starts.
        let call = call.split(';').next().unwrap_or(call);
        let Some(path) = call.split('"').nth(1) else {
            continue;
        };
        if !path.starts_with("/api/") {
            continue;
        }
        for method in METHODS {
            let called = call.match_indices(&format!("{method}(")).any(|(at, _)| {
                // A method function, not the end of a handler's name ("api::get(").
                call[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
            });
            if called {
                ops.insert((normalise(path), method.to_uppercase()));
            }
        }
    }
    ops
}

fn documented_operations(document: &str) -> BTreeSet<Operation> {
    let doc: serde_json::Value = serde_json::from_str(document).expect("openapi.json is JSON");
    let paths = doc["paths"]
        .as_object()
        .expect("openapi.json has an object of paths");
    let mut ops = BTreeSet::new();
    for (path, item) in paths {
        let item = item.as_object().expect("each path item is an object");
        for method in item.keys().filter(|k| METHODS.contains(&k.as_str())) {
            ops.insert((normalise(path), method.to_uppercase()));
        }
    }
    ops
}

#[test]
fn the_openapi_document_describes_exactly_the_routers_api() {
    let routed = router_operations(include_str!("../src/app.rs"));
    let documented = documented_operations(include_str!("../data/openapi.json"));
    // The reader itself must find the router's routes, or the comparison below proves nothing.
    assert!(
        routed.len() >= 30,
        "only {} /api operations read from app.rs: {routed:?}",
        routed.len()
    );
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not in openapi.json: {undocumented:?}; in openapi.json but not routed: {unrouted:?}"
    );
}

#[test]
fn the_route_reader_reads_chained_methods_and_parameters() {
    let source = r#"
        let app = Router::new()
            .route("/api/things/{thing_id}", get(api::thing).delete(api::forget))
            .route(
                "/api/things",
                post(api::add_thing),
            )
            .route("/pages", get(pages::page));
    "#;
    let ops = router_operations(source);
    let expected: BTreeSet<Operation> = [
        ("/api/things/{}", "GET"),
        ("/api/things/{}", "DELETE"),
        ("/api/things", "POST"),
    ]
    .into_iter()
    .map(|(p, m)| (p.to_string(), m.to_string()))
    .collect();
    assert_eq!(ops, expected);
}
