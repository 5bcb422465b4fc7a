//! Neutron routers: an external gateway on a `router:external` network (its port owned by no
//! project), interfaces on subnets (a port holding the subnet's gateway IP, or a given port),
//! extra routes, and the rules that keep a router in use.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given, network::policy, new_id, Caller, CloudState, FixedIp,
    FixedIpRequest, Port, StandardAttributes,
};
use crate::openstack::error::CloudError;

/// Device owners Neutron gives the ports of its routers.
pub const ROUTER_INTERFACE: &str = "network:router_interface";
pub const ROUTER_GATEWAY: &str = "network:router_gateway";

/// A router as Neutron stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Router {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub admin_state_up: bool,
    pub gateway: Option<RouterGateway>,
    /// Extra routes: `(destination CIDR, nexthop)`.
    pub routes: Vec<(String, String)>,
    /// Creation order.
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the router).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

/// A router's external gateway.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RouterGateway {
    pub network_id: String,
    pub enable_snat: bool,
    /// The gateway port (on the external network, owned by no project).
    pub port_id: String,
}

/// What a request gives for `external_gateway_info`.
#[derive(Clone, Debug, Default)]
pub struct GatewayRequest {
    pub network_id: String,
    pub enable_snat: Option<bool>,
    pub external_fixed_ips: Option<Vec<FixedIpRequest>>,
}

/// What a create or an update sets; `None` keeps the default or the current value
/// (`gateway: Some(None)` clears the gateway).
#[derive(Clone, Debug, Default)]
pub struct RouterFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub admin_state_up: Option<bool>,
    pub gateway: Option<Option<GatewayRequest>>,
    pub routes: Option<Vec<(String, String)>>,
}

/// What an interface request names: a subnet or a port.
#[derive(Clone, Debug)]
pub enum InterfaceTarget {
    Subnet(String),
    Port(String),
}

/// The answer of adding or removing an interface.
#[derive(Clone, Debug)]
pub struct RouterInterface {
    pub router_id: String,
    pub project_id: String,
    pub port_id: String,
    pub subnet_id: String,
    pub network_id: String,
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Router {id} could not be found")).kind("RouterNotFound")
}

fn bad_router(message: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!("Bad router request: {message}.")).kind("BadRequest")
}

impl CloudState {
    /// A router the caller sees (its own, or any for an administrator), or Neutron's 404.
    pub fn router(&self, caller: Caller<'_>, id: &str) -> Result<&Router, CloudError> {
        self.routers
            .get(id)
            .filter(|r| caller.owns(&r.project_id))
            .ok_or_else(|| not_found(id))
    }

    /// The interface ports of a router.
    pub fn router_interfaces(&self, router_id: &str) -> Vec<&Port> {
        self.ports
            .values()
            .filter(|p| p.device_id == router_id && p.device_owner == ROUTER_INTERFACE)
            .collect()
    }

    /// Creates a router, with its gateway port when a gateway is asked for.
    pub fn create_router(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        fields: RouterFields,
        now_ms: u64,
    ) -> Result<Router, CloudError> {
        let project_id = caller.owner_for("create_router", owner)?;
        if fields.routes.as_ref().is_some_and(|r| !r.is_empty()) {
            return Err(bad_router("Cannot set routes on router creation"));
        }
        let id = new_id();
        let gateway = match fields.gateway.flatten() {
            Some(request) => {
                Some(self.open_gateway(caller, "create_router", &id, request, now_ms)?)
            }
            None => None,
        };
        let router = Router {
            id,
            project_id,
            name: fields.name.unwrap_or_default(),
            admin_state_up: fields.admin_state_up.unwrap_or(true),
            gateway,
            routes: Vec::new(),
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(fields.description.unwrap_or_default(), now_ms),
        };
        self.routers.insert(router.id.clone(), router.clone());
        Ok(router)
    }

    /// Checks a gateway request and makes its port on the external network.
    fn open_gateway(
        &mut self,
        caller: Caller<'_>,
        action: &str,
        router_id: &str,
        request: GatewayRequest,
        now_ms: u64,
    ) -> Result<RouterGateway, CloudError> {
        if request.enable_snat.is_some() && !caller.admin {
            return Err(policy(action, "external_gateway_info:enable_snat"));
        }
        if request.external_fixed_ips.is_some() && !caller.admin {
            return Err(policy(action, "external_gateway_info:external_fixed_ips"));
        }
        let network = self.network(caller, &request.network_id)?;
        if !network.external {
            return Err(bad_router(format!(
                "Network {} is not an external network",
                request.network_id
            )));
        }
        let network_id = network.id.clone();
        let fixed_ips = self.allocate(&network_id, request.external_fixed_ips.as_deref(), "")?;
        let port = self.service_port(
            "",
            &network_id,
            (router_id, super::router::ROUTER_GATEWAY),
            fixed_ips,
            now_ms,
        );
        Ok(RouterGateway {
            network_id,
            enable_snat: request.enable_snat.unwrap_or(true),
            port_id: port,
        })
    }

    /// Makes a port Neutron owns for a service (ACTIVE, no security groups) and returns its id.
    pub(super) fn service_port(
        &mut self,
        project_id: &str,
        network_id: &str,
        (device_id, device_owner): (&str, &str),
        fixed_ips: Vec<FixedIp>,
        now_ms: u64,
    ) -> String {
        let port = Port {
            id: new_id(),
            project_id: project_id.to_string(),
            network_id: network_id.to_string(),
            name: String::new(),
            mac_address: super::port::new_mac(),
            admin_state_up: true,
            status: if device_owner == super::floating_ip::FLOATING_IP_OWNER {
                "N/A".to_string()
            } else {
                "ACTIVE".to_string()
            },
            device_id: device_id.to_string(),
            device_owner: device_owner.to_string(),
            fixed_ips,
            security_groups: Vec::new(),
            port_security_enabled: false,
            allowed_address_pairs: Vec::new(),
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(String::new(), now_ms),
        };
        let id = port.id.clone();
        self.ports.insert(id.clone(), port);
        id
    }

    /// Changes a router of the caller's: name, state, gateway (set, changed, cleared: 409
    /// while floating IPs go through it) and extra routes (each next hop on one of its
    /// subnets).
    pub fn update_router(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        fields: RouterFields,
        now_ms: u64,
    ) -> Result<Router, CloudError> {
        let router = self.router(caller, id)?.clone();
        if let Some(routes) = &fields.routes {
            self.check_routes(&router, routes)?;
        }
        if let Some(gateway) = fields.gateway {
            let keeps_network = match (&router.gateway, &gateway) {
                (Some(old), Some(new)) => old.network_id == new.network_id,
                _ => false,
            };
            if router.gateway.is_some()
                && !keeps_network
                && self
                    .floating_ips
                    .values()
                    .any(|f| f.router_id.as_deref() == Some(id))
            {
                let net_id = router
                    .gateway
                    .as_ref()
                    .map(|g| g.network_id.clone())
                    .unwrap_or_default();
                return Err(CloudError::conflict(format!(
                    "Gateway cannot be updated for router {id}, since a gateway to external network {net_id} is required by one or more floating IPs."
                ))
                .kind("RouterExternalGatewayInUseByFloatingIp"));
            }
            let new_gateway = match gateway {
                Some(request) if keeps_network => {
                    if request.enable_snat.is_some() && !caller.admin {
                        return Err(policy("update_router", "external_gateway_info:enable_snat"));
                    }
                    router.gateway.clone().map(|mut g| {
                        g.enable_snat = request.enable_snat.unwrap_or(g.enable_snat);
                        g
                    })
                }
                Some(request) => {
                    Some(self.open_gateway(caller, "update_router", id, request, now_ms)?)
                }
                None => None,
            };
            if let Some(old) = &router.gateway {
                if new_gateway
                    .as_ref()
                    .is_none_or(|g| g.port_id != old.port_id)
                {
                    self.ports.remove(&old.port_id);
                }
            }
            self.routers.get_mut(id).expect("checked above").gateway = new_gateway;
        }
        let router = self.routers.get_mut(id).expect("checked above");
        set_if_given(&mut router.name, fields.name);
        set_if_given(&mut router.standard.description, fields.description);
        set_if_given(&mut router.admin_state_up, fields.admin_state_up);
        set_if_given(&mut router.routes, fields.routes);
        router.standard.record_change(now_ms);
        Ok(router.clone())
    }

    /// Every next hop must be an address of a subnet the router is connected to.
    fn check_routes(&self, router: &Router, routes: &[(String, String)]) -> Result<(), CloudError> {
        let mut subnets: Vec<&str> = self
            .router_interfaces(&router.id)
            .iter()
            .flat_map(|p| p.fixed_ips.iter().map(|f| f.subnet_id.as_str()))
            .collect();
        if let Some(port) = router
            .gateway
            .as_ref()
            .and_then(|g| self.ports.get(&g.port_id))
        {
            subnets.extend(port.fixed_ips.iter().map(|f| f.subnet_id.as_str()));
        }
        for (destination, nexthop) in routes {
            let reachable = nexthop.parse::<Ipv4Addr>().is_ok_and(|hop| {
                subnets
                    .iter()
                    .filter_map(|id| self.subnets.get(*id))
                    .any(|s| s.contains(hop))
            });
            if !reachable {
                return Err(CloudError::bad_request(format!(
                    "Invalid format for routes: [{{'destination': '{destination}', 'nexthop': '{nexthop}'}}], the nexthop is not connected with router"
                ))
                .kind("InvalidRoutes"));
            }
        }
        Ok(())
    }

    /// Deletes a router of the caller's and its gateway port: 409 while it has interfaces.
    pub fn delete_router(&mut self, caller: Caller<'_>, id: &str) -> Result<(), CloudError> {
        let router = self.router(caller, id)?;
        if !self.router_interfaces(id).is_empty() {
            return Err(
                CloudError::conflict(format!("Router {id} still has ports")).kind("RouterInUse")
            );
        }
        if let Some(gateway) = &router.gateway {
            let port = gateway.port_id.clone();
            self.ports.remove(&port);
        }
        self.routers.remove(id);
        Ok(())
    }

    /// Connects a router to a subnet: a new port holding the subnet's gateway IP, or a port
    /// of the caller's that no device uses.
    pub fn add_router_interface(
        &mut self,
        caller: Caller<'_>,
        router_id: &str,
        target: InterfaceTarget,
        now_ms: u64,
    ) -> Result<RouterInterface, CloudError> {
        let router = self.router(caller, router_id)?.clone();
        let (port_id, subnet_id) = match target {
            InterfaceTarget::Subnet(subnet_id) => {
                let subnet = self.subnet(caller, &subnet_id)?.clone();
                let gateway = subnet.gateway_ip.ok_or_else(|| {
                    bad_router("Subnet for router interface must have a gateway IP")
                })?;
                self.check_not_connected(&router, &subnet.network_id, &subnet_id)?;
                if self.ip_taken(&subnet_id, gateway, "") {
                    return Err(CloudError::conflict(format!(
                        "IP address {gateway} already allocated in subnet {subnet_id}"
                    ))
                    .kind("IpAddressAlreadyAllocated"));
                }
                let fixed = vec![FixedIp {
                    subnet_id: subnet_id.clone(),
                    ip_address: gateway,
                }];
                let port = self.service_port(
                    &router.project_id,
                    &subnet.network_id,
                    (router_id, ROUTER_INTERFACE),
                    fixed,
                    now_ms,
                );
                (port, subnet_id)
            }
            InterfaceTarget::Port(port_id) => {
                let port = self.port(caller, &port_id)?.clone();
                if !port.device_id.is_empty() || !port.device_owner.is_empty() {
                    return Err(CloudError::conflict(format!(
                        "Unable to complete operation on port {port_id} for network {}. Port already has an attached device {}.",
                        port.network_id, port.device_id
                    ))
                    .kind("PortInUse"));
                }
                let subnet_id = port
                    .fixed_ips
                    .first()
                    .map(|f| f.subnet_id.clone())
                    .ok_or_else(|| bad_router("Router port must have at least one fixed IP"))?;
                self.check_not_connected(&router, &port.network_id, &subnet_id)?;
                let port = self.ports.get_mut(&port_id).expect("checked above");
                port.device_id = router_id.to_string();
                port.device_owner = ROUTER_INTERFACE.to_string();
                port.status = "ACTIVE".to_string();
                port.security_groups.clear();
                port.standard.record_change(now_ms);
                (port_id, subnet_id)
            }
        };
        let network_id = self.ports[&port_id].network_id.clone();
        let router = self.routers.get_mut(router_id).expect("checked above");
        router.standard.record_change(now_ms);
        Ok(RouterInterface {
            router_id: router_id.to_string(),
            project_id: router.project_id.clone(),
            port_id,
            subnet_id,
            network_id,
        })
    }

    /// Neutron refuses a second interface of a router on a subnet.
    fn check_not_connected(
        &self,
        router: &Router,
        network_id: &str,
        subnet_id: &str,
    ) -> Result<(), CloudError> {
        let connected = self.router_interfaces(&router.id).iter().any(|p| {
            p.network_id == network_id && p.fixed_ips.iter().any(|f| f.subnet_id == subnet_id)
        });
        if connected {
            return Err(bad_router(format!(
                "Router already has a port on subnet {subnet_id}"
            )));
        }
        let Some(new) = self.subnets.get(subnet_id) else {
            return Ok(());
        };
        let attached = self
            .router_interfaces(&router.id)
            .into_iter()
            .flat_map(|p| p.fixed_ips.iter())
            .filter_map(|f| self.subnets.get(&f.subnet_id));
        for old in attached {
            if old.overlaps(new) {
                return Err(bad_router(format!(
                    "Cidr {} of subnet {} overlaps with cidr {} of subnet {}",
                    new.cidr_text(),
                    new.id,
                    old.cidr_text(),
                    old.id
                )));
            }
        }
        Ok(())
    }

    /// Disconnects a router from a subnet (its interface port is deleted): 404 when not
    /// connected, 409 while floating IPs go through it.
    pub fn remove_router_interface(
        &mut self,
        caller: Caller<'_>,
        router_id: &str,
        target: InterfaceTarget,
        now_ms: u64,
    ) -> Result<RouterInterface, CloudError> {
        let router = self.router(caller, router_id)?.clone();
        let interfaces = self.router_interfaces(router_id);
        let port = match &target {
            InterfaceTarget::Port(port_id) => interfaces
                .iter()
                .find(|p| p.id == *port_id)
                .ok_or_else(|| {
                    CloudError::not_found(format!(
                        "Router {router_id} does not have an interface with id {port_id}"
                    ))
                    .kind("RouterInterfaceNotFound")
                })?,
            InterfaceTarget::Subnet(subnet_id) => interfaces
                .iter()
                .find(|p| p.fixed_ips.iter().any(|f| f.subnet_id == *subnet_id))
                .ok_or_else(|| {
                    CloudError::not_found(format!(
                        "Router {router_id} has no interface on subnet {subnet_id}"
                    ))
                    .kind("RouterInterfaceNotFoundForSubnet")
                })?,
        };
        let port = (*port).clone();
        let subnet_id = port
            .fixed_ips
            .first()
            .map(|f| f.subnet_id.clone())
            .unwrap_or_default();
        let fips_through = self.floating_ips.values().any(|f| {
            f.router_id.as_deref() == Some(router_id)
                && f.port_id
                    .as_ref()
                    .and_then(|p| self.ports.get(p))
                    .is_some_and(|p| p.fixed_ips.iter().any(|ip| ip.subnet_id == subnet_id))
        });
        if fips_through {
            return Err(CloudError::conflict(format!(
                "Router interface for subnet {subnet_id} on router {router_id} cannot be deleted, as it is required by one or more floating IPs."
            ))
            .kind("RouterInterfaceInUseByFloatingIP"));
        }
        self.ports.remove(&port.id);
        if let Some(router) = self.routers.get_mut(router_id) {
            router.standard.record_change(now_ms);
        }
        Ok(RouterInterface {
            router_id: router_id.to_string(),
            project_id: router.project_id,
            port_id: port.id,
            subnet_id,
            network_id: port.network_id,
        })
    }
}
