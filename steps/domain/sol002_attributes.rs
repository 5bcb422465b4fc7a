//! The SOL002 single-VNFC attributes sent to the SOL003 root. SOL002 adds `vnfcInstanceId` to
//! CreateVnfSnapshotRequest and `vnfcInstanceId` / `vnfcSnapshotInfoId` to
//! RevertToVnfSnapshotRequest; SOL003 defines neither, and neither spec says what a VNFM does
//! with an attribute its data type does not define. Refusing them is one conformant answer,
//! the reference VNFM's (400 naming the attribute: ignoring them would widen a single-VNFC
//! request to the whole VNF, docs/vnfm-choices.md); ignoring them, so that the operation works
//! on the whole VNF, is another; honouring them as SOL002 does is a third. Against the
//! reference stack its refusal is held exactly; any other target may take any of the three,
//! and a WARN says which. An accepted request is a valid one, so its operation must complete.

use cucumber::then;

use super::{
    responses::{detail_mentions, rejected},
    revert::restoration,
    snapshots::still_empty,
};
use crate::{
    failure::{Failure, Outcome},
    registry::SETTLED,
    world::Conformance,
};

/// The operation occurrence the last request (a 202) started, once settled: it must have
/// completed. Answers its id.
async fn accepted_operation(w: &mut Conformance, what: &str) -> Outcome<String> {
    let exchange = w.last()?.clone();
    let op = exchange.location_id(w.target.sol003.root(), "/vnf_lcm_op_occs")?;
    w.registry.op_occs.push(op.clone());
    let occ = w.await_op_state(&op, SETTLED).await?;
    if occ["operationState"] != "COMPLETED" {
        return Err(Failure::new(format!(
            "the VNFM accepted the {what} (202), so it is a valid request of an INSTANTIATED \
             VNF: its operation must complete (SOL003 §5.4.21, §5.4.22), it is:\n{}",
            serde_json::to_string_pretty(&occ).unwrap_or_default()
        )));
    }
    Ok(op)
}

#[then(
    expr = "the SOL002 attribute {string} is refused over SOL003, or the snapshot of {string} into {string} completes"
)]
async fn create_with_sol002_attribute(
    w: &mut Conformance,
    attribute: String,
    instance: String,
    snapshot: String,
) -> Outcome {
    if w.target.reference || w.last()?.status != 202 {
        rejected(w, 400).await?;
        detail_mentions(w, attribute).await?;
        return still_empty(w, snapshot).await;
    }
    accepted_operation(w, "create_snapshot").await?;
    let info = w.read_snapshot(w.registry.snapshot(&snapshot)?).await?;
    let taken = info["vnfSnapshot"]["vnfcSnapshots"]
        .as_array()
        .map_or(0, Vec::len);
    let vnfcs = w.vnfc_ids(&instance).await?.len();
    let what = if taken == vnfcs {
        format!("ignored it and snapshotted the whole VNF ({taken} VNFC snapshots)")
    } else {
        format!("honoured it as SOL002 does: {taken} of the {vnfcs} VNFCs snapshotted")
    };
    w.other_choice(format!(
        "the SOL002 attribute {attribute} sent to SOL003's create_snapshot was accepted: the VNFM \
         {what}; the reference VNFM refuses it with 400"
    ));
    Ok(())
}

#[then(
    expr = "the SOL002 attributes are refused over SOL003, or the revert of {string} to {string} completes"
)]
async fn revert_with_sol002_attributes(
    w: &mut Conformance,
    instance: String,
    snapshot: String,
) -> Outcome {
    if w.target.reference || w.last()?.status != 202 {
        rejected(w, 400).await?;
        return detail_mentions(w, "vnfcInstanceId".to_string()).await;
    }
    accepted_operation(w, "revert_to_snapshot").await?;
    let found = restoration(w, &instance, &snapshot).await?;
    let restored = found.restored_vnfcs();
    let vnfcs = found.per_vnfc.len();
    let what = match restored.len() {
        0 => {
            return Err(Failure::new(format!(
                "the revert completed, yet no VNFC of {instance} runs on volumes made from the \
                 volume snapshots of {snapshot} (the documentation's revert):\n{}",
                found.report.join("\n")
            )))
        }
        n if n == vnfcs => format!("ignored them and reverted the whole VNF ({n} VNFCs)"),
        n => format!("honoured them as SOL002 does: {n} of the {vnfcs} VNFCs reverted"),
    };
    w.other_choice(format!(
        "the SOL002 attributes vnfcInstanceId and vnfcSnapshotInfoId sent to SOL003's \
         revert_to_snapshot were accepted: the VNFM {what}; the reference VNFM refuses them \
         with 400"
    ));
    Ok(())
}
