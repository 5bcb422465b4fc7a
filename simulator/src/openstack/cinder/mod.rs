//! Cinder v3: discovery, microversions, volumes, volume actions, attachments, volume types
//! (extra specs, access, encryption, project defaults), snapshots, snapshot actions and
//! metadata, availability zones, services and capabilities, extensions, limits and quota sets.

mod attachments;
mod availability_zones;
mod default_types;
mod discovery;
mod extensions;
mod limits;
mod paging;
mod quota_sets;
mod resource_filters;
mod services;
mod snapshot_actions;
mod snapshot_metadata;
mod snapshots;
mod type_access;
mod type_encryption;
mod type_extra_specs;
mod types;
mod views;
mod volume_actions;
mod volumes;

use axum::{
    routing::{get, post, put},
    Router,
};

use super::{cloud::Cloud, gateway::GatewayLayer, service::Service};

/// The parameters of a path under `/volume/v3/{project_id}/` after its project, which the
/// handler does not read (the gateway checked it against the token's).
pub(super) type ProjectPath<T> = axum::extract::Path<(serde::de::IgnoredAny, T)>;

/// Cinder's routes under `/volume`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let base = "/volume/v3/{project_id}";
    Router::new()
        .route("/volume", get(discovery::root))
        .route("/volume/", get(discovery::root))
        .route("/volume/v3", get(discovery::v3))
        .route("/volume/v3/", get(discovery::v3))
        .route(
            &format!("{base}/volumes"),
            get(volumes::list::<false>).post(volumes::create),
        )
        .route(
            &format!("{base}/volumes/detail"),
            get(volumes::list::<true>),
        )
        .route(&format!("{base}/volumes/summary"), get(volumes::summary))
        .route(
            &format!("{base}/volumes/{{volume_id}}"),
            get(volumes::show)
                .put(volumes::update)
                .delete(volumes::remove),
        )
        .route(
            &format!("{base}/volumes/{{volume_id}}/action"),
            post(volume_actions::dispatch),
        )
        .route(
            &format!("{base}/attachments"),
            get(attachments::list::<false>).post(attachments::create),
        )
        .route(
            &format!("{base}/attachments/detail"),
            get(attachments::list::<true>),
        )
        .route(
            &format!("{base}/attachments/{{attachment_id}}"),
            get(attachments::show)
                .put(attachments::update)
                .delete(attachments::remove),
        )
        .route(
            &format!("{base}/attachments/{{attachment_id}}/action"),
            post(attachments::action),
        )
        .route(
            &format!("{base}/types"),
            get(types::list).post(types::create),
        )
        .route(
            &format!("{base}/types/{{type_id}}"),
            get(types::show).put(types::update).delete(types::remove),
        )
        .route(
            &format!("{base}/types/{{type_id}}/action"),
            post(type_access::action),
        )
        .route(
            &format!("{base}/types/{{type_id}}/os-volume-type-access"),
            get(type_access::list),
        )
        .route(
            &format!("{base}/types/{{type_id}}/extra_specs"),
            get(type_extra_specs::list).post(type_extra_specs::create),
        )
        .route(
            &format!("{base}/types/{{type_id}}/extra_specs/{{key}}"),
            get(type_extra_specs::show)
                .put(type_extra_specs::update)
                .delete(type_extra_specs::remove),
        )
        .route(
            &format!("{base}/types/{{type_id}}/encryption"),
            get(type_encryption::show).post(type_encryption::create),
        )
        .route(
            &format!("{base}/types/{{type_id}}/encryption/{{key}}"),
            get(type_encryption::show_spec)
                .put(type_encryption::update)
                .delete(type_encryption::remove),
        )
        .route(&format!("{base}/default-types"), get(default_types::list))
        .route(
            &format!("{base}/default-types/{{default_project_id}}"),
            get(default_types::show)
                .put(default_types::set)
                .delete(default_types::unset),
        )
        .route(
            &format!("{base}/os-availability-zone"),
            get(availability_zones::list),
        )
        .route(
            &format!("{base}/resource_filters"),
            get(resource_filters::list),
        )
        .route(&format!("{base}/os-services"), get(services::list))
        .route(
            &format!("{base}/os-services/{{action}}"),
            put(services::update),
        )
        .route(
            &format!("{base}/capabilities/{{host}}"),
            get(services::capabilities),
        )
        .route(&format!("{base}/extensions"), get(extensions::list))
        .route(
            &format!("{base}/extensions/{{alias}}"),
            get(extensions::show),
        )
        .route(
            &format!("{base}/snapshots"),
            get(snapshots::list::<false>).post(snapshots::create),
        )
        .route(
            &format!("{base}/snapshots/detail"),
            get(snapshots::list::<true>),
        )
        .route(
            &format!("{base}/snapshots/{{snapshot_id}}"),
            get(snapshots::show)
                .put(snapshot_metadata::update)
                .delete(snapshots::remove),
        )
        .route(
            &format!("{base}/snapshots/{{snapshot_id}}/metadata"),
            get(snapshot_metadata::show)
                .post(snapshot_metadata::merge)
                .put(snapshot_metadata::replace),
        )
        .route(
            &format!("{base}/snapshots/{{snapshot_id}}/metadata/{{key}}"),
            get(snapshot_metadata::show_item)
                .put(snapshot_metadata::set_item)
                .delete(snapshot_metadata::remove_item),
        )
        .route(
            &format!("{base}/snapshots/{{snapshot_id}}/action"),
            post(snapshot_actions::dispatch),
        )
        .route(&format!("{base}/limits"), get(limits::show))
        .route(
            &format!("{base}/os-quota-sets/{{quota_project_id}}"),
            get(quota_sets::show)
                .put(quota_sets::update)
                .delete(quota_sets::reset),
        )
        .route(
            &format!("{base}/os-quota-sets/{{quota_project_id}}/defaults"),
            get(quota_sets::defaults),
        )
        .route_layer(GatewayLayer::new(cloud, Service::Cinder))
}

/// A Cinder error response.
fn fail(error: crate::openstack::error::CloudError) -> axum::response::Response {
    crate::openstack::render::error_response(Service::Cinder, &error, None, "")
}
