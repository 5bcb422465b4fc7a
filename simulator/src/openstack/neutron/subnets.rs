//! `/v2.0/subnets`: list, show, create (also in bulk), update, delete; IPv4 only.

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    response::Response,
    Extension,
};
use serde_json::{Map, Value};

use super::{
    attributes::{ipv4, text, Attributes},
    caller, create_all, deleted, fail, list_answer,
    query::Params,
    show_answer, update_item, views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    gateway::{parse_body, Scope},
    model::{parse_cidr, Subnet, SubnetFields, SubnetRequest},
};

const ATTRIBUTES: [&str; 13] = [
    "name",
    "network_id",
    "ip_version",
    "cidr",
    "gateway_ip",
    "allocation_pools",
    "enable_dhcp",
    "dns_nameservers",
    "host_routes",
    "subnetpool_id",
    "ipv6_ra_mode",
    "ipv6_address_mode",
    "service_types",
];

fn bad(message: impl Into<String>) -> CloudError {
    CloudError::bad_request(message)
}

fn pair(
    entry: &Map<String, Value>,
    key: &str,
    a: &str,
    b: &str,
) -> Result<(Value, Value), CloudError> {
    match (entry.get(a), entry.get(b)) {
        (Some(x), Some(y)) => Ok((x.clone(), y.clone())),
        _ => Err(bad(format!(
            "Invalid input for {key}. Reason: Validation of dictionary's keys failed. Expected keys: {{'{a}', '{b}'}} Provided keys: {:?}.",
            entry.keys().collect::<Vec<_>>()
        ))),
    }
}

fn fields(attributes: &Attributes<'_>) -> Result<SubnetFields, CloudError> {
    let gateway_ip = match attributes.get("gateway_ip") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(value) => Some(Some(ipv4("gateway_ip", value)?)),
    };
    let allocation_pools = match attributes.objects("allocation_pools")? {
        None => None,
        Some(pools) => Some(
            pools
                .into_iter()
                .map(|p| {
                    let (start, end) = pair(p, "allocation_pools", "start", "end")?;
                    Ok((
                        ipv4("allocation_pools", &start)?,
                        ipv4("allocation_pools", &end)?,
                    ))
                })
                .collect::<Result<_, CloudError>>()?,
        ),
    };
    let host_routes = match attributes.objects("host_routes")? {
        None => None,
        Some(routes) => Some(
            routes
                .into_iter()
                .map(|r| {
                    let (destination, nexthop) = pair(r, "host_routes", "destination", "nexthop")?;
                    if parse_cidr(&text(&destination)).is_none() {
                        return Err(bad(format!(
                            "Invalid input for host_routes. Reason: '{}' is not a valid IP subnet.",
                            text(&destination)
                        )));
                    }
                    ipv4("host_routes", &nexthop)?;
                    Ok((text(&destination), text(&nexthop)))
                })
                .collect::<Result<_, CloudError>>()?,
        ),
    };
    let dns_nameservers = match attributes.strings("dns_nameservers")? {
        None => None,
        Some(servers) => {
            for (index, server) in servers.iter().enumerate() {
                if server.parse::<std::net::IpAddr>().is_err() {
                    return Err(bad(format!(
                        "Invalid input for dns_nameservers. Reason: '{server}' is not a valid nameserver. '{server}' is not a valid IP address."
                    )));
                }
                if servers[..index].contains(server) {
                    return Err(bad(format!(
                        "Invalid input for dns_nameservers. Reason: Duplicate nameserver '{server}'."
                    )));
                }
            }
            Some(servers)
        }
    };
    Ok(SubnetFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        gateway_ip,
        allocation_pools,
        enable_dhcp: attributes.boolean("enable_dhcp")?,
        dns_nameservers,
        host_routes,
    })
}

fn request(value: &Value) -> Result<(SubnetRequest, Option<String>), CloudError> {
    let attributes = Attributes::new(value, &ATTRIBUTES)?;
    let required = |key: &str| {
        bad(format!(
            "Failed to parse request. Required attribute '{key}' not specified"
        ))
    };
    let network_id = attributes
        .string("network_id")?
        .ok_or_else(|| required("network_id"))?;
    match attributes.get("ip_version") {
        None => return Err(required("ip_version")),
        Some(version) if version.as_u64() == Some(4) || version.as_str() == Some("4") => {}
        Some(version) if version.as_u64() == Some(6) || version.as_str() == Some("6") => {
            return Err(bad(
                "Invalid input for operation: IPv6 subnets are not supported by this cloud.",
            ))
        }
        Some(version) => {
            return Err(bad(format!(
                "Invalid input for ip_version. Reason: {} is not in [4, 6].",
                text(version)
            )))
        }
    }
    let cidr_text = attributes.string("cidr")?.ok_or_else(|| {
        bad("Bad subnets request: a subnetpool must be specified in the absence of a cidr.")
    })?;
    let cidr = parse_cidr(&cidr_text).ok_or_else(|| {
        bad(format!(
            "Invalid input for cidr. Reason: '{cidr_text}' is not a valid IP subnet."
        ))
    })?;
    Ok((
        SubnetRequest {
            network_id,
            cidr,
            fields: fields(&attributes)?,
        },
        attributes.owner()?,
    ))
}

/// `GET /subnets`: the subnets of the networks the caller sees.
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let caller = caller(&scope);
    let mut subnets: Vec<&Subnet> = state
        .subnets
        .values()
        .filter(|s| state.subnet_visible(caller, s))
        .collect();
    subnets.sort_by_key(|s| s.seq);
    let views = subnets.iter().map(|s| views::subnet(&cloud, s)).collect();
    list_answer(&cloud, "subnets", views, &params)
}

/// `GET /subnets/{id}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let state = cloud.state();
    let view = state
        .subnet(caller(&scope), &id)
        .map(|s| views::subnet(&cloud, s));
    show_answer("subnet", view, &params)
}

/// `POST /subnets` -> 201.
pub async fn create(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    create_all(
        &cloud,
        &body,
        ("subnet", "subnets"),
        |state, item| {
            let (request, owner) = request(item)?;
            let subnet = state.create_subnet(caller(&scope), owner.as_deref(), request, now)?;
            Ok((subnet.id.clone(), views::subnet(&cloud, &subnet)))
        },
        |state, id| {
            state.subnets.remove(id);
        },
    )
}

/// `PUT /subnets/{id}`.
pub async fn update(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let read_only = [
        "network_id",
        "ip_version",
        "cidr",
        "tenant_id",
        "project_id",
    ];
    let parsed = parse_body::<Value>(&body).and_then(|b| {
        let item = update_item(&b, "subnet")?;
        if let Some(key) = read_only.iter().find(|k| item.get(**k).is_some()) {
            return Err(bad(format!("Cannot update read-only attribute {key}")));
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
        .update_subnet(caller(&scope), &id, fields, now)
        .map(|s| views::subnet(&cloud, &s));
    show_answer("subnet", view, &Vec::new())
}

/// `DELETE /subnets/{id}` -> 204.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    Path(id): Path<String>,
) -> Response {
    let now = cloud.clock().now_ms();
    deleted(cloud.state().delete_subnet(caller(&scope), &id, now))
}
