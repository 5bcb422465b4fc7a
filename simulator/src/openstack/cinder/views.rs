//! Cinder's JSON views of volumes and snapshots, per microversion.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::openstack::handler_prelude::*;
use crate::openstack::model::{AttachStatus, Attachment, CloudState, Snapshot, Volume};
use crate::openstack::stamp::Stamp;

/// The availability zone of every volume (Cinder's default `storage_availability_zone`).
pub const AVAILABILITY_ZONE: &str = "nova";

/// The backend host of every volume (`os-vol-host-attr:host`).
pub const VOLUME_HOST: &str = "devstack@lvmdriver-1#lvmdriver-1";

/// Cinder's timestamp rendering (microseconds, no zone).
pub use crate::openstack::stamp::micros as stamp;

/// Which answer a volume view is for: Cinder's API extensions add
/// `os-vol-tenant-attr:tenant_id`, `os-vol-host-attr:host` and `volume_image_metadata` to show
/// and the detail list only, and the visible admin metadata (`readonly`, `attached_mode`) is
/// merged into `metadata` for all but the create answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeAnswer {
    Create,
    Update,
    Show,
}

/// An attachment as the volume view lists it (the attached ones only; the host for the admin
/// only).
fn volume_attachment(cloud: &Cloud, attachment: &Attachment, admin: bool) -> Value {
    json!({
        "id": attachment.volume_id,
        "attachment_id": attachment.id,
        "volume_id": attachment.volume_id,
        "server_id": attachment.instance_uuid,
        "host_name": attachment.attached_host.as_ref().filter(|_| admin),
        "device": attachment.mountpoint,
        "attached_at": attachment.attached_ms.map(|ms| stamp(cloud, ms)),
    })
}

/// A volume's full view, for the admin (`admin`) or a project.
pub fn volume(
    cloud: &Cloud,
    state: &CloudState,
    volume: &Volume,
    (version, admin): (Microversion, bool),
    answer: VolumeAnswer,
) -> Value {
    let attachments = state.volume_attachments(&volume.id);
    let attached: Vec<Value> = attachments
        .iter()
        .filter(|a| a.attach_status == AttachStatus::Attached)
        .map(|a| volume_attachment(cloud, a, admin))
        .collect();
    let self_link = format!(
        "{}/volume/v3/{}/volumes/{}",
        cloud.public_url(),
        volume.project_id,
        volume.id
    );
    let volume_type = state.volume_types.get(&volume.volume_type_id);
    let mut metadata = volume.metadata.clone();
    if answer != VolumeAnswer::Create {
        if let Some(readonly) = volume.readonly {
            metadata.insert(
                "readonly".into(),
                if readonly { "True" } else { "False" }.into(),
            );
        }
        if let Some(mode) = attachments.iter().rev().find(|a| a.attach_mode != "null") {
            metadata.insert("attached_mode".into(), mode.attach_mode.clone());
        }
    }
    let mut view = json!({
        "id": volume.id,
        "name": volume.name,
        "description": volume.description,
        "status": volume.status,
        "size": volume.size,
        "availability_zone": AVAILABILITY_ZONE,
        "created_at": stamp(cloud, volume.created_ms),
        "updated_at": stamp(cloud, volume.updated_ms),
        "volume_type": volume_type.map(|t| t.name.clone()),
        "snapshot_id": volume.snapshot_id,
        "source_volid": volume.source_volid,
        "metadata": metadata,
        "links": [
            {"rel": "self", "href": self_link},
            {"rel": "bookmark", "href": self_link.replace("/v3/", "/")}
        ],
        "user_id": volume.user_id,
        "bootable": if volume.bootable { "true" } else { "false" },
        "encrypted": false,
        "replication_status": null,
        "consistencygroup_id": null,
        "multiattach": volume_type.is_some_and(|t| t.multiattach()),
        "attachments": attached,
        "migration_status": null,
    });
    if answer == VolumeAnswer::Show {
        view["os-vol-tenant-attr:tenant_id"] = json!(volume.project_id);
        view["os-vol-host-attr:host"] = json!(VOLUME_HOST);
        if let Some((image_id, image_name)) = &volume.image {
            view["volume_image_metadata"] = json!({"image_id": image_id, "image_name": image_name});
        }
    }
    let gated: [((u32, u32), &str, Value); 5] = [
        ((3, 13), "group_id", Value::Null),
        ((3, 48), "shared_targets", json!(false)),
        ((3, 63), "volume_type_id", json!(volume.volume_type_id)),
        ((3, 64), "encryption_key_id", Value::Null),
        ((3, 65), "consumes_quota", json!(true)),
    ];
    for ((major, minor), key, value) in gated {
        if version >= Microversion(major, minor) {
            view[key] = value;
        }
    }
    if version >= Microversion(3, 48) {
        view["service_uuid"] =
            json!(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, b"cinder-volume").to_string());
    }
    view
}

/// A volume's short view (`GET /volumes`).
pub fn volume_summary(cloud: &Cloud, volume: &Volume) -> Value {
    let self_link = format!(
        "{}/volume/v3/{}/volumes/{}",
        cloud.public_url(),
        volume.project_id,
        volume.id
    );
    json!({"id": volume.id, "name": volume.name, "links": [{"rel": "self", "href": self_link}]})
}

/// A volume snapshot as Cinder renders it (`detailed` adds the extended attributes of the
/// detail list and show), written straight to bytes; keys in key order, as Cinder's JSON comes
/// out here.
#[derive(Serialize)]
pub struct SnapshotView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    consumes_quota: Option<bool>,
    created_at: Stamp,
    description: &'a Option<String>,
    /// JSON null from 3.14.
    #[serde(skip_serializing_if = "Option::is_none")]
    group_snapshot_id: Option<()>,
    id: &'a str,
    metadata: &'a BTreeMap<String, String>,
    name: &'a Option<String>,
    #[serde(
        rename = "os-extended-snapshot-attributes:progress",
        skip_serializing_if = "Option::is_none"
    )]
    progress: Option<&'a str>,
    #[serde(
        rename = "os-extended-snapshot-attributes:project_id",
        skip_serializing_if = "Option::is_none"
    )]
    project_id: Option<&'a str>,
    size: u32,
    status: &'a str,
    updated_at: Stamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    volume_id: &'a str,
}

/// `{"snapshot": <view>}`, the answer of a show, create or update.
#[derive(Serialize)]
pub struct SnapshotBody<'a> {
    pub snapshot: SnapshotView<'a>,
}

/// The view of `snapshot` at `version`.
pub fn snapshot<'a>(
    cloud: &Cloud,
    snapshot: &'a Snapshot,
    version: Microversion,
    detailed: bool,
) -> SnapshotView<'a> {
    let derived = if snapshot.status == "creating" {
        "0%"
    } else {
        "100%"
    };
    SnapshotView {
        consumes_quota: (version >= Microversion(3, 65)).then_some(true),
        created_at: stamp(cloud, snapshot.created_ms),
        description: &snapshot.description,
        group_snapshot_id: (version >= Microversion(3, 14)).then_some(()),
        id: &snapshot.id,
        metadata: &snapshot.metadata,
        name: &snapshot.name,
        progress: detailed.then(|| snapshot.progress.as_deref().unwrap_or(derived)),
        project_id: detailed.then_some(&*snapshot.project_id),
        size: snapshot.size,
        status: &snapshot.status,
        updated_at: stamp(cloud, snapshot.updated_ms),
        user_id: (version >= Microversion(3, 41)).then_some(&*snapshot.user_id),
        volume_id: &snapshot.volume_id,
    }
}
