//! `/v2.0/subnets`: list, show, create (also in bulk), update, delete; IPv4 only.

use serde_json::{Map, Value};

use super::{
    attributes::{ipv4, text, Attributes},
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::{
    error::CloudError,
    model::{parse_cidr, CloudState, SubnetFields, SubnetRequest},
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

/// `/v2.0/subnets`.
pub struct Subnets;

impl Resource for Subnets {
    const ONE: &'static str = "subnet";
    const MANY: &'static str = "subnets";

    /// The subnets of the networks the caller sees.
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        let visible = state
            .subnets
            .values()
            .filter(|s| state.subnet_visible(cx.caller, s));
        in_order(visible, |s| s.seq, |s| views::subnet(cx.cloud, s))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        Ok(views::subnet(cx.cloud, state.subnet(cx.caller, id)?))
    }

    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let (request, owner) = request(item)?;
        let subnet = state.create_subnet(cx.caller, owner.as_deref(), request, cx.now_ms)?;
        Ok((subnet.id.clone(), views::subnet(cx.cloud, &subnet)))
    }

    fn undo(_: &Context<'_>, state: &mut CloudState, id: &str) {
        state.subnets.remove(id);
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_subnet(cx.caller, id, cx.now_ms)
    }
}

impl Update for Subnets {
    type Changes = SubnetFields;

    fn changes(item: &Value) -> Result<SubnetFields, CloudError> {
        let read_only = [
            "network_id",
            "ip_version",
            "cidr",
            "tenant_id",
            "project_id",
        ];
        if let Some(key) = read_only.iter().find(|k| item.get(**k).is_some()) {
            return Err(bad(format!("Cannot update read-only attribute {key}")));
        }
        fields(&Attributes::new(item, &ATTRIBUTES)?)
    }

    fn update(cx: &Context<'_>, state: &mut CloudState, id: &str, fields: SubnetFields) -> View {
        let subnet = state.update_subnet(cx.caller, id, fields, cx.now_ms)?;
        Ok(views::subnet(cx.cloud, &subnet))
    }
}
