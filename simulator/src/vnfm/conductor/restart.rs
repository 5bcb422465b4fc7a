//! What the VNFM does, as a real one does after a restart, with the operation occurrences it
//! finds in progress in loaded records: their tasks did not survive, so each is stopped where
//! it stood and notified, for the NFVO to decide.

use super::lifecycle::set_state;
use crate::vnfm::{
    op_rules,
    services::Services,
    store::StoreData,
    types::{LcmOperationStateType, ProblemDetails},
};

/// Moves every op occ in STARTING to ROLLED_BACK (nothing was done yet) and every one in
/// PROCESSING or ROLLING_BACK to FAILED_TEMP (retry, rollback and fail then apply, continuing
/// from the stored work), each with an error saying the VNFM was restarted; returns their ids.
pub fn interrupt_in_progress(services: &Services, data: &mut StoreData) -> Vec<String> {
    let interrupted: Vec<(String, LcmOperationStateType)> = data
        .op_occs
        .values()
        .map(|record| (record.occ.id.clone(), record.occ.operation_state))
        .filter(|(_, state)| op_rules::is_running(*state))
        .collect();
    for (op_id, state) in &interrupted {
        let (next, detail) = match state {
            LcmOperationStateType::Starting => (
                LcmOperationStateType::RolledBack,
                "the VNFM was restarted before the operation started; nothing was changed",
            ),
            _ => (
                LcmOperationStateType::FailedTemp,
                "the VNFM was restarted while the operation was in progress; retry, roll back or fail it",
            ),
        };
        set_state(
            services,
            data,
            op_id,
            next,
            Some(ProblemDetails::new(503, detail)),
        );
    }
    interrupted.into_iter().map(|(op_id, _)| op_id).collect()
}
