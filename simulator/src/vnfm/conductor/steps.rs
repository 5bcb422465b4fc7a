//! Passing a named step of an operation ([`Step`]): where the VNFM's `fail_at` and `hold` fault
//! rules act. Each step is passed with one call to [`pass`].

use super::{failure::OpFailure, lifecycle::check_cancel};
use crate::vnfm::{
    faults::{Facts, StepDecision},
    services::Services,
    types::CancelModeType,
};

pub use crate::vnfm::faults::Step;

/// Passes `step` of the op occ: a `fail_at` rule fails it with the rule's error, a `hold` rule
/// keeps it here until the rule is released or removed (a FORCEFUL cancel ends the hold, a
/// GRACEFUL one takes effect when it ends).
pub async fn pass(services: &Services, op_id: &str, step: Step) -> Result<(), OpFailure> {
    let (facts, cancel_signal) = {
        let data = services.store.lock();
        let record = data.op_occs.get(op_id).ok_or_else(|| {
            OpFailure::Internal(format!("operation occurrence {op_id} disappeared"))
        })?;
        (
            Facts::step(record.work.operation(), &record.occ.vnf_instance_id, step),
            record.cancel_signal.clone(),
        )
    };
    let decision = services.faults.book().decide_step(&facts);
    match decision {
        None => Ok(()),
        Some(StepDecision::Fail(problem)) => Err(OpFailure::Injected(problem)),
        Some(StepDecision::Hold(mut released)) => {
            tracing::info!(%op_id, step = step.name(), "operation held by a fault rule");
            tokio::select! {
                // A release changes the value; a removal drops the sender: both end the hold.
                _ = released.changed() => {}
                _ = cancel_signal.notified() => {
                    return Err(OpFailure::Cancelled(CancelModeType::Forceful));
                }
            }
            check_cancel(services, op_id)
        }
    }
}
