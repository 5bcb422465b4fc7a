//! Reverting to a VNF snapshot: the whole VNF over SOL003, one VNFC over SOL002 or through
//! SOL003 additionalParams, and what the cloud shows afterwards (new volumes from the volume
//! snapshots, old volumes left behind).

use std::collections::{BTreeMap, BTreeSet};

use cucumber::{then, when};
use reqwest::Method;
use serde_json::{json, Value};

use super::{
    instances::resource_ids,
    responses::{detail_mentions, rejected},
    snapshots::run_snapshot_task,
};
use crate::{
    failure::{Failure, Outcome},
    http::Api,
    registry::SETTLED,
    resources::SnapshotResources,
    world::Conformance,
};

#[when(regex = r#"^the NFVO reverts "([^"]+)" to "([^"]+)" over (SOL00[23])$"#)]
async fn reverts(w: &mut Conformance, instance: String, snapshot: String, api: Api) -> Outcome {
    let id = w.registry.instance(&instance)?.id.clone();
    let body = json!({"vnfSnapshotInfoId": w.registry.snapshot(&snapshot)?});
    run_snapshot_task(w, api, &id, "revert_to_snapshot", body).await
}

/// `(vnfcInstanceId, vnfcSnapshotInfoId)` of VNFC `n` of `instance` in `snapshot`.
async fn vnfc_pair(
    w: &mut Conformance,
    n: usize,
    instance: &str,
    snapshot: &str,
) -> Outcome<(String, String)> {
    let vnfc = w.expand(&format!("${{{instance}.vnfc{n}}}")).await?;
    let info = w.read_snapshot(w.registry.snapshot(snapshot)?).await?;
    let vnfc_snapshot = info["vnfSnapshot"]["vnfcSnapshots"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["vnfcInstanceId"] == vnfc.as_str())
        .and_then(|v| v["id"].as_str())
        .ok_or_else(|| Failure::new(format!("{snapshot} has no VNFC snapshot of {vnfc}: {info}")))?
        .to_string();
    Ok((vnfc, vnfc_snapshot))
}

/// Reverts VNFC `n` of `instance` to its snapshot in `snapshot`: the pair at top level
/// (SOL002) or inside `additionalParams` (the vendor form).
async fn revert_vnfc(
    w: &mut Conformance,
    api: Api,
    n: usize,
    instance: &str,
    snapshot: &str,
) -> Outcome {
    let (vnfc, vnfc_snapshot) = vnfc_pair(w, n, instance, snapshot).await?;
    let id = w.registry.instance(instance)?.id.clone();
    let info_id = w.registry.snapshot(snapshot)?;
    let body = match api {
        Api::Sol002 => json!({
            "vnfSnapshotInfoId": info_id,
            "vnfcInstanceId": vnfc,
            "vnfcSnapshotInfoId": vnfc_snapshot,
        }),
        Api::Sol003 => json!({
            "vnfSnapshotInfoId": info_id,
            "additionalParams": {"vnfcInstanceId": vnfc, "vnfcSnapshotInfoId": vnfc_snapshot},
        }),
    };
    run_snapshot_task(w, api, &id, "revert_to_snapshot", body).await
}

#[when(
    regex = r#"^the EM reverts VNFC (\d+) of "([^"]+)" to its snapshot in "([^"]+)" over SOL002$"#
)]
async fn reverts_vnfc_sol002(
    w: &mut Conformance,
    n: usize,
    instance: String,
    snapshot: String,
) -> Outcome {
    revert_vnfc(w, Api::Sol002, n, &instance, &snapshot).await
}

#[when(
    regex = r#"^the NFVO reverts VNFC (\d+) of "([^"]+)" to its snapshot in "([^"]+)" through additionalParams$"#
)]
async fn reverts_vnfc_sol003(
    w: &mut Conformance,
    n: usize,
    instance: String,
    snapshot: String,
) -> Outcome {
    revert_vnfc(w, Api::Sol003, n, &instance, &snapshot).await
}

/// Volume ids per VNFC instance id (SOL002 `vnfcInfo[].id`, or the VNFC resource id when the
/// instance has no `vnfcInfo`) of an instance representation.
fn volumes_by_vnfc(instance: &Value) -> BTreeMap<String, Vec<String>> {
    let info = &instance["instantiatedVnfInfo"];
    let list = |name: &str| info[name].as_array().cloned().unwrap_or_default();
    let storage = resource_ids(
        instance,
        "virtualStorageResourceInfo",
        "/storageResource/resourceId",
    );
    let vnfc_of_resource: BTreeMap<String, String> = list("vnfcInfo")
        .iter()
        .filter_map(|v| {
            let id = v["id"].as_str()?.to_string();
            let resource = v["vnfcResourceInfoId"]
                .as_str()
                .map_or(id.clone(), str::to_string);
            Some((resource, id))
        })
        .collect();
    list("vnfcResourceInfo")
        .iter()
        .filter_map(|r| {
            let resource = r["id"].as_str()?.to_string();
            let vnfc = vnfc_of_resource.get(&resource).cloned().unwrap_or(resource);
            let volumes = r["storageResourceIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| storage.get(s.as_str()?).cloned())
                .collect();
            Some((vnfc, volumes))
        })
        .collect()
}

/// Which current volumes of an instance were created from the volume snapshots of a snapshot.
pub(super) struct Restoration {
    /// VNFC id -> whether each of its volumes was.
    pub per_vnfc: BTreeMap<String, Vec<bool>>,
    /// One line per volume, for the messages.
    pub report: Vec<String>,
}

impl Restoration {
    /// The VNFCs all of whose volumes were restored.
    pub fn restored_vnfcs(&self) -> Vec<&str> {
        self.per_vnfc
            .iter()
            .filter(|(_, volumes)| !volumes.is_empty() && volumes.iter().all(|r| *r))
            .map(|(vnfc, _)| vnfc.as_str())
            .collect()
    }
}

/// The volumes of `instance` as it is now, each looked at on the cloud: was it created from a
/// volume snapshot of `snapshot`?
pub(super) async fn restoration(
    w: &Conformance,
    instance: &str,
    snapshot: &str,
) -> Outcome<Restoration> {
    let now = w.read_instance(instance).await?;
    let taken = w.read_snapshot(w.registry.snapshot(snapshot)?).await?;
    let from_snapshot: BTreeSet<String> = SnapshotResources::of(&taken)
        .volume_snapshots
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let mut restoration = Restoration {
        per_vnfc: BTreeMap::new(),
        report: Vec::new(),
    };
    for (vnfc, volumes) in volumes_by_vnfc(&now) {
        let mut restored = Vec::new();
        for volume in volumes {
            let found = w
                .target
                .observer
                .volume(w.cloud.project_name(), &volume)
                .await?;
            let origin = found
                .as_ref()
                .and_then(|v| v["snapshot_id"].as_str())
                .unwrap_or_default();
            restored.push(from_snapshot.contains(origin));
            restoration.report.push(format!(
                "VNFC {vnfc} volume {volume}: made from volume snapshot {origin:?}"
            ));
        }
        restoration.per_vnfc.insert(vnfc, restored);
    }
    Ok(restoration)
}

/// Checks which current volumes of `instance` were created from the volume snapshots of
/// `snapshot`: those of `restored` VNFCs (all when `None`) must be, the others must not. The
/// documentation's revert makes new volumes from the volume snapshots ("ESC attempts to delete
/// the volumes during the revert but these are left on the VIM"); a single-VNFC revert
/// "restricts the revert to a single VNFC".
async fn check_restored(
    w: &mut Conformance,
    instance: &str,
    snapshot: &str,
    restored: Option<&str>,
) -> Outcome {
    let found = restoration(w, instance, snapshot).await?;
    let ok = !found.report.is_empty()
        && found.per_vnfc.iter().all(|(vnfc, volumes)| {
            let expected = restored.is_none_or(|r| r == vnfc);
            volumes.iter().all(|r| *r == expected)
        });
    if ok {
        return Ok(());
    }
    let expected = match restored {
        None => "every volume".to_string(),
        Some(vnfc) => format!("the volumes of VNFC {vnfc} only"),
    };
    Err(Failure::new(format!(
        "expected {expected} of {instance} to be new volumes made from the volume snapshots of \
         {snapshot} (the documentation: revert to snapshot, \"ESC attempts to delete the volumes \
         during the revert\"; the SOL002 vnfcInstanceId or the additionalParams form restricts \
         it to one VNFC):\n{}",
        found.report.join("\n")
    )))
}

#[then(expr = "every volume of {string} now comes from a volume snapshot of {string}")]
async fn all_restored(w: &mut Conformance, instance: String, snapshot: String) -> Outcome {
    check_restored(w, &instance, &snapshot, None).await
}

#[then(
    expr = "only the volumes of VNFC {int} of {string} now come from volume snapshots of {string}"
)]
async fn one_restored(
    w: &mut Conformance,
    n: usize,
    instance: String,
    snapshot: String,
) -> Outcome {
    let vnfc = w.expand(&format!("${{{instance}.vnfc{n}}}")).await?;
    check_restored(w, &instance, &snapshot, Some(&vnfc)).await
}

/// The volume ids the instance copy inside `snapshot` lists.
async fn old_volumes(w: &Conformance, snapshot: &str) -> Outcome<Vec<String>> {
    let taken = w.read_snapshot(w.registry.snapshot(snapshot)?).await?;
    let volumes: Vec<String> = volumes_by_vnfc(&taken["vnfSnapshot"]["vnfInstance"])
        .into_values()
        .flatten()
        .collect();
    if volumes.is_empty() {
        return Err(Failure::new(format!(
            "the instance copy in {snapshot} lists no volume: {taken}"
        )));
    }
    Ok(volumes)
}

#[then(expr = "the volumes {string} used when {string} was taken are still on the cloud")]
async fn old_volumes_kept(w: &mut Conformance, instance: String, snapshot: String) -> Outcome {
    let old = old_volumes(w, &snapshot).await?;
    let now: BTreeSet<String> = volumes_by_vnfc(&w.read_instance(&instance).await?)
        .into_values()
        .flatten()
        .collect();
    for volume in &old {
        let found = w
            .target
            .observer
            .volume(w.cloud.project_name(), volume)
            .await?;
        if found.is_none() || now.contains(volume) {
            return Err(Failure::new(format!(
                "expected old volume {volume} to be replaced in {instance} ({now:?}) yet left on the cloud; Cinder shows {found:?}"
            )));
        }
    }
    Ok(())
}

#[then(expr = "the cloud refused to delete the volumes {string} used when {string} was taken")]
async fn delete_refused(w: &mut Conformance, instance: String, snapshot: String) -> Outcome {
    old_volumes_kept(w, instance, snapshot.clone()).await?;
    let old = old_volumes(w, &snapshot).await?;
    let project = w
        .cloud
        .project
        .as_ref()
        .ok_or_else(|| Failure::new("the scenario needs its own cloud project"))?;
    let control = w
        .target
        .control
        .as_ref()
        .ok_or_else(|| Failure::new("the target has no cloud control"))?;
    let calls = serde_json::to_value(control.calls(None, Some(&project.id)).await?)
        .map_err(|e| Failure::new(format!("the cloud's calls as JSON: {e}")))?;
    let calls = calls.as_array().cloned().unwrap_or_default();
    for volume in &old {
        let refused = calls.iter().any(|c| {
            c["service"] == "cinder"
                && c["method"] == "DELETE"
                && c["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(&format!("/volumes/{volume}")))
                && c["status"] == 400
        });
        if !refused {
            return Err(Failure::new(format!(
                "expected a Cinder DELETE of old volume {volume} answered 400 (it has snapshots); calls:\n{}",
                serde_json::to_string_pretty(&calls).unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// A revert to a snapshot whose DELETE failed half-way. The reference VNFM refuses it (409,
/// "partly deleted": the snapshot may lack what the revert needs). SOL003 fixes no answer: a
/// refusal (4xx with a ProblemDetails) is one, an accepted revert whose operation then ends is
/// another. A revert that fails is declared failed (SOL003 §5.4.16), so that the snapshot is
/// free for the later DELETE; one that completes is a WARN (the target reverted to what was
/// left of the snapshot).
#[then(
    regex = r#"^the revert to the partly deleted "([^"]+)" is refused, or its operation ends \(the reference VNFM refuses it with 409\)$"#
)]
async fn revert_to_partly_deleted(w: &mut Conformance, snapshot: String) -> Outcome {
    if w.target.reference || w.last()?.status != 202 {
        rejected(w, 409).await?;
        return detail_mentions(w, "partly deleted".to_string()).await;
    }
    let exchange = w.last()?.clone();
    let op = exchange.location_id(w.target.sol003.root(), "/vnf_lcm_op_occs")?;
    let occ = w.await_op_state(&op, SETTLED).await?;
    match occ["operationState"].as_str().unwrap_or_default() {
        "COMPLETED" => w.other_choice(format!(
            "the revert to {snapshot}, whose DELETE had failed half-way, was accepted and completed; the reference VNFM refuses it with 409"
        )),
        "FAILED_TEMP" => {
            let path = format!("/vnf_lcm_op_occs/{op}/fail");
            let failed = w.call(Api::Sol003, Method::POST, &path, None).await?.clone();
            crate::failure::ensure(
                failed.status == 200,
                &failed,
                "200 for declaring the failed revert failed (SOL003 §5.4.16.3.1)",
            )?;
        }
        _ => {}
    }
    Ok(())
}
