//! Keystone v3: version discovery, password and token authentication (project-scoped or
//! unscoped), the service catalog pointing at the other services of this cloud, the default
//! domain and the projects of a user.

mod catalog;
mod discovery;
mod resources;
mod tokens;

use axum::{middleware, response::Response, routing::get, Router};

use super::{
    cloud::Cloud, error::CloudError, gateway::gateway, render::error_response, service::Service,
};

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
        .route("/identity/v3/auth/catalog", get(resources::show_catalog))
        .route(
            "/identity/v3/domains/{domain_id}",
            get(resources::show_domain),
        )
        .route(
            "/identity/v3/users/{user_id}/projects",
            get(resources::user_projects),
        )
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Keystone),
            gateway,
        ))
}

/// Keystone's error answer for `error`.
fn fail(cloud: &Cloud, error: CloudError) -> Response {
    error_response(
        Service::Keystone,
        &error,
        None,
        &format!("{}/identity", cloud.public_url()),
    )
}
