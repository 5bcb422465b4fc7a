//! ProblemDetails for every error, including those the router makes itself (404 for unknown
//! paths, 405 with `Allow`) and the plain-text rejections of axum's extractors (for example a
//! path id that is not valid percent-encoded UTF-8).

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, Version},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::AppState;
use crate::vnfm::{deviation::Deviation, error::VnfmError, types::ProblemDetails};

/// The profile's form of every error answer, the refusals of the outer layers (`Version`,
/// `Accept`) included: the ProblemDetails media type, and no body at all on 401 and 405 where
/// the profile leaves it out (SOL013 makes it optional on both; `WWW-Authenticate` and `Allow`
/// stay).
pub async fn profile_form(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || !json {
        return response;
    }
    let choices = state.services.config.choices();
    let (mut parts, body) = response.into_parts();
    if !choices.problem_on_401_405 && matches!(status.as_u16(), 401 | 405) {
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(choices.problem_media_type),
    );
    Response::from_parts(parts, body)
}

/// The answer for a path no resource lives at.
pub async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    VnfmError::NoRoute { method, uri }.into_response()
}

/// Largest plain-text rejection carried over into a `detail`.
const MAX_REJECTION_BYTES: usize = 4 * 1024;

/// Gives a ProblemDetails body to error responses that have none or only plain text.
pub async fn problem_bodies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let sent_body = request.version() <= Version::HTTP_11
        && (request.headers().contains_key(header::TRANSFER_ENCODING)
            || request
                .headers()
                .get(header::CONTENT_LENGTH)
                .is_some_and(|length| length != "0"));
    let mut response = next.run(request).await;
    let status = response.status();
    if sent_body && (status.is_client_error() || status.is_server_error()) {
        // The handler may have refused before reading the body; the connection cannot be
        // reused then, and saying so keeps clients from sending the next request on it.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if (status.is_client_error() || status.is_server_error())
        && state
            .services
            .config
            .deviations
            .has(Deviation::PlainTextErrors)
    {
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts
            .headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let text = status.canonical_reason().unwrap_or("error");
        return Response::from_parts(parts, Body::from(text));
    }
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_REJECTION_BYTES)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let detail = match status.as_u16() {
        _ if !text.is_empty() => text,
        405 => {
            let allow = parts
                .headers
                .get(header::ALLOW)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(", ");
            format!("method {method} is not supported on this resource; allowed: {allow}")
        }
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let body =
        serde_json::to_vec(&ProblemDetails::new(status.as_u16(), detail)).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}
