//! Operations sent at the same time: two on one instance (exactly one is accepted), and many
//! instances snapshotting at once with several subscribers, each of which must receive every
//! notification once and in order.

use cucumber::{given, then, when};
use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    failure::{ensure, Failure, Outcome},
    http::Exchange,
    registry::{Instance, SETTLED},
    sink::{is_op_occ_notification, Channel},
    world::Conformance,
};

/// Creates and instantiates one VNF instance of `vnfd_id` (a fixture's work, without touching
/// the scenario's last exchange, so that many can run at once).
async fn instantiated(w: &Conformance, vnfd_id: &str, name: &str) -> Outcome<Instance> {
    let api = &w.target.sol003;
    let body =
        json!({"vnfdId": vnfd_id, "vnfInstanceName": name, "vnfInstanceDescription": w.scenario});
    let created = api
        .send(api.request(Method::POST, "/vnf_instances").json(&body))
        .await?;
    ensure(
        created.status == 201,
        &created,
        "201 with the new VNF instance",
    )?;
    let id = created.body()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/vnf_instances/{id}/instantiate");
    let started = api
        .send(
            api.request(Method::POST, &path)
                .json(&json!({"flavourId": "default"})),
        )
        .await?;
    ensure(started.status == 202, &started, "202 for instantiate")?;
    let op = started.location_id(api.root(), "/vnf_lcm_op_occs")?;
    let occ = w.await_op_state(&op, SETTLED).await?;
    ensure(
        occ["operationState"] == "COMPLETED",
        &started,
        format!("instantiate of {id} to complete: {occ}"),
    )?;
    Ok(Instance {
        id,
        vnfd_id: vnfd_id.to_string(),
        created: true,
    })
}

#[given(regex = r#"^(\d+) VNFs "([^"]+)1" to "[^"]+" from descriptor "([^"]+)"$"#)]
async fn many_vnfs(w: &mut Conformance, count: usize, prefix: String, vnfd_id: String) -> Outcome {
    let names: Vec<String> = (1..=count).map(|n| format!("{prefix}{n}")).collect();
    let labels: Vec<String> = names.iter().map(|a| format!("conformance-{a}")).collect();
    let made = join_all(labels.iter().map(|label| instantiated(w, &vnfd_id, label))).await;
    for (alias, instance) in names.into_iter().zip(made) {
        w.registry.instances.insert(alias, instance?);
    }
    Ok(())
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
    let answer = api
        .send(api.request(Method::POST, &path).json(&body))
        .await?;
    Ok((answer, snapshot))
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
            w.registry
                .op_occs
                .push(answer.location_id(&root, "/vnf_lcm_op_occs")?);
        }
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
            "expected one 202 and one 409, got {statuses:?}:\n{}",
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
        "a ProblemDetails with status 409 and a detail",
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
        w.target
            .sink
            .wait_until(channel, w.operation_deadline(), "every notification", |r| {
                r.iter()
                    .filter(|r| r.body.as_ref().is_some_and(is_op_occ_notification))
                    .count()
                    >= wanted
            })
            .await?;
        let received = w.target.sink.op_occ_notifications(channel);
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
