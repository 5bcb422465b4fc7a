//! Nova server groups and where servers land: the cloud's compute hosts, and the group
//! policies the scheduler honours when a server is booted into a group (`affinity`,
//! `anti-affinity` with its `max_server_per_host` rule, and their soft forms, which never
//! refuse a host).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CloudState;
use crate::openstack::error::CloudError;

/// The cloud's compute hosts (each its own hypervisor, in the one availability zone).
pub const HOSTS: [&str; 2] = ["compute-1", "compute-2"];

/// How many server groups a project may have, and members a group (Nova's default quotas).
pub const SERVER_GROUP_QUOTA: usize = 10;
pub const SERVER_GROUP_MEMBER_QUOTA: usize = 10;

/// The reason a server is refused a host, as Nova's scheduler words it.
pub const NO_VALID_HOST: &str = "No valid host was found. There are not enough hosts available.";

/// A server group as Nova stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerGroup {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub user_id: String,
    /// `affinity`, `anti-affinity`, `soft-affinity` or `soft-anti-affinity`.
    pub policy: String,
    /// `max_server_per_host` of an `anti-affinity` group (2.64).
    pub rules: BTreeMap<String, u32>,
    /// The servers booted into the group, in boot order.
    pub members: Vec<String>,
}

/// The policies a microversion accepts (the soft ones from 2.15).
pub fn known_policy(policy: &str, soft_allowed: bool) -> bool {
    matches!(policy, "affinity" | "anti-affinity")
        || (soft_allowed && matches!(policy, "soft-affinity" | "soft-anti-affinity"))
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Instance group {id} could not be found."))
}

impl CloudState {
    /// A server group the project sees (the admin sees every group), or Nova's 404.
    pub fn server_group(
        &self,
        id: &str,
        project_id: &str,
        admin: bool,
    ) -> Result<&ServerGroup, CloudError> {
        self.server_groups
            .get(id)
            .filter(|g| admin || g.project_id == project_id)
            .ok_or_else(|| not_found(id))
    }

    /// Makes a server group (Nova's `server_groups` quota applies).
    pub fn create_server_group(&mut self, group: ServerGroup) -> Result<ServerGroup, CloudError> {
        let owned = self
            .server_groups
            .values()
            .filter(|g| g.project_id == group.project_id)
            .count();
        if owned >= SERVER_GROUP_QUOTA {
            return Err(CloudError::forbidden(
                "Quota exceeded, too many server groups.",
            ));
        }
        self.server_groups.insert(group.id.clone(), group.clone());
        Ok(group)
    }

    /// Deletes a server group (its servers stay where they are).
    pub fn delete_server_group(
        &mut self,
        id: &str,
        project_id: &str,
        admin: bool,
    ) -> Result<(), CloudError> {
        self.server_group(id, project_id, admin)?;
        self.server_groups.remove(id);
        Ok(())
    }

    /// Checks that a server may join the group named in its scheduler hints (400 for an
    /// unknown group, 403 over the members quota).
    pub fn check_group_hint(&self, group_id: &str, project_id: &str) -> Result<(), CloudError> {
        let group = self
            .server_groups
            .get(group_id)
            .filter(|g| g.project_id == project_id)
            .ok_or_else(|| {
                CloudError::bad_request(format!("Instance group {group_id} could not be found."))
            })?;
        if group.members.len() >= SERVER_GROUP_MEMBER_QUOTA {
            return Err(CloudError::forbidden(
                "Quota exceeded, too many servers in group",
            ));
        }
        Ok(())
    }

    /// The host a new server lands on: the least busy host the group's policy allows (first
    /// host on a tie); `None` when the policy leaves no valid host.
    pub fn place_server(&self, group_id: Option<&str>) -> Option<String> {
        let load = |host: &str| {
            self.servers
                .values()
                .filter(|s| s.host.as_deref() == Some(host))
                .count()
        };
        let group = group_id.and_then(|id| self.server_groups.get(id));
        let members_on = |host: &str| {
            group.map_or(0, |g| {
                g.members
                    .iter()
                    .filter(|id| {
                        self.servers.get(*id).and_then(|s| s.host.as_deref()) == Some(host)
                    })
                    .count()
            })
        };
        let mut hosts: Vec<&str> = HOSTS.to_vec();
        hosts.sort_by_key(|h| load(h));
        let chosen = match group.map(|g| g.policy.as_str()) {
            Some("affinity") => {
                let placed = HOSTS.iter().find(|h| members_on(h) > 0);
                placed.copied().or(hosts.first().copied())
            }
            Some("anti-affinity") => {
                let limit = group
                    .and_then(|g| g.rules.get("max_server_per_host"))
                    .copied()
                    .unwrap_or(1) as usize;
                hosts.into_iter().find(|h| members_on(h) < limit)
            }
            Some("soft-affinity") => {
                let mut by_members = hosts.clone();
                by_members.sort_by_key(|h| std::cmp::Reverse(members_on(h)));
                by_members.first().copied()
            }
            Some("soft-anti-affinity") => {
                let mut by_members = hosts.clone();
                by_members.sort_by_key(|h| members_on(h));
                by_members.first().copied()
            }
            _ => hosts.first().copied(),
        };
        chosen.map(str::to_string)
    }

    /// Adds a booted server to its group.
    pub fn join_server_group(&mut self, group_id: &str, server_id: &str) {
        if let Some(group) = self.server_groups.get_mut(group_id) {
            group.members.push(server_id.to_string());
        }
    }

    /// The groups a server is a member of.
    pub fn groups_of(&self, server_id: &str) -> Vec<String> {
        self.server_groups
            .values()
            .filter(|g| g.members.iter().any(|m| m == server_id))
            .map(|g| g.id.clone())
            .collect()
    }

    /// Forgets a deleted server in the groups.
    pub(super) fn leave_server_groups(&mut self, server_id: &str) {
        for group in self.server_groups.values_mut() {
            group.members.retain(|m| m != server_id);
        }
    }
}
