//! The CREATE_SNAPSHOT operation: one Glance image (and the Cinder volume snapshots) per VNFC,
//! recorded in the "Individual VNF snapshot" resource named by the request.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::{
    failure::OpFailure,
    lifecycle::{complete, guarded, read_work, rolled_back, start, update_work},
    steps::{pass, Step},
};
use crate::vnfm::store::{OpOccRecord, OpWork, SnapshotWork};
use crate::vnfm::{
    clock::{self, Timestamp},
    deviation::{Deviation, Deviations},
    error::{SnapshotUse, VnfmError},
    profile::LimitationRefusal,
    representation::{self, IMAGE_TYPE, VOLUME_SNAPSHOT_TYPE},
    services::Services,
    store::{VnfcRecord, VnfcSnapshotRecord},
    types::{
        InstantiationState, LcmOperationType, ResourceHandle, StorageSnapshotResource, VnfSnapshot,
        VnfcSnapshotInfo,
    },
    vim::VnfcSnapshotResources,
    vim_binding::VimBinding,
};

/// What a create_snapshot operation snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotScope {
    /// Every VNFC of the instance.
    WholeVnf,
    /// One VNFC (its `vnfcInstanceId`).
    Vnfc(String),
}

/// A create_snapshot request, as the API layer hands it over.
#[derive(Clone, Debug)]
pub struct CreateSnapshot {
    pub instance_id: String,
    /// The snapshot resource to fill.
    pub vnf_snapshot_info_id: String,
    pub scope: SnapshotScope,
    pub user_defined_data: Option<Map<String, Value>>,
    /// The request body as received (the op occ's `operationParams`).
    pub params: Value,
}

/// Checks a create_snapshot command and starts the operation; returns the op occ id.
pub fn request_create_snapshot(
    services: &Arc<Services>,
    command: CreateSnapshot,
) -> Result<String, VnfmError> {
    let CreateSnapshot {
        instance_id,
        vnf_snapshot_info_id: info_id,
        scope,
        user_defined_data,
        params,
    } = command;
    start(services, &instance_id, &params, |data, instance| {
        let deviations = &services.config.deviations;
        let snapshot = match data.snapshots.get(&info_id) {
            Some(snapshot) => Some(snapshot),
            None if deviations.has(Deviation::UnknownSnapshotInfoAccepted) => None,
            None => {
                return Err(VnfmError::UnknownSnapshotInfo {
                    id: info_id.clone(),
                    by: SnapshotUse::CreateSnapshot,
                })
            }
        };
        if instance.state != InstantiationState::Instantiated {
            return Err(VnfmError::NotInstantiated {
                instance_id: instance_id.to_string(),
                operation: LcmOperationType::CreateSnapshot,
            });
        }
        if let Some(lock) = snapshot.and_then(|snapshot| snapshot.in_use_by.as_ref()) {
            return Err(VnfmError::SnapshotInUse {
                id: info_id.clone(),
                lock: lock.clone(),
                by: SnapshotUse::CreateSnapshot,
            });
        }
        if snapshot.is_some_and(|snapshot| snapshot.vnf_snapshot.is_some())
            && !deviations.has(Deviation::RefillAccepted)
        {
            return Err(VnfmError::SnapshotAlreadyFilled {
                id: info_id.clone(),
                by: SnapshotUse::CreateSnapshot,
            });
        }
        let at_request = services.config.choices().limitations == LimitationRefusal::AtRequest;
        let vim = match &instance.vim {
            Some(vim) => match unsupported_vim(&instance_id, vim) {
                Some(refusal) if at_request => return Err(refusal),
                _ => vim.clone(),
            },
            None => return Err(VnfmError::NoVim(instance_id.to_string())),
        };
        let targets: Vec<VnfcRecord> = match &scope {
            SnapshotScope::WholeVnf => instance.vnfcs.clone(),
            SnapshotScope::Vnfc(id) => vec![instance
                .vnfcs
                .iter()
                .find(|vnfc| &vnfc.id == id)
                .cloned()
                .ok_or_else(|| VnfmError::UnknownVnfc {
                    vnfc_id: id.clone(),
                    instance_id: instance_id.to_string(),
                })?],
        };
        let instance_copy = representation::instance_copy(instance, &services.config.choices())
            .map_err(|error| VnfmError::Internal(error.to_string()))?;
        let instance_copy = data.shared_instance_copy(&instance_id, instance_copy);
        Ok(OpWork::CreateSnapshot(Box::new(SnapshotWork {
            vnf_snapshot_info_id: info_id.clone(),
            vim,
            targets,
            vnf_snapshot_id: uuid::Uuid::new_v4().to_string(),
            vnfd_id: instance.vnfd_id.clone(),
            started_at: clock::now(),
            instance_copy,
            user_defined_data: user_defined_data.clone(),
            attempted: Vec::new(),
            done: Vec::new(),
        })))
    })
}

/// The refusal of a snapshot of VNF instance `instance_id` on a VIM this VNFM does not drive
/// (a documented limitation).
fn unsupported_vim(instance_id: &str, vim: &VimBinding) -> Option<VnfmError> {
    match vim {
        VimBinding::Other { vim_type, .. } => Some(VnfmError::UnsupportedVim {
            instance_id: instance_id.to_string(),
            vim_type: vim_type.clone(),
            operation: LcmOperationType::CreateSnapshot,
        }),
        VimBinding::OpenStack { .. } => None,
    }
}

/// Fails with the documented limitation the operation runs into (a VIM this VNFM does not
/// drive), before any cloud call. Only reached where the profile refuses the limitations by the
/// operation: otherwise such an operation never starts.
fn refuse_limitation(services: &Services, op_id: &str) -> Result<(), OpFailure> {
    let data = services.store.lock();
    let Some(OpOccRecord {
        occ,
        work: OpWork::CreateSnapshot(work),
        ..
    }) = data.op_occs.get(op_id)
    else {
        return Ok(());
    };
    match unsupported_vim(&occ.vnf_instance_id, &work.vim) {
        Some(refusal) => Err(OpFailure::Limitation(refusal)),
        None => Ok(()),
    }
}

/// The VIM of the create_snapshot work and what `read` takes from it.
fn read_snapshot_work<T>(
    services: &Services,
    op_id: &str,
    read: impl FnOnce(&SnapshotWork) -> T,
) -> Result<(Arc<VimBinding>, T), OpFailure> {
    read_work(services, op_id, |work| match work {
        OpWork::CreateSnapshot(work) => Some((work.vim.clone(), read(work))),
        _ => None,
    })
}

fn change_work(services: &Services, op_id: &str, change: impl FnOnce(&mut SnapshotWork)) {
    update_work(services, op_id, |work| {
        if let OpWork::CreateSnapshot(work) = work {
            change(work);
        }
    });
}

/// The VnfcSnapshotInfo of a finished VNFC snapshot.
fn vnfc_snapshot_info(
    vnfc: &VnfcRecord,
    id: &str,
    vim_id: &Arc<str>,
    resources: &VnfcSnapshotResources,
    started: Timestamp,
    deviations: &Deviations,
) -> VnfcSnapshotInfo {
    let vnfc_id: Arc<str> = vnfc.id.as_str().into();
    VnfcSnapshotInfo {
        id: id.into(),
        vnfc_instance_id: vnfc_id.clone(),
        creation_started_at: started,
        creation_finished_at: Some(clock::now()),
        vnfc_resource_info_id: vnfc_id,
        compute_snapshot_resource: Some(ResourceHandle::new(
            vim_id,
            if deviations.has(Deviation::ServerIdAsImageId) {
                vnfc.server_id.as_str().into()
            } else {
                Arc::clone(&resources.image_id)
            },
            IMAGE_TYPE,
        )),
        storage_snapshot_resources: resources
            .volume_snapshots
            .iter()
            .map(|(volume_id, snapshot_id)| StorageSnapshotResource {
                storage_resource_id: vnfc
                    .volumes
                    .iter()
                    .find(|volume| &volume.volume_id == volume_id)
                    .map_or(volume_id.as_str(), |volume| volume.id.as_str())
                    .into(),
                storage_snapshot_resource: Some(ResourceHandle::new(
                    vim_id,
                    Arc::clone(snapshot_id),
                    VOLUME_SNAPSHOT_TYPE,
                )),
            })
            .collect(),
        user_defined_data: None,
    }
}

/// Snapshots the VNFCs not done yet, then fills the snapshot resource.
pub async fn execute(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    refuse_limitation(services, op_id)?;
    loop {
        let (vim, next) = read_snapshot_work(services, op_id, |work| {
            let pending = work.targets.iter().find(|target| {
                !work
                    .done
                    .iter()
                    .any(|(info, _)| *info.vnfc_resource_info_id == *target.id)
            })?;
            let earlier = work
                .attempted
                .iter()
                .find(|(vnfc, _)| *vnfc == pending.id)
                .map(|(_, id)| id.clone());
            Some((pending.clone(), earlier))
        })?;
        let Some((target, earlier)) = next else { break };
        pass(services, op_id, Step::Vnfc).await?;
        let driver = services.vim_driver(&vim);
        let snapshot_id = match &earlier {
            Some(id) => {
                guarded(services, op_id, driver.delete_snapshot_by_name(id.clone())).await?;
                id.clone()
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                change_work(services, op_id, |work| {
                    work.attempted.push((target.id.clone(), id.clone()))
                });
                id
            }
        };
        let started = clock::now();
        let deviations = &services.config.deviations;
        let mut deployed = target.deployed();
        if deviations.has(Deviation::DataVolumeNotSnapshotted) {
            deployed.volumes.retain(|volume| volume.bootable);
        }
        let image_name = if deviations.has(Deviation::ImageNotNamedAfterVnfcSnapshot) {
            format!("image-{snapshot_id}")
        } else {
            snapshot_id.clone()
        };
        let call = if deviations.has(Deviation::ImageCopiedFromBootImage) {
            driver.copy_boot_image(deployed, image_name)
        } else {
            driver.snapshot_vnfc(deployed, image_name)
        };
        let resources = guarded(services, op_id, call).await?;
        let info = vnfc_snapshot_info(
            &target,
            &snapshot_id,
            vim.id(),
            &resources,
            started,
            deviations,
        );
        let record = VnfcSnapshotRecord {
            id: info.id.clone(),
            vnfc_instance_id: info.vnfc_instance_id.clone(),
            image_deleted: false,
            storage_resource_ids: info
                .storage_snapshot_resources
                .iter()
                .map(|storage| storage.storage_resource_id.clone())
                .collect(),
            resources,
        };
        change_work(services, op_id, |work| work.done.push((info, record)));
        if deviations.has(Deviation::ExtraNotification) {
            let data = services.store.lock();
            if let Some(record) = data.op_occs.get(op_id) {
                services.notifier.publish(&data, &record.occ);
            }
        }
    }
    pass(services, op_id, Step::Completing).await?;
    let (_, info_id) =
        read_snapshot_work(services, op_id, |work| work.vnf_snapshot_info_id.clone())?;
    complete(services, op_id, |data| {
        let Some(record) = data.op_occs.get_mut(op_id) else {
            return;
        };
        let instance_id = record.occ.vnf_instance_id.clone();
        let OpWork::CreateSnapshot(kept) = &mut record.work else {
            return;
        };
        // What the resource now holds moves out of the finished operation, which keeps the
        // resource's id and the VIM only.
        kept.targets = Vec::new();
        kept.attempted = Vec::new();
        let done = std::mem::take(&mut kept.done);
        // Sized to fit: `unzip` pushes, and a first push makes room for four records.
        let mut infos = Vec::with_capacity(done.len());
        let mut records = Vec::with_capacity(done.len());
        for (info, record) in done {
            infos.push(info);
            records.push(record);
        }
        let content = VnfSnapshot {
            id: std::mem::take(&mut kept.vnf_snapshot_id),
            vnf_instance_id: instance_id.clone(),
            creation_started_at: kept.started_at.clone(),
            creation_finished_at: Some(clock::now()),
            vnfd_id: std::mem::take(&mut kept.vnfd_id),
            vnf_instance: kept.instance_copy.clone(),
            vnfc_snapshots: infos,
            vnf_state_snapshot_info: None,
            user_defined_data: kept.user_defined_data.take(),
            links: None,
        };
        let vim = kept.vim.clone();
        let filled = data.change_snapshot(&info_id, |snapshot| {
            snapshot.vnf_snapshot = Some(content);
            snapshot.taken_from = Some(instance_id.clone());
            snapshot.vim = Some(vim);
            snapshot.vnfc_resources = records;
        });
        if filled.is_some() {
            data.index_snapshot(&info_id, &instance_id);
        }
    });
    Ok(())
}

/// Deletes every image and volume snapshot made (or partly made) and empties the resource.
pub async fn roll_back(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    loop {
        let (vim, last) =
            read_snapshot_work(services, op_id, |work| work.attempted.last().cloned())?;
        let Some((vnfc_id, snapshot_id)) = last else {
            break;
        };
        let call = services
            .vim_driver(&vim)
            .delete_snapshot_by_name(snapshot_id);
        guarded(services, op_id, call).await?;
        change_work(services, op_id, |work| {
            work.attempted.pop();
            work.done
                .retain(|(info, _)| *info.vnfc_resource_info_id != *vnfc_id);
        });
    }
    let (_, info_id) =
        read_snapshot_work(services, op_id, |work| work.vnf_snapshot_info_id.clone())?;
    rolled_back(services, op_id, |data| {
        data.change_snapshot(&info_id, |snapshot| {
            snapshot.vnf_snapshot = None;
            snapshot.taken_from = None;
            snapshot.vim = None;
            snapshot.vnfc_resources.clear();
        });
    });
    Ok(())
}
