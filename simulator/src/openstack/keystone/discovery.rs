//! Keystone's version documents (`versions.values` at the root, `version` at `/v3`).

use crate::openstack::handler_prelude::*;
use axum::{extract::State, http::header};

fn v3_version(cloud: &Cloud) -> Value {
    json!({
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": format!("{}/identity/v3/", cloud.public_url())}],
        "media-types": [{
            "base": "application/json",
            "type": "application/vnd.openstack.identity-v3+json"
        }]
    })
}

/// `GET /identity`: 300 Multiple Choices.
pub async fn root(State(cloud): State<Cloud>) -> Response {
    let location = format!("{}/identity/v3/", cloud.public_url());
    (
        StatusCode::MULTIPLE_CHOICES,
        [(header::LOCATION, location)],
        Json(json!({"versions": {"values": [v3_version(&cloud)]}})),
    )
        .into_response()
}

/// `GET /identity/v3`.
pub async fn v3(State(cloud): State<Cloud>) -> Json<Value> {
    Json(json!({"version": v3_version(&cloud)}))
}
