//! Keystone's JSON views of domains, projects, users and roles, list envelopes, list filters
//! and request bodies.

use std::collections::HashMap;

use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{Domain, Group, Project, Role, User},
    render::error_response,
    service::Service,
};

/// A Keystone error response.
pub fn fail(cloud: &Cloud, error: CloudError) -> Response {
    error_response(
        Service::Keystone,
        &error,
        None,
        &format!("{}/identity", cloud.public_url()),
    )
}

/// 204, or Keystone's error.
pub fn no_content(cloud: &Cloud, done: Result<(), CloudError>) -> Response {
    match done {
        Ok(()) => axum::http::StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(cloud, error),
    }
}

/// The absolute URL of a Keystone v3 path.
pub fn url(cloud: &Cloud, path: &str) -> String {
    format!("{}/identity/v3/{path}", cloud.public_url())
}

/// `{"<key>": [...], "links": {"self", "previous", "next"}}`.
pub fn list(cloud: &Cloud, key: &str, path: &str, items: Vec<Value>) -> Response {
    Json(json!({
        key: items,
        "links": {"self": url(cloud, path), "previous": null, "next": null},
    }))
    .into_response()
}

/// A domain.
pub fn domain(cloud: &Cloud, domain: &Domain) -> Value {
    json!({
        "id": domain.id,
        "name": domain.name,
        "description": domain.description,
        "enabled": domain.enabled,
        "tags": [],
        "options": {},
        "links": {"self": url(cloud, &format!("domains/{}", domain.id))},
    })
}

/// A project (its parent is its parent project, or its domain).
pub fn project(cloud: &Cloud, project: &Project) -> Value {
    let view = json!({
        "id": project.id,
        "name": project.name,
        "domain_id": project.domain_id,
        "description": project.description,
        "enabled": project.enabled,
        "parent_id": project.parent_id.as_deref().unwrap_or(&project.domain_id),
        "is_domain": false,
        "tags": project.tags,
        "options": {},
        "links": {"self": url(cloud, &format!("projects/{}", project.id))},
    });
    with_extra(view, &project.extra)
}

/// A view with the extra attributes added (those Keystone knows win).
fn with_extra(mut view: Value, extra: &serde_json::Map<String, Value>) -> Value {
    if let Some(object) = view.as_object_mut() {
        for (key, value) in extra {
            object.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    view
}

/// The attributes of a request body Keystone does not know (kept as `extra`).
pub fn extra(
    object: &serde_json::Map<String, Value>,
    known: &[&str],
) -> serde_json::Map<String, Value> {
    object
        .iter()
        .filter(|(key, _)| !known.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// A user (never its password).
pub fn user(cloud: &Cloud, user: &User) -> Value {
    let mut view = json!({
        "id": user.id,
        "name": user.name,
        "domain_id": user.domain_id,
        "enabled": user.enabled,
        "password_expires_at": null,
        "options": {},
        "links": {"self": url(cloud, &format!("users/{}", user.id))},
    });
    for (key, value) in [
        ("description", &user.description),
        ("email", &user.email),
        ("default_project_id", &user.default_project_id),
    ] {
        if let Some(value) = value {
            view[key] = json!(value);
        }
    }
    with_extra(view, &user.extra)
}

/// A group.
pub fn group(cloud: &Cloud, group: &Group) -> Value {
    json!({
        "id": group.id,
        "name": group.name,
        "domain_id": group.domain_id,
        "description": group.description,
        "links": {"self": url(cloud, &format!("groups/{}", group.id))},
    })
}

/// A role.
pub fn role(cloud: &Cloud, role: &Role) -> Value {
    let mut view = json!({
        "id": role.id,
        "name": role.name,
        "domain_id": role.domain_id,
        "options": {},
        "links": {"self": url(cloud, &format!("roles/{}", role.id))},
    });
    if let Some(description) = &role.description {
        view["description"] = json!(description);
    }
    view
}

/// Whether an item passes the `name`, `enabled` and `domain_id` filters of a list query.
pub fn matches(
    query: &HashMap<String, String>,
    name: &str,
    enabled: bool,
    domain_id: Option<&str>,
) -> bool {
    let enabled_wanted = query.get("enabled").map(|v| {
        !matches!(
            v.to_ascii_lowercase().as_str(),
            "false" | "0" | "no" | "off"
        )
    });
    query.get("name").is_none_or(|n| n == name)
        && enabled_wanted.is_none_or(|e| e == enabled)
        && query
            .get("domain_id")
            .is_none_or(|d| domain_id.is_none_or(|id| id == d))
}

/// The object under `key` of a JSON request body (Keystone's 400 otherwise).
pub fn body_object(bytes: &Bytes, key: &str) -> Result<serde_json::Map<String, Value>, CloudError> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|_| CloudError::bad_request("The request body is not valid JSON."))?;
    body.get(key)
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| CloudError::bad_request(format!("'{key}' is a required property")))
}

/// An optional string field (400 when present and not a string).
pub fn text(
    object: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<String>, CloudError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid input for field '{field}': {other} is not of type 'string'"
        ))),
    }
}

/// A required name of 1 to `max` characters.
pub fn name(object: &serde_json::Map<String, Value>, max: usize) -> Result<String, CloudError> {
    match text(object, "name")? {
        Some(name) if !name.trim().is_empty() && name.chars().count() <= max => Ok(name),
        Some(name) => Err(CloudError::bad_request(format!(
            "Invalid input for field 'name': '{name}' is not a valid name (1 to {max} characters)"
        ))),
        None => Err(CloudError::bad_request("'name' is a required property")),
    }
}

/// An optional boolean field.
pub fn flag(
    object: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<bool>, CloudError> {
    match object.get(field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid input for field '{field}': {other} is not of type 'boolean'"
        ))),
    }
}
