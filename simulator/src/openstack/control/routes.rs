//! Handlers of the `/_sim` control API.

use axum::extract::State;
use serde::Deserialize;

use crate::openstack::handler_prelude::*;
use crate::{
    control_access::error_answer,
    openstack::{
        faults::FaultRule,
        model::{Actor, AssignmentTarget, NewUser, QuotaSet, RoleAssignment},
        service::Service,
    },
    saved_fault_rule::TriggeredRule,
};

fn bad(detail: impl std::fmt::Display) -> Response {
    error_answer(StatusCode::BAD_REQUEST, detail)
}

/// A JSON body (an empty one reads as `{}`), or the 400 answer naming what is wrong.
pub(super) fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Box<Response>> {
    let text = if body.is_empty() {
        &b"{}"[..]
    } else {
        &body[..]
    };
    serde_json::from_slice(text).map_err(|e| Box::new(bad(format!("invalid body: {e}"))))
}

/// `GET /_sim/state`: every resource of every project.
pub async fn state(State(cloud): State<Cloud>) -> Response {
    let now_ms = cloud.clock().now_ms();
    Json(cloud.state().dump(now_ms)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryQuery {
    #[serde(default)]
    created_since: u64,
}

/// `GET /_sim/inventory?created_since=`: every resource of every project in brief (id, name,
/// status, project and the resources it refers to), or only those created at or after a
/// cloud time (`now_ms` of an earlier inventory or of `/_sim/clock`).
pub async fn inventory(
    State(cloud): State<Cloud>,
    Query(query): Query<InventoryQuery>,
) -> Response {
    let state = cloud.state();
    let inventory = state.inventory(query.created_since, cloud.clock().now_ms());
    drop(state);
    Json(inventory).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    project_id: Option<String>,
}

/// `POST /_sim/reset`: `{}` wipes every resource, fault and call; `{"project_id"}` one project.
pub async fn reset(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let request: ResetRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    match request.project_id {
        Some(project_id) => {
            let mut state = cloud.state();
            if state.identity.project(&project_id).is_none() {
                return error_answer(StatusCode::NOT_FOUND, format!("no project {project_id}"));
            }
            state.reset_project(&project_id);
        }
        None => {
            let mut state = cloud.state();
            let projects: Vec<String> = state
                .identity
                .projects
                .iter()
                .map(|p| p.id.clone())
                .collect();
            for project in projects {
                state.reset_project(&project);
            }
            // The Cinder services the admin disabled are enabled again.
            state.disabled_services.clear();
            drop(state);
            cloud.faults().clear();
            cloud.calls().clear();
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    name: String,
}

/// `POST /_sim/projects {"name"}` -> 201 `{"id", "name"}`.
pub async fn create_project(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let request: ProjectRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    match cloud.state().create_project(&request.name) {
        Ok(project) => (
            StatusCode::CREATED,
            Json(json!({"id": project.id, "name": project.name})),
        )
            .into_response(),
        Err(error) => error_answer(error.status, error.message),
    }
}

/// `DELETE /_sim/projects/{id}` -> 204: removes a project made through the control API with
/// everything it holds (resources, role assignments, tokens); 404 for an unknown project, 409
/// for the cloud's own admin and service projects.
pub async fn delete_project(
    State(cloud): State<Cloud>,
    Path(project_id): Path<String>,
) -> Response {
    let mut state = cloud.state();
    let name = state.identity.project(&project_id).map(|p| p.name.clone());
    if name.as_deref() == Some(cloud.config().admin_project.as_str())
        || name.as_deref() == Some("service")
    {
        let detail = format!("project {project_id} is one of the cloud's own");
        return error_answer(StatusCode::CONFLICT, detail);
    }
    match state.delete_project(&project_id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error_answer(error.status, error.message),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRequest {
    name: String,
    password: String,
    /// Names of the projects the user has roles on; every project when absent.
    projects: Option<Vec<String>>,
    /// Names of the roles the user gets on each of those projects (default `member`, which
    /// implies `reader`).
    roles: Option<Vec<String>>,
}

/// `POST /_sim/users {"name", "password", "projects"?, "roles"?}` -> 201 `{"id", "name"}`:
/// another user who may log in to the named projects with the named roles (Keystone role
/// assignments), or like the admin user to every project (test suites need several distinct
/// accounts).
pub async fn create_user(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let request: UserRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if request.name.is_empty() || request.password.is_empty() {
        return bad("name and password must not be empty");
    }
    let mut state = cloud.state();
    let mut projects = Vec::new();
    for name in request.projects.iter().flatten() {
        match state.identity.projects.iter().find(|p| &p.name == name) {
            Some(project) => projects.push(project.id.clone()),
            None => return bad(format!("no project named {name}")),
        }
    }
    let mut roles = Vec::new();
    for name in request.roles.unwrap_or_else(|| vec!["member".to_string()]) {
        match state.identity.roles.iter().find(|r| r.name == name) {
            Some(role) => roles.push(role.id.clone()),
            None => return bad(format!("no role named {name}")),
        }
    }
    let new = NewUser {
        name: request.name,
        password: request.password,
        enabled: true,
        every_project: request.projects.is_none(),
        ..NewUser::default()
    };
    let made = state.create_user(new).and_then(|user| {
        for project_id in &projects {
            for role_id in &roles {
                state.grant_role(RoleAssignment {
                    role_id: role_id.clone(),
                    actor: Actor::User(user.id.clone()),
                    target: AssignmentTarget::Project(project_id.clone()),
                })?;
            }
        }
        Ok(user)
    });
    match made {
        Ok(user) => (
            StatusCode::CREATED,
            Json(json!({"id": user.id, "name": user.name})),
        )
            .into_response(),
        Err(error) => error_answer(error.status, error.message),
    }
}

/// `PUT /_sim/quotas/{project_id}`: any subset of the quota keys; answers the full set.
pub async fn set_quotas(
    State(cloud): State<Cloud>,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes: serde_json::Map<String, Value> = match parse(&body) {
        Ok(c) => c,
        Err(response) => return *response,
    };
    let mut state = cloud.state();
    if state.identity.project(&project_id).is_none() {
        return error_answer(StatusCode::NOT_FOUND, format!("no project {project_id}"));
    }
    let mut merged = serde_json::to_value(state.quota(&project_id)).unwrap_or_default();
    for (key, value) in changes {
        if merged.get(&key).is_none() {
            return bad(format!("unknown quota '{key}' (known: instances, cores, ram, volumes, snapshots, gigabytes, per_volume_gigabytes, backups, backup_gigabytes, groups, images)"));
        }
        if !value.is_i64() {
            return bad(format!(
                "quota '{key}' must be an integer (-1 for unlimited)"
            ));
        }
        merged[key] = value;
    }
    let quotas: QuotaSet = match serde_json::from_value(merged) {
        Ok(q) => q,
        Err(e) => return bad(e),
    };
    state.quotas.insert(project_id, quotas);
    Json(quotas).into_response()
}

/// `GET /_sim/quotas/{project_id}`.
pub async fn get_quotas(State(cloud): State<Cloud>, Path(project_id): Path<String>) -> Response {
    let state = cloud.state();
    if state.identity.project(&project_id).is_none() {
        return error_answer(StatusCode::NOT_FOUND, format!("no project {project_id}"));
    }
    Json(json!({"quotas": state.quota(&project_id), "usage": state.usage(&project_id)}))
        .into_response()
}

/// `POST /_sim/faults` -> 201 `{"id"}`.
pub async fn add_fault(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let rule: FaultRule = match parse(&body) {
        Ok(rule) => rule,
        Err(response) => return *response,
    };
    if let Err(detail) = rule.validate() {
        return bad(detail);
    }
    let id = cloud.faults().add(rule);
    (StatusCode::CREATED, Json(json!({"id": id}))).into_response()
}

/// `GET /_sim/faults`.
pub async fn list_faults(State(cloud): State<Cloud>) -> Response {
    Json(json!({"faults": cloud.faults().list()})).into_response()
}

/// `DELETE /_sim/faults` -> 204.
pub async fn clear_faults(State(cloud): State<Cloud>) -> StatusCode {
    cloud.faults().clear();
    StatusCode::NO_CONTENT
}

/// `DELETE /_sim/faults/{id}` -> 204, 404 when unknown.
pub async fn remove_fault(State(cloud): State<Cloud>, Path(fault_id): Path<String>) -> Response {
    if cloud.faults().remove(&fault_id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error_answer(StatusCode::NOT_FOUND, format!("no fault rule {fault_id}"))
    }
}

fn clock_view(cloud: &Cloud) -> Value {
    json!({
        "profile": cloud.clock().profile(),
        "now_ms": cloud.clock().now_ms(),
        "now": cloud.clock().wall_now().to_rfc3339(),
    })
}

/// `GET /_sim/clock`.
pub async fn clock(State(cloud): State<Cloud>) -> Json<Value> {
    Json(clock_view(&cloud))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvanceRequest {
    seconds: f64,
}

/// `POST /_sim/clock/advance {"seconds"}`: moves cloud time forward (any profile).
pub async fn advance_clock(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let request: AdvanceRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if !(request.seconds.is_finite() && request.seconds >= 0.0) {
        return bad("seconds must be a non-negative number");
    }
    cloud.clock().advance((request.seconds * 1_000.0) as u64);
    Json(clock_view(&cloud)).into_response()
}

#[derive(Deserialize)]
pub struct CallsQuery {
    service: Option<Service>,
    project_id: Option<String>,
    #[serde(default)]
    since: u64,
}

/// `GET /_sim/calls?service=&project_id=&since=`.
pub async fn calls(State(cloud): State<Cloud>, Query(query): Query<CallsQuery>) -> Json<Value> {
    let calls = cloud
        .calls()
        .query(query.service, query.project_id.as_deref(), query.since);
    Json(json!({"calls": calls}))
}

/// `DELETE /_sim/calls` -> 204.
pub async fn clear_calls(State(cloud): State<Cloud>) -> StatusCode {
    cloud.calls().clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    project_id: Option<String>,
}

/// `POST /_sim/tokens/revoke` -> 204: every issued token becomes invalid, or with
/// `{"project_id"}` those scoped to that project.
pub async fn revoke_tokens(State(cloud): State<Cloud>, body: Bytes) -> Response {
    let request: RevokeRequest = if body.is_empty() {
        RevokeRequest { project_id: None }
    } else {
        match parse(&body) {
            Ok(r) => r,
            Err(response) => return *response,
        }
    };
    cloud.state().revoke_tokens(request.project_id.as_deref());
    StatusCode::NO_CONTENT.into_response()
}
