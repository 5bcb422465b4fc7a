use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::vnfm::clock::Timestamp;
use serde_json::{Map, Value};

use super::{JsonText, Link, ResourceHandle};

/// SOL003 §5.5.2.22 `VnfSnapshotInfo`: the "Individual VNF snapshot" resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshotInfo {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot_pkg_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot: Option<VnfSnapshot>,
    #[serde(rename = "_links")]
    pub links: VnfSnapshotInfoLinks,
}

/// `VnfSnapshotInfo._links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshotInfoLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken_from: Option<Link>,
}

/// SOL003 §5.5.2.23 `VnfSnapshot`: the content of a VNF snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshot {
    pub id: String,
    pub vnf_instance_id: String,
    pub creation_started_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_finished_at: Option<Timestamp>,
    pub vnfd_id: String,
    /// A copy of the VNF instance at snapshot time.
    pub vnf_instance: JsonText,
    pub vnfc_snapshots: Vec<VnfcSnapshotInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_state_snapshot_info: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_defined_data: Option<Map<String, Value>>,
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    pub links: Option<VnfSnapshotLinks>,
}

/// `VnfSnapshot._links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshotLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_state_snapshot: Option<Link>,
}

/// `VnfcSnapshotInfo`: the snapshot of one VNFC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcSnapshotInfo {
    /// The ids are shared with the VNFM's record of the VNFC snapshot rather than copied.
    pub id: Arc<str>,
    pub vnfc_instance_id: Arc<str>,
    pub creation_started_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_finished_at: Option<Timestamp>,
    pub vnfc_resource_info_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compute_snapshot_resource: Option<ResourceHandle>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_snapshot_resources: Vec<StorageSnapshotResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_defined_data: Option<Map<String, Value>>,
}

/// `VnfcSnapshotInfo.storageSnapshotResources[]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageSnapshotResource {
    pub storage_resource_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_snapshot_resource: Option<ResourceHandle>,
}
