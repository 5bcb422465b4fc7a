//! Cinder volume snapshots: the `force` rules for in-use volumes, and deletion rules.

use std::{collections::BTreeMap, sync::Arc};

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::{
    new_id,
    project_resource::{of_project, ProjectResource},
    CloudState, Disk, Due, Fate,
};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// A volume snapshot as Cinder stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub id: String,
    /// Shared with the cloud's other records that name them ([`CloudState::share`]).
    pub project_id: Arc<str>,
    pub user_id: Arc<str>,
    pub volume_id: Arc<str>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub size: u32,
    /// Held inline, not allocated.
    pub status: CompactString,
    pub metadata: BTreeMap<String, String>,
    /// Progress reported through `os-update_snapshot_status` (otherwise derived from status);
    /// sized to fit, so that a snapshot stays within 224 bytes.
    pub progress: Option<Box<str>>,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// Creation order, to tell the latest snapshot of a volume when times are equal.
    #[serde(skip)]
    pub seq: u64,
    /// What the volume held when the snapshot was taken.
    #[serde(default)]
    pub content: Disk,
}

impl Snapshot {
    /// Moves to `status`, stamping the change.
    pub fn set_status(&mut self, status: &str, now_ms: u64) {
        self.status = status.into();
        self.updated_ms = now_ms;
    }
}

impl ProjectResource for Snapshot {
    fn project_id(&self) -> &str {
        &self.project_id
    }
    fn not_found(id: &str) -> CloudError {
        CloudError::not_found(format!("Snapshot {id} could not be found."))
    }
}

/// The parts of a create request the rules need.
#[derive(Clone, Debug, Default)]
pub struct SnapshotRequest {
    pub volume_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `None` when the request did not carry `force`.
    pub force: Option<bool>,
    pub metadata: BTreeMap<String, String>,
}

/// Cinder's snapshot statuses (`SnapshotStatus`).
const SNAPSHOT_STATUSES: [&str; 10] = [
    "creating",
    "available",
    "deleting",
    "deleted",
    "error",
    "error_deleting",
    "updating",
    "unmanaging",
    "backing-up",
    "restoring",
];

/// Microversion from which snapshots of in-use volumes need no `force`.
pub const FORCE_NOT_NEEDED_FROM: (u32, u32) = (3, 66);

impl CloudState {
    /// Creates a snapshot in status `creating`; it becomes `available` (or `error`) when due.
    pub fn create_snapshot(
        &mut self,
        project_id: &str,
        user_id: &str,
        request: SnapshotRequest,
        microversion: (u32, u32),
        fate: Fate,
        clock: &Clock,
    ) -> Result<Snapshot, CloudError> {
        let volume = self.project_volume(project_id, &request.volume_id)?;
        let allowed_in_use = if microversion >= FORCE_NOT_NEEDED_FROM {
            if request.force == Some(false) {
                return Err(CloudError::bad_request(
                    "Since microversion 3.66 the 'force' flag is invalid for this request. For backward compatibility, however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.",
                ));
            }
            true
        } else {
            request.force == Some(true)
        };
        let status_ok =
            volume.status == "available" || (allowed_in_use && volume.status == "in-use");
        if !status_ok {
            let expected = if allowed_in_use {
                "available or in-use"
            } else {
                "available"
            };
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {} status must be {expected}, but current status is: {}.",
                volume.id, volume.status
            )));
        }
        let size = volume.size;
        self.check_snapshot_quota(project_id, size)?;
        let now = clock.now_ms();
        let content = self.volume_disk_now(&request.volume_id, now);
        self.snapshot_seq += 1;
        let seq = self.snapshot_seq;
        let snapshot = Snapshot {
            id: new_id(),
            project_id: self.share(project_id),
            user_id: self.share(user_id),
            volume_id: self.share(&request.volume_id),
            name: request.name,
            description: request.description,
            size,
            status: "creating".into(),
            metadata: request.metadata,
            progress: None,
            created_ms: now,
            updated_ms: now,
            seq,
            content,
        };
        self.schedule.fated(
            clock.due(Step::SnapshotCreate),
            fate,
            Due::snapshot(&snapshot.id, "available"),
            Due::snapshot(&snapshot.id, "error"),
        );
        self.add_snapshot(snapshot.clone());
        Ok(snapshot)
    }

    /// A snapshot of the project, or Cinder's 404.
    pub fn project_snapshot(&self, project_id: &str, id: &str) -> Result<&Snapshot, CloudError> {
        of_project(self.snapshots.get(id).map(Box::as_ref), project_id, id)
    }

    /// A snapshot of the project, to change its name, description or metadata.
    pub fn own_snapshot_mut(
        &mut self,
        project_id: &str,
        id: &str,
    ) -> Result<&mut Snapshot, CloudError> {
        of_project(self.snapshots.get_mut(id).map(Box::as_mut), project_id, id)
    }

    /// Deletes a snapshot (202): only from `available` or `error`.
    pub fn delete_snapshot(
        &mut self,
        project_id: &str,
        id: &str,
        fate: Fate,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let snapshot = self.project_snapshot(project_id, id)?;
        if snapshot.status != "available" && snapshot.status != "error" {
            return Err(CloudError::bad_request(
                "Invalid snapshot: Snapshot status must be available or error and must not be part of a group.",
            ));
        }
        self.start_snapshot_delete(id, fate, clock);
        Ok(())
    }

    /// `os-reset_status` (admin): sets any snapshot status, cancelling what was due.
    pub fn reset_snapshot_status(
        &mut self,
        project_id: &str,
        id: &str,
        status: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.project_snapshot(project_id, id)?;
        if !SNAPSHOT_STATUSES.contains(&status) {
            return Err(CloudError::bad_request(format!(
                "Invalid input received: Must specify a valid status, got {status}"
            )));
        }
        self.force_snapshot_status(id, status, now_ms);
        Ok(())
    }

    /// `os-update_snapshot_status` (what a volume driver reports): from `creating` to
    /// `creating`, `available` or `error`, from `deleting` to `deleting` or `error_deleting`,
    /// with an optional progress such as `"80%"`.
    pub fn update_snapshot_status(
        &mut self,
        project_id: &str,
        id: &str,
        status: &str,
        progress: Option<String>,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let current = self.project_snapshot(project_id, id)?.status.clone();
        let allowed: &[&str] = match current.as_str() {
            "creating" => &["creating", "available", "error"],
            "deleting" => &["deleting", "error_deleting"],
            _ => {
                return Err(CloudError::bad_request(format!(
                    "Invalid input received: Snapshot status {current} not allowed for update_snapshot_status"
                )))
            }
        };
        if !allowed.contains(&status) {
            return Err(CloudError::bad_request(format!(
                "Invalid input received: Provided snapshot status {status} not allowed for snapshot with status {current}."
            )));
        }
        let snapshot = self.force_snapshot_status(id, status, now_ms);
        if progress.is_some() {
            snapshot.progress = progress.map(Into::into);
        }
        Ok(())
    }

    /// Sets the status of a snapshot the caller found outright (an admin's reset, a driver's
    /// report): what was due for it no longer happens.
    fn force_snapshot_status(&mut self, id: &str, status: &str, now_ms: u64) -> &mut Snapshot {
        self.schedule.cancel_for(id);
        let snapshot = self.snapshots.get_mut(id).expect("checked above");
        snapshot.set_status(status, now_ms);
        snapshot
    }

    /// `os-force_delete` (admin): deletes from any status.
    pub fn force_delete_snapshot(
        &mut self,
        project_id: &str,
        id: &str,
        fate: Fate,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        self.project_snapshot(project_id, id)?;
        self.start_snapshot_delete(id, fate, clock);
        Ok(())
    }

    /// Moves a snapshot to `deleting` and schedules its disappearance (or `error_deleting`).
    pub(super) fn start_snapshot_delete(&mut self, id: &str, fate: Fate, clock: &Clock) {
        let now = clock.now_ms();
        self.schedule.cancel_for(id);
        if let Some(snapshot) = self.snapshots.get_mut(id) {
            snapshot.set_status("deleting", now);
        }
        self.schedule.fated(
            clock.due(Step::SnapshotDelete),
            fate,
            Due::SnapshotGone { id: id.to_string() },
            Due::snapshot(id, "error_deleting"),
        );
    }
}
