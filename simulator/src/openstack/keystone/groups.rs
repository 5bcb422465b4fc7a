//! `/v3/groups`: list, create, show, update, delete (administrators), and their members
//! (`/v3/groups/{id}/users[/{user}]`: list, add, check, remove).

use axum::{extract::State, http::HeaderMap};

use super::{
    named::{Filters, Named, Object},
    policy::{authorize, Caller},
    views::{self, fail, name, text},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, Group, DEFAULT_DOMAIN_ID};

/// `/v3/groups`.
pub struct Groups;

impl Named for Groups {
    const ONE: &'static str = "group";
    const MANY: &'static str = "groups";
    type Item = Group;
    const VIEW: fn(&Cloud, &Group) -> Value = views::group;

    fn all(state: &CloudState) -> &[Group] {
        &state.identity.groups
    }

    /// Filters `name`, `domain_id`.
    fn keeps(g: &Group, query: &Filters) -> bool {
        views::matches(query, &g.name, true, Some(&g.domain_id))
    }

    fn create(cloud: &Cloud, object: &Object) -> Result<Group, CloudError> {
        let domain_id = text(object, "domain_id")?.unwrap_or_else(|| DEFAULT_DOMAIN_ID.to_string());
        cloud.state().create_group(
            &name(object, 64)?,
            &domain_id,
            text(object, "description")?.unwrap_or_default(),
        )
    }

    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s Group, CloudError> {
        state.identity.group_or_404(id)
    }

    /// Name, description.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<Group, CloudError> {
        let new_name = object
            .contains_key("name")
            .then(|| name(object, 64))
            .transpose()?;
        cloud
            .state()
            .update_group(id, new_name, text(object, "description")?)
    }

    /// With the group's assignments.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError> {
        cloud.state().delete_group(id)
    }
}

/// `GET /v3/groups/{id}/users`.
pub async fn members(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_users_in_group", |_| {
        false
    });
    let state = cloud.state();
    let group = match allowed.and_then(|_| state.identity.group_or_404(&id)) {
        Ok(group) => group,
        Err(error) => return fail(&cloud, error),
    };
    let users: Vec<Value> = group
        .members
        .iter()
        .filter_map(|m| state.identity.user(m))
        .map(|u| views::user(&cloud, u))
        .collect();
    views::list(&cloud, "users", &format!("groups/{id}/users"), users)
}

/// `PUT /v3/groups/{id}/users/{user}` -> 204.
pub async fn add_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "add_user_to_group", |_| false)
        .and_then(|_| cloud.state().add_to_group(&id, &user_id));
    views::no_content(&cloud, done)
}

/// `HEAD`/`GET /v3/groups/{id}/users/{user}` -> 204 when a member.
pub async fn check_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(Caller::of(&cloud, &headers), "check_user_in_group", |_| {
        false
    })
    .and_then(|_| cloud.state().check_in_group(&id, &user_id));
    views::no_content(&cloud, done)
}

/// `DELETE /v3/groups/{id}/users/{user}` -> 204.
pub async fn remove_member(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let done = authorize(
        Caller::of(&cloud, &headers),
        "remove_user_from_group",
        |_| false,
    )
    .and_then(|_| cloud.state().remove_from_group(&id, &user_id));
    views::no_content(&cloud, done)
}
