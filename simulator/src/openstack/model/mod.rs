//! The cloud's state and rules, free of HTTP (the services render it). Transitional statuses
//! progress through a schedule of due changes, settled against the cloud clock before every
//! read or write.

mod address_pair;
mod attachment;
mod disk_content;
mod domain;
mod field_change;
mod flavor;
mod floating_ip;
mod group;
mod identity;
mod image;
mod image_import;
mod image_member;
mod image_properties;
mod inventory;
mod keypair;
mod keystone_record;
mod metadef;
mod network;
mod port;
mod project_resource;
mod quota;
mod role;
mod router;
mod saved;
mod schedule;
mod security_group;
mod server;
mod server_backup;
mod server_disks;
mod server_group;
mod server_history;
mod server_metadata;
mod server_network;
mod snapshot;
mod standard_attributes;
mod subnet;
mod volume;
mod volume_backend;
mod volume_service;
mod volume_status;
mod volume_type;
mod volume_type_encryption;
mod volume_upload;

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use serde::{Deserialize, Serialize};

use crate::openstack::{clock::TimeProfile, shared_names::SharedNames};

pub use address_pair::{parse_address_pairs, AddressPair};
pub use attachment::{AttachStatus, Attachment, COMPUTE_HOST};
pub use disk_content::{image_digests, Disk, DiskContent, ImageDigests};
pub use domain::{default_domain, Domain, DomainChanges};
pub use flavor::{seed_flavors, Flavor};
pub use floating_ip::{FloatingIp, FloatingIpChanges, FloatingIpRequest};
pub use group::Group;
pub use identity::{
    DomainRef, Identity, IdentityChanges, NewUser, Project, ProjectRef, Token, User, UserRef,
    DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME,
};
pub use image::{check_formats, check_reserved, Image, ImageRequest};
pub use image_import::{ImportRequest, ImportTask, IMPORT_METHODS};
pub use image_member::ImageMember;
pub use image_properties::ImageProperties;
pub use inventory::{Inventory, InventoryEntry};
pub use keypair::{Keypair, NewKeypair};
pub use metadef::{
    object_not_found, property_not_found, tag_not_found, MetadefCaller, MetadefNamespace,
    MetadefObject, MetadefTag, NamespaceFields, ObjectFields, PropertyDefinition, ResourceType,
    ResourceTypeAssociation,
};
pub use network::{Caller, Network, NetworkFields};
pub use port::{FixedIp, FixedIpRequest, Port, PortFields};
pub use quota::{QuotaSet, QuotaUsage};
pub use role::{
    seed_inferences, seed_roles, seeded_role_id, Actor, AssignmentTarget, Role, RoleAssignment,
    RoleInference,
};
pub use router::{
    GatewayRequest, InterfaceTarget, Router, RouterFields, RouterGateway, RouterInterface,
};
pub use saved::{SavedCloud, SavedImage, SavedSnapshot, ScheduledChange};
pub use schedule::{Due, Schedule};
pub use security_group::{RuleRequest, SecurityGroup, SecurityGroupRule, DEFAULT_GROUP};
pub use server::{
    BlockDeviceRequest, CreateImageOutcome, RebuildRequest, Server, ServerAttachment,
    ServerChanges, ServerRequest,
};
pub use server_backup::BackupRequest;
pub use server_disks::{ServerDisk, Workload};
pub use server_group::{known_policy, ServerGroup, HOSTS, NO_VALID_HOST};
pub use server_history::{ServerEvent, ServerHistories, ServerHistory};
pub use server_metadata::{MetadataChange, MAX_SERVER_METADATA};
pub use server_network::{NicRequest, NicRequests, ServerAddress, ServerInterface};
pub use snapshot::{Snapshot, SnapshotRequest};
pub use standard_attributes::StandardAttributes;
pub use subnet::{parse_cidr, Subnet, SubnetFields, SubnetRequest};
pub use volume::{Volume, VolumeChanges, VolumeDeletion, VolumeRequest};
pub use volume_backend::{backend_accepts, backend_capabilities};
pub use volume_service::{DisabledServices, VOLUME_SERVICES};
pub use volume_status::StatusReset;
pub use volume_type::{
    type_not_found, VolumeType, VolumeTypeChanges, VolumeTypeRequest, DEFAULT_VOLUME_TYPE,
};
pub use volume_type_encryption::{encryption_not_found, Encryption, EncryptionSpecs};
pub use volume_upload::VolumeUpload;

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
    /// Cinder volume attachments by id.
    pub attachments: BTreeMap<String, Attachment>,
    pub volume_types: BTreeMap<String, VolumeType>,
    /// Project id -> the id of the volume type its new volumes get (Cinder 3.62).
    pub project_default_types: BTreeMap<String, String>,
    /// The Cinder services the admin disabled.
    pub disabled_services: DisabledServices,
    /// Boxed: a map node holds eleven entries and is often half empty, which would waste
    /// half the room of records this large.
    pub snapshots: BTreeMap<String, Box<Snapshot>>,
    /// Boxed, as the snapshots are.
    pub images: BTreeMap<String, Box<Image>>,
    /// Glance import tasks by id.
    pub image_tasks: BTreeMap<String, ImportTask>,
    /// Glance metadata definition namespaces by name.
    pub metadef_namespaces: BTreeMap<String, MetadefNamespace>,
    /// Glance metadata definition resource types by name.
    pub metadef_resource_types: BTreeMap<String, ResourceType>,
    pub networks: BTreeMap<String, Network>,
    pub subnets: BTreeMap<String, Subnet>,
    pub ports: BTreeMap<String, Port>,
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// Nova key pairs by user id and name.
    pub keypairs: BTreeMap<(String, String), Keypair>,
    /// The database id of the last key pair.
    pub keypair_seq: u64,
    pub server_groups: BTreeMap<String, ServerGroup>,
    pub routers: BTreeMap<String, Router>,
    pub floating_ips: BTreeMap<String, FloatingIp>,
    /// Creation order of the last Neutron resource.
    pub neutron_seq: u64,
    pub quotas: HashMap<String, QuotaSet>,
    pub default_quotas: QuotaSet,
    pub schedule: Schedule,
    /// Durations of multi-step progressions continued from the schedule.
    pub profile: TimeProfile,
    /// Creation order of the last snapshot (tells the latest snapshot of a volume).
    pub snapshot_seq: u64,
    /// When each server was ACTIVE, in a task state, rebuilding or gone.
    pub server_history: ServerHistories,
    /// What each project uses, kept up to date by the `add_*`/`take_*` methods.
    usage: HashMap<String, QuotaUsage>,
    /// Ids many records name, held once.
    names: SharedNames,
}

/// A new resource id (UUID v4, hyphenated, as Nova, Cinder and Glance issue them).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl CloudState {
    /// The shared copy of an id many records name (a project, a user, a volume).
    pub fn share(&mut self, id: &str) -> Arc<str> {
        self.names.share(id)
    }

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
                    v.set_status(&status, now_ms);
                }
            }
            Due::VolumeGone { id } => {
                self.take_volume(&id);
            }
            Due::Snapshot { id, status } => {
                if let Some(s) = self.snapshots.get_mut(&id) {
                    s.set_status(&status, now_ms);
                }
            }
            Due::SnapshotGone { id } => {
                self.take_snapshot(&id);
            }
            Due::Image { id, status } => self.finish_image_step(&id, &status, now_ms),
            Due::VolumeUploaded {
                volume_id,
                image_id,
                status,
                succeeded,
            } => self.finish_volume_upload(&volume_id, &image_id, &status, succeeded, now_ms),
            Due::ImportFinished { task_id } => self.finish_import(&task_id, Ok(None), now_ms),
        }
    }

    /// Removes every resource of one project (its identity records stay).
    pub fn reset_project(&mut self, project_id: &str) {
        self.servers.retain(|_, s| s.project_id != project_id);
        self.volumes.retain(|_, v| v.project_id != project_id);
        self.attachments
            .retain(|_, a| self.volumes.contains_key(&a.volume_id));
        for volume_type in self.volume_types.values_mut() {
            volume_type.projects.retain(|p| p != project_id);
        }
        self.project_default_types.remove(project_id);
        self.snapshots.retain(|_, s| &*s.project_id != project_id);
        self.images.retain(|_, i| i.owner != project_id || i.seeded);
        self.image_tasks.retain(|_, t| t.owner != project_id);
        self.metadef_namespaces.retain(|_, n| n.owner != project_id);
        self.networks.retain(|_, n| n.project_id != project_id);
        self.subnets.retain(|_, s| {
            &*s.project_id != project_id && self.networks.contains_key(&s.network_id)
        });
        self.routers.retain(|_, r| r.project_id != project_id);
        self.floating_ips.retain(|_, f| {
            f.project_id != project_id && self.networks.contains_key(&f.floating_network_id)
        });
        self.ports
            .retain(|_, p| p.project_id != project_id && self.networks.contains_key(&p.network_id));
        // The ports Neutron made for routers and floating IPs go with them.
        self.ports.retain(|_, p| match p.device_owner.as_str() {
            "network:router_gateway" | "network:router_interface" => {
                self.routers.contains_key(&p.device_id)
            }
            "network:floatingip" => self.floating_ips.contains_key(&p.device_id),
            _ => true,
        });
        for floating_ip in self.floating_ips.values_mut() {
            if floating_ip
                .port_id
                .as_ref()
                .is_some_and(|p| !self.ports.contains_key(p))
            {
                floating_ip.port_id = None;
                floating_ip.fixed_ip_address = None;
                floating_ip.router_id = None;
            }
        }
        self.security_groups
            .retain(|_, g| g.project_id != project_id);
        self.server_groups.retain(|_, g| g.project_id != project_id);
        self.quotas.remove(project_id);
        self.usage.remove(project_id);
        self.server_history.forget_project(project_id);
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
            Due::VolumeUploaded { volume_id, .. } => self.volumes.contains_key(volume_id),
            Due::ImportFinished { task_id } => self.image_tasks.contains_key(task_id),
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
            snapshots: self.snapshots.values().map(Box::as_ref).collect(),
            images: self.images.values().map(Box::as_ref).collect(),
            networks: self.networks.values().collect(),
            subnets: self.subnets.values().collect(),
            ports: self.ports.values().collect(),
            security_groups: self.security_groups.values().collect(),
            keypairs: self.keypairs.values().collect(),
            server_groups: self.server_groups.values().collect(),
            routers: self.routers.values().collect(),
            floating_ips: self.floating_ips.values().collect(),
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
    pub keypairs: Vec<&'a Keypair>,
    pub server_groups: Vec<&'a ServerGroup>,
    pub routers: Vec<&'a Router>,
    pub floating_ips: Vec<&'a FloatingIp>,
    /// By project id, in order.
    pub quotas: BTreeMap<&'a String, &'a QuotaSet>,
    /// Status changes scheduled and not yet applied.
    pub pending_changes: usize,
    /// The cloud clock's time.
    pub now_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records a cloud keeps by the ten thousand (two images and four volume snapshots for
    /// each VNF snapshot) stay within the allocator's size classes they were fitted to.
    #[test]
    fn images_and_volume_snapshots_fit_their_size_classes() {
        assert!(size_of::<Image>() <= 384, "{}", size_of::<Image>());
        assert!(size_of::<Snapshot>() <= 224, "{}", size_of::<Snapshot>());
    }
}
