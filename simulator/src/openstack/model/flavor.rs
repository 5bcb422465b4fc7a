//! Nova flavors: the sizes a server can be booted with, public or private (with the projects
//! given access), with their extra specs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CloudState;
use crate::openstack::error::CloudError;

/// A flavor as Nova stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flavor {
    pub id: String,
    pub name: String,
    pub vcpus: u32,
    pub ram: u32,
    pub disk: u32,
    pub ephemeral: u32,
    pub swap: u32,
    pub rxtx_factor: f64,
    pub is_public: bool,
    pub description: Option<String>,
    pub extra_specs: BTreeMap<String, String>,
    /// The projects a private flavor is shared with (`os-flavor-access`).
    pub access: Vec<String>,
}

/// The flavors every cloud starts with: devstack's (`lib/nova` `create_flavors`), with their
/// ids. devstack adds `m1.nano` (42) and `m1.micro` (84) only for Tempest
/// (`lib/tempest`); scripts/tempest.sh makes them the same way.
pub fn seed_flavors() -> Vec<Flavor> {
    [
        ("1", "m1.tiny", 1, 512, 1),
        ("2", "m1.small", 1, 2048, 20),
        ("3", "m1.medium", 2, 4096, 40),
        ("4", "m1.large", 4, 8192, 80),
        ("5", "m1.xlarge", 8, 16384, 160),
        ("c1", "cirros256", 1, 256, 1),
        ("d1", "ds512M", 1, 512, 5),
        ("d2", "ds1G", 1, 1024, 10),
        ("d3", "ds2G", 2, 2048, 10),
        ("d4", "ds4G", 4, 4096, 20),
    ]
    .into_iter()
    .map(|(id, name, vcpus, ram, disk)| Flavor {
        id: id.to_string(),
        name: name.to_string(),
        vcpus,
        ram,
        disk,
        ephemeral: 0,
        swap: 0,
        rxtx_factor: 1.0,
        is_public: true,
        description: None,
        extra_specs: BTreeMap::new(),
        access: Vec::new(),
    })
    .collect()
}

fn not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Flavor {id} could not be found."))
}

impl Flavor {
    /// Whether a project sees the flavor: public, or private and shared with the project.
    pub fn visible_to(&self, project_id: &str) -> bool {
        self.is_public || self.access.iter().any(|p| p == project_id)
    }
}

impl CloudState {
    /// The flavor with this id, or Nova's 404.
    pub fn flavor(&self, id: &str) -> Result<&Flavor, CloudError> {
        self.flavors
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| not_found(id))
    }

    fn flavor_mut(&mut self, id: &str) -> Result<&mut Flavor, CloudError> {
        self.flavors
            .iter_mut()
            .find(|f| f.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// The flavor a project may use (a private one only when shared with it, or for the
    /// admin), or Nova's 404.
    pub fn usable_flavor(
        &self,
        id: &str,
        project_id: &str,
        admin: bool,
    ) -> Result<&Flavor, CloudError> {
        self.flavor(id)
            .ok()
            .filter(|f| admin || f.visible_to(project_id))
            .ok_or_else(|| not_found(id))
    }

    /// Adds a flavor (`POST /flavors`); id and name must be new.
    pub fn create_flavor(&mut self, flavor: Flavor) -> Result<Flavor, CloudError> {
        if self.flavors.iter().any(|f| f.id == flavor.id) {
            return Err(CloudError::conflict(format!(
                "Flavor with ID {} already exists.",
                flavor.id
            )));
        }
        if self.flavors.iter().any(|f| f.name == flavor.name) {
            return Err(CloudError::conflict(format!(
                "Flavor with name {} already exists.",
                flavor.name
            )));
        }
        self.flavors.push(flavor.clone());
        Ok(flavor)
    }

    /// Changes a flavor's description (`PUT /flavors/{id}`, 2.55).
    pub fn describe_flavor(
        &mut self,
        id: &str,
        description: Option<String>,
    ) -> Result<Flavor, CloudError> {
        let flavor = self.flavor_mut(id)?;
        flavor.description = description;
        Ok(flavor.clone())
    }

    /// Removes a flavor; servers booted with it keep their copy of its sizes in Nova, here
    /// their flavor id (views show the id when the flavor is gone).
    pub fn delete_flavor(&mut self, id: &str) -> Result<(), CloudError> {
        self.flavor(id)?;
        self.flavors.retain(|f| f.id != id);
        Ok(())
    }

    /// The projects a private flavor is shared with; 404 for a public one.
    pub fn flavor_access(&self, id: &str) -> Result<Vec<String>, CloudError> {
        let flavor = self.flavor(id)?;
        if flavor.is_public {
            return Err(CloudError::not_found(
                "Access list not available for public flavors.",
            ));
        }
        Ok(flavor.access.clone())
    }

    /// `addTenantAccess`: shares a private flavor with a project.
    pub fn add_flavor_access(
        &mut self,
        id: &str,
        project_id: &str,
    ) -> Result<Vec<String>, CloudError> {
        let flavor = self.flavor_mut(id)?;
        if flavor.is_public {
            return Err(CloudError::conflict(
                "Can not add access to a public flavor.",
            ));
        }
        if flavor.access.iter().any(|p| p == project_id) {
            return Err(CloudError::conflict(format!(
                "Flavor access already exists for flavor {id} and project {project_id} combination."
            )));
        }
        flavor.access.push(project_id.to_string());
        Ok(flavor.access.clone())
    }

    /// `removeTenantAccess`: stops sharing a private flavor with a project.
    pub fn remove_flavor_access(
        &mut self,
        id: &str,
        project_id: &str,
    ) -> Result<Vec<String>, CloudError> {
        let flavor = self.flavor_mut(id)?;
        if !flavor.access.iter().any(|p| p == project_id) {
            return Err(CloudError::not_found(format!(
                "Flavor access not found for {id} / {project_id} combination."
            )));
        }
        flavor.access.retain(|p| p != project_id);
        Ok(flavor.access.clone())
    }

    /// Sets extra specs (adds or replaces the keys given).
    pub fn set_extra_specs(
        &mut self,
        id: &str,
        specs: BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        let flavor = self.flavor_mut(id)?;
        flavor.extra_specs.extend(specs);
        Ok(flavor.extra_specs.clone())
    }

    /// Removes one extra spec; 404 when the flavor has no such key.
    pub fn delete_extra_spec(&mut self, id: &str, key: &str) -> Result<(), CloudError> {
        let flavor = self.flavor_mut(id)?;
        if flavor.extra_specs.remove(key).is_none() {
            return Err(CloudError::not_found(format!(
                "Flavor {id} has no extra specs with key {key}."
            )));
        }
        Ok(())
    }

    /// Forgets a deleted project in every flavor's access list.
    pub(super) fn forget_project_flavor_access(&mut self, project_id: &str) {
        for flavor in &mut self.flavors {
            flavor.access.retain(|p| p != project_id);
        }
    }
}
