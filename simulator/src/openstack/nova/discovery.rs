//! Nova's version documents.

use axum::extract::State;

use crate::openstack::handler_prelude::*;
use crate::openstack::service::Service;

fn v21_version(cloud: &Cloud) -> Value {
    let range = cloud.version_range(Service::Nova);
    json!({
        "id": "v2.1",
        "status": "CURRENT",
        "version": range.max.to_string(),
        "min_version": range.min.to_string(),
        "updated": "2013-07-23T11:33:21Z",
        "links": [
            {"rel": "self", "href": format!("{}/compute/v2.1/", cloud.public_url())},
            {"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}
        ],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}]
    })
}

/// `GET /compute`: both API versions (200, as Nova answers).
pub async fn root(State(cloud): State<Cloud>) -> Json<Value> {
    let mut current = v21_version(&cloud);
    if let Some(object) = current.as_object_mut() {
        object.remove("media-types");
        object.insert(
            "links".to_string(),
            json!([{"rel": "self", "href": format!("{}/compute/v2.1/", cloud.public_url())}]),
        );
    }
    Json(json!({"versions": [
        {
            "id": "v2.0",
            "status": "DEPRECATED",
            "version": "",
            "min_version": "",
            "updated": "2025-07-04T12:00:00Z",
            "links": [{"rel": "self", "href": format!("{}/compute/v2/", cloud.public_url())}]
        },
        current
    ]}))
}

/// `GET /compute/v2.1`.
pub async fn v21(State(cloud): State<Cloud>) -> Json<Value> {
    Json(json!({"version": v21_version(&cloud)}))
}
