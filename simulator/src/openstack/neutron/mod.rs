//! Neutron (networking v2.0): version discovery, extensions, networks, subnets, ports (with
//! allowed address pairs and port security), security groups and their rules, routers and
//! floating IPs, with `NeutronError` bodies, project scoping and list queries.

mod attributes;
mod discovery;
mod floating_ips;
mod networks;
mod ports;
mod query;
mod routers;
mod security_group_rules;
mod security_groups;
mod subnets;
mod views;

use axum::{
    body::Bytes,
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::{get, put},
    Json, Router,
};
use serde_json::Value;

use super::{
    cloud::Cloud,
    error::CloudError,
    gateway::{gateway, parse_body, Scope},
    model::{Caller, CloudState},
    render::error_response,
    service::Service,
};

/// Neutron's routes under `/networking`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let base = "/networking/v2.0";
    Router::new()
        .route("/networking", get(discovery::root))
        .route("/networking/", get(discovery::root))
        .route(base, get(discovery::v20))
        .route(&format!("{base}/"), get(discovery::v20))
        .route(&format!("{base}/extensions"), get(discovery::extensions))
        .route(
            &format!("{base}/extensions/{{alias}}"),
            get(discovery::extension),
        )
        .route(
            &format!("{base}/networks"),
            get(networks::list).post(networks::create),
        )
        .route(
            &format!("{base}/networks/{{id}}"),
            get(networks::show)
                .put(networks::update)
                .delete(networks::remove),
        )
        .route(
            &format!("{base}/subnets"),
            get(subnets::list).post(subnets::create),
        )
        .route(
            &format!("{base}/subnets/{{id}}"),
            get(subnets::show)
                .put(subnets::update)
                .delete(subnets::remove),
        )
        .route(
            &format!("{base}/ports"),
            get(ports::list).post(ports::create),
        )
        .route(
            &format!("{base}/ports/{{id}}"),
            get(ports::show).put(ports::update).delete(ports::remove),
        )
        .route(
            &format!("{base}/security-groups"),
            get(security_groups::list).post(security_groups::create),
        )
        .route(
            &format!("{base}/security-groups/{{id}}"),
            get(security_groups::show)
                .put(security_groups::update)
                .delete(security_groups::remove),
        )
        .route(
            &format!("{base}/security-group-rules"),
            get(security_group_rules::list).post(security_group_rules::create),
        )
        .route(
            &format!("{base}/security-group-rules/{{id}}"),
            get(security_group_rules::show).delete(security_group_rules::remove),
        )
        .route(
            &format!("{base}/routers"),
            get(routers::list).post(routers::create),
        )
        .route(
            &format!("{base}/routers/{{id}}"),
            get(routers::show)
                .put(routers::update)
                .delete(routers::remove),
        )
        .route(
            &format!("{base}/routers/{{id}}/add_router_interface"),
            put(routers::add_interface),
        )
        .route(
            &format!("{base}/routers/{{id}}/remove_router_interface"),
            put(routers::remove_interface),
        )
        .route(
            &format!("{base}/floatingips"),
            get(floating_ips::list).post(floating_ips::create),
        )
        .route(
            &format!("{base}/floatingips/{{id}}"),
            get(floating_ips::show)
                .put(floating_ips::update)
                .delete(floating_ips::remove),
        )
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Neutron),
            gateway,
        ))
}

/// A Neutron error response.
fn fail(error: CloudError) -> Response {
    error_response(Service::Neutron, &error, None, "")
}

/// The Neutron caller of a token scope.
fn caller(scope: &Scope) -> Caller<'_> {
    Caller {
        project_id: &scope.project_id,
        admin: scope.admin,
    }
}

/// The absolute URL of a collection (for paging links).
fn collection_url(cloud: &Cloud, collection: &str) -> String {
    format!("{}/networking/v2.0/{collection}", cloud.public_url())
}

/// A list answer from the views the caller sees.
fn list_answer(
    cloud: &Cloud,
    collection: &str,
    views: Vec<Value>,
    params: &query::Params,
) -> Response {
    match query::list(
        collection,
        &collection_url(cloud, collection),
        views,
        params,
    ) {
        Ok(body) => Json(body).into_response(),
        Err(error) => fail(error),
    }
}

/// A show answer: `{resource: view}` with only the `fields` asked for.
fn show_answer(
    resource: &str,
    view: Result<Value, CloudError>,
    params: &query::Params,
) -> Response {
    match view {
        Ok(view) => {
            Json(serde_json::json!({ resource: query::project(view, params) })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// Creates one resource per item of a create body (several in the bulk form, all or none):
/// `make` creates one and returns its id and view, `undo` removes one made before a later
/// item failed. Answers 201 with `{resource: view}` or `{collection: [views]}`.
fn create_all(
    cloud: &Cloud,
    body: &Bytes,
    (resource, collection): (&str, &str),
    make: impl Fn(&mut CloudState, &Value) -> Result<(String, Value), CloudError>,
    undo: impl Fn(&mut CloudState, &str),
) -> Response {
    let body: Value = match parse_body(body) {
        Ok(body) => body,
        Err(error) => return fail(error),
    };
    let (items, bulk) = match attributes::items(&body, resource, collection) {
        Ok(items) => items,
        Err(error) => return fail(error),
    };
    let mut state = cloud.state();
    let mut made: Vec<(String, Value)> = Vec::new();
    for item in items {
        match make(&mut state, item) {
            Ok(one) => made.push(one),
            Err(error) => {
                for (id, _) in made.iter().rev() {
                    undo(&mut state, id);
                }
                return fail(error);
            }
        }
    }
    let mut views: Vec<Value> = made.into_iter().map(|(_, view)| view).collect();
    let body = if bulk {
        serde_json::json!({ collection: views })
    } else {
        serde_json::json!({ resource: views.remove(0) })
    };
    (StatusCode::CREATED, Json(body)).into_response()
}

/// The single resource object of an update body.
fn update_item<'a>(body: &'a Value, resource: &str) -> Result<&'a Value, CloudError> {
    body.get(resource).ok_or_else(|| {
        CloudError::bad_request(format!("Unable to find '{resource}' in request body"))
    })
}

/// 204 for a delete that worked.
fn deleted(result: Result<(), CloudError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}
