//! Reverting to a VNF snapshot: the whole VNF over SOL003, one VNFC over SOL002 or through
//! SOL003 additionalParams, and what the cloud shows afterwards (new volumes from the volume
//! snapshots, old volumes left behind).

use std::collections::{BTreeMap, BTreeSet};

use cucumber::{then, when};
use serde_json::{json, Value};

use super::snapshots::run_snapshot_task;
use crate::{
    failure::{Failure, Outcome},
    http::Api,
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
    let storage: BTreeMap<String, String> = list("virtualStorageResourceInfo")
        .iter()
        .filter_map(|s| {
            Some((
                s["id"].as_str()?.to_string(),
                s["storageResource"]["resourceId"].as_str()?.to_string(),
            ))
        })
        .collect();
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

/// Checks which current volumes of `instance` were created from the volume snapshots of
/// `snapshot`: those of `restored` VNFCs (all when `None`) must be, the others must not.
async fn check_restored(
    w: &mut Conformance,
    instance: &str,
    snapshot: &str,
    restored: Option<&str>,
) -> Outcome {
    let now = w.read_instance(instance).await?;
    let taken = w.read_snapshot(w.registry.snapshot(snapshot)?).await?;
    let from_snapshot: BTreeSet<String> = SnapshotResources::of(&taken)
        .volume_snapshots
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let mut report = Vec::new();
    let mut ok = true;
    for (vnfc, volumes) in volumes_by_vnfc(&now) {
        let expect_restored = restored.is_none_or(|r| r == vnfc);
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
            let is_restored = from_snapshot.contains(origin);
            ok &= is_restored == expect_restored;
            report.push(format!("VNFC {vnfc} volume {volume}: snapshot_id {origin:?} (restored expected: {expect_restored})"));
        }
    }
    if ok && !report.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected the reverted volumes to be created from the volume snapshots {from_snapshot:?}:\n{}",
            report.join("\n")
        )))
    }
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
