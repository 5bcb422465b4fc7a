//! Steering the simulated cloud (scenarios tagged `@fault`): a cloud project of the scenario's
//! own, its quotas, and faults that match only that project.

use cucumber::{given, then, when};
use serde_json::json;
use simulator::{
    kit::{Fault, SimControl},
    openstack::{
        faults::{FaultEffect, FaultRule},
        service::Service,
    },
};

use crate::{
    cloud::state::{project_resources, Project},
    failure::{Failure, Outcome},
    world::Conformance,
};

fn control(w: &Conformance) -> Outcome<&'static SimControl> {
    w.target
        .control
        .as_ref()
        .ok_or_else(|| Failure::new("the target has no cloud control (tag the scenario @fault)"))
}

fn project_id(w: &Conformance) -> Outcome<String> {
    w.cloud
        .project
        .as_ref()
        .map(|p| p.id.clone())
        .ok_or_else(|| Failure::new("the scenario needs its own cloud project first"))
}

/// The faults of a service named in a step, limited to the scenario's project.
fn fault_on(w: &Conformance, service: &str) -> Outcome<Fault> {
    let service: Service = serde_json::from_value(json!(service))
        .map_err(|_| Failure::new(format!("unknown cloud service {service:?}")))?;
    Ok(Fault::on(service).project(&project_id(w)?))
}

async fn add_fault(w: &mut Conformance, rule: FaultRule) -> Outcome {
    let id = control(w)?.add_fault(&rule).await?;
    w.cloud.faults.push(id);
    Ok(())
}

#[given("the scenario runs in its own cloud project")]
async fn own_project(w: &mut Conformance) -> Outcome {
    let name = format!("scn-{}", uuid::Uuid::new_v4());
    let id = control(w)?.create_project(&name).await?;
    w.cloud.project = Some(Project { id, name });
    Ok(())
}

#[given(regex = r"^the scenario project allows (\d+) (volume snapshots|images)$")]
#[when(regex = r"^the scenario project allows (\d+) (volume snapshots|images)$")]
async fn quota(w: &mut Conformance, limit: u64, resource: String) -> Outcome {
    let key = if resource == "images" {
        "images"
    } else {
        "snapshots"
    };
    let id = project_id(w)?;
    control(w)?.set_quotas(&id, json!({ key: limit })).await?;
    Ok(())
}

#[given(expr = "the cloud's {string} service is unreachable")]
async fn unreachable(w: &mut Conformance, service: String) -> Outcome {
    let rule = fault_on(w, &service)?.unreachable();
    add_fault(w, rule).await
}

/// Keeps an operation in progress: the call gets no answer until the scenario's faults are
/// lifted (then it is served as usual) or the VNFM gives up on it after its own request
/// timeout, whatever the load.
#[given(expr = "the cloud holds {string} operation {string} without answering")]
async fn holds(w: &mut Conformance, service: String, operation: String) -> Outcome {
    let rule = fault_on(w, &service)?
        .operation(&operation)
        .timeout(HOLD_MS);
    add_fault(w, rule).await
}

/// How long a held call waits at most: longer than any scenario.
const HOLD_MS: u64 = 600_000;

#[given(
    regex = r#"^the cloud fails "(\w+)" operation "([^"]+)" (once )?with status (\d+) and message "([^"]*)"$"#
)]
async fn failing(
    w: &mut Conformance,
    service: String,
    operation: String,
    once: String,
    status: u16,
    message: String,
) -> Outcome {
    let rule = fault_on(w, &service)?
        .operation(&operation)
        .error_with_message(status, &message);
    add_fault(w, if once.is_empty() { rule } else { rule.times(1) }).await
}

#[when("the cloud recovers")]
async fn recovers(w: &mut Conformance) -> Outcome {
    w.lift_faults().await
}

/// The effect rule of a named cloud fault on `operation` of `service`.
fn effect(service: &str, operation: &str, fault: &str) -> Outcome<FaultEffect> {
    let quota_status = if service == "nova" { 403 } else { 413 };
    Ok(match fault {
        "unreachable" => FaultEffect::Unreachable,
        "a 500 error" => FaultEffect::Error {
            status: 500,
            message: Some(format!("injected failure of {operation}")),
        },
        "a quota error" => FaultEffect::Error {
            status: quota_status,
            message: Some(format!("Quota exceeded for {operation} (injected)")),
        },
        "a timeout" => FaultEffect::Timeout {
            ms: TIMEOUT_HOLD_MS,
        },
        "a stuck resource" => FaultEffect::Stuck,
        "a resource in error" => FaultEffect::ErrorLater,
        other => return Err(Failure::new(format!("unknown cloud fault {other:?}"))),
    })
}

/// How long the `a timeout` fault holds the call before the cloud's front end answers 504:
/// the fault itself makes the call time out, whatever the VNFM's own request timeout.
const TIMEOUT_HOLD_MS: u64 = 100;

#[given(regex = r#"^the cloud answers "([^"]+)" of "(\w+)" with (.+)$"#)]
async fn answers_with(
    w: &mut Conformance,
    operation: String,
    service: String,
    fault: String,
) -> Outcome {
    let effect = effect(&service, &operation, &fault)?;
    w.cloud.stuck |= effect == FaultEffect::Stuck;
    let rule = fault_on(w, &service)?.operation(&operation).effect(effect);
    add_fault(w, rule).await
}

#[given("the cloud revokes every token of the scenario project")]
async fn revoke(w: &mut Conformance) -> Outcome {
    let id = project_id(w)?;
    Ok(control(w)?.revoke_tokens(Some(&id)).await?)
}

#[given("the cloud project's resources are recorded")]
async fn record_resources(w: &mut Conformance) -> Outcome {
    let id = project_id(w)?;
    w.cloud.recorded_resources = Some(project_resources(control(w)?, &id).await?);
    Ok(())
}

#[then("the cloud project holds the same resources as before the operation")]
async fn same_resources(w: &mut Conformance) -> Outcome {
    let id = project_id(w)?;
    let before = w
        .cloud
        .recorded_resources
        .clone()
        .ok_or_else(|| Failure::new("the cloud project's resources were not recorded"))?;
    let now = project_resources(control(w)?, &id).await?;
    if now == before {
        Ok(())
    } else {
        let added: Vec<&String> = now.difference(&before).collect();
        let removed: Vec<&String> = before.difference(&now).collect();
        Err(Failure::new(format!(
            "expected the cloud project as before the operation; added: {added:?}; removed: {removed:?}"
        )))
    }
}

#[given("a volume nothing accounts for is left in the scenario project")]
async fn stray_volume(w: &mut Conformance) -> Outcome {
    let name = format!("oob-leak-probe-{}", uuid::Uuid::new_v4());
    let id = w
        .target
        .observer
        .create_volume(w.cloud.project_name(), &name, 1, w.operation_deadline())
        .await?;
    w.cloud.stray = Some(id);
    Ok(())
}

/// Runs the leak check in the middle of the scenario: it must name the stray volume. The
/// volume then counts as the scenario's own, so the check after the scenario passes.
#[then("the leak check names that volume")]
async fn leak_check_names(w: &mut Conformance) -> Outcome {
    let stray = w
        .cloud
        .stray
        .take()
        .ok_or_else(|| Failure::new("no stray volume was left"))?;
    let found = w.leak_check().await.err().map(|e| e.to_string());
    if !found.as_deref().is_some_and(|text| text.contains(&stray)) {
        return Err(Failure::new(format!(
            "expected the leak check to name volume {stray}; it said: {found:?}"
        )));
    }
    w.registry.oob_volumes.insert("stray".into(), stray);
    Ok(())
}
