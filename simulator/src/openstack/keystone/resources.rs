//! The read side of Keystone's resources that clients look at: `GET /v3/auth/catalog`,
//! `GET /v3/domains/{id}` (the default domain) and `GET /v3/users/{id}/projects`.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::{json, Value};

use super::{catalog::catalog, fail};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    gateway::Scope,
    model::{Project, DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME},
};

fn collection_links(cloud: &Cloud, path: &str) -> Value {
    json!({"self": format!("{}/identity/v3/{path}", cloud.public_url()), "previous": null, "next": null})
}

fn project_view(cloud: &Cloud, project: &Project) -> Value {
    json!({
        "id": project.id,
        "name": project.name,
        "domain_id": project.domain_id,
        "description": "",
        "enabled": true,
        "parent_id": project.domain_id,
        "is_domain": false,
        "tags": [],
        "options": {},
        "links": {"self": format!("{}/identity/v3/projects/{}", cloud.public_url(), project.id)},
    })
}

/// `GET /v3/auth/catalog`: the catalog of the token's project (403 for an unscoped token).
pub async fn show_catalog(State(cloud): State<Cloud>, scope: Option<Extension<Scope>>) -> Response {
    match scope {
        Some(Extension(scope)) => Json(json!({
            "catalog": catalog(cloud.public_url(), &scope.project_id),
            "links": collection_links(&cloud, "auth/catalog"),
        }))
        .into_response(),
        None => fail(
            &cloud,
            CloudError::forbidden(
                "A project-scoped token is required to produce a service catalog.",
            ),
        ),
    }
}

/// `GET /v3/domains/{id}`: the only domain, `default`.
pub async fn show_domain(State(cloud): State<Cloud>, Path(domain_id): Path<String>) -> Response {
    if domain_id != DEFAULT_DOMAIN_ID {
        return fail(
            &cloud,
            CloudError::not_found(format!("Could not find domain: {domain_id}.")),
        );
    }
    Json(json!({"domain": {
        "id": DEFAULT_DOMAIN_ID,
        "name": DEFAULT_DOMAIN_NAME,
        "description": "The default domain",
        "enabled": true,
        "tags": [],
        "options": {},
        "links": {"self": format!("{}/identity/v3/domains/{DEFAULT_DOMAIN_ID}", cloud.public_url())},
    }}))
    .into_response()
}

/// `GET /v3/users/{id}/projects`: the projects the user has a role on; the user itself or the
/// cloud admin may ask.
pub async fn user_projects(
    State(cloud): State<Cloud>,
    scope: Option<Extension<Scope>>,
    Path(user_id): Path<String>,
) -> Response {
    let allowed = scope.is_some_and(|Extension(s)| s.admin || s.user_id == user_id);
    if !allowed {
        return fail(
            &cloud,
            CloudError::forbidden(
                "You are not authorized to perform the requested action: identity:list_user_projects.",
            ),
        );
    }
    let state = cloud.state();
    let Some(user) = state.identity.user(&user_id) else {
        return fail(
            &cloud,
            CloudError::not_found(format!("Could not find user: {user_id}.")),
        );
    };
    let projects: Vec<Value> = state
        .identity
        .projects
        .iter()
        .filter(|p| user.assigned_to(&p.id))
        .map(|p| project_view(&cloud, p))
        .collect();
    Json(json!({
        "projects": projects,
        "links": collection_links(&cloud, &format!("users/{user_id}/projects")),
    }))
    .into_response()
}
