//! The cloud's state and rules, free of HTTP (the services render it). Transitional statuses
//! progress through a schedule of due changes, settled against the cloud clock before every
//! read or write.

mod flavor;
mod identity;
mod image;
mod image_member;
mod inventory;
mod network;
mod port;
mod quota;
mod saved;
mod schedule;
mod security_group;
mod server;
mod server_backup;
mod server_network;
mod snapshot;
mod subnet;
mod volume;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::openstack::clock::TimeProfile;

pub use flavor::{seed_flavors, Flavor};
pub use identity::{
    DomainRef, Identity, Project, ProjectRef, Token, User, UserRef, DEFAULT_DOMAIN_ID,
    DEFAULT_DOMAIN_NAME,
};
pub use image::{check_formats, check_reserved, Image, ImageRequest};
pub use image_member::ImageMember;
pub use inventory::{Inventory, InventoryEntry};
pub use network::{Caller, Network, NetworkFields};
pub use port::{FixedIp, FixedIpRequest, Port, PortFields};
pub use quota::{QuotaSet, QuotaUsage};
pub use saved::{SavedCloud, SavedImage, SavedSnapshot, ScheduledChange};
pub use schedule::{Due, Schedule};
pub use security_group::{RuleRequest, SecurityGroup, SecurityGroupRule, DEFAULT_GROUP};
pub use server::{
    BlockDeviceRequest, CreateImageOutcome, RebuildRequest, Server, ServerAttachment,
    ServerChanges, ServerRequest,
};
pub use server_backup::BackupRequest;
pub use server_network::{NicRequest, NicRequests, ServerAddress, ServerInterface};
pub use snapshot::{Snapshot, SnapshotRequest};
pub use subnet::{parse_cidr, Subnet, SubnetFields, SubnetRequest};
pub use volume::{
    volume_type_id, Volume, VolumeAttachment, VolumeChanges, VolumeRequest, DEFAULT_VOLUME_TYPE,
};

/// What a fault rule decided about a resource being created or changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Progresses normally.
    #[default]
    Normal,
    /// Stays in its transitional status for ever.
    Stuck,
    /// Ends in the service's error status (`ERROR`, `error`, `killed`) instead of the final one.
    Fails,
}

/// Every resource of every project.
#[derive(Debug, Default)]
pub struct CloudState {
    pub identity: Identity,
    pub flavors: Vec<Flavor>,
    pub servers: BTreeMap<String, Server>,
    pub volumes: BTreeMap<String, Volume>,
    pub snapshots: BTreeMap<String, Snapshot>,
    pub images: BTreeMap<String, Image>,
    pub networks: BTreeMap<String, Network>,
    pub subnets: BTreeMap<String, Subnet>,
    pub ports: BTreeMap<String, Port>,
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// Creation order of the last Neutron resource.
    pub neutron_seq: u64,
    pub quotas: HashMap<String, QuotaSet>,
    pub default_quotas: QuotaSet,
    pub schedule: Schedule,
    /// Durations of multi-step progressions continued from the schedule.
    pub profile: TimeProfile,
    /// Creation order of the last snapshot (tells the latest snapshot of a volume).
    pub snapshot_seq: u64,
    /// What each project uses, kept up to date by the `add_*`/`take_*` methods.
    usage: HashMap<String, QuotaUsage>,
}

/// A new resource id (UUID v4, hyphenated, as Nova, Cinder and Glance issue them).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl CloudState {
    /// Applies every scheduled change due at or before `now_ms`.
    pub fn settle(&mut self, now_ms: u64) {
        // Each change happens at its due time, so that a follow-up step it schedules (e.g.
        // saving -> active) is timed from then, not from when the state is next read.
        while let Some((at_ms, due)) = self.schedule.pop_due_at(now_ms) {
            self.apply(due, at_ms);
        }
    }

    fn apply(&mut self, due: Due, now_ms: u64) {
        match due {
            Due::Server { id, status } => self.finish_server_step(&id, &status, now_ms),
            Due::ServerGone { id } => self.remove_server(&id, now_ms),
            Due::Volume { id, status } => {
                if let Some(v) = self.volumes.get_mut(&id) {
                    v.status = status;
                    v.updated_ms = now_ms;
                }
            }
            Due::VolumeGone { id } => {
                self.take_volume(&id);
            }
            Due::Snapshot { id, status } => {
                if let Some(s) = self.snapshots.get_mut(&id) {
                    s.status = status;
                    s.updated_ms = now_ms;
                }
            }
            Due::SnapshotGone { id } => {
                self.take_snapshot(&id);
            }
            Due::Image { id, status } => self.finish_image_step(&id, &status, now_ms),
        }
    }

    /// Removes every resource of one project (its identity records stay).
    pub fn reset_project(&mut self, project_id: &str) {
        self.servers.retain(|_, s| s.project_id != project_id);
        self.volumes.retain(|_, v| v.project_id != project_id);
        self.snapshots.retain(|_, s| s.project_id != project_id);
        self.images.retain(|_, i| i.owner != project_id || i.seeded);
        self.networks.retain(|_, n| n.project_id != project_id);
        self.subnets
            .retain(|_, s| s.project_id != project_id && self.networks.contains_key(&s.network_id));
        self.ports
            .retain(|_, p| p.project_id != project_id && self.networks.contains_key(&p.network_id));
        self.security_groups
            .retain(|_, g| g.project_id != project_id);
        self.quotas.remove(project_id);
        self.usage.remove(project_id);
        let mut schedule = std::mem::take(&mut self.schedule);
        schedule.retain(|due| self.due_exists(due));
        self.schedule = schedule;
    }

    fn due_exists(&self, due: &Due) -> bool {
        match due {
            Due::Server { id, .. } | Due::ServerGone { id } => self.servers.contains_key(id),
            Due::Volume { id, .. } | Due::VolumeGone { id } => self.volumes.contains_key(id),
            Due::Snapshot { id, .. } | Due::SnapshotGone { id } => self.snapshots.contains_key(id),
            Due::Image { id, .. } => self.images.contains_key(id),
        }
    }

    /// A serialisable picture of every resource, with the number of pending status changes
    /// and the cloud's time (`now_ms`).
    pub fn dump(&self, now_ms: u64) -> StateDump<'_> {
        StateDump {
            projects: &self.identity.projects,
            flavors: &self.flavors,
            servers: self.servers.values().collect(),
            volumes: self.volumes.values().collect(),
            snapshots: self.snapshots.values().collect(),
            images: self.images.values().collect(),
            networks: self.networks.values().collect(),
            subnets: self.subnets.values().collect(),
            ports: self.ports.values().collect(),
            security_groups: self.security_groups.values().collect(),
            quotas: self.quotas.iter().collect(),
            pending_changes: self.schedule.len(),
            now_ms,
        }
    }
}

/// The body of `GET /_sim/state`.
#[derive(Serialize)]
pub struct StateDump<'a> {
    pub projects: &'a [Project],
    pub flavors: &'a [Flavor],
    pub servers: Vec<&'a Server>,
    pub volumes: Vec<&'a Volume>,
    pub snapshots: Vec<&'a Snapshot>,
    pub images: Vec<&'a Image>,
    pub networks: Vec<&'a Network>,
    pub subnets: Vec<&'a Subnet>,
    pub ports: Vec<&'a Port>,
    pub security_groups: Vec<&'a SecurityGroup>,
    /// By project id, in order.
    pub quotas: BTreeMap<&'a String, &'a QuotaSet>,
    /// Status changes scheduled and not yet applied.
    pub pending_changes: usize,
    /// The cloud clock's time.
    pub now_ms: u64,
}
