//! What the cloud shows through the OpenStack APIs: one image per VNFC snapshot named with its
//! id, one volume snapshot per volume named "snapshot for <id>", and whether they are gone.

use std::collections::BTreeSet;

use cucumber::{given, then};
use serde_json::Value;

use crate::{
    failure::{Failure, Outcome},
    resources::SnapshotResources,
    world::Conformance,
};

/// The resources of `alias`: those recorded when it completed, else read now.
async fn resources(w: &mut Conformance, alias: &str) -> Outcome<SnapshotResources> {
    if let Some(recorded) = w.registry.resources.get(alias) {
        return Ok(recorded.clone());
    }
    let info = w.read_snapshot(w.registry.snapshot(alias)?).await?;
    let found = SnapshotResources::of(&info);
    w.registry
        .resources
        .insert(alias.to_string(), found.clone());
    Ok(found)
}

/// The VNFC snapshot ids of `alias`, read from the VNFM.
async fn vnfc_snapshot_ids(w: &Conformance, alias: &str) -> Outcome<Vec<String>> {
    let info = w.read_snapshot(w.registry.snapshot(alias)?).await?;
    Ok(info["vnfSnapshot"]["vnfcSnapshots"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect())
}

#[then(expr = "the cloud holds an active image named after each VNFC snapshot of {string}")]
async fn images(w: &mut Conformance, alias: String) -> Outcome {
    let listed = resources(w, &alias).await?;
    let vnfcs = vnfc_snapshot_ids(w, &alias).await?;
    for vnfc in &vnfcs {
        let found = w
            .target
            .observer
            .images_named(w.cloud.project_name(), vnfc)
            .await?;
        let expected = listed
            .images
            .iter()
            .find(|(v, _)| v == vnfc)
            .map(|(_, i)| i);
        let ok = found.len() == 1
            && found[0]["status"] == "active"
            && expected.is_some_and(|id| found[0]["id"] == id.as_str());
        if !ok {
            return Err(Failure::new(format!(
                "expected one active Glance image named {vnfc} with the id of its \
                 computeSnapshotResource ({expected:?}); GET /v2/images?name={vnfc} found:\n{}",
                serde_json::to_string_pretty(&found).unwrap_or_default()
            )));
        }
    }
    Ok(())
}

#[then(
    regex = r#"^the cloud holds (\d+) available volume snapshots? named after the VNFC snapshots of "([^"]+)"$"#
)]
async fn volume_snapshots(w: &mut Conformance, count: usize, alias: String) -> Outcome {
    let listed = resources(w, &alias).await?;
    let mut found = Vec::new();
    for vnfc in vnfc_snapshot_ids(w, &alias).await? {
        let name = format!("snapshot for {vnfc}");
        found.extend(
            w.target
                .observer
                .volume_snapshots_named(w.cloud.project_name(), &name)
                .await?,
        );
    }
    let found_ids: BTreeSet<&str> = found.iter().filter_map(|s| s["id"].as_str()).collect();
    let listed_ids: BTreeSet<&str> = listed
        .volume_snapshots
        .iter()
        .map(|(_, s)| s.as_str())
        .collect();
    let ok = found.len() == count
        && found.iter().all(|s| s["status"] == "available")
        && found_ids == listed_ids;
    if ok {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected {count} available Cinder snapshots named \"snapshot for <VNFC snapshot id>\" \
             whose ids are the storageSnapshotResources {listed_ids:?}; found:\n{}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        )))
    }
}

#[then(
    expr = "the cloud holds a volume snapshot of the out-of-band volume of {string} for {string}"
)]
async fn oob_snapshot(w: &mut Conformance, instance: String, alias: String) -> Outcome {
    let volume = w
        .registry
        .oob_volumes
        .get(&instance)
        .cloned()
        .ok_or_else(|| Failure::new(format!("{instance} has no out-of-band volume")))?;
    let listed = resources(w, &alias).await?;
    let mut seen = Vec::new();
    for (_, id) in &listed.volume_snapshots {
        let snapshot = w
            .target
            .observer
            .volume_snapshot(w.cloud.project_name(), id)
            .await?;
        if snapshot
            .as_ref()
            .is_some_and(|s| s["volume_id"] == volume.as_str())
        {
            return Ok(());
        }
        seen.push(snapshot);
    }
    Err(Failure::new(format!(
        "expected one of the volume snapshots of {alias} to be of the out-of-band volume {volume}; they are:\n{}",
        serde_json::to_string_pretty(&seen).unwrap_or_default()
    )))
}

#[then("the ids in the body match the images and volume snapshots on the cloud")]
async fn ids_match(w: &mut Conformance) -> Outcome {
    let body = w.last()?.body().clone();
    let listed = SnapshotResources::of(&body);
    let project = w.cloud.project_name();
    for (vnfc, image) in &listed.images {
        let found = w.target.observer.image(project, image).await?;
        if found.as_ref().is_none_or(|i| i["name"] != vnfc.as_str()) {
            return Err(Failure::new(format!(
                "expected Glance image {image} named {vnfc}, GET /v2/images/{image} gave {found:?}"
            )));
        }
    }
    for (vnfc, snapshot) in &listed.volume_snapshots {
        let found = w.target.observer.volume_snapshot(project, snapshot).await?;
        let name = format!("snapshot for {vnfc}");
        if found.as_ref().is_none_or(|s| s["name"] != name.as_str()) {
            return Err(Failure::new(format!(
                "expected Cinder snapshot {snapshot} named {name:?}, GET /snapshots/{snapshot} gave {found:?}"
            )));
        }
    }
    Ok(())
}

/// Which of the resources of `alias` still exist, as `(kind, id, representation)`.
async fn existing(
    w: &mut Conformance,
    alias: &str,
) -> Outcome<(usize, Vec<(&'static str, String, Value)>)> {
    let listed = resources(w, alias).await?;
    let project = w.cloud.project_name();
    let mut present = Vec::new();
    for (_, id) in &listed.images {
        if let Some(image) = w.target.observer.image(project, id).await? {
            present.push(("image", id.clone(), image));
        }
    }
    for (_, id) in &listed.volume_snapshots {
        if let Some(snapshot) = w.target.observer.volume_snapshot(project, id).await? {
            present.push(("volume snapshot", id.clone(), snapshot));
        }
    }
    Ok((listed.images.len() + listed.volume_snapshots.len(), present))
}

/// Statuses of a resource the cloud is deleting: gone once the cloud finishes.
const DELETING: &[&str] = &["deleting", "pending_delete", "deleted"];

/// DELETE of a VNF snapshot removes its VIM resources (SOL003 §5.4.24.3.5) and answers only
/// when the workflow has finished (the documentation: "The VNF Snapshot Deletion is a
/// synchronous operation"). One the cloud is still deleting when the DELETE answered is a
/// WARN: whether the workflow waits for the cloud to finish is the VNFM's reading.
#[then(expr = "the cloud no longer holds the images and volume snapshots of {string}")]
async fn none_left(w: &mut Conformance, alias: String) -> Outcome {
    let (total, present) = existing(w, &alias).await?;
    let deleting = |r: &Value| DELETING.contains(&r["status"].as_str().unwrap_or_default());
    if total > 0 && present.iter().all(|(_, _, r)| deleting(r)) {
        return w.reference_choice(present.is_empty(), || {
            format!(
                "the cloud was still deleting these resources of {alias} when DELETE answered: {:?}",
                present
                    .iter()
                    .map(|(kind, id, r)| format!("{kind} {id} ({})", r["status"]))
                    .collect::<Vec<_>>()
            )
        });
    }
    Err(Failure::new(format!(
        "expected the {total} cloud resources of {alias} to be gone when DELETE answered (SOL003 \
         §5.4.24.3.5 deletes the VIM resources of the snapshot; the documentation: a synchronous \
         deletion); still there:\n{present:#?}"
    )))
}

/// The resources of `alias` are all still on the cloud: after its VNF is deleted (the
/// documentation: "Deletion of a VNF within ETSI does not trigger deletion of any previous
/// snapshots"), or, with the suffix, after a DELETE the cloud refused, where keeping them all
/// is the reference VNFM's choice (its order of deletion): a WARN elsewhere.
#[then(
    regex = r#"^the cloud still holds the images and volume snapshots of "([^"]+)"( \(the reference VNFM's choice\))?$"#
)]
async fn all_left(w: &mut Conformance, alias: String, choice: String) -> Outcome {
    let (total, present) = existing(w, &alias).await?;
    let held = total > 0 && present.len() == total;
    let finding = || {
        format!(
            "of the {total} cloud resources of {alias}, only these are still there:\n{present:#?}"
        )
    };
    if choice.is_empty() {
        return match held {
            true => Ok(()),
            false => Err(Failure::new(format!(
                "expected every cloud resource of the snapshot to remain: {}",
                finding()
            ))),
        };
    }
    w.reference_choice(held, finding)
}

/// After a DELETE that failed half-way, the resource is kept (SOL003 §5.4.24.3.5); what its
/// content shows then is open: the reference VNFM lists only the cloud resources that still
/// exist; another VNFM may keep the record as it was (a WARN).
#[then(
    regex = r#"^the snapshot "([^"]+)" lists only cloud resources that still exist \(the reference VNFM's choice\)$"#
)]
async fn lists_only_existing(w: &mut Conformance, alias: String) -> Outcome {
    let info = w.read_snapshot(w.registry.snapshot(&alias)?).await?;
    let listed = SnapshotResources::of(&info);
    let project = w.cloud.project_name();
    let mut gone = Vec::new();
    for (_, id) in &listed.images {
        if w.target.observer.image(project, id).await?.is_none() {
            gone.push(format!("image {id}"));
        }
    }
    for (_, id) in &listed.volume_snapshots {
        if w.target
            .observer
            .volume_snapshot(project, id)
            .await?
            .is_none()
        {
            gone.push(format!("volume snapshot {id}"));
        }
    }
    w.reference_choice(gone.is_empty(), || {
        format!(
            "the snapshot {alias} still lists cloud resources its failed DELETE removed: {}",
            gone.join(", ")
        )
    })
}

/// Removes a VNFC's server on the cloud, as an operator might by mistake: the VNFM's next
/// operation on it must fail with an error it reports. A target whose instance shows no
/// server makes the scenario INCONCLUSIVE.
#[given(
    expr = "the server of VNFC {int} of {string} was deleted on the cloud behind the VNFM's back"
)]
async fn server_deleted(w: &mut Conformance, n: usize, alias: String) -> Outcome {
    delete_server(w, n, alias)
        .await
        .map_err(Failure::unmet_precondition)
}

async fn delete_server(w: &mut Conformance, n: usize, alias: String) -> Outcome {
    let instance = w.read_instance(&alias).await?;
    let server = instance["instantiatedVnfInfo"]["vnfcResourceInfo"][n.saturating_sub(1)]
        ["computeResource"]["resourceId"]
        .as_str()
        .ok_or_else(|| Failure::new(format!("{alias} shows no server for VNFC {n}: {instance}")))?
        .to_string();
    w.target
        .observer
        .delete_server(w.cloud.project_name(), &server, w.operation_deadline())
        .await
}
