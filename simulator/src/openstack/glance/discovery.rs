//! Glance's version list (300 at the root, 200 at `/versions`).

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use crate::openstack::cloud::Cloud;

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
