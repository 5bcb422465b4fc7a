//! The "Individual VNF snapshot" resources' own changes: create, modify (PATCH) and the
//! synchronous DELETE that removes the snapshot's images and volume snapshots from the VIM.

use std::sync::Arc;

use crate::vnfm::{
    error::{SnapshotUse, VnfmError},
    services::Services,
    store::{SnapshotLock, SnapshotRecord, StoreData, VnfcSnapshotRecord},
    types::{CreateVnfSnapshotInfoRequest, VnfSnapshotInfoModificationRequest},
    vim_binding::VimBinding,
};

/// Stores a new snapshot resource (filled when the request gives the content).
pub fn create_resource(
    services: &Services,
    request: CreateVnfSnapshotInfoRequest,
) -> Result<SnapshotRecord, VnfmError> {
    if request.vnf_snapshot_pkg_id.is_some() && request.vnf_snapshot.is_none() {
        return Err(VnfmError::SnapshotPackagesUnsupported);
    }
    let record = SnapshotRecord::new(
        uuid::Uuid::new_v4().to_string(),
        request.vnf_snapshot_pkg_id,
        request.vnf_snapshot,
    );
    Ok(services.store.lock().insert_snapshot(record))
}

/// 412 unless `If-Match` is absent, `*`, or lists the current ETag (weak tags accepted).
fn check_if_match(record: &SnapshotRecord, if_match: Option<&str>) -> Result<(), VnfmError> {
    let Some(given) = if_match else {
        return Ok(());
    };
    let current = record.etag();
    let matches = given.split(',').map(str::trim).any(|tag| {
        tag == "*" || tag == current || tag.strip_prefix("W/") == Some(current.as_str())
    });
    if matches {
        Ok(())
    } else {
        Err(VnfmError::ETagMismatch {
            given: given.to_string(),
            current,
        })
    }
}

/// The resource `id` for a change, once `If-Match` holds and nothing holds the resource.
fn resource_to_change<'a>(
    data: &'a mut StoreData,
    id: &str,
    if_match: Option<&str>,
    by: SnapshotUse,
) -> Result<&'a mut SnapshotRecord, VnfmError> {
    let record = data
        .snapshots
        .get_mut(id)
        .ok_or_else(|| VnfmError::NoSnapshot(id.to_string()))?;
    check_if_match(record, if_match)?;
    if let Some(lock) = &record.in_use_by {
        return Err(VnfmError::SnapshotInUse {
            id: id.to_string(),
            lock: lock.clone(),
            by,
        });
    }
    Ok(record)
}

/// Fills an empty snapshot resource that nothing uses; answers the resource as changed.
pub fn modify_resource(
    services: &Services,
    id: &str,
    if_match: Option<&str>,
    request: &VnfSnapshotInfoModificationRequest,
) -> Result<SnapshotRecord, VnfmError> {
    let mut data = services.store.lock();
    let record = resource_to_change(&mut data, id, if_match, SnapshotUse::Modify)?;
    if record.vnf_snapshot.is_some() {
        return Err(VnfmError::SnapshotAlreadyFilled {
            id: id.to_string(),
            by: SnapshotUse::Modify,
        });
    }
    if request.vnf_snapshot_pkg_id.is_none() && request.vnf_snapshot.is_none() {
        return Err(VnfmError::EmptyModification);
    }
    let record = data
        .change_snapshot(id, |record| {
            if let Some(package) = &request.vnf_snapshot_pkg_id {
                record.vnf_snapshot_pkg_id = Some(package.clone());
            }
            if let Some(content) = &request.vnf_snapshot {
                record.vnf_snapshot = Some(content.clone());
            }
        })
        .cloned()
        .ok_or_else(|| VnfmError::NoSnapshot(id.to_string()))?;
    if let Some(content) = &request.vnf_snapshot {
        data.index_snapshot(id, &content.vnf_instance_id);
    }
    Ok(record)
}

/// Deletes the resource and, first, its images and volume snapshots on the VIM. The resource
/// is held by [`SnapshotLock::Deletion`] meanwhile; a VIM failure keeps it (without the VNFC
/// snapshots already deleted) and answers 503.
pub async fn delete_resource(
    services: &Arc<Services>,
    id: &str,
    if_match: Option<&str>,
) -> Result<(), VnfmError> {
    let (vim, resources) = {
        let mut data = services.store.lock();
        let record = resource_to_change(&mut data, id, if_match, SnapshotUse::Delete)?;
        if record.vnfc_resources.is_empty() {
            data.snapshots.remove(id);
            return Ok(());
        }
        record.in_use_by = Some(SnapshotLock::Deletion);
        (record.vim.clone(), record.vnfc_resources.clone())
    };
    // The VIM work runs in its own task so that a client hanging up cannot leave the
    // resource held.
    let task_services = services.clone();
    let task_id = id.to_string();
    let outcome = tokio::spawn(async move {
        delete_vim_resources(&task_services, &task_id, vim, resources).await
    })
    .await
    .unwrap_or_else(|error| Err(format!("the deletion task ended abnormally: {error}")));
    if let Err(reason) = outcome {
        if let Some(record) = services.store.lock().snapshots.get_mut(id) {
            record.in_use_by = None;
        }
        return Err(VnfmError::SnapshotDeletionFailed {
            id: id.to_string(),
            reason,
        });
    }
    Ok(())
}

/// Deletes the images and volume snapshots of each VNFC snapshot, forgetting each one as soon
/// as it is gone, then the resource itself.
async fn delete_vim_resources(
    services: &Services,
    id: &str,
    vim: Option<VimBinding>,
    resources: Vec<VnfcSnapshotRecord>,
) -> Result<(), String> {
    let driver = vim.as_ref().map(|vim| services.vim_driver(vim));
    for vnfc_snapshot in resources {
        if let Some(driver) = &driver {
            driver
                .delete_snapshot_resources(vnfc_snapshot.resources.clone())
                .await
                .map_err(|error| error.to_string())?;
        }
        if let Some(record) = services.store.lock().snapshots.get_mut(id) {
            record
                .vnfc_resources
                .retain(|kept| kept.id != vnfc_snapshot.id);
        }
    }
    services.store.lock().snapshots.remove(id);
    Ok(())
}
