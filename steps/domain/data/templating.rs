//! Templating: a new server booted through Nova from a VNFC snapshot's image, and a volume made
//! through Cinder from one of its volume snapshots, hold what the VNFC held when the snapshot
//! was taken; and the image carries Glance's size and digests of its data.

use cucumber::{then, when};
use serde_json::{json, Value};

use super::{
    backup::{markers, mismatches, read_markers},
    vnfc_snapshot, Access, BACKUP_PROMISE, MARKER_KEY,
};
use crate::{
    failure::{Failure, Outcome},
    resources::SnapshotResources,
    world::Conformance,
};

/// Glance's definitions of the digests the check holds.
const GLANCE_PROMISE: &str = "Glance's image API: \"size: the size of the image data, in bytes\", \"checksum: an MD5 hash over the image data\", \"os_hash_value: the hexdigest of the secure hash of the image data computed using the algorithm whose name is the value of the os_hash_algo property\"";

/// The VNFC `n` of `alias` as the markers of `label` recorded it.
fn vnfc_id(w: &Conformance, alias: &str, label: &str, n: usize) -> Outcome<String> {
    markers(w, alias, label)?
        .iter()
        .find(|v| v.vnfc.index == n)
        .map(|v| v.vnfc.id.clone())
        .ok_or_else(|| {
            Failure::new(format!(
                "{alias} had no VNFC {n} when {label:?} was written"
            ))
        })
}

/// The body of a server like `template`'s (flavor, key pair, security groups, first network),
/// booting from `image`; the volume snapshots are attached as new volumes when the image has
/// no block device mapping of its own (the image of an image-backed server).
fn server_like(
    template: &Value,
    network: Option<&str>,
    name: &str,
    image: &Value,
    volume_snapshots: &[String],
) -> Value {
    let mut body = json!({
        "name": name,
        "flavorRef": template["flavor"]["id"],
        "imageRef": image["id"],
    });
    if let Some(key) = template["key_name"].as_str() {
        body["key_name"] = json!(key);
    }
    let groups: Vec<Value> = template["security_groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["name"].as_str())
        .map(|name| json!({ "name": name }))
        .collect();
    if !groups.is_empty() {
        body["security_groups"] = json!(groups);
    }
    if let Some(network) = network {
        body["networks"] = json!([{ "uuid": network }]);
    }
    if image.get("block_device_mapping").is_none() && !volume_snapshots.is_empty() {
        let devices: Vec<Value> = volume_snapshots
            .iter()
            .map(|id| {
                json!({"source_type": "snapshot", "destination_type": "volume", "uuid": id,
                       "delete_on_termination": true})
            })
            .collect();
        body["block_device_mapping_v2"] = json!(devices);
    }
    body
}

/// The VNF snapshot `snapshot` and the VNFC snapshot in it of VNFC `n` of `alias`: (VNFC id,
/// VNF snapshot, image, volume snapshots).
async fn snapshot_of_vnfc(
    w: &Conformance,
    n: usize,
    alias: &str,
    snapshot: &str,
) -> Outcome<(String, Value, String, Vec<String>)> {
    let vnfc = w
        .vnfc_ids(alias)
        .await?
        .get(n.saturating_sub(1))
        .cloned()
        .ok_or_else(|| Failure::new(format!("{alias} has no VNFC {n}")))?;
    let info = w.read_snapshot(w.registry.snapshot(snapshot)?).await?;
    let (_, image, volume_snapshots) = vnfc_snapshot(&info, &vnfc)?;
    Ok((vnfc, info, image, volume_snapshots))
}

#[when(
    expr = "a server is booted through Nova from the image of the snapshot of VNFC {int} of {string} in {string}"
)]
async fn boot_from_image(
    w: &mut Conformance,
    n: usize,
    alias: String,
    snapshot: String,
) -> Outcome {
    let (vnfc, _, image_id, volume_snapshots) = snapshot_of_vnfc(w, n, &alias, &snapshot).await?;
    let project = w.cloud.project_name().map(str::to_string);
    let observer = &w.target.observer;
    let image = observer
        .image(project.as_deref(), &image_id)
        .await?
        .ok_or_else(|| {
            Failure::new(format!(
                "Glance has no image {image_id} (VNFC {vnfc}'s snapshot)"
            ))
        })?;
    // The new server looks like the VNFC's, as a user templating from it would make it.
    let vnfc_server = w
        .vnfcs(&alias)
        .await?
        .into_iter()
        .find(|v| v.id == vnfc)
        .map(|v| v.server_id)
        .ok_or_else(|| Failure::new(format!("{alias} no longer has VNFC {vnfc}")))?;
    let template = observer
        .server(project.as_deref(), &vnfc_server)
        .await?
        .ok_or_else(|| Failure::new(format!("Nova has no server {vnfc_server}")))?;
    let network = observer
        .server_networks(project.as_deref(), &vnfc_server)
        .await?
        .into_iter()
        .next();
    let name = format!("conformance-template-{}", w.data.token());
    let body = server_like(
        &template,
        network.as_deref(),
        &name,
        &image,
        &volume_snapshots,
    );
    let server_id = observer.create_server(project.as_deref(), body).await?;
    w.data.servers.push(server_id.clone());
    let deadline = w.operation_deadline();
    let observer = &w.target.observer;
    observer
        .wait_server_active(project.as_deref(), &server_id, deadline)
        .await?;
    let attached = observer
        .server(project.as_deref(), &server_id)
        .await?
        .unwrap_or_default();
    for volume in attached["os-extended-volumes:volumes_attached"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["id"].as_str())
    {
        w.data.volumes.push(volume.to_string());
    }
    w.data.template = Some(server_id);
    Ok(())
}

#[then(expr = "the new server holds the marker {string} of VNFC {int} of {string} on every disk")]
async fn template_holds(w: &mut Conformance, label: String, n: usize, alias: String) -> Outcome {
    let server = w
        .data
        .template
        .clone()
        .ok_or_else(|| Failure::new("no server was booted from a snapshot's image"))?;
    let vnfc = vnfc_id(w, &alias, &label, n)?;
    let expected = markers(w, &alias, &label)?
        .iter()
        .find(|v| v.vnfc.id == vnfc)
        .cloned()
        .ok_or_else(|| Failure::new(format!("no marker {label:?} on VNFC {vnfc}")))?;
    let found = read_markers(w, &server, "template").await?;
    let wrong = mismatches(
        &expected,
        &found,
        &format!("server {server}, booted from VNFC {n}'s image"),
    );
    none_wrong(
        &wrong,
        format!("a new server booted from the image of VNFC {n}'s snapshot does not hold what the VNFC held when the snapshot was taken, as {BACKUP_PROMISE} says"),
    )
}

#[when(
    expr = "a volume is made through Cinder from each volume snapshot of the snapshot of VNFC {int} of {string} in {string}"
)]
async fn volumes_from_snapshots(
    w: &mut Conformance,
    n: usize,
    alias: String,
    snapshot: String,
) -> Outcome {
    let (_, info, _, volume_snapshots) = snapshot_of_vnfc(w, n, &alias, &snapshot).await?;
    if volume_snapshots.is_empty() {
        return Err(Failure::new(format!(
            "the snapshot of VNFC {n} in {snapshot} lists no volume snapshot: {info}"
        )));
    }
    let project = w.cloud.project_name().map(str::to_string);
    let deadline = w.operation_deadline();
    for snapshot_id in volume_snapshots {
        let observer = &w.target.observer;
        let taken_of = observer
            .volume_snapshot(project.as_deref(), &snapshot_id)
            .await?
            .and_then(|s| s["volume_id"].as_str().map(str::to_string))
            .ok_or_else(|| {
                Failure::new(format!("Cinder shows no volume of snapshot {snapshot_id}"))
            })?;
        let name = format!("conformance-from-snapshot-{}", w.data.token());
        let volume = observer
            .volume_from_snapshot(project.as_deref(), &snapshot_id, &name)
            .await?;
        w.data.volumes.push(volume.clone());
        w.target
            .observer
            .wait_volume_available(project.as_deref(), &volume, deadline)
            .await?;
        w.data.from_snapshots.push((volume, taken_of));
    }
    Ok(())
}

#[then(expr = "each of those volumes holds the marker {string} its volume held in {string}")]
async fn volumes_hold(w: &mut Conformance, label: String, alias: String) -> Outcome {
    let Access::Control(control) = w.data_access()? else {
        return Err(Failure::new(
            "reading a volume no server holds needs the control API",
        ));
    };
    let written = markers(w, &alias, &label)?;
    let mut wrong = Vec::new();
    for (volume, taken_of) in &w.data.from_snapshots {
        let expected = written
            .iter()
            .flat_map(|v| &v.disks)
            .find(|d| d.volume_id.as_deref() == Some(taken_of.as_str()))
            .ok_or_else(|| {
                Failure::new(format!(
                    "the volume snapshot was taken of volume {taken_of}, which no VNFC of {alias} used when {label:?} was written"
                ))
            })?;
        let held = control.volume_content(volume).await?;
        let marker = held.markers.get(MARKER_KEY);
        if marker != Some(&expected.marker) {
            wrong.push(format!(
                "volume {volume} made from the snapshot of {taken_of}: expected {}, it holds {}",
                expected.marker,
                marker.map_or("no marker", String::as_str)
            ));
        }
    }
    if w.data.from_snapshots.is_empty() {
        return Err(Failure::new("no volume was made from a volume snapshot"));
    }
    none_wrong(
        &wrong,
        format!("volumes made from the VNFC snapshot's volume snapshots do not hold what the volumes held when the snapshot was taken, as {BACKUP_PROMISE} says of the snapshot"),
    )
}

#[then(expr = "the image of every VNFC snapshot of {string} has the size and digests of its data")]
async fn image_digests(w: &mut Conformance, snapshot: String) -> Outcome {
    let info = w.read_snapshot(w.registry.snapshot(&snapshot)?).await?;
    let listed = SnapshotResources::of(&info);
    if listed.images.is_empty() {
        return Err(Failure::new(format!("{snapshot} lists no image: {info}")));
    }
    let project = w.cloud.project_name().map(str::to_string);
    let mut wrong = Vec::new();
    let mut unchecked = Vec::new();
    for (_, image) in &listed.images {
        let data = w
            .target
            .observer
            .image_data(project.as_deref(), image)
            .await?;
        let view = &data.view;
        let length = data.length.unwrap_or(0);
        if view["size"].as_u64() != Some(length) {
            wrong.push(format!(
                "image {image}: size {} but {length} bytes of data",
                view["size"]
            ));
        }
        let mut checked = false;
        if let Some(checksum) = view["checksum"].as_str() {
            checked = true;
            if checksum != data.md5 {
                wrong.push(format!(
                    "image {image}: checksum {checksum}, the data's MD5 is {}",
                    data.md5
                ));
            }
        }
        match (
            view["os_hash_algo"].as_str(),
            view["os_hash_value"].as_str(),
        ) {
            (Some("sha512"), Some(value)) => {
                checked = true;
                if value != data.sha512 {
                    wrong.push(format!(
                        "image {image}: os_hash_value {value}, the data's SHA-512 is {}",
                        data.sha512
                    ));
                }
            }
            (Some(algo), Some(_)) => {
                unchecked.push(format!("image {image}: os_hash_algo {algo} is not checked"))
            }
            _ => {}
        }
        if !checked {
            unchecked.push(format!("image {image}: Glance gives no digest of its data"));
        }
    }
    none_wrong(
        &wrong,
        format!("the images of {snapshot} do not carry the size and digests of their data, as {GLANCE_PROMISE}"),
    )?;
    for note in unchecked {
        w.warn(format!(
            "{note} (nothing to compare the data with; {GLANCE_PROMISE})"
        ));
    }
    Ok(())
}

/// Passes when nothing is `wrong`; else fails with `finding`, then each wrong thing on a line
/// of its own.
fn none_wrong(wrong: &[String], finding: String) -> Outcome {
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Failure::new(format!("{finding}:\n{}", wrong.join("\n"))))
}
