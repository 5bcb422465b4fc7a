//! Operations sent at the same time: two on one instance (exactly one is accepted), and many
//! instances snapshotting at once with several subscribers, each of which must receive every
//! notification once and in order.

use cucumber::{given, then, when};
use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use super::instances::obtain;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    registry::{Collection, SETTLED},
    sink::{is_op_occ_notification, Channel},
    world::Conformance,
};

/// A precondition: `count` VNF instances of the target file's fixture, obtained all at once.
/// A target that cannot provide them (its fixture lists too few existing instances, its cloud
/// has no room for them) makes the scenario INCONCLUSIVE.
#[given(regex = r#"^(\d+) VNFs "([^"]+)1" to "[^"]+" from fixture "([^"]+)"$"#)]
async fn many_vnfs(w: &mut Conformance, count: usize, prefix: String, fixture: String) -> Outcome {
    let aliases: Vec<String> = (1..=count).map(|n| format!("{prefix}{n}")).collect();
    let names: Vec<String> = aliases
        .iter()
        .map(|a| w.registry.instance_name(a))
        .collect();
    let obtained = join_all(
        aliases
            .iter()
            .zip(&names)
            .map(|(alias, name)| obtain(w, &fixture, alias, name)),
    )
    .await;
    let mut unmet = None;
    for (alias, obtained) in aliases.into_iter().zip(obtained) {
        match obtained.register(w, &alias) {
            Ok(instance) => {
                w.registry.instances.insert(alias, instance);
            }
            Err(failure) => unmet = unmet.or(Some(failure)),
        }
    }
    unmet.map_or(Ok(()), |failure| Err(failure.unmet_precondition()))
}

#[given(regex = r"^(\d+) NFVO subscribers to notifications about all those VNFs$")]
async fn subscribers(w: &mut Conformance, count: usize) -> Outcome {
    let ids: Vec<&String> = w.registry.instances.values().map(|i| &i.id).collect();
    for _ in 0..count {
        let channel = w.target.sink.channel(true);
        let body = json!({
            "filter": {
                "vnfInstanceSubscriptionFilter": {"vnfInstanceIds": ids},
                "notificationTypes": ["VnfLcmOperationOccurrenceNotification"],
            },
            "callbackUri": channel.callback_uri,
        });
        let api = &w.target.sol003;
        let exchange = api
            .send(api.request(Method::POST, "/subscriptions").json(&body))
            .await?;
        ensure(
            exchange.status == 201,
            &exchange,
            "201 with the new subscription",
        )?;
        let id = exchange.body()["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        w.registry
            .made
            .add(Api::Sol003, Collection::Subscriptions, &id);
        w.subscriber.others.push((channel, id));
    }
    Ok(())
}

/// POSTs `create_snapshot` of `instance` into a new snapshot resource; the answer and the
/// resource's id.
async fn snapshot_request(w: &Conformance, instance: &str) -> Outcome<(Exchange, String)> {
    let api = &w.target.sol003;
    let resource = api
        .send(api.request(Method::POST, "/vnf_snapshots").json(&json!({})))
        .await?;
    ensure(
        resource.status == 201,
        &resource,
        "201 with the new snapshot resource",
    )?;
    let snapshot = resource.body()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/vnf_instances/{instance}/create_snapshot");
    let body = json!({"vnfSnapshotInfoId": snapshot});
    let answer = send_until_taken(w, api.request(Method::POST, &path).json(&body)).await?;
    Ok((answer, snapshot))
}

/// Sends `request`; while the VNFM answers it is overloaded (503 or 429, as SOL013 allows,
/// with an optional `Retry-After`), sends it again after the time it asks for (1 s when it
/// names none), up to the operation deadline. A 503 or a 429 is a conformant answer to many
/// requests at once, not a failure.
async fn send_until_taken(w: &Conformance, request: crate::http::Request) -> Outcome<Exchange> {
    let api = &w.target.sol003;
    let until = tokio::time::Instant::now() + w.operation_deadline();
    loop {
        let answer = api.send(request.clone()).await?;
        if !matches!(answer.status, 503 | 429) {
            return Ok(answer);
        }
        let wait = answer
            .header("Retry-After")
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .min(60);
        let pause = std::time::Duration::from_secs(wait);
        if tokio::time::Instant::now() + pause > until {
            return Ok(answer);
        }
        w.warn(format!(
            "the VNFM answered {} to a request among many at once and was asked again after {wait} s (SOL013 allows 503 with Retry-After)",
            answer.status
        ));
        tokio::time::sleep(pause).await;
    }
}

/// Keeps the operation occurrences the answers started (and their snapshot resources).
fn keep_started(
    w: &mut Conformance,
    answers: Vec<(Exchange, String)>,
    aliases: &[String],
) -> Outcome<Vec<Exchange>> {
    let root = w.target.sol003.root().to_string();
    let mut exchanges = Vec::new();
    for ((answer, snapshot), alias) in answers.into_iter().zip(aliases) {
        if answer.status == 202 {
            let op = answer.location_id(&root, "/vnf_lcm_op_occs")?;
            w.registry.made.add(Api::Sol003, Collection::OpOccs, &op);
            w.registry.op_occs.push(op);
        }
        w.registry
            .made
            .add(Api::Sol003, Collection::Snapshots, &snapshot);
        w.registry.snapshots.insert(alias.clone(), snapshot);
        exchanges.push(answer);
    }
    Ok(exchanges)
}

#[when(expr = "the NFVO sends two snapshot requests for {string} at the same time")]
async fn two_at_once(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.registry.instance(&alias)?.id.clone();
    let (first, second) = tokio::join!(snapshot_request(w, &id), snapshot_request(w, &id));
    let aliases = ["S".to_string(), "T".to_string()];
    let exchanges = keep_started(w, vec![first?, second?], &aliases)?;
    w.pages = exchanges;
    Ok(())
}

#[then("exactly one request is accepted with 202 and the other is rejected with 409")]
async fn one_accepted(w: &mut Conformance) -> Outcome {
    let mut statuses: Vec<u16> = w.pages.iter().map(|e| e.status).collect();
    statuses.sort_unstable();
    let refused = w.pages.iter().find(|e| e.status == 409);
    if statuses != [202, 409] {
        return Err(Failure::new(format!(
            "expected one 202 and one 409 (SOL003 §5.4.21.3.1: 409 while another LCM operation is ongoing on the instance), got {statuses:?}:\n{}",
            w.pages
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    let refused = refused.cloned().ok_or_else(|| Failure::new("no 409"))?;
    ensure(
        refused.body()["status"] == 409 && refused.body()["detail"].is_string(),
        &refused,
        "a ProblemDetails with status 409 and a detail (SOL013 §6.4)",
    )?;
    w.last = Some(refused);
    Ok(())
}

#[when(regex = r#"^every VNF "([^"]+)N" takes a snapshot into "([^"]+)N" at the same time$"#)]
async fn all_at_once(w: &mut Conformance, prefix: String, snapshot_prefix: String) -> Outcome {
    let targets: Vec<(String, String)> = w
        .registry
        .instances
        .iter()
        .filter_map(|(alias, i)| {
            let n = alias.strip_prefix(&prefix)?;
            n.parse::<usize>().ok()?;
            Some((format!("{snapshot_prefix}{n}"), i.id.clone()))
        })
        .collect();
    let answers = join_all(targets.iter().map(|(_, id)| snapshot_request(w, id))).await;
    let answers: Vec<(Exchange, String)> = answers.into_iter().collect::<Outcome<_>>()?;
    let aliases: Vec<String> = targets.into_iter().map(|(alias, _)| alias).collect();
    let exchanges = keep_started(w, answers, &aliases)?;
    if let Some(refused) = exchanges.iter().find(|e| e.status != 202) {
        return Err(Failure::about(refused, "202 for every snapshot request"));
    }
    Ok(())
}

#[then("every operation occurrence completes")]
async fn all_complete(w: &mut Conformance) -> Outcome {
    let settled = join_all(
        w.registry
            .op_occs
            .iter()
            .map(|op| w.await_op_state(op, SETTLED)),
    )
    .await;
    for occ in settled {
        let occ = occ?;
        if occ["operationState"] != "COMPLETED" {
            return Err(Failure::new(format!("expected COMPLETED, got:\n{occ:#}")));
        }
    }
    Ok(())
}

/// The `(operationState, notificationStatus)` sequence per operation occurrence in `received`.
fn sequences(received: &[Value]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut per_op = std::collections::BTreeMap::<String, Vec<String>>::new();
    for n in received {
        let op = n["vnfLcmOpOccId"].as_str().unwrap_or_default().to_string();
        per_op.entry(op).or_default().push(format!(
            "{}/{}",
            n["operationState"].as_str().unwrap_or("?"),
            n["notificationStatus"].as_str().unwrap_or("?")
        ));
    }
    per_op
}

#[then(
    regex = r"^every subscriber receives (.+) once and in order for every operation occurrence$"
)]
async fn every_subscriber(w: &mut Conformance, expected: String) -> Outcome {
    let expected: Vec<String> = expected.split(',').map(|s| s.trim().to_string()).collect();
    let ops = w.registry.op_occs.clone();
    let subscribers: Vec<(Channel, String)> = w.subscriber.others.clone();
    if subscribers.len() < 2 || ops.is_empty() {
        return Err(Failure::new(
            "the scenario needs at least two subscribers and some operations",
        ));
    }
    for (channel, subscription) in &subscribers {
        let wanted = ops.len() * expected.len();
        let received = w
            .target
            .sink
            .wait_for_notifications(
                channel,
                w.operation_deadline(),
                "every notification",
                wanted,
                is_op_occ_notification,
            )
            .await?;
        let per_op = sequences(&received);
        let wrong: Vec<String> = ops
            .iter()
            .filter(|op| per_op.get(op.as_str()) != Some(&expected))
            .map(|op| format!("{op}: {:?}", per_op.get(op.as_str())))
            .collect();
        let foreign = received
            .iter()
            .any(|n| n["subscriptionId"] != subscription.as_str());
        if !wrong.is_empty() || received.len() != wanted || foreign {
            return Err(Failure::new(format!(
                "subscription {subscription} expected {expected:?} once per operation ({wanted} in all), got {} notifications; wrong sequences: {wrong:?}; foreign subscriptionId: {foreign}",
                received.len()
            )));
        }
    }
    Ok(())
}
