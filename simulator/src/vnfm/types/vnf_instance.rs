use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Link, ResourceHandle};

/// `InstantiationState` of a VNF instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstantiationState {
    NotInstantiated,
    Instantiated,
}

/// SOL003 §5.5.2.2 `VnfInstance` (the parts this VNFM maintains).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfInstance {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_description: Option<String>,
    pub vnfd_id: String,
    pub vnf_provider: String,
    pub vnf_product_name: String,
    pub vnf_software_version: String,
    pub vnfd_version: String,
    /// Keyed by vimConnectionId.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vim_connection_info: Option<BTreeMap<String, VimConnectionInfo>>,
    pub instantiation_state: InstantiationState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instantiated_vnf_info: Option<InstantiatedVnfInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(rename = "_links")]
    pub links: VnfInstanceLinks,
}

/// `VnfInstance._links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfInstanceLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instantiate: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminate: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_snapshot: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revert_to_snapshot: Option<Link>,
}

/// SOL003 §4.4.1.6 `VimConnectionInfo`. `accessInfo` is accepted in requests but never
/// returned (it holds credentials).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VimConnectionInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vim_id: Option<String>,
    pub vim_type: String,
    /// KeyValuePairs: any JSON values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interface_info: Option<Map<String, Value>>,
    /// KeyValuePairs: any JSON values (never returned: it holds credentials).
    #[serde(skip_serializing)]
    pub access_info: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<Value>,
}

/// `VnfInstance.instantiatedVnfInfo`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstantiatedVnfInfo {
    pub flavour_id: String,
    /// `STARTED` or `STOPPED`.
    pub vnf_state: String,
    pub vnfc_resource_info: Vec<VnfcResourceInfo>,
    pub virtual_storage_resource_info: Vec<VirtualStorageResourceInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnf_virtual_link_resource_info: Vec<VnfVirtualLinkResourceInfo>,
    /// SOL002 only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfc_info: Option<Vec<VnfcInfo>>,
}

/// `VnfcResourceInfo`: the compute resource of one VNFC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcResourceInfo {
    pub id: String,
    pub vdu_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfd_id: Option<String>,
    pub compute_resource: ResourceHandle,
    pub storage_resource_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnfc_cp_info: Vec<VnfcCpInfo>,
}

/// `VnfcResourceInfo.vnfcCpInfo`: one connection point of a VNFC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcCpInfo {
    pub id: String,
    pub cpd_id: String,
    /// `vnfLinkPorts[].id` of the internal virtual link the CP is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_link_port_id: Option<String>,
}

/// `VnfVirtualLinkResourceInfo`: one internal virtual link of the VNF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfVirtualLinkResourceInfo {
    pub id: String,
    pub vnf_virtual_link_desc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfd_id: Option<String>,
    pub network_resource: ResourceHandle,
    pub vnf_link_ports: Vec<VnfLinkPortInfo>,
}

/// `VnfLinkPortInfo`: one port of a virtual link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfLinkPortInfo {
    pub id: String,
    pub resource_handle: ResourceHandle,
    /// The `vnfcCpInfo[].id` using the port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cp_instance_id: Option<String>,
    /// `VNFC_CP` or `EXT_CP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cp_instance_type: Option<String>,
}

/// `VirtualStorageResourceInfo`: one volume of the VNF.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualStorageResourceInfo {
    pub id: String,
    pub virtual_storage_desc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfd_id: Option<String>,
    pub storage_resource: ResourceHandle,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// SOL002 `VnfcInfo`: the VNFC as the EM sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcInfo {
    pub id: String,
    pub vdu_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfc_resource_info_id: Option<String>,
    /// `STARTED` or `STOPPED`.
    pub vnfc_state: String,
}
