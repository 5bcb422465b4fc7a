//! Nova (compute v2.1) calls: flavors, servers, `createImage`.

use reqwest::Method;
use serde_json::{json, Value};

use super::errors::Service;
use super::session::{Reply, Session};
use super::wait::{self, Poll};
use super::{VimError, VimErrorKind};

/// The compute service of a session.
pub(crate) struct Nova<'a>(pub(crate) &'a Session);

/// A server's status and, when in ERROR, the fault message Nova gives.
pub(crate) struct ServerState {
    pub(crate) status: String,
    pub(crate) fault: Option<String>,
}

impl Nova<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, VimError> {
        self.0.call(Service::Nova, method, path, &[], body).await
    }

    /// The id of the flavor named `name` (an id given as name is accepted too).
    pub(crate) async fn flavor_id(&self, name: &str) -> Result<String, VimError> {
        let reply = self
            .call(Method::GET, "/flavors/detail", None)
            .await?
            .success()?;
        let flavors = reply.list("flavors")?;
        let by = |key: &str| {
            flavors
                .iter()
                .find(|f| f.get(key).and_then(Value::as_str) == Some(name))
                .and_then(|f| f.get("id").and_then(Value::as_str))
        };
        by("name")
            .or_else(|| by("id"))
            .map(str::to_string)
            .ok_or_else(|| {
                VimError::new(
                    VimErrorKind::Rejected,
                    format!("Nova has no flavor named {name}"),
                )
            })
    }

    /// `POST /servers` on the given ports (without networks when there are none), booting
    /// from `image_id` when given, else from the block device mapping's `boot_index: 0`
    /// volume. Returns the server id.
    pub(crate) async fn create_server(
        &self,
        name: &str,
        flavor_id: &str,
        image_id: Option<&str>,
        block_devices: Vec<Value>,
        port_ids: &[String],
    ) -> Result<String, VimError> {
        let networks = if port_ids.is_empty() {
            json!("none")
        } else {
            port_ids.iter().map(|id| json!({ "port": id })).collect()
        };
        let mut server = json!({
            "name": name,
            "flavorRef": flavor_id,
            "imageRef": image_id.unwrap_or(""),
            "networks": networks,
        });
        if !block_devices.is_empty() {
            server["block_device_mapping_v2"] = Value::Array(block_devices);
        }
        self.call(Method::POST, "/servers", Some(&json!({ "server": server })))
            .await?
            .success()?
            .text_at("/server/id", "no server id")
    }

    /// The server's status, or `None` when Nova no longer knows it.
    pub(crate) async fn server_state(&self, id: &str) -> Result<Option<ServerState>, VimError> {
        let view = self
            .0
            .view(Service::Nova, &format!("/servers/{id}"))
            .await?;
        Ok(view.map(|json| {
            let server = json.get("server").unwrap_or(&Value::Null);
            let status = server
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_string();
            let fault = server
                .pointer("/fault/message")
                .and_then(Value::as_str)
                .map(str::to_string);
            ServerState { status, fault }
        }))
    }

    /// Waits until the server is ACTIVE (ERROR is a failure carrying Nova's fault message).
    pub(crate) async fn wait_active(&self, id: &str) -> Result<(), VimError> {
        wait::until(
            &self.0.timing,
            &format!("Nova server {id} to be ACTIVE"),
            || async {
                match self.server_state(id).await? {
                    Some(s) if s.status == "ACTIVE" => Ok(Poll::Ready(())),
                    Some(s) if s.status == "ERROR" => Err(VimError::new(
                        VimErrorKind::ResourceFailed,
                        format!(
                            "Nova server {id} went to ERROR: {}",
                            s.fault.as_deref().unwrap_or("no fault message")
                        ),
                    )),
                    Some(s) => Ok(Poll::Pending(s.status)),
                    None => Err(VimError::new(
                        VimErrorKind::ResourceFailed,
                        format!("Nova server {id} disappeared while booting"),
                    )),
                }
            },
        )
        .await
    }

    /// `DELETE /servers/{id}` (an unknown server counts as deleted).
    pub(crate) async fn delete_server(&self, id: &str) -> Result<(), VimError> {
        self.call(Method::DELETE, &format!("/servers/{id}"), None)
            .await?
            .found()
            .map(|_| ())
    }

    /// Waits until `GET /servers/{id}` answers 404 (or the server shows as DELETED).
    pub(crate) async fn wait_gone(&self, id: &str) -> Result<(), VimError> {
        wait::until(
            &self.0.timing,
            &format!("Nova server {id} to be deleted"),
            || async {
                Ok(match self.server_state(id).await? {
                    None => Poll::Ready(()),
                    Some(s) if s.status == "DELETED" => Poll::Ready(()),
                    Some(s) => Poll::Pending(s.status),
                })
            },
        )
        .await
    }

    /// Deletes the server and waits until it is gone.
    pub(crate) async fn delete_server_and_wait(&self, id: &str) -> Result<(), VimError> {
        self.delete_server(id).await?;
        self.wait_gone(id).await
    }

    /// `createImage` of the server; returns the new image id (from the `image_id` body of
    /// microversion 2.45+, or the `Location` header of older ones).
    pub(crate) async fn create_image(
        &self,
        server_id: &str,
        name: &str,
    ) -> Result<String, VimError> {
        let reply = self
            .call(
                Method::POST,
                &format!("/servers/{server_id}/action"),
                Some(&json!({"createImage": {"name": name}})),
            )
            .await?
            .success()?;
        if let Ok(json) = reply.json() {
            if let Some(id) = json.get("image_id").and_then(Value::as_str) {
                return Ok(id.to_string());
            }
        }
        reply
            .header("location")
            .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                reply
                    .call
                    .bad_answer("neither an image_id nor a Location header")
            })
    }
}
