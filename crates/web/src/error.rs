//! Errors of the web edge, each with the HTTP status it answers with and a message a user can act on.
//!
//! A handler's error becomes a response carrying an [`ErrorInfo`] extension; the `render_errors`
//! middleware turns every error response (ours, or axum's own rejections such as malformed JSON or
//! an oversized body) into a JSON body under `/api/` and an HTML page elsewhere.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use casebook_register::RegisterError;

/// An error answered to the client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct WebError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in words for the person who sent the request.
    pub message: String,
    /// Seconds after which the request may be tried again (sent as `Retry-After`), for answers
    /// that mean "not now" (429, 503).
    pub retry_after: Option<u64>,
}

/// The status and message of an error response, read by the error-rendering middleware.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message shown to the client.
    pub message: String,
}

impl WebError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        WebError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// A "not now" answer (429 or 503) telling the client when to try again.
    pub fn retry_later(status: StatusCode, message: impl Into<String>, after_secs: u64) -> Self {
        WebError {
            retry_after: Some(after_secs.max(1)),
            ..Self::new(status, message)
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: nothing at this address.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 401: a session is needed.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "you are not logged in: log in first (POST /api/session or the /login page)",
        )
    }

    /// 403: the session's role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 500: something failed on the server. The detail goes to the server log, not the client,
    /// because it may name files or records.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> Self {
        eprintln!("casebook-web: {context}: {detail}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{context} failed on the server; the server log has the details"),
        )
    }
}

impl From<RegisterError> for WebError {
    fn from(err: RegisterError) -> Self {
        match err {
            RegisterError::UnknownId { .. } => WebError::not_found(err.to_string()),
            RegisterError::Invalid(_) => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, err.to_string())
            }
            RegisterError::DiskFull { .. } => {
                WebError::new(StatusCode::INSUFFICIENT_STORAGE, err.to_string())
            }
            other => WebError::internal("the register", other),
        }
    }
}

impl From<casebook_search::SearchError> for WebError {
    fn from(err: casebook_search::SearchError) -> Self {
        match err {
            casebook_search::SearchError::Query { .. } => WebError::bad_request(err.to_string()),
            other => WebError::internal("the search index", other),
        }
    }
}

impl From<crate::accounts::AccountError> for WebError {
    fn from(err: crate::accounts::AccountError) -> Self {
        match err {
            crate::accounts::AccountError::Invalid(m) => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, m)
            }
            other => WebError::internal("the accounts store", other),
        }
    }
}

impl From<casebook_monitor::MonitorError> for WebError {
    fn from(err: casebook_monitor::MonitorError) -> Self {
        match err {
            casebook_monitor::MonitorError::Invalid(m) => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, m)
            }
            other => WebError::internal("the monitor's state", other),
        }
    }
}

impl From<tokio::task::JoinError> for WebError {
    fn from(err: tokio::task::JoinError) -> Self {
        WebError::internal("a background task", err)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.message.clone()).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response.extensions_mut().insert(ErrorInfo {
            status: self.status,
            message: self.message,
        });
        response
    }
}

/// Result alias of the web edge.
pub type WebResult<T> = Result<T, WebError>;

/// Why the application could not start: names what could not be opened and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct StartError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_answer_says_when_to_come_back() {
        let response =
            WebError::retry_later(StatusCode::SERVICE_UNAVAILABLE, "the server is busy", 10)
                .into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(axum::http::header::RETRY_AFTER),
            Some(&axum::http::HeaderValue::from(10u64))
        );
        let plain = WebError::not_found("nothing").into_response();
        assert!(plain
            .headers()
            .get(axum::http::header::RETRY_AFTER)
            .is_none());
    }
}
