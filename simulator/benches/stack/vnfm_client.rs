//! The few SOL003 calls the benchmark makes, with Basic auth and the `Version` header.

use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

/// A client of one VNFM's SOL003 API.
#[derive(Clone)]
pub struct VnfmClient {
    http: reqwest::Client,
    root: String,
}

impl VnfmClient {
    /// A client of `{base}/or_vnfm/vnflcm/v2`.
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(128)
            .build()
            .expect("an HTTP client");
        Self {
            http,
            root: format!("{base}/or_vnfm/vnflcm/v2"),
        }
    }

    fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.http
            .request(method, url)
            .basic_auth("admin", Some("admin"))
            .header("Version", "2.0.0")
    }

    /// POSTs `body` to `path` expecting `status`; returns the `Location` and the body.
    async fn post(&self, path: &str, body: Value, status: StatusCode) -> (String, Value) {
        let response = self
            .request(Method::POST, &format!("{}{path}", self.root))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|error| panic!("POST {path}: {error}"));
        let answered = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(answered, status, "POST {path}: {body}");
        (location, body)
    }

    /// Subscribes `callback` to every notification.
    pub async fn subscribe(&self, callback: &str) {
        self.post(
            "/subscriptions",
            json!({"callbackUri": callback}),
            StatusCode::CREATED,
        )
        .await;
    }

    /// Creates and instantiates a `vnfd-vb-2vdu` instance; returns its id once COMPLETED.
    pub async fn instantiated_instance(&self) -> String {
        let (_, body) = self
            .post(
                "/vnf_instances",
                json!({"vnfdId": "vnfd-vb-2vdu"}),
                StatusCode::CREATED,
            )
            .await;
        let id = body["id"].as_str().expect("an instance id").to_string();
        let (occ, _) = self
            .post(
                &format!("/vnf_instances/{id}/instantiate"),
                json!({"flavourId": "default"}),
                StatusCode::ACCEPTED,
            )
            .await;
        self.wait_completed(&occ).await;
        id
    }

    /// Polls an op occ until COMPLETED (panics on another final state or after a minute).
    async fn wait_completed(&self, occ_url: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let occ: Value = self
                .request(Method::GET, occ_url)
                .send()
                .await
                .and_then(|response| response.error_for_status())
                .expect("the op occ")
                .json()
                .await
                .expect("an op occ body");
            match occ["operationState"].as_str() {
                Some("COMPLETED") => return,
                Some("STARTING" | "PROCESSING") if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await
                }
                _ => panic!("{occ_url} did not complete: {occ}"),
            }
        }
    }

    /// `POST /vnf_snapshots {}`: an empty "Individual VNF snapshot" resource; returns its id.
    pub async fn snapshot_resource(&self) -> String {
        let (_, body) = self
            .post("/vnf_snapshots", json!({}), StatusCode::CREATED)
            .await;
        body["id"].as_str().expect("a snapshot id").to_string()
    }

    /// `POST /vnf_instances/{id}/create_snapshot`; returns the op occ id.
    pub async fn create_snapshot(&self, instance: &str, snapshot: &str) -> String {
        let (occ, _) = self
            .post(
                &format!("/vnf_instances/{instance}/create_snapshot"),
                json!({"vnfSnapshotInfoId": snapshot}),
                StatusCode::ACCEPTED,
            )
            .await;
        occ.rsplit('/').next().expect("an op occ id").to_string()
    }

    /// Times one `GET /vnf_snapshots{query}`; returns the duration and the item count.
    pub async fn time_snapshot_list(&self, query: &str) -> (Duration, usize) {
        let url = format!("{}/vnf_snapshots{query}", self.root);
        let started = Instant::now();
        let response = self
            .request(Method::GET, &url)
            .send()
            .await
            .and_then(|response| response.error_for_status())
            .expect("a snapshot list");
        let body = response.bytes().await.expect("a list body");
        let elapsed = started.elapsed();
        let items: Vec<Value> = serde_json::from_slice(&body).expect("a JSON array");
        (elapsed, items.len())
    }
}
