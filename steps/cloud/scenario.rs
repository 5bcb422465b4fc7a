//! The scenario's part of the simulated cloud: its own project, the faults it registered, and
//! what it recorded or left there on purpose.

use std::collections::BTreeSet;

use super::state::Project;

/// The scenario's cloud.
#[derive(Debug, Default)]
pub struct ScenarioCloud {
    pub project: Option<Project>,
    /// A cloud time before the scenario started: whatever it makes in the cloud is created at
    /// or after it, so its leak check reads only what was created since.
    pub created_since: u64,
    /// The scenario project's resources when recorded (`"<kind> <id> <name>"`).
    pub recorded_resources: Option<BTreeSet<String>>,
    /// Cloud faults the scenario registered.
    pub faults: Vec<String>,
    /// A fault leaves a cloud resource stuck: waits for the operation also allow for the
    /// VNFM's own wait on that resource.
    pub stuck: bool,
    /// A Cinder quota a step lowered through the quota API: its key and former limit.
    pub quota_to_restore: Option<(String, i64)>,
    /// A volume the scenario left on purpose to probe the leak check.
    pub stray: Option<String>,
}

impl ScenarioCloud {
    /// The cloud project of the scenario (`None`: the target's default project).
    pub fn project_name(&self) -> Option<&str> {
        self.project.as_ref().map(|p| p.name.as_str())
    }
}
