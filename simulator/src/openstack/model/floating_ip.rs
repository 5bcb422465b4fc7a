//! Neutron floating IPs: an address of a `router:external` network (held by a port no project
//! owns), associated with a fixed IP of a port that a router connects to that network.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given, network::policy, new_id, router::ROUTER_INTERFACE, Caller,
    CloudState, FixedIpRequest, StandardAttributes,
};
use crate::openstack::error::CloudError;

/// The device owner of the port holding a floating IP.
pub const FLOATING_IP_OWNER: &str = "network:floatingip";

/// A floating IP as Neutron stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FloatingIp {
    pub id: String,
    pub project_id: String,
    pub floating_network_id: String,
    pub floating_ip_address: Ipv4Addr,
    /// The port holding the address on the external network.
    pub floating_port_id: String,
    pub port_id: Option<String>,
    pub fixed_ip_address: Option<Ipv4Addr>,
    /// The router the association goes through.
    pub router_id: Option<String>,
    /// Creation order.
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the floating IP).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

impl FloatingIp {
    /// `ACTIVE` while associated, `DOWN` otherwise (as the L3 agent reports it).
    pub fn status(&self) -> &'static str {
        if self.port_id.is_some() {
            "ACTIVE"
        } else {
            "DOWN"
        }
    }
}

/// What a create asks for.
#[derive(Clone, Debug, Default)]
pub struct FloatingIpRequest {
    pub floating_network_id: String,
    pub floating_ip_address: Option<Ipv4Addr>,
    pub subnet_id: Option<String>,
    pub port_id: Option<String>,
    pub fixed_ip_address: Option<Ipv4Addr>,
    pub description: Option<String>,
}

/// What an update changes: the association (`Some(None)` disassociates) and the description.
#[derive(Clone, Debug, Default)]
pub struct FloatingIpChanges {
    pub port_id: Option<Option<String>>,
    pub fixed_ip_address: Option<Ipv4Addr>,
    pub description: Option<String>,
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Floating IP {id} could not be found")).kind("FloatingIPNotFound")
}

fn bad_floatingip(message: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!("Bad floatingip request: {message}.")).kind("BadRequest")
}

/// Where an association lands: the port, its fixed IP and the router on the way.
struct Association {
    port_id: String,
    fixed_ip: Ipv4Addr,
    router_id: String,
}

impl CloudState {
    /// A floating IP the caller sees (its own, or any for an administrator), or Neutron's 404.
    pub fn floating_ip(&self, caller: Caller<'_>, id: &str) -> Result<&FloatingIp, CloudError> {
        self.floating_ips
            .get(id)
            .filter(|f| caller.owns(&f.project_id))
            .ok_or_else(|| not_found(id))
    }

    /// Allocates a floating IP on an external network, associated at once when a port is
    /// given.
    pub fn create_floating_ip(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        request: FloatingIpRequest,
        now_ms: u64,
    ) -> Result<FloatingIp, CloudError> {
        let project_id = caller.owner_for("create_floatingip", owner)?;
        if request.floating_ip_address.is_some() && !caller.admin {
            return Err(policy("create_floatingip", "floating_ip_address"));
        }
        let network_id = request.floating_network_id.clone();
        if !self.network(caller, &network_id)?.external {
            return Err(bad_floatingip(format!(
                "Network {network_id} is not a valid external network"
            )));
        }
        let id = new_id();
        let association = match &request.port_id {
            Some(port_id) => Some(self.association(
                caller,
                &id,
                &network_id,
                port_id,
                request.fixed_ip_address,
            )?),
            None => None,
        };
        let asked = match (&request.subnet_id, request.floating_ip_address) {
            (None, None) => None,
            (subnet_id, ip_address) => Some(vec![FixedIpRequest {
                subnet_id: subnet_id.clone(),
                ip_address,
            }]),
        };
        let fixed_ips = self.allocate(&network_id, asked.as_deref(), "")?;
        let Some(address) = fixed_ips.first().map(|f| f.ip_address) else {
            return Err(CloudError::conflict(format!(
                "No more IP addresses available on network {network_id}."
            ))
            .kind("IpAddressGenerationFailure"));
        };
        let port = self.service_port("", &network_id, (&id, FLOATING_IP_OWNER), fixed_ips, now_ms);
        let floating_ip = FloatingIp {
            id,
            project_id,
            floating_network_id: network_id,
            floating_ip_address: address,
            floating_port_id: port,
            port_id: association.as_ref().map(|a| a.port_id.clone()),
            fixed_ip_address: association.as_ref().map(|a| a.fixed_ip),
            router_id: association.map(|a| a.router_id),
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(request.description.unwrap_or_default(), now_ms),
        };
        self.floating_ips
            .insert(floating_ip.id.clone(), floating_ip.clone());
        Ok(floating_ip)
    }

    /// Checks an association: a port of the caller's with the fixed IP (given, or its only
    /// IPv4 address), not used by another floating IP of the network, on a subnet a router
    /// connects to the external network.
    fn association(
        &self,
        caller: Caller<'_>,
        floating_ip_id: &str,
        network_id: &str,
        port_id: &str,
        fixed_ip: Option<Ipv4Addr>,
    ) -> Result<Association, CloudError> {
        let port = self.port(caller, port_id)?;
        let fixed = match fixed_ip {
            Some(ip) => port
                .fixed_ips
                .iter()
                .find(|f| f.ip_address == ip)
                .ok_or_else(|| {
                    bad_floatingip(format!(
                        "Port {port_id} does not have fixed ip {ip}"
                    ))
                })?,
            None => match port.fixed_ips.as_slice() {
                [only] => only,
                [] => {
                    return Err(bad_floatingip(format!(
                        "Cannot add floating IP to port {port_id} that has no fixed IPv4 addresses"
                    )))
                }
                _ => {
                    return Err(bad_floatingip(format!(
                        "Port {port_id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP"
                    )))
                }
            },
        };
        if let Some(other) = self.floating_ips.values().find(|f| {
            f.id != floating_ip_id
                && f.floating_network_id == network_id
                && f.port_id.as_deref() == Some(port_id)
                && f.fixed_ip_address == Some(fixed.ip_address)
        }) {
            return Err(CloudError::conflict(format!(
                "Cannot associate floating IP {} ({}) with port {port_id} using fixed IP {}, as that fixed IP already has a floating IP on external network {network_id}.",
                other.floating_ip_address, other.id, fixed.ip_address
            ))
            .kind("FloatingIPPortAlreadyAssociated"));
        }
        let router = self.routers.values().find(|r| {
            r.gateway
                .as_ref()
                .is_some_and(|g| g.network_id == network_id)
                && self.ports.values().any(|p| {
                    p.device_id == r.id
                        && p.device_owner == ROUTER_INTERFACE
                        && p.fixed_ips.iter().any(|f| f.subnet_id == fixed.subnet_id)
                })
        });
        let Some(router) = router else {
            return Err(CloudError::not_found(format!(
                "External network {network_id} is not reachable from subnet {}.  Therefore, cannot associate Port {port_id} with a Floating IP.",
                fixed.subnet_id
            ))
            .kind("ExternalGatewayForFloatingIPNotFound"));
        };
        Ok(Association {
            port_id: port_id.to_string(),
            fixed_ip: fixed.ip_address,
            router_id: router.id.clone(),
        })
    }

    /// Associates, moves or disassociates a floating IP of the caller's; changes its
    /// description.
    pub fn update_floating_ip(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        changes: FloatingIpChanges,
        now_ms: u64,
    ) -> Result<FloatingIp, CloudError> {
        let current = self.floating_ip(caller, id)?.clone();
        let association = match &changes.port_id {
            Some(Some(port_id)) => Some(Some(self.association(
                caller,
                id,
                &current.floating_network_id,
                port_id,
                changes.fixed_ip_address,
            )?)),
            Some(None) => Some(None),
            None => None,
        };
        let floating_ip = self.floating_ips.get_mut(id).expect("checked above");
        if let Some(association) = association {
            floating_ip.port_id = association.as_ref().map(|a| a.port_id.clone());
            floating_ip.fixed_ip_address = association.as_ref().map(|a| a.fixed_ip);
            floating_ip.router_id = association.map(|a| a.router_id);
        }
        set_if_given(&mut floating_ip.standard.description, changes.description);
        floating_ip.standard.record_change(now_ms);
        Ok(floating_ip.clone())
    }

    /// Releases a floating IP of the caller's and its port.
    pub fn delete_floating_ip(&mut self, caller: Caller<'_>, id: &str) -> Result<(), CloudError> {
        let floating_ip = self.floating_ip(caller, id)?;
        let port = floating_ip.floating_port_id.clone();
        self.ports.remove(&port);
        self.floating_ips.remove(id);
        Ok(())
    }

    /// Removes a port: the floating IPs associated with it are disassociated.
    pub(super) fn forget_port(&mut self, port_id: &str, now_ms: u64) {
        self.ports.remove(port_id);
        for floating_ip in self
            .floating_ips
            .values_mut()
            .filter(|f| f.port_id.as_deref() == Some(port_id))
        {
            floating_ip.port_id = None;
            floating_ip.fixed_ip_address = None;
            floating_ip.router_id = None;
            floating_ip.standard.record_change(now_ms);
        }
    }
}
