//! `resourceChanges` of an op occ (`affectedVnfcs`, `affectedVirtualStorages`).

use serde_json::{json, Value};

use crate::vnfm::{
    representation::{SERVER_TYPE, VOLUME_TYPE},
    store::VnfcRecord,
    types::ResourceHandle,
};

/// The changes of `vnfcs` with `change_type` (`ADDED`, `REMOVED`, `MODIFIED`).
pub fn of(vnfcs: &[VnfcRecord], change_type: &str, vim_id: &str) -> Value {
    let affected_vnfcs: Vec<Value> = vnfcs
        .iter()
        .map(|vnfc| {
            json!({
                "id": vnfc.id,
                "vduId": vnfc.vdu_id,
                "changeType": change_type,
                "computeResource": ResourceHandle::new(vim_id, &vnfc.server_id, SERVER_TYPE),
                "affectedVnfcCpIds": [],
            })
        })
        .collect();
    let affected_storages: Vec<Value> = vnfcs
        .iter()
        .flat_map(|vnfc| &vnfc.volumes)
        .filter(|volume| !volume.out_of_band)
        .map(|volume| {
            json!({
                "id": volume.id,
                "virtualStorageDescId": volume.virtual_storage_desc_id,
                "changeType": change_type,
                "storageResource": ResourceHandle::new(vim_id, &volume.volume_id, VOLUME_TYPE),
            })
        })
        .collect();
    json!({
        "affectedVnfcs": affected_vnfcs,
        "affectedVirtualLinks": [],
        "affectedExtLinkPorts": [],
        "affectedVirtualStorages": affected_storages,
    })
}
