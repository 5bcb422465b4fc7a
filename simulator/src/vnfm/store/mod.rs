//! In-memory state of the VNFM: instances, snapshot resources, operation occurrences and
//! subscriptions, each in an insertion-ordered collection that pages in constant time.

use serde::{Deserialize, Serialize};

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{Arc, Mutex, MutexGuard},
};

use tokio::sync::Notify;

use serde_json::{Map, Value};

mod op_occ;
mod op_work;
mod saved;
mod subscription;

pub use op_occ::OpOcc;
pub use op_work::{OpWork, PlannedVnfc, RevertWork, SnapshotWork};
pub use saved::{CloudReference, CloudResource, SavedRecords};
pub use subscription::{SavedSubscription, Subscription, SubscriptionRecord};

use super::{
    descriptors::VnfDescriptor,
    profile::Choices,
    types::{InstantiationState, JsonText, VnfSnapshot},
    vim::{
        DeployedPort, DeployedVirtualLink, DeployedVnfc, DeployedVolume, VduPlan,
        VnfcSnapshotResources,
    },
    vim_binding::VimBinding,
};

/// An ordered collection keyed by id; iteration follows insertion order and can resume from
/// a position (the paging marker) without scanning what comes before it. Items are boxed: the
/// map's nodes, filled in order, stay about half empty, and a large record held inline would
/// leave as much memory unused as it takes.
#[derive(Debug)]
pub struct Collection<T> {
    by_position: BTreeMap<u64, Box<T>>,
    position_of: HashMap<String, u64>,
    next_position: u64,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Self {
            by_position: BTreeMap::new(),
            position_of: HashMap::new(),
            next_position: 0,
        }
    }
}

impl<T> Collection<T> {
    /// Adds an item under `id` (at the end).
    pub fn insert(&mut self, id: String, item: T) {
        let position = self.next_position;
        self.next_position += 1;
        if let Some(old) = self.position_of.insert(id, position) {
            self.by_position.remove(&old);
        }
        self.by_position.insert(position, Box::new(item));
    }

    /// The item with `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.position_of
            .get(id)
            .and_then(|position| self.by_position.get(position))
            .map(|item| &**item)
    }

    /// The item with `id`, for change.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.position_of
            .get(id)
            .and_then(|position| self.by_position.get_mut(position))
            .map(|item| &mut **item)
    }

    /// The position of the item with `id`.
    pub fn position(&self, id: &str) -> Option<u64> {
        self.position_of.get(id).copied()
    }

    /// The item at `position`.
    pub fn at(&self, position: u64) -> Option<&T> {
        self.by_position.get(&position).map(|item| &**item)
    }

    /// Removes and returns the item with `id`.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let position = self.position_of.remove(id)?;
        self.by_position.remove(&position).map(|item| *item)
    }

    /// Items from `position` on, with their positions.
    pub fn iter_from(&self, position: u64) -> impl Iterator<Item = (u64, &T)> {
        self.by_position
            .range(position..)
            .map(|(position, item)| (*position, &**item))
    }

    /// Items newest first, with their positions.
    pub fn iter_newest_first(&self) -> impl Iterator<Item = (u64, &T)> {
        self.by_position
            .iter()
            .rev()
            .map(|(position, item)| (*position, &**item))
    }

    /// The item with `id` and its position, if it is at `position` or later.
    pub fn entry_from(&self, id: &str, position: u64) -> Option<(u64, &T)> {
        let found = *self.position_of.get(id)?;
        (found >= position).then(|| self.by_position.get(&found).map(|item| (found, &**item)))?
    }

    /// All items in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.by_position.values().map(|item| &**item)
    }

    /// All items in insertion order, for change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.by_position.values_mut().map(|item| &mut **item)
    }

    /// Whether `position` can be a paging marker of this collection.
    pub fn is_known_position(&self, position: u64) -> bool {
        position <= self.next_position
    }
}

/// One volume of a VNFC as the VNFM tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeRecord {
    /// `virtualStorageResourceInfo[].id`.
    pub id: String,
    pub virtual_storage_desc_id: String,
    pub volume_id: String,
    pub bootable: bool,
    pub out_of_band: bool,
}

/// One connection point of a VNFC (a Neutron port) as the VNFM tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRecord {
    /// `vnfcCpInfo[].id`.
    pub id: String,
    /// `vnfLinkPorts[].id` of the virtual link the port is on (the `vnfcCpInfo`'s
    /// `vnfLinkPortId`).
    pub link_port_id: String,
    pub cpd_id: String,
    pub port_id: String,
    pub network_id: String,
}

/// One VNFC (a server, its volumes and ports) as the VNFM tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnfcRecord {
    /// `vnfcResourceInfo[].id`, also the SOL002 `vnfcInfo[].id` (the vnfcInstanceId).
    pub id: String,
    pub vdu_id: String,
    pub server_id: String,
    pub volumes: Vec<VolumeRecord>,
    /// The server's ports, in plan order (kept by a revert).
    pub ports: Vec<PortRecord>,
    /// How the VNFC was deployed (used again by a revert).
    pub plan: VduPlan,
}

impl VnfcRecord {
    /// The VNFC in the VIM driver's terms.
    pub fn deployed(&self) -> DeployedVnfc {
        DeployedVnfc {
            vdu_id: self.vdu_id.clone(),
            server_id: self.server_id.clone(),
            volumes: self
                .volumes
                .iter()
                .map(|volume| DeployedVolume {
                    virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
                    volume_id: volume.volume_id.clone(),
                    bootable: volume.bootable,
                    out_of_band: volume.out_of_band,
                })
                .collect(),
            ports: self
                .ports
                .iter()
                .map(|port| DeployedPort {
                    cpd_id: port.cpd_id.clone(),
                    port_id: port.port_id.clone(),
                    network_id: port.network_id.clone(),
                })
                .collect(),
        }
    }

    /// Whether the VNFC boots from a volume (only those can be reverted).
    pub fn is_volume_backed(&self) -> bool {
        self.volumes.iter().any(|volume| volume.bootable)
    }
}

/// The internal virtual link of a VNF instance (a network with a subnet) as the VNFM tracks
/// it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualLinkRecord {
    /// `vnfVirtualLinkResourceInfo[].id`.
    pub id: String,
    /// `vnfVirtualLinkDescId`.
    pub vld_id: String,
    pub network_id: String,
    pub subnet_id: String,
}

impl VirtualLinkRecord {
    /// The link in the VIM driver's terms.
    pub fn deployed(&self) -> DeployedVirtualLink {
        DeployedVirtualLink {
            network_id: self.network_id.clone(),
            subnet_id: self.subnet_id.clone(),
        }
    }
}

/// A VNF instance resource.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InstanceRecord {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub vnfd_id: String,
    pub descriptor: VnfDescriptor,
    pub metadata: Option<Map<String, Value>>,
    pub state: InstantiationState,
    pub flavour_id: Option<String>,
    pub vim: Option<Arc<VimBinding>>,
    pub vnfcs: Vec<VnfcRecord>,
    /// The internal network the VNFCs' ports are on.
    pub virtual_link: Option<VirtualLinkRecord>,
    /// The operation occurrence that holds the instance (not in a final state).
    pub busy_with: Option<String>,
}

impl InstanceRecord {
    /// The vimConnectionId of the instance's VIM (empty when it has none).
    pub fn vim_id(&self) -> Arc<str> {
        self.vim
            .as_ref()
            .map_or_else(|| Arc::from(""), |vim| Arc::clone(vim.id()))
    }
}

/// The cloud resources of one VNFC snapshot, as needed to delete or revert it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VnfcSnapshotRecord {
    /// `VnfcSnapshotInfo.id`, also the name of the image on the cloud (the ids are shared
    /// with the `VnfcSnapshotInfo`).
    pub id: Arc<str>,
    pub vnfc_instance_id: Arc<str>,
    /// The image is gone already (a DELETE removed it before failing on something else).
    pub image_deleted: bool,
    pub resources: VnfcSnapshotResources,
    /// The `virtualStorageResourceInfo` id of each volume in `resources.volume_snapshots`
    /// (same order): it stays the same when a revert replaces the volume.
    pub storage_resource_ids: Vec<Arc<str>>,
}

impl VnfcSnapshotRecord {
    /// The snapshot's resources with each volume id replaced by the id of the volume that
    /// holds the same storage resource in `current` (they differ after a revert).
    pub fn resources_for(&self, current: &VnfcRecord) -> VnfcSnapshotResources {
        let volume_snapshots = self
            .resources
            .volume_snapshots
            .iter()
            .zip(&self.storage_resource_ids)
            .map(|((volume_id, snapshot_id), storage_id)| {
                let now = current
                    .volumes
                    .iter()
                    .find(|volume| *volume.id == **storage_id)
                    .map_or(volume_id, |volume| &volume.volume_id);
                (now.clone(), snapshot_id.clone())
            })
            .collect();
        VnfcSnapshotResources {
            image_id: self.resources.image_id.clone(),
            volume_snapshots,
        }
    }
}

/// What holds a VNF snapshot resource: while held, it cannot be modified, deleted or used by
/// another operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotLock {
    /// A create_snapshot or revert_to_snapshot operation occurrence (its id).
    Operation(String),
    /// A DELETE removing the resource's VIM resources.
    Deletion,
}

/// An "Individual VNF snapshot" resource.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SnapshotRecord {
    pub id: String,
    pub vnf_snapshot_pkg_id: Option<String>,
    pub vnf_snapshot: Option<VnfSnapshot>,
    /// The instance a create_snapshot task took the snapshot from.
    pub taken_from: Option<String>,
    /// What holds the resource, if anything.
    pub in_use_by: Option<SnapshotLock>,
    /// Moved by [`StoreData::change_snapshot`] on every change; the ETag is derived from it.
    version: u64,
    /// The VIM holding the snapshot's images and volume snapshots.
    pub vim: Option<Arc<VimBinding>>,
    pub vnfc_resources: Vec<VnfcSnapshotRecord>,
    /// A DELETE removed some of its cloud resources before it failed: what is left cannot be
    /// reverted to, only deleted.
    pub partly_deleted: bool,
}

impl SnapshotRecord {
    /// A resource not stored yet (filled when `vnf_snapshot` is given).
    pub fn new(
        id: String,
        vnf_snapshot_pkg_id: Option<String>,
        vnf_snapshot: Option<VnfSnapshot>,
    ) -> Self {
        Self {
            id,
            vnf_snapshot_pkg_id,
            vnf_snapshot,
            taken_from: None,
            in_use_by: None,
            version: 0,
            vim: None,
            vnfc_resources: Vec::new(),
            partly_deleted: false,
        }
    }

    /// The entity tag of the current representation, where the profile tags resources.
    pub fn etag(&self, choices: &Choices) -> Option<String> {
        choices
            .etags
            .then(|| format!("\"{}-{}\"", self.id, self.version))
    }
}

/// An operation occurrence and what the conductor needs to continue it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OpOccRecord {
    pub occ: OpOcc,
    pub work: OpWork,
    /// Woken by a FORCEFUL cancel to abort the VIM call in flight (made anew on load).
    #[serde(skip)]
    pub cancel_signal: Arc<Notify>,
}

/// Everything the VNFM holds.
#[derive(Debug, Default)]
pub struct StoreData {
    pub instances: Collection<InstanceRecord>,
    pub snapshots: Collection<SnapshotRecord>,
    pub op_occs: Collection<OpOccRecord>,
    pub subscriptions: Collection<SubscriptionRecord>,
    /// Positions of the snapshot resources given content of each VNF instance, so that a
    /// list filtered on the instance reads only those; may keep positions of resources since
    /// removed or emptied (readers check the resource).
    pub snapshots_by_instance: HashMap<String, BTreeSet<u64>>,
    version_counter: u64,
}

impl StoreData {
    /// A fresh version number for a snapshot resource (unique across the store).
    fn next_version(&mut self) -> u64 {
        self.version_counter += 1;
        self.version_counter
    }

    /// Stores a new snapshot resource under a fresh version; answers it as stored.
    pub fn insert_snapshot(&mut self, mut record: SnapshotRecord) -> SnapshotRecord {
        record.version = self.next_version();
        let id = record.id.clone();
        let taken_from = record
            .vnf_snapshot
            .as_ref()
            .map(|content| content.vnf_instance_id.clone());
        self.snapshots.insert(id.clone(), record.clone());
        if let Some(instance_id) = taken_from {
            self.index_snapshot(&id, &instance_id);
        }
        record
    }

    /// Applies `change` to the snapshot resource `id` and gives it a new version, hence a new
    /// ETag: the one place where a resource's version moves.
    pub fn change_snapshot(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut SnapshotRecord),
    ) -> Option<&SnapshotRecord> {
        let version = self.next_version();
        let record = self.snapshots.get_mut(id)?;
        change(record);
        record.version = version;
        Some(record)
    }

    /// Releases the snapshot resource `id` if `lock` holds it (a new version: the operation
    /// stopped using it).
    pub fn release_snapshot(&mut self, id: &str, lock: &SnapshotLock) {
        let held = self
            .snapshots
            .get(id)
            .is_some_and(|record| record.in_use_by.as_ref() == Some(lock));
        if held {
            self.change_snapshot(id, |record| record.in_use_by = None);
        }
    }

    /// Notes that the snapshot resource `id` now holds content of VNF instance `instance_id`.
    pub fn index_snapshot(&mut self, id: &str, instance_id: &str) {
        if let Some(position) = self.snapshots.position(id) {
            self.snapshots_by_instance
                .entry(instance_id.to_string())
                .or_default()
                .insert(position);
        }
    }

    /// `copy`, or the equal copy held by the newest VNF snapshot taken from `instance_id`:
    /// the snapshots of an instance that did not change between them share one text.
    pub fn shared_instance_copy(&self, instance_id: &str, copy: JsonText) -> JsonText {
        let newest = self
            .snapshots_by_instance
            .get(instance_id)
            .into_iter()
            .flat_map(|positions| positions.iter().rev())
            .filter_map(|position| self.snapshots.at(*position)?.vnf_snapshot.as_ref())
            .find(|content| content.vnf_instance_id == instance_id);
        match newest {
            Some(content) if content.vnf_instance == copy => content.vnf_instance.clone(),
            _ => copy,
        }
    }
}

/// The shared, lock-protected store. The lock is never held across an await.
#[derive(Debug, Default)]
pub struct Store {
    data: Mutex<StoreData>,
}

impl Store {
    /// Locks the store (a poisoned lock is recovered: the data stays consistent because every
    /// change is made in one critical section).
    pub fn lock(&self) -> MutexGuard<'_, StoreData> {
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
