//! What the steps read from the simulated cloud's control API: every resource of the cloud, and
//! the resources of one project.

use std::{
    collections::BTreeSet,
    sync::atomic::{AtomicU64, Ordering},
};

use serde_json::Value;
use simulator::{kit::SimControl, openstack::model::Inventory};

use crate::failure::Outcome;

/// A cloud project created for one scenario.
#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// Every server, volume, volume snapshot, image, network, subnet, port and security group of
/// the cloud, in brief, as `GET /_sim/inventory` shows it; read by [`cloud_state`], without the
/// `default` security groups Neutron makes itself.
pub type CloudState = Inventory;

/// The cloud time of the latest inventory read.
static LATEST_CLOUD_TIME: AtomicU64 = AtomicU64::new(0);

/// A cloud time no later than now: that of the latest inventory read (0 before any). The
/// cloud's clock only moves forward, so whatever a scenario starting now makes in the cloud is
/// created at or after it.
pub fn cloud_time_lower_bound() -> u64 {
    LATEST_CLOUD_TIME.load(Ordering::SeqCst)
}

/// The resources of the whole cloud.
pub async fn cloud_state(control: &SimControl) -> Outcome<CloudState> {
    cloud_state_created_since(control, 0).await
}

/// The resources created at or after the cloud time `ms`.
pub async fn cloud_state_created_since(control: &SimControl, ms: u64) -> Outcome<CloudState> {
    let mut inventory = control.inventory_created_since(ms).await?;
    LATEST_CLOUD_TIME.fetch_max(inventory.now_ms, Ordering::SeqCst);
    inventory
        .security_groups
        .retain(|g| g.name.as_deref() != Some("default"));
    Ok(inventory)
}

/// `"<kind> <id> <name>"` of every server, volume, volume snapshot, image and networking
/// resource of a project.
pub async fn project_resources(
    control: &SimControl,
    project_id: &str,
) -> Outcome<BTreeSet<String>> {
    let state = cloud_state(control).await?;
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
                .filter(move |r| r.project_id == project_id)
                .map(move |r| {
                    // As JSON values: the id quoted, a missing name `null`.
                    let name = r.name.as_deref().map_or(Value::Null, Value::from);
                    format!("{kind} {} {name}", Value::from(r.id.as_str()))
                })
        })
        .collect())
}
