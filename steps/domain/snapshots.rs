//! The "Individual VNF snapshot" resource and its lifecycle: creating the empty resource,
//! filling it with the create snapshot task (SOL003, or one VNFC over SOL002), reading it alone
//! or in lists (selectors, filters, paging), modifying and deleting it.

use std::collections::HashSet;

use cucumber::{gherkin::Step, given, then, when};
use reqwest::Method;
use serde_json::{json, Value};

use super::responses::links_to;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    resources::SnapshotResources,
    world::{Conformance, SETTLED},
};

async fn create_resource(w: &mut Conformance, api: Api, alias: &str) -> Outcome {
    let exchange = w
        .call(api, Method::POST, "/vnf_snapshots", Some(json!({})))
        .await?;
    let created = (exchange.status == 201)
        .then(|| exchange.body()["id"].as_str().map(str::to_string))
        .flatten();
    if let Some(id) = created {
        w.snapshots.insert(alias.to_string(), id);
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
        let op = exchange.location_id(&w.target.api(api).root, "/vnf_lcm_op_occs")?;
        w.op_occs.push(op);
    }
    Ok(())
}

async fn take(w: &mut Conformance, api: Api, instance: &str, snapshot: &str) -> Outcome {
    let instance = w.instance(instance)?.id.clone();
    let body = json!({"vnfSnapshotInfoId": w.snapshot(snapshot)?});
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
    let op = w.op_occ()?.to_string();
    let occ = w.await_op_state(&op, SETTLED).await?;
    if occ["operationState"] != "COMPLETED" {
        return Err(Failure::new(format!(
            "the snapshot of {instance} did not complete: {occ}"
        )));
    }
    let info = w.read_snapshot(w.snapshot(&snapshot)?).await?;
    w.resources.insert(snapshot, SnapshotResources::of(&info));
    Ok(())
}

#[when(
    regex = r#"^the EM takes a snapshot of VNFC (\d+) of "([^"]+)" into "([^"]+)" naming the VNFC (at top level|in additionalParams)$"#
)]
async fn takes_vnfc(
    w: &mut Conformance,
    n: usize,
    instance: String,
    snapshot: String,
    place: String,
) -> Outcome {
    let vnfc = w.expand(&format!("${{{instance}.vnfc{n}}}")).await?;
    let id = w.instance(&instance)?.id.clone();
    let snapshot_id = w.snapshot(&snapshot)?.to_string();
    let body = if place == "at top level" {
        json!({"vnfSnapshotInfoId": snapshot_id, "vnfcInstanceId": vnfc})
    } else {
        json!({"vnfSnapshotInfoId": snapshot_id, "additionalParams": {"vnfcInstanceId": vnfc}})
    };
    run_snapshot_task(w, Api::Sol002, &id, "create_snapshot", body).await
}

#[when(expr = "the NFVO deletes the snapshot {string}")]
async fn deletes(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.snapshot(&alias)?.to_string();
    w.call(
        Api::Sol003,
        Method::DELETE,
        &format!("/vnf_snapshots/{id}"),
        None,
    )
    .await
    .map(drop)
}

#[when("the NFVO queries all VNF snapshots")]
async fn queries_all(w: &mut Conformance) -> Outcome {
    w.call(Api::Sol003, Method::GET, "/vnf_snapshots", None)
        .await
        .map(drop)
}

#[when(expr = "the NFVO queries all VNF snapshots with {string}")]
async fn queries_with(w: &mut Conformance, query: String) -> Outcome {
    let query = w.expand(&query).await?;
    w.call(
        Api::Sol003,
        Method::GET,
        &format!("/vnf_snapshots?{query}"),
        None,
    )
    .await
    .map(drop)
}

#[when(expr = "the NFVO queries the snapshot {string}")]
async fn queries_one(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.snapshot(&alias)?.to_string();
    w.call(
        Api::Sol003,
        Method::GET,
        &format!("/vnf_snapshots/{id}"),
        None,
    )
    .await
    .map(drop)
}

/// The target of the `rel="next"` link of a `Link` header.
fn next_link(exchange: &Exchange) -> Option<String> {
    exchange.header("Link")?.split(',').find_map(|link| {
        let (target, params) = link.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[when("the NFVO reads every page of the VNF snapshot list")]
async fn reads_pages(w: &mut Conformance) -> Outcome {
    let mut next = Some("/vnf_snapshots".to_string());
    while let Some(path) = next {
        if w.pages.len() >= 1000 {
            return Err(Failure::new(
                "more than 1000 pages: the Link header never ends",
            ));
        }
        let exchange = w.target.sol003.get(&path).await?;
        next = next_link(&exchange);
        w.pages.push(exchange);
    }
    Ok(())
}

#[then("every page was answered with 200 and a valid array")]
async fn pages_valid(w: &mut Conformance) -> Outcome {
    for page in &w.pages {
        ensure(
            page.status == 200 && page.body().is_array(),
            page,
            "200 with an array",
        )?;
        for item in page.body().as_array().into_iter().flatten() {
            w.target
                .schemas
                .check("VnfSnapshotInfo", item)
                .map_err(|e| Failure::about(page, e))?;
        }
    }
    Ok(())
}

#[then(expr = "the pages hold {string}, {string} and {string} once each and no id twice")]
async fn pages_hold(w: &mut Conformance, a: String, b: String, c: String) -> Outcome {
    let mut seen = HashSet::new();
    for page in &w.pages {
        for item in page.body().as_array().into_iter().flatten() {
            let id = item["id"].as_str().unwrap_or_default();
            ensure(
                seen.insert(id.to_string()),
                page,
                format!("{id} on one page only"),
            )?;
        }
    }
    for alias in [a, b, c] {
        let id = w.snapshot(&alias)?;
        if !seen.contains(id) {
            return Err(Failure::new(format!(
                "{alias} ({id}) is on none of the {} pages",
                w.pages.len()
            )));
        }
    }
    Ok(())
}

/// The list entries of the last response with the given ids, in list order.
fn entries(exchange: &Exchange, ids: &[&str]) -> Vec<Value> {
    exchange
        .body()
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| ids.iter().any(|id| e["id"] == *id))
        .cloned()
        .collect()
}

fn has_member(entry: &Value, member: &str) -> bool {
    entry["vnfSnapshot"].get(member).is_some()
}

#[then(expr = "the list holds {string} and {string} without vnfInstance and vnfcSnapshots")]
async fn list_holds(w: &mut Conformance, filled: String, empty: String) -> Outcome {
    let exchange = w.last()?.clone();
    let (filled_id, empty_id) = (
        w.snapshot(&filled)?.to_string(),
        w.snapshot(&empty)?.to_string(),
    );
    let all = exchange.body().as_array().cloned().unwrap_or_default();
    let excluded = all
        .iter()
        .all(|e| !has_member(e, "vnfInstance") && !has_member(e, "vnfcSnapshots"));
    ensure(
        excluded,
        &exchange,
        "no entry with vnfSnapshot.vnfInstance or vnfSnapshot.vnfcSnapshots (default exclusions)",
    )?;
    let ours = entries(&exchange, &[&filled_id, &empty_id]);
    ensure(
        ours.len() == 2,
        &exchange,
        format!("{filled} and {empty} once each"),
    )?;
    let empty_entry = ours.iter().find(|e| e["id"] == empty_id.as_str());
    ensure(
        empty_entry.is_some_and(|e| e.get("vnfSnapshot").is_none()),
        &exchange,
        format!("{empty} without vnfSnapshot"),
    )?;
    w.keep(&Value::Array(ours))
}

#[then(expr = "the list entry of {string} summarises the snapshot of {string}")]
async fn list_summary(w: &mut Conformance, snapshot: String, instance: String) -> Outcome {
    let exchange = w.last()?;
    let id = w.snapshot(&snapshot)?;
    let instance = w.instance(&instance)?;
    let entry = entries(exchange, &[id]).pop().unwrap_or_default();
    let s = &entry["vnfSnapshot"];
    let ok = s["id"].is_string()
        && s["vnfInstanceId"] == instance.id.as_str()
        && s["vnfdId"] == instance.vnfd_id.as_str()
        && s["creationStartedAt"].is_string()
        && s["creationFinishedAt"].is_string()
        && links_to(&entry["_links"]["self"], &format!("/vnf_snapshots/{id}"))
        && links_to(
            &entry["_links"]["takenFrom"],
            &format!("/vnf_instances/{}", instance.id),
        );
    ensure(
        ok,
        exchange,
        format!("{snapshot} with vnfSnapshot {{id, vnfInstanceId, vnfdId, creationStartedAt, creationFinishedAt}} and links self and takenFrom"),
    )
}

#[then(
    regex = r#"^the list is exactly "([^"]+)" (with vnfInstance and vnfcSnapshots|without vnfInstance and vnfcSnapshots|with vnfcSnapshots but without vnfInstance)$"#
)]
async fn list_exactly(w: &mut Conformance, alias: String, members: String) -> Outcome {
    let exchange = w.last()?.clone();
    let id = w.snapshot(&alias)?;
    let list = exchange.body().as_array().cloned().unwrap_or_default();
    ensure(
        list.len() == 1 && list[0]["id"] == id,
        &exchange,
        format!("exactly one entry, {alias}"),
    )?;
    let (instance, vnfcs) = match members.as_str() {
        "with vnfInstance and vnfcSnapshots" => (true, true),
        "without vnfInstance and vnfcSnapshots" => (false, false),
        _ => (false, true),
    };
    ensure(
        has_member(&list[0], "vnfInstance") == instance
            && has_member(&list[0], "vnfcSnapshots") == vnfcs,
        &exchange,
        format!("vnfSnapshot {members}"),
    )?;
    w.keep(exchange.body())
}

#[then(expr = "the body describes the empty snapshot resource {string}")]
async fn describes_empty(w: &mut Conformance, alias: String) -> Outcome {
    let exchange = w.last()?;
    let id = w.snapshot(&alias)?;
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
    let instance = w.instance(instance)?;
    let body = exchange.body();
    let id = body["id"].as_str().unwrap_or_default();
    let s = &body["vnfSnapshot"];
    let expect = |ok: bool, what: &str| ensure(ok, exchange, what);
    expect(
        links_to(&body["_links"]["self"], &format!("/vnf_snapshots/{id}")),
        "_links.self to the snapshot",
    )?;
    expect(
        links_to(
            &body["_links"]["takenFrom"],
            &format!("/vnf_instances/{}", instance.id),
        ),
        "_links.takenFrom to the instance",
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
        started.is_some() && finished.is_some() && started <= finished,
        "creationStartedAt no later than creationFinishedAt",
    )?;
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
    let path = format!("/vnf_snapshots/{}", w.snapshot(alias)?);
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
    w.keep(exchange.body())
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
    w.resources
        .insert(snapshot, SnapshotResources::of(exchange.body()));
    w.keep(exchange.body())
}

async fn get_snapshot(w: &Conformance, alias: &str) -> Outcome<Exchange> {
    let id = w.snapshot(alias)?;
    w.target.sol003.get(&format!("/vnf_snapshots/{id}")).await
}

#[then(expr = "the snapshot {string} is still empty")]
async fn still_empty(w: &mut Conformance, alias: String) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    ensure(
        exchange.status == 200 && exchange.body().get("vnfSnapshot").is_none(),
        &exchange,
        format!("200 with {alias} still without vnfSnapshot"),
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

#[when(
    regex = r#"^the NFVO reads the snapshot "([^"]+)" and patches it with (its|a stale) ETag and body:$"#
)]
async fn patch_with_etag(
    w: &mut Conformance,
    step: &Step,
    alias: String,
    which: String,
) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    let etag = exchange
        .header("ETag")
        .ok_or_else(|| Failure::about(&exchange, "an ETag header on GET (SOL013 §4.5)"))?
        .to_string();
    w.redactor.name_opaque(etag.trim_matches('"'), "etag");
    w.etags.insert(alias.clone(), etag.clone());
    let sent = if which == "its" {
        etag
    } else {
        format!("\"stale-{}\"", etag.trim_matches('"'))
    };
    let body = step.docstring.clone().unwrap_or_default();
    let request = w
        .target
        .sol003
        .request(
            Method::PATCH,
            &format!("/vnf_snapshots/{}", w.snapshot(&alias)?),
        )
        .header("If-Match", sent)
        .raw(body);
    w.send(Api::Sol003, request).await.map(drop)
}

#[then(expr = "the body reports the modified vnfSnapshotPkgId {string}")]
async fn reports_modification(w: &mut Conformance, package: String) -> Outcome {
    let exchange = w.last()?;
    ensure(
        exchange.body()["vnfSnapshotPkgId"] == package.as_str(),
        exchange,
        format!("VnfSnapshotInfoModifications with vnfSnapshotPkgId {package}"),
    )
}

#[then(expr = "the snapshot {string} now has a new ETag and vnfSnapshotPkgId {string}")]
async fn modified(w: &mut Conformance, alias: String, package: String) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    let before = w.etags.get(&alias).map(String::as_str);
    ensure(
        exchange.status == 200
            && exchange.body()["vnfSnapshotPkgId"] == package.as_str()
            && exchange.header("ETag").is_some()
            && exchange.header("ETag") != before,
        &exchange,
        format!("vnfSnapshotPkgId {package} and an ETag other than {before:?}"),
    )
}
