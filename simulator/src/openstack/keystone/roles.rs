//! `/v3/roles`: list, create, show, update and delete (administrators only).

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    policy::{authorize, Caller},
    views::{self, body_object, fail, name, text},
};
use crate::openstack::cloud::Cloud;

/// `GET /v3/roles` (filter `name`).
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_roles", |_| false) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let roles: Vec<Value> = state
        .identity
        .roles
        .iter()
        .filter(|r| views::matches(&query, &r.name, true, None))
        .map(|r| views::role(&cloud, r))
        .collect();
    views::list(&cloud, "roles", "roles", roles)
}

/// `POST /v3/roles` -> 201.
pub async fn create(State(cloud): State<Cloud>, headers: HeaderMap, body: Bytes) -> Response {
    let made = authorize(Caller::of(&cloud, &headers), "create_role", |_| false).and_then(|_| {
        let object = body_object(&body, "role")?;
        cloud
            .state()
            .create_role(&name(&object, 255)?, text(&object, "description")?)
    });
    match made {
        Ok(role) => (
            StatusCode::CREATED,
            Json(json!({"role": views::role(&cloud, &role)})),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/roles/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "get_role", |_| false);
    let state = cloud.state();
    match allowed.and_then(|_| state.role(&id)) {
        Ok(role) => Json(json!({"role": views::role(&cloud, role)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/roles/{id}`: name, description.
pub async fn update(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated =
        authorize(Caller::of(&cloud, &headers), "update_role", |_| false).and_then(|_| {
            let object = body_object(&body, "role")?;
            let new_name = object
                .contains_key("name")
                .then(|| name(&object, 255))
                .transpose()?;
            let description = object
                .contains_key("description")
                .then(|| text(&object, "description"))
                .transpose()?;
            cloud.state().update_role(&id, new_name, description)
        });
    match updated {
        Ok(role) => Json(json!({"role": views::role(&cloud, &role)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/roles/{id}` -> 204, with every assignment of the role.
pub async fn remove(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_role", |_| false)
        .and_then(|_| cloud.state().delete_role(&id));
    match removed {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&cloud, error),
    }
}
