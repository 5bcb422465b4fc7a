//! `/v2.0/security-groups`: list (making the caller's `default` group on first use), show,
//! create, update, delete.

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    response::Response,
    Extension,
};
use serde_json::Value;

use super::{
    attributes::Attributes, caller, create_all, deleted, fail, list_answer, query::Params,
    show_answer, update_item, views,
};
use crate::openstack::{
    cloud::Cloud,
    gateway::{parse_body, Scope},
    model::SecurityGroup,
};

const ATTRIBUTES: [&str; 2] = ["name", "stateful"];

/// `GET /security-groups`.
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Query(params): Query<Params>,
) -> Response {
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    state.ensure_default_security_group(&scope.project_id, now);
    let caller = caller(&scope);
    let mut groups: Vec<&SecurityGroup> = state
        .security_groups
        .values()
        .filter(|g| caller.owns(&g.project_id))
        .collect();
    groups.sort_by_key(|g| g.seq);
    let views = groups
        .iter()
        .map(|g| views::security_group(&cloud, g))
        .collect();
    list_answer(&cloud, "security_groups", views, &params)
}

/// `GET /security-groups/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let view = state
        .security_group(caller(&scope), &id)
        .map(|g| views::security_group(&cloud, g));
    show_answer("security_group", view, &params)
}

/// `POST /security-groups` -> 201, with the two egress rules Neutron adds.
pub async fn create(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    create_all(
        &cloud,
        &body,
        ("security_group", "security_groups"),
        |state, item| {
            let attributes = Attributes::new(item, &ATTRIBUTES)?;
            let name = attributes.string("name")?.unwrap_or_default();
            let description = attributes.string("description")?.unwrap_or_default();
            let owner = attributes.owner()?;
            let group = state.create_security_group(
                caller(&scope),
                owner.as_deref(),
                name,
                description,
                now,
            )?;
            Ok((group.id.clone(), views::security_group(&cloud, &group)))
        },
        |state, id| {
            state.security_groups.remove(id);
        },
    )
}

/// `PUT /security-groups/{id}`: name and description.
pub async fn update(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|b| {
        let attributes = Attributes::new(update_item(&b, "security_group")?, &ATTRIBUTES)?;
        Ok((
            attributes.string("name")?,
            attributes.string("description")?,
        ))
    });
    let (name, description) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(error),
    };
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    let view = state
        .update_security_group(caller(&scope), &id, name, description, now)
        .map(|g| views::security_group(&cloud, &g));
    show_answer("security_group", view, &Vec::new())
}

/// `DELETE /security-groups/{id}` -> 204; 409 while a port uses it.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
) -> Response {
    deleted(cloud.state().delete_security_group(caller(&scope), &id))
}
