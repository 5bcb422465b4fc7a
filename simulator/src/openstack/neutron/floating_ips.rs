//! `/v2.0/floatingips`: list, show, create (also in bulk, associated at once with
//! `port_id`), update (associate, move, disassociate), delete.

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    response::Response,
    Extension,
};
use serde_json::Value;

use super::{
    attributes::{ipv4, Attributes},
    caller, create_all, deleted, fail, list_answer,
    query::Params,
    show_answer, update_item, views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    gateway::{parse_body, Scope},
    model::{FloatingIp, FloatingIpChanges, FloatingIpRequest},
};

const ATTRIBUTES: [&str; 5] = [
    "floating_network_id",
    "floating_ip_address",
    "subnet_id",
    "port_id",
    "fixed_ip_address",
];

fn address(
    attributes: &Attributes<'_>,
    key: &str,
) -> Result<Option<std::net::Ipv4Addr>, CloudError> {
    match attributes.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => ipv4(key, value).map(Some),
    }
}

/// `GET /floatingips`: the caller's floating IPs (every one for an admin).
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let caller = caller(&scope);
    let mut floating_ips: Vec<&FloatingIp> = state
        .floating_ips
        .values()
        .filter(|f| caller.owns(&f.project_id))
        .collect();
    floating_ips.sort_by_key(|f| f.seq);
    let views = floating_ips
        .iter()
        .map(|f| views::floating_ip(&cloud, f))
        .collect();
    list_answer(&cloud, "floatingips", views, &params)
}

/// `GET /floatingips/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let view = state
        .floating_ip(caller(&scope), &id)
        .map(|f| views::floating_ip(&cloud, f));
    show_answer("floatingip", view, &params)
}

/// `POST /floatingips` -> 201.
pub async fn create(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    create_all(
        &cloud,
        &body,
        ("floatingip", "floatingips"),
        |state, item| {
            let attributes = Attributes::new(item, &ATTRIBUTES)?;
            let floating_network_id = attributes.string("floating_network_id")?.ok_or_else(|| {
                CloudError::bad_request(
                    "Failed to parse request. Required attribute 'floating_network_id' not specified",
                )
            })?;
            let request = FloatingIpRequest {
                floating_network_id,
                floating_ip_address: address(&attributes, "floating_ip_address")?,
                subnet_id: attributes.string("subnet_id")?,
                port_id: attributes.string("port_id")?,
                fixed_ip_address: address(&attributes, "fixed_ip_address")?,
                description: attributes.string("description")?,
            };
            let owner = attributes.owner()?;
            let floating_ip =
                state.create_floating_ip(caller(&scope), owner.as_deref(), request, now)?;
            Ok((
                floating_ip.id.clone(),
                views::floating_ip(&cloud, &floating_ip),
            ))
        },
        |state, id| {
            let _ = state.delete_floating_ip(caller(&scope), id);
        },
    )
}

/// `PUT /floatingips/{id}` (`port_id: null` disassociates).
pub async fn update(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|b| {
        let item = update_item(&b, "floatingip")?;
        let attributes = Attributes::new(item, &["port_id", "fixed_ip_address"])?;
        Ok(FloatingIpChanges {
            port_id: match attributes.get("port_id") {
                None => None,
                Some(Value::Null) => Some(None),
                Some(_) => Some(attributes.string("port_id")?),
            },
            fixed_ip_address: address(&attributes, "fixed_ip_address")?,
            description: attributes.string("description")?,
        })
    });
    let changes = match parsed {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let now = cloud.clock().now_ms();
    let view = cloud
        .state()
        .update_floating_ip(caller(&scope), &id, changes, now)
        .map(|f| views::floating_ip(&cloud, &f));
    show_answer("floatingip", view, &Vec::new())
}

/// `DELETE /floatingips/{id}` -> 204.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
) -> Response {
    deleted(cloud.state().delete_floating_ip(caller(&scope), &id))
}
