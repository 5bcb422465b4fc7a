//! Nova (compute v2.1): discovery, microversions, flavors, servers, server actions, volume
//! attachments, network interfaces and addresses, server security groups, limits, availability
//! zones and the image proxy.

mod actions;
mod attachments;
mod availability_zones;
mod discovery;
mod flavors;
mod images;
mod interfaces;
mod ips;
mod limits;
mod server_security_groups;
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
            &format!("{base}/os-availability-zone"),
            get(availability_zones::list),
        )
        .route(&format!("{base}/images"), get(images::list))
        .route(&format!("{base}/images/detail"), get(images::list_detail))
        .route(
            &format!("{base}/images/{{image_id}}"),
            get(images::show).delete(images::remove),
        )
        .route(
            &format!("{base}/images/{{image_id}}/metadata"),
            get(images::metadata)
                .post(images::merge_metadata)
                .put(images::replace_metadata),
        )
        .route(
            &format!("{base}/images/{{image_id}}/metadata/{{key}}"),
            get(images::metadata_item)
                .put(images::set_metadata_item)
                .delete(images::remove_metadata_item),
        )
        .route(
            &format!("{base}/servers"),
            get(servers::list).post(servers::create),
        )
        .route(&format!("{base}/servers/detail"), get(servers::detail))
        .route(
            &format!("{base}/servers/{{server_id}}"),
            get(servers::show)
                .put(servers::update)
                .delete(servers::remove),
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
        .route(&format!("{base}/servers/{{server_id}}/ips"), get(ips::list))
        .route(
            &format!("{base}/servers/{{server_id}}/ips/{{network}}"),
            get(ips::show),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/os-interface"),
            get(interfaces::list).post(interfaces::attach),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/os-interface/{{port_id}}"),
            get(interfaces::show).delete(interfaces::detach),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/os-security-groups"),
            get(server_security_groups::list),
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
