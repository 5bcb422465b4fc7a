//! Every table of [`CloudState`] as a state document holds it (`simulator::state`), including
//! what `/_sim/state` does not show (passwords, tokens, image data, uploads in progress, the
//! creation order of volume snapshots, the pending status changes, the servers' status
//! histories). Disk contents are saved with each disk. Quota usage is not saved:
//! restoring counts it again from the resources.

use std::collections::BTreeMap;

use base64::{engine::general_purpose::STANDARD, Engine};
use serde::{Deserialize, Serialize};

use super::{
    Attachment, CloudState, Domain, Due, Fate, Flavor, FloatingIp, Group, Image, ImportTask,
    Keypair, MetadefNamespace, Network, Port, Project, QuotaSet, ResourceType, Role,
    RoleAssignment, RoleInference, Router, SecurityGroup, Server, ServerGroup, ServerHistories,
    ServerHistory, Snapshot, Subnet, Token, User, Volume, VolumeType,
};
use crate::openstack::clock::TimeProfile;

/// The cloud's resources in a state document, each table in id order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedCloud {
    pub domains: Vec<Domain>,
    pub projects: Vec<Project>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    /// Which role implies which.
    pub role_inferences: Vec<RoleInference>,
    pub role_assignments: Vec<RoleAssignment>,
    /// Issued Keystone tokens (still valid after a load while their cloud time lasts).
    pub tokens: Vec<Token>,
    pub flavors: Vec<Flavor>,
    pub servers: Vec<Server>,
    pub volumes: Vec<Volume>,
    /// Cinder volume attachments (those Nova made included).
    pub attachments: Vec<Attachment>,
    /// Cinder volume types with their extra specs, access and encryption.
    pub volume_types: Vec<VolumeType>,
    /// Project id -> the volume type its new volumes get.
    pub project_default_types: BTreeMap<String, String>,
    /// The Cinder services the admin disabled (`binary@host` -> reason).
    pub disabled_services: BTreeMap<String, Option<String>>,
    pub snapshots: Vec<SavedSnapshot>,
    pub images: Vec<SavedImage>,
    /// Glance import tasks.
    pub image_tasks: Vec<ImportTask>,
    /// Glance metadata definition namespaces (with their associations, properties, objects
    /// and tags) and resource types.
    pub metadef_namespaces: Vec<MetadefNamespace>,
    pub metadef_resource_types: Vec<ResourceType>,
    pub networks: Vec<Network>,
    pub subnets: Vec<Subnet>,
    pub ports: Vec<Port>,
    pub security_groups: Vec<SecurityGroup>,
    /// Nova key pairs (of every user), by user and name.
    pub keypairs: Vec<Keypair>,
    /// The database id of the last key pair.
    pub keypair_seq: u64,
    pub server_groups: Vec<ServerGroup>,
    pub routers: Vec<Router>,
    pub floating_ips: Vec<FloatingIp>,
    /// Quotas set per project (the others have `default_quotas`).
    pub quotas: BTreeMap<String, QuotaSet>,
    pub default_quotas: QuotaSet,
    /// Creation order of the last Neutron resource.
    pub neutron_seq: u64,
    /// Creation order of the last volume snapshot.
    pub snapshot_seq: u64,
    /// Status changes still to come, in due order.
    pub schedule: Vec<ScheduledChange>,
    /// When each server (gone ones included) was ACTIVE, in a task state or rebuilding.
    #[serde(default)]
    pub server_history: Vec<ServerHistory>,
}

/// A Cinder snapshot with its creation order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedSnapshot {
    #[serde(flatten)]
    pub snapshot: Snapshot,
    pub seq: u64,
}

/// A Glance image with its data (base64) and, for a server snapshot being uploaded, the
/// server and how the upload ends.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedImage {
    #[serde(flatten)]
    pub image: Image,
    pub data_base64: Option<String>,
    pub upload: Option<(String, Fate)>,
}

/// A pending status change and the cloud time it falls due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledChange {
    pub at_ms: u64,
    pub due: Due,
}

impl CloudState {
    /// Every table, for a state document.
    pub fn save(&self) -> SavedCloud {
        let mut tokens: Vec<Token> = self.identity.tokens.values().cloned().collect();
        tokens.sort_by(|a, b| a.id.cmp(&b.id));
        SavedCloud {
            domains: self.identity.domains.clone(),
            projects: self.identity.projects.clone(),
            users: self.identity.users.clone(),
            groups: self.identity.groups.clone(),
            roles: self.identity.roles.clone(),
            role_inferences: self.identity.inferences.clone(),
            role_assignments: self.identity.assignments.clone(),
            tokens,
            flavors: self.flavors.clone(),
            servers: self.servers.values().cloned().collect(),
            volumes: self.volumes.values().cloned().collect(),
            attachments: self.attachments.values().cloned().collect(),
            volume_types: self.volume_types.values().cloned().collect(),
            project_default_types: self.project_default_types.clone(),
            disabled_services: self.disabled_services.clone(),
            snapshots: self
                .snapshots
                .values()
                .map(|snapshot| SavedSnapshot {
                    seq: snapshot.seq,
                    snapshot: Snapshot::clone(snapshot),
                })
                .collect(),
            images: self
                .images
                .values()
                .map(|image| SavedImage {
                    data_base64: image.data.as_ref().map(|data| STANDARD.encode(data)),
                    upload: image.upload.as_deref().cloned(),
                    image: Image::clone(image),
                })
                .collect(),
            image_tasks: self.image_tasks.values().cloned().collect(),
            metadef_namespaces: self.metadef_namespaces.values().cloned().collect(),
            metadef_resource_types: self.metadef_resource_types.values().cloned().collect(),
            networks: self.networks.values().cloned().collect(),
            subnets: self.subnets.values().cloned().collect(),
            ports: self.ports.values().cloned().collect(),
            security_groups: self.security_groups.values().cloned().collect(),
            keypairs: self.keypairs.values().cloned().collect(),
            keypair_seq: self.keypair_seq,
            server_groups: self.server_groups.values().cloned().collect(),
            routers: self.routers.values().cloned().collect(),
            floating_ips: self.floating_ips.values().cloned().collect(),
            quotas: self
                .quotas
                .iter()
                .map(|(project, quotas)| (project.clone(), *quotas))
                .collect(),
            default_quotas: self.default_quotas,
            neutron_seq: self.neutron_seq,
            snapshot_seq: self.snapshot_seq,
            schedule: self
                .schedule
                .iter()
                .map(|(at_ms, due)| ScheduledChange {
                    at_ms,
                    due: due.clone(),
                })
                .collect(),
            server_history: self.server_history.all().cloned().collect(),
        }
    }

    /// The state a document describes, with usage counted again; `profile` is the restoring
    /// cloud's own. `Err` names image data that is not base64.
    pub fn restore(saved: SavedCloud, profile: TimeProfile) -> Result<Self, String> {
        let mut state = CloudState {
            flavors: saved.flavors,
            quotas: saved.quotas.into_iter().collect(),
            default_quotas: saved.default_quotas,
            neutron_seq: saved.neutron_seq,
            snapshot_seq: saved.snapshot_seq,
            keypair_seq: saved.keypair_seq,
            attachments: by_id(saved.attachments, |attachment| &attachment.id),
            volume_types: by_id(saved.volume_types, |volume_type| &volume_type.id),
            project_default_types: saved.project_default_types,
            disabled_services: saved.disabled_services,
            image_tasks: by_id(saved.image_tasks, |task| &task.id),
            metadef_namespaces: by_id(saved.metadef_namespaces, |n| &n.namespace),
            metadef_resource_types: by_id(saved.metadef_resource_types, |t| &t.name),
            profile,
            server_history: ServerHistories::restore(saved.server_history),
            ..CloudState::default()
        };
        state.identity.domains = saved.domains;
        state.identity.projects = saved.projects;
        state.identity.users = saved.users;
        state.identity.groups = saved.groups;
        state.identity.roles = saved.roles;
        state.identity.inferences = saved.role_inferences;
        state.identity.assignments = saved.role_assignments;
        state.identity.tokens = saved
            .tokens
            .into_iter()
            .map(|token| (token.id.clone(), token))
            .collect();
        for server in saved.servers {
            state.add_server(server);
        }
        for volume in saved.volumes {
            state.add_volume(volume);
        }
        for SavedSnapshot { mut snapshot, seq } in saved.snapshots {
            snapshot.seq = seq;
            state.add_snapshot(snapshot);
        }
        for SavedImage {
            mut image,
            data_base64,
            upload,
        } in saved.images
        {
            image.data = data_base64
                .map(|text| STANDARD.decode(text))
                .transpose()
                .map_err(|error| {
                    format!(
                        "cloud.images: image {} data is not base64: {error}",
                        image.id
                    )
                })?
                .map(Into::into);
            image.upload = upload.map(Box::new);
            state.add_image(image);
        }
        state.networks = by_id(saved.networks, |network| &network.id);
        state.subnets = by_id(saved.subnets, |subnet| &subnet.id);
        state.ports = by_id(saved.ports, |port| &port.id);
        state.security_groups = by_id(saved.security_groups, |group| &group.id);
        state.server_groups = by_id(saved.server_groups, |group| &group.id);
        state.keypairs = saved
            .keypairs
            .into_iter()
            .map(|keypair| ((keypair.user_id.clone(), keypair.name.clone()), keypair))
            .collect();
        state.routers = by_id(saved.routers, |router| &router.id);
        state.floating_ips = by_id(saved.floating_ips, |floating_ip| &floating_ip.id);
        for change in saved.schedule {
            state.schedule.at(change.at_ms, change.due);
        }
        Ok(state)
    }
}

fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> &String) -> BTreeMap<String, T> {
    items
        .into_iter()
        .map(|item| (id(&item).clone(), item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openstack::model::{seeded_role_id, Actor, AssignmentTarget, NewUser, UserRef};

    /// The state restored from its saved document, checked to save the same document again.
    fn round_trip(state: &CloudState) -> CloudState {
        let saved = serde_json::to_value(state.save()).unwrap();
        let restored = CloudState::restore(
            serde_json::from_value(saved.clone()).unwrap(),
            state.profile,
        )
        .unwrap();
        assert_eq!(serde_json::to_value(restored.save()).unwrap(), saved);
        restored
    }

    #[test]
    fn what_the_state_view_hides_survives_a_save_and_a_restore() {
        let mut state = CloudState::default();
        let project = state.create_project("p").unwrap();
        let user = state
            .create_user(NewUser {
                name: "u".into(),
                password: "pw".into(),
                enabled: true,
                ..NewUser::default()
            })
            .unwrap();
        state
            .grant_role(RoleAssignment {
                role_id: seeded_role_id("member"),
                actor: Actor::User(user.id.clone()),
                target: AssignmentTarget::Project(project.id.clone()),
            })
            .unwrap();
        state
            .create_keypair(&user.id, "key", "ssh", None, 5)
            .unwrap();
        state.seed_image("img", &project.id);
        let image_id = state.images.keys().next().unwrap().clone();
        let image = state.images.get_mut(&image_id).unwrap();
        image.data = Some(bytes::Bytes::from_static(b"abc"));
        image.upload = Some(Box::new(("server-1".into(), Fate::Stuck)));
        state.schedule.at(
            40,
            Due::Image {
                id: image_id.clone(),
                status: "active".into(),
            },
        );

        let restored = round_trip(&state);
        let image = &restored.images[&image_id];
        assert_eq!(image.data.as_deref(), Some(&b"abc"[..]));
        assert_eq!(
            image.upload.as_deref(),
            Some(&("server-1".into(), Fate::Stuck))
        );
        assert_eq!(restored.usage(&project.id), state.usage(&project.id));
        assert_eq!(restored.schedule.len(), 1);
        assert!(restored
            .identity
            .check_password(&UserRef::Id(user.id.clone()), "pw")
            .is_ok());
        assert_eq!(
            restored.project_roles(&user.id, &project.id),
            ["member", "reader"]
        );
        assert!(restored.keypair(&user.id, "key").is_ok());
    }

    #[test]
    fn storage_and_network_tables_survive_a_save_and_a_restore() {
        use crate::openstack::{
            clock::Clock,
            model::{
                parse_cidr, Caller, FloatingIpRequest, GatewayRequest, ImageRequest, ImportRequest,
                MetadefCaller, NamespaceFields, NetworkFields, RouterFields, SubnetRequest,
                VolumeRequest, VolumeTypeRequest,
            },
        };
        let clock = Clock::new(TimeProfile::Instant);
        let mut state = CloudState::default();
        state.seed_volume_types();
        state.seed_resource_types();
        let project = state.create_project("p").unwrap().id;
        let volume = state
            .create_volume(
                &project,
                "u",
                VolumeRequest {
                    size: Some(1),
                    ..Default::default()
                },
                Fate::Normal,
                &clock,
            )
            .unwrap();
        state.settle(clock.now_ms() + 1);
        state
            .create_attachment(&volume.id, Some("consumer"), None, None, 0)
            .unwrap();
        let gold = VolumeTypeRequest {
            name: "gold".into(),
            is_public: true,
            ..Default::default()
        };
        let gold = state.create_volume_type(gold, 0).unwrap();
        state.set_project_default_type(&project, &gold.id).unwrap();
        let admin = MetadefCaller {
            project_id: &project,
            admin: true,
        };
        let namespace = NamespaceFields {
            namespace: "ns".into(),
            ..Default::default()
        };
        state.create_namespace(admin, namespace, 0).unwrap();
        let image = ImageRequest {
            disk_format: Some("raw".into()),
            container_format: Some("bare".into()),
            ..Default::default()
        };
        let image = state.create_image(&project, image, 0).unwrap();
        state
            .stage_image(&project, &image.id, bytes::Bytes::from_static(b"d"), 0)
            .unwrap();
        let import = ImportRequest {
            method: "glance-direct".into(),
            body: serde_json::json!({"method": {"name": "glance-direct"}}),
            user_id: "u".into(),
            request_id: "req-1".into(),
        };
        state
            .start_import(&project, &image.id, import, Fate::Stuck, &clock)
            .unwrap();
        let caller = Caller {
            project_id: &project,
            admin: true,
        };
        let external = NetworkFields {
            external: Some(true),
            ..Default::default()
        };
        let public = state.create_network(caller, None, external, 0).unwrap();
        let subnet = SubnetRequest {
            network_id: public.id.clone(),
            cidr: parse_cidr("172.24.4.0/24").unwrap(),
            fields: Default::default(),
        };
        state.create_subnet(caller, None, subnet, 0).unwrap();
        let gateway = GatewayRequest {
            network_id: public.id.clone(),
            ..Default::default()
        };
        let router = RouterFields {
            gateway: Some(Some(gateway)),
            ..Default::default()
        };
        state.create_router(caller, None, router, 0).unwrap();
        let floating_ip = FloatingIpRequest {
            floating_network_id: public.id.clone(),
            ..Default::default()
        };
        state
            .create_floating_ip(caller, None, floating_ip, 0)
            .unwrap();

        let restored = round_trip(&state);
        assert_eq!(restored.attachments.len(), 1);
        assert_eq!(restored.volume_types.len(), 2);
        assert_eq!(restored.project_default_types[&project], gold.id);
        assert_eq!(restored.image_tasks.len(), 1);
        assert_eq!(restored.metadef_namespaces.len(), 1);
        assert_eq!(restored.metadef_resource_types.len(), 6);
        assert_eq!(restored.routers.len(), 1);
        assert_eq!(restored.floating_ips.len(), 1);
    }
}
