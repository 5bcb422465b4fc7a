//! Cinder's `os-volume_upload_image`: a Glance image made from a volume. The volume is
//! `uploading` while the image goes `queued` -> `saving` -> `active`, then back to the status
//! it had.

use super::{CloudState, Due, Fate, Image, ImageRequest};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// What an upload asks for.
#[derive(Clone, Debug, Default)]
pub struct VolumeUpload {
    pub image_name: String,
    pub disk_format: String,
    pub container_format: String,
    /// `None` before microversion 3.1: Glance's default visibility.
    pub visibility: Option<String>,
    pub protected: bool,
}

impl CloudState {
    /// Starts uploading an available volume to a new image of the project (an in-use one is
    /// refused whatever `force` says: this Cinder has `enable_force_upload` off).
    pub fn upload_volume_to_image(
        &mut self,
        project_id: &str,
        volume_id: &str,
        upload: VolumeUpload,
        fate: Fate,
        clock: &Clock,
    ) -> Result<Image, CloudError> {
        let volume = self.project_volume(project_id, volume_id)?;
        if volume.status != "available" {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {volume_id} status must be available"
            )));
        }
        let previous_status = volume.status.clone();
        let now = clock.now_ms();
        let image = self
            .create_image(
                project_id,
                ImageRequest {
                    name: Some(upload.image_name),
                    visibility: upload.visibility,
                    protected: upload.protected,
                    disk_format: Some(upload.disk_format),
                    container_format: Some(upload.container_format),
                    ..ImageRequest::default()
                },
                now,
            )
            .map_err(|error| CloudError::bad_request(error.message))?;
        let volume = self.volumes.get_mut(volume_id).expect("checked above");
        volume.set_status("uploading", now);
        if fate != Fate::Stuck {
            self.schedule.at(
                clock.due(Step::ImageQueued),
                Due::Image {
                    id: image.id.clone(),
                    status: "saving".to_string(),
                },
            );
            self.schedule.at(
                clock.due(Step::ImageQueued) + self.profile.duration_ms(Step::ImageUpload),
                Due::VolumeUploaded {
                    volume_id: volume_id.to_string(),
                    image_id: image.id.clone(),
                    status: previous_status,
                    succeeded: fate == Fate::Normal,
                },
            );
        }
        Ok(image)
    }

    /// Ends an upload: the image active with the volume's size (or deleted when the upload
    /// failed, as Cinder cleans up), the volume back in `status`.
    pub(super) fn finish_volume_upload(
        &mut self,
        volume_id: &str,
        image_id: &str,
        status: &str,
        succeeded: bool,
        now_ms: u64,
    ) {
        let Some(volume) = self.volumes.get_mut(volume_id) else {
            return;
        };
        volume.set_status(status, now_ms);
        let disk = volume.content.clone();
        if !succeeded {
            self.take_image(image_id);
            return;
        }
        if let Some(image) = self.images.get_mut(image_id) {
            image.status = "active".into();
            image.set_content(disk);
            image.updated_ms = now_ms;
        }
    }
}
