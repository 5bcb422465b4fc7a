//! ProblemDetails for every error, including those the router makes itself (404 for unknown
//! paths, 405 with `Allow`).

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::vnfm::{error::VnfmError, types::ProblemDetails};

/// The answer for a path no resource lives at.
pub async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    VnfmError::not_found(format!("no resource at {uri} (method {method})")).into_response()
}

/// Gives a ProblemDetails body to error responses that have none.
pub async fn problem_bodies(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let detail = match status.as_u16() {
        405 => {
            let allow = parts
                .headers
                .get(header::ALLOW)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_string();
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
