//! `/v3/groups`: list, create, show, update, delete (administrators), and their members
//! (`/v3/groups/{id}/users[/{user}]`: list, add, check, remove).

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
use crate::openstack::{cloud::Cloud, model::DEFAULT_DOMAIN_ID};

/// `GET /v3/groups` (filters `name`, `domain_id`).
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_groups", |_| false) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let groups: Vec<Value> = state
        .identity
        .groups
        .iter()
        .filter(|g| views::matches(&query, &g.name, true, Some(&g.domain_id)))
        .map(|g| views::group(&cloud, g))
        .collect();
    views::list(&cloud, "groups", "groups", groups)
}

/// `POST /v3/groups` -> 201.
pub async fn create(State(cloud): State<Cloud>, headers: HeaderMap, body: Bytes) -> Response {
    let made = authorize(Caller::of(&cloud, &headers), "create_group", |_| false).and_then(|_| {
        let object = body_object(&body, "group")?;
        let domain_id =
            text(&object, "domain_id")?.unwrap_or_else(|| DEFAULT_DOMAIN_ID.to_string());
        cloud.state().create_group(
            &name(&object, 64)?,
            &domain_id,
            text(&object, "description")?.unwrap_or_default(),
        )
    });
    match made {
        Ok(group) => (
            StatusCode::CREATED,
            Json(json!({"group": views::group(&cloud, &group)})),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/groups/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "get_group", |_| false);
    let state = cloud.state();
    match allowed.and_then(|_| state.identity.group_or_404(&id)) {
        Ok(group) => Json(json!({"group": views::group(&cloud, group)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/groups/{id}`: name, description.
pub async fn update(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated =
        authorize(Caller::of(&cloud, &headers), "update_group", |_| false).and_then(|_| {
            let object = body_object(&body, "group")?;
            let new_name = object
                .contains_key("name")
                .then(|| name(&object, 64))
                .transpose()?;
            cloud
                .state()
                .update_group(&id, new_name, text(&object, "description")?)
        });
    match updated {
        Ok(group) => Json(json!({"group": views::group(&cloud, &group)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/groups/{id}` -> 204, with the group's assignments.
pub async fn remove(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_group", |_| false)
        .and_then(|_| cloud.state().delete_group(&id));
    views::no_content(&cloud, removed)
}

/// `GET /v3/groups/{id}/users`.
pub async fn members(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_users_in_group", |_| {
        false
    });
    let state = cloud.state();
    let group = match allowed.and_then(|_| state.identity.group_or_404(&id)) {
        Ok(group) => group,
        Err(error) => return fail(&cloud, error),
    };
    let users: Vec<Value> = group
        .members
        .iter()
        .filter_map(|m| state.identity.user(m))
        .map(|u| views::user(&cloud, u))
        .collect();
    views::list(&cloud, "users", &format!("groups/{id}/users"), users)
}

/// `PUT /v3/groups/{id}/users/{user}` -> 204.
pub async fn add_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "add_user_to_group", |_| false)
        .and_then(|_| cloud.state().add_to_group(&id, &user_id));
    views::no_content(&cloud, done)
}

/// `HEAD`/`GET /v3/groups/{id}/users/{user}` -> 204 when a member.
pub async fn check_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "check_user_in_group", |_| {
        false
    })
    .and_then(|_| cloud.state().check_in_group(&id, &user_id));
    views::no_content(&cloud, done)
}

/// `DELETE /v3/groups/{id}/users/{user}` -> 204.
pub async fn remove_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(
        Caller::of(&cloud, &headers),
        "remove_user_from_group",
        |_| false,
    )
    .and_then(|_| cloud.state().remove_from_group(&id, &user_id));
    views::no_content(&cloud, done)
}
