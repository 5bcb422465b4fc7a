//! The "Individual VNF snapshot" resources' own changes: create, modify (PATCH) and the
//! synchronous DELETE that removes the snapshot's images and volume snapshots from the VIM.

use std::sync::Arc;

use crate::vnfm::{
    deviation::Deviation,
    error::{SnapshotUse, VnfmError},
    profile::{Choices, LeftVolumes},
    services::Services,
    store::{SnapshotLock, SnapshotRecord, StoreData, VnfcSnapshotRecord},
    types::{CreateVnfSnapshotInfoRequest, VnfSnapshotInfoModificationRequest},
    vim::{SnapshotArtefact, VimDriver},
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

/// 412 unless `If-Match` is absent, `*`, or lists the current ETag (weak tags accepted); a
/// resource without an ETag matches `*` only (RFC 9110 §13.1.1).
fn check_if_match(
    record: &SnapshotRecord,
    if_match: Option<&str>,
    choices: &Choices,
) -> Result<(), VnfmError> {
    let Some(given) = if_match else {
        return Ok(());
    };
    let current = record.etag(choices);
    let matches = given.split(',').map(str::trim).any(|tag| {
        tag == "*"
            || current
                .as_deref()
                .is_some_and(|current| tag == current || tag.strip_prefix("W/") == Some(current))
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
    choices: &Choices,
) -> Result<&'a mut SnapshotRecord, VnfmError> {
    let record = data
        .snapshots
        .get_mut(id)
        .ok_or_else(|| VnfmError::NoSnapshot(id.to_string()))?;
    check_if_match(record, if_match, choices)?;
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
    let choices = services.config.choices();
    let record = resource_to_change(&mut data, id, if_match, SnapshotUse::Modify, &choices)?;
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
/// is held by [`SnapshotLock::Deletion`] meanwhile; a VIM failure keeps it (showing either
/// what is left or what it showed before, as the profile chooses) and answers 503.
pub async fn delete_resource(
    services: &Arc<Services>,
    id: &str,
    if_match: Option<&str>,
) -> Result<(), VnfmError> {
    let (vim, resources) = {
        let mut data = services.store.lock();
        let choices = services.config.choices();
        let record = resource_to_change(&mut data, id, if_match, SnapshotUse::Delete, &choices)?;
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

/// Deletes the images and volume snapshots of each VNFC snapshot, forgetting each one in the
/// resource's record as soon as it is gone, so that a DELETE that fails half-way is retried on
/// what still exists only (and, where the profile shows it, in its representation too); then
/// the volumes operations left because of these snapshots, where the profile deletes them;
/// then the resource itself.
async fn delete_vim_resources(
    services: &Services,
    id: &str,
    vim: Option<Arc<VimBinding>>,
    resources: Vec<VnfcSnapshotRecord>,
) -> Result<(), String> {
    let choices = services.config.choices();
    let driver = vim.as_ref().map(|vim| services.vim_driver(vim));
    for vnfc_snapshot in resources {
        if let Some(driver) = &driver {
            let mut artefacts = Vec::new();
            if !vnfc_snapshot.image_deleted {
                artefacts.push(SnapshotArtefact::Image(
                    vnfc_snapshot.resources.image_id.to_string(),
                ));
            }
            let volume_snapshots = if services
                .config
                .deviations
                .has(Deviation::DeleteLeavesVolumeSnapshots)
            {
                &[][..]
            } else {
                &vnfc_snapshot.resources.volume_snapshots[..]
            };
            for (_, snapshot_id) in volume_snapshots {
                artefacts.push(SnapshotArtefact::VolumeSnapshot(snapshot_id.to_string()));
            }
            for artefact in artefacts {
                driver
                    .delete_snapshot_artefact(artefact.clone())
                    .await
                    .map_err(|error| error.to_string())?;
                services.store.lock().change_snapshot(id, |record| {
                    forget_artefact(record, &vnfc_snapshot.id, &artefact, &choices);
                });
            }
        }
        services.store.lock().change_snapshot(id, |record| {
            record
                .vnfc_resources
                .retain(|kept| kept.id != vnfc_snapshot.id);
            if let Some(content) = record
                .vnf_snapshot
                .as_mut()
                .filter(|_| choices.partial_deletion_shown)
            {
                content
                    .vnfc_snapshots
                    .retain(|kept| kept.id != vnfc_snapshot.id);
            }
        });
    }
    if let (Some(vim), Some(driver), LeftVolumes::DeletedWithTheirSnapshots) =
        (&vim, &driver, choices.left_volumes)
    {
        delete_left_volumes(services, vim, driver.as_ref()).await;
    }
    services.store.lock().snapshots.remove(id);
    Ok(())
}

/// Deletes the volumes operations left on `vim` because they had snapshots (old volumes a
/// revert replaced, volumes of a terminated VNFC), now that a DELETE removed snapshots that
/// may have held them. A volume the cloud deletes is forgotten by the operation that left it;
/// one that still has snapshots (of another snapshot resource) stays, for the DELETE of that
/// resource. Never fails the DELETE: the snapshot resource is gone whatever becomes of them.
async fn delete_left_volumes(services: &Services, vim: &VimBinding, driver: &dyn VimDriver) {
    let mut left: Vec<String> = services
        .store
        .lock()
        .op_occs
        .values()
        .filter(|record| record.work.vim() == Some(vim))
        .flat_map(|record| &record.occ.resources_left_on_vim)
        .map(|left| left.resource_id.clone())
        .collect();
    left.sort();
    left.dedup();
    for volume_id in left {
        match driver.delete_left_volume(volume_id.clone()).await {
            Ok(None) => {
                tracing::info!(%volume_id, "deleted a volume an operation left, now that its snapshots are gone");
                for record in services.store.lock().op_occs.values_mut() {
                    record
                        .occ
                        .resources_left_on_vim
                        .retain(|left| left.resource_id != volume_id);
                }
            }
            Ok(Some(reason)) => {
                tracing::info!(%volume_id, %reason, "a volume an operation left still has snapshots")
            }
            Err(error) => {
                tracing::warn!(%volume_id, %error, "a volume an operation left could not be deleted")
            }
        }
    }
}

/// Removes a deleted artefact of VNFC snapshot `vnfc_snapshot_id` from the resource: from the
/// record the VNFM deletes and reverts with, and, where the profile shows a partial deletion,
/// from the `VnfcSnapshotInfo` it shows.
fn forget_artefact(
    record: &mut SnapshotRecord,
    vnfc_snapshot_id: &str,
    artefact: &SnapshotArtefact,
    choices: &Choices,
) {
    record.partly_deleted = true;
    let shown = record
        .vnf_snapshot
        .as_mut()
        .filter(|_| choices.partial_deletion_shown);
    let info = shown.and_then(|content| {
        content
            .vnfc_snapshots
            .iter_mut()
            .find(|info| &*info.id == vnfc_snapshot_id)
    });
    let kept = record
        .vnfc_resources
        .iter_mut()
        .find(|kept| &*kept.id == vnfc_snapshot_id);
    match artefact {
        SnapshotArtefact::Image(_) => {
            if let Some(kept) = kept {
                kept.image_deleted = true;
            }
            if let Some(info) = info {
                info.compute_snapshot_resource = None;
            }
        }
        SnapshotArtefact::VolumeSnapshot(snapshot_id) => {
            if let Some(kept) = kept {
                let position = kept
                    .resources
                    .volume_snapshots
                    .iter()
                    .position(|(_, id)| **id == **snapshot_id);
                if let Some(position) = position {
                    kept.resources.volume_snapshots.remove(position);
                    if position < kept.storage_resource_ids.len() {
                        kept.storage_resource_ids.remove(position);
                    }
                }
            }
            if let Some(info) = info {
                info.storage_snapshot_resources.retain(|storage| {
                    storage
                        .storage_snapshot_resource
                        .as_ref()
                        .is_none_or(|handle| *handle.resource_id != **snapshot_id)
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::vnfm::{profile::Profile, vim::VnfcSnapshotResources};

    fn record() -> SnapshotRecord {
        let content = serde_json::from_value(json!({
            "id": "vs", "vnfInstanceId": "inst", "creationStartedAt": "t", "vnfdId": "d",
            "vnfInstance": {"id": "inst"},
            "vnfcSnapshots": [{
                "id": "c1", "vnfcInstanceId": "vnfc", "creationStartedAt": "t",
                "vnfcResourceInfoId": "vnfc",
                "computeSnapshotResource": {"resourceId": "img"},
                "storageSnapshotResources": [
                    {"storageResourceId": "st-boot", "storageSnapshotResource": {"resourceId": "snap-boot"}},
                    {"storageResourceId": "st-data", "storageSnapshotResource": {"resourceId": "snap-data"}}
                ]
            }]
        }))
        .unwrap();
        let mut record = SnapshotRecord::new("s".into(), None, Some(content));
        record.vnfc_resources = vec![VnfcSnapshotRecord {
            id: "c1".into(),
            vnfc_instance_id: "vnfc".into(),
            image_deleted: false,
            resources: VnfcSnapshotResources {
                image_id: "img".into(),
                volume_snapshots: vec![
                    ("vol-boot".into(), "snap-boot".into()),
                    ("vol-data".into(), "snap-data".into()),
                ],
            },
            storage_resource_ids: vec!["st-boot".into(), "st-data".into()],
        }];
        record
    }

    #[test]
    fn a_deleted_artefact_is_neither_shown_nor_deleted_again() {
        let mut record = record();
        let choices = Profile::Reference.choices();
        forget_artefact(
            &mut record,
            "c1",
            &SnapshotArtefact::Image("img".into()),
            &choices,
        );
        forget_artefact(
            &mut record,
            "c1",
            &SnapshotArtefact::VolumeSnapshot("snap-boot".into()),
            &choices,
        );
        assert!(record.partly_deleted);
        let kept = &record.vnfc_resources[0];
        assert!(kept.image_deleted);
        assert_eq!(
            kept.resources.volume_snapshots,
            vec![("vol-data".to_string(), Arc::from("snap-data"))]
        );
        assert_eq!(kept.storage_resource_ids, vec![Arc::from("st-data")]);
        let shown = serde_json::to_value(&record.vnf_snapshot).unwrap();
        let vnfc = &shown["vnfcSnapshots"][0];
        assert!(vnfc.get("computeSnapshotResource").is_none(), "{vnfc}");
        assert_eq!(
            vnfc["storageSnapshotResources"],
            json!([{"storageResourceId": "st-data", "storageSnapshotResource": {"resourceId": "snap-data"}}])
        );
    }

    #[test]
    fn a_deleted_artefact_stays_shown_where_the_profile_keeps_the_resource_as_it_was() {
        let mut record = record();
        let before = serde_json::to_value(&record.vnf_snapshot).unwrap();
        let choices = Profile::SpecMinimal.choices();
        forget_artefact(
            &mut record,
            "c1",
            &SnapshotArtefact::Image("img".into()),
            &choices,
        );
        assert!(record.partly_deleted);
        assert!(record.vnfc_resources[0].image_deleted);
        assert_eq!(serde_json::to_value(&record.vnf_snapshot).unwrap(), before);
    }
}
