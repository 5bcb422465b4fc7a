//! Backup: a distinct marker on every disk of every VNFC, written before and after a snapshot,
//! and what the disks hold after a revert.

use cucumber::{given, then};

use super::{
    Access, Vnfc, WrittenDisk, WrittenVnfc, MARKER_KEY, REVERT_PROMISE, SINGLE_VNFC_PROMISE,
};
use crate::{
    failure::{Failure, Outcome},
    world::Conformance,
};

/// A label of the feature files, checked to be safe in a shell command.
fn checked_label(label: &str) -> Outcome<&str> {
    if !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(label)
    } else {
        Err(Failure::new(format!(
            "marker labels are letters and digits, not {label:?}"
        )))
    }
}

/// Writes a marker labelled `label` on every disk of `vnfc`: with the control API one per
/// device, with the data probe one for the server.
pub async fn write_markers(w: &mut Conformance, vnfc: &Vnfc, label: &str) -> Outcome<WrittenVnfc> {
    let stem = format!("cm-{label}-{}-v{}", w.data.token(), vnfc.index);
    let mut disks = Vec::new();
    match w.data_access()? {
        Access::Control(control) => {
            for disk in control.server_disks(&vnfc.server_id).await? {
                let marker = format!("{stem}-{}", disk.device.trim_start_matches("/dev/"));
                control
                    .write_server_marker(&vnfc.server_id, Some(&disk.device), MARKER_KEY, &marker)
                    .await?;
                disks.push(WrittenDisk {
                    device: disk.device,
                    volume_id: disk.volume_id,
                    marker,
                });
            }
        }
        Access::Probe(probe) => {
            let target = w.probe_target(&vnfc.server_id, &vnfc.id).await?;
            probe.write(&target, &stem).await?;
            disks.push(WrittenDisk {
                device: "probe".into(),
                volume_id: None,
                marker: stem,
            });
        }
    }
    if disks.is_empty() {
        return Err(Failure::new(format!(
            "the control API shows no disk on server {} of VNFC {}",
            vnfc.server_id, vnfc.id
        )));
    }
    Ok(WrittenVnfc {
        vnfc: vnfc.clone(),
        disks,
    })
}

#[given(expr = "a distinct marker {string} is written on every disk of every VNFC of {string}")]
async fn written(w: &mut Conformance, label: String, alias: String) -> Outcome {
    let label = checked_label(&label)?.to_string();
    let mut all = Vec::new();
    for vnfc in w.vnfcs(&alias).await? {
        all.push(write_markers(w, &vnfc, &label).await?);
    }
    w.data.written.insert((alias, label), all);
    Ok(())
}

/// The markers written on instance `alias` with `label`.
pub fn markers<'a>(w: &'a Conformance, alias: &str, label: &str) -> Outcome<&'a [WrittenVnfc]> {
    w.data
        .written
        .get(&(alias.to_string(), label.to_string()))
        .map(Vec::as_slice)
        .ok_or_else(|| Failure::new(format!("no marker {label:?} was written on {alias}")))
}

/// What each disk of a server holds under the marker key, by device (`probe`: the data
/// probe's lines, joined).
pub async fn read_markers(
    w: &Conformance,
    server_id: &str,
    vnfc_id: &str,
) -> Outcome<Vec<(String, Option<String>)>> {
    Ok(match w.data_access()? {
        Access::Control(control) => control
            .server_disks(server_id)
            .await?
            .into_iter()
            .map(|disk| (disk.device, disk.content.markers.get(MARKER_KEY).cloned()))
            .collect(),
        Access::Probe(probe) => {
            let target = w.probe_target(server_id, vnfc_id).await?;
            probe
                .read(&target)
                .await?
                .into_iter()
                .map(|line| ("probe".to_string(), Some(line)))
                .collect()
        }
    })
}

/// Compares what a server's disks hold with the markers `expected` wrote on the VNFC's disks:
/// every disk written must hold its marker, disk for disk (the data probe: every line it
/// reads). Answers the mismatches, described.
pub fn mismatches(
    expected: &WrittenVnfc,
    found: &[(String, Option<String>)],
    what: &str,
) -> Vec<String> {
    let mut wrong = Vec::new();
    if expected.disks.iter().all(|d| d.device == "probe") {
        let marker = &expected.disks[0].marker;
        if found.is_empty() || found.iter().any(|(_, m)| m.as_deref() != Some(marker)) {
            wrong.push(format!(
                "{what}: expected every line the data probe reads to be {marker}, it read {:?}",
                found
                    .iter()
                    .filter_map(|(_, m)| m.as_deref())
                    .collect::<Vec<_>>()
            ));
        }
        return wrong;
    }
    for disk in &expected.disks {
        let held = found
            .iter()
            .find(|(device, _)| *device == disk.device)
            .map(|(_, marker)| marker.clone());
        match held {
            Some(Some(marker)) if marker == disk.marker => {}
            Some(other) => wrong.push(format!(
                "{what}, disk {}: expected {}, it holds {}",
                disk.device,
                disk.marker,
                other.as_deref().unwrap_or("no marker")
            )),
            None => wrong.push(format!(
                "{what}: expected a disk {} holding {}, the server has disks {:?}",
                disk.device,
                disk.marker,
                found.iter().map(|(d, _)| d).collect::<Vec<_>>()
            )),
        }
    }
    wrong
}

/// Checks every VNFC of `alias` against the markers of the label `label_of` gives its index.
async fn check(
    w: &Conformance,
    alias: &str,
    label_of: impl Fn(usize) -> String,
    promise: &str,
) -> Outcome {
    let mut wrong = Vec::new();
    for vnfc in w.vnfcs(alias).await? {
        let label = label_of(vnfc.index);
        let expected = markers(w, alias, &label)?
            .iter()
            .find(|v| v.vnfc.id == vnfc.id)
            .ok_or_else(|| Failure::new(format!("no {label:?} marker on VNFC {}", vnfc.id)))?;
        let found = read_markers(w, &vnfc.server_id, &vnfc.id).await?;
        let what = format!(
            "VNFC {} ({}, server {}), expected its {label:?} data",
            vnfc.index, vnfc.id, vnfc.server_id
        );
        wrong.extend(mismatches(expected, &found, &what));
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Failure::new(format!(
        "the VNFCs of {alias} do not hold the data they held when the snapshot was taken, as {promise} says:\n{}\n(markers read cm-<label>-<scenario>-v<VNFC>-<disk>: one of another VNFC, disk or label names what was restored instead)",
        wrong.join("\n")
    )))
}

#[then(expr = "every disk of every VNFC of {string} holds its marker {string}")]
async fn every_disk_holds(w: &mut Conformance, alias: String, label: String) -> Outcome {
    check(w, &alias, |_| label.clone(), REVERT_PROMISE).await
}

#[then(
    expr = "VNFC {int} of {string} holds its marker {string} and every other VNFC its marker {string}"
)]
async fn one_vnfc_holds(
    w: &mut Conformance,
    n: usize,
    alias: String,
    reverted: String,
    kept: String,
) -> Outcome {
    check(
        w,
        &alias,
        |index| {
            if index == n {
                reverted.clone()
            } else {
                kept.clone()
            }
        },
        SINGLE_VNFC_PROMISE,
    )
    .await
}
