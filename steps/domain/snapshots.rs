//! The "Individual VNF snapshot" resource and its lifecycle: creating the empty resource,
//! filling it with the create snapshot task (SOL003, or one VNFC over SOL002), reading it and
//! deleting it.

use std::collections::HashSet;

use cucumber::{given, then, when};
use reqwest::Method;
use serde_json::{json, Value};

use super::responses::links_to;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    registry::SETTLED,
    resources::SnapshotResources,
    world::Conformance,
};

async fn create_resource(w: &mut Conformance, api: Api, alias: &str) -> Outcome {
    let exchange = w
        .call(api, Method::POST, "/vnf_snapshots", Some(json!({})))
        .await?;
    let created = (exchange.status == 201)
        .then(|| exchange.body()["id"].as_str().map(str::to_string))
        .flatten();
    if let Some(id) = created {
        w.registry.snapshots.insert(alias.to_string(), id);
    }
    Ok(())
}

/// POSTs a snapshot task; on 202 the new operation occurrence becomes the scenario's current one.
pub async fn run_snapshot_task(
    w: &mut Conformance,
    api: Api,
    instance: &str,
    task: &str,
    body: Value,
) -> Outcome {
    let path = format!("/vnf_instances/{instance}/{task}");
    let exchange = w.call(api, Method::POST, &path, Some(body)).await?.clone();
    if exchange.status == 202 {
        let op = exchange.location_id(w.target.api(api).root(), "/vnf_lcm_op_occs")?;
        w.registry.op_occs.push(op);
    }
    Ok(())
}

async fn take(w: &mut Conformance, api: Api, instance: &str, snapshot: &str) -> Outcome {
    let instance = w.registry.instance(instance)?.id.clone();
    let body = json!({"vnfSnapshotInfoId": w.registry.snapshot(snapshot)?});
    run_snapshot_task(w, api, &instance, "create_snapshot", body).await
}

#[when(regex = r#"^the (?:NFVO|EM) creates a snapshot resource "([^"]+)" over (SOL00[23])$"#)]
async fn creates_resource(w: &mut Conformance, alias: String, api: Api) -> Outcome {
    create_resource(w, api, &alias).await
}

#[given(expr = "an empty snapshot resource {string}")]
async fn empty_resource(w: &mut Conformance, alias: String) -> Outcome {
    create_resource(w, Api::Sol003, &alias).await?;
    let exchange = w.last()?;
    ensure(
        exchange.status == 201,
        exchange,
        "201 with the new snapshot resource",
    )
}

#[when(regex = r#"^the NFVO takes a snapshot of "([^"]+)" into "([^"]+)" over (SOL00[23])$"#)]
async fn takes(w: &mut Conformance, instance: String, snapshot: String, api: Api) -> Outcome {
    take(w, api, &instance, &snapshot).await
}

#[when(expr = "the NFVO takes a snapshot of {string} into a new snapshot resource {string}")]
async fn takes_new(w: &mut Conformance, instance: String, snapshot: String) -> Outcome {
    empty_resource(w, snapshot.clone()).await?;
    take(w, Api::Sol003, &instance, &snapshot).await
}

#[given(expr = "a snapshot {string} of {string}")]
async fn completed(w: &mut Conformance, snapshot: String, instance: String) -> Outcome {
    empty_resource(w, snapshot.clone()).await?;
    take(w, Api::Sol003, &instance, &snapshot).await?;
    let exchange = w.last()?;
    ensure(exchange.status == 202, exchange, "202 for create_snapshot")?;
    let op = w.registry.op_occ()?.to_string();
    let occ = w.await_op_state(&op, SETTLED).await?;
    if occ["operationState"] != "COMPLETED" {
        return Err(Failure::new(format!(
            "the snapshot of {instance} did not complete: {occ}"
        )));
    }
    let info = w.read_snapshot(w.registry.snapshot(&snapshot)?).await?;
    w.registry
        .resources
        .insert(snapshot, SnapshotResources::of(&info));
    Ok(())
}

#[when(
    regex = r#"^the (EM|NFVO) takes a snapshot of VNFC (\d+) of "([^"]+)" into "([^"]+)" naming the VNFC (at top level|in additionalParams)$"#
)]
async fn takes_vnfc(
    w: &mut Conformance,
    who: String,
    n: usize,
    instance: String,
    snapshot: String,
    place: String,
) -> Outcome {
    let vnfc = w.expand(&format!("${{{instance}.vnfc{n}}}")).await?;
    let id = w.registry.instance(&instance)?.id.clone();
    let snapshot_id = w.registry.snapshot(&snapshot)?.to_string();
    let body = if place == "at top level" {
        json!({"vnfSnapshotInfoId": snapshot_id, "vnfcInstanceId": vnfc})
    } else {
        json!({"vnfSnapshotInfoId": snapshot_id, "additionalParams": {"vnfcInstanceId": vnfc}})
    };
    // The EM speaks SOL002, the NFVO SOL003.
    let api = if who == "EM" {
        Api::Sol002
    } else {
        Api::Sol003
    };
    run_snapshot_task(w, api, &id, "create_snapshot", body).await
}

#[when(expr = "the NFVO deletes the snapshot {string}")]
async fn deletes(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.registry.snapshot(&alias)?.to_string();
    w.call(
        Api::Sol003,
        Method::DELETE,
        &format!("/vnf_snapshots/{id}"),
        None,
    )
    .await
    .map(drop)
}

#[then(expr = "the body describes the empty snapshot resource {string}")]
async fn describes_empty(w: &mut Conformance, alias: String) -> Outcome {
    let exchange = w.last()?;
    let id = w.registry.snapshot(&alias)?;
    let body = exchange.body();
    ensure(
        body["id"] == id
            && links_to(&body["_links"]["self"], &format!("/vnf_snapshots/{id}"))
            && body.get("vnfSnapshot").is_none()
            && body["_links"].get("takenFrom").is_none(),
        exchange,
        "the id, an absolute _links.self, no vnfSnapshot and no takenFrom link",
    )
}

/// Checks a full `VnfSnapshotInfo` of `instance` holding `vnfcs` VNFC snapshots (any number
/// when `None`): the instance copy, and every VNFC snapshot tied to its resources.
fn check_full(
    w: &Conformance,
    exchange: &Exchange,
    instance: &str,
    vnfcs: Option<usize>,
) -> Outcome {
    let instance = w.registry.instance(instance)?;
    let body = exchange.body();
    let id = body["id"].as_str().unwrap_or_default();
    let s = &body["vnfSnapshot"];
    let expect = |ok: bool, what: &str| ensure(ok, exchange, what);
    expect(
        links_to(&body["_links"]["self"], &format!("/vnf_snapshots/{id}")),
        "_links.self, an absolute URI of the snapshot (SOL003 §5.5.2.22, SOL013 Link)",
    )?;
    expect(
        links_to(
            &body["_links"]["takenFrom"],
            &format!("/vnf_instances/{}", instance.id),
        ),
        "_links.takenFrom to the instance (SOL003 §5.5.2.22; the documentation's query samples show it)",
    )?;
    expect(
        s["vnfInstanceId"] == instance.id.as_str(),
        "vnfSnapshot.vnfInstanceId of the instance",
    )?;
    expect(
        s["vnfdId"] == instance.vnfd_id.as_str(),
        "vnfSnapshot.vnfdId of the instance",
    )?;
    expect(
        s["vnfInstance"]["id"] == instance.id.as_str(),
        "vnfSnapshot.vnfInstance, a copy of the instance",
    )?;
    let time = |name: &str| {
        chrono::DateTime::parse_from_rfc3339(s[name].as_str().unwrap_or_default()).ok()
    };
    let (started, finished) = (time("creationStartedAt"), time("creationFinishedAt"));
    expect(
        started.is_some(),
        "vnfSnapshot.creationStartedAt, an RFC 3339 date-time (SOL003 §5.5.2.23, cardinality 1)",
    )?;
    if s.get("creationFinishedAt").is_none() {
        // SOL003 §5.5.2.23 makes it 0..1; the documentation's samples show it once completed.
        w.reference_choice(false, || {
            format!("the completed snapshot {id} has no vnfSnapshot.creationFinishedAt")
        })?;
    } else {
        expect(
            finished.is_some() && started <= finished,
            "creationFinishedAt, an RFC 3339 date-time no earlier than creationStartedAt",
        )?;
    }
    let info = &s["vnfInstance"]["instantiatedVnfInfo"];
    let ids_of = |list: &Value| -> HashSet<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str().map(str::to_string))
            .collect()
    };
    let compute_ids = ids_of(&info["vnfcResourceInfo"]);
    let storage_ids = ids_of(&info["virtualStorageResourceInfo"]);
    let list = s["vnfcSnapshots"].as_array().cloned().unwrap_or_default();
    if let Some(n) = vnfcs {
        expect(list.len() == n, &format!("{n} VNFC snapshot(s)"))?;
    }
    for vnfc in &list {
        expect(
            vnfc["id"].is_string() && vnfc["vnfcInstanceId"].is_string(),
            "VNFC snapshots with id and vnfcInstanceId",
        )?;
        expect(
            compute_ids.contains(vnfc["vnfcResourceInfoId"].as_str().unwrap_or_default()),
            "vnfcResourceInfoId naming a vnfcResourceInfo of the instance copy",
        )?;
        expect(
            vnfc["computeSnapshotResource"]["resourceId"].is_string(),
            "a computeSnapshotResource (the image)",
        )?;
        for storage in vnfc["storageSnapshotResources"]
            .as_array()
            .into_iter()
            .flatten()
        {
            expect(
                storage_ids.contains(storage["storageResourceId"].as_str().unwrap_or_default()),
                "storageResourceId naming a virtualStorageResourceInfo of the instance copy",
            )?;
            expect(
                storage["storageSnapshotResource"]["resourceId"].is_string(),
                "a storageSnapshotResource (the volume snapshot)",
            )?;
        }
    }
    Ok(())
}

/// GET of snapshot `alias` over `api` as the scenario's last exchange; it must answer 200.
async fn read_recorded(w: &mut Conformance, api: Api, alias: &str) -> Outcome<Exchange> {
    let path = format!("/vnf_snapshots/{}", w.registry.snapshot(alias)?);
    let exchange = w.call(api, Method::GET, &path, None).await?.clone();
    ensure(exchange.status == 200, &exchange, "200 with the snapshot")?;
    Ok(exchange)
}

#[then(
    expr = "the body holds the full snapshot of {string} with its VNFC snapshots tied to the instance"
)]
async fn full_body(w: &mut Conformance, instance: String) -> Outcome {
    let exchange = w.last()?.clone();
    check_full(w, &exchange, &instance, None)
}

#[then(regex = r#"^the snapshot "([^"]+)" was taken from "([^"]+)" with (\d+) VNFC snapshots?$"#)]
async fn taken_from(w: &mut Conformance, snapshot: String, instance: String, n: usize) -> Outcome {
    let exchange = read_recorded(w, Api::Sol003, &snapshot).await?;
    check_full(w, &exchange, &instance, Some(n))?;
    w.keep("snapshot", exchange.body())
}

#[then(expr = "the snapshot {string} holds only VNFC {int} of {string}")]
async fn only_vnfc(w: &mut Conformance, snapshot: String, n: usize, instance: String) -> Outcome {
    let vnfc = w.expand(&format!("${{{instance}.vnfc{n}}}")).await?;
    let exchange = read_recorded(w, Api::Sol002, &snapshot).await?;
    check_full(w, &exchange, &instance, Some(1))?;
    ensure(
        exchange.body()["vnfSnapshot"]["vnfcSnapshots"][0]["vnfcInstanceId"] == vnfc.as_str(),
        &exchange,
        format!("the one VNFC snapshot to be of VNFC {vnfc}"),
    )?;
    w.registry
        .resources
        .insert(snapshot, SnapshotResources::of(exchange.body()));
    w.keep("snapshot", exchange.body())
}

/// GET of snapshot `alias` over SOL003, whatever the answer.
pub async fn get_snapshot(w: &Conformance, alias: &str) -> Outcome<Exchange> {
    let id = w.registry.snapshot(alias)?;
    w.target.sol003.get(&format!("/vnf_snapshots/{id}")).await
}

/// The resource holds no snapshot: a refused request changes nothing (RFC 9110 §15.5: a 4xx
/// means the request was not carried out), and SOL003 §5.4.21 fills the resource when the
/// create snapshot operation completes. An external target may show a snapshot still in
/// creation (no `creationFinishedAt`) while its operation has not completed: a WARN, since no
/// clause says when `vnfSnapshot` appears; the reference VNFM shows none. Holds vacuously when
/// the target served a request the reference VNFM refuses (see `open_answers.rs`).
#[then(expr = "the snapshot {string} is still empty")]
pub(super) async fn still_empty(w: &mut Conformance, alias: String) -> Outcome {
    if w.served_instead_of_refused {
        return Ok(());
    }
    let exchange = get_snapshot(w, &alias).await?;
    ensure(
        exchange.status == 200,
        &exchange,
        format!("200 with {alias}"),
    )?;
    let Some(snapshot) = exchange.body().get("vnfSnapshot") else {
        return Ok(());
    };
    let unfinished = snapshot.get("creationFinishedAt").is_none();
    let id = w.registry.snapshot(&alias)?.to_string();
    let mut filling_incomplete = false;
    for op in &w.registry.op_occs {
        let occ = w.read_op_occ(op).await?;
        filling_incomplete |= occ["vnfSnapshotInfoId"] == id.as_str()
            && occ["operation"] == "CREATE_SNAPSHOT"
            && occ["operationState"] != "COMPLETED";
    }
    if unfinished && filling_incomplete {
        return w.reference_choice(false, || {
            format!(
                "{alias} shows a vnfSnapshot without creationFinishedAt while its operation has not completed"
            )
        });
    }
    Err(Failure::about(
        &exchange,
        format!(
            "{alias} without vnfSnapshot: no snapshot was completed into it (SOL003 §5.4.21, §5.5.2.22)"
        ),
    ))
}

#[then(expr = "the snapshot {string} is kept as taken from {string}")]
async fn kept(w: &mut Conformance, alias: String, instance: String) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    let instance_id = w.registry.instance(&instance)?.id.clone();
    ensure(
        exchange.status == 200
            && exchange.body()["vnfSnapshot"]["vnfInstanceId"] == instance_id.as_str(),
        &exchange,
        format!("200 with {alias}, still a snapshot of {instance}"),
    )
}

#[then(expr = "the snapshot {string} no longer exists")]
async fn gone(w: &mut Conformance, alias: String) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    ensure(
        exchange.status == 404,
        &exchange,
        format!("404: {alias} was deleted"),
    )
}

#[then(expr = "the snapshot {string} still describes {string}")]
async fn still_describes(w: &mut Conformance, snapshot: String, instance: String) -> Outcome {
    let exchange = get_snapshot(w, &snapshot).await?;
    ensure(
        exchange.status == 200,
        &exchange,
        format!("200: {snapshot} is kept"),
    )?;
    check_full(w, &exchange, &instance, None)
}
