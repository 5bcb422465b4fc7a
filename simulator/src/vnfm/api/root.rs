//! The API root a request came in on, as an extractor.

use axum::{extract::FromRequestParts, http::request::Parts};

use super::AppState;
use crate::vnfm::{
    error::VnfmError,
    links::{Api, ApiRoot},
};

/// The [`ApiRoot`] of the request (reference point from the route, base from the config).
pub struct Root(pub ApiRoot);

impl FromRequestParts<AppState> for Root {
    type Rejection = VnfmError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = parts
            .extensions
            .get::<Api>()
            .copied()
            .unwrap_or(Api::Sol003);
        Ok(Self(ApiRoot {
            api,
            base: state.base.to_string(),
        }))
    }
}
