//! The auth, session and job guards: login limits per address (not per name alone), the caps on
//! password checks and jobs with `Retry-After`, local-only redirects, and `no-store` on team answers.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::*;
use std::net::SocketAddr;

fn login_from(addr: &str, name: &str, password: &str) -> Request<Body> {
    let peer: SocketAddr = format!("{addr}:40000").parse().unwrap();
    let mut req = Request::post("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!(
            r#"{{"name":"{name}","password":"{password}"}}"#
        )))
        .unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

fn retry_after(headers: &HeaderMap) -> u64 {
    headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in {headers:?}"))
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere() {
    let app = TestApp::new(false);
    for _ in 0..5 {
        let (status, _, _) = app
            .send(login_from("192.0.2.66", ADMIN.0, "not her password"))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, headers, body) = app.send(login_from("192.0.2.66", ADMIN.0, ADMIN.1)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry_after(&headers) >= 1);
    // The account owner, from her own address, still gets in.
    let (status, _, body) = app
        .send(login_from("198.51.100.20", ADMIN.0, ADMIN.1))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn one_address_guessing_across_many_names_is_stopped() {
    let app = TestApp::new(false);
    for i in 0..casebook_web::state::ADDRESS_ATTEMPTS {
        let (status, _, _) = app
            .send(login_from(
                "203.0.113.5",
                &format!("guess{i}"),
                "password guess",
            ))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, headers, _) = app
        .send(login_from("203.0.113.5", ANALYST.0, ANALYST.1))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    retry_after(&headers);
    let (status, _, _) = app
        .send(login_from("198.51.100.21", ANALYST.0, ANALYST.1))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn password_checks_beyond_the_cap_are_answered_503_with_retry_after() {
    let app = TestApp::new(false);
    let mut held = Vec::new();
    for _ in 0..casebook_web::busy::PASSWORD_CHECKS {
        held.push(app.state.password_checks().turn().await.unwrap());
    }
    let (status, headers, body) = app.send(login_from("192.0.2.9", ADMIN.0, ADMIN.1)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(retry_after(&headers) >= 1);
    drop(held);
    let (status, _, _) = app.send(login_from("192.0.2.9", ADMIN.0, ADMIN.1)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn jobs_beyond_the_running_and_waiting_slots_are_refused_with_retry_after() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let config = app.state.config();
    let held: Vec<_> = (0..config.jobs_running + config.jobs_waiting)
        .map(|_| app.state.job_slots().admit().unwrap())
        .collect();
    let upload = |name: &str| {
        let (ctype, body) = multipart(&[(
            name,
            b"Officers searched the home of Lenur Abdulov.".to_vec(),
        )]);
        Request::post("/api/ingest")
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body))
            .unwrap()
    };
    let (status, headers, body) = app.send(upload("late.txt")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("try again later"), "{body}");
    assert!(retry_after(&headers) >= 1);
    drop(held);
    let (status, _, body) = app.send(upload("later.txt")).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
}

async fn location_after_login(app: &TestApp, next: &str) -> (StatusCode, String) {
    let form = format!(
        "name={}&password={}&next={next}",
        ADMIN.0,
        ADMIN.1.replace(' ', "+")
    );
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    let location = headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location)
}

#[tokio::test]
async fn after_login_only_local_paths_are_followed() {
    let app = TestApp::new(false);
    for (next, expected) in [
        ("/%09/evil.example/", "/"),
        ("/%0A/evil.example/", "/"),
        ("%2F%2Fevil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
        ("/review%3Fpage%3D2", "/review?page=2"),
    ] {
        let (status, location) = location_after_login(&app, next).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(location, expected, "{next}");
    }
    // Already logged in, the login page sends on at once: the same rule.
    let s = app.login(ADMIN).await;
    let req = Request::get("/login?next=/%09/evil.example/")
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn a_form_s_back_link_is_followed_only_to_a_local_path() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let person = person_id(app.dir.path(), "Server Kemalov");
    for (back, expected) in [
        ("/%09/evil.example/", "/?done="),
        ("/%0A/evil.example/", "/?done="),
        ("/persons/x", "/persons/x?done="),
    ] {
        let form = format!("csrf={}&action=confirm&target={person}&back={back}", s.csrf);
        let req = Request::post("/review/decide")
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let (status, headers, body) = app.send(req).await;
        assert!(status.is_redirection(), "{back}: {status} {body}");
        let location = headers.get(header::LOCATION).unwrap().to_str().unwrap();
        assert!(location.starts_with(expected), "{back}: {location}");
    }
}

#[tokio::test]
async fn team_pages_and_api_answers_are_not_stored_by_caches() {
    let app = TestApp::new(false);
    let s = app.login(VIEWER).await;
    for path in ["/", "/review", "/api/session", "/api/dashboard", "/nowhere"] {
        let req = Request::get(path)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap();
        let (_, headers, _) = app.send(req).await;
        assert_eq!(
            headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}"
        );
    }
    let (_, headers, _) = app
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await;
    // Static assets keep their own caching.
    assert_ne!(
        headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
}
