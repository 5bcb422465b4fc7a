//! VnfIdentifierCreationNotification and VnfIdentifierDeletionNotification: subscriptions
//! that select the instances a scenario names itself (a `vnfInstanceNames` filter on a name
//! unique to the scenario, given before the instance exists), and what they receive, in order.

use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{json, Value};

use super::{
    instances::from_fixture,
    notifications::{first_unmet, instance_and_subscription_links, none_of},
};
use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    sink::is_op_occ_notification,
    world::Conformance,
};

const CREATION: &str = "VnfIdentifierCreationNotification";
const DELETION: &str = "VnfIdentifierDeletionNotification";
const OP_OCC: &str = "VnfLcmOperationOccurrenceNotification";

fn is_identifier(n: &Value) -> bool {
    n["notificationType"] == CREATION || n["notificationType"] == DELETION
}

#[given(
    regex = r#"^the NFVO subscribes to (all|identifier|operation occurrence) notifications about the VNF instance to be named "([^"]+)"$"#
)]
async fn subscribed_by_name(w: &mut Conformance, kinds: String, alias: String) -> Outcome {
    let name = format!("conformance-{alias}-{}", uuid::Uuid::new_v4());
    w.registry.names.insert(alias, name.clone());
    let channel = w.target.sink.channel(true);
    let mut filter = json!({"vnfInstanceSubscriptionFilter": {"vnfInstanceNames": [name]}});
    match kinds.as_str() {
        "identifier" => filter["notificationTypes"] = json!([CREATION, DELETION]),
        "operation occurrence" => filter["notificationTypes"] = json!([OP_OCC]),
        _ => {}
    }
    let body = json!({"filter": filter, "callbackUri": channel.callback_uri});
    let exchange = w
        .call(Api::Sol003, Method::POST, "/subscriptions", Some(body))
        .await?
        .clone();
    ensure(
        exchange.status == 201,
        &exchange,
        "201 with the new subscription",
    )?;
    w.subscriber.subscription = exchange.body()["id"].as_str().map(str::to_string);
    w.subscriber.channel = Some(channel);
    Ok(())
}

#[when(expr = "a VNF {string} is created from fixture {string} with the name of {string}")]
async fn created_with_name_of(
    w: &mut Conformance,
    alias: String,
    fixture: String,
    named_like: String,
) -> Outcome {
    let name = w.registry.instance_name(&named_like);
    w.registry.names.insert(alias.clone(), name);
    from_fixture(w, alias, fixture).await
}

/// The first expectation on an identifier notification about `instance` that `n` fails.
fn unmet(n: &Value, instance: &str, subscription: &str) -> Option<&'static str> {
    let fields = [
        (
            n["subscriptionId"] == subscription,
            "the subscription's id as subscriptionId",
        ),
        (n["vnfInstanceId"] == instance, "the instance's id"),
    ];
    first_unmet(fields.into_iter().chain(instance_and_subscription_links(
        n,
        instance,
        subscription,
    )))
}

#[then(
    expr = "the NFVO receives the identifier notifications of the creation and the deletion of {string}"
)]
async fn creation_and_deletion(w: &mut Conformance, alias: String) -> Outcome {
    let instance = w.registry.instance(&alias)?.id.clone();
    w.await_notifications("the VnfIdentifierDeletionNotification", 1, |n| {
        n["notificationType"] == DELETION
    })
    .await?;
    let identifiers = w
        .target
        .sink
        .notifications_where(w.subscriber.channel()?, is_identifier);
    let dump = || serde_json::to_string_pretty(&identifiers).unwrap_or_default();
    let types: Vec<&str> = identifiers
        .iter()
        .map(|n| n["notificationType"].as_str().unwrap_or("?"))
        .collect();
    if types != [CREATION, DELETION] {
        return Err(Failure::new(format!(
            "expected a {CREATION} then a {DELETION}, got {types:?}:\n{}",
            dump()
        )));
    }
    let subscription = w.subscriber.subscription.clone().unwrap_or_default();
    for n in &identifiers {
        let kind = n["notificationType"].as_str().unwrap_or_default();
        w.target
            .schemas
            .check(kind, n)
            .map_err(|e| Failure::new(format!("{e}\nall:\n{}", dump())))?;
        if let Some(what) = unmet(n, &instance, &subscription) {
            return Err(Failure::new(format!(
                "notification {n}\nexpected {what}; all:\n{}",
                dump()
            )));
        }
    }
    if identifiers[0]["id"] == identifiers[1]["id"] {
        return Err(Failure::new(format!(
            "two notifications with one id:\n{}",
            dump()
        )));
    }
    w.keep("identifier notifications", &Value::Array(identifiers))
}

/// The creation notification arrives first and the deletion notification last, the operation
/// occurrences' between: the order in which the events happened. The reference VNFM delivers
/// each subscription's notifications one after the other, in that order; SOL003 does not fix
/// the order of deliveries, so another order is a WARN.
#[then("the identifier notifications frame the operation occurrence notifications")]
async fn framing(w: &mut Conformance) -> Outcome {
    let received = w.target.sink.notifications(w.subscriber.channel()?);
    let first = received.first().map(|n| n["notificationType"].clone());
    let last = received.last().map(|n| n["notificationType"].clone());
    let middle_ok = received.len() >= 2
        && received[1..received.len() - 1]
            .iter()
            .all(is_op_occ_notification);
    let held = first == Some(json!(CREATION)) && last == Some(json!(DELETION)) && middle_ok;
    w.reference_choice(held, || {
        let order: Vec<&str> = received
            .iter()
            .map(|n| n["notificationType"].as_str().unwrap_or("?"))
            .collect();
        format!(
            "the notifications did not arrive in the order of the events (creation, operation occurrences, deletion): {order:?}"
        )
    })
}

#[then("no notification other than the identifier notifications was received")]
async fn only_identifiers(w: &mut Conformance) -> Outcome {
    let others = w
        .target
        .sink
        .notifications_where(w.subscriber.channel()?, |n| !is_identifier(n));
    none_of(
        &others,
        "the filter names only the identifier notifications, yet these came too".into(),
    )
}

#[then(
    expr = "the NFVO receives {int} COMPLETED operation occurrence notifications and no identifier notification"
)]
async fn completions_without_identifiers(w: &mut Conformance, count: usize) -> Outcome {
    let completed = |n: &Value| is_op_occ_notification(n) && n["operationState"] == "COMPLETED";
    // Notifications of one subscription arrive in order: once the last COMPLETED is in, any
    // identifier notification queued before it is in too.
    w.await_notifications("the COMPLETED notifications", count, completed)
        .await?;
    let identifiers = w
        .target
        .sink
        .notifications_where(w.subscriber.channel()?, is_identifier);
    none_of(
        &identifiers,
        format!("the filter names only {OP_OCC}, yet these came too"),
    )
}
