//! The request's `Accept` header, which chooses the body of a Glance error: webob answers
//! HTML, JSON or plain text by it.

use std::convert::Infallible;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue},
};

/// The `Accept` of a request, read alone (a handler that only needs it for its error answers
/// does not copy the whole header map).
#[derive(Clone, Debug, Default)]
pub struct Accept(Option<HeaderValue>);

impl Accept {
    /// The header's text, when it has one.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_ref().and_then(|v| v.to_str().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Accept {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.headers.get(header::ACCEPT).cloned()))
    }
}
