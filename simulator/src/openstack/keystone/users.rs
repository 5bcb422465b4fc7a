//! `/v3/users`: list, create, show, update, delete (administrators; a user may show and
//! update itself and change its own password), the projects of a user and its groups.

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
    views::{self, body_object, fail, flag, name, text},
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{IdentityChanges, NewUser, UserRef},
};

/// The user attributes Keystone knows; others are kept as given.
const KNOWN: [&str; 10] = [
    "id",
    "name",
    "domain_id",
    "password",
    "enabled",
    "description",
    "email",
    "default_project_id",
    "options",
    "federated",
];

/// `GET /v3/users` (filters `name`, `domain_id`, `enabled`).
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_users", |_| false) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let users: Vec<Value> = state
        .identity
        .users
        .iter()
        .filter(|u| views::matches(&query, &u.name, u.enabled, Some(&u.domain_id)))
        .map(|u| views::user(&cloud, u))
        .collect();
    views::list(&cloud, "users", "users", users)
}

/// `POST /v3/users` -> 201.
pub async fn create(State(cloud): State<Cloud>, headers: HeaderMap, body: Bytes) -> Response {
    let made = authorize(Caller::of(&cloud, &headers), "create_user", |_| false).and_then(|_| {
        let object = body_object(&body, "user")?;
        let mut state = cloud.state();
        let default_project_id = text(&object, "default_project_id")?;
        if let Some(project) = &default_project_id {
            state.identity.project_or_404(project)?;
        }
        state.create_user(NewUser {
            name: name(&object, 255)?,
            domain_id: text(&object, "domain_id")?,
            password: text(&object, "password")?.unwrap_or_default(),
            enabled: flag(&object, "enabled")?.unwrap_or(true),
            description: text(&object, "description")?,
            email: text(&object, "email")?,
            default_project_id,
            every_project: false,
            extra: views::extra(&object, &KNOWN),
        })
    });
    match made {
        Ok(user) => (
            StatusCode::CREATED,
            Json(json!({"user": views::user(&cloud, &user)})),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/users/{id}`: administrators, or the user itself.
pub async fn show(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "get_user", |c| {
        c.user_id == id
    });
    let state = cloud.state();
    match allowed.and_then(|_| state.identity.user_or_404(&id)) {
        Ok(user) => Json(json!({"user": views::user(&cloud, user)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/users/{id}`: name, password, enabled, description, email, default project.
pub async fn update(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated =
        authorize(Caller::of(&cloud, &headers), "update_user", |_| false).and_then(|_| {
            let object = body_object(&body, "user")?;
            let optional = |field: &str| {
                object
                    .contains_key(field)
                    .then(|| text(&object, field))
                    .transpose()
            };
            let changes = IdentityChanges {
                name: object
                    .contains_key("name")
                    .then(|| name(&object, 255))
                    .transpose()?,
                description: optional("description")?,
                enabled: flag(&object, "enabled")?,
                password: text(&object, "password")?,
                email: optional("email")?,
                default_project_id: optional("default_project_id")?,
                extra: views::extra(&object, &KNOWN),
                ..IdentityChanges::default()
            };
            cloud.state().update_user(&id, changes)
        });
    match updated {
        Ok(user) => Json(json!({"user": views::user(&cloud, &user)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/users/{id}` -> 204, with the user's assignments, key pairs and tokens.
pub async fn remove(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_user", |_| false)
        .and_then(|_| cloud.state().delete_user(&id));
    views::no_content(&cloud, removed)
}

/// `POST /v3/users/{id}/password` -> 204: a user changes its own password, giving the
/// original one (401 when wrong); its tokens end.
pub async fn change_password(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let changed = authorize(Caller::of(&cloud, &headers), "change_password", |c| {
        c.user_id == id
    })
    .and_then(|_| {
        let object = body_object(&body, "user")?;
        let original = text(&object, "original_password")?
            .ok_or_else(|| CloudError::bad_request("'original_password' is a required property"))?;
        let password = text(&object, "password")?
            .ok_or_else(|| CloudError::bad_request("'password' is a required property"))?;
        let mut state = cloud.state();
        state
            .identity
            .check_password(&UserRef::Id(id.clone()), &original)?;
        state.update_user(
            &id,
            IdentityChanges {
                password: Some(password),
                ..IdentityChanges::default()
            },
        )
    });
    match changed {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/users/{id}/projects`: the projects the user has a role on; the user itself or an
/// administrator may ask.
pub async fn projects(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_user_projects", |c| {
        c.user_id == id
    });
    let state = cloud.state();
    let user = match allowed.and_then(|_| state.identity.user_or_404(&id)) {
        Ok(user) => user,
        Err(error) => return fail(&cloud, error),
    };
    let projects: Vec<Value> = state
        .identity
        .projects
        .iter()
        .filter(|p| state.identity.assigned_to(user, &p.id))
        .map(|p| views::project(&cloud, p))
        .collect();
    views::list(
        &cloud,
        "projects",
        &format!("users/{id}/projects"),
        projects,
    )
}

/// `GET /v3/users/{id}/groups`: the groups the user is in.
pub async fn groups(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_groups_for_user", |c| {
        c.user_id == id
    });
    let state = cloud.state();
    match allowed.and_then(|_| state.identity.user_or_404(&id)) {
        Ok(_) => {
            let groups: Vec<Value> = state
                .identity
                .groups
                .iter()
                .filter(|g| g.members.iter().any(|m| m == &id))
                .map(|g| views::group(&cloud, g))
                .collect();
            views::list(&cloud, "groups", &format!("users/{id}/groups"), groups)
        }
        Err(error) => fail(&cloud, error),
    }
}
