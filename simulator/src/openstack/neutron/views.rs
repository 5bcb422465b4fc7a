//! Neutron's JSON views of networks, subnets, ports, security groups and their rules.

use serde_json::{json, Value};

use crate::openstack::{
    cloud::Cloud,
    model::{
        CloudState, FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule,
        StandardAttributes, Subnet, DEFAULT_GROUP,
    },
    stamp::seconds as stamp,
    wire::fixed_ips,
};

/// A network.
pub fn network(cloud: &Cloud, state: &CloudState, network: &Network) -> Value {
    let mut view = json!({
        "id": network.id,
        "name": network.name,
        "tenant_id": network.project_id,
        "project_id": network.project_id,
        "admin_state_up": network.admin_state_up,
        "mtu": network.mtu,
        "status": "ACTIVE",
        "subnets": state.network_subnets(&network.id),
        "shared": network.shared,
        "availability_zone_hints": [],
        "availability_zones": ["nova"],
        "ipv4_address_scope": null,
        "ipv6_address_scope": null,
        "router:external": network.external,
        "port_security_enabled": network.port_security_enabled,
        "l2_adjacency": true,
    });
    add_standard_attributes(cloud, &network.standard, &mut view);
    view
}

/// A subnet.
pub fn subnet(cloud: &Cloud, subnet: &Subnet) -> Value {
    let pools: Vec<Value> = subnet
        .allocation_pools
        .iter()
        .map(|(start, end)| json!({"start": start.to_string(), "end": end.to_string()}))
        .collect();
    let routes: Vec<Value> = subnet
        .host_routes
        .iter()
        .map(|(destination, nexthop)| json!({"destination": destination, "nexthop": nexthop}))
        .collect();
    let mut view = json!({
        "id": subnet.id,
        "name": subnet.name,
        "tenant_id": subnet.project_id,
        "project_id": subnet.project_id,
        "network_id": subnet.network_id,
        "ip_version": 4,
        "subnetpool_id": null,
        "enable_dhcp": subnet.enable_dhcp,
        "ipv6_ra_mode": null,
        "ipv6_address_mode": null,
        "gateway_ip": subnet.gateway_ip.map(|g| g.to_string()),
        "cidr": subnet.cidr_text(),
        "allocation_pools": pools,
        "host_routes": routes,
        "dns_nameservers": subnet.dns_nameservers,
        "service_types": [],
    });
    add_standard_attributes(cloud, &subnet.standard, &mut view);
    view
}

/// A port.
pub fn port(cloud: &Cloud, port: &Port) -> Value {
    let mut view = json!({
        "id": port.id,
        "name": port.name,
        "network_id": port.network_id,
        "tenant_id": port.project_id,
        "project_id": port.project_id,
        "mac_address": port.mac_address,
        "admin_state_up": port.admin_state_up,
        "status": port.status,
        "device_id": port.device_id,
        "device_owner": port.device_owner,
        "fixed_ips": fixed_ips(&port.fixed_ips),
        "allowed_address_pairs": port.allowed_address_pairs.iter().map(|pair| json!({
            "ip_address": pair.ip_address,
            "mac_address": pair.mac_address.as_deref().unwrap_or(&port.mac_address),
        })).collect::<Vec<_>>(),
        "extra_dhcp_opts": [],
        "security_groups": port.security_groups,
        "binding:vnic_type": "normal",
        "port_security_enabled": port.port_security_enabled,
    });
    add_standard_attributes(cloud, &port.standard, &mut view);
    view
}

/// A security group rule; `default_group` tells whether its group is a `default` one.
pub fn rule(cloud: &Cloud, rule: &SecurityGroupRule, default_group: bool) -> Value {
    json!({
        "id": rule.id,
        "tenant_id": rule.project_id,
        "project_id": rule.project_id,
        "security_group_id": rule.security_group_id,
        "direction": rule.direction,
        "ethertype": rule.ethertype,
        "protocol": rule.protocol,
        "port_range_min": rule.port_range_min,
        "port_range_max": rule.port_range_max,
        "remote_ip_prefix": rule.remote_ip_prefix,
        "remote_group_id": rule.remote_group_id,
        "remote_address_group_id": null,
        "normalized_cidr": rule.remote_ip_prefix,
        "description": rule.description,
        "belongs_to_default_sg": default_group,
        "created_at": stamp(cloud, rule.created_ms),
        "updated_at": stamp(cloud, rule.created_ms),
        "revision_number": 0,
    })
}

/// A security group with its rules.
pub fn security_group(cloud: &Cloud, group: &SecurityGroup) -> Value {
    let default_group = group.name == DEFAULT_GROUP;
    let rules: Vec<Value> = group
        .rules
        .iter()
        .map(|r| rule(cloud, r, default_group))
        .collect();
    let mut view = json!({
        "id": group.id,
        "name": group.name,
        "tenant_id": group.project_id,
        "project_id": group.project_id,
        "security_group_rules": rules,
        "stateful": group.stateful,
        "shared": false,
    });
    add_standard_attributes(cloud, &group.standard, &mut view);
    view
}

/// A router (`external_gateway_info` with the gateway port's addresses).
pub fn router(cloud: &Cloud, state: &CloudState, router: &Router) -> Value {
    let gateway = router.gateway.as_ref().map(|gateway| {
        let addresses = state
            .ports
            .get(&gateway.port_id)
            .map_or_else(|| json!([]), |p| fixed_ips(&p.fixed_ips));
        json!({
            "network_id": gateway.network_id,
            "enable_snat": gateway.enable_snat,
            "external_fixed_ips": addresses,
        })
    });
    let routes: Vec<Value> = router
        .routes
        .iter()
        .map(|(destination, nexthop)| json!({"destination": destination, "nexthop": nexthop}))
        .collect();
    let mut view = json!({
        "id": router.id,
        "name": router.name,
        "tenant_id": router.project_id,
        "project_id": router.project_id,
        "admin_state_up": router.admin_state_up,
        "status": "ACTIVE",
        "external_gateway_info": gateway,
        "routes": routes,
    });
    add_standard_attributes(cloud, &router.standard, &mut view);
    view
}

/// A floating IP.
pub fn floating_ip(cloud: &Cloud, floating_ip: &FloatingIp) -> Value {
    let mut view = json!({
        "id": floating_ip.id,
        "tenant_id": floating_ip.project_id,
        "project_id": floating_ip.project_id,
        "floating_network_id": floating_ip.floating_network_id,
        "floating_ip_address": floating_ip.floating_ip_address.to_string(),
        "router_id": floating_ip.router_id,
        "port_id": floating_ip.port_id,
        "fixed_ip_address": floating_ip.fixed_ip_address.map(|ip| ip.to_string()),
        "status": floating_ip.status(),
    });
    add_standard_attributes(cloud, &floating_ip.standard, &mut view);
    view
}

/// Writes into `view` the standard attributes every Neutron resource shows: its description,
/// tags (none: the fake has no tag extension), `created_at`, `updated_at` and
/// `revision_number`.
fn add_standard_attributes(cloud: &Cloud, attributes: &StandardAttributes, view: &mut Value) {
    view["description"] = json!(attributes.description);
    view["tags"] = json!([]);
    view["created_at"] = json!(stamp(cloud, attributes.created_ms));
    view["updated_at"] = json!(stamp(cloud, attributes.updated_ms));
    view["revision_number"] = json!(attributes.revision);
}
