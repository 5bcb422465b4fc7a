//! Steering the reference VNFM itself (scenarios tagged `@vnfm-control`): its internal services
//! unavailable, an operation failing or held at a named step, notifications duplicated, dropped
//! or reordered. Every rule is scoped to the scenario's own instance or subscription, so
//! concurrent scenarios are never affected, and the clean-up removes it.

use cucumber::{given, then, when};
use serde_json::Value;
use simulator::{
    kit::{VnfmControl, VnfmFault},
    vnfm::{
        faults::{Step, VnfmFaultRule},
        Api as RootApi,
    },
};

use super::notifications::{parse_sequence, state_status_pairs};
use crate::{
    failure::{ensure, Failure, Outcome},
    world::Conformance,
};

fn control(w: &Conformance) -> Outcome<&'static VnfmControl> {
    w.target.vnfm_control.as_ref().ok_or_else(|| {
        Failure::new("the target has no VNFM control (tag the scenario @vnfm-control)")
    })
}

async fn add_rule(w: &mut Conformance, rule: VnfmFaultRule) -> Outcome {
    let id = control(w)?.add(&rule).await?;
    w.vnfm_faults.push(id);
    Ok(())
}

/// Rules about the scenario's instance `alias`.
fn about(w: &Conformance, alias: &str) -> Outcome<VnfmFault> {
    Ok(VnfmFault::new().instance(&w.registry.instance(alias)?.id))
}

fn step(name: &str) -> Outcome<Step> {
    serde_json::from_value(Value::from(name))
        .map_err(|_| Failure::new(format!("unknown VNFM operation step {name:?}")))
}

#[given(
    regex = r#"^the VNFM's internal service "([^"]+)" is unavailable to "([^"]+)" requests about "([^"]+)"(?: over (SOL00[23]))?$"#
)]
async fn unavailable(
    w: &mut Conformance,
    service: String,
    operation: String,
    alias: String,
    over: String,
) -> Outcome {
    let mut fault = about(w, &alias)?.operation(&operation);
    match over.as_str() {
        "SOL003" => fault = fault.api(RootApi::Sol003),
        "SOL002" => fault = fault.api(RootApi::Sol002),
        _ => {}
    }
    let rule = fault.unavailable_service(&service);
    add_rule(w, rule).await
}

#[when("the VNFM's internal services are available again")]
async fn available_again(w: &mut Conformance) -> Outcome {
    w.lift_vnfm_faults().await
}

#[given(
    regex = r#"^the VNFM fails "([^"]+)" of "([^"]+)" once at step "([^"]+)" with status (\d+) and detail "([^"]*)"$"#
)]
async fn fails_at(
    w: &mut Conformance,
    operation: String,
    alias: String,
    at: String,
    status: u16,
    detail: String,
) -> Outcome {
    let rule = about(w, &alias)?
        .operation(&operation)
        .fail_at_with_status(step(&at)?, status, &detail)
        .times(1);
    add_rule(w, rule).await
}

#[given(expr = "the VNFM holds {string} of {string} at step {string}")]
async fn holds(w: &mut Conformance, operation: String, alias: String, at: String) -> Outcome {
    let rule = about(w, &alias)?.operation(&operation).hold(step(&at)?);
    add_rule(w, rule).await
}

/// The scenario's one hold rule.
fn hold_rule(w: &Conformance) -> Outcome<String> {
    w.vnfm_faults
        .last()
        .cloned()
        .ok_or_else(|| Failure::new("the scenario registered no VNFM rule"))
}

#[then(expr = "the VNFM holds the operation occurrence in {string}")]
async fn held_in(w: &mut Conformance, state: String) -> Outcome {
    let rule = hold_rule(w)?;
    control(w)?
        .wait_until_held(&rule, 1, w.operation_deadline())
        .await?;
    let op = w.registry.op_occ()?.to_string();
    let occ = w.read_op_occ(&op).await?;
    if occ["operationState"] != state.as_str() {
        return Err(Failure::new(format!(
            "expected the held operation occurrence in {state}: {occ}"
        )));
    }
    w.keep("held op-occ", &occ)
}

#[when("the VNFM releases the held operation")]
async fn release(w: &mut Conformance) -> Outcome {
    let rule = hold_rule(w)?;
    Ok(control(w)?.release(&rule).await?)
}

#[then(regex = r#"^the operation occurrence failed with status (\d+) and detail "([^"]*)"$"#)]
async fn failed_with(w: &mut Conformance, status: u16, detail: String) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let exchange = w
        .target
        .sol003
        .get(&format!("/vnf_lcm_op_occs/{op}"))
        .await?;
    let error = &exchange.body()["error"];
    ensure(
        exchange.body()["operationState"] == "FAILED_TEMP"
            && error["status"] == status
            && error["detail"] == detail.as_str(),
        &exchange,
        format!("FAILED_TEMP with the error {status} {detail:?}"),
    )?;
    w.keep("op-occ", exchange.body())
}

#[given(
    regex = r"^the VNFM (duplicates|drops|reorders) the next notification to the NFVO's subscription$"
)]
async fn notification_fault(w: &mut Conformance, effect: String) -> Outcome {
    let subscription = w
        .subscriber
        .subscription
        .clone()
        .ok_or_else(|| Failure::new("the NFVO has not subscribed yet"))?;
    let fault = VnfmFault::new().subscription(&subscription);
    let rule = match effect.as_str() {
        "duplicates" => fault.duplicate(),
        "drops" => fault.drop_notification(),
        _ => fault.reorder(),
    };
    add_rule(w, rule.times(1)).await
}

/// The notifications as the NFVO's endpoint received them, in order, duplicates included: the
/// sequence a subscriber has to cope with when the VNFM's notifications misbehave.
#[then(regex = r"^the NFVO's endpoint receives exactly (.+) for the operation occurrence$")]
async fn received_exactly(w: &mut Conformance, expected: String) -> Outcome {
    let expected = parse_sequence(&expected)?;
    let op = w.registry.op_occ()?.to_string();
    let about_op = |n: &Value| n["vnfLcmOpOccId"] == op.as_str();
    let channel = w.subscriber.channel()?.clone();
    let last = expected
        .last()
        .cloned()
        .ok_or_else(|| Failure::new("no notification expected"))?;
    // The last one expected arrives last: delivery to one subscription is sequential.
    w.await_notifications("the notifications", 1, |n| {
        about_op(n)
            && n["operationState"] == last.0.as_str()
            && n["notificationStatus"] == last.1.as_str()
    })
    .await?;
    let notifications = w.target.sink.notifications_where(&channel, about_op);
    let got = state_status_pairs(&notifications);
    if got != expected {
        return Err(Failure::new(format!(
            "expected exactly the notifications {expected:?} in this order, got {got:?}"
        )));
    }
    w.keep("notifications", &Value::Array(notifications))
}

#[then(expr = "{string} has no {string} operation occurrence")]
async fn no_operation(w: &mut Conformance, alias: String, operation: String) -> Outcome {
    let id = w.registry.instance(&alias)?.id.clone();
    let path =
        format!("/vnf_lcm_op_occs?filter=(eq,vnfInstanceId,{id});(eq,operation,{operation})");
    let exchange = w.target.sol003.get(&path).await?;
    ensure(
        exchange.status == 200 && exchange.body().as_array().is_some_and(Vec::is_empty),
        &exchange,
        format!(
            "no {operation} operation occurrence of {alias}: the refused request started nothing"
        ),
    )
}

/// Held everywhere the scenario runs (only the reference VNFM has the control API), unlike
/// "the problem detail mentions", which external targets word as they like.
#[then(expr = "the problem detail names the unavailable service {string}")]
async fn names_service(w: &mut Conformance, service: String) -> Outcome {
    let exchange = w.last()?;
    let detail = exchange.body()["detail"].as_str().unwrap_or_default();
    ensure(
        detail.contains(&format!("internal service {service} is unavailable"))
            && detail.contains("rely on all other services"),
        exchange,
        format!("a detail naming the unavailable internal service {service}"),
    )
}
