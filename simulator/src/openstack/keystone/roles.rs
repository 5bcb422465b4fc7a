//! `/v3/roles`: list (`name`, `domain_id`), create, show, update and delete, and the roles a
//! role implies (`/v3/roles/{prior}/implies[/{implied}]`, `/v3/role_inferences`);
//! administrators only.

use axum::{extract::State, http::HeaderMap};

use super::{
    named::{Filters, Named, Object},
    policy::{authorize, Caller},
    views::{self, fail, name, text},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, Role, RoleInference};

/// `/v3/roles`.
pub struct Roles;

impl Named for Roles {
    const ONE: &'static str = "role";
    const MANY: &'static str = "roles";
    type Item = Role;
    const VIEW: fn(&Cloud, &Role) -> Value = views::role;

    fn all(state: &CloudState) -> &[Role] {
        &state.identity.roles
    }

    /// Filter `name`; without a `domain_id` filter Keystone lists the global roles only.
    fn keeps(r: &Role, query: &Filters) -> bool {
        views::matches(query, &r.name, true, None)
            && r.domain_id.as_deref() == query.get("domain_id").map(String::as_str)
    }

    fn create(cloud: &Cloud, object: &Object) -> Result<Role, CloudError> {
        cloud.state().create_role(
            &name(object, 255)?,
            text(object, "domain_id")?,
            text(object, "description")?,
        )
    }

    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s Role, CloudError> {
        state.role(id)
    }

    /// Name, description.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<Role, CloudError> {
        let new_name = object
            .contains_key("name")
            .then(|| name(object, 255))
            .transpose()?;
        let description = object
            .contains_key("description")
            .then(|| text(object, "description"))
            .transpose()?;
        cloud.state().update_role(id, new_name, description)
    }

    /// With every assignment of the role.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError> {
        cloud.state().delete_role(id)
    }
}

fn role_ref(cloud: &Cloud, state: &CloudState, id: &str) -> Value {
    let name = state.role(id).ok().map(|r| r.name.clone());
    json!({"id": id, "name": name, "links": {"self": views::url(cloud, &format!("roles/{id}"))}})
}

fn inference_view(cloud: &Cloud, state: &CloudState, inference: &RoleInference) -> Value {
    json!({
        "role_inference": {
            "prior_role": role_ref(cloud, state, &inference.prior_role_id),
            "implies": role_ref(cloud, state, &inference.implied_role_id),
        },
        "links": {"self": views::url(cloud, &format!(
            "roles/{}/implies/{}", inference.prior_role_id, inference.implied_role_id
        ))},
    })
}

/// `{"prior_role", "implies": [...]}` of one prior role.
fn implies_of(cloud: &Cloud, state: &CloudState, prior: &str) -> Value {
    let implies: Vec<Value> = state
        .identity
        .inferences
        .iter()
        .filter(|i| i.prior_role_id == prior)
        .map(|i| role_ref(cloud, state, &i.implied_role_id))
        .collect();
    json!({"prior_role": role_ref(cloud, state, prior), "implies": implies})
}

type Inference = Path<(String, String)>;

/// `PUT /v3/roles/{prior}/implies/{implied}` -> 201.
pub async fn imply(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((prior, implied)): Inference,
) -> Response {
    let made = authorize(Caller::of(&cloud, &headers), "create_implied_role", |_| {
        false
    })
    .and_then(|_| cloud.state().add_inference(&prior, &implied));
    match made {
        Ok(inference) => {
            let state = cloud.state();
            (
                StatusCode::CREATED,
                Json(inference_view(&cloud, &state, &inference)),
            )
                .into_response()
        }
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/roles/{prior}/implies/{implied}`.
pub async fn show_inference(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((prior, implied)): Inference,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "get_implied_role", |_| false);
    let state = cloud.state();
    match allowed.and_then(|_| state.inference(&prior, &implied)) {
        Ok(inference) => Json(inference_view(&cloud, &state, &inference)).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `HEAD /v3/roles/{prior}/implies/{implied}` -> 204 when `prior` implies `implied`.
pub async fn check_inference(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((prior, implied)): Inference,
) -> Response {
    let found = authorize(Caller::of(&cloud, &headers), "check_implied_role", |_| {
        false
    })
    .and_then(|_| cloud.state().inference(&prior, &implied));
    match found {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/roles/{prior}/implies/{implied}` -> 204.
pub async fn unimply(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((prior, implied)): Inference,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_implied_role", |_| {
        false
    })
    .and_then(|_| cloud.state().delete_inference(&prior, &implied));
    views::no_content(&cloud, removed)
}

/// `GET /v3/roles/{prior}/implies`: the roles one role implies directly.
pub async fn implies(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(prior): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_implied_roles", |_| {
        false
    });
    let state = cloud.state();
    match allowed.and_then(|_| state.role(&prior).map(|_| ())) {
        Ok(()) => Json(json!({
            "role_inference": implies_of(&cloud, &state, &prior),
            "links": {"self": views::url(&cloud, &format!("roles/{prior}/implies"))},
        }))
        .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/role_inferences`: every role that implies others, with what it implies.
pub async fn inferences(State(cloud): State<Cloud>, headers: HeaderMap) -> Response {
    if let Err(error) = authorize(
        Caller::of(&cloud, &headers),
        "list_role_inference_rules",
        |_| false,
    ) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let mut priors: Vec<&str> = Vec::new();
    for inference in &state.identity.inferences {
        if !priors.contains(&inference.prior_role_id.as_str()) {
            priors.push(&inference.prior_role_id);
        }
    }
    let rules: Vec<Value> = priors
        .iter()
        .map(|p| implies_of(&cloud, &state, p))
        .collect();
    Json(json!({
        "role_inferences": rules,
        "links": {"self": views::url(&cloud, "role_inferences"), "previous": null, "next": null},
    }))
    .into_response()
}
