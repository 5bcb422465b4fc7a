//! Keystone groups: users gathered in a domain, holding the roles assigned to the group.

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given,
    keystone_record::{name_taken, new_keystone_id, record_mut, KeystoneRecord, RecordKey},
    Actor, CloudState, Identity,
};
use crate::openstack::error::CloudError;

/// A group of users.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    pub description: String,
    /// The ids of its users.
    pub members: Vec<String>,
}

impl KeystoneRecord for Group {
    fn key(&self) -> RecordKey<'_> {
        RecordKey::new(&self.id, &self.name, Some(self.domain_id.as_str()))
    }
}

fn duplicate(name: &str, domain_id: &str) -> CloudError {
    CloudError::conflict(format!(
        "Conflict occurred attempting to store group - Duplicate entry found with name {name} at domain ID {domain_id}."
    ))
}

impl Identity {
    /// The group with this id, or Keystone's 404.
    pub fn group_or_404(&self, id: &str) -> Result<&Group, CloudError> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .ok_or_else(|| CloudError::not_found(format!("Could not find group: {id}.")))
    }

    /// Whether the user is a member of the group.
    pub fn in_group(&self, group_id: &str, user_id: &str) -> bool {
        self.groups
            .iter()
            .any(|g| g.id == group_id && g.members.iter().any(|m| m == user_id))
    }
}

impl CloudState {
    /// Adds a group (name unique in its domain).
    pub fn create_group(
        &mut self,
        name: &str,
        domain_id: &str,
        description: String,
    ) -> Result<Group, CloudError> {
        self.identity.domain_or_404(domain_id)?;
        if name_taken(&self.identity.groups, name, Some(domain_id), None) {
            return Err(duplicate(name, domain_id));
        }
        let group = Group {
            id: new_keystone_id(),
            name: name.to_string(),
            domain_id: domain_id.to_string(),
            description,
            members: Vec::new(),
        };
        self.identity.groups.push(group.clone());
        Ok(group)
    }

    /// Renames a group or changes its description.
    pub fn update_group(
        &mut self,
        id: &str,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<Group, CloudError> {
        let domain_id = self.identity.group_or_404(id)?.domain_id.clone();
        if let Some(name) = &name {
            if name_taken(&self.identity.groups, name, Some(&domain_id), Some(id)) {
                return Err(duplicate(name, &domain_id));
            }
        }
        let group = record_mut(&mut self.identity.groups, id);
        set_if_given(&mut group.name, name);
        set_if_given(&mut group.description, description);
        Ok(group.clone())
    }

    /// Removes a group with its role assignments.
    pub fn delete_group(&mut self, id: &str) -> Result<(), CloudError> {
        self.identity.group_or_404(id)?;
        self.identity.groups.retain(|g| g.id != id);
        let actor = Actor::Group(id.to_string());
        self.identity.assignments.retain(|a| a.actor != actor);
        Ok(())
    }

    /// Adds a user to a group (idempotent).
    pub fn add_to_group(&mut self, group_id: &str, user_id: &str) -> Result<(), CloudError> {
        self.identity.user_or_404(user_id)?;
        self.identity.group_or_404(group_id)?;
        let group = self
            .identity
            .groups
            .iter_mut()
            .find(|g| g.id == group_id)
            .expect("checked above");
        if !group.members.iter().any(|m| m == user_id) {
            group.members.push(user_id.to_string());
        }
        Ok(())
    }

    /// `Ok` when the user is in the group, Keystone's 404 otherwise.
    pub fn check_in_group(&self, group_id: &str, user_id: &str) -> Result<(), CloudError> {
        self.identity.user_or_404(user_id)?;
        self.identity.group_or_404(group_id)?;
        if self.identity.in_group(group_id, user_id) {
            Ok(())
        } else {
            Err(CloudError::not_found(format!(
                "Could not find user, {user_id}, in group, {group_id}."
            )))
        }
    }

    /// Removes a user from a group; 404 when not a member.
    pub fn remove_from_group(&mut self, group_id: &str, user_id: &str) -> Result<(), CloudError> {
        self.check_in_group(group_id, user_id)?;
        for group in &mut self.identity.groups {
            if group.id == group_id {
                group.members.retain(|m| m != user_id);
            }
        }
        Ok(())
    }

    /// Forgets a deleted user in every group.
    pub(super) fn forget_group_member(&mut self, user_id: &str) {
        for group in &mut self.identity.groups {
            group.members.retain(|m| m != user_id);
        }
    }
}
