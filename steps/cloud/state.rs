//! What the steps read from the simulated cloud's control API: every resource of the cloud, and
//! the resources of one project.

use std::collections::BTreeSet;

use serde_json::Value;
use simulator::kit::SimControl;

use crate::failure::Outcome;

/// A cloud project created for one scenario.
#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// Every server, volume, volume snapshot, image, network, subnet, port and security group of
/// the cloud, as `GET /_sim/state` shows it.
#[derive(Debug, Default)]
pub struct CloudState {
    pub servers: Vec<Value>,
    pub volumes: Vec<Value>,
    pub snapshots: Vec<Value>,
    pub images: Vec<Value>,
    pub networks: Vec<Value>,
    pub subnets: Vec<Value>,
    pub ports: Vec<Value>,
    /// Without the `default` groups Neutron makes itself.
    pub security_groups: Vec<Value>,
}

impl CloudState {
    /// The resources of the whole cloud.
    pub async fn fetch(control: &SimControl) -> Outcome<Self> {
        let body = control.state().await?;
        let list = |name: &str| body[name].as_array().cloned().unwrap_or_default();
        Ok(CloudState {
            servers: list("servers"),
            volumes: list("volumes"),
            snapshots: list("snapshots"),
            images: list("images"),
            networks: list("networks"),
            subnets: list("subnets"),
            ports: list("ports"),
            security_groups: list("security_groups")
                .into_iter()
                .filter(|g| g["name"] != "default")
                .collect(),
        })
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
        ("server", &state.servers, "project_id"),
        ("volume", &state.volumes, "project_id"),
        ("volume snapshot", &state.snapshots, "project_id"),
        ("image", &state.images, "owner"),
        ("network", &state.networks, "project_id"),
        ("subnet", &state.subnets, "project_id"),
        ("port", &state.ports, "project_id"),
        ("security group", &state.security_groups, "project_id"),
    ];
    Ok(kinds
        .into_iter()
        .flat_map(|(kind, items, key)| {
            items
                .iter()
                .filter(move |r| r[key] == project_id)
                .map(move |r| format!("{kind} {} {}", r["id"], r["name"]))
        })
        .collect())
}
