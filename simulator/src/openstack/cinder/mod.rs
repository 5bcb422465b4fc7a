//! Cinder v3: discovery, microversions, volumes, volume actions, snapshots, snapshot actions
//! and metadata, limits and quota sets.

mod discovery;
mod limits;
mod paging;
mod quota_sets;
mod snapshot_actions;
mod snapshot_metadata;
mod snapshots;
mod views;
mod volumes;

use axum::{
    middleware,
    routing::{get, post},
    Router,
};

use super::{cloud::Cloud, gateway::gateway, service::Service};

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
            get(volumes::list).post(volumes::create),
        )
        .route(&format!("{base}/volumes/detail"), get(volumes::detail))
        .route(&format!("{base}/volumes/summary"), get(volumes::summary))
        .route(
            &format!("{base}/volumes/{{volume_id}}"),
            get(volumes::show)
                .put(volumes::update)
                .delete(volumes::remove),
        )
        .route(
            &format!("{base}/volumes/{{volume_id}}/action"),
            post(volumes::action),
        )
        .route(
            &format!("{base}/snapshots"),
            get(snapshots::list).post(snapshots::create),
        )
        .route(&format!("{base}/snapshots/detail"), get(snapshots::detail))
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
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Cinder),
            gateway,
        ))
}

/// A Cinder error response.
fn fail(error: crate::openstack::error::CloudError) -> axum::response::Response {
    crate::openstack::render::error_response(Service::Cinder, &error, None, "")
}
