//! A thin client of the simulated cloud's control API (`/_sim`): projects, quotas, faults and
//! the log of calls the cloud served.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::failure::{Failure, Outcome};

/// The control API of the simulated cloud.
#[derive(Debug)]
pub struct CloudControl {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// A cloud project created for one scenario.
#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
}

impl CloudControl {
    /// `cloud_url` is the cloud listener (`http://host:port`); `token` opens the control API
    /// to clients that are not on loopback.
    pub fn new(http: reqwest::Client, cloud_url: &str, token: Option<String>) -> Self {
        Self {
            http,
            base: format!("{}/_sim", cloud_url.trim_end_matches('/')),
            token,
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Outcome<Value> {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method.clone(), &url);
        if let Some(token) = &self.token {
            request = request.header("X-Sim-Control-Token", token);
        }
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(Failure::new(format!(
                "cloud control {method} {url} {} answered {status}: {text}",
                body.unwrap_or_default()
            )));
        }
        Ok(serde_json::from_str(&text).unwrap_or_default())
    }

    /// Creates a project the cloud's admin user can scope to.
    pub async fn create_project(&self, name: &str) -> Outcome<Project> {
        let body = self
            .call(
                reqwest::Method::POST,
                "/projects",
                Some(json!({"name": name})),
            )
            .await?;
        Ok(Project {
            id: body["id"].as_str().unwrap_or_default().to_string(),
            name: body["name"].as_str().unwrap_or(name).to_string(),
        })
    }

    /// Sets some quotas of a project.
    pub async fn set_quotas(&self, project_id: &str, quotas: Value) -> Outcome<Value> {
        self.call(
            reqwest::Method::PUT,
            &format!("/quotas/{project_id}"),
            Some(quotas),
        )
        .await
    }

    /// Registers a fault; returns its id.
    pub async fn add_fault(&self, fault: Value) -> Outcome<String> {
        let body = self
            .call(reqwest::Method::POST, "/faults", Some(fault))
            .await?;
        Ok(body["id"].as_str().unwrap_or_default().to_string())
    }

    /// Removes a fault; one that already expired (a `times` trigger used up) is gone already.
    pub async fn remove_fault(&self, id: &str) -> Outcome {
        let url = format!("{}/faults/{id}", self.base);
        let mut request = self.http.delete(&url);
        if let Some(token) = &self.token {
            request = request.header("X-Sim-Control-Token", token);
        }
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() || status == reqwest::StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(Failure::new(format!(
                "cloud control DELETE {url} answered {status}: {}",
                response.text().await.unwrap_or_default()
            )))
        }
    }

    /// The calls the cloud served for a project, oldest first.
    pub async fn calls(&self, project_id: &str) -> Outcome<Vec<Value>> {
        let body = self
            .call(
                reqwest::Method::GET,
                &format!("/calls?project_id={project_id}"),
                None,
            )
            .await?;
        Ok(body["calls"].as_array().cloned().unwrap_or_default())
    }
}

/// Every server, volume, volume snapshot and image of the cloud, as `GET /_sim/state` shows it.
#[derive(Debug, Default)]
pub struct CloudState {
    pub servers: Vec<Value>,
    pub volumes: Vec<Value>,
    pub snapshots: Vec<Value>,
    pub images: Vec<Value>,
}

impl CloudControl {
    /// Makes every token scoped to a project invalid (clients must authenticate again).
    pub async fn revoke_tokens(&self, project_id: &str) -> Outcome {
        let body = json!({ "project_id": project_id });
        self.call(reqwest::Method::POST, "/tokens/revoke", Some(body))
            .await
            .map(drop)
    }

    /// `"<kind> <id> <name>"` of every server, volume, volume snapshot and image of a project.
    pub async fn project_resources(&self, project_id: &str) -> Outcome<BTreeSet<String>> {
        let state = self.state().await?;
        let kinds = [
            ("server", &state.servers, "project_id"),
            ("volume", &state.volumes, "project_id"),
            ("volume snapshot", &state.snapshots, "project_id"),
            ("image", &state.images, "owner"),
        ];
        Ok(kinds
            .into_iter()
            .flat_map(|(kind, items, key)| {
                items
                    .iter()
                    .filter(move |r| r[key] == project_id)
                    .map(move |r| format!("{kind} {} {}", r["id"], r["name"]))
            })
            .collect())
    }

    /// The resources of the whole cloud.
    pub async fn state(&self) -> Outcome<CloudState> {
        let body = self.call(reqwest::Method::GET, "/state", None).await?;
        let list = |name: &str| body[name].as_array().cloned().unwrap_or_default();
        Ok(CloudState {
            servers: list("servers"),
            volumes: list("volumes"),
            snapshots: list("snapshots"),
            images: list("images"),
        })
    }
}
