//! Subscriptions and the notifications the NFVO's endpoint receives: sequences compared in
//! order, every field and link checked, and the absence of notifications that must not exist.

use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{json, Value};

use super::responses::links_to;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    sink::is_op_occ_notification,
    world::Conformance,
};

/// Subscribes the scenario's channel to LCM operation notifications about `alias`, narrowed by
/// `extra` filter members; leaves the exchange as the last one.
async fn subscribe(w: &mut Conformance, alias: &str, extra: Value) -> Outcome {
    subscribe_over(w, Api::Sol003, alias, extra).await
}

/// [`subscribe`] through the root of `api`.
async fn subscribe_over(w: &mut Conformance, api: Api, alias: &str, extra: Value) -> Outcome {
    let instance = w.registry.instance(alias)?.id.clone();
    let channel = w.target.sink.channel(true);
    let mut filter = json!({
        "vnfInstanceSubscriptionFilter": {"vnfInstanceIds": [instance]},
        "notificationTypes": ["VnfLcmOperationOccurrenceNotification"],
    });
    if let (Some(filter), Some(extra)) = (filter.as_object_mut(), extra.as_object()) {
        filter.extend(extra.clone());
    }
    let body = json!({"filter": filter, "callbackUri": channel.callback_uri});
    let exchange = w
        .call(api, Method::POST, "/subscriptions", Some(body))
        .await?;
    if exchange.status == 201 {
        w.subscriber.subscription = exchange.body()["id"].as_str().map(str::to_string);
    }
    w.subscriber.channel = Some(channel);
    Ok(())
}

/// The subscription must have been created.
fn created(w: &Conformance) -> Outcome {
    let exchange = w.last()?;
    ensure(
        exchange.status == 201 && w.subscriber.subscription.is_some(),
        exchange,
        "201 with the new subscription",
    )
}

#[given(expr = "the NFVO subscribes to notifications about {string}")]
async fn subscribed(w: &mut Conformance, alias: String) -> Outcome {
    subscribe(w, &alias, json!({})).await?;
    created(w)
}

#[given(expr = "the EM subscribes over SOL002 to notifications about {string}")]
async fn subscribed_over_sol002(w: &mut Conformance, alias: String) -> Outcome {
    subscribe_over(w, Api::Sol002, &alias, json!({})).await?;
    created(w)
}

/// The links of a notification lead to resources of the API the subscription was made through:
/// an EM that reaches the VNFM only on Ve-Vnfm (SOL002) can follow them. The vendor
/// documentation's form, links on the VNFM's public Or-Vnfm address whatever the subscription,
/// is a WARN on external targets.
#[then(regex = r"^the links of the notifications point under the (SOL00[23]) root$")]
async fn notification_links_under(w: &mut Conformance, api: Api) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let root = w.target.api(api).root().to_string();
    let channel = w.subscriber.channel()?.clone();
    let outside: Vec<String> = w
        .target
        .sink
        .notifications(&channel)
        .iter()
        .filter(|n| n["vnfLcmOpOccId"] == op.as_str())
        .flat_map(|n| {
            n["_links"]
                .as_object()
                .into_iter()
                .flat_map(|links| links.values())
                .filter_map(|link| link["href"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .filter(|href| !href.starts_with(&format!("{root}/")))
        .collect();
    if outside.is_empty() {
        return Ok(());
    }
    let finding = format!(
        "notification links outside the {api:?} root {root} the subscription was made through \
         (SOL002 notifications link to resources of the Ve-Vnfm API): {outside:?}"
    );
    if w.target.reference {
        return Err(Failure::new(finding));
    }
    w.warn(finding);
    Ok(())
}

#[given(expr = "the NFVO subscribes to notifications about {string} for operation {string} only")]
async fn subscribed_to_operation(w: &mut Conformance, alias: String, operation: String) -> Outcome {
    subscribe(w, &alias, json!({"operationTypes": [operation]})).await?;
    created(w)
}

#[given(expr = "the NFVO subscribes to notifications about {string} in state {string} only")]
async fn subscribed_to_state(w: &mut Conformance, alias: String, state: String) -> Outcome {
    subscribe(w, &alias, json!({"operationStates": [state]})).await?;
    created(w)
}

#[when(expr = "the NFVO subscribes to notifications about {string} and reads the response")]
async fn subscribing(w: &mut Conformance, alias: String) -> Outcome {
    subscribe(w, &alias, json!({})).await
}

#[when("the NFVO subscribes with a callback endpoint that fails the test")]
async fn refused_callback(w: &mut Conformance) -> Outcome {
    let channel = w.target.sink.channel(false);
    let body = json!({"callbackUri": channel.callback_uri});
    w.subscriber.channel = Some(channel);
    w.call(Api::Sol003, Method::POST, "/subscriptions", Some(body))
        .await
        .map(drop)
}

/// The endpoint test (SOL003 §5.4.20.3.2: a GET on the callback URI, answered 204): the
/// reference VNFM tests every endpoint before it answers; SOL003 describes the test and the 422
/// "if the VNFM has tested the Notification endpoint" without making it mandatory, so another
/// VNFM that does not test is a WARN.
#[then("the VNFM tested the callback endpoint with a GET before answering")]
async fn callback_tested(w: &mut Conformance) -> Outcome {
    let received = w.target.sink.received(w.subscriber.channel()?);
    w.reference_choice(received.first().is_some_and(|r| r.method == "GET"), || {
        format!("no GET on the callback URI before the 201 (the endpoint received {received:?})")
    })
}

#[then("the subscription carries no authentication")]
async fn no_authentication(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    let body = exchange.body();
    ensure(
        body.get("authentication").is_none()
            && body["callbackUri"] == w.subscriber.channel()?.callback_uri.as_str()
            && body["verbosity"].is_string(),
        exchange,
        "the callbackUri sent, a verbosity, and no authentication block (SOL003 §5.5.2.16)",
    )
}

/// `"STARTING/START, PROCESSING/START"` -> pairs.
pub(super) fn parse_sequence(text: &str) -> Outcome<Vec<(String, String)>> {
    text.split(',')
        .map(|pair| {
            pair.trim()
                .split_once('/')
                .map(|(s, n)| (s.to_string(), n.to_string()))
                .ok_or_else(|| Failure::new(format!("bad state/status pair {pair:?}")))
        })
        .collect()
}

/// The `operationState`/`notificationStatus` pairs of `notifications`, in order (`?` for a
/// missing field), to compare with [`parse_sequence`]'s.
pub(super) fn state_status_pairs(notifications: &[Value]) -> Vec<(String, String)> {
    notifications
        .iter()
        .map(|n| {
            (
                n["operationState"].as_str().unwrap_or("?").to_string(),
                n["notificationStatus"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

/// The first of `expectations` (whether it holds, what is expected) that does not hold.
pub(super) fn first_unmet(
    expectations: impl IntoIterator<Item = (bool, &'static str)>,
) -> Option<&'static str> {
    expectations
        .into_iter()
        .find_map(|(ok, what)| (!ok).then_some(what))
}

/// The expectations on the links every notification about `instance` sent for `subscription`
/// carries: to the instance, then to the subscription.
pub(super) fn instance_and_subscription_links(
    n: &Value,
    instance: &str,
    subscription: &str,
) -> [(bool, &'static str); 2] {
    let links = &n["_links"];
    [
        (
            links_to(&links["vnfInstance"], &format!("/vnf_instances/{instance}")),
            "_links.vnfInstance to the instance",
        ),
        (
            links_to(
                &links["subscription"],
                &format!("/subscriptions/{subscription}"),
            ),
            "_links.subscription to the subscription",
        ),
    ]
}

/// Passes when `others`, notifications that should not have come, is empty; else fails with
/// `finding` and them.
pub(super) fn none_of(others: &[Value], finding: String) -> Outcome {
    if others.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "{finding}:\n{}",
            serde_json::to_string_pretty(others).unwrap_or_default()
        )))
    }
}

/// The first expectation on the fields and links of notification `n` about the operation
/// occurrence `occ` that it does not meet.
fn unmet(n: &Value, occ: &Value, subscription: &str) -> Option<&'static str> {
    let instance = occ["vnfInstanceId"].as_str().unwrap_or_default();
    let op = occ["id"].as_str().unwrap_or_default();
    let fields = [
        (
            n["notificationType"] == "VnfLcmOperationOccurrenceNotification",
            "notificationType VnfLcmOperationOccurrenceNotification",
        ),
        (
            n["subscriptionId"] == subscription,
            "the subscription's id as subscriptionId",
        ),
        (
            n["vnfInstanceId"] == instance,
            "the operation's vnfInstanceId",
        ),
        (
            n["operation"] == occ["operation"],
            "the operation occurrence's operation",
        ),
        (
            n["isAutomaticInvocation"] == false,
            "isAutomaticInvocation false",
        ),
    ];
    let op_link = (
        links_to(
            &n["_links"]["vnfLcmOpOcc"],
            &format!("/vnf_lcm_op_occs/{op}"),
        ),
        "_links.vnfLcmOpOcc to the operation occurrence",
    );
    first_unmet(
        fields
            .into_iter()
            .chain(instance_and_subscription_links(n, instance, subscription))
            .chain([op_link]),
    )
}

#[then(regex = r"^the NFVO receives the notifications (.+) for the operation occurrence$")]
async fn sequence(w: &mut Conformance, expected: String) -> Outcome {
    let expected = parse_sequence(&expected)?;
    let op = w.registry.op_occ()?.to_string();
    let about_op = |n: &Value| n["vnfLcmOpOccId"] == op.as_str();
    let notifications = w
        .await_notifications("the notifications", expected.len(), about_op)
        .await?;
    let dump = || serde_json::to_string_pretty(&notifications).unwrap_or_default();
    let got = state_status_pairs(&notifications);
    if got != expected {
        return Err(Failure::new(format!(
            "expected the notifications {expected:?} in this order (the documentation: STARTING, PROCESSING and COMPLETED notifications; SOL003 §5.5.2.17: one per state change, START on entering STARTING, PROCESSING or ROLLING_BACK, RESULT otherwise; §5.6.2 the states' order), got {got:?}:\n{}",
            dump()
        )));
    }
    let occ = w.read_op_occ(&op).await?;
    let subscription = w.subscriber.subscription.clone().unwrap_or_default();
    let mut ids = std::collections::HashSet::new();
    let mut previous = None;
    for n in &notifications {
        let fail = |what: &str| {
            Failure::new(format!(
                "notification {n}\nexpected {what} (SOL003 §5.5.2.17, §5.5.3.2); all:\n{}",
                dump()
            ))
        };
        w.target
            .schemas
            .check("VnfLcmOperationOccurrenceNotification", n)
            .map_err(|e| fail(e.as_str()))?;
        if let Some(what) = unmet(n, &occ, &subscription) {
            return Err(fail(what));
        }
        if !ids.insert(n["id"].to_string()) {
            return Err(fail("a notification id not used before"));
        }
        let failed = matches!(n["operationState"].as_str(), Some("FAILED_TEMP" | "FAILED"));
        if failed && n["error"]["detail"].as_str().is_none_or(str::is_empty) {
            return Err(fail(
                "an error with a detail in a FAILED_TEMP or FAILED notification (SOL003 §5.5.2.17: error present in those states)",
            ));
        }
        let stamp =
            chrono::DateTime::parse_from_rfc3339(n["timeStamp"].as_str().unwrap_or_default())
                .map_err(|_| fail("an RFC 3339 timeStamp"))?;
        if previous.is_some_and(|p| stamp < p) {
            return Err(fail("timeStamps that do not go backwards"));
        }
        previous = Some(stamp);
    }
    w.keep("notifications", &Value::Array(notifications))
}

/// The operation occurrence notifications received (identifier notifications, which a VNFM
/// sends to subscriptions that do not exclude them, have scenarios of their own).
fn notifications_of(w: &Conformance) -> Outcome<Vec<Value>> {
    Ok(w.target.sink.op_occ_notifications(w.subscriber.channel()?))
}

#[then("no notification other than those of the operation occurrences was received")]
async fn only_operations(w: &mut Conformance) -> Outcome {
    let others: Vec<Value> = notifications_of(w)?
        .into_iter()
        .filter(|n| {
            !w.registry
                .op_occs
                .iter()
                .any(|op| n["vnfLcmOpOccId"] == op.as_str())
        })
        .collect();
    none_of(
        &others,
        format!(
            "expected only notifications of the operation occurrences {:?} (the documentation: no notification when the snapshot resource is created, none for a delete), also got",
            w.registry.op_occs
        ),
    )
}

#[then("no notification other than those of the last operation occurrence was received")]
async fn only_last_operation(w: &mut Conformance) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let others: Vec<Value> = notifications_of(w)?
        .into_iter()
        .filter(|n| n["vnfLcmOpOccId"] != op.as_str())
        .collect();
    none_of(
        &others,
        format!("expected only notifications of {op} (the filter selects it alone), also got"),
    )
}

#[then("the NFVO received exactly one COMPLETED notification per operation occurrence")]
async fn one_completed_each(w: &mut Conformance) -> Outcome {
    let ops = w.registry.op_occs.clone();
    let notifications = w
        .await_notifications(
            "one notification per operation",
            ops.len(),
            is_op_occ_notification,
        )
        .await?;
    let per_op_ok = ops.iter().all(|op| {
        notifications
            .iter()
            .filter(|n| n["vnfLcmOpOccId"] == op.as_str())
            .count()
            == 1
    });
    let all_completed = notifications
        .iter()
        .all(|n| n["operationState"] == "COMPLETED");
    if per_op_ok && all_completed && notifications.len() == ops.len() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected one COMPLETED notification for each of {ops:?}, got:\n{}",
            serde_json::to_string_pretty(&notifications).unwrap_or_default()
        )))
    }
}
