//! What the data scenarios do on the cloud as a user would, through Nova, Cinder and Glance:
//! look at servers (their status, addresses, networks), boot a server from an image, make a
//! volume from a volume snapshot, and hash an image's data as it downloads.

use std::time::Duration;

use md5::{Digest, Md5};
use serde_json::{json, Value};
use sha2::Sha512;

use super::Observer;
use crate::failure::{Failure, Outcome};

/// What Glance says of an image's data, and what its download hashed to.
#[derive(Clone, Debug)]
pub struct ImageData {
    /// The image view (`size`, `checksum`, `os_hash_algo`, `os_hash_value`).
    pub view: Value,
    /// Bytes downloaded (`None`: Glance answered 204, no data).
    pub length: Option<u64>,
    pub md5: String,
    pub sha512: String,
}

/// Statuses a server never leaves by itself.
const SERVER_FAILED: [&str; 2] = ["ERROR", "DELETED"];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one look at a resource being waited for finds.
enum Seen {
    Ready,
    Waiting,
    Failed,
}

/// Reads a resource with `read` and judges each view with `judge` until it is ready, pausing
/// 5 ms, then twice as long each time up to 500 ms. A failed resource, or one still waited
/// for after `deadline`, fails saying it `did_not` (e.g. "server s did not become ACTIVE") with
/// the last view.
async fn wait_ready(
    deadline: Duration,
    did_not: String,
    mut read: impl AsyncFnMut() -> Outcome<Value>,
    judge: impl Fn(&Value) -> Seen,
) -> Outcome {
    let until = tokio::time::Instant::now() + deadline;
    let mut pause = Duration::from_millis(5);
    loop {
        let view = read().await?;
        match judge(&view) {
            Seen::Ready => return Ok(()),
            Seen::Waiting if tokio::time::Instant::now() < until => {}
            Seen::Waiting | Seen::Failed => {
                return Err(Failure::new(format!(
                    "{did_not} within {deadline:?}: {view}"
                )))
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

impl Observer {
    /// Every server of the project, in detail.
    pub async fn servers(&self, project: Option<&str>) -> Outcome<Vec<Value>> {
        let locate = |s: &super::observer::Session| format!("{}/servers/detail", s.compute);
        let body = self.fetch(project, locate, &[]).await?.unwrap_or_default();
        Ok(body["servers"].as_array().cloned().unwrap_or_default())
    }

    /// The networks a server's interfaces are on, in order.
    pub async fn server_networks(&self, project: Option<&str>, id: &str) -> Outcome<Vec<String>> {
        let locate =
            |s: &super::observer::Session| format!("{}/servers/{id}/os-interface", s.compute);
        let body = self.fetch(project, locate, &[]).await?.unwrap_or_default();
        Ok(body["interfaceAttachments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["net_id"].as_str().map(str::to_string))
            .collect())
    }

    /// Boots a server with the `server` body of `POST /servers`; returns its id.
    pub async fn create_server(&self, project: Option<&str>, server: Value) -> Outcome<String> {
        let locate = |s: &super::observer::Session| format!("{}/servers", s.compute);
        let (url, status, body) = self
            .post(project, locate, &json!({ "server": server }))
            .await?;
        body["server"]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| {
                Failure::new(format!(
                    "cloud POST {url} {server} answered {status}: {body}"
                ))
            })
    }

    /// Waits until a server is ACTIVE without a task, at most `deadline`.
    pub async fn wait_server_active(
        &self,
        project: Option<&str>,
        id: &str,
        deadline: Duration,
    ) -> Outcome {
        let read = async || Ok(self.server(project, id).await?.unwrap_or_default());
        let judge = |shown: &Value| {
            let status = shown["status"].as_str().unwrap_or_default();
            if status == "ACTIVE" && shown["OS-EXT-STS:task_state"].is_null() {
                Seen::Ready
            } else if SERVER_FAILED.contains(&status) {
                Seen::Failed
            } else {
                Seen::Waiting
            }
        };
        let did_not = format!("server {id} did not become ACTIVE");
        wait_ready(deadline, did_not, read, judge).await
    }

    /// Creates a Cinder volume from a volume snapshot; returns its id.
    pub async fn volume_from_snapshot(
        &self,
        project: Option<&str>,
        snapshot_id: &str,
        name: &str,
    ) -> Outcome<String> {
        self.post_volume(project, json!({"name": name, "snapshot_id": snapshot_id}))
            .await
    }

    /// Waits until a volume is `available`, at most `deadline`.
    pub async fn wait_volume_available(
        &self,
        project: Option<&str>,
        id: &str,
        deadline: Duration,
    ) -> Outcome {
        let read = async || Ok(self.volume(project, id).await?.unwrap_or_default());
        let judge = |volume: &Value| match volume["status"].as_str() {
            Some("available") => Seen::Ready,
            Some("creating" | "downloading") => Seen::Waiting,
            _ => Seen::Failed,
        };
        let did_not = format!("volume {id} did not become available");
        wait_ready(deadline, did_not, read, judge).await
    }

    /// Downloads an image's data (`GET /v2/images/{id}/file`), hashing it as it comes.
    pub async fn image_data(&self, project: Option<&str>, id: &str) -> Outcome<ImageData> {
        let view = self
            .image(project, id)
            .await?
            .ok_or_else(|| Failure::new(format!("Glance has no image {id}")))?;
        let s = self.session(project).await?;
        let url = format!("{}/v2/images/{id}/file", s.image);
        let mut response = self
            .http
            .get(&url)
            .header("X-Auth-Token", &s.token)
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            return Err(Failure::new(format!(
                "cloud GET {url} answered {status}: {text}"
            )));
        }
        let (mut md5, mut sha512, mut length) = (Md5::new(), Sha512::new(), 0u64);
        while let Some(chunk) = response.chunk().await? {
            md5.update(&chunk);
            sha512.update(&chunk);
            length += chunk.len() as u64;
        }
        Ok(ImageData {
            view,
            length: (status != reqwest::StatusCode::NO_CONTENT).then_some(length),
            md5: hex(&md5.finalize()),
            sha512: hex(&sha512.finalize()),
        })
    }
}
