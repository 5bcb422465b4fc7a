//! What a token's user may scope a token to: `GET /v3/auth/projects`, `/v3/auth/domains` and
//! `/v3/auth/system`.

use axum::{extract::State, http::HeaderMap};

use super::{
    policy::Caller,
    views::{self, fail},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{AssignmentTarget, CloudState};

fn caller(cloud: &Cloud, headers: &HeaderMap) -> Result<Caller, CloudError> {
    Caller::of(cloud, headers).ok_or_else(CloudError::unauthorized)
}

/// The domains the user holds a role on.
fn domain_ids(state: &CloudState, user_id: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for assignment in state.user_assignments(user_id) {
        if let AssignmentTarget::Domain(id) = &assignment.target {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids
}

/// `GET /v3/auth/projects`: the enabled projects the user holds a role on.
pub async fn projects(State(cloud): State<Cloud>, headers: HeaderMap) -> Response {
    let caller = match caller(&cloud, &headers) {
        Ok(caller) => caller,
        Err(error) => return fail(&cloud, error),
    };
    let state = cloud.state();
    let Some(user) = state.identity.user(&caller.user_id) else {
        return fail(&cloud, CloudError::unauthorized());
    };
    let projects: Vec<Value> = state
        .identity
        .projects
        .iter()
        .filter(|p| p.enabled && state.identity.assigned_to(user, &p.id))
        .map(|p| views::project(&cloud, p))
        .collect();
    views::list(&cloud, "projects", "auth/projects", projects)
}

/// `GET /v3/auth/domains`: the enabled domains the user holds a role on.
pub async fn domains(State(cloud): State<Cloud>, headers: HeaderMap) -> Response {
    let caller = match caller(&cloud, &headers) {
        Ok(caller) => caller,
        Err(error) => return fail(&cloud, error),
    };
    let state = cloud.state();
    let ids = domain_ids(&state, &caller.user_id);
    let domains: Vec<Value> = state
        .identity
        .domains
        .iter()
        .filter(|d| d.enabled && ids.contains(&d.id))
        .map(|d| views::domain(&cloud, d))
        .collect();
    views::list(&cloud, "domains", "auth/domains", domains)
}

/// `GET /v3/auth/system`: `[{"all": true}]` for a user with a role on the system.
pub async fn system(State(cloud): State<Cloud>, headers: HeaderMap) -> Response {
    let caller = match caller(&cloud, &headers) {
        Ok(caller) => caller,
        Err(error) => return fail(&cloud, error),
    };
    let state = cloud.state();
    let system: Vec<Value> = if state.system_roles(&caller.user_id).is_empty() {
        Vec::new()
    } else {
        vec![json!({"all": true})]
    };
    Json(json!({
        "system": system,
        "links": {"self": views::url(&cloud, "auth/system"), "previous": null, "next": null},
    }))
    .into_response()
}
