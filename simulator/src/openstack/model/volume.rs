//! Cinder volumes: creation (blank, from an image, from a snapshot), attachment state,
//! deletion rules and revert-to-snapshot rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    backend_accepts,
    field_change::set_if_given,
    new_id,
    project_resource::{of_project, ProjectResource},
    AttachStatus, CloudState, Disk, Due, Fate,
};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// A volume as Cinder stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub project_id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub size: u32,
    pub status: String,
    pub bootable: bool,
    pub snapshot_id: Option<String>,
    /// The volume this one was cloned from.
    pub source_volid: Option<String>,
    /// `(image id, image name)` when created from a Glance image.
    pub image: Option<(String, String)>,
    pub metadata: BTreeMap<String, String>,
    pub volume_type_id: String,
    /// The `readonly` flag of the volume's admin metadata, once set (by
    /// `os-update_readonly_flag` or the first `os-attach`).
    pub readonly: Option<bool>,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// What the volume holds.
    #[serde(default)]
    pub content: Disk,
}

impl ProjectResource for Volume {
    fn project_id(&self) -> &str {
        &self.project_id
    }
    fn not_found(id: &str) -> CloudError {
        CloudError::not_found(format!("Volume {id} could not be found."))
    }
}

impl Volume {
    /// Moves to `status`, stamping the change.
    pub fn set_status(&mut self, status: &str, now_ms: u64) {
        self.status = status.to_string();
        self.updated_ms = now_ms;
    }
}

/// What an update may change; `Some(None)` clears a name or description.
#[derive(Clone, Debug, Default)]
pub struct VolumeChanges {
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub metadata: Option<BTreeMap<String, String>>,
}

/// How a volume is deleted.
#[derive(Clone, Copy, Debug, Default)]
pub struct VolumeDeletion {
    /// Delete its snapshots too.
    pub cascade: bool,
    /// Whatever its status (the admin's `os-force_delete`).
    pub force: bool,
}

/// The parts of a create request the rules need.
#[derive(Clone, Debug, Default)]
pub struct VolumeRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub size: Option<u32>,
    pub snapshot_id: Option<String>,
    pub image_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// A volume type by name or id; else the source volume's or snapshot's, else the
    /// project's default.
    pub volume_type: Option<String>,
    /// Clone this volume.
    pub source_volid: Option<String>,
    /// The caller is the cloud admin (who may use every volume type).
    pub admin: bool,
}

/// Statuses from which Cinder lets a volume be deleted.
const DELETABLE: [&str; 5] = [
    "available",
    "error",
    "error_restoring",
    "error_extending",
    "error_managing",
];

impl CloudState {
    /// Creates a volume in status `creating`; it becomes `available` (or `error`) when due.
    pub fn create_volume(
        &mut self,
        project_id: &str,
        user_id: &str,
        request: VolumeRequest,
        fate: Fate,
        clock: &Clock,
    ) -> Result<Volume, CloudError> {
        let explicit_type = match &request.volume_type {
            Some(wanted) => Some(
                self.volume_type_by_name_or_id(project_id, request.admin, wanted)?
                    .id
                    .clone(),
            ),
            None => None,
        };
        let mut inherited_type = None;
        let mut bootable = false;
        let mut image = None;
        let mut content = Disk::default();
        let size = if let Some(source_id) = &request.source_volid {
            let source = self.project_volume(project_id, source_id)?;
            if source.status != "available" && source.status != "in-use" {
                return Err(CloudError::bad_request(format!(
                    "Invalid volume: Unable to create a volume from an originating source volume when its status is not 'available' or 'in-use' (status: {}).",
                    source.status
                )));
            }
            let size = request.size.unwrap_or(source.size);
            if size < source.size {
                return Err(CloudError::bad_request(format!(
                    "Invalid input received: Volume size '{size}'GB cannot be smaller than original volume size {}GB. They must be >= original volume size.",
                    source.size
                )));
            }
            bootable = source.bootable;
            image = source.image.clone();
            inherited_type = Some(source.volume_type_id.clone());
            content = self.volume_disk_now(source_id, clock.now_ms());
            size
        } else if let Some(snapshot_id) = &request.snapshot_id {
            let snapshot = self.project_snapshot(project_id, snapshot_id)?;
            if snapshot.status != "available" {
                return Err(CloudError::bad_request(
                    "Invalid snapshot: Originating snapshot status must be one of 'available' values",
                ));
            }
            let size = request.size.unwrap_or(snapshot.size);
            if size < snapshot.size {
                return Err(CloudError::bad_request(format!(
                    "Invalid input received: Volume size '{size}'GB cannot be smaller than the snapshot size {}GB. They must be >= original snapshot size.",
                    snapshot.size
                )));
            }
            content = snapshot.content.clone();
            if let Some(source) = self.volumes.get(&*snapshot.volume_id) {
                bootable = source.bootable;
                image = source.image.clone();
                inherited_type = Some(source.volume_type_id.clone());
            }
            size
        } else if let Some(image_id) = &request.image_id {
            let found = self.visible_image(project_id, image_id).ok_or_else(|| {
                CloudError::bad_request(format!(
                    "Invalid image identifier or unable to access requested image. (image {image_id})"
                ))
            })?;
            if found.status != "active" {
                return Err(CloudError::bad_request(format!(
                    "Invalid input received: Image {image_id} is not active."
                )));
            }
            let min = found.min_disk.max(found.size_gb());
            let size = request.size.ok_or_else(|| {
                CloudError::bad_request("Invalid input received: Size must be specified.")
            })?;
            if size < min {
                return Err(CloudError::bad_request(format!(
                    "Invalid input received: Image minDisk size {min} is larger than the volume size {size}."
                )));
            }
            bootable = true;
            image = Some((found.id.clone(), found.name.clone().unwrap_or_default()));
            content = found.content.clone().unwrap_or_default();
            size
        } else {
            match request.size {
                Some(size) if size > 0 => size,
                _ => return Err(CloudError::bad_request(
                    "Invalid input received: Volume size must be an integer and greater than 0.",
                )),
            }
        };
        let volume_type_id = match explicit_type.or(inherited_type) {
            Some(id) => id,
            None => self.default_volume_type(project_id)?.id.clone(),
        };
        // No key manager: an encrypted type's key cannot be made.
        if self
            .volume_types
            .get(&volume_type_id)
            .is_some_and(|t| t.encryption.is_some())
        {
            return Err(CloudError::bad_request("Key manager error"));
        }
        // The scheduler finds no backend for a type the LVM backend does not satisfy, nor
        // while the volume service is disabled.
        let schedulable = self.volume_service_enabled()
            && self
                .volume_types
                .get(&volume_type_id)
                .is_some_and(backend_accepts);
        let fate = if schedulable { fate } else { Fate::Fails };
        self.check_volume_quota(project_id, size)?;
        let now = clock.now_ms();
        let volume = Volume {
            id: new_id(),
            project_id: project_id.to_string(),
            user_id: user_id.to_string(),
            name: request.name,
            description: request.description,
            size,
            status: "creating".to_string(),
            bootable,
            snapshot_id: request.snapshot_id,
            source_volid: request.source_volid,
            image,
            metadata: request.metadata,
            volume_type_id,
            readonly: None,
            created_ms: now,
            updated_ms: now,
            content,
        };
        self.schedule_volume_status(&volume.id, fate, "available", clock.due(Step::VolumeCreate));
        self.add_volume(volume.clone());
        Ok(volume)
    }

    fn schedule_volume_status(&mut self, id: &str, fate: Fate, target: &str, at_ms: u64) {
        let (normal, fails) = (Due::volume(id, target), Due::volume(id, "error"));
        self.schedule.fated(at_ms, fate, normal, fails);
    }

    /// A volume of the project, or Cinder's 404.
    pub fn project_volume(&self, project_id: &str, id: &str) -> Result<&Volume, CloudError> {
        of_project(self.volumes.get(id), project_id, id)
    }

    /// Changes a volume's name, description or metadata (what `PUT /volumes/{id}` may change);
    /// `None` leaves a field as it is, and given metadata replaces the old.
    pub fn update_volume(
        &mut self,
        project_id: &str,
        id: &str,
        changes: VolumeChanges,
        now_ms: u64,
    ) -> Result<&Volume, CloudError> {
        self.project_volume(project_id, id)?;
        let volume = self.volumes.get_mut(id).expect("checked above");
        set_if_given(&mut volume.name, changes.name);
        set_if_given(&mut volume.description, changes.description);
        set_if_given(&mut volume.metadata, changes.metadata);
        volume.updated_ms = now_ms;
        Ok(volume)
    }

    /// Deletes a volume (202): refused while attached, in a busy status (unless `force`, the
    /// admin's `os-force_delete`) or holding snapshots (unless `cascade`, which deletes its
    /// snapshots too).
    pub fn delete_volume(
        &mut self,
        project_id: &str,
        id: &str,
        VolumeDeletion { cascade, force }: VolumeDeletion,
        fate: Fate,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        let has_snapshots = self.snapshots.values().any(|s| &*s.volume_id == id);
        let attached = self
            .volume_attachments(id)
            .iter()
            .any(|a| a.attach_status == AttachStatus::Attached);
        let status_ok = force || DELETABLE.contains(&volume.status.as_str());
        if !status_ok || attached || (has_snapshots && !cascade) {
            let status = if force {
                String::new()
            } else {
                format!("status must be {} and", DELETABLE.join(" or "))
            };
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {status} must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."
            )));
        }
        if cascade {
            let snapshot_ids: Vec<String> = self
                .snapshots
                .values()
                .filter(|s| &*s.volume_id == id)
                .map(|s| s.id.clone())
                .collect();
            for snapshot_id in snapshot_ids {
                self.start_snapshot_delete(&snapshot_id, Fate::Normal, clock);
            }
        }
        let now = clock.now_ms();
        self.schedule.cancel_for(id);
        if let Some(volume) = self.volumes.get_mut(id) {
            volume.set_status("deleting", now);
        }
        self.schedule.fated(
            clock.due(Step::VolumeDelete),
            fate,
            Due::VolumeGone { id: id.to_string() },
            Due::volume(id, "error_deleting"),
        );
        Ok(())
    }

    /// Extends a detached volume (`os-extend`): `extending`, then `available` at the new size.
    pub fn extend_volume(
        &mut self,
        project_id: &str,
        id: &str,
        new_size: u32,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        if volume.status != "available" {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {id} status must be available to extend, but current status is: {}.",
                volume.status
            )));
        }
        if new_size <= volume.size {
            return Err(CloudError::bad_request(format!(
                "Invalid input received: New size for extend must be greater than current size. (current: {}, extended: {new_size}).",
                volume.size
            )));
        }
        self.check_extend_quota(project_id, volume.size, new_size)?;
        self.resize_volume(id, new_size);
        let volume = self.volumes.get_mut(id).expect("checked above");
        volume.set_status("extending", clock.now_ms());
        self.schedule_volume_status(id, Fate::Normal, "available", clock.due(Step::VolumeCreate));
        Ok(())
    }

    /// `os-reserve` (`available` -> `attaching`) or `os-unreserve` (`attaching` -> `available`),
    /// the steps a compute service takes around an attachment.
    pub fn reserve_volume(
        &mut self,
        project_id: &str,
        id: &str,
        reserve: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        let (from, to) = if reserve {
            ("available", "attaching")
        } else {
            ("attaching", "available")
        };
        if volume.status != from {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume status must be {from} to {}, but the status is {}.",
                if reserve { "reserve" } else { "unreserve" },
                volume.status
            )));
        }
        let volume = self.volumes.get_mut(id).expect("checked above");
        volume.set_status(to, now_ms);
        Ok(())
    }

    /// Reverts a volume to its latest snapshot (Cinder `revert` action, microversion 3.40+).
    pub fn revert_volume(
        &mut self,
        project_id: &str,
        id: &str,
        snapshot_id: &str,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        let latest = self
            .snapshots
            .values()
            .filter(|s| &*s.volume_id == id)
            .max_by_key(|s| (s.created_ms, s.seq));
        let Some(latest) = latest else {
            return Err(CloudError::bad_request(format!(
                "Volume {id} doesn't have any snapshots."
            )));
        };
        if latest.id != snapshot_id {
            return Err(CloudError::bad_request(format!(
                "Specified snapshot {snapshot_id} is None or not the latest one of volume {id}."
            )));
        }
        if latest.size != volume.size {
            return Err(CloudError::bad_request(format!(
                "Volume {id}'s size {}G doesn't match the snapshot {snapshot_id}'s size {}G.",
                volume.size, latest.size
            )));
        }
        if volume.status != "available" {
            return Err(CloudError::conflict(format!(
                "Can't revert volume {id} to snapshot {snapshot_id}. Volume's status must be 'available'."
            )));
        }
        if latest.status != "available" {
            return Err(CloudError::conflict(format!(
                "Can't revert volume {id} to snapshot {snapshot_id}. Snapshot's status must be 'available'."
            )));
        }
        let now = clock.now_ms();
        let at = clock.due(Step::VolumeCreate);
        let content = latest.content.clone();
        if let Some(volume) = self.volumes.get_mut(id) {
            volume.set_status("reverting", now);
            volume.content = content;
        }
        if let Some(snapshot) = self.snapshots.get_mut(snapshot_id) {
            snapshot.set_status("restoring", now);
        }
        self.schedule.at(at, Due::volume(id, "available"));
        self.schedule
            .at(at, Due::snapshot(snapshot_id, "available"));
        Ok(())
    }
}
