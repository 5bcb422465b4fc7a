//! Nova servers: boot from an image or from volumes (block_device_mapping_v2, including from a
//! volume-backed snapshot image), power actions, rebuild, volume attachments, deletion and the
//! two `createImage` paths (image-backed upload, volume-backed Cinder snapshots).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given,
    new_id,
    project_resource::{of_project, ProjectResource},
    CloudState, Disk, Due, Fate, NicRequests, ServerInterface, SnapshotRequest, VolumeRequest,
};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// A server as Nova stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Server {
    pub id: String,
    pub project_id: String,
    pub user_id: String,
    pub name: String,
    pub flavor_id: String,
    /// The Glance image of an image-backed server; `None` for a volume-backed one.
    pub image_id: Option<String>,
    pub status: String,
    pub vm_state: String,
    pub task_state: Option<String>,
    pub power_state: u8,
    pub metadata: BTreeMap<String, String>,
    pub attachments: Vec<ServerAttachment>,
    /// The ports the server uses, in the order of its interfaces.
    pub interfaces: Vec<ServerInterface>,
    /// Names of the server's security groups.
    pub security_groups: Vec<String>,
    pub key_name: Option<String>,
    pub access_ipv4: String,
    pub access_ipv6: String,
    /// `OS-DCF:diskConfig`: `MANUAL` or `AUTO`.
    pub disk_config: String,
    /// Locked servers refuse lifecycle actions (409) until unlocked.
    pub locked: bool,
    pub locked_reason: Option<String>,
    /// Base64 user data given at boot or rebuild.
    pub user_data: Option<String>,
    pub fault: Option<String>,
    /// The compute host the scheduler chose; `None` when it found no valid host.
    pub host: Option<String>,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub launched_ms: Option<u64>,
    /// The root disk of an image-backed server (a volume-backed one boots from a volume).
    #[serde(default)]
    pub root_disk: Option<Disk>,
    /// While the live workload runs: the cloud time its writes were last applied.
    #[serde(default)]
    pub workload_since_ms: Option<u64>,
}

/// A volume attached to a server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerAttachment {
    pub volume_id: String,
    pub device: String,
    pub boot_index: Option<i64>,
    pub delete_on_termination: bool,
    pub attachment_id: String,
}

/// One entry of `block_device_mapping_v2`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockDeviceRequest {
    pub source_type: String,
    pub destination_type: Option<String>,
    pub uuid: Option<String>,
    pub boot_index: Option<i64>,
    pub volume_size: Option<u32>,
    pub delete_on_termination: bool,
}

/// The parts of a boot request the rules need.
#[derive(Clone, Debug, Default)]
pub struct ServerRequest {
    pub name: String,
    pub flavor_ref: String,
    pub image_ref: Option<String>,
    pub block_devices: Vec<BlockDeviceRequest>,
    pub networks: NicRequests,
    /// Names of the security groups asked for (`default` when none).
    pub security_groups: Vec<String>,
    pub metadata: BTreeMap<String, String>,
    pub key_name: Option<String>,
    pub access_ipv4: String,
    pub access_ipv6: String,
    pub user_data: Option<String>,
    /// `OS-DCF:diskConfig` (`MANUAL` when not asked for).
    pub disk_config: Option<String>,
    /// The server group of the scheduler hints (`group`).
    pub group: Option<String>,
}

/// What a `rebuild` asks for.
#[derive(Clone, Debug)]
pub struct RebuildRequest {
    pub image_ref: String,
    pub name: Option<String>,
    pub user_data: Option<String>,
    pub disk_config: Option<String>,
}

/// What `PUT /servers/{id}` may change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ServerChanges {
    pub name: Option<String>,
    pub access_ipv4: Option<String>,
    pub access_ipv6: Option<String>,
    pub disk_config: Option<String>,
}

/// What `createImage` produced.
#[derive(Clone, Debug)]
pub struct CreateImageOutcome {
    pub image_id: String,
}

/// Nova's root device name.
pub const ROOT_DEVICE: &str = "/dev/vda";

impl ProjectResource for Server {
    fn project_id(&self) -> &str {
        &self.project_id
    }
    fn not_found(id: &str) -> CloudError {
        CloudError::not_found(format!("Instance {id} could not be found."))
    }
}

fn device_name(index: usize) -> String {
    format!("/dev/vd{}", (b'a' + index.min(25) as u8) as char)
}

fn vm_state_for(status: &str) -> (&'static str, u8) {
    match status {
        "ACTIVE" => ("active", 1),
        "SHUTOFF" => ("stopped", 4),
        "ERROR" => ("error", 0),
        _ => ("building", 0),
    }
}

impl CloudState {
    /// A server of the project, or Nova's 404.
    pub fn project_server(&self, project_id: &str, id: &str) -> Result<&Server, CloudError> {
        of_project(self.servers.get(id), project_id, id)
    }

    /// Boots a server (status BUILD, then ACTIVE or ERROR when due). Volumes named in the
    /// block device mapping are attached at once; volumes Nova must create (from an image, a
    /// snapshot, blank, or from the snapshots of a volume-backed snapshot image) are created
    /// and attached.
    pub fn create_server(
        &mut self,
        project_id: &str,
        user_id: &str,
        request: ServerRequest,
        fate: Fate,
        clock: &Clock,
    ) -> Result<Server, CloudError> {
        let flavor = self
            .flavors
            .iter()
            .find(|f| f.id == request.flavor_ref || f.name == request.flavor_ref)
            .cloned()
            .ok_or_else(|| {
                CloudError::bad_request(format!(
                    "Flavor {} could not be found.",
                    request.flavor_ref
                ))
            })?;
        let mut devices = request.block_devices.clone();
        let mut image_id = None;
        if let Some(image_ref) = request.image_ref.as_deref().filter(|r| !r.is_empty()) {
            let image = self
                .visible_image(project_id, image_ref)
                .ok_or_else(|| CloudError::bad_request("Can not find requested image"))?;
            if image.status != "active" {
                return Err(CloudError::bad_request(format!(
                    "Image {image_ref} is not active."
                )));
            }
            if image.min_ram > flavor.ram {
                return Err(CloudError::bad_request(
                    "Flavor's memory is too small for requested image.",
                ));
            }
            match image.properties.get("block_device_mapping") {
                Some(mapping) => devices.extend(snapshot_image_devices(mapping)?),
                None => image_id = Some(image.id.clone()),
            }
        }
        let boot_device = devices.iter().find(|d| d.boot_index == Some(0)).cloned();
        match (&image_id, &boot_device) {
            (None, None) => {
                return Err(CloudError::bad_request(
                    "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.",
                ))
            }
            (None, Some(device)) if device.source_type == "image"
                && device.destination_type.as_deref() != Some("volume") =>
            {
                image_id = device.uuid.clone();
            }
            _ => {}
        }
        if let Some(name) = &request.key_name {
            self.keypair(user_id, name)
                .map_err(|_| CloudError::bad_request("Invalid key_name provided."))?;
        }
        if let Some(group) = &request.group {
            self.check_group_hint(group, project_id)?;
        }
        // Without an image Nova boots from the root volume, which must be bootable
        // (InvalidBDMVolumeNotBootable).
        let no_image = request.image_ref.as_deref().is_none_or(str::is_empty);
        if let Some(device) = boot_device
            .as_ref()
            .filter(|d| no_image && d.source_type == "volume")
        {
            let uuid = device.uuid.as_deref().unwrap_or_default();
            let volume = self
                .volumes
                .get(uuid)
                .filter(|v| v.project_id == project_id);
            if volume.is_some_and(|v| !v.bootable) {
                return Err(CloudError::bad_request(format!(
                    "Block Device {uuid} is not bootable."
                )));
            }
        }
        let nics = self.plan_nics(project_id, &request.networks, &request.security_groups)?;
        self.check_instance_quota(project_id, flavor.vcpus, flavor.ram)?;
        for device in &devices {
            self.check_block_device(project_id, device)?;
        }

        let now = clock.now_ms();
        let server_id = new_id();
        let interfaces =
            self.make_nics(project_id, &server_id, nics, &request.security_groups, now)?;
        let attachments = self
            .boot_volumes(
                project_id,
                user_id,
                &server_id,
                &devices,
                image_id.is_some(),
                clock,
            )
            .inspect_err(|_| self.release_nics(&interfaces, now))?;
        let root_disk = image_id.as_ref().map(|id| {
            self.images
                .get(id)
                .and_then(|image| image.content.clone())
                .unwrap_or_default()
        });
        let host = self.place_server(request.group.as_deref());
        let server = Server {
            id: server_id,
            project_id: project_id.to_string(),
            user_id: user_id.to_string(),
            name: request.name,
            flavor_id: flavor.id,
            image_id,
            status: "BUILD".to_string(),
            vm_state: "building".to_string(),
            task_state: Some("spawning".to_string()),
            power_state: 0,
            metadata: request.metadata,
            attachments,
            interfaces,
            security_groups: request.security_groups,
            key_name: request.key_name,
            access_ipv4: request.access_ipv4,
            access_ipv6: request.access_ipv6,
            disk_config: request.disk_config.unwrap_or_else(|| "MANUAL".to_string()),
            locked: false,
            locked_reason: None,
            user_data: request.user_data,
            fault: None,
            host,
            created_ms: now,
            updated_ms: now,
            launched_ms: None,
            root_disk,
            workload_since_ms: None,
        };
        // A server the scheduler finds no host for fails its build, as Nova's does.
        let fate = if server.host.is_none() {
            Fate::Fails
        } else {
            fate
        };
        self.schedule_server_status(&server.id, fate, "ACTIVE", clock.due(Step::ServerBuild));
        self.add_server(server.clone());
        self.note_server(&server.id, now);
        if let Some(group) = &request.group {
            self.join_server_group(group, &server.id);
        }
        Ok(server)
    }

    /// Attaches the volumes of the block device mapping, making those Nova must create.
    fn boot_volumes(
        &mut self,
        project_id: &str,
        user_id: &str,
        server_id: &str,
        devices: &[BlockDeviceRequest],
        image_backed: bool,
        clock: &Clock,
    ) -> Result<Vec<ServerAttachment>, CloudError> {
        let now = clock.now_ms();
        let mut attachments = Vec::new();
        let mut ordered: Vec<&BlockDeviceRequest> = devices
            .iter()
            .filter(|d| d.destination_type.as_deref() == Some("volume"))
            .collect();
        ordered.sort_by_key(|d| d.boot_index.map_or(i64::MAX, |i| i));
        let first_device = usize::from(image_backed);
        for (index, device) in ordered.into_iter().enumerate() {
            let volume_id = match device.source_type.as_str() {
                "volume" => device.uuid.clone().unwrap_or_default(),
                "image" => self.nova_volume(
                    project_id,
                    user_id,
                    VolumeRequest {
                        size: device.volume_size,
                        image_id: device.uuid.clone(),
                        ..Default::default()
                    },
                    clock,
                )?,
                "snapshot" => self.nova_volume(
                    project_id,
                    user_id,
                    VolumeRequest {
                        size: device.volume_size,
                        snapshot_id: device.uuid.clone(),
                        ..Default::default()
                    },
                    clock,
                )?,
                _ => self.nova_volume(
                    project_id,
                    user_id,
                    VolumeRequest {
                        size: device.volume_size,
                        ..Default::default()
                    },
                    clock,
                )?,
            };
            let name = device_name(first_device + index);
            let attachment_id = self.attach_volume(&volume_id, server_id, &name, now);
            attachments.push(ServerAttachment {
                volume_id,
                device: name,
                boot_index: device.boot_index,
                delete_on_termination: device.delete_on_termination,
                attachment_id,
            });
        }
        Ok(attachments)
    }

    fn check_block_device(
        &self,
        project_id: &str,
        device: &BlockDeviceRequest,
    ) -> Result<(), CloudError> {
        let uuid = device.uuid.as_deref().unwrap_or_default();
        match device.source_type.as_str() {
            "volume" => {
                let volume = self.volumes.get(uuid).filter(|v| v.project_id == project_id);
                match volume {
                    None => Err(CloudError::bad_request(format!("Volume {uuid} could not be found."))),
                    Some(v) if v.status != "available" => Err(CloudError::bad_request(format!(
                        "Invalid volume: volume '{uuid}' status must be 'available'. Currently in '{}'",
                        v.status
                    ))),
                    Some(_) => Ok(()),
                }
            }
            "snapshot" => self.project_snapshot(project_id, uuid).map(|_| ()).map_err(|_| {
                CloudError::bad_request(format!("Snapshot {uuid} could not be found."))
            }),
            "image" => self
                .visible_image(project_id, uuid)
                .map(|_| ())
                .ok_or_else(|| CloudError::bad_request(format!("Image {uuid} could not be found."))),
            "blank" => Ok(()),
            other => Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute source_type. Value: {other}. '{other}' is not one of ['volume', 'image', 'snapshot', 'blank']"
            ))),
        }
    }

    /// A volume Nova creates for a block device mapping: ready at once, since the server build
    /// waits for it.
    fn nova_volume(
        &mut self,
        project_id: &str,
        user_id: &str,
        request: VolumeRequest,
        clock: &Clock,
    ) -> Result<String, CloudError> {
        let volume = self
            .create_volume(project_id, user_id, request, Fate::Normal, clock)
            .map_err(|e| {
                CloudError::forbidden(format!("Build of instance aborted: {}", e.message))
            })?;
        self.schedule.cancel_for(&volume.id);
        Ok(volume.id)
    }

    fn schedule_server_status(&mut self, id: &str, fate: Fate, target: &str, at_ms: u64) {
        let status = match fate {
            Fate::Normal => target,
            Fate::Fails => "ERROR",
            Fate::Stuck => return,
        };
        self.schedule.at(
            at_ms,
            Due::Server {
                id: id.to_string(),
                status: status.to_string(),
            },
        );
    }

    /// Applies a due server status.
    pub(super) fn finish_server_step(&mut self, id: &str, status: &str, now_ms: u64) {
        let Some(server) = self.servers.get_mut(id) else {
            return;
        };
        let (vm_state, power_state) = vm_state_for(status);
        server.status = status.to_string();
        server.vm_state = vm_state.to_string();
        server.power_state = power_state;
        server.task_state = None;
        server.updated_ms = now_ms;
        if status == "ACTIVE" && server.launched_ms.is_none() {
            server.launched_ms = Some(now_ms);
        }
        if status == "ERROR" {
            server.fault = Some(match server.host {
                None => super::NO_VALID_HOST.to_string(),
                Some(_) => {
                    format!("Build of instance {id} aborted: simulated failure (fault rule)")
                }
            });
        }
        self.note_server(id, now_ms);
    }

    /// Starts deleting a server (204): it disappears when due, detaching its volumes and
    /// deleting those marked `delete_on_termination` (unless they hold snapshots).
    pub fn delete_server(
        &mut self,
        project_id: &str,
        id: &str,
        fate: Fate,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        if self.project_server(project_id, id)?.locked {
            return Err(locked(id));
        }
        self.schedule.cancel_for(id);
        if let Some(server) = self.servers.get_mut(id) {
            server.task_state = Some("deleting".to_string());
            server.updated_ms = clock.now_ms();
        }
        self.note_server(id, clock.now_ms());
        if fate != Fate::Stuck {
            self.schedule.at(
                clock.due(Step::ServerDelete),
                Due::ServerGone { id: id.to_string() },
            );
        }
        Ok(())
    }

    pub(super) fn remove_server(&mut self, id: &str, now_ms: u64) {
        self.settle_workload(id, now_ms);
        let Some(server) = self.take_server(id) else {
            return;
        };
        self.note_server_gone(id, now_ms);
        self.leave_server_groups(id);
        self.release_nics(&server.interfaces, now_ms);
        for attachment in server.attachments {
            self.delete_attachment(&attachment.attachment_id, now_ms);
            let has_snapshots = self
                .snapshots
                .values()
                .any(|s| *s.volume_id == *attachment.volume_id);
            if attachment.delete_on_termination && !has_snapshots {
                self.take_volume(&attachment.volume_id);
            }
        }
    }

    pub(super) fn require_state(
        &self,
        server: &Server,
        action: &str,
        allowed: &[&str],
    ) -> Result<(), CloudError> {
        // Nova checks the lock on lifecycle actions, not on snapshots.
        if server.locked && action != "createImage" {
            return Err(locked(&server.id));
        }
        if let Some(task) = &server.task_state {
            return Err(CloudError::conflict(format!(
                "Cannot '{action}' instance {} while it is in task_state {task}",
                server.id
            )));
        }
        if !allowed.contains(&server.vm_state.as_str()) {
            return Err(CloudError::conflict(format!(
                "Cannot '{action}' instance {} while it is in vm_state {}",
                server.id, server.vm_state
            )));
        }
        Ok(())
    }

    /// `os-stop` (ACTIVE -> SHUTOFF) and `os-start` (SHUTOFF -> ACTIVE).
    pub fn power_server(
        &mut self,
        project_id: &str,
        id: &str,
        start: bool,
        clock: &Clock,
    ) -> Result<(), CloudError> {
        let server = self.project_server(project_id, id)?;
        let (action, from, task, target) = if start {
            ("start", "stopped", "powering-on", "ACTIVE")
        } else {
            ("stop", "active", "powering-off", "SHUTOFF")
        };
        self.require_state(server, action, &[from])?;
        if let Some(server) = self.servers.get_mut(id) {
            server.task_state = Some(task.to_string());
            server.updated_ms = clock.now_ms();
        }
        self.note_server(id, clock.now_ms());
        self.schedule_server_status(id, Fate::Normal, target, clock.due(Step::ServerPower));
        Ok(())
    }

    /// `rebuild`: image-backed servers take the new image; volume-backed servers accept only
    /// their root volume's image before microversion 2.93.
    pub fn rebuild_server(
        &mut self,
        project_id: &str,
        id: &str,
        request: RebuildRequest,
        microversion: (u32, u32),
        clock: &Clock,
    ) -> Result<Server, CloudError> {
        let RebuildRequest {
            image_ref,
            name,
            user_data,
            disk_config,
        } = request;
        let image_ref = image_ref.as_str();
        let server = self.project_server(project_id, id)?;
        self.require_state(server, "rebuild", &["active", "stopped", "error"])?;
        let image = self
            .visible_image(project_id, image_ref)
            .ok_or_else(|| CloudError::bad_request("Cannot find image for rebuild"))?;
        let image_id = image.id.clone();
        if server.image_id.is_none() && microversion < (2, 93) {
            let root_image = server
                .attachments
                .iter()
                .find(|a| a.boot_index == Some(0))
                .and_then(|a| self.volumes.get(&a.volume_id))
                .and_then(|v| v.image.as_ref().map(|(id, _)| id.clone()));
            if root_image.as_deref() != Some(image_id.as_str()) {
                return Err(CloudError::bad_request(format!(
                    "Image {image_id} is unacceptable: Unable to rebuild with a different image for a volume-backed server."
                )));
            }
        }
        let now = clock.now_ms();
        let volume_backed = server.image_id.is_none();
        // Nova keeps the power state across a rebuild: a stopped server comes back SHUTOFF.
        let after = if server.vm_state == "stopped" {
            "SHUTOFF"
        } else {
            "ACTIVE"
        };
        let image_content = image.content.clone().unwrap_or_default();
        let root_volume = server
            .attachments
            .iter()
            .find(|a| a.boot_index == Some(0))
            .map(|a| a.volume_id.clone());
        self.settle_workload(id, now);
        // The root disk takes the new image's content; a volume-backed server's root volume is
        // reimaged from microversion 2.93 on (before, Nova leaves it as it is).
        if volume_backed && microversion >= (2, 93) {
            if let Some(volume) = root_volume.and_then(|v| self.volumes.get_mut(&v)) {
                volume.content = image_content.clone();
                volume.updated_ms = now;
            }
        }
        let server = self.servers.get_mut(id).expect("checked above");
        if !volume_backed {
            server.image_id = Some(image_id);
            server.root_disk = Some(image_content);
        }
        set_if_given(&mut server.name, name);
        if user_data.is_some() {
            server.user_data = user_data;
        }
        set_if_given(&mut server.disk_config, disk_config);
        server.status = "REBUILD".to_string();
        server.task_state = Some("rebuilding".to_string());
        server.updated_ms = now;
        let rebuilt = server.clone();
        self.note_server(id, now);
        self.schedule_server_status(id, Fate::Normal, after, clock.due(Step::ServerRebuild));
        Ok(rebuilt)
    }

    /// `lock` (with an optional reason, 2.73) or `unlock`.
    pub fn lock_server(
        &mut self,
        project_id: &str,
        id: &str,
        lock: Option<Option<String>>,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.project_server(project_id, id)?;
        let server = self.servers.get_mut(id).expect("checked above");
        server.locked = lock.is_some();
        server.locked_reason = lock.flatten();
        server.updated_ms = now_ms;
        Ok(())
    }

    /// Changes a server's name or access addresses (`PUT /servers/{id}`).
    pub fn update_server(
        &mut self,
        project_id: &str,
        id: &str,
        changes: ServerChanges,
        now_ms: u64,
    ) -> Result<Server, CloudError> {
        self.project_server(project_id, id)?;
        let server = self.servers.get_mut(id).expect("checked above");
        set_if_given(&mut server.name, changes.name);
        set_if_given(&mut server.access_ipv4, changes.access_ipv4);
        set_if_given(&mut server.access_ipv6, changes.access_ipv6);
        set_if_given(&mut server.disk_config, changes.disk_config);
        server.updated_ms = now_ms;
        Ok(server.clone())
    }

    /// Attaches an available volume (`POST /servers/{id}/os-volume_attachments`).
    pub fn attach_to_server(
        &mut self,
        project_id: &str,
        server_id: &str,
        volume_id: &str,
        delete_on_termination: bool,
        now_ms: u64,
    ) -> Result<ServerAttachment, CloudError> {
        let server = self.project_server(project_id, server_id)?;
        self.require_state(server, "attach_volume", &["active", "stopped", "paused"])?;
        let device = device_name(server.attachments.len() + usize::from(server.image_id.is_some()));
        let volume = self.project_volume(project_id, volume_id)?;
        if volume.status != "available" {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: volume '{volume_id}' status must be 'available'. Currently in '{}'",
                volume.status
            )));
        }
        self.settle_workload(server_id, now_ms);
        let attachment_id = self.attach_volume(volume_id, server_id, &device, now_ms);
        let attachment = ServerAttachment {
            volume_id: volume_id.to_string(),
            device,
            boot_index: None,
            delete_on_termination,
            attachment_id,
        };
        if let Some(server) = self.servers.get_mut(server_id) {
            server.attachments.push(attachment.clone());
        }
        Ok(attachment)
    }

    /// Detaches a data volume (the root volume of a volume-backed server cannot be detached).
    pub fn detach_from_server(
        &mut self,
        project_id: &str,
        server_id: &str,
        volume_id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let server = self.project_server(project_id, server_id)?;
        let attachment = server
            .attachments
            .iter()
            .find(|a| a.volume_id == volume_id)
            .ok_or_else(|| CloudError::not_found(format!("volume_id not found: {volume_id}")))?;
        if attachment.boot_index == Some(0) && server.image_id.is_none() {
            return Err(CloudError::bad_request(
                "Cannot detach a root device volume",
            ));
        }
        let attachment_id = attachment.attachment_id.clone();
        self.settle_workload(server_id, now_ms);
        if let Some(server) = self.servers.get_mut(server_id) {
            server.attachments.retain(|a| a.volume_id != volume_id);
        }
        self.delete_attachment(&attachment_id, now_ms);
        Ok(())
    }

    /// `createImage`. A volume-backed server gets forced Cinder snapshots named
    /// `"snapshot for <name>"` of every attached volume and an active image carrying the
    /// `block_device_mapping` property; an image-backed server gets a queued image that is
    /// uploaded (queued -> saving -> active).
    pub fn create_server_image(
        &mut self,
        project_id: &str,
        server_id: &str,
        name: &str,
        metadata: BTreeMap<String, String>,
        fates: (Fate, Fate),
        clock: &Clock,
    ) -> Result<CreateImageOutcome, CloudError> {
        let server = self.project_server(project_id, server_id)?.clone();
        self.require_state(
            &server,
            "createImage",
            &["active", "stopped", "paused", "suspended"],
        )?;
        let (image_fate, snapshot_fate) = fates;
        if server.image_id.is_none() {
            self.snapshot_volume_backed(&server, name, metadata, snapshot_fate, clock)
        } else {
            self.snapshot_image_backed(&server, name, metadata, image_fate, clock)
        }
    }

    fn snapshot_volume_backed(
        &mut self,
        server: &Server,
        name: &str,
        metadata: BTreeMap<String, String>,
        snapshot_fate: Fate,
        clock: &Clock,
    ) -> Result<CreateImageOutcome, CloudError> {
        let project_id = server.project_id.as_str();
        let quota = self.quota(project_id);
        let used = self.usage(project_id);
        if quota.snapshots >= 0
            && server.attachments.len() as i64 + used.snapshots > quota.snapshots
        {
            return Err(CloudError::forbidden(
                "Quota exceeded for resources: snapshots",
            ));
        }
        self.check_image_quota(project_id)
            .map_err(glance_failure_in_nova)?;
        let mut mapping = Vec::new();
        for attachment in &server.attachments {
            let description = self
                .volumes
                .get(&attachment.volume_id)
                .and_then(|v| v.description.clone());
            let snapshot = self
                .create_snapshot(
                    project_id,
                    &server.user_id,
                    SnapshotRequest {
                        volume_id: attachment.volume_id.clone(),
                        name: Some(format!("snapshot for {name}")),
                        description,
                        force: Some(true),
                        metadata: BTreeMap::new(),
                    },
                    (3, 0),
                    snapshot_fate,
                    clock,
                )
                .map_err(|e| {
                    if e.status.as_u16() == 413 {
                        CloudError::forbidden("Quota exceeded for resources: snapshots")
                    } else {
                        e
                    }
                })?;
            mapping.push(serde_json::json!({
                "source_type": "snapshot",
                "destination_type": "volume",
                "snapshot_id": snapshot.id,
                "volume_id": null,
                "image_id": null,
                "boot_index": attachment.boot_index,
                "delete_on_termination": attachment.delete_on_termination,
                "volume_size": snapshot.size,
                "device_name": attachment.device,
                "disk_bus": "virtio",
                "device_type": "disk",
                "guest_format": null,
                "volume_type": null,
                "tag": null,
                "no_device": null,
            }));
        }
        let mut properties = metadata;
        properties.insert(
            "block_device_mapping".to_string(),
            serde_json::Value::Array(mapping).to_string(),
        );
        properties.insert("bdm_v2".to_string(), "True".to_string());
        properties.insert("root_device_name".to_string(), ROOT_DEVICE.to_string());
        let now = clock.now_ms();
        let image = self.create_image(
            project_id,
            super::ImageRequest {
                name: Some(name.to_string()),
                visibility: Some("private".to_string()),
                disk_format: Some("raw".to_string()),
                container_format: Some("bare".to_string()),
                properties: properties.into(),
                ..Default::default()
            },
            now,
        )?;
        // Nova activates the image with an empty upload: its data is in the volume snapshots.
        if let Some(image) = self.images.get_mut(&image.id) {
            image.status = "active".into();
            image.set_data(bytes::Bytes::new());
        }
        Ok(CreateImageOutcome { image_id: image.id })
    }

    fn snapshot_image_backed(
        &mut self,
        server: &Server,
        name: &str,
        metadata: BTreeMap<String, String>,
        image_fate: Fate,
        clock: &Clock,
    ) -> Result<CreateImageOutcome, CloudError> {
        let project_id = server.project_id.as_str();
        self.check_image_quota(project_id)
            .map_err(glance_failure_in_nova)?;
        let base = server
            .image_id
            .as_ref()
            .and_then(|id| self.images.get(id))
            .cloned();
        let mut properties = base
            .as_ref()
            .map(|b| b.properties.clone())
            .unwrap_or_default();
        properties.insert("instance_uuid".to_string(), server.id.clone());
        properties.insert("user_id".to_string(), server.user_id.clone());
        properties.insert("image_type".to_string(), "snapshot".to_string());
        properties.insert("image_location".to_string(), "snapshot".to_string());
        if let Some(base) = &base {
            properties.insert("base_image_ref".to_string(), base.id.clone());
        }
        // The metadata asked for wins over Nova's own properties.
        properties.extend(metadata);
        let now = clock.now_ms();
        let image = self.create_image(
            project_id,
            super::ImageRequest {
                name: Some(name.to_string()),
                visibility: Some("private".to_string()),
                disk_format: base
                    .as_ref()
                    .and_then(|b| b.disk_format.as_deref().map(str::to_string)),
                container_format: base
                    .as_ref()
                    .and_then(|b| b.container_format.as_deref().map(str::to_string)),
                min_disk: base.as_ref().map_or(0, |b| b.min_disk),
                properties,
                ..Default::default()
            },
            now,
        )?;
        // The image holds the root disk as it is when Nova takes the snapshot.
        self.settle_workload(&server.id, now);
        let root_disk = self
            .servers
            .get(&server.id)
            .and_then(|s| s.root_disk.clone())
            .unwrap_or_default();
        if let Some(image) = self.images.get_mut(&image.id) {
            image.content = Some(root_disk);
        }
        if let Some(server) = self.servers.get_mut(&server.id) {
            server.task_state = Some("image_snapshot".to_string());
            server.updated_ms = now;
        }
        self.note_server(&server.id, now);
        self.start_server_snapshot_upload(&image.id, &server.id, image_fate, clock);
        Ok(CreateImageOutcome { image_id: image.id })
    }
}

/// Nova does not translate a Glance quota refusal: it surfaces as an unexpected API error.
fn glance_failure_in_nova(error: CloudError) -> CloudError {
    CloudError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        format!(
            "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'glanceclient.exc.HTTPOverLimit'> ({})",
            error.message
        ),
    )
}

/// The block devices Nova boots from a volume-backed snapshot image: new volumes from the
/// Cinder snapshots in its `block_device_mapping` property.
fn snapshot_image_devices(mapping: &str) -> Result<Vec<BlockDeviceRequest>, CloudError> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(mapping).map_err(|_| {
        CloudError::bad_request("Block Device Mapping is Invalid: the image's block_device_mapping property is not valid JSON.")
    })?;
    Ok(entries
        .iter()
        .map(|entry| BlockDeviceRequest {
            source_type: "snapshot".to_string(),
            destination_type: Some("volume".to_string()),
            uuid: entry["snapshot_id"].as_str().map(str::to_string),
            boot_index: entry["boot_index"].as_i64(),
            volume_size: entry["volume_size"].as_u64().map(|s| s as u32),
            delete_on_termination: entry["delete_on_termination"].as_bool().unwrap_or(false),
        })
        .collect())
}

fn locked(id: &str) -> CloudError {
    CloudError::conflict(format!("Instance {id} is locked"))
}
