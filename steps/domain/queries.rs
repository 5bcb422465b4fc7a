//! Querying VNF snapshots: the list with its default exclusions, attribute selectors,
//! filters and paging through `Link` headers.

use std::collections::HashSet;

use cucumber::{then, when};
use reqwest::Method;
use serde_json::Value;

use super::responses::links_to;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    world::Conformance,
};

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
    let id = w.registry.snapshot(&alias)?.to_string();
    w.call(
        Api::Sol003,
        Method::GET,
        &format!("/vnf_snapshots/{id}"),
        None,
    )
    .await
    .map(drop)
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
        next = exchange.next_link();
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
            w.check_schema("VnfSnapshotInfo", item)
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
        let id = w.registry.snapshot(&alias)?;
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
        w.registry.snapshot(&filled)?.to_string(),
        w.registry.snapshot(&empty)?.to_string(),
    );
    // Other scenarios' snapshots may push these two to a later page.
    let mut ours = Vec::new();
    let mut page = Some(exchange.clone());
    while let Some(current) = page.take() {
        let excluded = current
            .body()
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| !has_member(e, "vnfInstance") && !has_member(e, "vnfcSnapshots"));
        ensure(
            excluded,
            &current,
            "no entry with vnfSnapshot.vnfInstance or vnfSnapshot.vnfcSnapshots (SOL003 §5.4.23.3.2 default exclusions; the documentation's query-all sample shows neither)",
        )?;
        ours.extend(entries(&current, &[&filled_id, &empty_id]));
        if !entries(&current, &[&filled_id]).is_empty() {
            // The steps after this one look at the page that lists the filled snapshot.
            w.last = Some(current.clone());
        }
        if let Some(next) = current.next_link() {
            page = Some(w.target.sol003.get(&next).await?);
        }
    }
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
    w.keep("list-entries", &Value::Array(ours))
}

#[then(expr = "the list entry of {string} summarises the snapshot of {string}")]
async fn list_summary(w: &mut Conformance, snapshot: String, instance: String) -> Outcome {
    let exchange = w.last()?;
    let id = w.registry.snapshot(&snapshot)?;
    let instance = w.registry.instance(&instance)?;
    let entry = entries(exchange, &[id]).pop().unwrap_or_default();
    let s = &entry["vnfSnapshot"];
    w.reference_choice(s["creationFinishedAt"].is_string(), || {
        format!("the list entry of the completed {snapshot} has no vnfSnapshot.creationFinishedAt (0..1 in SOL003 §5.5.2.23)")
    })?;
    let ok = s["id"].is_string()
        && s["vnfInstanceId"] == instance.id.as_str()
        && s["vnfdId"] == instance.vnfd_id.as_str()
        && s["creationStartedAt"].is_string()
        && links_to(&entry["_links"]["self"], &format!("/vnf_snapshots/{id}"))
        && links_to(
            &entry["_links"]["takenFrom"],
            &format!("/vnf_instances/{}", instance.id),
        );
    ensure(
        ok,
        exchange,
        format!("{snapshot} with vnfSnapshot {{id, vnfInstanceId, vnfdId, creationStartedAt}} and links self and takenFrom, as the documentation's query-all sample shows (SOL003 §5.5.2.22, §5.5.2.23)"),
    )
}

#[then(
    regex = r#"^the list is exactly "([^"]+)" (with vnfInstance and vnfcSnapshots|without vnfInstance and vnfcSnapshots|with vnfcSnapshots but without vnfInstance|with vnfInstance but without vnfcSnapshots)$"#
)]
async fn list_exactly(w: &mut Conformance, alias: String, members: String) -> Outcome {
    let exchange = w.last()?.clone();
    let id = w.registry.snapshot(&alias)?;
    let list = exchange.body().as_array().cloned().unwrap_or_default();
    ensure(
        list.len() == 1 && list[0]["id"] == id,
        &exchange,
        format!("exactly one entry, {alias}"),
    )?;
    let (instance, vnfcs) = match members.as_str() {
        "with vnfInstance and vnfcSnapshots" => (true, true),
        "without vnfInstance and vnfcSnapshots" => (false, false),
        "with vnfInstance but without vnfcSnapshots" => (true, false),
        _ => (false, true),
    };
    ensure(
        has_member(&list[0], "vnfInstance") == instance
            && has_member(&list[0], "vnfcSnapshots") == vnfcs,
        &exchange,
        format!("vnfSnapshot {members}"),
    )?;
    w.keep("list", exchange.body())
}

/// A selector the reference VNFM refuses (`exclude_fields` naming a mandatory attribute) may be
/// ignored instead; but a representation without a mandatory attribute breaks its data type
/// (SOL003 §5.5.2: cardinality 1; SOL013 §5.3 lets selectors act on optional attributes only).
/// Holds vacuously after a refusal.
#[then(expr = "a list served instead still holds {string} in every entry")]
async fn served_list_keeps(w: &mut Conformance, path: String) -> Outcome {
    if !w.served_instead_of_refused {
        return Ok(());
    }
    let exchange = w.last()?;
    let pointer = format!("/{path}");
    let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    let missing = exchange
        .body()
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| parent.is_empty() || entry.pointer(parent).is_some())
        .any(|entry| entry.pointer(&pointer).is_none());
    ensure(
        exchange.body().is_array() && !missing,
        exchange,
        format!("{path} in every entry of the list: it is not an optional attribute (SOL013 §5.3)"),
    )
}
