//! `GET /flavors`, `/flavors/detail`, `/flavors/{id}`.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::json;

use super::{fail, views};
use crate::openstack::{cloud::Cloud, error::CloudError, microversion::Microversion};

/// `GET /flavors`.
pub async fn list(State(cloud): State<Cloud>) -> Json<serde_json::Value> {
    let state = cloud.state();
    let flavors: Vec<_> = state
        .flavors
        .iter()
        .map(|f| json!({"id": f.id, "name": f.name, "links": views::links(&cloud, "flavors", &f.id)}))
        .collect();
    Json(json!({"flavors": flavors}))
}

/// `GET /flavors/detail`.
pub async fn detail(
    State(cloud): State<Cloud>,
    Extension(version): Extension<Microversion>,
) -> Json<serde_json::Value> {
    let state = cloud.state();
    let flavors: Vec<_> = state
        .flavors
        .iter()
        .map(|f| views::flavor_detail(&cloud, f, version))
        .collect();
    Json(json!({"flavors": flavors}))
}

/// `GET /flavors/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(version): Extension<Microversion>,
    Path(flavor_id): Path<String>,
) -> Response {
    let state = cloud.state();
    match state.flavors.iter().find(|f| f.id == flavor_id) {
        Some(flavor) => {
            Json(json!({"flavor": views::flavor_detail(&cloud, flavor, version)})).into_response()
        }
        None => fail(CloudError::not_found(format!(
            "Flavor {flavor_id} could not be found."
        ))),
    }
}

/// `GET /flavors/{id}/os-extra_specs`: the fake's flavors carry none.
pub async fn extra_specs(State(cloud): State<Cloud>, Path(flavor_id): Path<String>) -> Response {
    let state = cloud.state();
    if state.flavors.iter().any(|f| f.id == flavor_id) {
        Json(json!({"extra_specs": {}})).into_response()
    } else {
        fail(CloudError::not_found(format!(
            "Flavor {flavor_id} could not be found."
        )))
    }
}
