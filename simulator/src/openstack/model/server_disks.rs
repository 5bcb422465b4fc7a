//! The disks of servers and volumes as the control API reads and writes them, and each
//! server's live workload: while it is on, every disk of the server is written once per
//! millisecond of cloud time. The workload is applied lazily: a disk is brought up to date
//! ([`CloudState::settle_workload`]) before anything reads, copies, writes or detaches it.

use serde::{Deserialize, Serialize};

use super::{AttachStatus, CloudState, Disk, DiskContent};
use crate::openstack::error::CloudError;

/// One disk of a server, as the control API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerDisk {
    /// Where the guest sees it (`/dev/vda` is the root disk).
    pub device: String,
    /// The Cinder volume; `None` for the root disk of an image-backed server.
    pub volume_id: Option<String>,
    /// Whether the server boots from it.
    pub boot: bool,
    pub content: DiskContent,
}

/// A server's live workload, as the control API shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    pub running: bool,
    /// Cloud time the disks were last brought up to date while it runs.
    pub since_ms: Option<u64>,
}

fn no_server(id: &str) -> CloudError {
    CloudError::not_found(format!("no server {id}"))
}

fn no_volume(id: &str) -> CloudError {
    CloudError::not_found(format!("no volume {id}"))
}

impl CloudState {
    /// Applies what the server's live workload wrote up to `now_ms` to each of its disks.
    pub(super) fn settle_workload(&mut self, server_id: &str, now_ms: u64) {
        let Some(server) = self.servers.get_mut(server_id) else {
            return;
        };
        let Some(since) = server.workload_since_ms.filter(|since| *since < now_ms) else {
            return;
        };
        server.workload_since_ms = Some(now_ms);
        if let Some(root) = server.root_disk.as_mut() {
            root.run_workload(since, now_ms);
        }
        let volumes: Vec<String> = server
            .attachments
            .iter()
            .map(|a| a.volume_id.clone())
            .collect();
        for volume_id in volumes {
            if let Some(volume) = self.volumes.get_mut(&volume_id) {
                volume.content.run_workload(since, now_ms);
            }
        }
    }

    /// A volume's content as of `now_ms` (with what the workload of its server wrote).
    pub(super) fn volume_disk_now(&mut self, volume_id: &str, now_ms: u64) -> Disk {
        let server = self
            .attachments
            .values()
            .find(|a| a.volume_id == volume_id && a.attach_status == AttachStatus::Attached)
            .and_then(|a| a.instance_uuid.clone());
        if let Some(server_id) = server {
            self.settle_workload(&server_id, now_ms);
        }
        self.volumes
            .get(volume_id)
            .map(|v| v.content.clone())
            .unwrap_or_default()
    }

    /// Every disk of a server as of `now_ms`, the root disk first.
    pub fn server_disks(
        &mut self,
        server_id: &str,
        now_ms: u64,
    ) -> Result<Vec<ServerDisk>, CloudError> {
        self.settle_workload(server_id, now_ms);
        let server = self
            .servers
            .get(server_id)
            .ok_or_else(|| no_server(server_id))?;
        let mut disks = Vec::new();
        if let Some(root) = &server.root_disk {
            disks.push(ServerDisk {
                device: super::server::ROOT_DEVICE.to_string(),
                volume_id: None,
                boot: true,
                content: root.content().clone(),
            });
        }
        for attachment in &server.attachments {
            let content = self
                .volumes
                .get(&attachment.volume_id)
                .map(|v| v.content.content().clone())
                .unwrap_or_default();
            disks.push(ServerDisk {
                device: attachment.device.clone(),
                volume_id: Some(attachment.volume_id.clone()),
                boot: server.root_disk.is_none() && attachment.boot_index == Some(0),
                content,
            });
        }
        disks.sort_by(|a, b| (!a.boot, &a.device).cmp(&(!b.boot, &b.device)));
        Ok(disks)
    }

    /// Writes a marker on one disk of a server: `device`, or the root disk when `None`.
    pub fn write_server_marker(
        &mut self,
        server_id: &str,
        device: Option<&str>,
        key: &str,
        value: &str,
        now_ms: u64,
    ) -> Result<ServerDisk, CloudError> {
        let disks = self.server_disks(server_id, now_ms)?;
        let disk = disks
            .into_iter()
            .find(|d| device.map_or(d.boot, |wanted| d.device == wanted))
            .ok_or_else(|| {
                CloudError::not_found(format!(
                    "server {server_id} has no disk {}",
                    device.unwrap_or("to boot from")
                ))
            })?;
        match &disk.volume_id {
            Some(volume_id) => {
                let volume = self.volumes.get_mut(volume_id).expect("listed above");
                volume.content.write_marker(key, value);
                volume.updated_ms = now_ms;
            }
            None => {
                let server = self.servers.get_mut(server_id).expect("listed above");
                if let Some(root) = server.root_disk.as_mut() {
                    root.write_marker(key, value);
                }
            }
        }
        let written = self.server_disks(server_id, now_ms)?;
        Ok(written
            .into_iter()
            .find(|d| d.device == disk.device)
            .expect("listed above"))
    }

    /// A volume's content as of `now_ms`.
    pub fn volume_content(
        &mut self,
        volume_id: &str,
        now_ms: u64,
    ) -> Result<DiskContent, CloudError> {
        if !self.volumes.contains_key(volume_id) {
            return Err(no_volume(volume_id));
        }
        Ok(self.volume_disk_now(volume_id, now_ms).content().clone())
    }

    /// Writes a marker on a volume.
    pub fn write_volume_marker(
        &mut self,
        volume_id: &str,
        key: &str,
        value: &str,
        now_ms: u64,
    ) -> Result<DiskContent, CloudError> {
        self.volume_content(volume_id, now_ms)?;
        let volume = self.volumes.get_mut(volume_id).expect("checked above");
        volume.content.write_marker(key, value);
        volume.updated_ms = now_ms;
        Ok(volume.content.content().clone())
    }

    /// What a volume snapshot holds.
    pub fn snapshot_content(&self, snapshot_id: &str) -> Result<DiskContent, CloudError> {
        self.snapshots
            .get(snapshot_id)
            .map(|s| s.content.content().clone())
            .ok_or_else(|| CloudError::not_found(format!("no volume snapshot {snapshot_id}")))
    }

    /// What an image holds as a disk; `None` for an image of uploaded bytes or of a
    /// volume-backed server (whose disks are in the volume snapshots it lists).
    pub fn image_content(&self, image_id: &str) -> Result<Option<DiskContent>, CloudError> {
        self.images
            .get(image_id)
            .map(|i| i.content.as_ref().map(|c| c.content().clone()))
            .ok_or_else(|| CloudError::not_found(format!("no image {image_id}")))
    }

    /// A server's live workload.
    pub fn workload(&self, server_id: &str) -> Result<Workload, CloudError> {
        let server = self
            .servers
            .get(server_id)
            .ok_or_else(|| no_server(server_id))?;
        Ok(Workload {
            running: server.workload_since_ms.is_some(),
            since_ms: server.workload_since_ms,
        })
    }

    /// Switches a server's live workload on or off at `now_ms`.
    pub fn set_workload(
        &mut self,
        server_id: &str,
        running: bool,
        now_ms: u64,
    ) -> Result<Workload, CloudError> {
        self.settle_workload(server_id, now_ms);
        let server = self
            .servers
            .get_mut(server_id)
            .ok_or_else(|| no_server(server_id))?;
        server.workload_since_ms = match (running, server.workload_since_ms) {
            (true, Some(since)) => Some(since),
            (true, None) => Some(now_ms),
            (false, _) => None,
        };
        self.workload(server_id)
    }
}
