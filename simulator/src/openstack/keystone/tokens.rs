//! `POST /v3/auth/tokens` (password or token method, project scope), token validation and
//! revocation.

use axum::{extract::State, http::HeaderMap};

use super::{catalog::catalog, fail};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{
    CloudState, DomainRef, ProjectRef, Token, UserRef, DEFAULT_DOMAIN_ID,
};
use crate::openstack::stamp;

fn domain_ref(value: &Value) -> Option<DomainRef> {
    if let Some(id) = value.get("id").and_then(Value::as_str) {
        return Some(DomainRef::Id(id.to_string()));
    }
    value
        .get("name")
        .and_then(Value::as_str)
        .map(|n| DomainRef::Name(n.to_string()))
}

fn user_ref(user: &Value) -> Result<UserRef, CloudError> {
    if let Some(id) = user.get("id").and_then(Value::as_str) {
        return Ok(UserRef::Id(id.to_string()));
    }
    let name = user
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| CloudError::bad_request("Expecting to find id or name in user - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error."))?;
    let domain = user
        .get("domain")
        .and_then(domain_ref)
        .ok_or_else(|| CloudError::bad_request("Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error."))?;
    Ok(UserRef::Name {
        name: name.to_string(),
        domain,
    })
}

fn project_ref(project: &Value) -> Result<ProjectRef, CloudError> {
    if let Some(id) = project.get("id").and_then(Value::as_str) {
        return Ok(ProjectRef::Id(id.to_string()));
    }
    let name = project
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| CloudError::bad_request("Expecting to find id or name in project."))?;
    let domain = project
        .get("domain")
        .and_then(domain_ref)
        .ok_or_else(|| CloudError::bad_request("Expecting to find domain in project."))?;
    Ok(ProjectRef::Name {
        name: name.to_string(),
        domain,
    })
}

/// Who authenticated and what the token is scoped to.
struct Authenticated {
    user_id: String,
    project_id: Option<String>,
    system: bool,
    methods: Vec<String>,
    /// When the token must expire: a token made from another keeps its expiry.
    expires_ms: Option<u64>,
}

/// Authenticates the request body.
fn authenticate(
    state: &CloudState,
    body: &Value,
    now_ms: u64,
) -> Result<Authenticated, CloudError> {
    let identity = body
        .pointer("/auth/identity")
        .ok_or_else(|| CloudError::bad_request("Expecting to find identity in auth - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error."))?;
    let mut methods: Vec<String> = identity
        .get("methods")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut expires_ms = None;
    let (user_id, token_project, token_system) = if methods.iter().any(|m| m == "password") {
        let user = identity
            .pointer("/password/user")
            .ok_or_else(|| CloudError::bad_request("Expecting to find user in password."))?;
        let password = user
            .get("password")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let found = state.identity.check_password(&user_ref(user)?, password)?;
        (found.id.clone(), None, false)
    } else if methods.iter().any(|m| m == "token") {
        let id = identity
            .pointer("/token/id")
            .and_then(Value::as_str)
            .ok_or_else(|| CloudError::bad_request("Expecting to find id in token."))?;
        let token = state
            .valid_token(id, now_ms)
            .ok_or_else(CloudError::unauthorized)?;
        expires_ms = Some(token.expires_ms);
        // A token made from another carries the other's methods and `token`.
        for method in &token.methods {
            if !methods.contains(method) {
                methods.push(method.clone());
            }
        }
        (
            token.user_id.to_string(),
            token.project_id.as_deref().map(str::to_string),
            token.system,
        )
    } else {
        return Err(CloudError::unauthorized());
    };
    let scope = body.pointer("/auth/scope");
    let system = match scope.and_then(|s| s.get("system")) {
        Some(system) => system.get("all").and_then(Value::as_bool) == Some(true),
        None => token_system && scope.is_none(),
    };
    let project_id = match scope.and_then(|s| s.get("project")) {
        Some(project) => {
            let reference = project_ref(project)?;
            let found = state
                .identity
                .find_project(&reference)
                .filter(|p| p.enabled)
                .ok_or_else(CloudError::unauthorized)?;
            Some(found.id.clone())
        }
        None if scope.is_none() => token_project,
        None => None,
    };
    let user = state
        .identity
        .user(&user_id)
        .ok_or_else(CloudError::unauthorized)?;
    // A password without a scope is scoped to the user's default project when it may be.
    let project_id = project_id.or_else(|| {
        user.default_project_id
            .clone()
            .filter(|_| scope.is_none() && expires_ms.is_none())
            .filter(|p| state.identity.assigned_to(user, p))
    });
    // Keystone refuses a scope on a project the user has no role on (401); system scope needs
    // a role on the system.
    if let Some(project_id) = &project_id {
        if !state.identity.assigned_to(user, project_id) {
            return Err(CloudError::unauthorized());
        }
    }
    if system && state.system_roles(&user.id).is_empty() {
        return Err(CloudError::unauthorized());
    }
    Ok(Authenticated {
        user_id,
        project_id,
        system,
        methods,
        expires_ms,
    })
}

fn render_token(cloud: &Cloud, state: &CloudState, token: &Token, with_catalog: bool) -> Value {
    let stamp = |ms| stamp::micros_z(cloud, ms);
    let user = state.identity.user(&token.user_id);

    let domain = |id: &str| {
        let name = state
            .identity
            .domains
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone());
        json!({"id": id, "name": name})
    };
    let user_domain = user.map_or(DEFAULT_DOMAIN_ID, |u| u.domain_id.as_str());
    let mut body = json!({
        "methods": token.methods,
        "user": {
            "domain": domain(user_domain),
            "id": token.user_id,
            "name": user.map(|u| u.name.clone()),
            "password_expires_at": null,
        },
        "audit_ids": [token.audit_id],
        "expires_at": stamp(token.expires_ms),
        "issued_at": stamp(token.issued_ms),
    });
    // An unscoped token carries no project, roles or catalog.
    if let Some(project_id) = &token.project_id {
        let project = state.identity.project(project_id);
        let project_domain = project.map_or(DEFAULT_DOMAIN_ID, |p| p.domain_id.as_str());
        body["project"] = json!({
            "domain": domain(project_domain),
            "id": project_id,
            "name": project.map(|p| p.name.clone()),
        });
        body["is_domain"] = json!(false);
        body["roles"] = role_refs(state, state.project_roles(&token.user_id, project_id));
        if with_catalog {
            body["catalog"] = catalog(cloud.public_url(), Some(project_id));
        }
    } else if token.system {
        body["system"] = json!({"all": true});
        body["roles"] = role_refs(state, state.system_roles(&token.user_id));
        if with_catalog {
            body["catalog"] = catalog(cloud.public_url(), None);
        }
    }
    json!({"token": body})
}

/// `[{"id", "name"}]` of the named roles.
fn role_refs(state: &CloudState, names: Vec<String>) -> Value {
    let refs: Vec<Value> = names
        .iter()
        .filter_map(|name| state.identity.roles.iter().find(|r| &r.name == name))
        .map(|role| json!({"id": role.id, "name": role.name}))
        .collect();
    Value::Array(refs)
}

/// Query of the token calls.
#[derive(serde::Deserialize)]
pub struct TokenQuery {
    nocatalog: Option<String>,
}

/// `POST /identity/v3/auth/tokens` -> 201 with `X-Subject-Token`.
pub async fn issue(
    State(cloud): State<Cloud>,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Response {
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(_) => {
            return fail(
                &cloud,
                CloudError::bad_request("The request body is not valid JSON."),
            )
        }
    };
    let now = cloud.clock().now_ms();
    let lifetime = cloud.config().token_lifetime_secs * 1_000;
    let mut state = cloud.state();
    let found = match authenticate(&state, &body, now) {
        Ok(found) => found,
        Err(error) => return fail(&cloud, error),
    };
    let token = state.issue_token(
        &found.user_id,
        found.project_id.as_deref(),
        found.system,
        found.methods,
        now,
        found
            .expires_ms
            .map_or(lifetime, |at| at.saturating_sub(now)),
    );
    let rendered = render_token(&cloud, &state, &token, query.nocatalog.is_none());
    (
        StatusCode::CREATED,
        [("x-subject-token", token.id.clone())],
        Json(rendered),
    )
        .into_response()
}

fn subject(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `GET /identity/v3/auth/tokens` with `X-Subject-Token`: 200 with the token, or 404.
pub async fn validate(
    State(cloud): State<Cloud>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
) -> Response {
    let state = cloud.state();
    let token =
        subject(&headers).and_then(|id| state.valid_token(&id, cloud.clock().now_ms()).cloned());
    match token {
        Some(token) => {
            let rendered = render_token(&cloud, &state, &token, query.nocatalog.is_none());
            ([("x-subject-token", token.id.clone())], Json(rendered)).into_response()
        }
        None => fail(&cloud, CloudError::not_found("Could not find token.")),
    }
}

/// `DELETE /identity/v3/auth/tokens` with `X-Subject-Token`: 204.
pub async fn revoke(State(cloud): State<Cloud>, headers: HeaderMap) -> Response {
    let mut state = cloud.state();
    match subject(&headers).and_then(|id| state.identity.tokens.remove(&id)) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => fail(&cloud, CloudError::not_found("Could not find token.")),
    }
}
