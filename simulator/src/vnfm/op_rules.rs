//! The rules of the VNF LCM operation occurrence state machine (SOL003 §5.6.2) in one place:
//! which state changes are legal, in which states the cancel and the retry / rollback / fail
//! tasks apply, and which operations can be rolled back.

use super::types::{LcmOperationStateType, LcmOperationType};

/// Whether an op occ may move from `from` to `to`.
pub fn is_legal_transition(from: LcmOperationStateType, to: LcmOperationStateType) -> bool {
    use LcmOperationStateType::*;
    matches!(
        (from, to),
        (Starting, Processing)
            | (Starting, RolledBack)
            | (Processing, Completed)
            | (Processing, FailedTemp)
            | (FailedTemp, Processing)
            | (FailedTemp, RollingBack)
            | (FailedTemp, Failed)
            | (RollingBack, RolledBack)
            | (RollingBack, FailedTemp)
    )
}

/// Whether a task of the VNFM is working on an op occ in `state` (STARTING, PROCESSING,
/// ROLLING_BACK): the states a restart interrupts and a state load must not replace.
pub fn is_running(state: LcmOperationStateType) -> bool {
    use LcmOperationStateType::*;
    matches!(state, Starting | Processing | RollingBack)
}

/// Whether a cancel may be requested in `state` (while a task runs).
pub fn is_cancellable(state: LcmOperationStateType) -> bool {
    is_running(state)
}

/// Whether the retry, rollback and fail tasks apply in `state` (FAILED_TEMP only).
pub fn takes_error_tasks(state: LcmOperationStateType) -> bool {
    state == LcmOperationStateType::FailedTemp
}

/// Whether operations of this type can be rolled back (INSTANTIATE and CREATE_SNAPSHOT).
pub fn supports_rollback(operation: LcmOperationType) -> bool {
    matches!(
        operation,
        LcmOperationType::Instantiate | LcmOperationType::CreateSnapshot
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use LcmOperationStateType::*;

    const ALL: [LcmOperationStateType; 7] = [
        Starting,
        Processing,
        Completed,
        FailedTemp,
        Failed,
        RollingBack,
        RolledBack,
    ];

    #[test]
    fn final_states_are_left_by_no_transition() {
        for from in ALL.into_iter().filter(|state| state.is_final()) {
            assert!(ALL.iter().all(|&to| !is_legal_transition(from, to)));
        }
    }

    #[test]
    fn error_tasks_lead_out_of_failed_temp_only() {
        for to in [Processing, RollingBack, Failed] {
            assert!(is_legal_transition(FailedTemp, to));
        }
        assert!(!is_legal_transition(Processing, Failed));
        assert!(!is_legal_transition(Completed, Processing));
    }

    #[test]
    fn cancellable_states_are_the_running_ones() {
        let cancellable: Vec<_> = ALL.into_iter().filter(|&s| is_cancellable(s)).collect();
        assert_eq!(cancellable, [Starting, Processing, RollingBack]);
    }
}
