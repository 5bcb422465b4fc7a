//! `/v2.0/security-group-rules`: list, show, create (with Neutron's checks of direction,
//! ethertype, protocol, port range and remote), delete.

use serde_json::Value;

use super::{
    attributes::{text, Attributes},
    resource::{Context, Made, Resource, View},
    views,
};
use crate::openstack::{
    error::CloudError,
    model::{parse_cidr, CloudState, RuleRequest, DEFAULT_GROUP},
};

const ATTRIBUTES: [&str; 9] = [
    "security_group_id",
    "direction",
    "ethertype",
    "protocol",
    "port_range_min",
    "port_range_max",
    "remote_ip_prefix",
    "remote_group_id",
    "remote_address_group_id",
];

/// The protocol names Neutron accepts (besides numbers 0 to 255).
const PROTOCOLS: [&str; 22] = [
    "ah",
    "dccp",
    "egp",
    "esp",
    "gre",
    "hopopt",
    "icmp",
    "igmp",
    "ip",
    "ipip",
    "ipv6-encap",
    "ipv6-frag",
    "ipv6-icmp",
    "icmpv6",
    "ipv6-nonxt",
    "ipv6-opts",
    "ipv6-route",
    "ospf",
    "pgm",
    "rsvp",
    "sctp",
    "tcp",
];

fn bad(kind: &'static str, message: impl Into<String>) -> CloudError {
    CloudError::bad_request(message).kind(kind)
}

fn port_number(attributes: &Attributes<'_>, key: &str) -> Result<Option<u16>, CloudError> {
    match attributes.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
            .filter(|n| *n <= 65535)
            .map(|n| Some(n as u16))
            .ok_or_else(|| {
                bad(
                    "InvalidInput",
                    format!("Invalid value for port {}", text(value)),
                )
            }),
    }
}

fn request(value: &Value) -> Result<RuleRequest, CloudError> {
    let attributes = Attributes::new(value, &ATTRIBUTES)?;
    let security_group_id = attributes.string("security_group_id")?.ok_or_else(|| {
        CloudError::bad_request(
            "Failed to parse request. Required attribute 'security_group_id' not specified",
        )
    })?;
    let direction = attributes.string("direction")?.unwrap_or_default();
    if direction != "ingress" && direction != "egress" {
        return Err(CloudError::bad_request(format!(
            "Invalid input for direction. Reason: '{direction}' is not in ['ingress', 'egress']."
        )));
    }
    let ethertype = attributes
        .string("ethertype")?
        .unwrap_or_else(|| "IPv4".to_string());
    let ethertype = match ethertype.to_ascii_lowercase().as_str() {
        "ipv4" => "IPv4".to_string(),
        "ipv6" => "IPv6".to_string(),
        _ => {
            return Err(CloudError::bad_request(format!(
                "Invalid input for ethertype. Reason: '{ethertype}' is not in ['IPv4', 'IPv6']."
            )))
        }
    };
    let protocol = match attributes.get("protocol") {
        None | Some(Value::Null) => None,
        Some(value) => {
            let name = text(value).to_ascii_lowercase();
            let numeric = name.parse::<u16>().is_ok_and(|n| n <= 255);
            if !numeric
                && !PROTOCOLS.contains(&name.as_str())
                && name != "udp"
                && name != "udplite"
                && name != "vrrp"
            {
                return Err(bad(
                    "SecurityGroupRuleInvalidProtocol",
                    format!(
                        "Security group rule protocol {name} not supported. Only protocol values [None, 'ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6', 'igmp', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'] and integer representations [0 to 255] are supported."
                    ),
                ));
            }
            Some(name)
        }
    };
    let port_range_min = port_number(&attributes, "port_range_min")?;
    let port_range_max = port_number(&attributes, "port_range_max")?;
    let ranged = port_range_min.is_some() || port_range_max.is_some();
    match protocol.as_deref() {
        None if ranged => {
            return Err(bad(
                "SecurityGroupProtocolRequiredWithPorts",
                "Must also specify protocol if port range is given.",
            ))
        }
        Some("tcp" | "udp" | "dccp" | "sctp" | "udplite" | "6" | "17") => {
            if let (min, Some(max)) = (port_range_min, port_range_max) {
                if min.is_none_or(|min| min > max) {
                    return Err(bad(
                        "SecurityGroupInvalidPortRange",
                        "For TCP/UDP protocols, port_range_min must be <= port_range_max",
                    ));
                }
            }
            if port_range_min == Some(0) || port_range_max == Some(0) {
                return Err(bad(
                    "SecurityGroupInvalidPortValue",
                    "Invalid value for port 0.",
                ));
            }
        }
        Some("icmp" | "icmpv6" | "ipv6-icmp" | "1" | "58") => {
            for (key, value) in [("type", port_range_min), ("code", port_range_max)] {
                if let Some(value) = value.filter(|v| *v > 255) {
                    return Err(bad(
                        "SecurityGroupInvalidIcmpValue",
                        format!("Invalid value for ICMP {key} (port_range_{}) {value}. It must be 0 to 255.", if key == "type" { "min" } else { "max" }),
                    ));
                }
            }
            if port_range_min.is_none() && port_range_max.is_some() {
                return Err(bad(
                    "SecurityGroupMissingIcmpType",
                    format!("ICMP code (port-range-max) {} is provided but ICMP type (port-range-min) is missing.", port_range_max.unwrap_or_default()),
                ));
            }
        }
        _ => {}
    }
    let remote_ip_prefix = attributes.string("remote_ip_prefix")?;
    let remote_group_id = attributes.string("remote_group_id")?;
    if remote_ip_prefix.is_some() && remote_group_id.is_some() {
        return Err(bad(
            "SecurityGroupRemoteGroupAndRemoteIpPrefix",
            "Only remote_ip_prefix or remote_group_id may be provided.",
        ));
    }
    let remote_ip_prefix = match remote_ip_prefix {
        None => None,
        Some(prefix) if ethertype == "IPv4" => {
            let with_length = if prefix.contains('/') {
                prefix.clone()
            } else {
                format!("{prefix}/32")
            };
            let (address, length) = parse_cidr(&with_length).ok_or_else(|| {
                CloudError::bad_request(format!(
                    "Invalid input for remote_ip_prefix. Reason: '{prefix}' is not a valid IP subnet."
                ))
            })?;
            Some(format!("{address}/{length}"))
        }
        Some(prefix) => {
            let address = prefix.split('/').next().unwrap_or_default();
            if address.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad(
                    "InvalidInput",
                    format!("Invalid input for operation: Conflicting value ethertype {ethertype} for CIDR {prefix}."),
                ));
            }
            Some(prefix)
        }
    };
    Ok(RuleRequest {
        security_group_id,
        direction,
        ethertype,
        protocol,
        port_range_min,
        port_range_max,
        remote_ip_prefix,
        remote_group_id,
        description: attributes.string("description")?.unwrap_or_default(),
    })
}

/// True when the rule's group is a `default` group.
fn in_default_group(state: &CloudState, group_id: &str) -> bool {
    state
        .security_groups
        .get(group_id)
        .is_some_and(|g| g.name == DEFAULT_GROUP)
}

/// `/v2.0/security-group-rules` (rules have no update).
pub struct Rules;

impl Resource for Rules {
    const ONE: &'static str = "security_group_rule";
    const MANY: &'static str = "security_group_rules";

    /// The rules of the caller's groups, making the caller's `default` group on first use.
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        state.ensure_default_security_group(cx.caller.project_id, cx.now_ms);
        state
            .security_group_rules(cx.caller)
            .into_iter()
            .map(|r| views::rule(cx.cloud, r, in_default_group(state, &r.security_group_id)))
            .collect()
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        let rule = state.security_group_rule(cx.caller, id)?;
        let default_group = in_default_group(state, &rule.security_group_id);
        Ok(views::rule(cx.cloud, rule, default_group))
    }

    /// 409 for a rule the group already has.
    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let request = request(item)?;
        let rule = state.create_security_group_rule(cx.caller, request, cx.now_ms)?;
        let default_group = in_default_group(state, &rule.security_group_id);
        Ok((rule.id.clone(), views::rule(cx.cloud, &rule, default_group)))
    }

    fn undo(_: &Context<'_>, state: &mut CloudState, id: &str) {
        for group in state.security_groups.values_mut() {
            group.rules.retain(|r| r.id != id);
        }
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_security_group_rule(cx.caller, id, cx.now_ms)
    }
}
