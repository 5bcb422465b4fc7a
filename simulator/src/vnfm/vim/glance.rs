//! Glance (image v2) calls: find images by name, wait for an image, delete images, and read
//! the volume snapshots Nova lists in a volume-backed server's image.

use reqwest::Method;
use serde_json::Value;

use super::errors::Service;
use super::session::{Reply, Session};
use super::wait::{self, Poll};
use super::{VimError, VimErrorKind};

/// The image service of a session.
pub(crate) struct Glance<'a>(pub(crate) &'a Session);

/// Image statuses that mean the image will never become active.
const FAILED_STATUSES: &[&str] = &["killed", "deleted", "error", "pending_delete"];

impl Glance<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Reply, VimError> {
        self.0
            .call(Service::Glance, method, path, query, None)
            .await
    }

    /// The images named exactly `name`, as `(id, status)`.
    pub(crate) async fn images_named(&self, name: &str) -> Result<Vec<(String, String)>, VimError> {
        let reply = self
            .call(Method::GET, "/v2/images", &[("name", name)])
            .await?
            .success()?;
        let list = reply.list("images")?;
        Ok(list
            .iter()
            .filter(|i| i.get("name").and_then(Value::as_str) == Some(name))
            .filter_map(|i| {
                let id = i.get("id").and_then(Value::as_str)?;
                let status = i.get("status").and_then(Value::as_str).unwrap_or("unknown");
                Some((id.to_string(), status.to_string()))
            })
            .collect())
    }

    /// The id of the image to boot from named `name` (an active one when several match).
    pub(crate) async fn image_id(&self, name: &str) -> Result<String, VimError> {
        let images = self.images_named(name).await?;
        images
            .iter()
            .find(|(_, status)| status == "active")
            .or_else(|| images.first())
            .map(|(id, _)| id.clone())
            .ok_or_else(|| {
                VimError::new(
                    VimErrorKind::Rejected,
                    format!("Glance has no image named {name}"),
                )
            })
    }

    /// The image view, or `None` when Glance does not know the image.
    pub(crate) async fn image(&self, id: &str) -> Result<Option<Value>, VimError> {
        self.0
            .view(Service::Glance, &format!("/v2/images/{id}"))
            .await
    }

    /// A new private image named `name` holding a copy of the data of image `source_id`
    /// (with its disk and container formats); returns its id once it is active.
    pub(crate) async fn copy_image(&self, source_id: &str, name: &str) -> Result<String, VimError> {
        let source = self.image(source_id).await?.ok_or_else(|| {
            VimError::new(
                VimErrorKind::Rejected,
                format!("Glance has no image {source_id} to copy"),
            )
        })?;
        let body = serde_json::json!({
            "name": name,
            "visibility": "private",
            "disk_format": source.get("disk_format").cloned().unwrap_or(Value::Null),
            "container_format": source.get("container_format").cloned().unwrap_or(Value::Null),
        });
        let id = self
            .0
            .call(
                Service::Glance,
                Method::POST,
                "/v2/images",
                &[],
                Some(&body),
            )
            .await?
            .success()?
            .text_at("/id", "no image id")?;
        let data = self
            .call(Method::GET, &format!("/v2/images/{source_id}/file"), &[])
            .await?
            .success()?;
        self.0
            .upload(
                Service::Glance,
                &format!("/v2/images/{id}/file"),
                data.bytes().to_vec(),
            )
            .await?
            .success()?;
        self.wait_active(&id).await?;
        Ok(id)
    }

    /// Waits until the image is `active` and returns its view (`killed`, `error`, deletion
    /// and disappearance are failures).
    pub(crate) async fn wait_active(&self, id: &str) -> Result<Value, VimError> {
        let what = format!("Glance image {id} to be active");
        wait::until(&self.0.timing, &what, || async {
            let Some(image) = self.image(id).await? else {
                return Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Glance image {id} disappeared before becoming active"),
                ));
            };
            let status = image
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_string();
            if status == "active" {
                Ok(Poll::Ready(image))
            } else if FAILED_STATUSES.contains(&status.as_str()) {
                Err(VimError::new(
                    VimErrorKind::ResourceFailed,
                    format!("Glance image {id} went to status {status}"),
                ))
            } else {
                Ok(Poll::Pending(status))
            }
        })
        .await
    }

    /// `DELETE /v2/images/{id}` (404 counts as gone) and waits until it is gone.
    pub(crate) async fn delete_image(&self, id: &str) -> Result<(), VimError> {
        let reply = self
            .call(Method::DELETE, &format!("/v2/images/{id}"), &[])
            .await?;
        if reply.found()?.is_none() {
            return Ok(());
        }
        let what = format!("Glance image {id} to be deleted");
        wait::until(&self.0.timing, &what, || async {
            let Some(image) = self.image(id).await? else {
                return Ok(Poll::Ready(()));
            };
            match image.get("status").and_then(Value::as_str) {
                Some("deleted" | "pending_delete") => Ok(Poll::Ready(())),
                status => Ok(Poll::Pending(status.unwrap_or("unknown").to_string())),
            }
        })
        .await
    }
}

/// The Cinder snapshot ids in an image's `block_device_mapping` property (a JSON-encoded
/// string of a list of block device dicts; a plain list is accepted too). Images without the
/// property (image-backed servers) have none.
pub(crate) fn bdm_snapshot_ids(image_id: &str, image: &Value) -> Result<Vec<String>, VimError> {
    let unreadable = |why: &dyn std::fmt::Display| {
        VimError::new(
            VimErrorKind::ServerError,
            format!("Glance image {image_id} has an unreadable block_device_mapping: {why}"),
        )
    };
    let mapping = match image.get("block_device_mapping") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(text)) => {
            serde_json::from_str::<Value>(text).map_err(|e| unreadable(&e))?
        }
        Some(other) => other.clone(),
    };
    let list = mapping
        .as_array()
        .ok_or_else(|| unreadable(&"not a list"))?;
    Ok(list
        .iter()
        .filter_map(|bdm| bdm.get("snapshot_id").and_then(Value::as_str))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn block_device_mapping_is_a_json_string() {
        let image = json!({
            "id": "img",
            "block_device_mapping": "[{\"source_type\": \"snapshot\", \"snapshot_id\": \"s1\", \"boot_index\": 0}, {\"source_type\": \"snapshot\", \"snapshot_id\": \"s2\", \"boot_index\": null}, {\"source_type\": \"blank\", \"snapshot_id\": null}]",
        });
        assert_eq!(bdm_snapshot_ids("img", &image).unwrap(), ["s1", "s2"]);
    }

    #[test]
    fn block_device_mapping_absent_or_broken() {
        assert!(bdm_snapshot_ids("img", &json!({"id": "img"}))
            .unwrap()
            .is_empty());
        let err = bdm_snapshot_ids("img", &json!({"block_device_mapping": "[{"})).unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ServerError);
        assert!(err.message.contains("img"), "{}", err.message);
    }
}
