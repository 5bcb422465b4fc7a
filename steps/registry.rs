//! What the scenario made on the VNFM, under the aliases the feature files use: its VNF
//! instances, snapshots, operation occurrences, and the cloud resources recorded for them.

use std::collections::BTreeMap;

use crate::{
    failure::{Failure, Outcome},
    resources::SnapshotResources,
};

/// The states in which an operation occurrence stays until someone acts.
pub const SETTLED: &[&str] = &["COMPLETED", "FAILED_TEMP", "FAILED", "ROLLED_BACK"];

/// A VNF instance a scenario uses.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub vnfd_id: String,
    /// Created by the scenario (so removed after it on external targets).
    pub created: bool,
}

/// The scenario's resources on the VNFM.
#[derive(Debug, Default)]
pub struct Registry {
    pub instances: BTreeMap<String, Instance>,
    /// Alias -> vnfSnapshotInfoId.
    pub snapshots: BTreeMap<String, String>,
    /// Alias -> cloud resources recorded when the snapshot completed.
    pub resources: BTreeMap<String, SnapshotResources>,
    /// The operation occurrences the scenario started, oldest first.
    pub op_occs: Vec<String>,
    /// Instance alias -> the out-of-band volume created for it.
    pub oob_volumes: BTreeMap<String, String>,
    /// Volumes the VNFM reported left on the VIM by the scenario's terminations.
    pub left_volumes: Vec<String>,
    /// What requests of the scenario created without a step giving it an alias.
    pub stray: Stray,
    /// Instance alias -> the `vnfInstanceName` to create it with, when the scenario chose one
    /// (otherwise `conformance-<alias>`).
    pub names: BTreeMap<String, String>,
}

/// Resources the target reported as created (a `Location` in a 201 or 202 to a POST), kept
/// whatever step sent the request, so that the clean-up finds them too.
#[derive(Debug, Default)]
pub struct Stray {
    pub instances: Vec<String>,
    pub snapshots: Vec<String>,
    pub op_occs: Vec<String>,
    pub subscriptions: Vec<String>,
}

impl Stray {
    /// Records the resource at `location` (an absolute URI ending in `<collection>/<id>`).
    pub fn note(&mut self, location: &str) {
        let Ok(url) = url::Url::parse(location) else {
            return;
        };
        let mut segments = url.path().trim_end_matches('/').rsplit('/');
        let (Some(id), Some(collection)) = (segments.next(), segments.next()) else {
            return;
        };
        let list = match collection {
            "vnf_instances" => &mut self.instances,
            "vnf_snapshots" => &mut self.snapshots,
            "vnf_lcm_op_occs" => &mut self.op_occs,
            "subscriptions" => &mut self.subscriptions,
            _ => return,
        };
        if !id.is_empty() && !list.iter().any(|known| known == id) {
            list.push(id.to_string());
        }
    }
}

impl Registry {
    /// The instance named `alias`.
    pub fn instance(&self, alias: &str) -> Outcome<&Instance> {
        self.instances
            .get(alias)
            .ok_or_else(|| Failure::new(format!("no VNF instance {alias:?} in this scenario")))
    }

    /// The vnfSnapshotInfoId named `alias`.
    pub fn snapshot(&self, alias: &str) -> Outcome<&str> {
        self.snapshots
            .get(alias)
            .map(String::as_str)
            .ok_or_else(|| Failure::new(format!("no VNF snapshot {alias:?} in this scenario")))
    }

    /// The `vnfInstanceName` the instance `alias` is created with.
    pub fn instance_name(&self, alias: &str) -> String {
        self.names
            .get(alias)
            .cloned()
            .unwrap_or_else(|| format!("conformance-{alias}"))
    }

    /// The operation occurrence started last.
    pub fn op_occ(&self) -> Outcome<&str> {
        self.op_occs
            .last()
            .map(String::as_str)
            .ok_or_else(|| Failure::new("no operation occurrence was started"))
    }
}
