//! The control API's disk contents, live workloads and server histories, typed
//! ([`SimControl`]'s methods for `/_sim/servers/{id}/…`, `/_sim/volumes/{id}/…`,
//! `/_sim/snapshots/{id}/content` and `/_sim/images/{id}/content`).

use reqwest::Method;
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{json, Value};

use super::{CallError, SimControl};
use crate::openstack::model::{DiskContent, ServerDisk, ServerHistory, Workload};

/// A server's status history as the cloud answered it, with the cloud time of the answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ServerTimeline {
    #[serde(flatten)]
    pub history: ServerHistory,
    /// Cloud time of the answer: a server not gone was in its last state until then.
    pub now_ms: u64,
}

fn typed<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, CallError> {
    serde_json::from_value(value.clone())
        .map_err(|e| CallError::new(format!("{what}: unexpected answer {value}: {e}")))
}

impl SimControl {
    /// Every disk of a server with what it holds now, the boot disk first.
    pub async fn server_disks(&self, server_id: &str) -> Result<Vec<ServerDisk>, CallError> {
        let path = format!("/servers/{server_id}/disks");
        let body = self.call(Method::GET, &path, None).await?;
        typed(&path, body["disks"].clone())
    }

    /// Writes `key` = `value` on one disk of a server (`device` such as `/dev/vdb`, or its
    /// boot disk when `None`); returns that disk.
    pub async fn write_server_marker(
        &self,
        server_id: &str,
        device: Option<&str>,
        key: &str,
        value: &str,
    ) -> Result<ServerDisk, CallError> {
        let path = format!("/servers/{server_id}/markers");
        let mut body = json!({"key": key, "value": value});
        if let Some(device) = device {
            body["device"] = json!(device);
        }
        let written = self.call(Method::POST, &path, Some(body)).await?;
        typed(&path, written)
    }

    /// What a volume holds now.
    pub async fn volume_content(&self, volume_id: &str) -> Result<DiskContent, CallError> {
        let path = format!("/volumes/{volume_id}/content");
        typed(&path, self.call(Method::GET, &path, None).await?)
    }

    /// Writes `key` = `value` on a volume; returns what it holds then.
    pub async fn write_volume_marker(
        &self,
        volume_id: &str,
        key: &str,
        value: &str,
    ) -> Result<DiskContent, CallError> {
        let path = format!("/volumes/{volume_id}/markers");
        let body = json!({"key": key, "value": value});
        typed(&path, self.call(Method::POST, &path, Some(body)).await?)
    }

    /// What a volume snapshot holds.
    pub async fn snapshot_content(&self, snapshot_id: &str) -> Result<DiskContent, CallError> {
        let path = format!("/snapshots/{snapshot_id}/content");
        typed(&path, self.call(Method::GET, &path, None).await?)
    }

    /// What an image holds as a disk (`None`: uploaded bytes, or a volume-backed server's
    /// snapshot whose disks are its volume snapshots).
    pub async fn image_content(&self, image_id: &str) -> Result<Option<DiskContent>, CallError> {
        let path = format!("/images/{image_id}/content");
        let body = self.call(Method::GET, &path, None).await?;
        typed(&path, body["content"].clone())
    }

    /// A server's live workload.
    pub async fn workload(&self, server_id: &str) -> Result<Workload, CallError> {
        let path = format!("/servers/{server_id}/workload");
        typed(&path, self.call(Method::GET, &path, None).await?)
    }

    /// Switches a server's live workload on or off.
    pub async fn set_workload(
        &self,
        server_id: &str,
        running: bool,
    ) -> Result<Workload, CallError> {
        let path = format!("/servers/{server_id}/workload");
        let body = json!({ "running": running });
        typed(&path, self.call(Method::PUT, &path, Some(body)).await?)
    }

    /// A server's status history (also of a server that is gone).
    pub async fn server_history(&self, server_id: &str) -> Result<ServerTimeline, CallError> {
        let path = format!("/servers/{server_id}/history");
        typed(&path, self.call(Method::GET, &path, None).await?)
    }

    /// The cloud time now, in milliseconds since the cloud started.
    pub async fn now_ms(&self) -> Result<u64, CallError> {
        let body = self.call(Method::GET, "/clock", None).await?;
        body["now_ms"]
            .as_u64()
            .ok_or_else(|| CallError::new(format!("GET /_sim/clock: no now_ms in {body}")))
    }
}
