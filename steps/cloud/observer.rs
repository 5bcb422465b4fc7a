//! Looks at an OpenStack cloud exactly as an operator would: Keystone password auth, the
//! service catalog, then the Glance, Cinder and Neutron HTTP APIs.

use std::{collections::HashMap, sync::Arc, time::Duration};

use reqwest::StatusCode;
use serde_json::{json, Value};
use simulator::kit::{KeystoneClient, PasswordAuth};
use tokio::sync::Mutex;

use crate::failure::{Failure, Outcome};

/// Keystone v3 password credentials.
#[derive(Clone, Debug)]
pub struct OsCredentials {
    /// Keystone URL, with or without the trailing `/v3`.
    pub auth_url: String,
    pub username: String,
    pub password: String,
    pub user_domain: String,
    pub project: String,
    pub project_domain: String,
}

impl OsCredentials {
    /// The Keystone v3 URL.
    pub fn keystone_v3(&self) -> String {
        let base = self.auth_url.trim_end_matches('/');
        if base.ends_with("/v3") {
            base.to_string()
        } else {
            format!("{base}/v3")
        }
    }
}

/// A scoped token and the endpoints of the services the suite looks at.
#[derive(Debug)]
pub(super) struct Session {
    pub(super) token: String,
    /// The id of the project the token is scoped to.
    pub(super) project_id: String,
    pub(super) compute: String,
    pub(super) image: String,
    pub(super) volume: String,
    /// Neutron, when the catalog has it.
    pub(super) network: Option<String>,
}

impl Session {
    /// The Neutron URL up to and including `/v2.0` (the catalog's is normally unversioned; one
    /// ending in `/v2.0` is tolerated); a catalog without Neutron fails.
    pub(super) fn neutron(&self) -> Outcome<String> {
        let Some(network) = &self.network else {
            return Err(Failure::new("no public network endpoint in the catalog"));
        };
        let base = network.trim_end_matches('/');
        Ok(format!(
            "{}/v2.0",
            base.strip_suffix("/v2.0").unwrap_or(base)
        ))
    }
}

/// The observer; sessions are kept per project.
#[derive(Debug)]
pub struct Observer {
    pub(super) http: reqwest::Client,
    credentials: OsCredentials,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
}

impl Observer {
    pub fn new(http: reqwest::Client, credentials: OsCredentials) -> Self {
        Self {
            http,
            credentials,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// The credentials, for building a VIM connection towards the same cloud.
    pub fn credentials(&self) -> &OsCredentials {
        &self.credentials
    }

    pub(super) async fn session(&self, project: Option<&str>) -> Outcome<Arc<Session>> {
        let project = project.unwrap_or(&self.credentials.project).to_string();
        let mut sessions = self.sessions.lock().await;
        if let Some(session) = sessions.get(&project) {
            return Ok(session.clone());
        }
        let c = &self.credentials;
        let auth = PasswordAuth::new(&c.username, &c.password)
            .user_domain(&c.user_domain)
            .project(&project)
            .project_domain(&c.project_domain);
        let token = KeystoneClient::with_client(&c.auth_url, self.http.clone())
            .password_token(&auth)
            .await?;
        let endpoint = |types: &[&str]| -> Outcome<String> {
            token.public_endpoint(types).ok_or_else(|| {
                Failure::new(format!(
                    "no public {types:?} endpoint in the catalog: {}",
                    token.body
                ))
            })
        };
        let session = Arc::new(Session {
            project_id: token.body["token"]["project"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            compute: endpoint(&["compute"])?,
            image: endpoint(&["image"])?,
            volume: endpoint(&["block-storage", "volumev3", "volume"])?,
            network: token.public_endpoint(&["network"]),
            token: token.id,
        });
        sessions.insert(project, session.clone());
        Ok(session)
    }

    /// GET of the URL `locate` builds from the project's session; `None` on 404. A token the
    /// cloud no longer accepts (revoked, expired) is renewed once.
    pub(super) async fn fetch(
        &self,
        project: Option<&str>,
        locate: impl Fn(&Session) -> String,
        query: &[(&str, &str)],
    ) -> Outcome<Option<Value>> {
        let mut renewed = false;
        loop {
            let session = self.session(project).await?;
            let url = locate(&session);
            let response = self
                .http
                .get(&url)
                .query(query)
                .header("X-Auth-Token", &session.token)
                .header("Accept", "application/json")
                .send()
                .await?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !renewed {
                let key = project.unwrap_or(&self.credentials.project);
                self.sessions.lock().await.remove(key);
                renewed = true;
                continue;
            }
            if status == StatusCode::NOT_FOUND {
                return Ok(None);
            }
            let text = response.text().await?;
            if !status.is_success() {
                return Err(Failure::new(format!(
                    "cloud GET {url} {query:?} answered {status}: {text}"
                )));
            }
            return serde_json::from_str(&text).map(Some).map_err(|e| {
                Failure::new(format!("cloud GET {url} answered non-JSON ({e}): {text}"))
            });
        }
    }

    /// POST of the JSON `body` at the URL `locate` builds from the project's session; answers
    /// the URL, the status and the answer's JSON (`null` when it is not JSON).
    pub(super) async fn post(
        &self,
        project: Option<&str>,
        locate: impl Fn(&Session) -> String,
        body: &Value,
    ) -> Outcome<(String, StatusCode, Value)> {
        let s = self.session(project).await?;
        let url = locate(&s);
        let response = self
            .http
            .post(&url)
            .header("X-Auth-Token", &s.token)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let answer = response.json().await.unwrap_or_default();
        Ok((url, status, answer))
    }

    /// Glance images with exactly this name.
    pub async fn images_named(&self, project: Option<&str>, name: &str) -> Outcome<Vec<Value>> {
        let body = self
            .fetch(
                project,
                |s| format!("{}/v2/images", s.image),
                &[("name", name)],
            )
            .await?
            .unwrap_or_default();
        Ok(body["images"].as_array().cloned().unwrap_or_default())
    }

    /// One Glance image, `None` when it does not exist.
    pub async fn image(&self, project: Option<&str>, id: &str) -> Outcome<Option<Value>> {
        self.fetch(project, |s| format!("{}/v2/images/{id}", s.image), &[])
            .await
    }

    /// Cinder snapshots with exactly this name.
    pub async fn volume_snapshots_named(
        &self,
        project: Option<&str>,
        name: &str,
    ) -> Outcome<Vec<Value>> {
        let locate = |s: &Session| format!("{}/snapshots/detail", s.volume);
        let body = self
            .fetch(project, locate, &[("name", name)])
            .await?
            .unwrap_or_default();
        Ok(body["snapshots"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|snap| snap["name"] == name)
            .cloned()
            .collect())
    }

    /// One Cinder snapshot, `None` when it does not exist.
    pub async fn volume_snapshot(&self, project: Option<&str>, id: &str) -> Outcome<Option<Value>> {
        let locate = |s: &Session| format!("{}/snapshots/{id}", s.volume);
        let body = self.fetch(project, locate, &[]).await?;
        Ok(body.map(|b| b["snapshot"].clone()))
    }

    /// One Neutron port, `None` when it does not exist (a catalog without Neutron fails).
    pub async fn port(&self, project: Option<&str>, id: &str) -> Outcome<Option<Value>> {
        let base = self.session(project).await?.neutron()?;
        let locate = move |_: &Session| format!("{base}/ports/{id}");
        let body = self.fetch(project, locate, &[]).await?;
        Ok(body.map(|b| b["port"].clone()))
    }

    /// One Nova server, `None` when it does not exist (or is not in the project).
    pub async fn server(&self, project: Option<&str>, id: &str) -> Outcome<Option<Value>> {
        let locate = |s: &Session| format!("{}/servers/{id}", s.compute);
        let body = self.fetch(project, locate, &[]).await?;
        Ok(body.map(|b| b["server"].clone()))
    }

    /// One Cinder volume, `None` when it does not exist.
    pub async fn volume(&self, project: Option<&str>, id: &str) -> Outcome<Option<Value>> {
        let locate = |s: &Session| format!("{}/volumes/{id}", s.volume);
        let body = self.fetch(project, locate, &[]).await?;
        Ok(body.map(|b| b["volume"].clone()))
    }

    /// The project's Cinder quota for `key` (e.g. `snapshots`) and its usage, read through
    /// `GET /os-quota-sets/{project}?usage=True` (the credentials need the admin role).
    pub async fn cinder_quota(&self, project: Option<&str>, key: &str) -> Outcome<(i64, i64)> {
        let locate = |s: &Session| format!("{}/os-quota-sets/{}", s.volume, s.project_id);
        let body = self
            .fetch(project, locate, &[("usage", "True")])
            .await?
            .unwrap_or_default();
        let entry = &body["quota_set"][key];
        match (entry["limit"].as_i64(), entry["in_use"].as_i64()) {
            (Some(limit), Some(in_use)) => Ok((limit, in_use)),
            _ => Err(Failure::new(format!("no {key} quota with usage in {body}"))),
        }
    }

    /// Sets the project's Cinder quota for `key` through `PUT /os-quota-sets/{project}`.
    pub async fn set_cinder_quota(&self, project: Option<&str>, key: &str, limit: i64) -> Outcome {
        let s = self.session(project).await?;
        let url = format!("{}/os-quota-sets/{}", s.volume, s.project_id);
        let response = self
            .http
            .put(&url)
            .header("X-Auth-Token", &s.token)
            .json(&json!({"quota_set": {key: limit}}))
            .send()
            .await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        Err(Failure::new(format!(
            "cloud PUT {url} answered {status}: {text}"
        )))
    }

    /// Deletes a Cinder volume; one already gone is fine.
    pub async fn delete_volume(&self, project: Option<&str>, id: &str) -> Outcome {
        let s = self.session(project).await?;
        self.delete(&s, format!("{}/volumes/{id}", s.volume)).await
    }

    /// Deletes a Nova server behind the VNFM's back and waits until it is gone, at most
    /// `deadline`.
    pub async fn delete_server(
        &self,
        project: Option<&str>,
        id: &str,
        deadline: Duration,
    ) -> Outcome {
        let s = self.session(project).await?;
        self.delete(&s, format!("{}/servers/{id}", s.compute))
            .await?;
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = Duration::from_millis(5);
        while tokio::time::Instant::now() < until {
            let locate = |s: &Session| format!("{}/servers/{id}", s.compute);
            match self.fetch(project, locate, &[]).await? {
                None => return Ok(()),
                Some(body) if body["server"]["status"] == "DELETED" => return Ok(()),
                Some(_) => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
        Err(Failure::new(format!(
            "the server {id} was still on the cloud {deadline:?} after its DELETE"
        )))
    }

    /// DELETE of `url`; a resource already gone is fine.
    pub(super) async fn delete(&self, s: &Session, url: String) -> Outcome {
        let response = self
            .http
            .delete(&url)
            .header("X-Auth-Token", &s.token)
            .send()
            .await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_FOUND {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        Err(Failure::new(format!(
            "cloud DELETE {url} answered {status}: {text}"
        )))
    }

    /// Creates a Cinder volume and waits until it is `available`, at most `deadline`; returns
    /// its id.
    pub async fn create_volume(
        &self,
        project: Option<&str>,
        name: &str,
        size_gb: u64,
        deadline: Duration,
    ) -> Outcome<String> {
        let id = self
            .post_volume(project, json!({"name": name, "size": size_gb}))
            .await?;
        self.wait_volume_available(project, &id, deadline).await?;
        Ok(id)
    }

    /// `POST /volumes` with the `volume` body; returns the new volume's id.
    pub async fn post_volume(&self, project: Option<&str>, volume: Value) -> Outcome<String> {
        let locate = |s: &Session| format!("{}/volumes", s.volume);
        let (url, status, body) = self
            .post(project, locate, &json!({ "volume": volume }))
            .await?;
        body["volume"]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Failure::new(format!("cloud POST {url} answered {status}: {body}")))
    }
}
