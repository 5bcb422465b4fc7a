//! The system under test and everything the suite needs to talk to it: the VNFM clients, the
//! notification sink, the cloud observer, the cloud and VNFM controls (simulator only), the
//! fixtures, and where bodies and reports go.

pub mod capabilities;
pub mod config;
pub mod data_probe;
mod external;
mod reference;

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use simulator::kit::{SimControl, VnfmControl};

use crate::{
    cloud::Observer,
    failure::{Failure, Outcome},
    http::{Api, ApiClient},
    schema::Schemas,
    sink::NotificationSink,
    snapshot::BodyStore,
};
use capabilities::Capabilities;
use config::FixtureConfig;

/// A resolved target.
#[derive(Debug)]
pub struct Target {
    /// A label for reports.
    pub label: String,
    /// True for the in-process reference stack, where open choices are asserted exactly.
    pub reference: bool,
    /// Whether requests without a `Version` header are refused (SOL013 §9.1).
    pub version_header_required: bool,
    pub sol003: ApiClient,
    pub sol002: ApiClient,
    pub sink: NotificationSink,
    pub observer: Observer,
    pub control: Option<SimControl>,
    /// The reference VNFM's control API (its own fault rules), when the target is it.
    pub vnfm_control: Option<VnfmControl>,
    pub fixtures: BTreeMap<String, FixtureConfig>,
    pub bodies: BodyStore,
    pub schemas: Schemas,
    pub report_dir: PathBuf,
    /// How long an LCM operation (and its notifications) may take before a step gives up.
    pub operation_deadline: Duration,
    /// How long the VNFM waits on a cloud resource stuck in a transitional status before it
    /// fails the operation; added to the deadline of scenarios that make a resource stuck.
    pub resource_wait: Duration,
    /// What the target claims to support (its conformance statement).
    pub capabilities: Capabilities,
    /// Commands that write and read a marker on a VNFC (`[data_probe]`), for a cloud without
    /// the control API.
    pub data_probe: Option<data_probe::DataProbe>,
    /// How many existing instances each fixture has handed out.
    handed_out: Mutex<HashMap<String, usize>>,
}

impl Target {
    /// The reference stack, or the external target named by `CONFORMANCE_TARGET`.
    pub async fn from_env(repo: &Path) -> Outcome<Self> {
        let report_dir = std::env::var_os("CONFORMANCE_REPORT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join("target/conformance"));
        let schemas = Schemas::load(&repo.join("schemas"))?;
        match std::env::var_os("CONFORMANCE_TARGET") {
            Some(file) => external::start(repo, Path::new(&file), report_dir, schemas).await,
            None => reference::start(repo, report_dir, schemas).await,
        }
    }

    /// The client of one API.
    pub fn api(&self, api: Api) -> &ApiClient {
        match api {
            Api::Sol003 => &self.sol003,
            Api::Sol002 => &self.sol002,
        }
    }

    /// The fixture named `name`.
    pub fn fixture(&self, name: &str) -> Outcome<&FixtureConfig> {
        self.fixtures
            .get(name)
            .ok_or_else(|| Failure::new(format!("the target defines no fixture {name:?}")))
    }

    /// The next unused existing instance of fixture `name`.
    pub fn next_existing(&self, name: &str, ids: &[String]) -> Outcome<String> {
        let mut handed_out = self.handed_out.lock().expect("fixture cursor poisoned");
        let next = handed_out.entry(name.to_string()).or_default();
        let id = ids.get(*next).cloned().ok_or_else(|| {
            Failure::new(format!(
                "fixture {name:?} has no unused existing instance left"
            ))
        })?;
        *next += 1;
        Ok(id)
    }
}
