//! The task resources of an op occ: retry, rollback, fail and cancel (SOL003 §5.4.14-17).

use std::sync::Arc;

use super::lifecycle::{run_backward, run_forward, set_state};
use crate::vnfm::store::{OpOcc, OpWork};
use crate::vnfm::{
    error::VnfmError,
    op_rules,
    services::Services,
    store::StoreData,
    types::{CancelModeType, LcmOperationStateType},
};

fn require_failed_temp(data: &StoreData, op_id: &str, task: &'static str) -> Result<(), VnfmError> {
    let record = data
        .op_occs
        .get(op_id)
        .ok_or_else(|| VnfmError::NoOpOcc(op_id.to_string()))?;
    if !op_rules::takes_error_tasks(record.occ.operation_state) {
        return Err(VnfmError::NotFailedTemp {
            op_id: op_id.to_string(),
            state: record.occ.operation_state,
            task,
        });
    }
    Ok(())
}

/// Moves an op occ out of FAILED_TEMP to `state`, keeping its error (SOL003 allows it in
/// PROCESSING after a retry and in ROLLING_BACK).
fn leave_failed_temp(
    services: &Services,
    data: &mut StoreData,
    op_id: &str,
    state: LcmOperationStateType,
) {
    let previous = data
        .op_occs
        .get(op_id)
        .and_then(|record| record.occ.error.as_deref().cloned());
    set_state(services, data, op_id, state, previous);
}

/// FAILED_TEMP → PROCESSING, and the work resumes where it stopped.
pub fn retry(services: &Arc<Services>, op_id: &str) -> Result<(), VnfmError> {
    {
        let mut data = services.store.lock();
        require_failed_temp(&data, op_id, "retry")?;
        leave_failed_temp(
            services,
            &mut data,
            op_id,
            LcmOperationStateType::Processing,
        );
    }
    tokio::spawn(run_forward(services.clone(), op_id.to_string()));
    Ok(())
}

/// FAILED_TEMP → ROLLING_BACK, and what was done is undone. INSTANTIATE and CREATE_SNAPSHOT
/// support rollback; other operations answer 404.
pub fn rollback(services: &Arc<Services>, op_id: &str) -> Result<(), VnfmError> {
    {
        let mut data = services.store.lock();
        let operation = data
            .op_occs
            .get(op_id)
            .map(|record| record.work.operation())
            .ok_or_else(|| VnfmError::NoOpOcc(op_id.to_string()))?;
        if !op_rules::supports_rollback(operation) {
            return Err(VnfmError::RollbackUnsupported(operation));
        }
        require_failed_temp(&data, op_id, "rollback")?;
        leave_failed_temp(
            services,
            &mut data,
            op_id,
            LcmOperationStateType::RollingBack,
        );
    }
    tokio::spawn(run_backward(services.clone(), op_id.to_string()));
    Ok(())
}

/// FAILED_TEMP → FAILED (final). VIM resources made so far stay; the instance keeps what was
/// really done.
pub fn fail(services: &Arc<Services>, op_id: &str) -> Result<OpOcc, VnfmError> {
    let mut data = services.store.lock();
    require_failed_temp(&data, op_id, "fail")?;
    if let Some(record) = data.op_occs.get(op_id) {
        if let OpWork::Terminate {
            remaining,
            virtual_link,
            ..
        } = record.work.clone()
        {
            let instance_id = record.occ.vnf_instance_id.clone();
            if let Some(instance) = data.instances.get_mut(&instance_id) {
                instance
                    .vnfcs
                    .retain(|vnfc| remaining.iter().any(|left| left.id == vnfc.id));
                instance.virtual_link = virtual_link;
            }
        }
    }
    set_state(
        services,
        &mut data,
        op_id,
        LcmOperationStateType::Failed,
        None,
    )
    .ok_or_else(|| VnfmError::NoOpOcc(op_id.to_string()))
}

/// Marks a cancel as pending (STARTING, PROCESSING or ROLLING_BACK); a FORCEFUL cancel also
/// aborts the VIM call in flight.
pub fn cancel(
    services: &Arc<Services>,
    op_id: &str,
    mode: CancelModeType,
) -> Result<(), VnfmError> {
    let mut data = services.store.lock();
    let record = data
        .op_occs
        .get_mut(op_id)
        .ok_or_else(|| VnfmError::NoOpOcc(op_id.to_string()))?;
    let state = record.occ.operation_state;
    if !op_rules::is_cancellable(state) {
        return Err(VnfmError::NotCancellable {
            op_id: op_id.to_string(),
            state,
        });
    }
    if record.occ.is_cancel_pending {
        return Err(VnfmError::CancelPending(op_id.to_string()));
    }
    record.occ.is_cancel_pending = true;
    record.occ.cancel_mode = Some(mode);
    if mode == CancelModeType::Forceful {
        record.cancel_signal.notify_one();
    }
    Ok(())
}
