//! `VnfLcmOpOcc.resourceChanges` and the affected resources it lists (SOL003 §5.5.2.13,
//! §5.5.3.2, §5.5.3.4).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ResourceHandle;

/// `ChangeType` of an affected VNFC or virtual storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeType {
    Added,
    Removed,
    Modified,
    Temporary,
}

/// SOL003 §5.5.3.2 `AffectedVnfc`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AffectedVnfc {
    pub id: String,
    pub vdu_id: String,
    pub change_type: ChangeType,
    pub compute_resource: ResourceHandle,
    pub affected_vnfc_cp_ids: Vec<String>,
}

/// SOL003 §5.5.3.4 `AffectedVirtualStorage`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AffectedVirtualStorage {
    pub id: String,
    pub virtual_storage_desc_id: String,
    pub change_type: ChangeType,
    pub storage_resource: ResourceHandle,
}

/// `VnfLcmOpOcc.resourceChanges`. This VNFM reports no changes of virtual links or external
/// link ports (docs/vnfm-choices.md): those two lists are always empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceChanges {
    pub affected_vnfcs: Vec<AffectedVnfc>,
    pub affected_virtual_links: Vec<Value>,
    pub affected_ext_link_ports: Vec<Value>,
    pub affected_virtual_storages: Vec<AffectedVirtualStorage>,
}
