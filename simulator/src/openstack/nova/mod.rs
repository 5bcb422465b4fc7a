//! Nova (compute v2.1): discovery, microversions, flavors (with access and extra specs),
//! key pairs, server groups, servers, server metadata, server actions, volume attachments, network interfaces
//! and addresses, server security groups, limits, availability zones, extensions and the image
//! proxy.

mod actions;
mod attachments;
mod availability_zones;
mod discovery;
mod extensions;
mod extra_specs;
mod flavor_access;
mod flavors;
mod images;
mod interfaces;
mod ips;
mod keypairs;
mod limits;
mod server_groups;
mod server_metadata;
mod server_security_groups;
mod servers;
mod views;

use axum::{
    routing::{delete, get, post},
    Router,
};

use super::{cloud::Cloud, gateway::GatewayLayer, service::Service};

/// Nova's routes under `/compute`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let base = "/compute/v2.1";
    Router::new()
        .route("/compute", get(discovery::root))
        .route("/compute/", get(discovery::root))
        .route(base, get(discovery::v21))
        .route(&format!("{base}/"), get(discovery::v21))
        .route(
            &format!("{base}/flavors"),
            get(flavors::list).post(flavors::create),
        )
        .route(&format!("{base}/flavors/detail"), get(flavors::detail))
        .route(
            &format!("{base}/flavors/{{flavor_id}}"),
            get(flavors::show)
                .put(flavors::update)
                .delete(flavors::remove),
        )
        .route(
            &format!("{base}/flavors/{{flavor_id}}/action"),
            post(flavor_access::action),
        )
        .route(
            &format!("{base}/flavors/{{flavor_id}}/os-flavor-access"),
            get(flavor_access::list),
        )
        .route(
            &format!("{base}/flavors/{{flavor_id}}/os-extra_specs"),
            get(extra_specs::list).post(extra_specs::create),
        )
        .route(
            &format!("{base}/flavors/{{flavor_id}}/os-extra_specs/{{key}}"),
            get(extra_specs::show)
                .put(extra_specs::update)
                .delete(extra_specs::remove),
        )
        .route(
            &format!("{base}/os-keypairs"),
            get(keypairs::list).post(keypairs::create),
        )
        .route(
            &format!("{base}/os-keypairs/{{name}}"),
            get(keypairs::show).delete(keypairs::remove),
        )
        .route(
            &format!("{base}/os-server-groups"),
            get(server_groups::list).post(server_groups::create),
        )
        .route(
            &format!("{base}/os-server-groups/{{id}}"),
            get(server_groups::show).delete(server_groups::remove),
        )
        .route(&format!("{base}/extensions"), get(extensions::list))
        .route(
            &format!("{base}/extensions/{{alias}}"),
            get(extensions::show),
        )
        .route(&format!("{base}/limits"), get(limits::show))
        .route(
            &format!("{base}/os-availability-zone"),
            get(availability_zones::list),
        )
        .route(
            &format!("{base}/os-availability-zone/detail"),
            get(availability_zones::detail),
        )
        .route(&format!("{base}/images"), get(images::list::<false>))
        .route(&format!("{base}/images/detail"), get(images::list::<true>))
        .route(
            &format!("{base}/images/{{image_id}}"),
            get(images::show).delete(images::remove),
        )
        .route(
            &format!("{base}/images/{{image_id}}/metadata"),
            get(images::metadata)
                .post(images::change_all_metadata::<false>)
                .put(images::change_all_metadata::<true>),
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
            &format!("{base}/servers/{{server_id}}/metadata"),
            get(server_metadata::list)
                .post(server_metadata::merge)
                .put(server_metadata::replace),
        )
        .route(
            &format!("{base}/servers/{{server_id}}/metadata/{{key}}"),
            get(server_metadata::show)
                .put(server_metadata::set)
                .delete(server_metadata::remove),
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
        .route_layer(GatewayLayer::new(cloud, Service::Nova))
}

/// Nova's 400 for a request body its JSON schema refuses.
fn invalid(field: &str, detail: impl std::fmt::Display) -> crate::openstack::error::CloudError {
    crate::openstack::error::CloudError::bad_request(format!(
        "Invalid input for field/attribute {field}. {detail}"
    ))
}

/// Nova's 403 for a policy refusal of `os_compute_api:<rule>`.
fn policy_refusal(rule: &str) -> crate::openstack::error::CloudError {
    crate::openstack::error::CloudError::forbidden(format!(
        "Policy doesn't allow os_compute_api:{rule} to be performed."
    ))
}

/// A Nova error response.
fn fail(error: crate::openstack::error::CloudError) -> axum::response::Response {
    crate::openstack::render::error_response(Service::Nova, &error, None, "")
}
