//! Cinder volume attachments: the records of the attachments API (3.27+: reserve, connect,
//! complete, delete), of the legacy `os-attach` / `os-detach` actions, and of the attachments
//! Nova makes when it attaches a volume to a server. A volume's status follows its
//! attachments as Cinder derives it (`attached` -> `in-use`, none -> `available`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{new_id, CloudState};
use crate::openstack::error::CloudError;

/// Where an attachment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachStatus {
    /// Connected and in use (`os-complete`, or made by Nova or `os-attach`).
    Attached,
    /// Connected (a connector was given), not yet completed.
    Attaching,
    /// Reserved for a consumer, no connection yet.
    Reserved,
}

impl AttachStatus {
    /// Cinder's name of the status.
    pub fn as_str(self) -> &'static str {
        match self {
            AttachStatus::Attached => "attached",
            AttachStatus::Attaching => "attaching",
            AttachStatus::Reserved => "reserved",
        }
    }
}

/// A volume attachment as Cinder stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub volume_id: String,
    /// The server (or any consumer's id) the volume is attached to.
    pub instance_uuid: Option<String>,
    pub attach_status: AttachStatus,
    /// `rw`, `ro`, or `null` until a connector or a mode says.
    pub attach_mode: String,
    /// The connector the consumer gave (host, initiator, mountpoint, ...).
    pub connector: Option<Value>,
    /// What the volume driver answered the connector; `{}` before a connector, `None` for
    /// attachments of the legacy actions.
    pub connection_info: Option<Value>,
    pub attached_host: Option<String>,
    pub mountpoint: Option<String>,
    pub attached_ms: Option<u64>,
    pub created_ms: u64,
}

/// The compute host of the fake (Nova's connector `host`, Cinder's `devstack@lvmdriver-1`).
pub const COMPUTE_HOST: &str = "devstack";

/// The connection the LVM iSCSI backend describes for a connector: a target on the storage
/// host (no initiator can reach it: the fake has no data path).
fn connection_info(volume_id: &str, mode: &str) -> Value {
    json!({
        "driver_volume_type": "iscsi",
        "data": {
            "target_discovered": false,
            "target_iqn": format!("iqn.2010-10.org.openstack:volume-{volume_id}"),
            "target_portal": "127.0.0.1:3260",
            "target_lun": 0,
            "volume_id": volume_id,
            "access_mode": mode,
            "encrypted": false,
            "qos_specs": null,
            "cacheable": false,
        },
    })
}

/// The connector Nova sends for its own attachments.
fn nova_connector(device: &str) -> Value {
    json!({
        "host": COMPUTE_HOST,
        "platform": "x86_64",
        "os_type": "linux",
        "multipath": false,
        "initiator": "iqn.2016-04.com.open-iscsi:devstack",
        "mountpoint": device,
        "mode": "rw",
    })
}

fn attachment_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!(
        "Volume attachment could not be found with filter: attachment_id = {id}."
    ))
}

impl CloudState {
    /// An attachment of one of the project's volumes (any volume's for the admin).
    pub fn attachment(
        &self,
        project_id: &str,
        admin: bool,
        id: &str,
    ) -> Result<&Attachment, CloudError> {
        self.attachments
            .get(id)
            .filter(|a| {
                admin
                    || self
                        .volumes
                        .get(&a.volume_id)
                        .is_some_and(|v| v.project_id == project_id)
            })
            .ok_or_else(|| attachment_not_found(id))
    }

    /// A volume's attachments, oldest first.
    pub fn volume_attachments(&self, volume_id: &str) -> Vec<&Attachment> {
        let mut found: Vec<&Attachment> = self
            .attachments
            .values()
            .filter(|a| a.volume_id == volume_id)
            .collect();
        found.sort_by_key(|a| a.created_ms);
        found
    }

    /// Whether the volume's type lets it be attached to several consumers at once.
    pub fn volume_multiattach(&self, volume_id: &str) -> bool {
        self.volumes
            .get(volume_id)
            .and_then(|v| self.volume_types.get(&v.volume_type_id))
            .is_some_and(|t| t.multiattach())
    }

    /// Sets a volume's status from its attachments, as Cinder does after any change to them.
    fn settle_attach_status(&mut self, volume_id: &str, now_ms: u64) {
        let status = match self
            .volume_attachments(volume_id)
            .iter()
            .map(|a| a.attach_status)
            .min()
        {
            Some(AttachStatus::Attached) => "in-use",
            Some(AttachStatus::Attaching) => "attaching",
            Some(AttachStatus::Reserved) => "reserved",
            None => "available",
        };
        if let Some(volume) = self.volumes.get_mut(volume_id) {
            volume.set_status(status, now_ms);
        }
    }

    /// Reserves a volume for a consumer (`POST /attachments`): the volume must be available
    /// (or, multi-attachable, in use), or already attached to the same consumer; `connector`
    /// connects it at once.
    pub fn create_attachment(
        &mut self,
        volume_id: &str,
        instance_uuid: Option<&str>,
        connector: Option<Value>,
        mode: Option<&str>,
        now_ms: u64,
    ) -> Result<Attachment, CloudError> {
        let volume = &self.volumes[volume_id];
        if volume.status.contains("error") {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume attachments can not be created if the volume is in an error state. The Volume {volume_id} currently has a status of: {} ",
                volume.status
            )));
        }
        let multiattach = self.volume_multiattach(volume_id);
        let allowed: &[&str] = if multiattach {
            &["available", "in-use", "downloading"]
        } else {
            &["available", "downloading"]
        };
        let same_consumer = instance_uuid.is_some_and(|instance| {
            ["in-use", "reserved"].contains(&volume.status.as_str())
                && self
                    .volume_attachments(volume_id)
                    .iter()
                    .any(|a| a.instance_uuid.as_deref() == Some(instance))
        });
        let volume = &self.volumes[volume_id];
        if !allowed.contains(&volume.status.as_str()) && !same_consumer {
            return Err(CloudError::bad_request(format!(
                "Invalid volume: Volume {volume_id} status must be {} to reserve, but the current status is {}.",
                allowed.join(" or "),
                volume.status
            )));
        }
        let attachment = Attachment {
            id: new_id(),
            volume_id: volume_id.to_string(),
            instance_uuid: instance_uuid.map(str::to_string),
            attach_status: AttachStatus::Reserved,
            attach_mode: mode.unwrap_or("null").to_string(),
            connector: None,
            connection_info: Some(json!({})),
            attached_host: None,
            mountpoint: None,
            attached_ms: None,
            created_ms: now_ms,
        };
        let id = attachment.id.clone();
        self.schedule.cancel_for(volume_id);
        self.attachments.insert(id.clone(), attachment);
        self.settle_attach_status(volume_id, now_ms);
        if let Some(connector) = connector.filter(|c| c.as_object().is_some_and(|o| !o.is_empty()))
        {
            self.connect_attachment(&id, connector, now_ms)?;
        }
        Ok(self.attachments[&id].clone())
    }

    /// Connects an attachment (`PUT /attachments/{id}` with a connector): the volume driver's
    /// connection info, the attachment and the volume `attaching`.
    pub fn update_attachment(
        &mut self,
        id: &str,
        connector: Value,
        now_ms: u64,
    ) -> Result<Attachment, CloudError> {
        let volume_id = self.attachments[id].volume_id.clone();
        let status = &self.volumes[&volume_id].status;
        if status.contains("error") {
            return Err(CloudError::conflict(format!(
                "Resource conflict: Volume attachments can not be updated if the volume is in an error state. The Volume {volume_id} currently has a status of: {status} "
            )));
        }
        let others_connected = self
            .volume_attachments(&volume_id)
            .iter()
            .any(|a| a.id != id && a.connector.is_some());
        if others_connected && !self.volume_multiattach(&volume_id) {
            return Err(CloudError::conflict(format!(
                "Resource conflict: duplicate connectors detected on volume {volume_id}"
            )));
        }
        self.connect_attachment(id, connector, now_ms)?;
        Ok(self.attachments[id].clone())
    }

    /// What the volume manager does with a connector: the mode (the attachment's own, or the
    /// connector's, default `rw`), refused when it writes to a read-only volume.
    fn connect_attachment(
        &mut self,
        id: &str,
        mut connector: Value,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let attachment = &self.attachments[id];
        let volume_id = attachment.volume_id.clone();
        let mode = if attachment.attach_mode == "null" {
            connector
                .get("mode")
                .and_then(Value::as_str)
                .unwrap_or("rw")
                .to_string()
        } else {
            attachment.attach_mode.clone()
        };
        if self.volumes[&volume_id].readonly == Some(true) && mode != "ro" {
            return Err(CloudError::bad_request(format!(
                "Invalid attaching mode '{mode}' for volume {volume_id}."
            )));
        }
        connector["mode"] = json!(mode);
        let attachment = self.attachments.get_mut(id).expect("checked by the caller");
        attachment.attached_host = connector
            .get("host")
            .and_then(Value::as_str)
            .map(str::to_string);
        attachment.mountpoint = Some(
            connector
                .get("mountpoint")
                .and_then(Value::as_str)
                .unwrap_or("na")
                .to_string(),
        );
        attachment.connection_info = Some(connection_info(&volume_id, &mode));
        attachment.connector = Some(connector);
        attachment.attach_mode = mode;
        attachment.attach_status = AttachStatus::Attaching;
        attachment.attached_ms = Some(now_ms);
        self.settle_attach_status(&volume_id, now_ms);
        Ok(())
    }

    /// Marks an attachment attached (`os-complete`): the volume `in-use`.
    pub fn complete_attachment(&mut self, id: &str, now_ms: u64) {
        if let Some(attachment) = self.attachments.get_mut(id) {
            attachment.attach_status = AttachStatus::Attached;
            let volume_id = attachment.volume_id.clone();
            self.settle_attach_status(&volume_id, now_ms);
        }
    }

    /// Whether a user may delete an attachment (Cinder's check for bug #2004555): not when
    /// it is connected to a server that Nova still has the volume attached to with it (409).
    pub fn check_attachment_deletion(&self, attachment: &Attachment) -> Result<(), CloudError> {
        let Some(server_id) = attachment.instance_uuid.as_deref() else {
            return Ok(());
        };
        if attachment.connector.is_none() {
            return Ok(());
        }
        let nova_has_it = self.servers.get(server_id).is_some_and(|s| {
            s.attachments
                .iter()
                .any(|a| a.volume_id == attachment.volume_id && a.attachment_id == attachment.id)
        });
        if nova_has_it {
            return Err(nova_using(server_id));
        }
        Ok(())
    }

    /// The same check for a detach of a volume naming an attachment or not: an attachment
    /// that cannot be told (unknown, or one of several) is refused as Nova's (409).
    fn check_detach(&self, volume_id: &str, attachment_id: Option<&str>) -> Result<(), CloudError> {
        let attachment = match attachment_id {
            Some(id) => self.attachments.get(id),
            None => match self.volume_attachments(volume_id).as_slice() {
                [] => return Ok(()),
                [only] => Some(*only),
                _ => None,
            },
        };
        match attachment {
            Some(attachment) if attachment.volume_id != volume_id => Err(CloudError::bad_request(
                "Invalid input received: Mismatched volume and attachment",
            )),
            Some(attachment) => self.check_attachment_deletion(attachment),
            None => Err(nova_using("")),
        }
    }

    /// Removes an attachment; the volume's status follows the ones left.
    pub fn delete_attachment(&mut self, id: &str, now_ms: u64) {
        if let Some(attachment) = self.attachments.remove(id) {
            self.settle_attach_status(&attachment.volume_id, now_ms);
        }
    }

    /// The legacy `os-initialize_connection`: the connection the backend describes, read-only
    /// for a read-only volume.
    pub fn initialize_connection(&self, volume_id: &str) -> Value {
        let readonly = self.volumes[volume_id].readonly == Some(true);
        connection_info(volume_id, if readonly { "ro" } else { "rw" })
    }

    /// Attaches a volume to a server at once, as Nova does (reserve, connect with its
    /// connector, complete); returns the attachment id.
    pub fn attach_volume(
        &mut self,
        volume_id: &str,
        server_id: &str,
        device: &str,
        now_ms: u64,
    ) -> String {
        let id = new_id();
        let attachment = Attachment {
            id: id.clone(),
            volume_id: volume_id.to_string(),
            instance_uuid: Some(server_id.to_string()),
            attach_status: AttachStatus::Attached,
            attach_mode: "rw".to_string(),
            connector: Some(nova_connector(device)),
            connection_info: Some(connection_info(volume_id, "rw")),
            attached_host: Some(COMPUTE_HOST.to_string()),
            mountpoint: Some(device.to_string()),
            attached_ms: Some(now_ms),
            created_ms: now_ms,
        };
        self.schedule.cancel_for(volume_id);
        self.attachments.insert(id.clone(), attachment);
        self.settle_attach_status(volume_id, now_ms);
        id
    }

    /// The legacy `os-attach` action: attached at once to a server or a host with `mode`;
    /// refused for a read-write attachment of a read-only volume and for a volume attached
    /// elsewhere (unless multi-attachable).
    pub fn legacy_attach(
        &mut self,
        volume_id: &str,
        instance_uuid: Option<&str>,
        host_name: Option<&str>,
        mountpoint: &str,
        mode: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let volume = self
            .volumes
            .get_mut(volume_id)
            .expect("checked by the caller");
        if *volume.readonly.get_or_insert(false) && mode != "ro" {
            return Err(CloudError::bad_request(format!(
                "Invalid attaching mode '{mode}' for volume {volume_id}."
            )));
        }
        let already = self
            .volume_attachments(volume_id)
            .into_iter()
            .any(|a| match instance_uuid {
                Some(_) => a.instance_uuid.as_deref() == instance_uuid,
                None => a.attached_host.as_deref() == host_name,
            });
        if already {
            self.settle_attach_status(volume_id, now_ms);
            return Ok(());
        }
        if self.volumes[volume_id].status == "in-use" && !self.volume_multiattach(volume_id) {
            return Err(CloudError::bad_request(
                "Error attaching volume - InvalidVolume: Invalid volume: volume is already attached and multiple attachments are not enabled",
            ));
        }
        let attachment = Attachment {
            id: new_id(),
            volume_id: volume_id.to_string(),
            instance_uuid: instance_uuid.map(str::to_string),
            attach_status: AttachStatus::Attached,
            attach_mode: mode.to_string(),
            connector: None,
            connection_info: None,
            attached_host: host_name.map(str::to_string),
            mountpoint: Some(mountpoint.to_string()),
            attached_ms: Some(now_ms),
            created_ms: now_ms,
        };
        self.schedule.cancel_for(volume_id);
        self.attachments.insert(attachment.id.clone(), attachment);
        self.settle_attach_status(volume_id, now_ms);
        Ok(())
    }

    /// The legacy `os-detach` action: the given attachment, or the volume's only one; a
    /// volume without attachments is made available.
    pub fn legacy_detach(
        &mut self,
        volume_id: &str,
        attachment_id: Option<&str>,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.check_detach(volume_id, attachment_id)?;
        let attachment = attachment_id.map(str::to_string).or_else(|| {
            self.volume_attachments(volume_id)
                .first()
                .map(|a| a.id.clone())
        });
        match attachment {
            Some(id) => self.delete_attachment(&id, now_ms),
            None => self.settle_attach_status(volume_id, now_ms),
        }
        Ok(())
    }
}

fn nova_using(server_id: &str) -> CloudError {
    CloudError::conflict(format!(
        "Detach volume from instance {server_id} using the Compute API"
    ))
}
