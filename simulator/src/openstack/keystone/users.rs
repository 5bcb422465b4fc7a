//! `/v3/users`: list, create, show, update, delete (administrators; a user may show and
//! update itself and change its own password), the projects of a user and its groups.

use axum::{extract::State, http::HeaderMap};

use super::{
    named::{Filters, Named, Object},
    policy::{authorize, Caller},
    views::{self, body_object, fail, flag, name, text},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, IdentityChanges, NewUser, User, UserRef};

/// The user attributes Keystone knows; others are kept as given.
const KNOWN: [&str; 10] = [
    "id",
    "name",
    "domain_id",
    "password",
    "enabled",
    "description",
    "email",
    "default_project_id",
    "options",
    "federated",
];

/// `/v3/users`.
pub struct Users;

impl Named for Users {
    const ONE: &'static str = "user";
    const MANY: &'static str = "users";
    type Item = User;
    const VIEW: fn(&Cloud, &User) -> Value = views::user;

    fn all(state: &CloudState) -> &[User] {
        &state.identity.users
    }

    /// Filters `name`, `domain_id`, `enabled`.
    fn keeps(u: &User, query: &Filters) -> bool {
        views::matches(query, &u.name, u.enabled, Some(&u.domain_id))
    }

    fn create(cloud: &Cloud, object: &Object) -> Result<User, CloudError> {
        let mut state = cloud.state();
        let default_project_id = text(object, "default_project_id")?;
        if let Some(project) = &default_project_id {
            state.identity.project_or_404(project)?;
        }
        state.create_user(NewUser {
            name: name(object, 255)?,
            domain_id: text(object, "domain_id")?,
            password: text(object, "password")?.unwrap_or_default(),
            enabled: flag(object, "enabled")?.unwrap_or(true),
            description: text(object, "description")?,
            email: text(object, "email")?,
            default_project_id,
            every_project: false,
            extra: views::extra(object, &KNOWN),
        })
    }

    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s User, CloudError> {
        state.identity.user_or_404(id)
    }

    /// Administrators, or the user itself.
    fn may_show(caller: Option<Caller>, id: &str) -> Result<(), CloudError> {
        authorize(caller, "get_user", |c| c.user_id == id).map(drop)
    }

    /// Name, password, enabled, description, email, default project.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<User, CloudError> {
        let optional = |field: &str| {
            object
                .contains_key(field)
                .then(|| text(object, field))
                .transpose()
        };
        let changes = IdentityChanges {
            name: object
                .contains_key("name")
                .then(|| name(object, 255))
                .transpose()?,
            description: optional("description")?,
            enabled: flag(object, "enabled")?,
            password: text(object, "password")?,
            email: optional("email")?,
            default_project_id: optional("default_project_id")?,
            extra: views::extra(object, &KNOWN),
            ..IdentityChanges::default()
        };
        cloud.state().update_user(id, changes)
    }

    /// With the user's assignments, key pairs and tokens.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError> {
        cloud.state().delete_user(id)
    }
}

/// `POST /v3/users/{id}/password` -> 204: a user changes its own password, giving the
/// original one (401 when wrong); its tokens end.
pub async fn change_password(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let changed = authorize(Caller::of(&cloud, &headers), "change_password", |c| {
        c.user_id == id
    })
    .and_then(|_| {
        let object = body_object(&body, "user")?;
        let original = text(&object, "original_password")?
            .ok_or_else(|| CloudError::bad_request("'original_password' is a required property"))?;
        let password = text(&object, "password")?
            .ok_or_else(|| CloudError::bad_request("'password' is a required property"))?;
        let mut state = cloud.state();
        state
            .identity
            .check_password(&UserRef::Id(id.clone()), &original)?;
        state.update_user(
            &id,
            IdentityChanges {
                password: Some(password),
                ..IdentityChanges::default()
            },
        )
    });
    match changed {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/users/{id}/projects`: the projects the user has a role on; the user itself or an
/// administrator may ask.
pub async fn projects(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_user_projects", |c| {
        c.user_id == id
    });
    let state = cloud.state();
    let user = match allowed.and_then(|_| state.identity.user_or_404(&id)) {
        Ok(user) => user,
        Err(error) => return fail(&cloud, error),
    };
    let projects: Vec<Value> = state
        .identity
        .projects
        .iter()
        .filter(|p| state.identity.assigned_to(user, &p.id))
        .map(|p| views::project(&cloud, p))
        .collect();
    views::list(
        &cloud,
        "projects",
        &format!("users/{id}/projects"),
        projects,
    )
}

/// `GET /v3/users/{id}/groups`: the groups the user is in.
pub async fn groups(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = authorize(Caller::of(&cloud, &headers), "list_groups_for_user", |c| {
        c.user_id == id
    });
    let state = cloud.state();
    match allowed.and_then(|_| state.identity.user_or_404(&id)) {
        Ok(_) => {
            let groups: Vec<Value> = state
                .identity
                .groups
                .iter()
                .filter(|g| g.members.iter().any(|m| m == &id))
                .map(|g| views::group(&cloud, g))
                .collect();
            views::list(&cloud, "groups", &format!("users/{id}/groups"), groups)
        }
        Err(error) => fail(&cloud, error),
    }
}
