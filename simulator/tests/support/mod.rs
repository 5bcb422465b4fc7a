//! Shared helpers of the cloud integration tests: start a fake cloud on `127.0.0.1:0`, get
//! tokens, and make calls that return status, headers and the parsed body.

#![allow(dead_code)]

use std::{
    future::Future,
    time::{Duration, Instant},
};

use reqwest::{header::HeaderMap, Method};
use serde_json::{json, Value};
use simulator::{
    kit::SimControl,
    openstack::{clock::TimeProfile, faults::FaultRule, Cloud, CloudConfig, RunningCloud},
};

/// The name of the public image every cloud starts with.
pub const BASE_IMAGE: &str = "cirros-0.6.2-x86_64-disk";

/// A cloud under test plus an HTTP client.
pub struct TestCloud {
    pub running: RunningCloud,
    pub http: reqwest::Client,
    pub base: String,
}

/// An answer: status, headers, raw text and the JSON body (`Null` when not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Answer {
    /// A header as a string ("" when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// Starts a cloud with the given time profile and otherwise default settings.
pub async fn start_cloud(profile: TimeProfile) -> TestCloud {
    start_with(CloudConfig {
        time_profile: profile,
        ..CloudConfig::default()
    })
    .await
}

/// Starts a cloud with a full configuration.
pub async fn start_with(config: CloudConfig) -> TestCloud {
    simulator::tls::install_crypto_provider();
    let running = Cloud::start_local(config).await.expect("cloud starts");
    let base = running.url().to_string();
    TestCloud {
        running,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("client"),
        base,
    }
}

/// A password-auth request body for the admin user scoped to a project by name.
pub fn password_auth(project: &str, password: &str) -> Value {
    json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"name": "Default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}})
}

/// Polls `check` until it returns `Some`, or panics after `seconds`.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

impl TestCloud {
    /// The control API client.
    pub fn control(&self) -> SimControl {
        self.running.control()
    }

    /// A token of the admin user scoped to the project named `project`, with its project id.
    pub async fn token(&self, project: &str) -> (String, String) {
        let answer = self
            .call(
                Method::POST,
                "/identity/v3/auth/tokens",
                None,
                &[],
                Some(password_auth(project, "admin")),
            )
            .await;
        assert_eq!(answer.status, 201, "auth failed: {}", answer.text);
        let token = answer.header("x-subject-token");
        let project_id = answer.body["token"]["project"]["id"]
            .as_str()
            .expect("project id")
            .to_string();
        (token, project_id)
    }

    /// A new project (via `/_sim/projects`) and a token scoped to it.
    pub async fn project(&self, name: &str) -> (String, String) {
        self.control().create_project(name).await.expect("project");
        self.token(name).await
    }

    /// Any call; `headers` are extra request headers.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("X-Auth-Token", token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            body,
        }
    }

    pub async fn get(&self, token: &str, path: &str) -> Answer {
        self.call(Method::GET, path, Some(token), &[], None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), &[], Some(body))
            .await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Answer {
        self.call(Method::DELETE, path, Some(token), &[], None)
            .await
    }

    /// GET/POST with a Nova microversion.
    pub async fn nova(
        &self,
        method: Method,
        token: &str,
        version: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let header = format!("compute {version}");
        self.call(
            method,
            &format!("/compute/v2.1{path}"),
            Some(token),
            &[("OpenStack-API-Version", &header)],
            body,
        )
        .await
    }

    /// GET/POST with a Cinder microversion (`path` after `/v3/{project}`).
    pub async fn cinder(
        &self,
        method: Method,
        token: &str,
        project: &str,
        version: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let header = format!("volume {version}");
        self.call(
            method,
            &format!("/volume/v3/{project}{path}"),
            Some(token),
            &[("OpenStack-API-Version", &header)],
            body,
        )
        .await
    }

    /// The id of the seeded public image.
    pub async fn base_image(&self, token: &str) -> String {
        let answer = self
            .get(token, &format!("/image/v2/images?name={BASE_IMAGE}"))
            .await;
        answer.body["images"][0]["id"]
            .as_str()
            .expect("base image listed")
            .to_string()
    }

    /// Creates a blank volume and waits until it is `available`; returns its id.
    pub async fn volume(&self, token: &str, project: &str, size: u32, name: &str) -> String {
        let created = self
            .cinder(
                Method::POST,
                token,
                project,
                "3.0",
                "/volumes",
                Some(json!({"volume": {"size": size, "name": name}})),
            )
            .await;
        assert_eq!(created.status, 202, "{}", created.text);
        let id = created.body["volume"]["id"].as_str().unwrap().to_string();
        self.wait_volume(token, project, &id, "available").await;
        id
    }

    /// Marks a volume bootable (`os-set_bootable`), as a root volume must be.
    pub async fn set_bootable(&self, token: &str, volume: &str) {
        let project = self.project_of(token).await;
        let set = self
            .cinder(
                Method::POST,
                token,
                &project,
                "3.0",
                &format!("/volumes/{volume}/action"),
                Some(json!({"os-set_bootable": {"bootable": true}})),
            )
            .await;
        assert_eq!(set.status, 200, "{}", set.text);
    }

    /// The project a token is scoped to.
    pub async fn project_of(&self, token: &str) -> String {
        let shown = self
            .call(
                Method::GET,
                "/identity/v3/auth/tokens",
                Some(token),
                &[("X-Subject-Token", token)],
                None,
            )
            .await;
        shown.body["token"]["project"]["id"]
            .as_str()
            .expect("a project-scoped token")
            .to_string()
    }

    /// Waits until a volume has `status`.
    pub async fn wait_volume(&self, token: &str, project: &str, id: &str, status: &str) -> Value {
        eventually(10, &format!("volume {id} {status}"), || async {
            let shown = self
                .cinder(
                    Method::GET,
                    token,
                    project,
                    "3.0",
                    &format!("/volumes/{id}"),
                    None,
                )
                .await;
            (shown.body["volume"]["status"] == status).then_some(shown.body["volume"].clone())
        })
        .await
    }

    /// Waits until a snapshot has `status`.
    pub async fn wait_snapshot(&self, token: &str, project: &str, id: &str, status: &str) -> Value {
        eventually(10, &format!("snapshot {id} {status}"), || async {
            let shown = self
                .cinder(
                    Method::GET,
                    token,
                    project,
                    "3.0",
                    &format!("/snapshots/{id}"),
                    None,
                )
                .await;
            (shown.body["snapshot"]["status"] == status).then_some(shown.body["snapshot"].clone())
        })
        .await
    }

    /// Waits until a server has `status` (and no task state).
    pub async fn wait_server(&self, token: &str, id: &str, status: &str) -> Value {
        eventually(10, &format!("server {id} {status}"), || async {
            let shown = self
                .nova(Method::GET, token, "2.1", &format!("/servers/{id}"), None)
                .await;
            let server = &shown.body["server"];
            (server["status"] == status && server["OS-EXT-STS:task_state"].is_null())
                .then_some(server.clone())
        })
        .await
    }

    /// Waits until an image has `status`.
    pub async fn wait_image(&self, token: &str, id: &str, status: &str) -> Value {
        eventually(10, &format!("image {id} {status}"), || async {
            let shown = self.get(token, &format!("/image/v2/images/{id}")).await;
            (shown.body["status"] == status).then_some(shown.body.clone())
        })
        .await
    }

    /// Boots an image-backed server (microversion 2.1) and waits for ACTIVE.
    pub async fn image_server(&self, token: &str, name: &str) -> String {
        let image = self.base_image(token).await;
        let created = self
            .nova(
                Method::POST,
                token,
                "2.1",
                "/servers",
                Some(json!({"server": {"name": name, "flavorRef": "1", "imageRef": image}})),
            )
            .await;
        assert_eq!(created.status, 202, "{}", created.text);
        let id = created.body["server"]["id"].as_str().unwrap().to_string();
        self.wait_server(token, &id, "ACTIVE").await;
        id
    }

    /// Boots a server from an existing volume, made bootable (plus optional data volumes), and
    /// waits for ACTIVE.
    pub async fn volume_server(&self, token: &str, name: &str, volumes: &[&str]) -> String {
        self.set_bootable(token, volumes[0]).await;
        let bdm: Vec<Value> = volumes
            .iter()
            .enumerate()
            .map(|(i, v)| {
                json!({"boot_index": if i == 0 { json!(0) } else { json!(null) }, "uuid": v,
                       "source_type": "volume", "destination_type": "volume",
                       "delete_on_termination": false})
            })
            .collect();
        let created = self
            .nova(
                Method::POST,
                token,
                "2.1",
                "/servers",
                Some(
                    json!({"server": {"name": name, "flavorRef": "1", "imageRef": "",
                                        "block_device_mapping_v2": bdm}}),
                ),
            )
            .await;
        assert_eq!(created.status, 202, "{}", created.text);
        let id = created.body["server"]["id"].as_str().unwrap().to_string();
        self.wait_server(token, &id, "ACTIVE").await;
        id
    }

    /// Registers a fault rule with `POST /_sim/faults`; returns its id.
    pub async fn fault(&self, rule: FaultRule) -> String {
        let rule = serde_json::to_value(rule).expect("a rule is JSON");
        let answer = self
            .call(Method::POST, "/_sim/faults", None, &[], Some(rule))
            .await;
        assert_eq!(answer.status, 201, "{}", answer.text);
        answer.body["id"].as_str().unwrap().to_string()
    }

    /// Advances the clock.
    pub async fn advance(&self, seconds: f64) {
        self.control()
            .advance_clock(seconds)
            .await
            .expect("advance");
    }
}
