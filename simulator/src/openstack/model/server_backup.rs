//! Nova's `createBackup`: a snapshot image of an image-backed server marked as a backup of a
//! given type, and the rotation that keeps only the newest `rotation` backups of that type.

use std::collections::BTreeMap;

use super::{CloudState, CreateImageOutcome, Fate};
use crate::openstack::{clock::Clock, error::CloudError};

/// What a `createBackup` asks for.
#[derive(Clone, Debug)]
pub struct BackupRequest {
    pub name: String,
    pub backup_type: String,
    pub rotation: u32,
    pub metadata: BTreeMap<String, String>,
}

impl CloudState {
    /// Creates the backup image (as `createImage` does) and deletes the oldest backups of the
    /// same server and type beyond `rotation`.
    pub fn backup_server(
        &mut self,
        project_id: &str,
        server_id: &str,
        request: BackupRequest,
        fate: Fate,
        clock: &Clock,
    ) -> Result<CreateImageOutcome, CloudError> {
        if self
            .project_server(project_id, server_id)?
            .image_id
            .is_none()
        {
            return Err(CloudError::bad_request(
                "Backup is not supported for volume-backed instances.",
            ));
        }
        let outcome = self.create_server_image(
            project_id,
            server_id,
            &request.name,
            request.metadata,
            (fate, fate),
            clock,
        )?;
        if let Some(image) = self.images.get_mut(&outcome.image_id) {
            image
                .properties
                .insert("image_type".to_string(), "backup".to_string());
            image
                .properties
                .insert("backup_type".to_string(), request.backup_type.clone());
        }
        let mut older: Vec<(u64, String)> = self
            .images
            .values()
            .filter(|i| i.id != outcome.image_id)
            .filter(|i| i.properties.get("instance_uuid").map(String::as_str) == Some(server_id))
            .filter(|i| i.properties.get("image_type").map(String::as_str) == Some("backup"))
            .filter(|i| i.properties.get("backup_type") == Some(&request.backup_type))
            .map(|i| (i.created_ms, i.id.clone()))
            .collect();
        // Newest first; the new backup counts as the newest of all.
        older.sort_by(|a, b| b.cmp(a));
        let keep = (request.rotation as usize).saturating_sub(1);
        for (_, id) in older.into_iter().skip(keep) {
            self.schedule.cancel_for(&id);
            self.take_image(&id);
        }
        Ok(outcome)
    }
}
