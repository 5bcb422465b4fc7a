//! `resourceChanges` of an op occ (`affectedVnfcs`, `affectedVirtualStorages`).

use std::sync::Arc;

use crate::vnfm::{
    representation::{SERVER_TYPE, VOLUME_TYPE},
    store::VnfcRecord,
    types::{AffectedVirtualStorage, AffectedVnfc, ChangeType, ResourceChanges, ResourceHandle},
};

/// The changes of `vnfcs` (their servers and the volumes the VNFM created) with `change_type`.
pub fn of(vnfcs: &[VnfcRecord], change_type: ChangeType, vim_id: &Arc<str>) -> ResourceChanges {
    let affected_vnfcs = vnfcs
        .iter()
        .map(|vnfc| AffectedVnfc {
            id: vnfc.id.clone(),
            vdu_id: vnfc.vdu_id.clone(),
            change_type,
            compute_resource: ResourceHandle::new(vim_id, vnfc.server_id.as_str(), SERVER_TYPE),
            affected_vnfc_cp_ids: Vec::new(),
        })
        .collect();
    let affected_virtual_storages = vnfcs
        .iter()
        .flat_map(|vnfc| &vnfc.volumes)
        .filter(|volume| !volume.out_of_band)
        .map(|volume| AffectedVirtualStorage {
            id: volume.id.clone(),
            virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
            change_type,
            storage_resource: ResourceHandle::new(vim_id, volume.volume_id.as_str(), VOLUME_TYPE),
        })
        .collect();
    ResourceChanges {
        affected_vnfcs,
        affected_virtual_storages,
        ..ResourceChanges::default()
    }
}
