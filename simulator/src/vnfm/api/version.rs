//! SOL013 API versioning: the `Version` header on every response, request version checks and
//! the `api_versions` resources.

use axum::{
    extract::{Request, State},
    http::HeaderValue,
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};

use super::{root::Root, AppState};
use crate::vnfm::{
    deviation::Deviation,
    error::VnfmError,
    types::{ApiVersion, ApiVersionInformation},
};

/// The API version served (SOL003/SOL002 v3.3.1 VNF LCM).
pub const API_VERSION: &str = "2.0.0";

/// Checks a requested version: `MAJOR.MINOR.PATCH` with an optional `-impl:…` suffix, no
/// leading zeros. Any 2.x.y is served as [`API_VERSION`]; another major is 406.
fn check_version(text: &str) -> Result<(), VnfmError> {
    let services = text
        .split_once("-impl:")
        .map_or(text, |(services, _)| services);
    let numbers: Vec<&str> = services.split('.').collect();
    let well_formed = numbers.len() == 3
        && numbers.iter().all(|number| {
            !number.is_empty()
                && number.bytes().all(|byte| byte.is_ascii_digit())
                && (number.len() == 1 || !number.starts_with('0'))
        });
    if !well_formed {
        return Err(VnfmError::MalformedVersion(text.to_string()));
    }
    if numbers[0] != "2" {
        return Err(VnfmError::UnsupportedVersion(text.to_string()));
    }
    Ok(())
}

/// Checks the request's `Version` and stamps `Version` on the response, errors included.
pub async fn version_header(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let exempt = path.ends_with("/vnflcm/api_versions") || path == "/oauth2/token";
    let requested = request
        .headers()
        .get("Version")
        .map(|value| value.to_str().unwrap_or("\u{fffd}").to_string());
    let verdict = match requested {
        Some(text) if !exempt => check_version(&text),
        None if state.services.config.strict_version && !exempt => Err(VnfmError::MissingVersion),
        _ => Ok(()),
    };
    let mut response = match verdict {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    };
    let error = response.status().is_client_error() || response.status().is_server_error();
    if !(error
        && state
            .services
            .config
            .deviations
            .has(Deviation::NoVersionOnErrors))
    {
        response
            .headers_mut()
            .insert("Version", HeaderValue::from_static(API_VERSION));
    }
    response
}

/// GET `{apiRoot}/vnflcm/api_versions` and `{apiRoot}/vnflcm/v2/api_versions`.
pub async fn api_versions(Root(root): Root) -> Json<ApiVersionInformation> {
    Json(ApiVersionInformation {
        uri_prefix: root.v2(),
        api_versions: vec![ApiVersion {
            version: API_VERSION.into(),
            is_deprecated: Some(false),
            retirement_date: None,
        }],
    })
}
