//! Glance's image view: core attributes plus extra properties flattened at top level.

use chrono::SecondsFormat;
use serde_json::{json, Value};

use crate::openstack::{cloud::Cloud, model::Image};

/// The image as Glance renders it.
pub fn image(cloud: &Cloud, image: &Image) -> Value {
    let stamp = |ms| {
        cloud
            .clock()
            .wall(ms)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let mut view = json!({
        "id": image.id,
        "name": image.name,
        "status": image.status,
        "visibility": image.visibility,
        "protected": image.protected,
        "os_hidden": image.os_hidden,
        "size": image.size,
        "virtual_size": null,
        "checksum": image.checksum,
        "os_hash_algo": image.os_hash_value.as_ref().map(|_| "sha512"),
        "os_hash_value": image.os_hash_value,
        "disk_format": image.disk_format,
        "container_format": image.container_format,
        "min_ram": image.min_ram,
        "min_disk": image.min_disk,
        "owner": image.owner,
        "tags": image.tags,
        "created_at": stamp(image.created_ms),
        "updated_at": stamp(image.updated_ms),
        "self": format!("/v2/images/{}", image.id),
        "file": format!("/v2/images/{}/file", image.id),
        "schema": "/v2/schemas/image",
    });
    if let Some(object) = view.as_object_mut() {
        for (key, value) in &image.properties {
            object.entry(key.clone()).or_insert_with(|| json!(value));
        }
    }
    view
}
