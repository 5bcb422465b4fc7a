//! Shared helpers of the cloud integration tests: start a fake cloud on `127.0.0.1:0`, get
//! tokens, and make calls that return status, headers and the parsed body.
//!
//! A test starts a cloud, takes a token, and calls through a [`Session`] (`session.rs`), which
//! holds what every call of the test repeats:
//!
//! ```ignore
//! mod support;
//!
//! use support::start_cloud;
//!
//! #[tokio::test]
//! async fn a_server_boots() {
//!     let cloud = start_cloud(TimeProfile::Instant).await;
//!     let (token, project) = cloud.token("admin").await;
//!     let nova = cloud.nova_as(&token, "2.1");
//!     let id = cloud.image_server(&token, "vm").await; // boots and waits for ACTIVE
//!     let shown = nova.get(&format!("/servers/{id}")).await;
//!     assert_eq!(shown.body["server"]["status"], "ACTIVE");
//!     let volumes = cloud.cinder_as(&token, &project, "3.0").get("/volumes").await;
//!     assert_eq!(volumes.body["volumes"], json!([]));
//! }
//! ```
//!
//! `call` and the one-call forms (`get`, `post`, `delete`, `nova`, `cinder`) remain for a call
//! a test makes once.

#![allow(dead_code)]

mod session;

#[allow(unused_imports)] // a test that never names the type still calls its methods
pub use session::Session;

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

    /// Asserts the status and that the text holds `part`.
    pub fn assert_text(&self, status: u16, part: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(self.text.contains(part), "{part:?} in {}", self.text);
    }

    /// Asserts the status and the whole body.
    pub fn assert_answer(&self, status: u16, body: Value) {
        assert_eq!((self.status, &self.body), (status, &body), "{}", self.text);
    }

    /// The message under the error's kind (`badRequest`, `computeFault`, ...), "" when absent.
    pub fn message(&self, kind: &str) -> &str {
        self.body[kind]["message"].as_str().unwrap_or_default()
    }

    /// Asserts an OpenStack error: the status, and the message under the error's kind
    /// (`badRequest`, `forbidden`, `itemNotFound`, `conflictingRequest`, ...).
    pub fn assert_error(&self, status: u16, kind: &str, message: impl AsRef<str>) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.body[kind]["message"],
            message.as_ref(),
            "{}",
            self.text
        );
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

/// Starts a cloud with the given time profile and takes a token of the admin project: the
/// cloud, the token and the project id.
pub async fn start_as_admin(profile: TimeProfile) -> (TestCloud, String, String) {
    let cloud = start_cloud(profile).await;
    let (token, project) = cloud.token("admin").await;
    (cloud, token, project)
}

/// Starts a cloud (`TimeProfile::Instant`) as [`start_as_admin`] does and creates the project
/// `name`: the cloud, the admin's token and project, and a token scoped to `name` with its id.
pub async fn start_with_project(name: &str) -> (TestCloud, String, String, String, String) {
    let (cloud, admin, admin_project) = start_as_admin(TimeProfile::Instant).await;
    let (token, project) = cloud.project(name).await;
    (cloud, admin, admin_project, token, project)
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

/// The string `field` of every item of the JSON array `items` (panics if one has none).
pub fn field_of_each<'a>(items: &'a Value, field: &str) -> Vec<&'a str> {
    items
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item[field].as_str().expect("a string field"))
        .collect()
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

    /// `POST /identity/v3/auth/tokens` (without a token) with `auth` as the body.
    pub async fn authenticate(&self, auth: Value) -> Answer {
        self.anonymous()
            .post("/identity/v3/auth/tokens", auth)
            .await
    }

    /// A token of the admin user scoped to the project named `project`, with its project id.
    pub async fn token(&self, project: &str) -> (String, String) {
        let answer = self.authenticate(password_auth(project, "admin")).await;
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

    /// `PUT path` with `token` and `data` as an `application/octet-stream` body (image data);
    /// the answer's status.
    pub async fn put_octets(&self, token: &str, path: &str, data: impl Into<reqwest::Body>) -> u16 {
        self.http
            .put(format!("{}{path}", self.base))
            .header("X-Auth-Token", token)
            .header("Content-Type", "application/octet-stream")
            .body(data)
            .send()
            .await
            .expect("request sent")
            .status()
            .as_u16()
    }

    /// `GET root` without a token, a service's version discovery document: asserts `status`
    /// and returns the answer with its `versions` list.
    pub async fn discovery(&self, root: &str, status: u16) -> (Answer, Vec<Value>) {
        let answer = self.anonymous().get(root).await;
        assert_eq!(answer.status, status, "{}", answer.text);
        let versions = answer.body["versions"]
            .as_array()
            .expect("versions list")
            .clone();
        (answer, versions)
    }

    /// One GET with `token`.
    pub async fn get(&self, token: &str, path: &str) -> Answer {
        self.as_user(token).get(path).await
    }

    /// One POST with `token`.
    pub async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.as_user(token).post(path, body).await
    }

    /// One DELETE with `token`.
    pub async fn delete(&self, token: &str, path: &str) -> Answer {
        self.as_user(token).delete(path).await
    }

    /// One call with a Nova microversion (`path` after `/compute/v2.1`).
    pub async fn nova(
        &self,
        method: Method,
        token: &str,
        version: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.nova_as(token, version).send(method, path, body).await
    }

    /// One call with a Cinder microversion (`path` after `/volume/v3/{project}`).
    pub async fn cinder(
        &self,
        method: Method,
        token: &str,
        project: &str,
        version: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.cinder_as(token, project, version)
            .send(method, path, body)
            .await
    }

    /// The id of the seeded public image.
    pub async fn base_image(&self, token: &str) -> String {
        let path = format!("/image/v2/images?name={BASE_IMAGE}");
        let answer = self.get(token, &path).await;
        answer.body["images"][0]["id"]
            .as_str()
            .expect("base image listed")
            .to_string()
    }

    /// Creates a blank volume and waits until it is `available`; returns its id.
    pub async fn volume(&self, token: &str, project: &str, size: u32, name: &str) -> String {
        let volume = json!({"size": size, "name": name});
        self.available(token, project, "volume", volume).await
    }

    /// Snapshots `volume` and waits until the snapshot is `available`; returns its id.
    pub async fn available_snapshot(&self, token: &str, project: &str, volume: &str) -> String {
        let snapshot = json!({ "volume_id": volume });
        self.available(token, project, "snapshot", snapshot).await
    }

    /// Creates the Cinder resource of `kind` (`volume`, `snapshot`) with `fields` and waits until
    /// it is `available`; returns its id.
    async fn available(&self, token: &str, project: &str, kind: &str, fields: Value) -> String {
        let cinder = self.cinder_as(token, project, "3.0");
        let created = cinder
            .post(&format!("/{kind}s"), json!({ kind: fields }))
            .await;
        assert_eq!(created.status, 202, "{}", created.text);
        let id = created.body[kind]["id"].as_str().unwrap().to_string();
        self.wait_cinder(token, project, kind, &id, "available")
            .await;
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

    /// Waits until a volume has `status`; returns its view.
    pub async fn wait_volume(&self, token: &str, project: &str, id: &str, status: &str) -> Value {
        self.wait_cinder(token, project, "volume", id, status).await
    }

    /// Waits until a snapshot has `status`; returns its view.
    pub async fn wait_snapshot(&self, token: &str, project: &str, id: &str, status: &str) -> Value {
        self.wait_cinder(token, project, "snapshot", id, status)
            .await
    }

    /// Waits until the Cinder resource of `kind` (`volume`, `snapshot`) has `status`.
    async fn wait_cinder(
        &self,
        token: &str,
        project: &str,
        kind: &str,
        id: &str,
        status: &str,
    ) -> Value {
        let cinder = self.cinder_as(token, project, "3.0");
        let path = format!("/{kind}s/{id}");
        eventually(10, &format!("{kind} {id} {status}"), || async {
            let shown = cinder.get(&path).await;
            (shown.body[kind]["status"] == status).then(|| shown.body[kind].clone())
        })
        .await
    }

    /// Waits until a server has `status` (and no task state).
    pub async fn wait_server(&self, token: &str, id: &str, status: &str) -> Value {
        let nova = self.nova_as(token, "2.1");
        let path = format!("/servers/{id}");
        eventually(10, &format!("server {id} {status}"), || async {
            let shown = nova.get(&path).await;
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

    /// `POST /servers/{server}/os-volume_attachments` of `volume` at Nova microversion `version`.
    pub async fn attach_volume(
        &self,
        token: &str,
        version: &str,
        server: &str,
        volume: &str,
    ) -> Answer {
        let attachment = json!({"volumeAttachment": {"volumeId": volume}});
        let path = format!("/servers/{server}/os-volume_attachments");
        self.nova_as(token, version).post(&path, attachment).await
    }

    /// Boots an image-backed server (microversion 2.1) and waits for ACTIVE.
    pub async fn image_server(&self, token: &str, name: &str) -> String {
        let image = self.base_image(token).await;
        let server = json!({"name": name, "flavorRef": "1", "imageRef": image});
        self.active_server(token, server).await
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
        let server = json!({"name": name, "flavorRef": "1", "imageRef": "",
                            "block_device_mapping_v2": bdm});
        self.active_server(token, server).await
    }

    /// Boots an image-backed server (microversion 2.1) without waiting: the server is in BUILD
    /// until its boot time passes (on a `TimeProfile::Manual` clock, until `advance`).
    pub async fn booting_server(&self, token: &str, name: &str) -> String {
        let image = self.base_image(token).await;
        let server = json!({"name": name, "flavorRef": "1", "imageRef": image});
        self.boot(token, server).await
    }

    /// Posts `server` (microversion 2.1), asserts it is accepted and returns its id.
    async fn boot(&self, token: &str, server: Value) -> String {
        let nova = self.nova_as(token, "2.1");
        let created = nova.post("/servers", json!({ "server": server })).await;
        assert_eq!(created.status, 202, "{}", created.text);
        created.body["server"]["id"].as_str().unwrap().to_string()
    }

    /// Boots `server` (microversion 2.1), waits for ACTIVE and returns its id.
    async fn active_server(&self, token: &str, server: Value) -> String {
        let id = self.boot(token, server).await;
        self.wait_server(token, &id, "ACTIVE").await;
        id
    }

    /// Registers a fault rule with `POST /_sim/faults`; returns its id.
    pub async fn fault(&self, rule: FaultRule) -> String {
        let rule = serde_json::to_value(rule).expect("a rule is JSON");
        let answer = self.anonymous().post("/_sim/faults", rule).await;
        assert_eq!(answer.status, 201, "{}", answer.text);
        answer.body["id"].as_str().unwrap().to_string()
    }

    /// Sets quotas of `project` through the control API (`{"snapshots": 1}`, -1 for none).
    pub async fn set_quotas(&self, project: &str, quotas: Value) {
        self.control()
            .set_quotas(project, quotas)
            .await
            .expect("quotas set");
    }

    /// Advances the clock.
    pub async fn advance(&self, seconds: f64) {
        self.control()
            .advance_clock(seconds)
            .await
            .expect("advance");
    }
}
