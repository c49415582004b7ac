//! The accounts part of the JSON API: logins and sessions, users and passwords, and the record of
//! writes made outside the register.

use crate::accounts::{Role, User};
use crate::app::{clear_cookie, session_cookie, session_token, Caller, ClientAddr};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use casebook_register::Store;
use serde::{Deserialize, Serialize};

/// Login by JSON.
#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

/// A session as the API reports it.
#[derive(Debug, Serialize)]
pub struct SessionInfo {
    pub user: User,
    /// Send this in the `X-CSRF-Token` header of every write.
    pub csrf: String,
}

/// Checks a login, with rate limiting; the new session's cookie and info.
pub async fn check_login(
    state: &AppState,
    addr: String,
    name: String,
    password: String,
) -> WebResult<(String, SessionInfo)> {
    if let Some(wait) = state.logins().blocked(&addr, &name) {
        return Err(too_many_logins("too many failed logins", wait));
    }
    let login_name = name.clone();
    // Each check costs Argon2id's memory: only a few run at once, whoever asks.
    // The turn moves into the blocking task: a client that hangs up does not free it early.
    let turn = state.password_checks().turn().await?;
    let opened = state
        .blocking(move |s| {
            let _turn = turn;
            let Some(user) = s.accounts().verify(&name, &password)? else {
                return Ok(None);
            };
            Ok(Some(s.accounts().open_session(&user)?))
        })
        .await?;
    match opened {
        Some(new) => {
            state.logins().succeeded(&addr, &login_name);
            let cookie = session_cookie(&new.token, state.config().secure_cookies);
            Ok((
                cookie,
                SessionInfo {
                    user: new.session.user,
                    csrf: new.session.csrf,
                },
            ))
        }
        None => {
            login_failure(state, &login_name, &addr).await;
            Err(WebError::new(
                StatusCode::UNAUTHORIZED,
                "the user name or the password is wrong",
            ))
        }
    }
}

/// 429 for a locked-out login, saying (in words and in `Retry-After`) when to try again.
fn too_many_logins(what: &str, wait: std::time::Duration) -> WebError {
    let secs = wait.as_secs().max(1);
    WebError::retry_later(
        StatusCode::TOO_MANY_REQUESTS,
        format!("{what}: wait {secs} seconds and try again"),
        secs,
    )
}

/// `POST /api/session`: logs in, sets the session cookie, returns the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    Extension(addr): Extension<ClientAddr>,
    Json(body): Json<LoginRequest>,
) -> WebResult<Response> {
    let (cookie, info) = check_login(&state, addr.0, body.name, body.password).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(info)).into_response())
}

/// `GET /api/session`: who is logged in.
pub async fn whoami(caller: Caller) -> WebResult<Json<SessionInfo>> {
    let s = caller.require(Role::Viewer)?;
    Ok(Json(SessionInfo {
        user: s.user.clone(),
        csrf: s.csrf.clone(),
    }))
}

/// `DELETE /api/session`: logs out.
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    if let Some(token) = session_token(&headers) {
        state
            .blocking(move |s| Ok(s.accounts().close_session(&token)?))
            .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            clear_cookie(state.config().secure_cookies),
        )],
    )
        .into_response())
}

/// `GET /api/users` (admin).
pub async fn users(State(state): State<AppState>, caller: Caller) -> WebResult<Json<Vec<User>>> {
    caller.require(Role::Admin)?;
    state
        .blocking(|s| Ok(s.accounts().users()?))
        .await
        .map(Json)
}

/// A new account.
#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub password: String,
    pub role: String,
}

/// Creates an account as an admin, and records it in the register's audit log (without the password).
pub async fn create_user(state: &AppState, caller: &Caller, new: NewUser) -> WebResult<User> {
    let admin = caller.require(Role::Admin)?.user.name.clone();
    let role = Role::parse(&new.role).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown role {:?}: use viewer, analyst or admin",
            new.role
        ))
    })?;
    let turn = state.password_checks().turn().await?;
    let user = state
        .blocking(move |s| {
            let _turn = turn;
            Ok(s.accounts().add_user(&new.name, &new.password, role)?)
        })
        .await?;
    record_action(
        state,
        admin,
        "account_create",
        user.name.clone(),
        serde_json::json!({"role": user.role.as_str()}),
    )
    .await?;
    Ok(user)
}

/// Records a write made outside the register (accounts, watchlists, sources) in the register's
/// hash-chained audit log under the user who made it. Never given a password.
pub async fn record_action(
    state: &AppState,
    actor: String,
    action: &'static str,
    target: String,
    payload: serde_json::Value,
) -> WebResult<()> {
    state
        .store(move |store| Ok(store.record_action(&actor, action, &target, &payload)?))
        .await
}

/// A password change: the current password and the new one.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the caller's own password after checking the current one (counted against the login
/// rate limit, so a stolen session cannot guess it); the caller's other sessions end.
pub async fn set_own_password(
    state: &AppState,
    caller: &Caller,
    addr: String,
    token: Option<String>,
    change: PasswordChange,
) -> WebResult<()> {
    let user = caller.require(Role::Viewer)?.user.clone();
    if let Some(wait) = state.logins().blocked(&addr, &user.name) {
        return Err(too_many_logins("too many wrong passwords", wait));
    }
    let name = user.name.clone();
    let turn = state.password_checks().turn().await?;
    let checked = state
        .blocking(move |s| {
            let _turn = turn;
            if s.accounts().verify(&name, &change.current)?.is_none() {
                return Ok(false);
            }
            s.accounts()
                .set_password(&user, &change.new, token.as_deref())?;
            Ok(true)
        })
        .await?;
    if !checked {
        login_failure(state, &caller_name(caller), &addr).await;
        return Err(WebError::forbidden("the current password is wrong"));
    }
    let name = caller_name(caller);
    record_action(
        state,
        name.clone(),
        "password_change",
        name,
        serde_json::json!({}),
    )
    .await
}

fn caller_name(caller: &Caller) -> String {
    caller
        .session
        .as_ref()
        .map(|s| s.user.name.clone())
        .unwrap_or_default()
}

/// Changes an account's role as an admin; 404 for an unknown account.
pub async fn set_role(
    state: &AppState,
    caller: &Caller,
    name: String,
    role: String,
) -> WebResult<User> {
    let admin = caller.require(Role::Admin)?.user.name.clone();
    let role = Role::parse(role.trim()).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown role {role:?}: use viewer, analyst or admin"
        ))
    })?;
    let target = name.clone();
    let (user, before) = state
        .blocking(move |s| Ok(s.accounts().set_role(&target, role)?))
        .await?
        .ok_or_else(|| WebError::not_found(format!("no account is named {name:?}")))?;
    record_action(
        state,
        admin,
        "role_change",
        user.name.clone(),
        serde_json::json!({"from": before.as_str(), "to": user.role.as_str()}),
    )
    .await?;
    Ok(user)
}

/// `POST /api/session/password`: `{"current": "…", "new": "…"}`; 204, or 403 when the current
/// password is wrong.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    Json(change): Json<PasswordChange>,
) -> WebResult<StatusCode> {
    set_own_password(&state, &caller, addr.0, session_token(&headers), change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A role change.
#[derive(Debug, Deserialize)]
pub struct RoleChange {
    pub role: String,
}

/// `POST /api/users/{name}/role` (admin): `{"role": "viewer"|"analyst"|"admin"}`.
pub async fn change_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    Json(change): Json<RoleChange>,
) -> WebResult<Json<User>> {
    set_role(&state, &caller, name, change.role).await.map(Json)
}

/// Counts a failed login or password check, and records in the audit log the moment a name and
/// address reach the limit (once per window, so a flood of guesses writes one entry, not many).
async fn login_failure(state: &AppState, name: &str, addr: &str) {
    if state.logins().failed(addr, name) {
        let recorded = record_action(
            state,
            "anonymous".to_string(),
            "login_rate_limited",
            name.to_string(),
            serde_json::json!({"address": addr, "attempts": crate::state::LOGIN_ATTEMPTS}),
        )
        .await;
        if let Err(e) = recorded {
            eprintln!("casebook-web: a rate-limited login was not recorded: {e}");
        }
    }
}

/// `POST /api/users` (admin): `{"name","password","role"}`.
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewUser>,
) -> WebResult<(StatusCode, Json<User>)> {
    let user = create_user(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}
