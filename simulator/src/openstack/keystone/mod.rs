//! Keystone v3: version discovery, password and token authentication with project scope, and
//! the service catalog pointing at the other services of this cloud.

mod catalog;
mod discovery;
mod tokens;

use axum::{middleware, routing::get, Router};

use super::{cloud::Cloud, gateway::gateway, service::Service};

/// Keystone's routes under `/identity`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    Router::new()
        .route("/identity", get(discovery::root))
        .route("/identity/", get(discovery::root))
        .route("/identity/v3", get(discovery::v3))
        .route("/identity/v3/", get(discovery::v3))
        .route(
            "/identity/v3/auth/tokens",
            get(tokens::validate)
                .post(tokens::issue)
                .delete(tokens::revoke),
        )
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Keystone),
            gateway,
        ))
}
