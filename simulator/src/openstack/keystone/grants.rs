//! Role grants of a user or group on a project, a domain or the system
//! (`/v3/{projects|domains}/{id}/{users|groups}/{actor}/roles[/{role}]`,
//! `/v3/system/{users|groups}/{actor}/roles[/{role}]`: list, grant, check, revoke) and
//! `GET /v3/role_assignments` with its filters (`user.id`, `group.id`, `role.id`,
//! `scope.project.id`, `scope.domain.id`, `scope.system`, `effective`, `include_names`).

use std::collections::HashMap;

use axum::{extract::State, http::HeaderMap};

use super::{
    policy::{authorize, Caller},
    views::{self, fail},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{Actor, AssignmentTarget, CloudState, RoleAssignment};

/// A grant's holder and target as its path names them
/// (`{projects|domains}/{id}/{users|groups}/{actor}` or `system/{users|groups}/{actor}`).
struct GrantPath {
    actor: Actor,
    target: AssignmentTarget,
}

impl GrantPath {
    fn parse(
        target: Option<(&str, String)>,
        actor_kind: &str,
        actor: String,
    ) -> Result<Self, CloudError> {
        let unknown = || CloudError::not_found("The resource could not be found.");
        let actor = match actor_kind {
            "users" => Actor::User(actor),
            "groups" => Actor::Group(actor),
            _ => return Err(unknown()),
        };
        let target = match target {
            None => AssignmentTarget::System,
            Some(("projects", id)) => AssignmentTarget::Project(id),
            Some(("domains", id)) => AssignmentTarget::Domain(id),
            Some(_) => return Err(unknown()),
        };
        Ok(Self { actor, target })
    }

    fn assignment(&self, role_id: String) -> RoleAssignment {
        RoleAssignment {
            role_id,
            actor: self.actor.clone(),
            target: self.target.clone(),
        }
    }
}

fn target_path(target: &AssignmentTarget) -> String {
    match target {
        AssignmentTarget::Project(id) => format!("projects/{id}"),
        AssignmentTarget::Domain(id) => format!("domains/{id}"),
        AssignmentTarget::System => "system".to_string(),
    }
}

fn actor_path(actor: &Actor) -> String {
    match actor {
        Actor::User(id) => format!("users/{id}"),
        Actor::Group(id) => format!("groups/{id}"),
    }
}

fn list_roles(cloud: &Cloud, headers: &HeaderMap, path: Result<GrantPath, CloudError>) -> Response {
    let state_check = |path: &GrantPath| -> Result<(), CloudError> {
        let state = cloud.state();
        match &path.actor {
            Actor::User(id) => state.identity.user_or_404(id).map(|_| ())?,
            Actor::Group(id) => state.identity.group_or_404(id).map(|_| ())?,
        }
        match &path.target {
            AssignmentTarget::Project(id) => state.identity.project_or_404(id).map(|_| ()),
            AssignmentTarget::Domain(id) => state.identity.domain_or_404(id).map(|_| ()),
            AssignmentTarget::System => Ok(()),
        }
    };
    let path = match authorize(Caller::of(cloud, headers), "list_grants", |_| false)
        .and(path)
        .and_then(|path| state_check(&path).map(|_| path))
    {
        Ok(path) => path,
        Err(error) => return fail(cloud, error),
    };
    let state = cloud.state();
    let roles: Vec<Value> = state
        .identity
        .assignments
        .iter()
        .filter(|a| a.actor == path.actor && a.target == path.target)
        .filter_map(|a| state.role(&a.role_id).ok())
        .map(|r| views::role(cloud, r))
        .collect();
    let at = format!(
        "{}/{}/roles",
        target_path(&path.target),
        actor_path(&path.actor)
    );
    views::list(cloud, "roles", &at, roles)
}

/// `GET /v3/{projects|domains}/{id}/{users|groups}/{actor}/roles`: the roles granted there.
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((kind, id, actor_kind, actor)): Path<(String, String, String, String)>,
) -> Response {
    list_roles(
        &cloud,
        &headers,
        GrantPath::parse(Some((&kind, id)), &actor_kind, actor),
    )
}

/// `GET /v3/system/{users|groups}/{actor}/roles`.
pub async fn list_system(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((actor_kind, actor)): Path<(String, String)>,
) -> Response {
    list_roles(&cloud, &headers, GrantPath::parse(None, &actor_kind, actor))
}

/// What a grant request does: its policy action and its change to the assignments.
pub trait GrantCall: 'static {
    /// The policy action (`identity:<action>`).
    const ACTION: &'static str;

    /// Grants, checks or revokes the assignment.
    fn apply(state: &mut CloudState, assignment: RoleAssignment) -> Result<(), CloudError>;
}

/// `PUT`: grants the role.
pub struct Grant;

impl GrantCall for Grant {
    const ACTION: &'static str = "create_grant";

    fn apply(state: &mut CloudState, assignment: RoleAssignment) -> Result<(), CloudError> {
        state.grant_role(assignment)
    }
}

/// `HEAD`/`GET`: 204 when granted, 404 otherwise.
pub struct Check;

impl GrantCall for Check {
    const ACTION: &'static str = "check_grant";

    fn apply(state: &mut CloudState, assignment: RoleAssignment) -> Result<(), CloudError> {
        state.check_grant(&assignment)
    }
}

/// `DELETE`: revokes the role.
pub struct Revoke;

impl GrantCall for Revoke {
    const ACTION: &'static str = "revoke_grant";

    fn apply(state: &mut CloudState, assignment: RoleAssignment) -> Result<(), CloudError> {
        state.revoke_role(&assignment)
    }
}

fn grant_call<C: GrantCall>(
    cloud: &Cloud,
    headers: &HeaderMap,
    path: Result<GrantPath, CloudError>,
    role_id: String,
) -> Response {
    let done = authorize(Caller::of(cloud, headers), C::ACTION, |_| false)
        .and(path)
        .and_then(|path| C::apply(&mut cloud.state(), path.assignment(role_id)));
    views::no_content(cloud, done)
}

/// `/v3/{projects|domains}/{id}/{users|groups}/{actor}/roles/{role}` -> 204.
pub async fn scoped<C: GrantCall>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((kind, id, actor_kind, actor, role_id)): Path<(String, String, String, String, String)>,
) -> Response {
    let path = GrantPath::parse(Some((&kind, id)), &actor_kind, actor);
    grant_call::<C>(&cloud, &headers, path, role_id)
}

/// `/v3/system/{users|groups}/{actor}/roles/{role}` -> 204.
pub async fn system<C: GrantCall>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((actor_kind, actor, role_id)): Path<(String, String, String)>,
) -> Response {
    grant_call::<C>(
        &cloud,
        &headers,
        GrantPath::parse(None, &actor_kind, actor),
        role_id,
    )
}

/// `{"id", "name", "domain": {"id", "name"}}` of something in a domain.
fn named_in_domain(state: &CloudState, id: &str, name: &str, domain_id: &str) -> Value {
    let domain_name = state
        .identity
        .domains
        .iter()
        .find(|d| d.id == domain_id)
        .map(|d| d.name.clone());
    json!({"id": id, "name": name, "domain": {"id": domain_id, "name": domain_name}})
}

/// One entry of a role assignment list; `prior` is the role an implied one comes from,
/// `via` the group a user holds it through.
fn entry(
    cloud: &Cloud,
    state: &CloudState,
    a: &RoleAssignment,
    (prior, via): (Option<&str>, Option<&str>),
    names: bool,
) -> Value {
    let holder = match via {
        Some(group) => Actor::Group(group.to_string()),
        None => a.actor.clone(),
    };
    let mut links = json!({"assignment": views::url(
        cloud,
        &format!("{}/{}/roles/{}", target_path(&a.target), actor_path(&holder), prior.unwrap_or(&a.role_id)),
    )});
    if let Some(prior) = prior {
        links["prior_role"] = json!(views::url(cloud, &format!("roles/{prior}")));
    }
    if let (Some(group), Actor::User(user)) = (via, &a.actor) {
        links["membership"] = json!(views::url(cloud, &format!("groups/{group}/users/{user}")));
    }
    let mut role = json!({"id": a.role_id});
    let (actor_key, mut actor) = match &a.actor {
        Actor::User(id) => ("user", json!({"id": id})),
        Actor::Group(id) => ("group", json!({"id": id})),
    };
    let mut scope = match &a.target {
        AssignmentTarget::Project(id) => json!({"project": {"id": id}}),
        AssignmentTarget::Domain(id) => json!({"domain": {"id": id}}),
        AssignmentTarget::System => json!({"system": {"all": true}}),
    };
    if names {
        if let Ok(found) = state.role(&a.role_id) {
            role["name"] = json!(found.name);
        }
        match &a.actor {
            Actor::User(id) => {
                if let Some(u) = state.identity.user(id) {
                    actor = named_in_domain(state, &u.id, &u.name, &u.domain_id);
                }
            }
            Actor::Group(id) => {
                if let Ok(g) = state.identity.group_or_404(id) {
                    actor = named_in_domain(state, &g.id, &g.name, &g.domain_id);
                }
            }
        }
        match &a.target {
            AssignmentTarget::Project(id) => {
                if let Some(p) = state.identity.project(id) {
                    scope =
                        json!({"project": named_in_domain(state, &p.id, &p.name, &p.domain_id)});
                }
            }
            AssignmentTarget::Domain(id) => {
                if let Ok(d) = state.identity.domain_or_404(id) {
                    scope = json!({"domain": {"id": d.id, "name": d.name}});
                }
            }
            AssignmentTarget::System => {}
        }
    }
    json!({"role": role, actor_key: actor, "scope": scope, "links": links})
}

/// `GET /v3/role_assignments`; with `effective`, group assignments become their members'
/// and implied roles are listed too.
pub async fn role_assignments(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(
        Caller::of(&cloud, &headers),
        "list_role_assignments",
        |_| false,
    ) {
        return fail(&cloud, error);
    }
    let flag = |key: &str| {
        query
            .get(key)
            .is_some_and(|v| !v.eq_ignore_ascii_case("false") && v != "0")
    };
    let (effective, names) = (flag("effective"), flag("include_names"));
    let state = cloud.state();
    let mut entries = Vec::new();
    for a in &state.identity.assignments {
        // Held by users: the assignment itself, or with `effective` one per group member.
        let holders: Vec<(Actor, Option<&str>)> = match (&a.actor, effective) {
            (Actor::Group(group), true) => state
                .identity
                .group_or_404(group)
                .map(|g| {
                    g.members
                        .iter()
                        .map(|m| (Actor::User(m.clone()), Some(group.as_str())))
                        .collect()
                })
                .unwrap_or_default(),
            (actor, _) => vec![(actor.clone(), None)],
        };
        let roles = if effective {
            state.with_implied(&a.role_id)
        } else {
            vec![a.role_id.clone()]
        };
        for (actor, via) in holders {
            // In the effective list a domain-specific role gives only what it implies.
            let global = |id: &&String| state.role(id).is_ok_and(|r| r.domain_id.is_none());
            for role_id in roles.iter().filter(|id| !effective || global(id)) {
                let shown = RoleAssignment {
                    role_id: role_id.clone(),
                    actor: actor.clone(),
                    target: a.target.clone(),
                };
                let keep = match &shown.actor {
                    Actor::User(id) => {
                        query.get("user.id").is_none_or(|u| u == id)
                            && !query.contains_key("group.id")
                    }
                    Actor::Group(id) => {
                        query.get("group.id").is_none_or(|g| g == id)
                            && !query.contains_key("user.id")
                    }
                } && query.get("role.id").is_none_or(|r| r == role_id)
                    && query
                        .get("scope.project.id")
                        .is_none_or(|p| shown.target == AssignmentTarget::Project(p.clone()))
                    && query
                        .get("scope.domain.id")
                        .is_none_or(|d| shown.target == AssignmentTarget::Domain(d.clone()))
                    && (!query.contains_key("scope.system")
                        || shown.target == AssignmentTarget::System);
                if keep {
                    let prior = (role_id != &a.role_id).then_some(a.role_id.as_str());
                    entries.push(entry(&cloud, &state, &shown, (prior, via), names));
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
