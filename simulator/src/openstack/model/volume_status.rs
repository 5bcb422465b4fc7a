//! Volume status changes outside creation and deletion: the read-only flag, the detaching
//! steps a compute service takes (`os-begin_detaching`, `os-roll_detaching`) and the admin's
//! `os-reset_status`.

use super::CloudState;
use crate::openstack::error::CloudError;

/// Every status `os-reset_status` may set (Cinder's `VolumeStatus`).
const VOLUME_STATUSES: [&str; 22] = [
    "creating",
    "available",
    "deleting",
    "error",
    "error_deleting",
    "error_managing",
    "managing",
    "attaching",
    "in-use",
    "detaching",
    "maintenance",
    "restoring-backup",
    "error_restoring",
    "reserved",
    "awaiting-transfer",
    "backing-up",
    "error_backing-up",
    "error_extending",
    "downloading",
    "uploading",
    "retyping",
    "extending",
];

/// What `os-reset_status` asks for.
#[derive(Clone, Debug, Default)]
pub struct StatusReset {
    pub status: Option<String>,
    /// `attached` or `detached` (which removes every attachment).
    pub attach_status: Option<String>,
}

impl CloudState {
    /// Sets the read-only flag of an available volume.
    pub fn set_volume_readonly(
        &mut self,
        project_id: &str,
        id: &str,
        readonly: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        if volume.status != "available" {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {id} status must be available to update readonly flag, but the current status is: {}.",
                volume.status
            )));
        }
        let volume = self.volumes.get_mut(id).expect("checked above");
        volume.readonly = Some(readonly);
        volume.updated_ms = now_ms;
        Ok(())
    }

    /// `os-begin_detaching` (`in-use` -> `detaching`) or `os-roll_detaching` (back).
    pub fn set_volume_detaching(
        &mut self,
        project_id: &str,
        id: &str,
        detaching: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let volume = self.project_volume(project_id, id)?;
        let attached = !self.volume_attachments(id).is_empty();
        let (from, to) = if detaching {
            ("in-use", "detaching")
        } else {
            ("detaching", "in-use")
        };
        if volume.status != from || !attached {
            if !detaching {
                // Cinder rolls back only what is detaching, silently.
                return Ok(());
            }
            return Err(CloudError::bad_request(
                "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
            ));
        }
        let volume = self.volumes.get_mut(id).expect("checked above");
        volume.set_status(to, now_ms);
        Ok(())
    }

    /// The admin's `os-reset_status`: any status but `deleting`, `in-use` only with
    /// attachments; `attach_status: detached` removes every attachment.
    pub fn reset_volume_status(
        &mut self,
        project_id: &str,
        id: &str,
        reset: StatusReset,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.project_volume(project_id, id)?;
        let status = reset.status.map(|s| s.to_lowercase());
        if let Some(status) = &status {
            if !VOLUME_STATUSES.contains(&status.as_str()) {
                return Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute status. Volume status: {status} is invalid, valid statuses are: {VOLUME_STATUSES:?}."
                )));
            }
            if status == "deleting" {
                return Err(CloudError::bad_request("Cannot reset-state to deleting"));
            }
            if status == "in-use" && self.volume_attachments(id).is_empty() {
                return Err(CloudError::bad_request(
                    "Cannot reset-state to in-use because volume does not have any attachments.",
                ));
            }
        }
        let attach_status = reset.attach_status.map(|s| s.to_lowercase());
        if let Some(attach) = attach_status.as_deref() {
            if attach != "attached" && attach != "detached" {
                return Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute attach_status. Volume attach status: {attach} is invalid, valid statuses are: ['attached', 'detached']."
                )));
            }
        }
        self.schedule.cancel_for(id);
        if let Some(status) = status {
            let volume = self.volumes.get_mut(id).expect("checked above");
            volume.set_status(&status, now_ms);
        }
        if attach_status.as_deref() == Some("detached") {
            let attachments: Vec<String> = self
                .volume_attachments(id)
                .iter()
                .map(|a| a.id.clone())
                .collect();
            for attachment in attachments {
                self.delete_attachment(&attachment, now_ms);
            }
        }
        Ok(())
    }
}
