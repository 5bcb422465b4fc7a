//! What the scenario made on the VNFM, under the aliases the feature files use: its VNF
//! instances, snapshots, operation occurrences, and the cloud resources recorded for them.

use std::collections::BTreeMap;

use crate::{
    failure::{Failure, Outcome},
    http::Api,
    resources::SnapshotResources,
};

/// The states in which an operation occurrence stays until someone acts.
pub const SETTLED: &[&str] = &["COMPLETED", "FAILED_TEMP", "FAILED", "ROLLED_BACK"];

/// A VNF instance a scenario uses.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub vnfd_id: String,
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
    /// Every resource the scenario made on the VNFM, whatever step sent the request, with the
    /// API root it was made through: the clean-up deletes each through that root.
    pub made: Made,
    /// Instance alias -> the `vnfInstanceName` to create it with, when the scenario chose one
    /// (otherwise `conformance-<alias>`).
    pub names: BTreeMap<String, String>,
}

/// A collection of the VNF LCM API whose resources a scenario may create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    Instances,
    Snapshots,
    OpOccs,
    Subscriptions,
}

impl Collection {
    /// The collection's path segment.
    pub fn segment(self) -> &'static str {
        match self {
            Collection::Instances => "vnf_instances",
            Collection::Snapshots => "vnf_snapshots",
            Collection::OpOccs => "vnf_lcm_op_occs",
            Collection::Subscriptions => "subscriptions",
        }
    }

    /// The resource's name in the reports.
    pub fn kind(self) -> &'static str {
        match self {
            Collection::Instances => "VNF instance",
            Collection::Snapshots => "VNF snapshot",
            Collection::OpOccs => "operation occurrence",
            Collection::Subscriptions => "subscription",
        }
    }

    fn of_segment(segment: &str) -> Option<Self> {
        [
            Collection::Instances,
            Collection::Snapshots,
            Collection::OpOccs,
            Collection::Subscriptions,
        ]
        .into_iter()
        .find(|c| c.segment() == segment)
    }
}

/// What the scenario made, in order: `(API root, collection, id)`, each once.
#[derive(Debug, Default)]
pub struct Made(Vec<(Api, Collection, String)>);

impl Made {
    /// Records `id` of `collection`, made through `api`.
    pub fn add(&mut self, api: Api, collection: Collection, id: &str) {
        let entry = (api, collection, id.to_string());
        if !id.is_empty() && !self.0.contains(&entry) {
            self.0.push(entry);
        }
    }

    /// Records the resource at `location` (a URI ending in `<collection>/<id>`), made through
    /// `api`.
    pub fn note(&mut self, api: Api, location: &str) {
        let path = url::Url::parse(location)
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| location.to_string());
        let mut segments = path.trim_end_matches('/').rsplit('/');
        let (Some(id), Some(segment)) = (segments.next(), segments.next()) else {
            return;
        };
        if let Some(collection) = Collection::of_segment(segment) {
            self.add(api, collection, id);
        }
    }

    /// The resources of `collection`, with the root each was made through.
    pub fn of(&self, collection: Collection) -> Vec<(Api, String)> {
        self.0
            .iter()
            .filter(|(_, c, _)| *c == collection)
            .map(|(api, _, id)| (*api, id.clone()))
            .collect()
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
