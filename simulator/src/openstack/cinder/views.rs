//! Cinder's JSON views of volumes and snapshots, per microversion.

use serde_json::{json, Value};

use crate::openstack::{
    cloud::Cloud,
    microversion::Microversion,
    model::{volume_type_id, Snapshot, Volume},
};

/// Cinder's timestamp rendering (microseconds, no zone).
pub fn stamp(cloud: &Cloud, ms: u64) -> String {
    cloud
        .clock()
        .wall(ms)
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}

/// A volume's full view; `detailed` (show and detail list) adds what Cinder's API extensions
/// add to those two only: `os-vol-tenant-attr:tenant_id`, `os-vol-host-attr:host` and
/// `volume_image_metadata` (create and update answer without them).
pub fn volume(cloud: &Cloud, volume: &Volume, version: Microversion, detailed: bool) -> Value {
    let attachments: Vec<Value> = volume
        .attachment
        .iter()
        .map(|a| {
            json!({
                "id": volume.id,
                "attachment_id": a.attachment_id,
                "volume_id": volume.id,
                "server_id": a.server_id,
                "host_name": null,
                "device": a.device,
                "attached_at": stamp(cloud, a.attached_ms),
            })
        })
        .collect();
    let self_link = format!(
        "{}/volume/v3/{}/volumes/{}",
        cloud.public_url(),
        volume.project_id,
        volume.id
    );
    let mut view = json!({
        "id": volume.id,
        "name": volume.name,
        "description": volume.description,
        "status": volume.status,
        "size": volume.size,
        "availability_zone": "nova",
        "created_at": stamp(cloud, volume.created_ms),
        "updated_at": stamp(cloud, volume.updated_ms),
        "volume_type": volume.volume_type,
        "snapshot_id": volume.snapshot_id,
        "source_volid": volume.source_volid,
        "metadata": volume.metadata,
        "links": [
            {"rel": "self", "href": self_link},
            {"rel": "bookmark", "href": self_link.replace("/v3/", "/")}
        ],
        "user_id": volume.user_id,
        "bootable": if volume.bootable { "true" } else { "false" },
        "encrypted": false,
        "replication_status": null,
        "consistencygroup_id": null,
        "multiattach": false,
        "attachments": attachments,
        "migration_status": null,
    });
    if detailed {
        view["os-vol-tenant-attr:tenant_id"] = json!(volume.project_id);
        view["os-vol-host-attr:host"] = json!("devstack@lvmdriver-1#lvmdriver-1");
        if let Some((image_id, image_name)) = &volume.image {
            view["volume_image_metadata"] = json!({"image_id": image_id, "image_name": image_name});
        }
    }
    let gated: [((u32, u32), &str, Value); 5] = [
        ((3, 13), "group_id", Value::Null),
        ((3, 48), "shared_targets", json!(false)),
        (
            (3, 63),
            "volume_type_id",
            json!(volume_type_id(&volume.volume_type)),
        ),
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

/// A snapshot's view; `detailed` adds the extended attributes.
pub fn snapshot(
    cloud: &Cloud,
    snapshot: &Snapshot,
    version: Microversion,
    detailed: bool,
) -> Value {
    let mut view = json!({
        "id": snapshot.id,
        "created_at": stamp(cloud, snapshot.created_ms),
        "updated_at": stamp(cloud, snapshot.updated_ms),
        "name": snapshot.name,
        "description": snapshot.description,
        "volume_id": snapshot.volume_id,
        "status": snapshot.status,
        "size": snapshot.size,
        "metadata": snapshot.metadata,
    });
    if version >= Microversion(3, 14) {
        view["group_snapshot_id"] = Value::Null;
    }
    if version >= Microversion(3, 41) {
        view["user_id"] = json!(snapshot.user_id);
    }
    if version >= Microversion(3, 65) {
        view["consumes_quota"] = json!(true);
    }
    if detailed {
        view["os-extended-snapshot-attributes:project_id"] = json!(snapshot.project_id);
        let derived = if snapshot.status == "creating" {
            "0%"
        } else {
            "100%"
        };
        let progress = snapshot.progress.as_deref().unwrap_or(derived);
        view["os-extended-snapshot-attributes:progress"] = json!(progress);
    }
    view
}
