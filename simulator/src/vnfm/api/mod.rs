//! The HTTP layer: the same handlers serve the SOL003 root (`/or_vnfm/vnflcm`) and the SOL002
//! root (`/ve_vnfm/vnflcm`); the [`Api`] of the root decides the request-body dialect and
//! whether `vnfcInfo` is shown.

mod accept;
pub mod auth;
mod body;
mod instances;
mod list;
mod op_occs;
mod problems;
mod root;
mod snapshot_commands;
mod snapshot_content;
mod snapshots;
mod subscriptions;
pub mod version;

use std::sync::Arc;

use axum::{middleware, routing::get, Extension, Router};

use super::{
    error::VnfmError, faults, links::Api, profile::Choices, services::Services, store::Collection,
};

/// What handlers share: the services and the public base URL of the listener serving them.
#[derive(Clone, Debug)]
pub struct AppState {
    pub services: Arc<Services>,
    /// `scheme://host:port` used in `_links` and `Location`.
    pub base: Arc<str>,
}

/// The record `id` of `collection`, or the error (a 404) `missing` makes of that id.
fn found<'a, T>(
    collection: &'a Collection<T>,
    id: &str,
    missing: fn(String) -> VnfmError,
) -> Result<&'a T, VnfmError> {
    collection.get(id).ok_or_else(|| missing(id.to_string()))
}

fn api_routes(api: Api, choices: &Choices) -> Router<AppState> {
    Router::new()
        .route("/api_versions", get(version::api_versions))
        .route("/v2/api_versions", get(version::api_versions))
        .merge(instances::routes())
        .merge(snapshots::routes(choices))
        .merge(op_occs::routes())
        .merge(subscriptions::routes())
        .layer(Extension(api))
}

/// The whole VNFM API for one listener whose public base URL is `base`.
pub fn router(services: Arc<Services>, base: &str) -> Router {
    let choices = services.config.choices();
    let state = AppState {
        services,
        base: Arc::from(base.trim_end_matches('/')),
    };
    let protected = Router::new()
        .nest(Api::Sol003.prefix(), api_routes(Api::Sol003, &choices))
        .nest(Api::Sol002.prefix(), api_routes(Api::Sol002, &choices))
        .fallback(problems::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::middleware::request_effects,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_credentials,
        ));
    let app = Router::new()
        .route("/oauth2/token", axum::routing::post(auth::issue_token))
        .merge(protected)
        .with_state(state.clone());
    // Layers on a Router wrap each route's handlers (the 405 fallback included) before the
    // router adds `Allow`; wrapping the finished router as one service lets the ProblemDetails
    // of a 405 name the allowed methods.
    let etsi = Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            problems::problem_bodies,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            accept::require_json_acceptable,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            version::version_header,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            problems::profile_form,
        ));
    // The control API is no part of the ETSI API: none of its rules apply to it.
    if choices.control_api {
        faults::control::routes(state).fallback_service(etsi)
    } else {
        etsi
    }
}
