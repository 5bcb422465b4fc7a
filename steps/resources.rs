//! The cloud resources a VNF snapshot lists: the image of each VNFC snapshot and the volume
//! snapshot of each of its storage resources.

use serde_json::Value;

/// The cloud resources a completed VNF snapshot lists.
#[derive(Clone, Debug, Default)]
pub struct SnapshotResources {
    /// `(VNFC snapshot id, image id)` per VNFC snapshot with a compute snapshot.
    pub images: Vec<(String, String)>,
    /// `(VNFC snapshot id, volume snapshot id)` per storage snapshot.
    pub volume_snapshots: Vec<(String, String)>,
}

impl SnapshotResources {
    /// The resources listed in a `VnfSnapshotInfo` body.
    pub fn of(info: &Value) -> Self {
        let mut resources = Self::default();
        for vnfc in info["vnfSnapshot"]["vnfcSnapshots"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let vnfc_id = vnfc["id"].as_str().unwrap_or_default().to_string();
            if let Some(image) = vnfc["computeSnapshotResource"]["resourceId"].as_str() {
                resources.images.push((vnfc_id.clone(), image.to_string()));
            }
            for storage in vnfc["storageSnapshotResources"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if let Some(snap) = storage["storageSnapshotResource"]["resourceId"].as_str() {
                    resources
                        .volume_snapshots
                        .push((vnfc_id.clone(), snap.to_string()));
                }
            }
        }
        resources
    }
}
