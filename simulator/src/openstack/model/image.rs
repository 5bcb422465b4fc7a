//! Glance images: creation, upload, the queued -> saving -> active progression, visibility,
//! protection and deletion.

use std::sync::Arc;

use compact_str::CompactString;

use serde::{Deserialize, Serialize};

use super::{image_digests, new_id, CloudState, Disk, Due, Fate, ImageMember, ImageProperties};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// An image as Glance stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub owner: String,
    pub name: Option<String>,
    /// Short words (status, visibility, formats) are held inline, not allocated.
    pub status: CompactString,
    pub visibility: CompactString,
    pub protected: bool,
    pub os_hidden: bool,
    pub size: Option<u64>,
    /// MD5 of the image's data, once it has data.
    pub checksum: Option<Arc<str>>,
    /// SHA-512 of the image's data (Glance's `os_hash_algo`), once it has data.
    #[serde(default)]
    pub os_hash_value: Option<Arc<str>>,
    pub disk_format: Option<CompactString>,
    pub container_format: Option<CompactString>,
    pub min_disk: u32,
    pub min_ram: u32,
    pub tags: Vec<String>,
    /// Extra properties, all strings as Glance stores them.
    pub properties: ImageProperties,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// Part of the cloud's initial content (kept by a project reset, not counted in quotas).
    pub seeded: bool,
    /// The projects a `shared` image is shared with.
    pub members: Vec<ImageMember>,
    /// The disk this image holds (an image-backed server's snapshot, the base image): its data
    /// is the content's document.
    #[serde(default)]
    pub content: Option<Disk>,
    /// The uploaded data (server snapshots carry none).
    #[serde(skip)]
    pub data: Option<bytes::Bytes>,
    /// For a server snapshot in progress: the server and how the upload ends (boxed: set only
    /// while it uploads, and an image stays within 384 bytes).
    #[serde(skip)]
    pub upload: Option<Box<(String, Fate)>>,
}

impl Image {
    /// Moves to `status`, stamping the change.
    pub fn set_status(&mut self, status: &str, now_ms: u64) {
        self.status = status.into();
        self.updated_ms = now_ms;
    }

    /// Size in whole GiB, rounded up (what a volume made from it needs at least).
    pub fn size_gb(&self) -> u32 {
        let gib = 1u64 << 30;
        self.size.map(|s| s.div_ceil(gib) as u32).unwrap_or(0)
    }

    /// The image's data: the uploaded bytes, or the document of the disk it holds once active.
    pub fn bytes(&self) -> Option<bytes::Bytes> {
        match (&self.data, &self.content) {
            (Some(data), _) => Some(data.clone()),
            (None, Some(content)) if self.checksum.is_some() => Some(content.image_bytes()),
            _ => None,
        }
    }

    /// Stores uploaded data with its size and digests, as Glance does when it receives them.
    pub fn set_data(&mut self, data: bytes::Bytes) {
        self.set_digests_of(&data);
        self.data = Some(data);
    }

    /// Holds `disk` as its content, with the size and digests of the content's document, as
    /// Glance records them when a disk's data arrives.
    pub(super) fn set_content(&mut self, disk: Disk) {
        self.set_digests_of(&disk.image_bytes());
        self.content = Some(disk);
    }

    /// Sets the size and digests of the image's data.
    fn set_digests_of(&mut self, data: &[u8]) {
        let digests = image_digests(data);
        self.size = Some(data.len() as u64);
        self.checksum = Some(digests.checksum);
        self.os_hash_value = Some(digests.os_hash_value);
    }
}

/// The parts of a create request the rules need.
#[derive(Clone, Debug, Default)]
pub struct ImageRequest {
    pub id: Option<String>,
    pub name: Option<String>,
    pub visibility: Option<String>,
    pub protected: bool,
    pub disk_format: Option<String>,
    pub container_format: Option<String>,
    pub min_disk: u32,
    pub min_ram: u32,
    pub tags: Vec<String>,
    pub properties: ImageProperties,
    pub os_hidden: bool,
    /// Another project to own the image (the cloud admin's privilege).
    pub owner: Option<String>,
}

const VISIBILITIES: [&str; 4] = ["public", "private", "shared", "community"];

/// Glance's default `disk_formats` and `container_formats`.
const DISK_FORMATS: [&str; 11] = [
    "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop",
];
const CONTAINER_FORMATS: [&str; 8] = [
    "ami",
    "ari",
    "aki",
    "bare",
    "ovf",
    "ova",
    "docker",
    "compressed",
];

/// Refuses formats outside Glance's configured lists (400).
pub fn check_formats(disk: Option<&str>, container: Option<&str>) -> Result<(), CloudError> {
    if let Some(disk) = disk.filter(|d| !DISK_FORMATS.contains(d)) {
        return Err(CloudError::bad_request(format!(
            "Invalid disk format '{disk}' for image."
        )));
    }
    if let Some(container) = container.filter(|c| !CONTAINER_FORMATS.contains(c)) {
        return Err(CloudError::bad_request(format!(
            "Invalid container format '{container}' for image."
        )));
    }
    Ok(())
}

/// Properties named `os_glance_*` belong to Glance itself (403 when a user sets them).
pub fn check_reserved(key: &str) -> Result<(), CloudError> {
    if key.starts_with("os_glance") {
        return Err(CloudError::forbidden(format!(
            "Attribute '{key}' is reserved."
        )));
    }
    Ok(())
}

impl CloudState {
    /// An image the project may see: its own, public or community ones, and shared ones it is
    /// a member of (whatever its answer).
    pub fn visible_image(&self, project_id: &str, id: &str) -> Option<&Image> {
        self.images.get(id).map(Box::as_ref).filter(|i| {
            i.owner == project_id
                || i.visibility == "public"
                || i.visibility == "community"
                || (i.visibility == "shared" && i.member(project_id).is_some())
        })
    }

    /// An image the project owns, to change it.
    pub fn own_image_mut(&mut self, project_id: &str, id: &str) -> Option<&mut Image> {
        self.images
            .get_mut(id)
            .map(Box::as_mut)
            .filter(|i| i.owner == project_id)
    }

    /// Adds (`add`) or removes a tag of one of the project's images.
    pub fn tag_image(
        &mut self,
        project_id: &str,
        id: &str,
        tag: &str,
        add: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let image = self
            .own_image_mut(project_id, id)
            .ok_or_else(|| CloudError::not_found(format!("No image found with ID {id}")))?;
        if add {
            if !image.tags.iter().any(|t| t == tag) {
                image.tags.push(tag.to_string());
            }
        } else {
            let before = image.tags.len();
            image.tags.retain(|t| t != tag);
            if image.tags.len() == before {
                return Err(CloudError::not_found(format!("Tag {tag} not found")));
            }
        }
        image.updated_ms = now_ms;
        Ok(())
    }

    /// Deactivates an active image (its data can no longer be downloaded) or reactivates a
    /// deactivated one; the owner or the cloud admin may.
    pub fn set_image_active(
        &mut self,
        project_id: &str,
        admin: bool,
        id: &str,
        active: bool,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let image = self
            .images
            .get_mut(id)
            .filter(|i| admin || i.owner == project_id)
            .ok_or_else(|| CloudError::not_found(format!("No image found with ID {id}")))?;
        let (from, to, verb) = if active {
            ("deactivated", "active", "reactivate")
        } else {
            ("active", "deactivated", "deactivate")
        };
        if image.status != from && image.status != to {
            return Err(CloudError::forbidden(format!(
                "Not allowed to {verb} image in status '{}'",
                image.status
            )));
        }
        image.set_status(to, now_ms);
        Ok(())
    }

    /// Creates an image record in status `queued` (Glance `POST /v2/images`).
    pub fn create_image(
        &mut self,
        project_id: &str,
        request: ImageRequest,
        now_ms: u64,
    ) -> Result<Image, CloudError> {
        let visibility = request.visibility.unwrap_or_else(|| "shared".to_string());
        if !VISIBILITIES.contains(&visibility.as_str()) {
            return Err(CloudError::bad_request(format!(
                "Invalid visibility value: {visibility}"
            )));
        }
        check_formats(
            request.disk_format.as_deref(),
            request.container_format.as_deref(),
        )?;
        if let Some(id) = &request.id {
            if self.images.contains_key(id) {
                return Err(CloudError::conflict(format!(
                    "Image with identifier {id} already exists!"
                )));
            }
        }
        self.check_image_quota(project_id)?;
        let image = Image {
            id: request.id.unwrap_or_else(new_id),
            owner: request.owner.unwrap_or_else(|| project_id.to_string()),
            name: request.name,
            status: "queued".into(),
            visibility: visibility.into(),
            protected: request.protected,
            os_hidden: request.os_hidden,
            size: None,
            checksum: None,
            os_hash_value: None,
            disk_format: request.disk_format.map(CompactString::from),
            container_format: request.container_format.map(CompactString::from),
            min_disk: request.min_disk,
            min_ram: request.min_ram,
            tags: request.tags,
            properties: request.properties,
            created_ms: now_ms,
            updated_ms: now_ms,
            seeded: false,
            members: Vec::new(),
            content: None,
            data: None,
            upload: None,
        };
        self.add_image(image.clone());
        Ok(image)
    }

    /// Adds a ready public image (the cloud's initial content) holding a blank disk.
    pub fn seed_image(&mut self, name: &str, owner: &str) -> Image {
        let mut image = Image {
            id: new_id(),
            owner: owner.to_string(),
            name: Some(name.to_string()),
            status: "active".into(),
            visibility: "public".into(),
            protected: false,
            os_hidden: false,
            size: None,
            checksum: None,
            os_hash_value: None,
            disk_format: Some("qcow2".into()),
            container_format: Some("bare".into()),
            min_disk: 0,
            min_ram: 0,
            tags: Vec::new(),
            properties: [("hw_rng_model", "virtio"), ("os_distro", "cirros")]
                .into_iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect(),
            created_ms: 0,
            updated_ms: 0,
            seeded: true,
            members: Vec::new(),
            content: Some(Disk::default()),
            data: None,
            upload: None,
        };
        image.set_digests_of(&Disk::default().image_bytes());
        self.add_image(image.clone());
        image
    }

    /// Receives image data (`PUT /v2/images/{id}/file`): queued -> saving -> active.
    pub fn upload_image(
        &mut self,
        project_id: &str,
        id: &str,
        data: bytes::Bytes,
        fate: Fate,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let image = self
            .images
            .get_mut(id)
            .filter(|i| i.owner == project_id)
            .ok_or_else(|| CloudError::not_found(format!("No image found with ID {id}")))?;
        if image.status != "queued" {
            return Err(CloudError::conflict(format!(
                "Image status transition from {} to saving is not allowed",
                image.status
            )));
        }
        if image.disk_format.is_none() || image.container_format.is_none() {
            return Err(CloudError::bad_request(
                "Properties disk_format, container_format must be set prior to saving data.",
            ));
        }
        // Glance answers the upload once the data is stored: the image is active (or killed)
        // by then; only a stuck upload stays in `saving`.
        image.status = match fate {
            Fate::Normal => "active",
            Fate::Fails => "killed",
            Fate::Stuck => "saving",
        }
        .into();
        if fate == Fate::Normal {
            image.set_data(data);
        } else {
            image.size = Some(data.len() as u64);
            image.data = Some(data);
        }
        image.updated_ms = clock.now_ms();
        Ok(())
    }

    /// Starts the upload of a server snapshot into a queued image: saving after the queue step,
    /// then active (or killed) after the upload step.
    pub(super) fn start_server_snapshot_upload(
        &mut self,
        image_id: &str,
        server_id: &str,
        fate: Fate,
        clock: &Clock,
    ) {
        if let Some(image) = self.images.get_mut(image_id) {
            image.upload = Some(Box::new((server_id.to_string(), fate)));
        }
        if fate != Fate::Stuck {
            self.schedule.at(
                clock.due(Step::ImageQueued),
                Due::Image {
                    id: image_id.to_string(),
                    status: "saving".to_string(),
                },
            );
        }
    }

    /// Applies a due image status; a server snapshot continues to the next step.
    pub(super) fn finish_image_step(&mut self, id: &str, status: &str, now_ms: u64) {
        let Some(image) = self.images.get_mut(id) else {
            return;
        };
        image.set_status(status, now_ms);
        match (status, image.upload.as_deref().cloned()) {
            ("saving", Some((server_id, fate))) => {
                if let Some(server) = self.servers.get_mut(&server_id) {
                    server.task_state = Some("image_uploading".to_string());
                }
                self.note_server(&server_id, now_ms);
                let final_status = if fate == Fate::Fails {
                    "killed"
                } else {
                    "active"
                };
                let duration = self.profile.duration_ms(Step::ImageUpload);
                self.schedule.at(
                    now_ms + duration,
                    Due::Image {
                        id: id.to_string(),
                        status: final_status.to_string(),
                    },
                );
            }
            ("active" | "killed", Some((server_id, _))) => {
                // The data uploaded is the document of the disk the image holds; a killed
                // upload leaves none.
                match image.content.as_ref().map(Disk::image_bytes) {
                    Some(data) if status == "active" => image.set_digests_of(&data),
                    _ => image.content = None,
                }
                image.upload = None;
                if let Some(server) = self.servers.get_mut(&server_id) {
                    server.task_state = None;
                    server.updated_ms = now_ms;
                }
                self.note_server(&server_id, now_ms);
            }
            _ => {}
        }
    }

    /// Deletes an image (204): 404 when unknown, 403 when protected. Cinder snapshots listed in
    /// its `block_device_mapping` are left alone, as Glance does.
    pub fn delete_image(
        &mut self,
        project_id: &str,
        id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let image = self
            .images
            .get(id)
            .filter(|i| i.owner == project_id || i.visibility == "public")
            .ok_or_else(|| CloudError::not_found(format!("Failed to find image {id} to delete")))?;
        if image.owner != project_id {
            return Err(CloudError::forbidden(
                "You are not permitted to delete this image.",
            ));
        }
        if image.protected {
            return Err(CloudError::forbidden(format!(
                "Image {id} is protected and cannot be deleted."
            )));
        }
        let uploading = image
            .upload
            .as_deref()
            .map(|(server_id, _)| server_id.clone());
        if let Some(server_id) = uploading {
            if let Some(server) = self.servers.get_mut(&server_id) {
                server.task_state = None;
            }
            self.note_server(&server_id, now_ms);
        }
        self.schedule.cancel_for(id);
        self.take_image(id);
        Ok(())
    }
}
