//! Creating op occs, moving them between states (stored, then notified) and running their
//! work as tokio tasks.

use std::{future::Future, sync::Arc};

use serde_json::Value;
use tokio::sync::Notify;

use super::{
    create_snapshot,
    failure::OpFailure,
    instantiate, revert,
    steps::{self, Step},
    terminate,
};
use crate::vnfm::{
    clock,
    error::VnfmError,
    op_rules,
    services::Services,
    store::{InstanceRecord, OpOcc, OpOccRecord, OpWork, SnapshotLock, StoreData},
    types::{JsonText, LcmOperationStateType, LcmOperationType, ProblemDetails},
};

/// Creates the op occ of an operation on `instance_id` in STARTING (after `prepare` checked
/// the request and built the work, the operation itself), with `params` as its
/// `operationParams`, notifies it and starts its task; returns the op occ id. Nothing is
/// stored on refusal.
pub fn start(
    services: &Arc<Services>,
    instance_id: &str,
    params: &Value,
    prepare: impl FnOnce(&mut StoreData, &InstanceRecord) -> Result<OpWork, VnfmError>,
) -> Result<String, VnfmError> {
    let op_id = uuid::Uuid::new_v4().to_string();
    {
        let mut data = services.store.lock();
        let instance = data
            .instances
            .get(instance_id)
            .cloned()
            .ok_or_else(|| VnfmError::NoInstance(instance_id.to_string()))?;
        if let Some(busy) = &instance.busy_with {
            return Err(VnfmError::InstanceBusy {
                op_id: busy.clone(),
                instance_id: instance.id.clone(),
            });
        }
        let work = prepare(&mut data, &instance)?;
        let snapshot_info_id = work.snapshot_info_id().map(str::to_string);
        let now = clock::now();
        let occ = OpOcc {
            id: op_id.clone(),
            operation_state: LcmOperationStateType::Starting,
            state_entered_time: now.clone(),
            start_time: now,
            vnf_instance_id: instance.id.clone(),
            operation: work.operation(),
            is_automatic_invocation: false,
            operation_params: JsonText::of(params).ok(),
            is_cancel_pending: false,
            cancel_mode: None,
            error: None,
            resource_changes: None,
            vnf_snapshot_info_id: snapshot_info_id.clone(),
            resources_left_on_vim: Vec::new(),
        };
        if let Some(record) = data.instances.get_mut(&instance.id) {
            record.busy_with = Some(op_id.clone());
        }
        if let Some(snapshot_id) = &snapshot_info_id {
            data.change_snapshot(snapshot_id, |snapshot| {
                snapshot.in_use_by = Some(SnapshotLock::Operation(op_id.clone()));
            });
        }
        data.op_occs.insert(
            op_id.clone(),
            OpOccRecord {
                occ: occ.clone(),
                work,
                cancel_signal: Arc::new(Notify::new()),
            },
        );
        services.notifier.publish(&data, &occ);
    }
    let task_services = services.clone();
    let task_op = op_id.clone();
    tokio::spawn(async move { begin(task_services, task_op).await });
    Ok(op_id)
}

/// Moves the op occ to `state` after applying `effects`, all in one critical section, then
/// queues its notification. Final states release the instance and the snapshot resource. An
/// illegal state change applies neither the effects nor the state.
pub fn enter_state(
    services: &Services,
    op_id: &str,
    state: LcmOperationStateType,
    error: Option<ProblemDetails>,
    effects: impl FnOnce(&mut StoreData),
) {
    let mut data = services.store.lock();
    let legal = data
        .op_occs
        .get(op_id)
        .is_some_and(|record| op_rules::is_legal_transition(record.occ.operation_state, state));
    if legal {
        effects(&mut data);
    }
    set_state(services, &mut data, op_id, state, error);
}

/// Enters COMPLETED, applying `effects` to the records first (see [`enter_state`]).
pub fn complete(services: &Services, op_id: &str, effects: impl FnOnce(&mut StoreData)) {
    enter_state(
        services,
        op_id,
        LcmOperationStateType::Completed,
        None,
        effects,
    );
}

/// The state change itself, for callers already holding the store lock; returns the op occ
/// as stored. A change the state machine does not allow ([`op_rules::is_legal_transition`])
/// is refused: nothing changes and `None` is returned.
pub fn set_state(
    services: &Services,
    data: &mut StoreData,
    op_id: &str,
    state: LcmOperationStateType,
    error: Option<ProblemDetails>,
) -> Option<OpOcc> {
    let record = data.op_occs.get_mut(op_id)?;
    let occ = &mut record.occ;
    if !op_rules::is_legal_transition(occ.operation_state, state) {
        tracing::error!(
            %op_id,
            from = ?occ.operation_state,
            to = ?state,
            "refused an illegal operation state change"
        );
        return None;
    }
    occ.operation_state = state;
    occ.state_entered_time = clock::now();
    if error.is_some() || !matches!(state, LcmOperationStateType::Failed) {
        occ.error = error.map(Box::new);
    }
    if state.is_final() || state == LcmOperationStateType::FailedTemp {
        occ.is_cancel_pending = false;
        occ.cancel_mode = None;
        record.cancel_signal = Arc::new(Notify::new());
    }
    let occ = record.occ.clone();
    let snapshot_info_id = record.work.snapshot_info_id().map(str::to_string);
    if state.is_final() {
        if let Some(instance) = data.instances.get_mut(&occ.vnf_instance_id) {
            if instance.busy_with.as_deref() == Some(op_id) {
                instance.busy_with = None;
            }
        }
        if let Some(snapshot_id) = &snapshot_info_id {
            data.release_snapshot(snapshot_id, &SnapshotLock::Operation(op_id.to_string()));
        }
    }
    services.notifier.publish(data, &occ);
    Some(occ)
}

/// What `read` takes from the op occ's work: only that is copied out of the store, which
/// keeps the work so that retry, rollback and a saved state continue from the last step.
/// `Err` when the op occ is gone or `read` finds work of another operation.
pub fn read_work<T>(
    services: &Services,
    op_id: &str,
    read: impl FnOnce(&OpWork) -> Option<T>,
) -> Result<T, OpFailure> {
    let data = services.store.lock();
    let work = &data
        .op_occs
        .get(op_id)
        .ok_or_else(|| OpFailure::Internal(format!("operation occurrence {op_id} disappeared")))?
        .work;
    read(work).ok_or_else(|| {
        OpFailure::Internal(format!(
            "operation occurrence {op_id} holds the work of {:?}",
            work.operation()
        ))
    })
}

/// A copy of the op occ's work.
pub fn work_of(services: &Services, op_id: &str) -> Result<OpWork, OpFailure> {
    read_work(services, op_id, |work| Some(work.clone()))
}

/// Changes the op occ's work.
pub fn update_work(services: &Services, op_id: &str, change: impl FnOnce(&mut OpWork)) {
    if let Some(record) = services.store.lock().op_occs.get_mut(op_id) {
        change(&mut record.work);
    }
}

/// Err(Cancelled) when a cancel is pending.
pub fn check_cancel(services: &Services, op_id: &str) -> Result<(), OpFailure> {
    let data = services.store.lock();
    match data.op_occs.get(op_id) {
        Some(record) if record.occ.is_cancel_pending => Err(OpFailure::Cancelled(
            record
                .occ
                .cancel_mode
                .unwrap_or(crate::vnfm::types::CancelModeType::Graceful),
        )),
        _ => Ok(()),
    }
}

/// Runs one VIM call in its own task: a FORCEFUL cancel aborts it, and a driver that panics
/// fails the step (FAILED_TEMP) instead of leaving the operation stuck.
pub async fn guarded<T: Send + 'static>(
    services: &Services,
    op_id: &str,
    call: impl Future<Output = Result<T, crate::vnfm::vim::VimError>> + Send + 'static,
) -> Result<T, OpFailure> {
    check_cancel(services, op_id)?;
    let signal = services
        .store
        .lock()
        .op_occs
        .get(op_id)
        .map(|record| record.cancel_signal.clone())
        .unwrap_or_default();
    let mut task = tokio::spawn(call);
    tokio::select! {
        joined = &mut task => match joined {
            Ok(result) => result.map_err(OpFailure::Vim),
            Err(error) => Err(OpFailure::Internal(format!(
                "the VIM driver failed unexpectedly: {}",
                panic_message(error)
            ))),
        },
        _ = signal.notified() => {
            task.abort();
            Err(OpFailure::Cancelled(crate::vnfm::types::CancelModeType::Forceful))
        }
    }
}

/// The message of a task that panicked or was aborted.
fn panic_message(error: tokio::task::JoinError) -> String {
    if !error.is_panic() {
        return error.to_string();
    }
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// STARTING → PROCESSING (or ROLLED_BACK when cancelled first), then the work.
async fn begin(services: Arc<Services>, op_id: String) {
    if let Err(failure) = check_cancel(&services, &op_id) {
        enter_state(
            &services,
            &op_id,
            LcmOperationStateType::RolledBack,
            Some(failure.problem()),
            |_| {},
        );
        return;
    }
    enter_state(
        &services,
        &op_id,
        LcmOperationStateType::Processing,
        None,
        |_| {},
    );
    run_forward(services, op_id).await;
}

/// Runs the work of an op occ in PROCESSING to COMPLETED or FAILED_TEMP.
pub async fn run_forward(services: Arc<Services>, op_id: String) {
    let outcome = match steps::pass(&services, &op_id, Step::Starting)
        .await
        .and_then(|()| read_work(&services, &op_id, |work| Some(work.operation())))
    {
        Ok(LcmOperationType::Instantiate) => instantiate::execute(&services, &op_id).await,
        Ok(LcmOperationType::Terminate) => terminate::execute(&services, &op_id).await,
        Ok(LcmOperationType::CreateSnapshot) => create_snapshot::execute(&services, &op_id).await,
        Ok(LcmOperationType::RevertToSnapshot) => revert::execute(&services, &op_id).await,
        Ok(other) => Err(OpFailure::Internal(format!("{other:?} is not run here"))),
        Err(failure) => Err(failure),
    };
    if let Err(failure) = outcome {
        tracing::warn!(%op_id, error = %failure.problem().detail, "LCM operation failed");
        fail_temporarily(&services, &op_id, &failure);
    }
}

/// FAILED_TEMP with the failure as the op occ's error.
fn fail_temporarily(services: &Services, op_id: &str, failure: &OpFailure) {
    enter_state(
        services,
        op_id,
        LcmOperationStateType::FailedTemp,
        Some(failure.problem()),
        |_| {},
    );
}

/// Runs the rollback of an op occ in ROLLING_BACK to ROLLED_BACK or FAILED_TEMP.
pub async fn run_backward(services: Arc<Services>, op_id: String) {
    let outcome = match read_work(&services, &op_id, |work| Some(work.operation())) {
        Ok(LcmOperationType::Instantiate) => instantiate::roll_back(&services, &op_id).await,
        Ok(LcmOperationType::CreateSnapshot) => create_snapshot::roll_back(&services, &op_id).await,
        Ok(_) => Err(OpFailure::Internal(
            "this operation cannot be rolled back".into(),
        )),
        Err(failure) => Err(failure),
    };
    if let Err(failure) = outcome {
        tracing::warn!(%op_id, error = %failure.problem().detail, "rollback failed");
        fail_temporarily(&services, &op_id, &failure);
    }
}

/// Enters ROLLED_BACK keeping the op occ's previous error, applying `effects` to the records
/// first (see [`enter_state`]).
pub fn rolled_back(services: &Services, op_id: &str, effects: impl FnOnce(&mut StoreData)) {
    let error = previous_error(services, op_id);
    enter_state(
        services,
        op_id,
        LcmOperationStateType::RolledBack,
        error,
        effects,
    );
}

/// The previous error of the op occ (kept in ROLLED_BACK and FAILED).
fn previous_error(services: &Services, op_id: &str) -> Option<ProblemDetails> {
    services
        .store
        .lock()
        .op_occs
        .get(op_id)
        .and_then(|record| record.occ.error.as_deref().cloned())
}
