//! API client authentication: HTTP Basic, or Bearer tokens issued by `POST /oauth2/token`
//! (OAuth 2.0 client credentials grant, RFC 6749 §4.4). Secrets are compared in constant time.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use base64::Engine;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::AppState;
use crate::vnfm::error::{VnfmError, CHALLENGES};

/// The access tokens issued and their expiry.
#[derive(Debug, Default)]
pub struct TokenRegistry {
    tokens: Mutex<HashMap<String, Instant>>,
}

impl TokenRegistry {
    /// Issues a new token valid for `lifetime`.
    pub fn issue(&self, lifetime: Duration) -> String {
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        tokens.retain(|_, expiry| *expiry > now);
        tokens.insert(token.clone(), now + lifetime);
        token
    }

    /// Whether `candidate` is a live token.
    pub fn is_valid(&self, candidate: &str) -> bool {
        let tokens = self
            .tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        tokens
            .iter()
            .filter(|(_, expiry)| **expiry > now)
            .fold(false, |found, (token, _)| {
                found | bool::from(token.as_bytes().ct_eq(candidate.as_bytes()))
            })
    }
}

fn same(left: &str, right: &str) -> bool {
    bool::from(left.as_bytes().ct_eq(right.as_bytes()))
}

/// `(user, password)` of a Basic `Authorization` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

fn unauthorized(detail: &'static str) -> Response {
    VnfmError::Unauthenticated(detail).into_response()
}

/// Lets a request through with valid Basic credentials or a live Bearer token; 401 otherwise.
pub async fn require_credentials(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let config = &state.services.config;
    let headers = request.headers();
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return unauthorized(
            "authentication is required: use HTTP Basic or a Bearer token from POST /oauth2/token",
        );
    };
    let accepted = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            state.services.tokens.is_valid(token.trim())
        }
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("basic") => basic_credentials(headers)
            .is_some_and(|(user, password)| {
                same(&user, &config.basic_user) & same(&password, &config.basic_password)
            }),
        _ => false,
    };
    if accepted {
        next.run(request).await
    } else {
        unauthorized("the credentials or the access token are not valid")
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response = (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        if let Ok(value) = header::HeaderValue::from_str(CHALLENGES[0]) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// `POST /oauth2/token`: `grant_type=client_credentials`, client authenticated by Basic or by
/// `client_id`/`client_secret` form fields. Answers as RFC 6749 §5.
pub async fn issue_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let config = &state.services.config;
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is supported",
            )
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing",
            )
        }
    }
    let client = basic_credentials(&headers).or_else(|| {
        Some((
            form.get("client_id")?.clone(),
            form.get("client_secret")?.clone(),
        ))
    });
    let authenticated = client.is_some_and(|(id, secret)| {
        same(&id, &config.oauth_client_id) & same(&secret, &config.oauth_client_secret)
    });
    if !authenticated {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    let token = state.services.tokens.issue(config.token_lifetime);
    let mut response = Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": config.token_lifetime.as_secs(),
    }))
    .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}
