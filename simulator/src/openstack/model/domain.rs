//! Keystone domains: the `default` domain every cloud has, and those an administrator adds.
//! Deleting a domain (only once disabled, as Keystone requires) deletes its projects and users.

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given,
    keystone_record::{
        ids_in_domain, name_taken, new_keystone_id, record_mut, KeystoneRecord, RecordKey,
    },
    CloudState, DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME,
};
use crate::openstack::error::CloudError;

/// A Keystone domain.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub description: String,
    pub enabled: bool,
}

/// The domain every cloud starts with.
pub fn default_domain() -> Domain {
    Domain {
        id: DEFAULT_DOMAIN_ID.to_string(),
        name: DEFAULT_DOMAIN_NAME.to_string(),
        description: "The default domain".to_string(),
        enabled: true,
    }
}

/// What a domain update may change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct DomainChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

impl KeystoneRecord for Domain {
    fn key(&self) -> RecordKey<'_> {
        RecordKey::new(&self.id, &self.name, None)
    }
}

fn duplicate(name: &str) -> CloudError {
    CloudError::conflict(format!(
        "Conflict occurred attempting to store domain - Duplicate entry found with name {name}."
    ))
}

impl CloudState {
    /// Adds a domain (name unique).
    pub fn create_domain(
        &mut self,
        name: &str,
        description: String,
        enabled: bool,
    ) -> Result<Domain, CloudError> {
        if name_taken(&self.identity.domains, name, None, None) {
            return Err(duplicate(name));
        }
        let domain = Domain {
            id: new_keystone_id(),
            name: name.to_string(),
            description,
            enabled,
        };
        self.identity.domains.push(domain.clone());
        Ok(domain)
    }

    /// Changes a domain's name, description or enabled flag.
    pub fn update_domain(
        &mut self,
        id: &str,
        changes: DomainChanges,
    ) -> Result<Domain, CloudError> {
        self.identity.domain_or_404(id)?;
        if let Some(name) = &changes.name {
            if name_taken(&self.identity.domains, name, None, Some(id)) {
                return Err(duplicate(name));
            }
        }
        if id == DEFAULT_DOMAIN_ID && changes.enabled == Some(false) {
            return Err(CloudError::forbidden(
                "You are not authorized to perform the requested action: Cannot disable the default domain.",
            ));
        }
        let domain = record_mut(&mut self.identity.domains, id);
        set_if_given(&mut domain.name, changes.name);
        set_if_given(&mut domain.description, changes.description);
        set_if_given(&mut domain.enabled, changes.enabled);
        Ok(domain.clone())
    }

    /// Deletes a disabled domain with its projects, users and role assignments on it.
    pub fn delete_domain(&mut self, id: &str) -> Result<(), CloudError> {
        let domain = self.identity.domain_or_404(id)?;
        if domain.enabled {
            return Err(CloudError::forbidden(
                "Cannot delete a domain that is enabled, please disable it first.",
            ));
        }
        // Leaves first: a project with children cannot go before them.
        while let Some(leaf) = self
            .identity
            .projects
            .iter()
            .filter(|p| p.domain_id == id)
            .find(|p| {
                !self
                    .identity
                    .projects
                    .iter()
                    .any(|c| c.parent_id.as_deref() == Some(p.id.as_str()))
            })
            .map(|p| p.id.clone())
        {
            self.delete_project(&leaf)?;
        }
        for user in ids_in_domain(&self.identity.users, id) {
            self.delete_user(&user)?;
        }
        for group in ids_in_domain(&self.identity.groups, id) {
            self.delete_group(&group)?;
        }
        self.identity
            .assignments
            .retain(|a| a.target != super::AssignmentTarget::Domain(id.to_string()));
        self.identity.domains.retain(|d| d.id != id);
        Ok(())
    }
}
