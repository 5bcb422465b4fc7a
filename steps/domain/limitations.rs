//! The documented limitations (a VNF on a non-OpenStack VIM, a revert without a bootable volume
//! or with out-of-band volumes), and other requests a VNFM may refuse at once or accept and
//! fail. The documentation says an error is generated or the revert is
//! not supported, not how: a synchronous 4xx and an accepted operation that then fails with an
//! error are equally faithful to it. The target file says which form the VNFM uses
//! (`limitations_refused` in `[capabilities]`); the reference VNFM refuses synchronously with
//! the exact status.

use cucumber::then;

use super::responses::rejected;
use crate::{
    failure::{ensure, Failure, Outcome},
    target::capabilities::LimitationRefusal,
    world::Conformance,
};

#[then(expr = "the limitation is refused with {int}")]
async fn limitation_refused(w: &mut Conformance, status: u16) -> Outcome {
    let accepted = w.last()?.status == 202;
    match (w.target.capabilities.limitations_refused, accepted) {
        (LimitationRefusal::Asynchronous | LimitationRefusal::Either, true)
            if !w.target.reference =>
        {
            failed_operation(w).await
        }
        (LimitationRefusal::Asynchronous, false) if !w.target.reference => {
            let exchange = w.last()?;
            Err(Failure::about(
                exchange,
                "202 and an operation that fails with an error (the target declares limitations_refused = \"asynchronous\")",
            ))
        }
        _ => rejected(w, status).await,
    }
}

/// The operation the last request started ends with a ProblemDetails `error`: in FAILED_TEMP or
/// FAILED, or in ROLLED_BACK when it failed while STARTING (SOL003 §5.6.2.2); `error` shall be
/// present in those states (§5.5.2.13). The reference VNFM fails in FAILED_TEMP.
async fn failed_operation(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?.clone();
    let op = exchange.location_id(w.target.sol003.root(), "/vnf_lcm_op_occs")?;
    if w.registry.op_occs.last() != Some(&op) {
        w.registry.op_occs.push(op.clone());
    }
    let occ = w.await_op_state(&op, crate::registry::SETTLED).await?;
    let state = occ["operationState"].as_str().unwrap_or_default();
    let ended = match w.target.reference {
        true => state == "FAILED_TEMP",
        false => matches!(state, "FAILED_TEMP" | "FAILED" | "ROLLED_BACK"),
    };
    ensure(
        ended,
        &occ,
        format!(
            "the operation to fail (FAILED_TEMP, FAILED, or ROLLED_BACK when it failed while STARTING: SOL003 §5.6.2.2), not {state}"
        ),
    )?;
    w.check_schema("ProblemDetails", &occ["error"])
        .map_err(|e| {
            Failure::new(format!(
                "the failed operation's error (SOL003 §5.5.2.13: present in FAILED_TEMP, FAILED and ROLLED_BACK): {e}\n{occ}"
            ))
        })
}

/// A request the VNFM cannot carry out (a VNFC whose server is gone): refused with a 4xx and a
/// ProblemDetails, or accepted and its operation ends with an error; SOL003 fixes neither
/// form. The reference VNFM accepts it and fails in FAILED_TEMP.
#[then("the request is refused, or its operation fails with an error")]
async fn refused_or_failed(w: &mut Conformance) -> Outcome {
    let answered = w.last()?.status;
    if answered == 202 || w.target.reference {
        return failed_operation(w).await;
    }
    rejected(w, 409).await
}
