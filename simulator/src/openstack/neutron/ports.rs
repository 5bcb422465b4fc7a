//! `/v2.0/ports`: list (with `fixed_ips` and device filters), show, create (also in bulk),
//! update, delete.

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
    model::{parse_address_pairs, FixedIpRequest, Port, PortFields},
};

const ATTRIBUTES: [&str; 15] = [
    "name",
    "network_id",
    "admin_state_up",
    "mac_address",
    "fixed_ips",
    "device_id",
    "device_owner",
    "security_groups",
    "port_security_enabled",
    "allowed_address_pairs",
    "binding:vnic_type",
    "binding:host_id",
    "binding:profile",
    "extra_dhcp_opts",
    "qos_policy_id",
];

fn fields(attributes: &Attributes<'_>) -> Result<PortFields, CloudError> {
    let fixed_ips = match attributes.objects("fixed_ips")? {
        None => None,
        Some(entries) => Some(
            entries
                .into_iter()
                .map(|entry| {
                    if let Some(key) = entry
                        .keys()
                        .find(|k| !["subnet_id", "ip_address"].contains(&k.as_str()))
                    {
                        return Err(CloudError::bad_request(format!(
                            "Invalid input for fixed_ips. Reason: Unrecognized attribute(s) '{key}'."
                        )));
                    }
                    Ok(FixedIpRequest {
                        subnet_id: entry
                            .get("subnet_id")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        ip_address: match entry.get("ip_address") {
                            Some(value) => Some(ipv4("ip_address", value)?),
                            None => None,
                        },
                    })
                })
                .collect::<Result<_, CloudError>>()?,
        ),
    };
    Ok(PortFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        admin_state_up: attributes.boolean("admin_state_up")?,
        mac_address: attributes.string("mac_address")?,
        device_id: attributes.string("device_id")?,
        device_owner: attributes.string("device_owner")?,
        fixed_ips,
        security_groups: attributes.strings("security_groups")?,
        port_security_enabled: attributes.boolean("port_security_enabled")?,
        allowed_address_pairs: attributes
            .objects("allowed_address_pairs")?
            .map(|pairs| parse_address_pairs(&pairs))
            .transpose()?,
    })
}

/// `GET /ports`: the caller's ports (every port for an admin).
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let caller = caller(&scope);
    let mut ports: Vec<&Port> = state
        .ports
        .values()
        .filter(|p| caller.owns(&p.project_id))
        .collect();
    ports.sort_by_key(|p| p.seq);
    let views = ports.iter().map(|p| views::port(&cloud, p)).collect();
    list_answer(&cloud, "ports", views, &params)
}

/// `GET /ports/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let view = state
        .port(caller(&scope), &id)
        .map(|p| views::port(&cloud, p));
    show_answer("port", view, &params)
}

/// `POST /ports` -> 201 (DOWN until a server uses the port).
pub async fn create(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    create_all(
        &cloud,
        &body,
        ("port", "ports"),
        |state, item| {
            let attributes = Attributes::new(item, &ATTRIBUTES)?;
            let network_id = attributes.string("network_id")?.ok_or_else(|| {
                CloudError::bad_request(
                    "Failed to parse request. Required attribute 'network_id' not specified",
                )
            })?;
            let fields = fields(&attributes)?;
            let owner = attributes.owner()?;
            let port =
                state.create_port(caller(&scope), owner.as_deref(), &network_id, fields, now)?;
            Ok((port.id.clone(), views::port(&cloud, &port)))
        },
        |state, id| {
            state.ports.remove(id);
        },
    )
}

/// `PUT /ports/{id}`.
pub async fn update(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|b| {
        let item = update_item(&b, "port")?;
        if let Some(key) = ["network_id", "tenant_id", "project_id"]
            .iter()
            .find(|k| item.get(**k).is_some())
        {
            return Err(CloudError::bad_request(format!(
                "Cannot update read-only attribute {key}"
            )));
        }
        fields(&Attributes::new(item, &ATTRIBUTES)?)
    });
    let fields = match parsed {
        Ok(fields) => fields,
        Err(error) => return fail(error),
    };
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    let view = state
        .update_port(caller(&scope), &id, fields, now)
        .map(|p| views::port(&cloud, &p));
    show_answer("port", view, &Vec::new())
}

/// `DELETE /ports/{id}` -> 204.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
) -> Response {
    let now = cloud.clock().now_ms();
    deleted(cloud.state().delete_port(caller(&scope), &id, now))
}
