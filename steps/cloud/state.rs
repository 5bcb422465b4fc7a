//! What the steps read from the simulated cloud's control API: every resource of the cloud, and
//! the resources of one project.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;
use simulator::kit::SimControl;

use crate::failure::Outcome;

/// A cloud project created for one scenario.
#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// One cloud resource as the steps read it from `GET /_sim/state`: what names it, its project
/// and the references that tie it to a scenario. The other fields are skipped unread, which
/// keeps the read cheap on a cloud that holds every scenario's resources.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloudResource {
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    /// The project of every kind but images.
    pub project_id: Option<String>,
    /// The project of an image.
    pub owner: Option<String>,
    /// A public image the cloud starts with.
    pub seeded: bool,
    /// The server of a port.
    pub device_id: Option<String>,
    /// The volume of a volume snapshot.
    pub volume_id: Option<String>,
    /// The network of a subnet or a port.
    pub network_id: Option<String>,
    /// An image's properties (`instance_uuid`: the server it was made from).
    pub properties: BTreeMap<String, Value>,
}

impl CloudResource {
    /// The name, `""` when it has none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}

/// Every server, volume, volume snapshot, image, network, subnet, port and security group of
/// the cloud, as `GET /_sim/state` shows it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloudState {
    pub servers: Vec<CloudResource>,
    pub volumes: Vec<CloudResource>,
    pub snapshots: Vec<CloudResource>,
    pub images: Vec<CloudResource>,
    pub networks: Vec<CloudResource>,
    pub subnets: Vec<CloudResource>,
    pub ports: Vec<CloudResource>,
    /// Without the `default` groups Neutron makes itself.
    pub security_groups: Vec<CloudResource>,
}

impl CloudState {
    /// The resources of the whole cloud.
    pub async fn fetch(control: &SimControl) -> Outcome<Self> {
        let mut state: CloudState = control.state_as().await?;
        state.security_groups.retain(|g| g.name() != "default");
        Ok(state)
    }
}

/// `"<kind> <id> <name>"` of every server, volume, volume snapshot, image and networking
/// resource of a project.
pub async fn project_resources(
    control: &SimControl,
    project_id: &str,
) -> Outcome<BTreeSet<String>> {
    let state = CloudState::fetch(control).await?;
    let kinds = [
        ("server", &state.servers),
        ("volume", &state.volumes),
        ("volume snapshot", &state.snapshots),
        ("image", &state.images),
        ("network", &state.networks),
        ("subnet", &state.subnets),
        ("port", &state.ports),
        ("security group", &state.security_groups),
    ];
    Ok(kinds
        .into_iter()
        .flat_map(|(kind, items)| {
            items
                .iter()
                .filter(move |r| {
                    let project = if kind == "image" {
                        &r.owner
                    } else {
                        &r.project_id
                    };
                    project.as_deref() == Some(project_id)
                })
                .map(move |r| {
                    // As JSON values: the id quoted, a missing name `null`.
                    let name = r.name.as_deref().map_or(Value::Null, Value::from);
                    format!("{kind} {} {name}", Value::from(r.id.as_str()))
                })
        })
        .collect())
}
