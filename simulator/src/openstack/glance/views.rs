//! Glance's image view: core attributes plus extra properties flattened at top level, written
//! straight to the answer's bytes (an image show is what a VNFM polls while a snapshot saves).

use serde::{ser::SerializeMap, Serialize, Serializer};

use crate::openstack::{
    cloud::Cloud,
    model::Image,
    stamp::{self, Stamp},
};

/// The core attributes of Glance's image view, in key order (the order Glance's JSON comes out
/// in here, with the extra properties merged in between).
const CORE_KEYS: [&str; 22] = [
    "checksum",
    "container_format",
    "created_at",
    "disk_format",
    "file",
    "id",
    "min_disk",
    "min_ram",
    "name",
    "os_hash_algo",
    "os_hash_value",
    "os_hidden",
    "owner",
    "protected",
    "schema",
    "self",
    "size",
    "status",
    "tags",
    "updated_at",
    "virtual_size",
    "visibility",
];

/// The image as Glance renders it: core attributes first in authority (an extra property
/// named like one is not shown), every key once, in key order.
pub struct ImageView<'a> {
    image: &'a Image,
    created_at: Stamp,
    updated_at: Stamp,
}

/// The view of `image`, its times on the cloud's wall clock.
pub fn image<'a>(cloud: &Cloud, image: &'a Image) -> ImageView<'a> {
    let stamp = |ms| stamp::seconds(cloud, ms);
    ImageView {
        image,
        created_at: stamp(image.created_ms),
        updated_at: stamp(image.updated_ms),
    }
}

impl ImageView<'_> {
    fn core_entry<M: SerializeMap>(&self, map: &mut M, key: &str) -> Result<(), M::Error> {
        let image = self.image;
        match key {
            "checksum" => map.serialize_entry(key, &image.checksum),
            "container_format" => map.serialize_entry(key, &image.container_format),
            "created_at" => map.serialize_entry(key, &self.created_at),
            "disk_format" => map.serialize_entry(key, &image.disk_format),
            "file" => map.serialize_entry(key, &format_args!("/v2/images/{}/file", image.id)),
            "id" => map.serialize_entry(key, &image.id),
            "min_disk" => map.serialize_entry(key, &image.min_disk),
            "min_ram" => map.serialize_entry(key, &image.min_ram),
            "name" => map.serialize_entry(key, &image.name),
            "os_hash_algo" => {
                map.serialize_entry(key, &image.os_hash_value.as_ref().map(|_| "sha512"))
            }
            "os_hash_value" => map.serialize_entry(key, &image.os_hash_value),
            "os_hidden" => map.serialize_entry(key, &image.os_hidden),
            "owner" => map.serialize_entry(key, &image.owner),
            "protected" => map.serialize_entry(key, &image.protected),
            "schema" => map.serialize_entry(key, "/v2/schemas/image"),
            "self" => map.serialize_entry(key, &format_args!("/v2/images/{}", image.id)),
            "size" => map.serialize_entry(key, &image.size),
            "status" => map.serialize_entry(key, &image.status),
            "tags" => map.serialize_entry(key, &image.tags),
            "updated_at" => map.serialize_entry(key, &self.updated_at),
            "virtual_size" => map.serialize_entry(key, &None::<u64>),
            "visibility" => map.serialize_entry(key, &image.visibility),
            _ => Ok(()),
        }
    }
}

impl Serialize for ImageView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let mut core = CORE_KEYS.iter().copied().peekable();
        for (key, value) in &self.image.properties {
            while let Some(first) = core.next_if(|core_key| *core_key <= key.as_str()) {
                self.core_entry(&mut map, first)?;
            }
            if !CORE_KEYS.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        for key in core {
            self.core_entry(&mut map, key)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openstack::{
        config::CloudConfig,
        model::{CloudState, ImageRequest},
    };

    #[test]
    fn the_core_keys_are_in_key_order() {
        assert!(CORE_KEYS.is_sorted());
    }

    /// Written straight to bytes, the view is the JSON object a `Value` would give: every key
    /// once and in order, properties between the core keys, a property named like a core key
    /// hidden by it.
    #[test]
    fn the_view_is_one_sorted_object_with_core_keys_first_in_authority() {
        let cloud = Cloud::new(CloudConfig::default(), "http://cloud.test");
        let properties = [
            ("a", "1"),
            ("hw_disk_bus", "scsi"),
            ("status", "x"),
            ("zz", "2"),
        ];
        let request = ImageRequest {
            name: Some("snap".into()),
            properties: properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..ImageRequest::default()
        };
        let image = CloudState::default().create_image("p", request, 5).unwrap();
        let written = serde_json::to_string(&super::image(&cloud, &image)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(written, value.to_string());
        let object = value.as_object().unwrap();
        assert_eq!(object.len(), CORE_KEYS.len() + 3);
        assert_eq!(object["status"], "queued");
        assert_eq!(object["hw_disk_bus"], "scsi");
        assert_eq!(object["self"], format!("/v2/images/{}", image.id));
        assert_eq!(object["file"], format!("/v2/images/{}/file", image.id));
        assert_eq!(object["os_hash_algo"], serde_json::Value::Null);
    }
}
