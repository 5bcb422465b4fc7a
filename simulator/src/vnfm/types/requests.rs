//! Request and modification bodies of the VNF LCM interface.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{VimConnectionInfo, VnfSnapshot};

/// `CreateVnfRequest` (POST /vnf_instances).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVnfRequest {
    pub vnfd_id: String,
    pub vnf_instance_name: Option<String>,
    pub vnf_instance_description: Option<String>,
    pub metadata: Option<Map<String, Value>>,
}

/// `InstantiateVnfRequest`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstantiateVnfRequest {
    pub flavour_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instantiation_level_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vim_connection_info: Option<BTreeMap<String, VimConnectionInfo>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_params: Option<Map<String, Value>>,
}

/// `TerminateVnfRequest`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerminateVnfRequest {
    /// `FORCEFUL` or `GRACEFUL`.
    pub termination_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graceful_termination_timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_params: Option<Map<String, Value>>,
}

/// `CreateVnfSnapshotInfoRequest` (POST /vnf_snapshots): `{}` is valid.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVnfSnapshotInfoRequest {
    pub vnf_snapshot_pkg_id: Option<String>,
    pub vnf_snapshot: Option<VnfSnapshot>,
}

/// `CreateVnfSnapshotRequest`; `vnfcInstanceId` is the SOL002 addition.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVnfSnapshotRequest {
    pub vnf_snapshot_info_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_defined_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfc_instance_id: Option<String>,
}

/// `RevertToVnfSnapshotRequest`; `vnfcInstanceId` and `vnfcSnapshotInfoId` are the SOL002
/// additions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevertToVnfSnapshotRequest {
    pub vnf_snapshot_info_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfc_instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfc_snapshot_info_id: Option<String>,
}

/// `VnfSnapshotInfoModificationRequest` (PATCH /vnf_snapshots/{id}).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshotInfoModificationRequest {
    pub vnf_snapshot_pkg_id: Option<String>,
    pub vnf_snapshot: Option<VnfSnapshot>,
}

/// `VnfSnapshotInfoModifications`: the attributes a PATCH changed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfSnapshotInfoModifications {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot_pkg_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot: Option<VnfSnapshot>,
}
