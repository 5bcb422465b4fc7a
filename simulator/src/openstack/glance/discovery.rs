//! Glance's version list (300 at the root, 200 at `/versions`).

use crate::openstack::handler_prelude::*;
use axum::{
    extract::{Request, State},
    http::Method,
};

fn versions_body(cloud: &Cloud) -> Value {
    let href = format!("{}/image/v2/", cloud.public_url());
    let mut values =
        vec![json!({"id": "v2.17", "status": "CURRENT", "links": [{"rel": "self", "href": href}]})];
    for minor in (0..=16).rev() {
        values.push(json!({"id": format!("v2.{minor}"), "status": "SUPPORTED", "links": [{"rel": "self", "href": href}]}));
    }
    json!({"versions": values})
}

/// `GET /image`: 300 Multiple Choices.
pub async fn root(State(cloud): State<Cloud>) -> Response {
    (StatusCode::MULTIPLE_CHOICES, Json(versions_body(&cloud))).into_response()
}

/// `GET /image/versions`: 200.
pub async fn versions(State(cloud): State<Cloud>) -> Json<Value> {
    Json(versions_body(&cloud))
}

/// Any other version prefix (`/image/v3/...`): Glance's version negotiation answers 300 with
/// the version list before authentication; unknown `/image/v2/...` paths stay 404.
pub async fn other_version(
    State(cloud): State<Cloud>,
    method: Method,
    request: Request,
) -> Response {
    let path = request.uri().path();
    let version = path
        .trim_start_matches("/image/")
        .split('/')
        .next()
        .unwrap_or_default();
    if version == "v2" {
        return crate::openstack::gateway::unknown_path(State(cloud), method, request).await;
    }
    root(State(cloud)).await
}
