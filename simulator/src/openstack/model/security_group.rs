//! Neutron security groups and their rules, with the `default` group every project gets
//! (made the first time the project uses the networking service).

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given, network::policy, new_id, Caller, CloudState, StandardAttributes,
};
use crate::openstack::error::CloudError;

/// A security group as Neutron stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub stateful: bool,
    pub rules: Vec<SecurityGroupRule>,
    /// Creation order.
    pub seq: u64,
    /// Neutron's standard attributes (saved as fields of the security group).
    #[serde(flatten)]
    pub standard: StandardAttributes,
}

/// One rule of a security group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroupRule {
    pub id: String,
    pub project_id: String,
    pub security_group_id: String,
    /// `ingress` or `egress`.
    pub direction: String,
    /// `IPv4` or `IPv6`.
    pub ethertype: String,
    pub protocol: Option<String>,
    pub port_range_min: Option<u16>,
    pub port_range_max: Option<u16>,
    pub remote_ip_prefix: Option<String>,
    pub remote_group_id: Option<String>,
    pub description: String,
    pub created_ms: u64,
}

impl SecurityGroupRule {
    /// True when both rules allow the same traffic (Neutron refuses such a duplicate).
    fn same_as(&self, other: &SecurityGroupRule) -> bool {
        (
            &self.direction,
            &self.ethertype,
            &self.protocol,
            self.port_range_min,
            self.port_range_max,
            &self.remote_ip_prefix,
            &self.remote_group_id,
        ) == (
            &other.direction,
            &other.ethertype,
            &other.protocol,
            other.port_range_min,
            other.port_range_max,
            &other.remote_ip_prefix,
            &other.remote_group_id,
        )
    }
}

/// What a rule create asks for (already parsed).
#[derive(Clone, Debug, Default)]
pub struct RuleRequest {
    pub security_group_id: String,
    pub direction: String,
    pub ethertype: String,
    pub protocol: Option<String>,
    pub port_range_min: Option<u16>,
    pub port_range_max: Option<u16>,
    pub remote_ip_prefix: Option<String>,
    pub remote_group_id: Option<String>,
    pub description: String,
}

/// The name of the group every project gets.
pub const DEFAULT_GROUP: &str = "default";

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Security group {id} does not exist"))
        .kind("SecurityGroupNotFound")
}

fn rule_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Security group rule {id} does not exist"))
        .kind("SecurityGroupRuleNotFound")
}

impl CloudState {
    /// The id of the project's `default` group, made with Neutron's four rules (all egress;
    /// ingress from members of the group) if the project has none yet.
    pub fn ensure_default_security_group(&mut self, project_id: &str, now_ms: u64) -> String {
        if let Some(group) = self
            .security_groups
            .values()
            .find(|g| g.project_id == project_id && g.name == DEFAULT_GROUP)
        {
            return group.id.clone();
        }
        let id = new_id();
        let rule = |direction: &str, ethertype: &str, remote: Option<String>| SecurityGroupRule {
            id: new_id(),
            project_id: project_id.to_string(),
            security_group_id: id.clone(),
            direction: direction.to_string(),
            ethertype: ethertype.to_string(),
            protocol: None,
            port_range_min: None,
            port_range_max: None,
            remote_ip_prefix: None,
            remote_group_id: remote,
            description: String::new(),
            created_ms: now_ms,
        };
        let rules = vec![
            rule("egress", "IPv4", None),
            rule("egress", "IPv6", None),
            rule("ingress", "IPv4", Some(id.clone())),
            rule("ingress", "IPv6", Some(id.clone())),
        ];
        let group = SecurityGroup {
            id: id.clone(),
            project_id: project_id.to_string(),
            name: DEFAULT_GROUP.to_string(),
            stateful: true,
            rules,
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new("Default security group".to_string(), now_ms),
        };
        self.security_groups.insert(id.clone(), group);
        id
    }

    /// A security group the caller sees (its own; any for an administrator), or 404.
    pub fn security_group(
        &self,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<&SecurityGroup, CloudError> {
        self.security_groups
            .get(id)
            .filter(|g| caller.owns(&g.project_id))
            .ok_or_else(|| not_found(id))
    }

    /// The ids of the groups named by id or name (the caller's own when named).
    pub fn check_security_groups(
        &self,
        caller: Caller<'_>,
        groups: &[String],
    ) -> Result<Vec<String>, CloudError> {
        groups
            .iter()
            .map(|wanted| {
                self.security_groups
                    .values()
                    .find(|g| {
                        &g.id == wanted && caller.owns(&g.project_id)
                            || &g.name == wanted && g.project_id == caller.project_id
                    })
                    .map(|g| g.id.clone())
                    .ok_or_else(|| not_found(wanted))
            })
            .collect()
    }

    /// Creates a group with Neutron's two egress rules.
    pub fn create_security_group(
        &mut self,
        caller: Caller<'_>,
        owner: Option<&str>,
        name: String,
        description: String,
        now_ms: u64,
    ) -> Result<SecurityGroup, CloudError> {
        let project_id = caller.owner_for("create_security_group", owner)?;
        if name == DEFAULT_GROUP {
            return Err(
                CloudError::conflict("Default security group already exists.")
                    .kind("SecurityGroupDefaultAlreadyExists"),
            );
        }
        self.ensure_default_security_group(&project_id, now_ms);
        let id = new_id();
        let rules = ["IPv4", "IPv6"]
            .into_iter()
            .map(|ethertype| SecurityGroupRule {
                id: new_id(),
                project_id: project_id.clone(),
                security_group_id: id.clone(),
                direction: "egress".to_string(),
                ethertype: ethertype.to_string(),
                protocol: None,
                port_range_min: None,
                port_range_max: None,
                remote_ip_prefix: None,
                remote_group_id: None,
                description: String::new(),
                created_ms: now_ms,
            })
            .collect();
        let group = SecurityGroup {
            id: id.clone(),
            project_id,
            name,
            stateful: true,
            rules,
            seq: self.next_neutron_seq(),
            standard: StandardAttributes::new(description, now_ms),
        };
        self.security_groups.insert(id, group.clone());
        Ok(group)
    }

    /// Renames or re-describes a group (the default group keeps its name).
    pub fn update_security_group(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        name: Option<String>,
        description: Option<String>,
        now_ms: u64,
    ) -> Result<SecurityGroup, CloudError> {
        let group = self.security_group(caller, id)?;
        if group.name == DEFAULT_GROUP && name.as_ref().is_some_and(|n| n != DEFAULT_GROUP) {
            return Err(
                CloudError::conflict("Updating default security group not allowed.")
                    .kind("SecurityGroupCannotUpdateDefault"),
            );
        }
        if group.name != DEFAULT_GROUP && name.as_deref() == Some(DEFAULT_GROUP) {
            return Err(
                CloudError::conflict("Default security group already exists.")
                    .kind("SecurityGroupDefaultAlreadyExists"),
            );
        }
        let group = self
            .security_groups
            .get_mut(id)
            .ok_or_else(|| not_found(id))?;
        set_if_given(&mut group.name, name);
        set_if_given(&mut group.standard.description, description);
        group.standard.record_change(now_ms);
        Ok(group.clone())
    }

    /// Deletes a group no port uses (the default group only when an administrator asks).
    pub fn delete_security_group(
        &mut self,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<(), CloudError> {
        let group = self.security_group(caller, id)?;
        if group.name == DEFAULT_GROUP && !caller.admin {
            return Err(CloudError::conflict(
                "Insufficient rights for removing default security group.",
            )
            .kind("SecurityGroupCannotRemoveDefault"));
        }
        let in_use = self
            .ports
            .values()
            .any(|p| p.security_groups.iter().any(|g| g == id));
        if in_use {
            return Err(CloudError::conflict(format!("Security Group {id} in use."))
                .kind("SecurityGroupInUse"));
        }
        self.security_groups.remove(id);
        Ok(())
    }

    /// Every rule the caller sees, in creation order of their groups.
    pub fn security_group_rules(&self, caller: Caller<'_>) -> Vec<&SecurityGroupRule> {
        let mut groups: Vec<&SecurityGroup> = self
            .security_groups
            .values()
            .filter(|g| caller.owns(&g.project_id))
            .collect();
        groups.sort_by_key(|g| g.seq);
        groups.into_iter().flat_map(|g| &g.rules).collect()
    }

    /// A rule the caller sees, or 404.
    pub fn security_group_rule(
        &self,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<&SecurityGroupRule, CloudError> {
        self.security_group_rules(caller)
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| rule_not_found(id))
    }

    /// Adds a rule to a group of the caller's; 409 for a duplicate.
    pub fn create_security_group_rule(
        &mut self,
        caller: Caller<'_>,
        request: RuleRequest,
        now_ms: u64,
    ) -> Result<SecurityGroupRule, CloudError> {
        let group = self.security_group(caller, &request.security_group_id)?;
        if let Some(remote) = &request.remote_group_id {
            self.security_group(caller, remote)?;
        }
        if !caller.owns(&group.project_id) {
            return Err(policy("create_security_group_rule", ""));
        }
        let rule = SecurityGroupRule {
            id: new_id(),
            project_id: group.project_id.clone(),
            security_group_id: group.id.clone(),
            direction: request.direction,
            ethertype: request.ethertype,
            protocol: request.protocol,
            port_range_min: request.port_range_min,
            port_range_max: request.port_range_max,
            remote_ip_prefix: request.remote_ip_prefix,
            remote_group_id: request.remote_group_id,
            description: request.description,
            created_ms: now_ms,
        };
        if let Some(existing) = group.rules.iter().find(|r| r.same_as(&rule)) {
            return Err(CloudError::conflict(format!(
                "Security group rule already exists. Rule id is {}.",
                existing.id
            ))
            .kind("SecurityGroupRuleExists"));
        }
        let group = self
            .security_groups
            .get_mut(&rule.security_group_id)
            .ok_or_else(|| not_found(&rule.security_group_id))?;
        group.rules.push(rule.clone());
        group.standard.record_change(now_ms);
        Ok(rule)
    }

    /// Removes a rule from its group (a change of the group: its revision and `updated_at`).
    pub fn delete_security_group_rule(
        &mut self,
        caller: Caller<'_>,
        id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let group_id = self
            .security_group_rule(caller, id)?
            .security_group_id
            .clone();
        if let Some(group) = self.security_groups.get_mut(&group_id) {
            group.rules.retain(|r| r.id != id);
            group.standard.record_change(now_ms);
        }
        Ok(())
    }
}
