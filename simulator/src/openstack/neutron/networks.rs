//! `/v2.0/networks`: list, show, create (also in bulk), update, delete.

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
    error::CloudError,
    gateway::{parse_body, Scope},
    model::{Network, NetworkFields},
};

const ATTRIBUTES: [&str; 7] = [
    "name",
    "admin_state_up",
    "shared",
    "router:external",
    "mtu",
    "port_security_enabled",
    "availability_zone_hints",
];

fn fields(value: &Value) -> Result<(NetworkFields, Option<String>), CloudError> {
    let attributes = Attributes::new(value, &ATTRIBUTES)?;
    let fields = NetworkFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        admin_state_up: attributes.boolean("admin_state_up")?,
        shared: attributes.boolean("shared")?,
        external: attributes.boolean("router:external")?,
        mtu: attributes.number("mtu")?,
        port_security_enabled: attributes.boolean("port_security_enabled")?,
    };
    Ok((fields, attributes.owner()?))
}

/// `GET /networks`: the caller's and the shared networks (every network for an admin).
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let caller = caller(&scope);
    let mut networks: Vec<&Network> = state
        .networks
        .values()
        .filter(|n| state.network_visible(caller, n))
        .collect();
    networks.sort_by_key(|n| n.seq);
    let views = networks
        .iter()
        .map(|n| views::network(&cloud, &state, n))
        .collect();
    list_answer(&cloud, "networks", views, &params)
}

/// `GET /networks/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let view = state
        .network(caller(&scope), &id)
        .map(|n| views::network(&cloud, &state, n));
    show_answer("network", view, &params)
}

/// `POST /networks` -> 201.
pub async fn create(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    create_all(
        &cloud,
        &body,
        ("network", "networks"),
        |state, item| {
            let (fields, owner) = fields(item)?;
            let network = state.create_network(caller(&scope), owner.as_deref(), fields, now)?;
            Ok((network.id.clone(), views::network(&cloud, state, &network)))
        },
        |state, id| {
            state.networks.remove(id);
        },
    )
}

/// `PUT /networks/{id}`.
pub async fn update(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|b| fields(update_item(&b, "network")?));
    let (fields, owner) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(error),
    };
    if owner.is_some() {
        return fail(CloudError::bad_request(
            "Cannot update read-only attribute tenant_id",
        ));
    }
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    let view = state
        .update_network(caller(&scope), &id, fields, now)
        .map(|n| views::network(&cloud, &state, &n));
    show_answer("network", view, &Vec::new())
}

/// `DELETE /networks/{id}` -> 204.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
) -> Response {
    deleted(cloud.state().delete_network(caller(&scope), &id))
}
