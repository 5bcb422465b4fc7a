//! `/v3/projects`: list, create, show, update and delete (administrators; a user may show the
//! project its token is scoped to).

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
    model::{IdentityChanges, Project, DEFAULT_DOMAIN_ID},
};

/// The project attributes Keystone knows; others are kept as given.
const KNOWN: [&str; 9] = [
    "id",
    "name",
    "domain_id",
    "parent_id",
    "description",
    "enabled",
    "tags",
    "is_domain",
    "options",
];

fn tags(object: &serde_json::Map<String, Value>) -> Result<Option<Vec<String>>, CloudError> {
    match object.get("tags") {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.as_str().map(str::to_string).ok_or_else(|| {
                    CloudError::bad_request(format!(
                        "Invalid input for field 'tags': {t} is not of type 'string'"
                    ))
                })
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid input for field 'tags': {other} is not of type 'array'"
        ))),
    }
}

/// `GET /v3/projects` (filters `name`, `domain_id`, `enabled`, `parent_id`).
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_projects", |_| false) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let projects: Vec<Value> = state
        .identity
        .projects
        .iter()
        .filter(|p| views::matches(&query, &p.name, p.enabled, Some(&p.domain_id)))
        .filter(|p| {
            query
                .get("parent_id")
                .is_none_or(|id| id == p.parent_id.as_deref().unwrap_or(&p.domain_id))
        })
        .filter(|_| {
            query
                .get("is_domain")
                .is_none_or(|d| d.eq_ignore_ascii_case("false"))
        })
        .map(|p| views::project(&cloud, p))
        .collect();
    views::list(&cloud, "projects", "projects", projects)
}

/// `POST /v3/projects` -> 201.
pub async fn create(State(cloud): State<Cloud>, headers: HeaderMap, body: Bytes) -> Response {
    let made =
        authorize(Caller::of(&cloud, &headers), "create_project", |_| false).and_then(|_| {
            let object = body_object(&body, "project")?;
            let mut state = cloud.state();
            let domain_id =
                text(&object, "domain_id")?.unwrap_or_else(|| DEFAULT_DOMAIN_ID.to_string());
            // A parent that is a domain is no parent project.
            let parent_id =
                text(&object, "parent_id")?.filter(|id| state.identity.domain_or_404(id).is_err());
            state.create_project_in(Project {
                id: String::new(),
                name: name(&object, 64)?,
                domain_id,
                parent_id,
                description: text(&object, "description")?.unwrap_or_default(),
                enabled: flag(&object, "enabled")?.unwrap_or(true),
                tags: tags(&object)?.unwrap_or_default(),
                extra: views::extra(&object, &KNOWN),
            })
        });
    match made {
        Ok(project) => (
            StatusCode::CREATED,
            Json(json!({"project": views::project(&cloud, &project)})),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/projects/{id}`: administrators, or a token scoped to that project.
pub async fn show(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "get_project", |c| {
        c.project_id.as_deref() == Some(id.as_str())
    });
    let state = cloud.state();
    match allowed.and_then(|_| state.identity.project_or_404(&id)) {
        Ok(project) => Json(json!({"project": views::project(&cloud, project)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/projects/{id}`: name, description, enabled, tags.
pub async fn update(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated =
        authorize(Caller::of(&cloud, &headers), "update_project", |_| false).and_then(|_| {
            let object = body_object(&body, "project")?;
            let changes = IdentityChanges {
                name: object
                    .contains_key("name")
                    .then(|| name(&object, 64))
                    .transpose()?,
                description: object
                    .contains_key("description")
                    .then(|| text(&object, "description"))
                    .transpose()?,
                enabled: flag(&object, "enabled")?,
                tags: tags(&object)?,
                extra: views::extra(&object, &KNOWN),
                ..IdentityChanges::default()
            };
            cloud.state().update_project(&id, changes)
        });
    match updated {
        Ok(project) => Json(json!({"project": views::project(&cloud, &project)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/projects/{id}` -> 204: the project with everything it holds; the cloud's own
/// admin project cannot go.
pub async fn remove(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_project", |_| false).and_then(|_| {
        let mut state = cloud.state();
        let own = state
            .identity
            .project(&id)
            .is_some_and(|p| p.name == cloud.config().admin_project);
        if own {
            return Err(CloudError::forbidden(
                "You are not authorized to perform the requested action: the cloud's admin project cannot be deleted.",
            ));
        }
        state.delete_project(&id)
    });
    views::no_content(&cloud, removed)
}
