//! Nova's side of networking: the ports a server gets at boot (made by Nova on the networks
//! asked for, or given by the user), interfaces attached later, the server's addresses, its
//! security groups, and the release of its ports when it goes (Nova's own ports are deleted,
//! the user's are kept and unbound).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{CloudState, FixedIpRequest, PortFields, Server, DEFAULT_GROUP};
use crate::openstack::{error::CloudError, model::Caller};

/// The `networks` of a boot request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum NicRequests {
    /// Not given (before 2.37): the project's network if it has exactly one usable.
    #[default]
    Unset,
    /// `"auto"` (2.37): as `Unset`; a boot with no usable network is refused.
    Auto,
    /// `"none"` (2.37): no network at all.
    None,
    /// The networks and ports asked for, one interface each.
    List(Vec<NicRequest>),
}

/// One entry of `networks`: a network (with an optional fixed IP) or an existing port.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NicRequest {
    pub network_id: Option<String>,
    pub port_id: Option<String>,
    pub fixed_ip: Option<Ipv4Addr>,
}

/// A port a server uses.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerInterface {
    pub port_id: String,
    /// The user gave the port: it is kept (unbound) when the server is deleted or the
    /// interface detached; Nova's own ports are deleted.
    pub preserve_on_delete: bool,
}

/// One address of a server, as its `addresses` show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddress {
    pub ip: Ipv4Addr,
    pub mac: String,
    /// A floating IP associated with one of the port's fixed IPs (Nova's `floating` type).
    pub floating: bool,
}

fn nova_caller(project_id: &str) -> Caller<'_> {
    Caller {
        project_id,
        admin: false,
    }
}

impl CloudState {
    /// The networks Nova picks when none are named: the project's own, else the shared ones;
    /// 409 when that leaves more than one.
    fn default_networks(&self, project_id: &str) -> Result<Vec<String>, CloudError> {
        let mut own: Vec<_> = self
            .networks
            .values()
            .filter(|n| n.project_id == project_id && !n.external)
            .collect();
        if own.is_empty() {
            own = self
                .networks
                .values()
                .filter(|n| n.shared && !n.external)
                .collect();
        }
        if own.len() > 1 {
            return Err(CloudError::conflict(
                "Multiple possible networks found, use a Network ID to be more specific.",
            ));
        }
        Ok(own.into_iter().map(|n| n.id.clone()).collect())
    }

    /// Checks the `networks` of a boot and the security groups it names, before anything is
    /// made; returns the interfaces to make.
    pub(super) fn plan_nics(
        &self,
        project_id: &str,
        requests: &NicRequests,
        security_groups: &[String],
    ) -> Result<Vec<NicRequest>, CloudError> {
        let plan = match requests {
            NicRequests::None => Vec::new(),
            NicRequests::Unset | NicRequests::Auto => {
                let networks = self.default_networks(project_id)?;
                if networks.is_empty() && *requests == NicRequests::Auto {
                    return Err(CloudError::bad_request(format!(
                        "Unable to automatically allocate a network for project {project_id}"
                    )));
                }
                networks
                    .into_iter()
                    .map(|network_id| NicRequest {
                        network_id: Some(network_id),
                        ..NicRequest::default()
                    })
                    .collect()
            }
            NicRequests::List(list) => list.clone(),
        };
        let caller = nova_caller(project_id);
        for nic in &plan {
            match (&nic.port_id, &nic.network_id) {
                (Some(port_id), _) => {
                    let port = self.port(caller, port_id).map_err(|_| {
                        CloudError::bad_request(format!("Port id {port_id} could not be found."))
                    })?;
                    if !port.device_id.is_empty() {
                        return Err(CloudError::conflict(format!(
                            "Port {port_id} is still in use."
                        )));
                    }
                    if port.fixed_ips.is_empty() {
                        return Err(CloudError::bad_request(format!(
                            "Port {port_id} requires a FixedIP in order to be used."
                        )));
                    }
                }
                (None, Some(network_id)) => {
                    self.network(caller, network_id).map_err(|_| {
                        CloudError::bad_request(format!("Network {network_id} could not be found."))
                    })?;
                    if let Some(ip) = nic.fixed_ip {
                        let free = self
                            .network_subnets(network_id)
                            .iter()
                            .filter_map(|id| self.subnets.get(id))
                            .find(|s| s.contains(ip))
                            .map(|s| !self.ip_taken(&s.id, ip, "") && Some(ip) != s.gateway_ip);
                        match free {
                            None => {
                                return Err(CloudError::bad_request(format!(
                                "Fixed IP {ip} is not a valid ip address for network {network_id}."
                            )))
                            }
                            Some(false) => {
                                return Err(CloudError::bad_request(format!(
                                    "Fixed IP address {ip} is already in use."
                                )))
                            }
                            Some(true) => {}
                        }
                    }
                }
                (None, None) => {
                    return Err(CloudError::bad_request(
                        "Bad networks format: network uuid is not in proper format",
                    ))
                }
            }
        }
        if !plan.is_empty() {
            for name in security_groups.iter().filter(|n| *n != DEFAULT_GROUP) {
                self.check_security_groups(caller, std::slice::from_ref(name))
                    .map_err(|_| {
                        CloudError::bad_request(format!(
                            "Security group {name} not found for project {project_id}."
                        ))
                    })?;
            }
        }
        Ok(plan)
    }

    /// Makes (or binds) the ports of a checked plan; on failure the ones made are undone.
    pub(super) fn make_nics(
        &mut self,
        project_id: &str,
        server_id: &str,
        plan: Vec<NicRequest>,
        security_groups: &[String],
        now_ms: u64,
    ) -> Result<Vec<ServerInterface>, CloudError> {
        let caller = nova_caller(project_id);
        let mut made = Vec::new();
        if !plan.is_empty() {
            self.ensure_default_security_group(project_id, now_ms);
        }
        for nic in plan {
            let interface = match (nic.port_id, nic.network_id) {
                (Some(port_id), _) => Ok(ServerInterface {
                    port_id,
                    preserve_on_delete: true,
                }),
                (None, Some(network_id)) => {
                    // Nova leaves the default group to Neutron (which gives it to secured
                    // ports only).
                    let only_default = security_groups.iter().all(|n| n == DEFAULT_GROUP);
                    let groups = if only_default {
                        Ok(None)
                    } else {
                        self.check_security_groups(caller, security_groups)
                            .map(Some)
                    };
                    let fields = PortFields {
                        fixed_ips: nic.fixed_ip.map(|ip| {
                            vec![FixedIpRequest {
                                subnet_id: None,
                                ip_address: Some(ip),
                            }]
                        }),
                        security_groups: groups.ok().flatten(),
                        ..PortFields::default()
                    };
                    self.create_port(caller, None, &network_id, fields, now_ms)
                        .map(|port| ServerInterface {
                            port_id: port.id,
                            preserve_on_delete: false,
                        })
                        .map_err(|e| CloudError::bad_request(e.message))
                }
                (None, None) => Err(CloudError::bad_request("Bad networks format")),
            };
            match interface {
                Ok(interface) => {
                    self.bind_port(&interface.port_id, server_id, now_ms);
                    made.push(interface);
                }
                Err(error) => {
                    self.release_nics(&made, now_ms);
                    return Err(error);
                }
            }
        }
        Ok(made)
    }

    /// Lets go of a server's ports: Nova's are deleted, the user's unbound.
    pub(super) fn release_nics(&mut self, interfaces: &[ServerInterface], now_ms: u64) {
        for interface in interfaces {
            if interface.preserve_on_delete {
                self.unbind_port(&interface.port_id, now_ms);
            } else {
                self.forget_port(&interface.port_id, now_ms);
            }
        }
    }

    /// A server's addresses by network name, in the order of its interfaces (ports deleted
    /// behind Nova's back are left out), each fixed IP followed by its floating IPs.
    pub fn server_addresses(&self, server: &Server) -> Vec<(String, Vec<ServerAddress>)> {
        let mut grouped: Vec<(String, Vec<ServerAddress>)> = Vec::new();
        for interface in &server.interfaces {
            let Some(port) = self.ports.get(&interface.port_id) else {
                continue;
            };
            let name = self
                .networks
                .get(&port.network_id)
                .map_or_else(String::new, |n| n.name.clone());
            let address = |ip: Ipv4Addr, floating: bool| ServerAddress {
                ip,
                mac: port.mac_address.clone(),
                floating,
            };
            let addresses = port.fixed_ips.iter().flat_map(|f| {
                let floating = self
                    .floating_ips
                    .values()
                    .filter(|fip| {
                        fip.port_id.as_deref() == Some(port.id.as_str())
                            && fip.fixed_ip_address == Some(f.ip_address)
                    })
                    .map(|fip| address(fip.floating_ip_address, true));
                std::iter::once(address(f.ip_address, false)).chain(floating)
            });
            match grouped.iter_mut().find(|(n, _)| *n == name) {
                Some((_, list)) => list.extend(addresses),
                None => grouped.push((name, addresses.collect())),
            }
        }
        grouped
    }

    /// `addSecurityGroup` / `removeSecurityGroup`: the group is named on the server and set
    /// on (or taken off) each of its ports.
    pub fn change_server_security_group(
        &mut self,
        project_id: &str,
        server_id: &str,
        name: &str,
        add: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let server = self.project_server(project_id, server_id)?.clone();
        if name == DEFAULT_GROUP {
            self.ensure_default_security_group(project_id, now_ms);
        }
        let group_id = self
            .check_security_groups(nova_caller(project_id), &[name.to_string()])
            .map_err(|_| {
                CloudError::not_found(format!(
                    "Security group {name} not found for project {project_id}."
                ))
            })?
            .remove(0);
        let group_name = self
            .security_groups
            .get(&group_id)
            .map_or_else(|| name.to_string(), |g| g.name.clone());
        let has = server.security_groups.contains(&group_name);
        if add && has {
            return Err(CloudError::bad_request(format!(
                "Security group {group_name} is already associated with the instance {server_id}"
            )));
        }
        if !add && !has {
            return Err(CloudError::bad_request(format!(
                "Security group {group_name} not associated with the instance {server_id}"
            )));
        }
        for interface in &server.interfaces {
            if let Some(port) = self.ports.get_mut(&interface.port_id) {
                port.security_groups.retain(|g| *g != group_id);
                if add {
                    port.security_groups.push(group_id.clone());
                }
                port.standard.record_change(now_ms);
            }
        }
        if let Some(server) = self.servers.get_mut(server_id) {
            server.security_groups.retain(|g| *g != group_name);
            if add {
                server.security_groups.push(group_name);
            }
            server.updated_ms = now_ms;
        }
        Ok(())
    }
}

impl CloudState {
    /// `os-interface` attach: binds the user's port, or makes one on the network (with the
    /// fixed IP asked for); the server must be ACTIVE or SHUTOFF.
    pub fn attach_interface(
        &mut self,
        project_id: &str,
        server_id: &str,
        nic: NicRequest,
        now_ms: u64,
    ) -> Result<String, CloudError> {
        let server = self.project_server(project_id, server_id)?;
        self.require_state(server, "attach_interface", &["active", "stopped"])?;
        let groups = server.security_groups.clone();
        let plan = self.plan_nics(project_id, &NicRequests::List(vec![nic]), &groups)?;
        let made = self.make_nics(project_id, server_id, plan, &groups, now_ms)?;
        let port_id = made.first().map(|i| i.port_id.clone()).unwrap_or_default();
        if let Some(server) = self.servers.get_mut(server_id) {
            server.interfaces.extend(made);
            server.updated_ms = now_ms;
        }
        Ok(port_id)
    }

    /// `os-interface` detach: Nova's port is deleted, the user's unbound.
    pub fn detach_interface(
        &mut self,
        project_id: &str,
        server_id: &str,
        port_id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let server = self.project_server(project_id, server_id)?;
        self.require_state(server, "detach_interface", &["active", "stopped"])?;
        let interface = server
            .interfaces
            .iter()
            .find(|i| i.port_id == port_id)
            .cloned()
            .ok_or_else(|| CloudError::not_found(format!("Port {port_id} is not attached")))?;
        self.release_nics(std::slice::from_ref(&interface), now_ms);
        if let Some(server) = self.servers.get_mut(server_id) {
            server.interfaces.retain(|i| i.port_id != port_id);
            server.updated_ms = now_ms;
        }
        Ok(())
    }
}
