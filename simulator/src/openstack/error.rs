//! A service-neutral error raised by the cloud's models; each service renders it in its own
//! wire format (Nova and Cinder fault bodies, Keystone error bodies, Glance webob bodies,
//! Neutron's `NeutronError` bodies).

use axum::http::StatusCode;

/// An error with the HTTP status and message the real service would answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds for a `Retry-After` header (Cinder `overLimit`).
    pub retry_after: Option<u32>,
    /// The exception name Neutron puts in `NeutronError.type` (`NetworkNotFound`); when absent
    /// Neutron's name for the HTTP status is used.
    pub kind: Option<&'static str>,
}

impl CloudError {
    /// An error with any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
            kind: None,
        }
    }

    /// The same error with Neutron's exception name.
    pub fn kind(self, kind: &'static str) -> Self {
        Self {
            kind: Some(kind),
            ..self
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 with the Keystone wording.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "The request you have made requires authentication.",
        )
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 413 with `Retry-After: 0`, as Cinder answers quota errors.
    pub fn over_limit(message: impl Into<String>) -> Self {
        Self {
            retry_after: Some(0),
            ..Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
        }
    }
}

/// The fault name Nova and Cinder use as the single key of their error bodies.
pub fn fault_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 | 429 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    }
}
