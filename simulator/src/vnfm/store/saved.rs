//! The VNFM's records as a state document holds them (`simulator::state`): the stored records
//! themselves, without their runtime parts (subscription queues, cancel signals), which a load
//! makes anew. Also the checks of their own consistency and the cloud resources they name.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    InstanceRecord, OpOccRecord, OpWork, SavedSubscription, SnapshotLock, SnapshotRecord,
    StoreData, SubscriptionRecord,
};
use crate::{
    state::validation::unique,
    vnfm::{
        faults::{FaultBook, SavedVnfmRule},
        links::ApiRoot,
        notify::Notifier,
        types::InstantiationState,
        vim_binding::VimBinding,
    },
};

/// Every record of the VNFM, each collection in insertion order (the order lists and paging
/// follow).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedRecords {
    pub instances: Vec<InstanceRecord>,
    /// VNF snapshot resources, each with its version (its ETag is `"<id>-<version>"`).
    pub snapshots: Vec<SnapshotRecord>,
    /// Operation occurrences with the work each still has to do.
    pub op_occs: Vec<OpOccRecord>,
    /// Subscriptions with their callback authentication.
    pub subscriptions: Vec<SavedSubscription>,
    /// The last version given to a snapshot resource (versions stay unique after a load).
    pub version_counter: u64,
    /// The VNFM's own fault rules (`/_vnfm/faults`).
    #[serde(default)]
    pub faults: Vec<SavedVnfmRule>,
}

/// The kind of a cloud resource a record names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloudResource {
    Server,
    Volume,
    Port,
    Network,
    Subnet,
    Image,
    VolumeSnapshot,
}

/// A cloud resource a VNFM record names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudReference {
    /// The record naming it, e.g. `VNF instance <id>`.
    pub holder: String,
    pub kind: CloudResource,
    pub id: String,
}

impl StoreData {
    /// Every record, for a state document.
    pub fn save(&self) -> SavedRecords {
        SavedRecords {
            instances: self.instances.values().cloned().collect(),
            snapshots: self.snapshots.values().cloned().collect(),
            op_occs: self.op_occs.values().cloned().collect(),
            subscriptions: self
                .subscriptions
                .values()
                .map(SubscriptionRecord::save)
                .collect(),
            version_counter: self.version_counter,
            faults: Vec::new(),
        }
    }

    /// The records of a state document, each subscription with a new delivery task.
    pub fn restore(saved: SavedRecords, notifier: &Notifier) -> Self {
        let mut data = StoreData {
            version_counter: saved.version_counter,
            ..StoreData::default()
        };
        for instance in saved.instances {
            data.instances.insert(instance.id.clone(), instance);
        }
        for snapshot in saved.snapshots {
            let id = snapshot.id.clone();
            let taken_from = snapshot
                .vnf_snapshot
                .as_ref()
                .map(|content| content.vnf_instance_id.clone());
            data.snapshots.insert(id.clone(), snapshot);
            if let Some(instance_id) = taken_from {
                data.index_snapshot(&id, &instance_id);
            }
        }
        for op_occ in saved.op_occs {
            data.op_occs.insert(op_occ.occ.id.clone(), op_occ);
        }
        for subscription in saved.subscriptions {
            let id = subscription.subscription.id.clone();
            data.subscriptions
                .insert(id, SubscriptionRecord::open(subscription, notifier));
        }
        data
    }
}

impl SavedRecords {
    /// Checks that ids are unique, that the records refer to each other consistently and
    /// that no version exceeds the counter; `Err` names the first problem.
    pub fn check(&self) -> Result<(), String> {
        FaultBook::restore("vnfm.faults", self.faults.clone())?;
        unique(
            "vnfm.instances",
            self.instances.iter().map(|i| i.id.as_str()),
        )?;
        unique(
            "vnfm.snapshots",
            self.snapshots.iter().map(|s| s.id.as_str()),
        )?;
        unique(
            "vnfm.op_occs",
            self.op_occs.iter().map(|o| o.occ.id.as_str()),
        )?;
        unique(
            "vnfm.subscriptions",
            self.subscriptions
                .iter()
                .map(|s| s.subscription.id.as_str()),
        )?;
        let op_occ = |id: &str| self.op_occs.iter().find(|o| o.occ.id == id);
        for instance in &self.instances {
            let Some(busy) = &instance.busy_with else {
                continue;
            };
            let holder = op_occ(busy).filter(|o| {
                o.occ.vnf_instance_id == instance.id && !o.occ.operation_state.is_final()
            });
            if holder.is_none() {
                return Err(format!(
                    "vnfm.instances: VNF instance {} is held by operation occurrence {busy}, which is not in the document as an unfinished operation of that instance",
                    instance.id
                ));
            }
        }
        for snapshot in &self.snapshots {
            if snapshot.version > self.version_counter {
                return Err(format!(
                    "vnfm.snapshots: VNF snapshot {} has version {}, above version_counter {}",
                    snapshot.id, snapshot.version, self.version_counter
                ));
            }
            if let Some(SnapshotLock::Operation(op_id)) = &snapshot.in_use_by {
                if op_occ(op_id).is_none_or(|o| o.occ.operation_state.is_final()) {
                    return Err(format!(
                        "vnfm.snapshots: VNF snapshot {} is held by operation occurrence {op_id}, which is not in the document as an unfinished operation",
                        snapshot.id
                    ));
                }
            }
        }
        for record in &self.op_occs {
            let occ = &record.occ;
            if occ.operation != record.work.operation() {
                return Err(format!(
                    "vnfm.op_occs: operation occurrence {} is a {:?} with the work of a {:?}",
                    occ.id,
                    occ.operation,
                    record.work.operation()
                ));
            }
            if occ.operation_state.is_final() {
                continue;
            }
            let instance = self.instances.iter().find(|i| i.id == occ.vnf_instance_id);
            if instance.is_none_or(|i| i.busy_with.as_deref() != Some(occ.id.as_str())) {
                return Err(format!(
                    "vnfm.op_occs: unfinished operation occurrence {} needs VNF instance {} held by it, which is not in the document",
                    occ.id, occ.vnf_instance_id
                ));
            }
            if let Some(snapshot_id) = record.work.snapshot_info_id() {
                if !self.snapshots.iter().any(|s| s.id == snapshot_id) {
                    return Err(format!(
                        "vnfm.op_occs: unfinished operation occurrence {} uses VNF snapshot {snapshot_id}, which is not in the document",
                        occ.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// The cloud resources the records hold on the OpenStack VIM served at `cloud_url` (the
    /// Keystone URL starts with it) and expect to exist: the servers, volumes, ports and network of every instantiated VNF instance not
    /// held by an operation, and the images and volume snapshots of every filled snapshot
    /// resource not held nor partly deleted. (Records held by an operation may name resources
    /// the operation is creating or deleting.)
    pub fn cloud_references(&self, cloud_url: &str) -> Vec<CloudReference> {
        let on_cloud = |vim: &Option<Arc<VimBinding>>| matches!(vim.as_deref(), Some(VimBinding::OpenStack { access, .. }) if served_at(&access.auth_url, cloud_url).is_some());
        let mut references = Vec::new();
        for instance in &self.instances {
            if instance.state != InstantiationState::Instantiated
                || instance.busy_with.is_some()
                || !on_cloud(&instance.vim)
            {
                continue;
            }
            let holder = format!("VNF instance {}", instance.id);
            let mut add = |kind, id: &String| {
                references.push(CloudReference {
                    holder: holder.clone(),
                    kind,
                    id: id.clone(),
                })
            };
            for vnfc in &instance.vnfcs {
                add(CloudResource::Server, &vnfc.server_id);
                for volume in &vnfc.volumes {
                    add(CloudResource::Volume, &volume.volume_id);
                }
                for port in &vnfc.ports {
                    add(CloudResource::Port, &port.port_id);
                }
            }
            if let Some(link) = &instance.virtual_link {
                add(CloudResource::Network, &link.network_id);
                add(CloudResource::Subnet, &link.subnet_id);
            }
        }
        for snapshot in &self.snapshots {
            if snapshot.in_use_by.is_some() || snapshot.partly_deleted || !on_cloud(&snapshot.vim) {
                continue;
            }
            let holder = format!("VNF snapshot {}", snapshot.id);
            for vnfc in &snapshot.vnfc_resources {
                if !vnfc.image_deleted {
                    references.push(CloudReference {
                        holder: holder.clone(),
                        kind: CloudResource::Image,
                        id: vnfc.resources.image_id.to_string(),
                    });
                }
                for (_, snapshot_id) in &vnfc.resources.volume_snapshots {
                    references.push(CloudReference {
                        holder: holder.clone(),
                        kind: CloudResource::VolumeSnapshot,
                        id: snapshot_id.to_string(),
                    });
                }
            }
        }
        references
    }

    /// Points every OpenStack VIM binding to the cloud served at `from` (scheme, host and port)
    /// at the cloud served at `to` instead, keeping the Keystone path, and every
    /// subscription's API root whose base is the first of a pair of `bases` at the second
    /// (the exporting VNFM's public bases to the loading VNFM's).
    pub fn repoint(&mut self, from: &str, to: &str, bases: &[(String, String)]) {
        let rebind = |vim: Option<&mut Arc<VimBinding>>| {
            if let Some(VimBinding::OpenStack { access, .. }) = vim.map(Arc::make_mut) {
                if let Some(path) = served_at(&access.auth_url, from) {
                    access.auth_url = format!("{to}{path}");
                }
            }
        };
        for instance in &mut self.instances {
            rebind(instance.vim.as_mut());
        }
        for snapshot in &mut self.snapshots {
            rebind(snapshot.vim.as_mut());
        }
        for record in &mut self.op_occs {
            match &mut record.work {
                OpWork::Instantiate { vim, .. } => rebind(Some(vim)),
                OpWork::Terminate { vim, .. } => rebind(vim.as_mut()),
                OpWork::CreateSnapshot(work) => rebind(Some(&mut work.vim)),
                OpWork::Revert(work) => rebind(Some(&mut work.vim)),
            }
        }
        for subscription in &mut self.subscriptions {
            let ApiRoot { base, .. } = &mut subscription.root;
            if let Some((_, new)) = bases.iter().find(|(old, _)| old == base) {
                base.clone_from(new);
            }
        }
    }
}

/// The path of `url` when it is served at `base` (`base` followed by `/` or nothing).
fn served_at<'a>(url: &'a str, base: &str) -> Option<&'a str> {
    url.strip_prefix(base)
        .filter(|path| path.is_empty() || path.starts_with('/'))
}
