//! Snapshots keep the data: markers written on every disk of every VNFC, checked after a revert
//! and on servers and volumes made from a snapshot; the consistency of a VNF snapshot under a
//! live workload; and what an operation costs the running service.
//!
//! The suite reaches the disks through the simulated cloud's control API (every disk, by its
//! device) or, on a real cloud, through the target file's `[data_probe]` (one reading per
//! server, as the vendor's commands see it). A scenario tagged `@data` needs one of the two,
//! `@data-control` the control API; elsewhere they are NOT APPLICABLE.

mod backup;
mod consistency;
pub mod outage;
mod service_impact;
mod templating;

use std::collections::BTreeMap;

use futures::future::join_all;
use serde_json::Value;
use simulator::kit::SimControl;

use super::instances::resource_ids;
use crate::{
    cleanup_log::{CleanUpLog, FailedRequest},
    failure::{Failure, Outcome},
    target::{
        data_probe::{DataProbe, ProbeTarget},
        Target,
    },
    world::Conformance,
};

/// The key every marker is written under on the simulated cloud's disks.
pub const MARKER_KEY: &str = "conformance";

/// The documentation's purpose of a snapshot as a backup, the promise the data checks hold.
pub const BACKUP_PROMISE: &str = "the documentation: \"As a backup mechanism: Save the main disk of the instance to an image and later boot a new instance from this image with saved data.\"";

/// The documentation's revert, the promise the revert checks hold.
pub const REVERT_PROMISE: &str = "the documentation, \"Reverting to VNF Snapshot\": \"Users can perform a revert to VNF snapshot lifecycle management operation to return to a previous version of the VNF.\" (SOL003 §5.4.22: revert a VNF instance to a VNF snapshot)";

/// The documentation's single-VNFC revert.
pub const SINGLE_VNFC_PROMISE: &str = "the documentation, \"Reverting to VNF Snapshot\": \"The following sample payload, restricts the revert to a single VNFC\" (SOL002 RevertToVnfSnapshotRequest.vnfcInstanceId)";

/// Why a scenario of the data feature is not applicable to a target, if it is not.
pub fn not_applicable(
    tags: &[String],
    has_control: bool,
    target: Option<&Target>,
) -> Option<String> {
    let has_probe = target.is_some_and(|t| t.data_probe.is_some());
    if tags.iter().any(|t| t == "data-control") && !has_control {
        return Some(
            "needs the simulated cloud's control API (control_url of the target file): it reads disks no server holds or runs the live workload"
                .into(),
        );
    }
    if tags.iter().any(|t| t == "data") && !has_control && !has_probe {
        return Some(
            "needs the simulated cloud's control API (control_url) or a [data_probe] in the target file to write and read markers on the VNFCs"
                .into(),
        );
    }
    None
}

/// A VNFC and the server it runs on now.
#[derive(Clone, Debug)]
pub struct Vnfc {
    /// 1-based, in the order of `vnfcInfo`.
    pub index: usize,
    pub id: String,
    pub server_id: String,
}

/// A marker written on one disk.
#[derive(Clone, Debug)]
pub struct WrittenDisk {
    /// The device (`/dev/vdb`), or `probe` for the data probe's one reading per server.
    pub device: String,
    /// The volume it is on, when the control API tells.
    pub volume_id: Option<String>,
    pub marker: String,
}

/// The markers written on one VNFC.
#[derive(Clone, Debug)]
pub struct WrittenVnfc {
    pub vnfc: Vnfc,
    pub disks: Vec<WrittenDisk>,
}

/// The data scenarios' part of the World.
#[derive(Debug, Default)]
pub struct DataWorld {
    /// Makes the scenario's markers its own.
    token: String,
    /// (instance alias, label) -> the markers written then, per VNFC.
    pub written: BTreeMap<(String, String), Vec<WrittenVnfc>>,
    /// Servers the scenario booted itself, to delete after it.
    pub servers: Vec<String>,
    /// Volumes the scenario made, or Nova made for its servers, to delete after it.
    pub volumes: Vec<String>,
    /// The server booted last from a snapshot's image.
    pub template: Option<String>,
    /// Volumes made from volume snapshots: (new volume, the volume the snapshot was taken of).
    pub from_snapshots: Vec<(String, String)>,
    /// Servers whose live workload the scenario switched on.
    pub workloads: Vec<String>,
    /// The watch of the service under way.
    pub watch: Option<service_impact::Watch>,
}

impl DataWorld {
    /// A word unique to the scenario, in its markers and the names of what it makes.
    pub fn token(&mut self) -> &str {
        if self.token.is_empty() {
            self.token = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
        }
        &self.token
    }
}

/// How the suite reaches the disks of the target's cloud.
pub enum Access<'a> {
    Control(&'a SimControl),
    Probe(&'a DataProbe),
}

impl Conformance {
    /// The control API when the target has it, else the data probe.
    pub fn data_access(&self) -> Outcome<Access<'static>> {
        let target: &'static Target = self.target;
        match (&target.control, &target.data_probe) {
            (Some(control), _) => Ok(Access::Control(control)),
            (None, Some(probe)) => Ok(Access::Probe(probe)),
            (None, None) => Err(Failure::new(
                "the target has neither the control API nor a [data_probe]",
            )),
        }
    }

    /// The VNFCs of instance `alias` and their servers now, in the order of `vnfcInfo`.
    pub async fn vnfcs(&self, alias: &str) -> Outcome<Vec<Vnfc>> {
        let instance = self.read_instance(alias).await?;
        let info = &instance["instantiatedVnfInfo"];
        let list = |name: &str| info[name].as_array().cloned().unwrap_or_default();
        let servers = resource_ids(&instance, "vnfcResourceInfo", "/computeResource/resourceId");
        let vnfcs: Vec<Vnfc> = list("vnfcInfo")
            .iter()
            .filter_map(|v| {
                let id = v["id"].as_str()?;
                let resource = v["vnfcResourceInfoId"].as_str().unwrap_or(id);
                Some((id.to_string(), servers.get(resource)?.clone()))
            })
            .enumerate()
            .map(|(i, (id, server_id))| Vnfc {
                index: i + 1,
                id,
                server_id,
            })
            .collect();
        if vnfcs.is_empty() {
            return Err(Failure::new(format!(
                "{alias} shows no VNFC with a server (vnfcInfo, vnfcResourceInfo): {instance}"
            )));
        }
        Ok(vnfcs)
    }

    /// What the data probe needs to reach a server: its id and addresses (from Nova).
    pub async fn probe_target(&self, server_id: &str, vnfc_id: &str) -> Outcome<ProbeTarget> {
        let project = self.cloud.project_name();
        let server = self
            .target
            .observer
            .server(project, server_id)
            .await?
            .ok_or_else(|| Failure::new(format!("Nova has no server {server_id}")))?;
        Ok(ProbeTarget {
            server_id: server_id.to_string(),
            vnfc_id: vnfc_id.to_string(),
            ips: addresses(&server),
        })
    }

    /// Deletes the servers and volumes the data steps made (before the leak check and the
    /// deletion of the snapshots they were made from), noting each in the clean-up log.
    pub async fn remove_data_resources(&mut self, log: &mut CleanUpLog) {
        let project = self.cloud.project_name().map(str::to_string);
        let observer = &self.target.observer;
        let deadline = self.operation_deadline();
        let servers = std::mem::take(&mut self.data.servers);
        let deletions = servers
            .iter()
            .map(|id| observer.delete_server(project.as_deref(), id, deadline));
        note_deletions(
            log,
            "server",
            "server (booted by a data scenario)",
            |id| format!("(Nova) /servers/{id}"),
            servers.iter().zip(join_all(deletions).await),
        );
        let volumes = std::mem::take(&mut self.data.volumes);
        let deletions = volumes
            .iter()
            .map(|id| observer.delete_volume(project.as_deref(), id));
        note_deletions(
            log,
            "volume",
            "volume (made by a data scenario)",
            |id| format!("(Cinder) /volumes/{id}"),
            volumes.iter().zip(join_all(deletions).await),
        );
    }
}

/// Notes in the clean-up log how the DELETE of each resource went: removed, listed as
/// `removed_as`, or a failed request about the `kind` at `path(id)`.
fn note_deletions<'a>(
    log: &mut CleanUpLog,
    kind: &str,
    removed_as: &str,
    path: impl Fn(&str) -> String,
    outcomes: impl Iterator<Item = (&'a String, Outcome)>,
) {
    for (id, outcome) in outcomes {
        match outcome {
            Ok(()) => log.removed(removed_as, id),
            Err(e) => log.failed.push(FailedRequest::failed(
                format!("{kind} {id}"),
                "DELETE",
                path(id),
                None,
                e,
            )),
        }
    }
}

/// The fixed IP addresses of a Nova server, network by network.
fn addresses(server: &Value) -> Vec<String> {
    server["addresses"]
        .as_object()
        .into_iter()
        .flat_map(|networks| networks.values())
        .flat_map(|list| list.as_array().cloned().unwrap_or_default())
        .filter(|address| address["OS-EXT-IPS:type"] != "floating")
        .filter_map(|address| address["addr"].as_str().map(str::to_string))
        .collect()
}

/// The VNFC snapshot of VNFC `vnfc_id` in the VNF snapshot `info`: its id, image and volume
/// snapshots.
pub fn vnfc_snapshot(info: &Value, vnfc_id: &str) -> Outcome<(String, String, Vec<String>)> {
    let entry = info["vnfSnapshot"]["vnfcSnapshots"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["vnfcInstanceId"] == vnfc_id)
        .ok_or_else(|| Failure::new(format!("no VNFC snapshot of {vnfc_id} in {info}")))?;
    let id = entry["id"].as_str().unwrap_or_default().to_string();
    let image = entry["computeSnapshotResource"]["resourceId"]
        .as_str()
        .ok_or_else(|| Failure::new(format!("VNFC snapshot {id} names no image: {entry}")))?
        .to_string();
    let volume_snapshots = entry["storageSnapshotResources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["storageSnapshotResource"]["resourceId"].as_str())
        .map(str::to_string)
        .collect();
    Ok((id, image, volume_snapshots))
}
