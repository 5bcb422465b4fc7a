//! Neutron IPv4 subnets: CIDR, gateway and allocation pools, and the allocation of fixed IPs
//! from them.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given, network::policy, new_id, Caller, CloudState, StandardAttributes,
};
use crate::openstack::error::CloudError;

/// A subnet as Neutron stores it (IPv4 only).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub project_id: String,
    pub network_id: String,
    pub name: String,
    /// Network address and prefix length.
    pub cidr: (Ipv4Addr, u8),
    pub gateway_ip: Option<Ipv4Addr>,
    /// Inclusive `(start, end)` ranges fixed IPs are allocated from.
    pub allocation_pools: Vec<(Ipv4Addr, Ipv4Addr)>,
    pub enable_dhcp: bool,
    pub dns_nameservers: Vec<String>,
    /// `(destination, nexthop)`.
    pub host_routes: Vec<(String, String)>,
    /// Creation order.
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the subnet).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

impl Subnet {
    /// The CIDR in its text form (`10.0.0.0/24`).
    pub fn cidr_text(&self) -> String {
        format!("{}/{}", self.cidr.0, self.cidr.1)
    }

    /// True when `ip` is inside the subnet's CIDR.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        in_cidr(self.cidr, ip)
    }

    /// True when the two subnets' CIDRs overlap.
    pub fn overlaps(&self, other: &Subnet) -> bool {
        in_cidr(self.cidr, other.cidr.0) || in_cidr(other.cidr, self.cidr.0)
    }
}

/// What a subnet create asks for (already parsed; `gateway_ip: Some(None)` is an explicit
/// `null`: no gateway).
#[derive(Clone, Debug)]
pub struct SubnetRequest {
    pub network_id: String,
    pub cidr: (Ipv4Addr, u8),
    pub fields: SubnetFields,
}

/// What a create or an update sets; `None` keeps the default or the current value.
#[derive(Clone, Debug, Default)]
pub struct SubnetFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub gateway_ip: Option<Option<Ipv4Addr>>,
    pub allocation_pools: Option<Vec<(Ipv4Addr, Ipv4Addr)>>,
    pub enable_dhcp: Option<bool>,
    pub dns_nameservers: Option<Vec<String>>,
    pub host_routes: Option<Vec<(String, String)>>,
}

/// Parses `a.b.c.d/n` into the network address and prefix (host bits cleared).
pub fn parse_cidr(text: &str) -> Option<(Ipv4Addr, u8)> {
    let (address, prefix) = text.split_once('/')?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
    Some((Ipv4Addr::from(u32::from(address) & mask(prefix)), prefix))
}

fn mask(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn in_cidr(cidr: (Ipv4Addr, u8), ip: Ipv4Addr) -> bool {
    u32::from(ip) & mask(cidr.1) == u32::from(cidr.0)
}

/// First and last usable host addresses of a CIDR (network and broadcast left out).
fn host_range(cidr: (Ipv4Addr, u8)) -> (u32, u32) {
    let network = u32::from(cidr.0);
    let broadcast = network | !mask(cidr.1);
    (network.saturating_add(1), broadcast.saturating_sub(1))
}

/// The default pools: every host address but the gateway's.
fn default_pools(cidr: (Ipv4Addr, u8), gateway: Option<Ipv4Addr>) -> Vec<(Ipv4Addr, Ipv4Addr)> {
    let (first, last) = host_range(cidr);
    let mut pools = Vec::new();
    let mut start = first;
    if let Some(gateway) = gateway
        .map(u32::from)
        .filter(|g| (first..=last).contains(g))
    {
        if gateway > first {
            pools.push((start, gateway - 1));
        }
        start = gateway + 1;
    }
    if start <= last {
        pools.push((start, last));
    }
    pools
        .into_iter()
        .map(|(a, b)| (Ipv4Addr::from(a), Ipv4Addr::from(b)))
        .collect()
}

fn invalid(message: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!("Invalid input for operation: {message}.")).kind("InvalidInput")
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Subnet {id} could not be found.")).kind("SubnetNotFound")
}

/// Checks the pools against the CIDR, each other and the gateway.
fn check_pools(
    cidr: (Ipv4Addr, u8),
    pools: &[(Ipv4Addr, Ipv4Addr)],
    gateway: Option<Ipv4Addr>,
) -> Result<(), CloudError> {
    let cidr_text = format!("{}/{}", cidr.0, cidr.1);
    for (index, (start, end)) in pools.iter().enumerate() {
        if start > end {
            return Err(CloudError::bad_request(format!(
                "The allocation pool {start}-{end} is not valid."
            ))
            .kind("InvalidAllocationPool"));
        }
        if !in_cidr(cidr, *start) || !in_cidr(cidr, *end) {
            return Err(CloudError::bad_request(format!(
                "The allocation pool {start}-{end} spans beyond the subnet cidr {cidr_text}."
            ))
            .kind("OutOfBoundsAllocationPool"));
        }
        if let Some((other_start, other_end)) =
            pools[..index].iter().find(|(s, e)| s <= end && start <= e)
        {
            return Err(CloudError::bad_request(format!(
                "Found overlapping allocation pools: {start}-{end} and {other_start}-{other_end} for subnet {cidr_text}."
            ))
            .kind("OverlappingAllocationPools"));
        }
        if let Some(gateway) = gateway.filter(|g| start <= g && g <= end) {
            return Err(CloudError::conflict(format!(
                "Gateway ip {gateway} conflicts with allocation pool {start}-{end}"
            ))
            .kind("GatewayConflictWithAllocationPools"));
        }
    }
    Ok(())
}

impl CloudState {
    /// True when `caller` sees the subnet: its own, or on a network it owns or that is shared
    /// (an external network's subnets are not shown to other projects).
    pub fn subnet_visible(&self, caller: Caller<'_>, subnet: &Subnet) -> bool {
        caller.owns(&subnet.project_id)
            || self
                .networks
                .get(&subnet.network_id)
                .is_some_and(|n| n.shared || caller.owns(&n.project_id))
    }

    /// A subnet the caller sees, or Neutron's 404.
    pub fn subnet(&self, caller: Caller<'_>, id: &str) -> Result<&Subnet, CloudError> {
        self.subnets
            .get(id)
            .filter(|s| self.subnet_visible(caller, s))
            .ok_or_else(|| not_found(id))
    }

    /// Creates a subnet on a network of the caller's.
    pub fn create_subnet(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        request: SubnetRequest,
        now_ms: u64,
    ) -> Result<Subnet, CloudError> {
        let project_id = caller.owner_for("create_subnet", owner)?;
        let network = self.network(caller, &request.network_id)?;
        if !caller.owns(&network.project_id) {
            return Err(policy("create_subnet", ""));
        }
        let cidr = request.cidr;
        if cidr.1 > 30 {
            return Err(invalid(format!(
                "Requested subnet with cidr: {}/{} is too small",
                cidr.0, cidr.1
            )));
        }
        let overlapping = self
            .subnets
            .values()
            .filter(|s| s.network_id == request.network_id)
            .any(|s| in_cidr(s.cidr, cidr.0) || in_cidr(cidr, s.cidr.0));
        if overlapping {
            return Err(invalid(format!(
                "Requested subnet with cidr: {}/{} for network: {} overlaps with another subnet",
                cidr.0, cidr.1, request.network_id
            )));
        }
        let fields = request.fields;
        let gateway = match fields.gateway_ip {
            Some(explicit) => explicit,
            None => Some(Ipv4Addr::from(host_range(cidr).0)),
        };
        if let Some(gateway) = gateway {
            let (network_address, broadcast) =
                (u32::from(cidr.0), u32::from(cidr.0) | !mask(cidr.1));
            if [network_address, broadcast].contains(&u32::from(gateway)) {
                return Err(invalid(format!(
                    "Gateway is not valid on subnet {}/{}",
                    cidr.0, cidr.1
                )));
            }
        }
        let pools = fields
            .allocation_pools
            .unwrap_or_else(|| default_pools(cidr, gateway));
        check_pools(cidr, &pools, gateway)?;
        let subnet = Subnet {
            id: new_id(),
            project_id,
            network_id: request.network_id,
            name: fields.name.unwrap_or_default(),
            cidr,
            gateway_ip: gateway,
            allocation_pools: pools,
            enable_dhcp: fields.enable_dhcp.unwrap_or(true),
            dns_nameservers: fields.dns_nameservers.unwrap_or_default(),
            host_routes: fields.host_routes.unwrap_or_default(),
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(fields.description.unwrap_or_default(), now_ms),
        };
        self.subnets.insert(subnet.id.clone(), subnet.clone());
        self.touch_network(&subnet.network_id, now_ms);
        Ok(subnet)
    }

    fn touch_network(&mut self, id: &str, now_ms: u64) {
        if let Some(network) = self.networks.get_mut(id) {
            network.standard.record_change(now_ms);
        }
    }

    /// Changes a subnet of the caller's.
    pub fn update_subnet(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        fields: SubnetFields,
        now_ms: u64,
    ) -> Result<Subnet, CloudError> {
        let subnet = self.subnet(caller, id)?;
        if !caller.owns(&subnet.project_id) {
            return Err(policy("update_subnet", ""));
        }
        let gateway = fields.gateway_ip.unwrap_or(subnet.gateway_ip);
        let pools = fields
            .allocation_pools
            .clone()
            .unwrap_or_else(|| subnet.allocation_pools.clone());
        if let Some(gateway) = gateway.filter(|g| !subnet.contains(*g)) {
            return Err(invalid(format!("Gateway is not valid on subnet {gateway}")));
        }
        check_pools(subnet.cidr, &pools, gateway)?;
        let subnet = self.subnets.get_mut(id).ok_or_else(|| not_found(id))?;
        subnet.gateway_ip = gateway;
        subnet.allocation_pools = pools;
        set_if_given(&mut subnet.name, fields.name);
        set_if_given(&mut subnet.standard.description, fields.description);
        set_if_given(&mut subnet.enable_dhcp, fields.enable_dhcp);
        set_if_given(&mut subnet.dns_nameservers, fields.dns_nameservers);
        set_if_given(&mut subnet.host_routes, fields.host_routes);
        subnet.standard.record_change(now_ms);
        Ok(subnet.clone())
    }

    /// Deletes a subnet; 409 while ports hold addresses from it.
    pub fn delete_subnet(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let subnet = self.subnet(caller, id)?;
        if !caller.owns(&subnet.project_id) {
            return Err(policy("delete_subnet", ""));
        }
        let in_use = self
            .ports
            .values()
            .any(|p| p.fixed_ips.iter().any(|ip| ip.subnet_id == id));
        if in_use {
            return Err(CloudError::conflict(format!(
                "Unable to complete operation on subnet {id}: One or more ports have an IP allocation from this subnet."
            ))
            .kind("SubnetInUse"));
        }
        let network_id = subnet.network_id.clone();
        self.subnets.remove(id);
        self.touch_network(&network_id, now_ms);
        Ok(())
    }

    /// True when a port (other than `except_port`) holds `ip` on the subnet.
    pub(super) fn ip_taken(&self, subnet_id: &str, ip: Ipv4Addr, except_port: &str) -> bool {
        self.ports.values().any(|p| {
            p.id != except_port
                && p.fixed_ips
                    .iter()
                    .any(|f| f.subnet_id == subnet_id && f.ip_address == ip)
        })
    }

    /// The lowest free address of the subnet's pools, not taken by `taken` either.
    pub(super) fn free_ip(&self, subnet: &Subnet, taken: &[Ipv4Addr]) -> Option<Ipv4Addr> {
        subnet.allocation_pools.iter().find_map(|(start, end)| {
            (u32::from(*start)..=u32::from(*end))
                .map(Ipv4Addr::from)
                .find(|ip| {
                    Some(*ip) != subnet.gateway_ip
                        && !taken.contains(ip)
                        && !self.ip_taken(&subnet.id, *ip, "")
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_and_default_pools() {
        let cidr = parse_cidr("10.0.0.7/24").unwrap();
        assert_eq!(cidr, (Ipv4Addr::new(10, 0, 0, 0), 24));
        assert_eq!(parse_cidr("10.0.0.0/33"), None);
        assert_eq!(parse_cidr("nonsense"), None);
        let pools = default_pools(cidr, Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(
            pools,
            vec![(Ipv4Addr::new(10, 0, 0, 2), Ipv4Addr::new(10, 0, 0, 254))]
        );
        let split = default_pools(cidr, Some(Ipv4Addr::new(10, 0, 0, 100)));
        assert_eq!(split.len(), 2);
        assert_eq!(split[0].1, Ipv4Addr::new(10, 0, 0, 99));
        assert_eq!(split[1].0, Ipv4Addr::new(10, 0, 0, 101));
    }
}
