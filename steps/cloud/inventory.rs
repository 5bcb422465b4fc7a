//! What a cloud project holds, read through the OpenStack APIs as an operator would (the Nova,
//! Cinder, Glance and Neutron lists, following their paging), and the removal of one of those
//! resources: how the clean-up finds and removes what a VNFM left on its VIM, on any OpenStack.

use std::{sync::Arc, time::Duration};

use serde_json::Value;

use super::observer::{Observer, Session};
use crate::{cleanup_log::FailedRequest, failure::Outcome};

/// One resource of a cloud project.
#[derive(Clone, Debug)]
pub struct CloudItem {
    /// `server`, `volume snapshot`, `image`, `volume`, `port` or `network`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub status: String,
    /// The resource as the service lists it.
    pub body: Value,
}

impl CloudItem {
    fn new(kind: &'static str, body: Value) -> Self {
        let text = |key: &str| body[key].as_str().unwrap_or_default().to_string();
        Self {
            kind,
            id: text("id"),
            name: text("name"),
            status: text("status"),
            body,
        }
    }

    /// Whether the cloud is deleting it already (a Cinder volume or snapshot `deleting`, a Glance
    /// image `pending_delete` or `deleted`, a Nova server `deleted`): it is on its way out.
    pub fn is_going(&self) -> bool {
        matches!(
            self.status.to_ascii_lowercase().as_str(),
            "deleting" | "pending_delete" | "deleted" | "soft_deleted"
        )
    }

    /// The ids of the resources this one was made from or belongs to: a volume snapshot's
    /// volume, a volume's volume snapshot, an image's server, a port's server and network, and
    /// the server a volume is attached to.
    pub fn related(&self) -> Vec<String> {
        let b = &self.body;
        let mut ids: Vec<Option<&str>> = vec![
            b["volume_id"].as_str(),
            b["snapshot_id"].as_str(),
            b["instance_uuid"].as_str(),
            b["device_id"].as_str(),
            b["network_id"].as_str(),
        ];
        for attachment in b["attachments"].as_array().into_iter().flatten() {
            ids.push(attachment["server_id"].as_str());
        }
        ids.into_iter()
            .flatten()
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The order in which left resources are removed: what uses a resource goes before it.
pub const REMOVAL_ORDER: [&str; 6] = [
    "server",
    "volume snapshot",
    "image",
    "volume",
    "port",
    "network",
];

impl Observer {
    /// Every server, volume snapshot, image, volume, port and network of the project (the
    /// target's own when `None`). Images are those the project owns; Neutron resources those
    /// of the project (an admin token lists every project's); a catalog without Neutron gives
    /// no port and no network.
    pub async fn inventory(&self, project: Option<&str>) -> Outcome<Vec<CloudItem>> {
        let s = self.session(project).await?;
        let mut items = Vec::new();
        let lists: [(&'static str, String, &str); 4] = [
            ("server", format!("{}/servers/detail", s.compute), "servers"),
            (
                "volume snapshot",
                format!("{}/snapshots/detail", s.volume),
                "snapshots",
            ),
            ("volume", format!("{}/volumes/detail", s.volume), "volumes"),
            (
                "image",
                format!("{}/v2/images?owner={}", s.image, s.project_id),
                "images",
            ),
        ];
        for (kind, url, member) in lists {
            for body in self.list(project, &s, url, member).await? {
                items.push(CloudItem::new(kind, body));
            }
        }
        if let Ok(neutron) = s.neutron() {
            for (kind, member) in [("port", "ports"), ("network", "networks")] {
                let url = format!("{neutron}/{member}?project_id={}", s.project_id);
                for body in self.list(project, &s, url, member).await? {
                    if body["project_id"] == s.project_id.as_str() {
                        items.push(CloudItem::new(kind, body));
                    }
                }
            }
        }
        Ok(items)
    }

    /// Every item of the list `member` at `url`, following Nova's and Cinder's
    /// `<member>_links` and Glance's `next`.
    async fn list(
        &self,
        project: Option<&str>,
        s: &Arc<Session>,
        url: String,
        member: &str,
    ) -> Outcome<Vec<Value>> {
        let mut items = Vec::new();
        let mut next = Some(url);
        let mut pages = 0;
        while let Some(url) = next.take() {
            let page = url.clone();
            let body = self
                .fetch(project, move |_| page.clone(), &[])
                .await?
                .unwrap_or_default();
            items.extend(body[member].as_array().cloned().unwrap_or_default());
            pages += 1;
            next = next_page(&body, member, &s.image).filter(|_| pages < MAX_PAGES);
        }
        Ok(items)
    }

    /// Removes `item` from the project and, for a server or a volume snapshot (which must be
    /// gone before their volumes can go), waits until it is gone, at most `deadline`.
    pub async fn remove(
        &self,
        project: Option<&str>,
        item: &CloudItem,
        deadline: Duration,
    ) -> Result<(), FailedRequest> {
        let what = format!("cloud {} {}", item.kind, item.id);
        let s = self
            .session(project)
            .await
            .map_err(|e| FailedRequest::failed(&what, "DELETE", "(no session)", None, e))?;
        let url = match item.kind {
            "server" => format!("{}/servers/{}", s.compute, item.id),
            "volume snapshot" => format!("{}/snapshots/{}", s.volume, item.id),
            "volume" => format!("{}/volumes/{}", s.volume, item.id),
            "image" => format!("{}/v2/images/{}", s.image, item.id),
            kind => {
                let neutron = s
                    .neutron()
                    .map_err(|e| FailedRequest::failed(&what, "DELETE", "(Neutron)", None, e))?;
                format!("{neutron}/{kind}s/{}", item.id)
            }
        };
        self.delete(&s, url.clone())
            .await
            .map_err(|e| FailedRequest::failed(&what, "DELETE", &url, None, e))?;
        if matches!(item.kind, "server" | "volume snapshot") {
            self.await_gone(project, &url, deadline)
                .await
                .map_err(|e| FailedRequest::failed(&what, "GET", &url, None, e))?;
        }
        Ok(())
    }

    /// Polls `url` until it answers 404, at most `deadline`.
    async fn await_gone(&self, project: Option<&str>, url: &str, deadline: Duration) -> Outcome {
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = Duration::from_millis(5);
        loop {
            let at = url.to_string();
            if self
                .fetch(project, move |_| at.clone(), &[])
                .await?
                .is_none()
            {
                return Ok(());
            }
            if tokio::time::Instant::now() + pause > until {
                return Err(crate::failure::Failure::new(format!(
                    "{url} still exists {deadline:?} after its DELETE"
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }
}

/// How many pages of one list the inventory reads at most.
const MAX_PAGES: usize = 1000;

/// The next page of a list: Nova's and Cinder's `<member>_links` (`rel` `next`), or Glance's
/// `next`, a path under the image endpoint.
fn next_page(body: &Value, member: &str, image: &str) -> Option<String> {
    if let Some(next) = body["next"].as_str() {
        let base = image.trim_end_matches('/');
        let base = base.strip_suffix("/v2").unwrap_or(base);
        return Some(format!("{base}{next}"));
    }
    body[format!("{member}_links")]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == "next")?["href"]
        .as_str()
        .map(str::to_string)
}
