//! Cinder volume types: the default type, public and private types with their project
//! access, extra specs, project default types, and the rules that keep a type in use.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{backend_accepts, field_change::set_if_given, new_id, CloudState, Due, Encryption};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// A volume type as Cinder stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VolumeType {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    /// Extra specs; a type may be created with a `null` value.
    pub extra_specs: BTreeMap<String, Option<String>>,
    /// The projects a private type is shared with.
    pub projects: Vec<String>,
    pub encryption: Option<Encryption>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

impl VolumeType {
    /// Whether volumes of this type may be attached to several servers at once (the
    /// `multiattach` extra spec set to `<is> True`).
    pub fn multiattach(&self) -> bool {
        self.extra_specs
            .get("multiattach")
            .and_then(Option::as_deref)
            .is_some_and(|v| v.eq_ignore_ascii_case("<is> true"))
    }
}

/// What a type create asks for.
#[derive(Clone, Debug, Default)]
pub struct VolumeTypeRequest {
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub extra_specs: BTreeMap<String, Option<String>>,
}

/// What a type update changes (`None` keeps the current value).
#[derive(Clone, Debug, Default)]
pub struct VolumeTypeChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_public: Option<bool>,
}

/// The name of the type volumes get when none is asked for (Cinder's `default_volume_type`,
/// devstack's LVM backend).
pub const DEFAULT_VOLUME_TYPE: &str = "lvmdriver-1";

/// Cinder's 404 for a type looked up by id.
pub fn type_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Volume type {id} could not be found."))
}

impl CloudState {
    /// Adds the configured default type (a new cloud's only type).
    pub fn seed_volume_types(&mut self) {
        let default = VolumeType {
            id: new_id(),
            name: DEFAULT_VOLUME_TYPE.to_string(),
            description: Some("Default Volume Type".to_string()),
            is_public: true,
            extra_specs: BTreeMap::from([(
                "volume_backend_name".to_string(),
                Some(DEFAULT_VOLUME_TYPE.to_string()),
            )]),
            projects: Vec::new(),
            encryption: None,
            created_ms: 0,
            updated_ms: 0,
        };
        self.volume_types.insert(default.id.clone(), default);
    }

    /// Whether the project may see and use a type: public ones, private ones shared with it;
    /// the cloud admin every type.
    fn type_visible(volume_type: &VolumeType, project_id: &str, admin: bool) -> bool {
        admin || volume_type.is_public || volume_type.projects.iter().any(|p| p == project_id)
    }

    /// A type the caller sees, by id, or Cinder's 404.
    pub fn volume_type(
        &self,
        project_id: &str,
        admin: bool,
        id: &str,
    ) -> Result<&VolumeType, CloudError> {
        self.volume_types
            .get(id)
            .filter(|t| Self::type_visible(t, project_id, admin))
            .ok_or_else(|| type_not_found(id))
    }

    /// A type the caller sees, by id or else by name (what a volume create names).
    pub fn volume_type_by_name_or_id(
        &self,
        project_id: &str,
        admin: bool,
        identity: &str,
    ) -> Result<&VolumeType, CloudError> {
        if let Ok(found) = self.volume_type(project_id, admin, identity) {
            return Ok(found);
        }
        self.volume_types
            .values()
            .filter(|t| Self::type_visible(t, project_id, admin))
            .find(|t| t.name == identity)
            .ok_or_else(|| {
                if uuid::Uuid::parse_str(identity).is_ok() {
                    type_not_found(identity)
                } else {
                    CloudError::not_found(format!(
                        "Volume type with name {identity} could not be found."
                    ))
                }
            })
    }

    /// The types the caller lists, as Cinder filters on `is_public`: `Some(true)` the public
    /// ones and the private ones shared with the project (what a project always gets),
    /// `Some(false)` the private ones, `None` every type (both for the admin only).
    pub fn visible_volume_types(
        &self,
        project_id: &str,
        admin: bool,
        is_public: Option<bool>,
    ) -> Vec<&VolumeType> {
        let is_public = if admin { is_public } else { Some(true) };
        self.volume_types
            .values()
            .filter(|t| match is_public {
                Some(true) => Self::type_visible(t, project_id, false),
                Some(false) => !t.is_public,
                None => true,
            })
            .collect()
    }

    /// The type a project's new volumes get: its project default type, else the cloud's
    /// default (500 when that is missing, as Cinder answers a misconfigured default).
    pub fn default_volume_type(&self, project_id: &str) -> Result<&VolumeType, CloudError> {
        if let Some(found) = self
            .project_default_types
            .get(project_id)
            .and_then(|id| self.volume_types.get(id))
        {
            return Ok(found);
        }
        self.volume_types
            .values()
            .find(|t| t.name == DEFAULT_VOLUME_TYPE)
            .ok_or_else(|| {
                CloudError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    format!("The request cannot be fulfilled as the default volume type {DEFAULT_VOLUME_TYPE} cannot be found."),
                )
            })
    }

    /// Creates a type (admin only; the caller checks the policy): 409 for a taken name.
    pub fn create_volume_type(
        &mut self,
        request: VolumeTypeRequest,
        now_ms: u64,
    ) -> Result<VolumeType, CloudError> {
        if self.volume_types.values().any(|t| t.name == request.name) {
            return Err(CloudError::conflict(format!(
                "Volume Type {} already exists.",
                request.name
            )));
        }
        let volume_type = VolumeType {
            id: new_id(),
            name: request.name,
            description: request.description,
            is_public: request.is_public,
            extra_specs: request.extra_specs,
            projects: Vec::new(),
            encryption: None,
            created_ms: now_ms,
            updated_ms: now_ms,
        };
        self.volume_types
            .insert(volume_type.id.clone(), volume_type.clone());
        Ok(volume_type)
    }

    /// Changes a type's name, description or visibility: 409 for a name another type has.
    pub fn update_volume_type(
        &mut self,
        id: &str,
        changes: VolumeTypeChanges,
        now_ms: u64,
    ) -> Result<VolumeType, CloudError> {
        if !self.volume_types.contains_key(id) {
            return Err(type_not_found(id));
        }
        if let Some(name) = &changes.name {
            if self
                .volume_types
                .values()
                .any(|t| t.name == *name && t.id != id)
            {
                return Err(CloudError::conflict(format!(
                    "Volume Type {name} already exists."
                )));
            }
        }
        let volume_type = self.volume_types.get_mut(id).expect("checked above");
        set_if_given(&mut volume_type.name, changes.name);
        if let Some(description) = changes.description {
            volume_type.description = Some(description);
        }
        set_if_given(&mut volume_type.is_public, changes.is_public);
        volume_type.updated_ms = now_ms;
        Ok(volume_type.clone())
    }

    /// Deletes a type: refused (400) for a project's default type, the cloud's default type,
    /// the last type and a type volumes still have.
    pub fn delete_volume_type(&mut self, id: &str) -> Result<(), CloudError> {
        let volume_type = self
            .volume_types
            .get(id)
            .ok_or_else(|| type_not_found(id))?;
        let default_deletion = || {
            CloudError::bad_request(format!(
                "The volume type {id} is a default volume type and cannot be deleted."
            ))
        };
        if self.project_default_types.values().any(|t| t == id) {
            return Err(default_deletion());
        }
        if volume_type.name == DEFAULT_VOLUME_TYPE {
            return Err(default_deletion());
        }
        if self.volume_types.len() <= 1 {
            return Err(CloudError::bad_request(format!(
                "The volume type {id} is the only currently defined volume type and cannot be deleted."
            )));
        }
        if self.volumes.values().any(|v| v.volume_type_id == id) {
            return Err(CloudError::bad_request(
                "Target volume type is still in use.",
            ));
        }
        self.volume_types.remove(id);
        Ok(())
    }

    /// Sets extra specs (create or replace each given key): 400 while volumes have the type.
    pub fn set_volume_type_extra_specs(
        &mut self,
        id: &str,
        specs: BTreeMap<String, Option<String>>,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.check_extra_specs_change(id)?;
        let volume_type = self.volume_types.get_mut(id).expect("checked above");
        volume_type.extra_specs.extend(specs);
        volume_type.updated_ms = now_ms;
        Ok(())
    }

    /// Deletes one extra spec: 404 for a key the type does not have.
    pub fn delete_volume_type_extra_spec(
        &mut self,
        id: &str,
        key: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.check_extra_specs_change(id)?;
        let volume_type = self.volume_types.get_mut(id).expect("checked above");
        if volume_type.extra_specs.remove(key).is_none() {
            return Err(CloudError::not_found(format!(
                "Volume Type {id} has no extra specs with key {key}."
            )));
        }
        volume_type.updated_ms = now_ms;
        Ok(())
    }

    /// Extra specs may change only while no volume has the type (Cinder's `_allow_update`).
    fn check_extra_specs_change(&self, id: &str) -> Result<(), CloudError> {
        if !self.volume_types.contains_key(id) {
            return Err(type_not_found(id));
        }
        if self.volumes.values().any(|v| v.volume_type_id == id) {
            return Err(CloudError::bad_request("Volume Type is currently in use."));
        }
        Ok(())
    }

    /// Gives (`grant`) or takes a project's access to a private type: 400 for a public type,
    /// 409 for access already given, 404 for access not given.
    pub fn change_volume_type_access(
        &mut self,
        id: &str,
        project_id: &str,
        grant: bool,
    ) -> Result<(), CloudError> {
        let volume_type = self
            .volume_types
            .get_mut(id)
            .ok_or_else(|| type_not_found(id))?;
        if volume_type.is_public {
            return Err(CloudError::bad_request(
                "Invalid volume type: Type access modification is not applicable to public volume type.",
            ));
        }
        let has = volume_type.projects.iter().any(|p| p == project_id);
        match (grant, has) {
            (true, true) => Err(CloudError::conflict(format!(
                "Volume type access for {id} / {project_id} combination already exists."
            ))),
            (false, false) => Err(CloudError::not_found(format!(
                "Volume type access not found for {id} / {project_id} combination."
            ))),
            (true, false) => {
                volume_type.projects.push(project_id.to_string());
                Ok(())
            }
            (false, true) => {
                volume_type.projects.retain(|p| p != project_id);
                Ok(())
            }
        }
    }

    /// Changes a volume's type (`os-retype`): `retyping`, then back to its status; the type
    /// changes only when the backend satisfies the new type (as with one LVM backend, a
    /// retype is no migration).
    pub fn retype_volume(
        &mut self,
        project_id: &str,
        volume_id: &str,
        new_type: &str,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, volume_id)?;
        let target = self.volume_type_by_name_or_id(project_id, true, new_type)?;
        let from_multiattach = self
            .volume_types
            .get(&volume.volume_type_id)
            .is_some_and(VolumeType::multiattach);
        if from_multiattach != target.multiattach() && volume.status != "available" {
            return Err(CloudError::bad_request(format!(
                "Invalid input received: Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes, the specified volume however currently has a status of: {}.",
                volume.status
            )));
        }
        if !["available", "in-use"].contains(&volume.status.as_str())
            || volume.volume_type_id == target.id
        {
            return Err(CloudError::bad_request(
                "Invalid volume: Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.",
            ));
        }
        let accepted = backend_accepts(target);
        let target_id = target.id.clone();
        let previous = volume.status.clone();
        let volume = self.volumes.get_mut(volume_id).expect("checked above");
        if accepted {
            volume.volume_type_id = target_id;
        }
        volume.set_status("retyping", clock.now_ms());
        self.schedule.at(
            clock.due(Step::VolumeCreate),
            Due::volume(volume_id, &previous),
        );
        Ok(())
    }

    /// Sets a project's default type (`PUT /default-types/{project}`).
    pub fn set_project_default_type(
        &mut self,
        project_id: &str,
        type_id: &str,
    ) -> Result<(), CloudError> {
        if !self.volume_types.contains_key(type_id) {
            return Err(type_not_found(type_id));
        }
        self.project_default_types
            .insert(project_id.to_string(), type_id.to_string());
        Ok(())
    }
}
