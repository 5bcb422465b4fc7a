//! Role grants of a user on a project or a domain
//! (`/v3/{projects|domains}/{id}/users/{user}/roles[/{role}]`: list, grant, check, revoke) and
//! `GET /v3/role_assignments` with its filters (`user.id`, `role.id`, `scope.project.id`,
//! `scope.domain.id`, `effective`, `include_names`; `group.id` and `scope.system` find
//! nothing, as the fake has neither groups nor system assignments).

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    policy::{authorize, Caller},
    views::{self, fail},
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{AssignmentTarget, CloudState, RoleAssignment},
};

fn target(kind: &str, id: String) -> AssignmentTarget {
    if kind == "domains" {
        AssignmentTarget::Domain(id)
    } else {
        AssignmentTarget::Project(id)
    }
}

fn target_path(target: &AssignmentTarget) -> String {
    match target {
        AssignmentTarget::Project(id) => format!("projects/{id}"),
        AssignmentTarget::Domain(id) => format!("domains/{id}"),
    }
}

/// `GET /v3/{projects|domains}/{id}/users/{user}/roles`: the roles granted there.
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((kind, id, user_id)): Path<(String, String, String)>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_grants", |_| false);
    let state = cloud.state();
    let on = target(&kind, id);
    let checked = allowed
        .and_then(|_| state.identity.user_or_404(&user_id).map(|_| ()))
        .and_then(|_| match &on {
            AssignmentTarget::Project(id) => state.identity.project_or_404(id).map(|_| ()),
            AssignmentTarget::Domain(id) => state.identity.domain_or_404(id).map(|_| ()),
        });
    if let Err(error) = checked {
        return fail(&cloud, error);
    }
    let roles: Vec<Value> = state
        .identity
        .assignments
        .iter()
        .filter(|a| a.user_id == user_id && a.target == on)
        .filter_map(|a| state.role(&a.role_id).ok())
        .map(|r| views::role(&cloud, r))
        .collect();
    views::list(&cloud, "roles", &format!("{}/users/{user_id}/roles", target_path(&on)), roles)
}

type GrantPath = Path<(String, String, String, String)>;

fn assignment((kind, id, user_id, role_id): (String, String, String, String)) -> RoleAssignment {
    RoleAssignment {
        role_id,
        user_id,
        target: target(&kind, id),
    }
}

/// `PUT .../roles/{role}` -> 204.
pub async fn grant(State(cloud): State<Cloud>, headers: HeaderMap, Path(parts): GrantPath) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "create_grant", |_| false)
        .and_then(|_| cloud.state().grant_role(assignment(parts)));
    answer(&cloud, done)
}

/// `HEAD`/`GET .../roles/{role}` -> 204 when granted, 404 otherwise.
pub async fn check(State(cloud): State<Cloud>, headers: HeaderMap, Path(parts): GrantPath) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "check_grant", |_| false)
        .and_then(|_| cloud.state().check_grant(&assignment(parts)));
    answer(&cloud, done)
}

/// `DELETE .../roles/{role}` -> 204.
pub async fn revoke(State(cloud): State<Cloud>, headers: HeaderMap, Path(parts): GrantPath) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "revoke_grant", |_| false)
        .and_then(|_| cloud.state().revoke_role(&assignment(parts)));
    answer(&cloud, done)
}

fn answer(cloud: &Cloud, done: Result<(), CloudError>) -> Response {
    match done {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(cloud, error),
    }
}

/// `{"id", "name", "domain": {"id", "name"}}` of something in a domain.
fn named_in_domain(state: &CloudState, id: &str, name: &str, domain_id: &str) -> Value {
    let domain_name = state.identity.domains.iter().find(|d| d.id == domain_id).map(|d| d.name.clone());
    json!({"id": id, "name": name, "domain": {"id": domain_id, "name": domain_name}})
}

/// One entry of a role assignment list; `prior` is the role an implied one comes from.
fn entry(cloud: &Cloud, state: &CloudState, a: &RoleAssignment, prior: Option<&str>, names: bool) -> Value {
    let mut links = json!({"assignment": views::url(
        cloud,
        &format!("{}/users/{}/roles/{}", target_path(&a.target), a.user_id, prior.unwrap_or(&a.role_id)),
    )});
    if let Some(prior) = prior {
        links["prior_role"] = json!(views::url(cloud, &format!("roles/{prior}")));
    }
    let (key, id) = match &a.target {
        AssignmentTarget::Project(id) => ("project", id),
        AssignmentTarget::Domain(id) => ("domain", id),
    };
    let (mut role, mut user, mut scope) = (json!({"id": a.role_id}), json!({"id": a.user_id}), json!({key: {"id": id}}));
    if names {
        if let Ok(found) = state.role(&a.role_id) {
            role["name"] = json!(found.name);
        }
        if let Some(found) = state.identity.user(&a.user_id) {
            user = named_in_domain(state, &found.id, &found.name, &found.domain_id);
        }
        scope = match &a.target {
            AssignmentTarget::Project(id) => match state.identity.project(id) {
                Some(p) => json!({"project": named_in_domain(state, &p.id, &p.name, &p.domain_id)}),
                None => scope,
            },
            AssignmentTarget::Domain(id) => match state.identity.domains.iter().find(|d| &d.id == id) {
                Some(d) => json!({"domain": {"id": d.id, "name": d.name}}),
                None => scope,
            },
        };
    }
    json!({"role": role, "user": user, "scope": scope, "links": links})
}

/// `GET /v3/role_assignments`.
pub async fn role_assignments(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_role_assignments", |_| false) {
        return fail(&cloud, error);
    }
    let present = |key: &str| query.get(key).is_some_and(|v| !v.eq_ignore_ascii_case("false") && v != "0");
    let effective = present("effective") || query.contains_key("effective");
    let names = present("include_names") || query.get("include_names").is_some_and(|v| v.is_empty());
    let state = cloud.state();
    let mut entries = Vec::new();
    // No groups and no system assignments: such filters match nothing.
    if !query.contains_key("group.id") && !query.contains_key("scope.system") {
        for a in &state.identity.assignments {
            let implied = if effective { state.with_implied(&a.role_id) } else { vec![a.role_id.clone()] };
            for role_id in implied {
                let shown = RoleAssignment { role_id: role_id.clone(), ..a.clone() };
                let keep = query.get("user.id").is_none_or(|u| u == &shown.user_id)
                    && query.get("role.id").is_none_or(|r| r == &shown.role_id)
                    && query
                        .get("scope.project.id")
                        .is_none_or(|p| shown.target == AssignmentTarget::Project(p.clone()))
                    && query
                        .get("scope.domain.id")
                        .is_none_or(|d| shown.target == AssignmentTarget::Domain(d.clone()));
                if keep {
                    let prior = (role_id != a.role_id).then_some(a.role_id.as_str());
                    entries.push(entry(&cloud, &state, &shown, prior, names));
                }
            }
        }
    }
    Json(json!({
        "role_assignments": entries,
        "links": {"self": views::url(&cloud, "role_assignments"), "previous": null, "next": null},
    }))
    .into_response()
}
