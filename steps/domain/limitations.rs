//! The documented limitations (a VNF on a non-OpenStack VIM, a revert without a bootable volume
//! or with out-of-band volumes). The documentation says an error is generated or the revert is
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

/// The operation the request started ends in FAILED_TEMP or FAILED with a ProblemDetails error.
async fn failed_operation(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?.clone();
    let op = exchange.location_id(w.target.sol003.root(), "/vnf_lcm_op_occs")?;
    w.registry.op_occs.push(op.clone());
    let occ = w.await_op_state(&op, crate::registry::SETTLED).await?;
    let state = occ["operationState"].as_str().unwrap_or_default();
    ensure(
        state == "FAILED_TEMP" || state == "FAILED",
        &occ,
        format!(
            "the operation refusing the limitation to fail (FAILED_TEMP or FAILED), not {state}"
        ),
    )?;
    w.check_schema("ProblemDetails", &occ["error"])
        .map_err(|e| Failure::new(format!("the failed operation's error: {e}\n{occ}")))
}
