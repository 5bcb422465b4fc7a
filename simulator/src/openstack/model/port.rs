//! Neutron ports: fixed IPs allocated from the network's subnets or as requested, MAC
//! addresses, security groups, the device a port is bound to and its status (DOWN until a
//! server uses it, then ACTIVE).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given, network::policy, new_id, AddressPair, Caller, CloudState,
    StandardAttributes,
};
use crate::openstack::error::CloudError;

/// A port as Neutron stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Port {
    pub id: String,
    pub project_id: String,
    pub network_id: String,
    pub name: String,
    pub mac_address: String,
    pub admin_state_up: bool,
    /// `DOWN`, or `ACTIVE` while a server uses it.
    pub status: String,
    pub device_id: String,
    pub device_owner: String,
    pub fixed_ips: Vec<FixedIp>,
    /// Ids of the port's security groups.
    pub security_groups: Vec<String>,
    pub port_security_enabled: bool,
    /// Other addresses the port may send from (each with the port's MAC unless given).
    pub allowed_address_pairs: Vec<AddressPair>,
    /// Creation order.
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the port).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

/// One address of a port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedIp {
    pub subnet_id: String,
    pub ip_address: Ipv4Addr,
}

/// One entry of a request's `fixed_ips`: a subnet, an address, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixedIpRequest {
    pub subnet_id: Option<String>,
    pub ip_address: Option<Ipv4Addr>,
}

/// What a port create or update sets; `None` keeps the default or the current value.
#[derive(Clone, Debug, Default)]
pub struct PortFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub admin_state_up: Option<bool>,
    pub mac_address: Option<String>,
    pub device_id: Option<String>,
    pub device_owner: Option<String>,
    pub fixed_ips: Option<Vec<FixedIpRequest>>,
    /// Security group ids.
    pub security_groups: Option<Vec<String>>,
    pub port_security_enabled: Option<bool>,
    pub allowed_address_pairs: Option<Vec<AddressPair>>,
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Port {id} could not be found.")).kind("PortNotFound")
}

fn security_needs_port_security() -> CloudError {
    CloudError::bad_request(
        "Port security must be enabled and port must have an IP address in order to use security groups.",
    )
    .kind("PortSecurityAndIPRequiredForSecurityGroups")
}

fn pairs_need_port_security() -> CloudError {
    CloudError::conflict(
        "Port Security must be enabled in order to have allowed address pairs on a port.",
    )
    .kind("AddressPairAndPortSecurityRequired")
}

fn invalid(message: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!("Invalid input for operation: {message}.")).kind("InvalidInput")
}

/// A MAC address in OpenStack's `fa:16:3e` range.
pub(super) fn new_mac() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    format!(
        "fa:16:3e:{:02x}:{:02x}:{:02x}",
        bytes[0], bytes[1], bytes[2]
    )
}

impl CloudState {
    /// A port the caller sees (its own, or any for an administrator), or Neutron's 404.
    pub fn port(&self, caller: Caller<'_>, id: &str) -> Result<&Port, CloudError> {
        self.ports
            .get(id)
            .filter(|p| caller.owns(&p.project_id))
            .ok_or_else(|| not_found(id))
    }

    /// Creates a port (DOWN) on a network the caller sees, with its fixed IPs.
    pub fn create_port(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        network_id: &str,
        fields: PortFields,
        now_ms: u64,
    ) -> Result<Port, CloudError> {
        let project_id = caller.owner_for("create_port", owner)?;
        let network = self.network(caller, network_id)?.clone();
        let mac_address = match fields.mac_address {
            Some(mac) => {
                // The network's owner (or the admin) may choose a MAC address.
                if !caller.owns(&network.project_id) {
                    return Err(policy("create_port", "mac_address"));
                }
                if self
                    .ports
                    .values()
                    .any(|p| p.network_id == network_id && p.mac_address == mac)
                {
                    return Err(CloudError::conflict(format!(
                        "Unable to complete operation for network {network_id}. The mac address {mac} is in use."
                    ))
                    .kind("MacAddressInUse"));
                }
                mac
            }
            None => new_mac(),
        };
        if network.external && !network.shared && !caller.owns(&network.project_id) {
            return Err(policy("create_port", "network"));
        }
        let fixed_ips = self.allocate(network_id, fields.fixed_ips.as_deref(), "")?;
        let port_security = fields
            .port_security_enabled
            .unwrap_or(network.port_security_enabled);
        let security_groups = match fields.security_groups {
            Some(groups) if !groups.is_empty() && !port_security => {
                return Err(security_needs_port_security())
            }
            Some(groups) => self.check_security_groups(caller, &groups)?,
            // Neutron gives the default group to a secured port only.
            None if port_security => {
                vec![self.ensure_default_security_group(&project_id, now_ms)]
            }
            None => Vec::new(),
        };
        let allowed_address_pairs = fields.allowed_address_pairs.unwrap_or_default();
        if !allowed_address_pairs.is_empty() && !port_security {
            return Err(pairs_need_port_security());
        }
        let port = Port {
            id: new_id(),
            project_id,
            network_id: network_id.to_string(),
            name: fields.name.unwrap_or_default(),
            mac_address,
            admin_state_up: fields.admin_state_up.unwrap_or(true),
            status: "DOWN".to_string(),
            device_id: fields.device_id.unwrap_or_default(),
            device_owner: fields.device_owner.unwrap_or_default(),
            fixed_ips,
            security_groups,
            port_security_enabled: port_security,
            allowed_address_pairs,
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(fields.description.unwrap_or_default(), now_ms),
        };
        self.ports.insert(port.id.clone(), port.clone());
        Ok(port)
    }

    /// The fixed IPs of a port on `network_id`: one from the first subnet with a free address
    /// when none are asked for, else each as asked (`except_port` keeps its own addresses).
    pub(super) fn allocate(
        &self,
        network_id: &str,
        asked: Option<&[FixedIpRequest]>,
        except_port: &str,
    ) -> Result<Vec<FixedIp>, CloudError> {
        let subnets = self.network_subnets(network_id);
        let exhausted = || {
            CloudError::conflict(format!(
                "No more IP addresses available on network {network_id}."
            ))
            .kind("IpAddressGenerationFailure")
        };
        let Some(asked) = asked else {
            if subnets.is_empty() {
                return Ok(Vec::new());
            }
            return subnets
                .iter()
                .filter_map(|id| self.subnets.get(id))
                .find_map(|s| {
                    self.free_ip(s, &[]).map(|ip| FixedIp {
                        subnet_id: s.id.clone(),
                        ip_address: ip,
                    })
                })
                .map(|ip| vec![ip])
                .ok_or_else(exhausted);
        };
        let mut chosen: Vec<FixedIp> = Vec::new();
        for request in asked {
            let subnet = match (&request.subnet_id, request.ip_address) {
                (Some(id), _) => self
                    .subnets
                    .get(id)
                    .filter(|s| s.network_id == network_id)
                    .ok_or_else(|| {
                        invalid(format!(
                            "Failed to create port on network {network_id}, because fixed_ips included invalid subnet {id}"
                        ))
                    })?,
                (None, Some(ip)) => subnets
                    .iter()
                    .filter_map(|id| self.subnets.get(id))
                    .find(|s| s.contains(ip))
                    .ok_or_else(|| {
                        invalid(format!(
                            "IP address {ip} is not a valid IP for any of the subnets on the specified network"
                        ))
                    })?,
                (None, None) => return Err(invalid("Exceeded maximum amount of fixed ips per port")),
            };
            let ip = match request.ip_address {
                Some(ip) => {
                    if !subnet.contains(ip) {
                        return Err(CloudError::bad_request(format!(
                            "IP address {ip} is not a valid IP for the specified subnet."
                        ))
                        .kind("InvalidIpForSubnet"));
                    }
                    let taken = Some(ip) == subnet.gateway_ip
                        || self.ip_taken(&subnet.id, ip, except_port)
                        || chosen.iter().any(|c| c.ip_address == ip);
                    if taken {
                        return Err(CloudError::conflict(format!(
                            "IP address {ip} already allocated in subnet {}",
                            subnet.id
                        ))
                        .kind("IpAddressAlreadyAllocated"));
                    }
                    ip
                }
                None => {
                    let taken: Vec<Ipv4Addr> = chosen.iter().map(|c| c.ip_address).collect();
                    self.free_ip(subnet, &taken).ok_or_else(exhausted)?
                }
            };
            chosen.push(FixedIp {
                subnet_id: subnet.id.clone(),
                ip_address: ip,
            });
        }
        Ok(chosen)
    }

    /// Changes a port of the caller's; new fixed IPs are allocated as asked, the others
    /// released.
    pub fn update_port(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        fields: PortFields,
        now_ms: u64,
    ) -> Result<Port, CloudError> {
        let port = self.port(caller, id)?.clone();
        if fields
            .mac_address
            .as_ref()
            .is_some_and(|m| *m != port.mac_address)
        {
            return Err(CloudError::bad_request(
                "Cannot update read-only attribute mac_address",
            ));
        }
        let fixed_ips = match &fields.fixed_ips {
            Some(asked) => {
                // An address the port already holds stays with it.
                let asked: Vec<FixedIpRequest> = asked
                    .iter()
                    .map(|r| FixedIpRequest {
                        subnet_id: r.subnet_id.clone().or_else(|| {
                            let ip = r.ip_address?;
                            port.fixed_ips
                                .iter()
                                .find(|f| f.ip_address == ip)
                                .map(|f| f.subnet_id.clone())
                        }),
                        ip_address: r.ip_address,
                    })
                    .collect();
                Some(self.allocate(&port.network_id, Some(&asked), id)?)
            }
            None => None,
        };
        let security_groups = match fields.security_groups {
            Some(groups) => Some(self.check_security_groups(caller, &groups)?),
            None => None,
        };
        let port_security = fields
            .port_security_enabled
            .unwrap_or(port.port_security_enabled);
        let groups_after = security_groups.as_ref().unwrap_or(&port.security_groups);
        if !port_security && !groups_after.is_empty() {
            return Err(if security_groups.is_some() {
                security_needs_port_security()
            } else {
                CloudError::conflict(
                    "Port has security group associated. Cannot disable port security or IP address until security group is removed.",
                )
                .kind("PortSecurityPortHasSecurityGroup")
            });
        }
        let pairs_after = fields
            .allowed_address_pairs
            .as_ref()
            .unwrap_or(&port.allowed_address_pairs);
        if !port_security && !pairs_after.is_empty() {
            return Err(pairs_need_port_security());
        }
        let port = self.ports.get_mut(id).ok_or_else(|| not_found(id))?;
        set_if_given(&mut port.name, fields.name);
        set_if_given(&mut port.standard.description, fields.description);
        set_if_given(&mut port.admin_state_up, fields.admin_state_up);
        set_if_given(&mut port.device_id, fields.device_id);
        set_if_given(&mut port.device_owner, fields.device_owner);
        set_if_given(&mut port.fixed_ips, fixed_ips);
        set_if_given(&mut port.security_groups, security_groups);
        set_if_given(
            &mut port.port_security_enabled,
            fields.port_security_enabled,
        );
        set_if_given(
            &mut port.allowed_address_pairs,
            fields.allowed_address_pairs,
        );
        port.standard.record_change(now_ms);
        Ok(port.clone())
    }

    /// Deletes a port of the caller's (a router's interface only through the router), and
    /// disassociates the floating IPs that used it.
    pub fn delete_port(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let port = self.port(caller, id)?;
        if port.device_owner.starts_with("network:") {
            return Err(CloudError::conflict(format!(
                "Port {id} cannot be deleted directly via the port API: has device owner {}.",
                port.device_owner
            ))
            .kind("ServicePortInUse"));
        }
        self.forget_port(id, now_ms);
        Ok(())
    }

    /// Binds a port to a server: the device fields are set and the port goes ACTIVE.
    pub(super) fn bind_port(&mut self, id: &str, server_id: &str, now_ms: u64) {
        if let Some(port) = self.ports.get_mut(id) {
            port.device_id = server_id.to_string();
            // Nova names the availability zone of the server in the owner.
            port.device_owner = "compute:nova".to_string();
            port.status = "ACTIVE".to_string();
            port.standard.record_change(now_ms);
        }
    }

    /// Unbinds a port from its server: device fields cleared, DOWN.
    pub(super) fn unbind_port(&mut self, id: &str, now_ms: u64) {
        if let Some(port) = self.ports.get_mut(id) {
            port.device_id.clear();
            port.device_owner.clear();
            port.status = "DOWN".to_string();
            port.standard.record_change(now_ms);
        }
    }
}
