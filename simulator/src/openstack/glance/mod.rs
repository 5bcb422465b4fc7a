//! Glance v2: discovery, images (list with the paging envelope and filters, show, create,
//! update, upload, delete, tags, deactivate/reactivate), the import workflow (stage,
//! `glance-direct`, `web-download`, tasks), image members, metadata definitions, schemas and
//! webob-style error bodies chosen by `Accept`.

mod accept;
mod discovery;
mod image_actions;
mod images;
mod import;
mod members;
mod metadef_contents;
mod metadef_namespaces;
mod metadef_views;
mod schemas;
mod tasks;
mod views;
mod web_download;

use axum::{
    response::Response,
    routing::{any, delete, get, post, put},
    Router,
};

use self::{
    accept::Accept,
    metadef_contents::{Objects, Properties, Tags},
};
use super::{
    cloud::Cloud, error::CloudError, gateway::GatewayLayer, render::error_response,
    service::Service,
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
            put(image_actions::tag::<true>).delete(image_actions::tag::<false>),
        )
        .route(
            "/image/v2/images/{image_id}/actions/{action}",
            post(image_actions::activation),
        )
        .route(
            "/image/v2/images/{image_id}/tasks",
            get(image_actions::tasks),
        )
        .route("/image/v2/images/{image_id}/stage", put(import::stage))
        .route("/image/v2/images/{image_id}/import", post(import::import))
        .route("/image/v2/info/import", get(import::info))
        .route("/image/v2/tasks", get(tasks::list))
        .route(
            "/image/v2/tasks/{task_id}",
            get(tasks::show).delete(tasks::remove),
        )
        .route("/image/v2/info/stores", get(import::stores))
        .route("/image/v2/schemas/{name}", get(schemas::show))
        .route(
            "/image/v2/schemas/metadefs/{name}",
            get(schemas::show_metadef),
        )
        .route(
            "/image/v2/metadefs/resource_types",
            get(metadef_contents::resource_types),
        )
        .route(
            "/image/v2/metadefs/namespaces",
            get(metadef_namespaces::list).post(metadef_namespaces::create),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}",
            get(metadef_namespaces::show)
                .put(metadef_namespaces::update)
                .delete(metadef_namespaces::remove),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/resource_types",
            get(metadef_contents::associations).post(metadef_contents::associate),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/resource_types/{resource_type}",
            delete(metadef_contents::dissociate),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/properties",
            get(metadef_contents::list::<Properties>)
                .post(metadef_contents::create::<Properties>)
                .delete(metadef_contents::delete_all::<Properties>),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/properties/{property}",
            get(metadef_contents::show::<Properties>)
                .put(metadef_contents::update::<Properties>)
                .delete(metadef_contents::delete_one::<Properties>),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/objects",
            get(metadef_contents::list::<Objects>)
                .post(metadef_contents::create::<Objects>)
                .delete(metadef_contents::delete_all::<Objects>),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/objects/{object}",
            get(metadef_contents::show::<Objects>)
                .put(metadef_contents::update::<Objects>)
                .delete(metadef_contents::delete_one::<Objects>),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/tags",
            get(metadef_contents::list::<Tags>)
                .post(metadef_contents::create_tags)
                .delete(metadef_contents::delete_all::<Tags>),
        )
        .route(
            "/image/v2/metadefs/namespaces/{namespace}/tags/{tag}",
            get(metadef_contents::show::<Tags>)
                .post(metadef_contents::create_tag)
                .put(metadef_contents::update_tag)
                .delete(metadef_contents::delete_one::<Tags>),
        )
        .route_layer(GatewayLayer::new(cloud, Service::Glance))
        .route("/image/{version}", any(discovery::other_version))
        .route("/image/{version}/{*rest}", any(discovery::other_version))
}

/// A Glance error response, negotiated on the request's `Accept`.
fn fail(accept: &Accept, error: CloudError) -> Response {
    error_response(Service::Glance, &error, accept.as_str(), "")
}
