//! The cloud's resources in brief (`GET /_sim/inventory`): what names each resource, its
//! project and the resources it refers to, without the rest of its record, optionally only
//! those created since a cloud time. A leak check that reads the cloud after every test needs
//! no more, and the whole records (`GET /_sim/state`) cost several times as much to write and
//! to read.

use serde::{Deserialize, Serialize};

use super::CloudState;

/// Every server, volume, volume snapshot, image, network, subnet, port and security group,
/// each in brief, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inventory {
    /// The cloud time of the inventory: what was created up to it is listed.
    pub now_ms: u64,
    pub servers: Vec<InventoryEntry>,
    pub volumes: Vec<InventoryEntry>,
    /// Volume snapshots.
    pub snapshots: Vec<InventoryEntry>,
    pub images: Vec<InventoryEntry>,
    pub networks: Vec<InventoryEntry>,
    pub subnets: Vec<InventoryEntry>,
    pub ports: Vec<InventoryEntry>,
    pub security_groups: Vec<InventoryEntry>,
}

/// One resource in brief.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InventoryEntry {
    pub id: String,
    pub name: Option<String>,
    /// The status of the kinds that have one (not networks, subnets, security groups).
    pub status: Option<String>,
    /// The project that owns it (an image's `owner`).
    pub project_id: String,
    /// A public image the cloud starts with (kept by a reset).
    pub seeded: bool,
    /// The server a port is bound to (`device_id`), or an image was made from (its
    /// `instance_uuid` property).
    pub server_id: Option<String>,
    /// The volume of a volume snapshot.
    pub volume_id: Option<String>,
    /// The network of a subnet or a port.
    pub network_id: Option<String>,
}

impl InventoryEntry {
    fn new(id: &str, name: Option<&str>, project_id: &str) -> Self {
        Self {
            id: id.to_string(),
            name: name.map(str::to_string),
            project_id: project_id.to_string(),
            ..Self::default()
        }
    }

    fn status(mut self, status: &str) -> Self {
        self.status = Some(status.to_string());
        self
    }
}

impl CloudState {
    /// Every resource created at or after the cloud time `created_since`, in brief, as of the
    /// cloud time `now_ms`.
    pub fn inventory(&self, created_since: u64, now_ms: u64) -> Inventory {
        let text = |value: &str| (!value.is_empty()).then(|| value.to_string());
        let recent = |created_ms: u64| created_ms >= created_since;
        Inventory {
            now_ms,
            servers: (self.servers.values().filter(|s| recent(s.created_ms)))
                .map(|s| InventoryEntry::new(&s.id, Some(&s.name), &s.project_id).status(&s.status))
                .collect(),
            volumes: (self.volumes.values().filter(|v| recent(v.created_ms)))
                .map(|v| {
                    InventoryEntry::new(&v.id, v.name.as_deref(), &v.project_id).status(&v.status)
                })
                .collect(),
            snapshots: (self.snapshots.values().filter(|s| recent(s.created_ms)))
                .map(|s| InventoryEntry {
                    volume_id: Some(s.volume_id.to_string()),
                    ..InventoryEntry::new(&s.id, s.name.as_deref(), &s.project_id).status(&s.status)
                })
                .collect(),
            images: (self.images.values().filter(|i| recent(i.created_ms)))
                .map(|i| InventoryEntry {
                    seeded: i.seeded,
                    server_id: i.properties.get("instance_uuid").cloned(),
                    ..InventoryEntry::new(&i.id, i.name.as_deref(), &i.owner).status(&i.status)
                })
                .collect(),
            networks: (self.networks.values())
                .filter(|n| recent(n.standard.created_ms))
                .map(|n| InventoryEntry::new(&n.id, Some(&n.name), &n.project_id))
                .collect(),
            subnets: (self.subnets.values())
                .filter(|s| recent(s.standard.created_ms))
                .map(|s| InventoryEntry {
                    network_id: Some(s.network_id.clone()),
                    ..InventoryEntry::new(&s.id, Some(&s.name), &s.project_id)
                })
                .collect(),
            ports: (self.ports.values())
                .filter(|p| recent(p.standard.created_ms))
                .map(|p| InventoryEntry {
                    server_id: text(&p.device_id),
                    network_id: Some(p.network_id.clone()),
                    ..InventoryEntry::new(&p.id, Some(&p.name), &p.project_id).status(&p.status)
                })
                .collect(),
            security_groups: (self.security_groups.values())
                .filter(|g| recent(g.standard.created_ms))
                .map(|g| InventoryEntry::new(&g.id, Some(&g.name), &g.project_id))
                .collect(),
        }
    }
}
