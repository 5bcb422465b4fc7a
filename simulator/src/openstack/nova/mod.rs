//! Nova (compute v2.1): discovery, microversions, flavors, servers, server actions, volume
//! attachments and limits.

mod actions;
mod attachments;
mod discovery;
mod flavors;
mod limits;
mod servers;
mod views;

use axum::{
    middleware,
    routing::{delete, get, post},
    Router,
};

use super::{cloud::Cloud, gateway::gateway, service::Service};

/// Nova's routes under `/compute`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let base = "/compute/v2.1";
    Router::new()
        .route("/compute", get(discovery::root))
        .route("/compute/", get(discovery::root))
        .route(base, get(discovery::v21))
        .route(&format!("{base}/"), get(discovery::v21))
        .route(&format!("{base}/flavors"), get(flavors::list))
        .route(&format!("{base}/flavors/detail"), get(flavors::detail))
        .route(&format!("{base}/flavors/{{flavor_id}}"), get(flavors::show))
        .route(
            &format!("{base}/flavors/{{flavor_id}}/os-extra_specs"),
            get(flavors::extra_specs),
        )
        .route(&format!("{base}/limits"), get(limits::show))
        .route(
            &format!("{base}/servers"),
            get(servers::list).post(servers::create),
        )
        .route(&format!("{base}/servers/detail"), get(servers::detail))
        .route(
            &format!("{base}/servers/{{server_id}}"),
            get(servers::show).delete(servers::remove),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/action"),
            post(actions::dispatch),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/os-volume_attachments"),
            get(attachments::list).post(attachments::attach),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/os-volume_attachments/{{volume_id}}"),
            delete(attachments::detach).get(attachments::show),
        )
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Nova),
            gateway,
        ))
}

/// A Nova error response.
fn fail(error: crate::openstack::error::CloudError) -> axum::response::Response {
    crate::openstack::render::error_response(Service::Nova, &error, None, "")
}
