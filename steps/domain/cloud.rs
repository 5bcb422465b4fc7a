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

#[then(expr = "the cloud no longer holds the images and volume snapshots of {string}")]
async fn none_left(w: &mut Conformance, alias: String) -> Outcome {
    let (total, present) = existing(w, &alias).await?;
    if total > 0 && present.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected the {total} cloud resources of {alias} to be gone when DELETE answered; still there:\n{present:#?}"
        )))
    }
}

#[then(expr = "the cloud still holds the images and volume snapshots of {string}")]
async fn all_left(w: &mut Conformance, alias: String) -> Outcome {
    let (total, present) = existing(w, &alias).await?;
    if total > 0 && present.len() == total {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "expected all {total} cloud resources of {alias} to remain; only these are there:\n{present:#?}"
        )))
    }
}

#[then(expr = "the snapshot {string} lists only cloud resources that still exist")]
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
    if gone.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "the snapshot {alias} still lists cloud resources that are gone ({}):\n{}",
            gone.join(", "),
            serde_json::to_string_pretty(&info).unwrap_or_default()
        )))
    }
}

/// Removes a VNFC's server on the cloud, as an operator might by mistake: the VNFM's next
/// operation on it must fail with an error it reports.
#[given(
    expr = "the server of VNFC {int} of {string} was deleted on the cloud behind the VNFM's back"
)]
async fn server_deleted(w: &mut Conformance, n: usize, alias: String) -> Outcome {
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
