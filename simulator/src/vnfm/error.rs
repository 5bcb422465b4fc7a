//! Errors the VNFM answers with, each mapping to an HTTP status and a ProblemDetails `detail`.

use axum::{
    http::{header, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

use super::types::ProblemDetails;

/// A refusal or failure, answered as ProblemDetails (`Content-Type: application/json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VnfmError {
    pub status: StatusCode,
    pub detail: String,
    /// Extra response headers (e.g. `Allow`, `WWW-Authenticate`).
    pub headers: Vec<(HeaderName, String)>,
}

impl VnfmError {
    /// An error with `status` and `detail`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            headers: Vec::new(),
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 404: no such resource.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// 409: the resource's state does not allow the request.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }

    /// 422: the body is valid JSON but refers to something unusable.
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The ProblemDetails body.
    pub fn problem(&self) -> ProblemDetails {
        ProblemDetails::new(self.status.as_u16(), self.detail.clone())
    }
}

impl IntoResponse for VnfmError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.problem())).into_response();
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
