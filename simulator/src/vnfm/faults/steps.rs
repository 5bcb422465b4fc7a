//! The named steps of the LCM operations, where `fail_at` and `hold` rules act. This is the one
//! place that says which operation passes which step; the conductor passes each with one call.
//!
//! | Step | Where | Operations |
//! |---|---|---|
//! | `starting` | first thing of every run of the work, in PROCESSING (a retry passes it again) | all |
//! | `virtual_link` | before the internal network is made (INSTANTIATE) or deleted (TERMINATE) | INSTANTIATE, TERMINATE |
//! | `vnfc` | before the VIM work of each VNFC: deploy, snapshot, revert, undeploy | all |
//! | `completing` | after the VIM work, before COMPLETED | all |

use serde::{Deserialize, Serialize};

use crate::vnfm::types::LcmOperationType;

/// A named step of an LCM operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The start of every run of the work (in PROCESSING), retries included.
    #[default]
    Starting,
    /// Before the VNF's internal network is made or deleted.
    VirtualLink,
    /// Before the VIM work of each VNFC.
    Vnfc,
    /// After the VIM work, before COMPLETED.
    Completing,
}

/// The operations this VNFM runs, each with its steps in the order they are passed.
pub const OPERATION_STEPS: [(LcmOperationType, &[Step]); 4] = [
    (
        LcmOperationType::Instantiate,
        &[
            Step::Starting,
            Step::VirtualLink,
            Step::Vnfc,
            Step::Completing,
        ],
    ),
    (
        LcmOperationType::Terminate,
        &[
            Step::Starting,
            Step::Vnfc,
            Step::VirtualLink,
            Step::Completing,
        ],
    ),
    (
        LcmOperationType::CreateSnapshot,
        &[Step::Starting, Step::Vnfc, Step::Completing],
    ),
    (
        LcmOperationType::RevertToSnapshot,
        &[Step::Starting, Step::Vnfc, Step::Completing],
    ),
];

impl Step {
    /// The step's name in rules.
    pub fn name(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::VirtualLink => "virtual_link",
            Self::Vnfc => "vnfc",
            Self::Completing => "completing",
        }
    }

    /// Whether `operation` passes this step.
    pub fn is_passed_by(self, operation: LcmOperationType) -> bool {
        OPERATION_STEPS
            .iter()
            .any(|(known, steps)| *known == operation && steps.contains(&self))
    }
}

/// The wire name of an LCM operation type (`CREATE_SNAPSHOT`).
pub fn operation_name(operation: LcmOperationType) -> String {
    serde_json::to_value(operation)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_instantiate_and_terminate_touch_the_virtual_link() {
        let passing: Vec<_> = OPERATION_STEPS
            .iter()
            .filter(|(operation, _)| Step::VirtualLink.is_passed_by(*operation))
            .map(|(operation, _)| operation_name(*operation))
            .collect();
        assert_eq!(passing, ["INSTANTIATE", "TERMINATE"]);
        assert!(Step::Vnfc.is_passed_by(LcmOperationType::RevertToSnapshot));
    }
}
