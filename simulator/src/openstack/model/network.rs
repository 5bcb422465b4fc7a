//! Neutron networks: creation, visibility (a project's own networks and the shared ones),
//! update and deletion rules.

use serde::{Deserialize, Serialize};

use super::{field_change::set_if_given, new_id, CloudState, StandardAttributes};
use crate::openstack::error::CloudError;

/// Who asks Neutron: the project of the token, and whether it is the cloud administrator (who
/// sees and may change every project's resources).
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    pub project_id: &'a str,
    pub admin: bool,
}

impl Caller<'_> {
    /// True when the caller may change a resource of `owner`.
    pub fn owns(&self, owner: &str) -> bool {
        self.admin || self.project_id == owner
    }

    /// The project a new resource belongs to: the caller's own, or the one an administrator
    /// names (`tenant_id` / `project_id` in the body); `action` names the policy rule refused
    /// otherwise (`create_network`).
    pub fn owner_for(&self, action: &str, asked: Option<&str>) -> Result<String, CloudError> {
        match asked {
            Some(other) if other != self.project_id && !self.admin => {
                Err(policy(action, "tenant_id"))
            }
            Some(other) => Ok(other.to_string()),
            None => Ok(self.project_id.to_string()),
        }
    }
}

/// A network as Neutron stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Network {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub admin_state_up: bool,
    /// Visible to (and usable by) every project.
    pub shared: bool,
    /// `router:external`.
    pub external: bool,
    pub mtu: u32,
    pub port_security_enabled: bool,
    /// Creation order (Neutron lists in it unless asked to sort).
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the network).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

/// What a create or an update sets; `None` keeps the default or the current value.
#[derive(Clone, Debug, Default)]
pub struct NetworkFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub admin_state_up: Option<bool>,
    pub shared: Option<bool>,
    pub external: Option<bool>,
    pub mtu: Option<u32>,
    pub port_security_enabled: Option<bool>,
}

/// The MTU of a tenant network of the fake (a VXLAN network's, as in devstack).
pub const DEFAULT_MTU: u32 = 1450;

/// Neutron's 403 for a policy rule the caller does not pass.
pub fn policy(action: &str, attribute: &str) -> CloudError {
    let rule = if attribute.is_empty() {
        format!("rule:{action}")
    } else {
        format!("(rule:{action} and rule:{action}:{attribute})")
    };
    CloudError::forbidden(format!("{rule} is disallowed by policy")).kind("PolicyNotAuthorized")
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Network {id} could not be found.")).kind("NetworkNotFound")
}

impl CloudState {
    /// The next creation order number of a Neutron resource.
    pub(super) fn next_neutron_seq(&mut self) -> u64 {
        self.neutron_seq += 1;
        self.neutron_seq
    }

    /// True when `caller` sees the network: its own, the shared ones and the external ones.
    pub fn network_visible(&self, caller: Caller<'_>, network: &Network) -> bool {
        network.shared || network.external || caller.owns(&network.project_id)
    }

    /// A network the caller sees, or Neutron's 404.
    pub fn network(&self, caller: Caller<'_>, id: &str) -> Result<&Network, CloudError> {
        self.networks
            .get(id)
            .filter(|n| self.network_visible(caller, n))
            .ok_or_else(|| not_found(id))
    }

    /// Creates a network (ACTIVE at once), and the owner's default security group if it has
    /// none yet.
    pub fn create_network(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        fields: NetworkFields,
        now_ms: u64,
    ) -> Result<Network, CloudError> {
        let project_id = caller.owner_for("create_network", owner)?;
        if fields.shared == Some(true) && !caller.admin {
            return Err(policy("create_network", "shared"));
        }
        if fields.external == Some(true) && !caller.admin {
            return Err(policy("create_network", "router:external"));
        }
        self.ensure_default_security_group(&project_id, now_ms);
        let network = Network {
            id: new_id(),
            project_id,
            name: fields.name.unwrap_or_default(),
            admin_state_up: fields.admin_state_up.unwrap_or(true),
            shared: fields.shared.unwrap_or(false),
            external: fields.external.unwrap_or(false),
            mtu: fields.mtu.unwrap_or(DEFAULT_MTU),
            port_security_enabled: fields.port_security_enabled.unwrap_or(true),
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(fields.description.unwrap_or_default(), now_ms),
        };
        self.networks.insert(network.id.clone(), network.clone());
        Ok(network)
    }

    /// Changes a network of the caller's (or, for an administrator, any network).
    pub fn update_network(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        fields: NetworkFields,
        now_ms: u64,
    ) -> Result<Network, CloudError> {
        let network = self.network(caller, id)?;
        if !caller.owns(&network.project_id) {
            return Err(policy("update_network", ""));
        }
        if fields.shared.is_some_and(|s| s != network.shared) && !caller.admin {
            return Err(policy("update_network", "shared"));
        }
        if fields.external.is_some_and(|e| e != network.external) && !caller.admin {
            return Err(policy("update_network", "router:external"));
        }
        let network = self.networks.get_mut(id).ok_or_else(|| not_found(id))?;
        set_if_given(&mut network.name, fields.name);
        set_if_given(&mut network.standard.description, fields.description);
        set_if_given(&mut network.admin_state_up, fields.admin_state_up);
        set_if_given(&mut network.shared, fields.shared);
        set_if_given(&mut network.external, fields.external);
        set_if_given(&mut network.mtu, fields.mtu);
        set_if_given(
            &mut network.port_security_enabled,
            fields.port_security_enabled,
        );
        network.standard.record_change(now_ms);
        Ok(network.clone())
    }

    /// Deletes a network with its subnets and unused floating IPs; 409 while ports use it.
    pub fn delete_network(&mut self, caller: Caller<'_>, id: &str) -> Result<(), CloudError> {
        let network = self.network(caller, id)?;
        if !caller.owns(&network.project_id) {
            return Err(policy("delete_network", ""));
        }
        // Floating IPs nobody uses go with their external network.
        let unused: Vec<String> = self
            .floating_ips
            .values()
            .filter(|f| f.floating_network_id == id && f.port_id.is_none())
            .map(|f| f.id.clone())
            .collect();
        for floating_ip in &unused {
            if let Some(removed) = self.floating_ips.remove(floating_ip) {
                self.ports.remove(&removed.floating_port_id);
            }
        }
        if self.ports.values().any(|p| p.network_id == id) {
            return Err(CloudError::conflict(format!(
                "Unable to complete operation on network {id}. There are one or more ports still in use on the network."
            ))
            .kind("NetworkInUse"));
        }
        self.subnets.retain(|_, s| s.network_id != id);
        self.networks.remove(id);
        Ok(())
    }

    /// The ids of a network's subnets, oldest first.
    pub fn network_subnets(&self, network_id: &str) -> Vec<String> {
        let mut subnets: Vec<_> = self
            .subnets
            .values()
            .filter(|s| s.network_id == network_id)
            .collect();
        subnets.sort_by_key(|s| s.seq);
        subnets.into_iter().map(|s| s.id.clone()).collect()
    }
}
