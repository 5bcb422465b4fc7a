//! LCM operation occurrences: waiting for their states, their content, and the error-handling
//! tasks (retry, rollback, fail, cancel).

use cucumber::{then, when};
use reqwest::Method;
use serde_json::json;

use super::responses::links_to;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    registry::SETTLED,
    world::Conformance,
};

#[when(expr = "the operation occurrence reaches {string}")]
#[then(expr = "the operation occurrence reaches {string}")]
async fn reaches(w: &mut Conformance, state: String) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let states: Vec<&str> = if SETTLED.contains(&state.as_str()) {
        SETTLED.to_vec()
    } else {
        vec![state.as_str()]
    };
    let occ = w.await_op_state(&op, &states).await?;
    if occ["operationState"] == state.as_str() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected operation occurrence {op} to settle in {state}, it is:\n{}",
            serde_json::to_string_pretty(&occ).unwrap_or_default()
        )))
    }
}

#[then(expr = "the operation occurrence is a {string} of {string} for {string}")]
async fn describes(
    w: &mut Conformance,
    operation: String,
    instance: String,
    snapshot: String,
) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let instance = w.registry.instance(&instance)?.id.clone();
    let snapshot = w.registry.snapshot(&snapshot)?.to_string();
    let exchange = w
        .call(
            Api::Sol003,
            Method::GET,
            &format!("/vnf_lcm_op_occs/{op}"),
            None,
        )
        .await?
        .clone();
    ensure(
        exchange.status == 200,
        &exchange,
        "200 with the operation occurrence",
    )?;
    let occ = exchange.body();
    w.target
        .schemas
        .check("VnfLcmOpOcc", occ)
        .map_err(|e| Failure::about(&exchange, e))?;
    let checks = [
        (
            occ["id"] == op.as_str(),
            "the id of the Location".to_string(),
        ),
        (
            occ["operation"] == operation.as_str(),
            format!("operation {operation}"),
        ),
        (
            occ["vnfInstanceId"] == instance.as_str(),
            "the instance's id as vnfInstanceId".into(),
        ),
        (
            occ["vnfSnapshotInfoId"] == snapshot.as_str(),
            "the snapshot's id as vnfSnapshotInfoId (SOL003 §5.5.2.13: present for CREATE_SNAPSHOT and REVERT_TO_SNAPSHOT)".into(),
        ),
        (
            occ.get("operationParams").is_none()
                || occ["operationParams"]["vnfSnapshotInfoId"] == snapshot.as_str(),
            "operationParams, when present, holding the request (SOL003 §5.5.2.13: formatted as the operation's request)".into(),
        ),
        (
            occ["isAutomaticInvocation"] == false,
            "isAutomaticInvocation false".into(),
        ),
        (
            occ["isCancelPending"] == false,
            "isCancelPending false".into(),
        ),
        (
            links_to(&occ["_links"]["self"], &format!("/vnf_lcm_op_occs/{op}")),
            "_links.self to the occurrence".into(),
        ),
        (
            links_to(
                &occ["_links"]["vnfInstance"],
                &format!("/vnf_instances/{instance}"),
            ),
            "_links.vnfInstance to the instance".into(),
        ),
    ];
    for (ok, what) in checks {
        ensure(ok, &exchange, what)?;
    }
    // SOL003 §5.5.2.13 makes operationParams 0..1; the reference VNFM always gives it.
    w.reference_choice(occ.get("operationParams").is_some(), || {
        format!("the operation occurrence {op} has no operationParams")
    })?;
    w.keep("op-occ", exchange.body())
}

#[then(expr = "the operation occurrence error mentions {string}")]
async fn error_mentions(w: &mut Conformance, text: String) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let occ = w.read_op_occ(&op).await?;
    let detail = occ["error"]["detail"].as_str().unwrap_or_default();
    let ok = if w.target.reference {
        detail.to_lowercase().contains(&text.to_lowercase())
    } else {
        !detail.is_empty()
    };
    if ok {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected error.detail to carry the cloud's message {text:?}, the occurrence is:\n{}",
            serde_json::to_string_pretty(&occ).unwrap_or_default()
        )))
    }
}

#[then("the operation occurrence has an error")]
async fn has_error(w: &mut Conformance) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let occ = w.read_op_occ(&op).await?;
    w.target
        .schemas
        .check("ProblemDetails", &occ["error"])
        .map_err(|e| Failure::new(format!("expected an error (ProblemDetails) in {occ}: {e}")))
}

#[when(regex = r"^the NFVO asks to (retry|rollback|fail|cancel) the operation occurrence$")]
async fn error_handling_task(w: &mut Conformance, task: String) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let body = (task == "cancel").then(|| json!({"cancelMode": "FORCEFUL"}));
    w.call(
        Api::Sol003,
        Method::POST,
        &format!("/vnf_lcm_op_occs/{op}/{task}"),
        body,
    )
    .await
    .map(drop)
}

#[then(expr = "the body is the operation occurrence in state {string}")]
async fn body_state(w: &mut Conformance, state: String) -> Outcome {
    let exchange = w.last()?;
    let op = w.registry.op_occ()?;
    ensure(
        exchange.body()["id"] == op && exchange.body()["operationState"] == state.as_str(),
        exchange,
        format!("the operation occurrence {op} in state {state}"),
    )
}

#[then(expr = "the list is exactly the operation occurrence that took {string}")]
async fn list_exactly(w: &mut Conformance, snapshot: String) -> Outcome {
    let exchange = w.last()?.clone();
    let snapshot = w.registry.snapshot(&snapshot)?;
    let list = exchange.body().as_array().cloned().unwrap_or_default();
    let ok = list.len() == 1
        && w.registry
            .op_occs
            .iter()
            .any(|op| list[0]["id"] == op.as_str())
        && list[0]["vnfSnapshotInfoId"] == snapshot;
    ensure(
        ok,
        &exchange,
        format!("exactly one operation occurrence, the one that filled {snapshot}"),
    )?;
    w.keep("op-occ-list", exchange.body())
}

/// A refused request started nothing (RFC 9110 §15.5). Holds vacuously when the target served
/// a request the reference VNFM refuses (see `open_answers.rs`).
#[then(expr = "{string} has no snapshot operation occurrence")]
async fn no_snapshot_operation(w: &mut Conformance, alias: String) -> Outcome {
    if w.served_instead_of_refused {
        return Ok(());
    }
    let id = w.registry.instance(&alias)?.id.clone();
    let path = format!(
        "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId,{id});(in,operation,CREATE_SNAPSHOT,REVERT_TO_SNAPSHOT)"
    );
    let exchange = w.target.sol003.get(&path).await?;
    ensure(
        exchange.status == 200 && exchange.body().as_array().is_some_and(Vec::is_empty),
        &exchange,
        format!("no snapshot operation occurrence of {alias}: the refused request stored nothing"),
    )
}
