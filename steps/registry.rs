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
    /// Instance alias -> the `vnfInstanceName` to create it with, when the scenario chose one
    /// (otherwise `conformance-<alias>`).
    pub names: BTreeMap<String, String>,
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
