//! VNF descriptors: a built-in catalog plus JSON files read from a directory.
//!
//! File format (one descriptor per `*.json` file), using SOL001 node type names:
//!
//! ```json
//! {
//!   "vnfdId": "my-vnfd", "vnfProvider": "Example", "vnfProductName": "demo",
//!   "vnfSoftwareVersion": "1.0", "vnfdVersion": "1.0", "flavourId": "default",
//!   "requiredVimType": null,
//!   "vdus": [{
//!     "id": "VDU1", "type": "tosca.nodes.nfv.Vdu.Compute",
//!     "flavor": "m1.tiny", "sw_image": "cirros-0.6.2-x86_64-disk",
//!     "virtual_storages": [
//!       {"id": "VDU1-boot", "type": "tosca.nodes.nfv.Vdu.VirtualBlockStorage", "size": 1, "boot": true},
//!       {"id": "data1", "type": "tosca.nodes.nfv.Vdu.VirtualBlockStorage", "size": 1},
//!       {"id": "shared", "type": "tosca.nodes.nfv.Vdu.VirtualBlockStorage", "size": 1, "out_of_band": true}
//!     ]
//!   }]
//! }
//! ```
//!
//! `size` is in GiB. A VDU with a `boot: true` storage is volume-backed (booted from a new
//! volume made from `sw_image`), otherwise image-backed. `requiredVimType`, when set, is the
//! only vimType the VNF can be instantiated on.

mod builtin;
mod catalog;

pub use catalog::{Catalog, CatalogError};

use serde::{Deserialize, Serialize};

/// The SOL001 node type of a VDU.
pub const VDU_COMPUTE_TYPE: &str = "tosca.nodes.nfv.Vdu.Compute";
/// The SOL001 node type of a block storage.
pub const VIRTUAL_BLOCK_STORAGE_TYPE: &str = "tosca.nodes.nfv.Vdu.VirtualBlockStorage";

/// One VNF descriptor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VnfDescriptor {
    pub vnfd_id: String,
    pub vnf_provider: String,
    pub vnf_product_name: String,
    pub vnf_software_version: String,
    pub vnfd_version: String,
    pub flavour_id: String,
    #[serde(default)]
    pub required_vim_type: Option<String>,
    pub vdus: Vec<VduDescriptor>,
}

/// A `tosca.nodes.nfv.Vdu.Compute` node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VduDescriptor {
    pub id: String,
    #[serde(rename = "type")]
    pub node_type: String,
    pub flavor: String,
    pub sw_image: String,
    #[serde(default)]
    pub virtual_storages: Vec<StorageDescriptor>,
}

/// A `tosca.nodes.nfv.Vdu.VirtualBlockStorage` node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageDescriptor {
    pub id: String,
    #[serde(rename = "type")]
    pub node_type: String,
    /// GiB.
    pub size: u32,
    #[serde(default)]
    pub boot: bool,
    #[serde(default)]
    pub out_of_band: bool,
}

impl VnfDescriptor {
    /// Checks the node types and the storage rules; `Err` says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.vdus.is_empty() {
            return Err(format!("descriptor {} has no VDU", self.vnfd_id));
        }
        for vdu in &self.vdus {
            if vdu.node_type != VDU_COMPUTE_TYPE {
                return Err(format!(
                    "VDU {} has type {}, expected {VDU_COMPUTE_TYPE}",
                    vdu.id, vdu.node_type
                ));
            }
            let boots = vdu
                .virtual_storages
                .iter()
                .filter(|storage| storage.boot)
                .count();
            if boots > 1 {
                return Err(format!("VDU {} has more than one boot storage", vdu.id));
            }
            for storage in &vdu.virtual_storages {
                if storage.node_type != VIRTUAL_BLOCK_STORAGE_TYPE {
                    return Err(format!(
                        "storage {} has type {}, expected {VIRTUAL_BLOCK_STORAGE_TYPE}",
                        storage.id, storage.node_type
                    ));
                }
                if storage.boot && storage.out_of_band {
                    return Err(format!(
                        "storage {} cannot be both boot and out_of_band",
                        storage.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether any VDU uses an out-of-band volume.
    pub fn has_out_of_band_storage(&self) -> bool {
        self.vdus
            .iter()
            .flat_map(|vdu| &vdu.virtual_storages)
            .any(|storage| storage.out_of_band)
    }
}
