//! Glance v2: discovery, images (list with the paging envelope and filters, show, create,
//! update, upload, delete, tags, deactivate/reactivate), image members, schemas and
//! webob-style error bodies chosen by `Accept`.

mod discovery;
mod image_actions;
mod images;
mod members;
mod schemas;
mod views;

use axum::{
    http::HeaderMap,
    middleware,
    response::Response,
    routing::{any, get, post, put},
    Router,
};

use super::{
    cloud::Cloud, error::CloudError, gateway::gateway, render::error_response, service::Service,
};

/// Glance's routes under `/image`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    Router::new()
        .route("/image", get(discovery::root))
        .route("/image/", get(discovery::root))
        .route("/image/versions", get(discovery::versions))
        .route("/image/v2/images", get(images::list).post(images::create))
        .route(
            "/image/v2/images/{image_id}",
            get(images::show)
                .delete(images::remove)
                .patch(images::update),
        )
        .route(
            "/image/v2/images/{image_id}/file",
            put(images::upload).get(images::download),
        )
        .route(
            "/image/v2/images/{image_id}/members",
            get(members::list).post(members::add),
        )
        .route(
            "/image/v2/images/{image_id}/members/{member_id}",
            get(members::show)
                .put(members::answer)
                .delete(members::remove),
        )
        .route(
            "/image/v2/images/{image_id}/tags/{tag}",
            put(image_actions::add_tag).delete(image_actions::remove_tag),
        )
        .route(
            "/image/v2/images/{image_id}/actions/{action}",
            post(image_actions::activation),
        )
        .route(
            "/image/v2/images/{image_id}/tasks",
            get(image_actions::tasks),
        )
        .route("/image/v2/schemas/{name}", get(schemas::show))
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Glance),
            gateway,
        ))
        .route("/image/{version}", any(discovery::other_version))
        .route("/image/{version}/{*rest}", any(discovery::other_version))
}

/// A Glance error response, negotiated on the request's `Accept`.
fn fail(headers: &HeaderMap, error: CloudError) -> Response {
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    error_response(Service::Glance, &error, accept, "")
}
