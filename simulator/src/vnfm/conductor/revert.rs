//! The REVERT_TO_SNAPSHOT operation: rebuild VNFCs from their snapshot (new server, new
//! volumes from the volume snapshots). Old volumes that still have snapshots cannot be deleted
//! and are recorded in the op occ's `resourcesLeftOnVim` (shown or deleted later, as the
//! profile chooses). The documented limitations are refused at request time or by the
//! operation, as the profile chooses.

use std::sync::Arc;

use serde_json::Value;

use super::{
    failure::OpFailure,
    lifecycle::{complete, guarded, read_work, start, update_work},
    resource_changes,
    steps::{pass, Step},
};
use crate::vnfm::store::{OpWork, RevertWork};
use crate::vnfm::{
    deviation::{Deviation, Deviations},
    error::{SnapshotUse, VnfmError},
    profile::LimitationRefusal,
    representation::VOLUME_TYPE,
    services::Services,
    store::{InstanceRecord, VnfcRecord, VnfcSnapshotRecord, VolumeRecord},
    types::{ChangeType, InstantiationState, LcmOperationType, LeftOnVim},
    vim::{RevertedVnfc, VnfcSnapshotResources},
    vim_binding::VimBinding,
};

/// What a revert_to_snapshot operation reverts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevertScope {
    /// Every VNFC of the snapshot.
    WholeVnf,
    /// One VNFC, to one VNFC snapshot taken from it.
    Vnfc {
        vnfc_instance_id: String,
        vnfc_snapshot_info_id: String,
    },
}

/// A revert_to_snapshot request, as the API layer hands it over.
#[derive(Clone, Debug)]
pub struct RevertToSnapshot {
    pub instance_id: String,
    /// The snapshot resource to revert to.
    pub vnf_snapshot_info_id: String,
    pub scope: RevertScope,
    /// The request body as received (the op occ's `operationParams`).
    pub params: Value,
}

/// The refusal of a revert of `instance` on a VIM this VNFM does not drive.
fn unsupported_vim(instance: &InstanceRecord) -> Option<VnfmError> {
    match instance.vim.as_deref() {
        Some(VimBinding::Other { vim_type, .. }) => Some(VnfmError::UnsupportedVim {
            instance_id: instance.id.clone(),
            vim_type: vim_type.clone(),
            operation: LcmOperationType::RevertToSnapshot,
        }),
        _ => None,
    }
}

/// The refusal of a revert of a VNF with out-of-band volumes (in use or declared).
fn out_of_band(instance: &InstanceRecord, deviations: &Deviations) -> Option<VnfmError> {
    let in_use = instance
        .vnfcs
        .iter()
        .flat_map(|vnfc| &vnfc.volumes)
        .any(|volume| volume.out_of_band);
    ((in_use || instance.descriptor.has_out_of_band_storage())
        && !deviations.has(Deviation::RevertWithOutOfBandVolumes))
    .then(|| VnfmError::OutOfBandVolumes(instance.id.clone()))
}

/// The refusal of a revert of a VNFC without a bootable volume.
fn not_volume_backed(vnfc: &VnfcRecord, deviations: &Deviations) -> Option<VnfmError> {
    (!vnfc.is_volume_backed() && !deviations.has(Deviation::RevertWithoutBootableVolume))
        .then(|| VnfmError::NotVolumeBacked(vnfc.id.clone()))
}

/// The documented limitation a revert of `targets` (VNFC instance ids) of `instance` runs
/// into, if any: the refusal the operation fails with where the profile refuses them by the
/// operation.
fn limitation(
    instance: &InstanceRecord,
    targets: &[String],
    deviations: &Deviations,
) -> Option<VnfmError> {
    unsupported_vim(instance)
        .or_else(|| out_of_band(instance, deviations))
        .or_else(|| {
            instance
                .vnfcs
                .iter()
                .filter(|vnfc| targets.contains(&vnfc.id))
                .find_map(|vnfc| not_volume_backed(vnfc, deviations))
        })
}

/// Checks a revert_to_snapshot command (including the documented limitations, where the
/// profile refuses them at request time) and starts the operation; returns the op occ id.
pub fn request_revert(
    services: &Arc<Services>,
    command: RevertToSnapshot,
) -> Result<String, VnfmError> {
    let RevertToSnapshot {
        instance_id,
        vnf_snapshot_info_id: info_id,
        scope,
        params,
    } = command;
    start(services, &instance_id, &params, |data, instance| {
        let snapshot =
            data.snapshots
                .get(&info_id)
                .ok_or_else(|| VnfmError::UnknownSnapshotInfo {
                    id: info_id.clone(),
                    by: SnapshotUse::Revert,
                })?;
        if instance.state != InstantiationState::Instantiated {
            return Err(VnfmError::NotInstantiated {
                instance_id: instance_id.to_string(),
                operation: LcmOperationType::RevertToSnapshot,
            });
        }
        if let Some(lock) = &snapshot.in_use_by {
            return Err(VnfmError::SnapshotInUse {
                id: info_id.clone(),
                lock: lock.clone(),
                by: SnapshotUse::Revert,
            });
        }
        let Some(content) = &snapshot.vnf_snapshot else {
            return Err(VnfmError::EmptySnapshot(info_id.clone()));
        };
        if content.vnf_instance_id != instance.id {
            return Err(VnfmError::SnapshotOfOtherInstance {
                id: info_id.clone(),
                taken_from: content.vnf_instance_id.clone(),
                instance_id: instance_id.to_string(),
            });
        }
        let at_request = services.config.choices().limitations == LimitationRefusal::AtRequest;
        let deviations = &services.config.deviations;
        if let Some(refusal) = unsupported_vim(instance).filter(|_| at_request) {
            return Err(refusal);
        }
        let Some(vim) = instance.vim.clone() else {
            return Err(VnfmError::NoVim(instance_id.to_string()));
        };
        if snapshot.vnfc_resources.is_empty() {
            return Err(VnfmError::SnapshotWithoutVimResources(info_id.clone()));
        }
        if snapshot.partly_deleted {
            return Err(VnfmError::SnapshotPartlyDeleted(info_id.clone()));
        }
        // The `revert-from-newest-snapshot` deviation: the newest snapshot taken of the
        // instance stands in for the one the request names.
        let source = match deviations.has(Deviation::RevertFromNewestSnapshot) {
            true => newest_snapshot_of(data, &instance.id).unwrap_or(snapshot),
            false => snapshot,
        };
        if let Some(refusal) = out_of_band(instance, deviations).filter(|_| at_request) {
            return Err(refusal);
        }
        let targets: Vec<_> = match &scope {
            RevertScope::WholeVnf => source.vnfc_resources.clone(),
            RevertScope::Vnfc {
                vnfc_instance_id: vnfc_id,
                vnfc_snapshot_info_id: vnfc_snapshot_id,
            } => {
                let record = snapshot
                    .vnfc_resources
                    .iter()
                    .find(|record| *record.id == **vnfc_snapshot_id)
                    .ok_or_else(|| VnfmError::UnknownVnfcSnapshot {
                        vnfc_snapshot_id: vnfc_snapshot_id.clone(),
                        snapshot_id: info_id.clone(),
                    })?;
                if *record.vnfc_instance_id != **vnfc_id {
                    return Err(VnfmError::VnfcSnapshotOfOtherVnfc {
                        vnfc_snapshot_id: vnfc_snapshot_id.clone(),
                        taken_from: record.vnfc_instance_id.to_string(),
                        vnfc_id: vnfc_id.clone(),
                    });
                }
                if deviations.has(Deviation::SingleVnfcRevertRevertsAll) {
                    source.vnfc_resources.clone()
                } else {
                    let taken = source
                        .vnfc_resources
                        .iter()
                        .find(|r| r.vnfc_instance_id == record.vnfc_instance_id)
                        .unwrap_or(record);
                    vec![taken.clone()]
                }
            }
        };
        for target in &targets {
            let vnfc = instance
                .vnfcs
                .iter()
                .find(|vnfc| *vnfc.id == *target.vnfc_instance_id)
                .ok_or_else(|| VnfmError::SnapshotVnfcGone {
                    vnfc_id: target.vnfc_instance_id.to_string(),
                    instance_id: instance_id.to_string(),
                })?;
            if let Some(refusal) = not_volume_backed(vnfc, deviations).filter(|_| at_request) {
                return Err(refusal);
            }
        }
        Ok(OpWork::Revert(RevertWork {
            vnf_snapshot_info_id: info_id.clone(),
            vim,
            targets: targets
                .into_iter()
                .map(|target| (target.vnfc_instance_id.to_string(), target))
                .collect(),
            done: 0,
        }))
    })
}

/// The filled snapshot resource taken last of the instance (`revert-from-newest-snapshot`).
fn newest_snapshot_of<'a>(
    data: &'a crate::vnfm::store::StoreData,
    instance_id: &str,
) -> Option<&'a crate::vnfm::store::SnapshotRecord> {
    data.snapshots
        .values()
        .filter(|s| s.taken_from.as_deref() == Some(instance_id) && !s.vnfc_resources.is_empty())
        .max_by_key(|s| {
            s.vnf_snapshot
                .as_ref()
                .and_then(|v| v.creation_finished_at.clone())
        })
}

/// The resources of `other`'s snapshot keyed by `current`'s volumes, position by position
/// (`revert-swaps-vnfc-snapshots`): VNFCs of one VDU have their volumes in the same order.
fn swapped_resources(
    current: &VnfcRecord,
    other: &VnfcSnapshotRecord,
) -> Option<VnfcSnapshotResources> {
    let theirs = &other.resources.volume_snapshots;
    (theirs.len() == current.volumes.len()).then(|| VnfcSnapshotResources {
        image_id: other.resources.image_id.clone(),
        volume_snapshots: current
            .volumes
            .iter()
            .zip(theirs)
            .map(|(volume, (_, snapshot))| (volume.volume_id.clone(), snapshot.clone()))
            .collect(),
    })
}

/// The VNFC record after its revert: same ids, new server and volume ids.
fn reverted_record(old: &VnfcRecord, reverted: RevertedVnfc) -> VnfcRecord {
    let volumes = reverted
        .vnfc
        .volumes
        .into_iter()
        .map(|volume| {
            let previous = old.volumes.iter().find(|candidate| {
                (volume.bootable && candidate.bootable)
                    || (!volume.bootable
                        && candidate.virtual_storage_desc_id == volume.virtual_storage_desc_id)
            });
            VolumeRecord {
                id: previous
                    .map(|previous| previous.id.clone())
                    .unwrap_or_else(super::instantiate::resource_id),
                virtual_storage_desc_id: previous
                    .map(|previous| previous.virtual_storage_desc_id.clone())
                    .unwrap_or(volume.virtual_storage_desc_id),
                volume_id: volume.volume_id,
                bootable: volume.bootable,
                out_of_band: volume.out_of_band,
            }
        })
        .collect();
    VnfcRecord {
        id: old.id.clone(),
        vdu_id: old.vdu_id.clone(),
        server_id: reverted.vnfc.server_id,
        volumes,
        ports: old.ports.clone(),
        plan: old.plan.clone(),
    }
}

/// Fails with the documented limitation the operation runs into, where the profile refuses
/// them by the operation: before any cloud call.
fn refuse_limitation(services: &Services, op_id: &str) -> Result<(), OpFailure> {
    if services.config.choices().limitations == LimitationRefusal::AtRequest {
        return Ok(());
    }
    let data = services.store.lock();
    let Some(record) = data.op_occs.get(op_id) else {
        return Ok(());
    };
    let (Some(instance), OpWork::Revert(work)) = (
        data.instances.get(&record.occ.vnf_instance_id),
        &record.work,
    ) else {
        return Ok(());
    };
    let targets: Vec<String> = work.targets.iter().map(|(id, _)| id.clone()).collect();
    match limitation(instance, &targets, &services.config.deviations) {
        Some(refusal) => Err(OpFailure::Limitation(refusal)),
        None => Ok(()),
    }
}

/// Reverts the VNFCs not reverted yet; each reverted VNFC is recorded on the instance at once.
pub async fn execute(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    refuse_limitation(services, op_id)?;
    loop {
        let (vim, next, following) = read_work(services, op_id, |work| match work {
            OpWork::Revert(work) => Some((
                work.vim.clone(),
                work.targets.get(work.done).cloned(),
                work.targets
                    .get((work.done + 1) % work.targets.len().max(1))
                    .cloned(),
            )),
            _ => None,
        })?;
        let Some((vnfc_id, target)) = next else {
            break;
        };
        pass(services, op_id, Step::Vnfc).await?;
        let instance_id = services
            .store
            .lock()
            .op_occs
            .get(op_id)
            .map(|record| record.occ.vnf_instance_id.clone())
            .unwrap_or_default();
        let current = services
            .store
            .lock()
            .instances
            .get(&instance_id)
            .and_then(|instance| {
                instance
                    .vnfcs
                    .iter()
                    .find(|vnfc| vnfc.id == vnfc_id)
                    .cloned()
            })
            .ok_or_else(|| {
                OpFailure::Internal(format!(
                    "VNFC {vnfc_id} is gone from VNF instance {instance_id}"
                ))
            })?;
        let swapped = following
            .filter(|(other, _)| {
                *other != vnfc_id
                    && services
                        .config
                        .deviations
                        .has(Deviation::RevertSwapsVnfcSnapshots)
            })
            .and_then(|(_, other)| swapped_resources(&current, &other));
        let resources = swapped.unwrap_or_else(|| target.resources_for(&current));
        let call = services.vim_driver(&vim).revert_vnfc(
            current.deployed(),
            current.plan.clone(),
            resources,
        );
        let reverted = guarded(services, op_id, call).await?;
        let left = reverted.left_on_vim.clone();
        let record = reverted_record(&current, reverted);
        let mut data = services.store.lock();
        if let Some(instance) = data.instances.get_mut(&instance_id) {
            if let Some(slot) = instance.vnfcs.iter_mut().find(|vnfc| vnfc.id == vnfc_id) {
                *slot = record;
            }
        }
        if let Some(op) = data.op_occs.get_mut(op_id) {
            for (volume_id, reason) in left {
                tracing::warn!(%op_id, %volume_id, %reason, "old volume left on the VIM by revert (it has snapshots)");
                op.occ.resources_left_on_vim.push(LeftOnVim {
                    resource_id: volume_id,
                    vim_connection_id: vim.id().to_string(),
                    vim_level_resource_type: VOLUME_TYPE.into(),
                    reason,
                });
            }
        }
        drop(data);
        update_work(services, op_id, |work| {
            if let OpWork::Revert(work) = work {
                work.done += 1;
            }
        });
    }
    pass(services, op_id, Step::Completing).await?;
    complete(services, op_id, |data| {
        let Some(record) = data.op_occs.get(op_id) else {
            return;
        };
        let (instance_id, OpWork::Revert(work)) =
            (record.occ.vnf_instance_id.clone(), record.work.clone())
        else {
            return;
        };
        let Some(instance) = data.instances.get(&instance_id) else {
            return;
        };
        let reverted: Vec<VnfcRecord> = instance
            .vnfcs
            .iter()
            .filter(|vnfc| work.targets.iter().any(|(id, _)| *id == vnfc.id))
            .cloned()
            .collect();
        let changes = resource_changes::of(&reverted, ChangeType::Modified, work.vim.id());
        if let Some(record) = data.op_occs.get_mut(op_id) {
            record.occ.resource_changes = Some(Box::new(changes));
        }
    });
    Ok(())
}
