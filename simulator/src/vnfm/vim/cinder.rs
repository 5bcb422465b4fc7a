//! Cinder (block storage v3) calls: volumes and volume snapshots.

use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::errors::Service;
use super::session::{Reply, Session};
use super::wait::{self, Poll};
use super::{VimError, VimErrorKind};

/// The block storage service of a session.
pub(crate) struct Cinder<'a>(pub(crate) &'a Session);

/// Where a new volume's content comes from.
pub(crate) enum VolumeSource<'a> {
    /// An empty volume.
    Blank,
    /// A bootable volume holding a Glance image.
    Image(&'a str),
    /// A copy of a volume snapshot.
    Snapshot(&'a str),
}

/// What Cinder says about a volume snapshot.
pub(crate) struct SnapshotState {
    pub(crate) status: String,
    pub(crate) volume_id: Option<String>,
    pub(crate) size: Option<u64>,
}

/// Volume statuses in which Cinder refuses a deletion but that end by themselves (creation,
/// image download, attachment being made or undone after the server went away).
const BUSY_STATUSES: &[&str] = &[
    "creating",
    "downloading",
    "in-use",
    "attaching",
    "detaching",
    "reserved",
];

/// Snapshot statuses that end by themselves and in which Cinder refuses a deletion.
const SNAPSHOT_BUSY_STATUSES: &[&str] = &["creating", "updating", "backing-up", "restoring"];

impl Cinder<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Reply, VimError> {
        self.0
            .call(Service::Cinder, method, path, query, body)
            .await
    }

    /// `POST /volumes` (the size may be left to Cinder for a copy of a snapshot); returns the
    /// new volume id.
    pub(crate) async fn create_volume(
        &self,
        name: &str,
        size_gb: Option<u64>,
        source: VolumeSource<'_>,
    ) -> Result<String, VimError> {
        let mut volume = Map::new();
        volume.insert("name".into(), json!(name));
        if let Some(size_gb) = size_gb {
            volume.insert("size".into(), json!(size_gb));
        }
        match source {
            VolumeSource::Blank => {}
            VolumeSource::Image(image_id) => {
                volume.insert("imageRef".into(), json!(image_id));
            }
            VolumeSource::Snapshot(snapshot_id) => {
                volume.insert("snapshot_id".into(), json!(snapshot_id));
            }
        }
        let body = json!({ "volume": volume });
        let reply = self
            .call(Method::POST, "/volumes", &[], Some(&body))
            .await?
            .success()?;
        reply.text_at("/volume/id", "no /volume/id")
    }

    /// The volume's status, or `None` when Cinder does not know it.
    pub(crate) async fn volume_status(&self, id: &str) -> Result<Option<String>, VimError> {
        let view = self
            .0
            .view(Service::Cinder, &format!("/volumes/{id}"))
            .await?;
        Ok(view.map(|json| {
            json.pointer("/volume/status")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_string()
        }))
    }

    /// Waits until the volume has status `wanted` (`error*` statuses are failures).
    pub(crate) async fn wait_volume(&self, id: &str, wanted: &str) -> Result<(), VimError> {
        let what = format!("Cinder volume {id} to be {wanted}");
        wait::until(&self.0.timing, &what, || async {
            match self.volume_status(id).await? {
                Some(status) if status == wanted => Ok(Poll::Ready(())),
                Some(status) if status.starts_with("error") => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder volume {id} went to status {status}"),
                )),
                Some(status) => Ok(Poll::Pending(status)),
                None => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder volume {id} does not exist"),
                )),
            }
        })
        .await
    }

    /// Deletes a volume once it is settled (created, detached) and waits until it is gone. Returns the
    /// cloud's reason when Cinder refuses the deletion (400, e.g. the volume has snapshots).
    pub(crate) async fn delete_volume(&self, id: &str) -> Result<Option<String>, VimError> {
        let what = format!("Cinder volume {id} to be settled before deletion");
        let exists = wait::until(&self.0.timing, &what, || async {
            Ok(match self.volume_status(id).await? {
                None => Poll::Ready(false),
                Some(s) if BUSY_STATUSES.contains(&s.as_str()) => Poll::Pending(s),
                Some(_) => Poll::Ready(true),
            })
        })
        .await?;
        if !exists {
            return Ok(None);
        }
        self.delete_settled_volume(id).await
    }

    /// Deletes a volume only if it is settled now, without waiting for it to settle: a volume
    /// still busy (e.g. `creating`, which a stuck cloud may never leave) is left, and the
    /// answer says so, as it does when Cinder refuses the deletion.
    pub(crate) async fn delete_volume_if_settled(
        &self,
        id: &str,
    ) -> Result<Option<String>, VimError> {
        match self.volume_status(id).await? {
            None => Ok(None),
            Some(status) if BUSY_STATUSES.contains(&status.as_str()) => {
                Ok(Some(format!("Cinder volume {id} is still {status}")))
            }
            Some(_) => self.delete_settled_volume(id).await,
        }
    }

    /// Deletes a settled volume and waits until it is gone (the cloud's reason when it refuses).
    async fn delete_settled_volume(&self, id: &str) -> Result<Option<String>, VimError> {
        let reply = self
            .call(Method::DELETE, &format!("/volumes/{id}"), &[], None)
            .await?;
        match reply.status {
            StatusCode::NOT_FOUND => return Ok(None),
            StatusCode::BAD_REQUEST => return Ok(Some(reply.message())),
            _ => {
                reply.success()?;
            }
        }
        let what = format!("Cinder volume {id} to be deleted");
        wait::until(&self.0.timing, &what, || async {
            match self.volume_status(id).await? {
                None => Ok(Poll::Ready(None)),
                Some(s) if s == "error_deleting" => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder volume {id} went to status error_deleting"),
                )),
                Some(s) => Ok(Poll::Pending(s)),
            }
        })
        .await
    }

    /// `POST /snapshots` with `force: true` (the volume may be in use); returns the id.
    pub(crate) async fn create_snapshot(
        &self,
        volume_id: &str,
        name: &str,
    ) -> Result<String, VimError> {
        let body = json!({"snapshot": {"volume_id": volume_id, "name": name, "force": true}});
        let reply = self
            .call(Method::POST, "/snapshots", &[], Some(&body))
            .await?
            .success()?;
        reply.text_at("/snapshot/id", "no /snapshot/id")
    }

    /// The snapshot's status, volume and size, or `None` when Cinder does not know it.
    pub(crate) async fn snapshot_state(&self, id: &str) -> Result<Option<SnapshotState>, VimError> {
        let view = self
            .0
            .view(Service::Cinder, &format!("/snapshots/{id}"))
            .await?;
        Ok(view.map(|json| {
            let snapshot = json.get("snapshot").unwrap_or(&Value::Null);
            SnapshotState {
                status: snapshot
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
                    .to_string(),
                volume_id: snapshot
                    .get("volume_id")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                size: snapshot.get("size").and_then(Value::as_u64),
            }
        }))
    }

    /// Waits until the snapshot is `available` (`error` is a failure) and returns its state.
    pub(crate) async fn wait_snapshot_available(
        &self,
        id: &str,
    ) -> Result<SnapshotState, VimError> {
        let what = format!("Cinder snapshot {id} to be available");
        wait::until(&self.0.timing, &what, || async {
            match self.snapshot_state(id).await? {
                Some(s) if s.status == "available" => Ok(Poll::Ready(s)),
                Some(s) if s.status.starts_with("error") => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder snapshot {id} went to status {}", s.status),
                )),
                Some(s) => Ok(Poll::Pending(s.status)),
                None => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder snapshot {id} does not exist"),
                )),
            }
        })
        .await
    }

    /// Deletes the snapshot and waits until it is gone. A snapshot still being made is waited
    /// for first (Cinder only deletes `available` or `error` ones); one already unknown or
    /// being deleted is not deleted again.
    pub(crate) async fn delete_snapshot(&self, id: &str) -> Result<(), VimError> {
        let what = format!("Cinder snapshot {id} to be settled before deletion");
        let status = wait::until(&self.0.timing, &what, || async {
            Ok(match self.snapshot_state(id).await? {
                None => Poll::Ready(None),
                Some(s) if SNAPSHOT_BUSY_STATUSES.contains(&s.status.as_str()) => {
                    Poll::Pending(s.status)
                }
                Some(s) => Poll::Ready(Some(s.status)),
            })
        })
        .await?;
        match status.as_deref() {
            None => return Ok(()),
            Some("deleting") => {}
            Some(_) => {
                let reply = self
                    .call(Method::DELETE, &format!("/snapshots/{id}"), &[], None)
                    .await?;
                if reply.found()?.is_none() {
                    return Ok(());
                }
            }
        }
        let what = format!("Cinder snapshot {id} to be deleted");
        wait::until(&self.0.timing, &what, || async {
            match self.snapshot_state(id).await? {
                None => Ok(Poll::Ready(())),
                Some(s) if s.status == "error_deleting" => Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Cinder snapshot {id} went to status error_deleting"),
                )),
                Some(s) => Ok(Poll::Pending(s.status)),
            }
        })
        .await
    }

    /// The detached volumes named exactly `name`, by id.
    pub(crate) async fn detached_volumes_named(&self, name: &str) -> Result<Vec<String>, VimError> {
        let reply = self
            .call(Method::GET, "/volumes/detail", &[("name", name)], None)
            .await?
            .success()?;
        let list = reply.list("volumes")?;
        Ok(list
            .iter()
            .filter(|v| v.get("name").and_then(Value::as_str) == Some(name))
            .filter(|v| {
                v.get("attachments")
                    .and_then(Value::as_array)
                    .is_none_or(|a| a.is_empty())
            })
            .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .collect())
    }

    /// The ids of the snapshots named exactly `name`.
    pub(crate) async fn snapshots_named(&self, name: &str) -> Result<Vec<String>, VimError> {
        let reply = self
            .call(Method::GET, "/snapshots/detail", &[("name", name)], None)
            .await?
            .success()?;
        let list = reply.list("snapshots")?;
        Ok(list
            .iter()
            .filter(|s| s.get("name").and_then(Value::as_str) == Some(name))
            .filter_map(|s| s.get("id").and_then(Value::as_str).map(str::to_string))
            .collect())
    }
}
