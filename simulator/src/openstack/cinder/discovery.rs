//! Cinder's version documents (300 at the root, 200 at `/v3/`).

use axum::extract::State;

use crate::openstack::handler_prelude::*;
use crate::openstack::service::Service;

fn versions(cloud: &Cloud) -> Value {
    let range = cloud.version_range(Service::Cinder);
    json!({"versions": [{
        "id": "v3.0",
        "status": "CURRENT",
        "version": range.max.to_string(),
        "min_version": range.min.to_string(),
        "updated": "2023-08-31T00:00:00Z",
        "links": [
            {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"},
            {"rel": "self", "href": format!("{}/volume/v3/", cloud.public_url())}
        ],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.volume+json;version=3"}]
    }]})
}

/// `GET /volume`: 300 Multiple Choices.
pub async fn root(State(cloud): State<Cloud>) -> Response {
    (StatusCode::MULTIPLE_CHOICES, Json(versions(&cloud))).into_response()
}

/// `GET /volume/v3/`.
pub async fn v3(State(cloud): State<Cloud>) -> Json<Value> {
    Json(versions(&cloud))
}
