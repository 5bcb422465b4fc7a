//! Shared helpers of the VNFM tests: an in-process VNFM and a client speaking to it as an
//! NFVO would (Basic auth, `Version: 2.0.0`), and a notification endpoint to subscribe with
//! (`callback.rs`). A test that runs the whole stack (`simulator::stack::Stack`) uses only the
//! endpoint: `vnfm_support::callback_endpoint()`.

#![allow(dead_code)]

mod callback;

#[allow(unused_imports)] // each test takes the part it needs
pub use callback::{
    authorized_callback_endpoint, callback_endpoint, callback_uri, failing_callback_endpoint,
    notifications, operation_states, wait_for_notifications, CALLBACK_PATH,
};

use std::{future::Future, time::Duration};

use reqwest::{Method, Response};
use serde_json::Value;
use simulator::{
    kit::VnfmClient,
    vnfm::{RetryPolicy, Vnfm, VnfmConfig},
};
use tokio::net::TcpListener;
use wiremock::MockServer;

/// The tables of `GET /_sim/state` in which a VNF that was instantiated and snapshotted on
/// the fake cloud leaves records.
pub const VNF_TABLES: [&str; 7] = [
    "servers",
    "volumes",
    "snapshots",
    "images",
    "networks",
    "subnets",
    "ports",
];

/// A running VNFM, a plain HTTP client, and the NFVO's client of the VNFM over it.
pub struct Stack {
    pub vnfm: Vnfm,
    pub client: reqwest::Client,
    pub nfvo: VnfmClient,
}

/// Starts a VNFM with the default configuration.
pub async fn start() -> Stack {
    start_with(VnfmConfig::default()).await
}

/// Starts a VNFM whose notification retries wait milliseconds, not seconds (4 attempts,
/// backoff from 10 ms to 50 ms), for tests of refused deliveries.
pub async fn start_with_quick_retries() -> Stack {
    start_with(VnfmConfig {
        notification_retry: RetryPolicy {
            attempts: 4,
            first_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            request_timeout: Duration::from_secs(5),
        },
        ..VnfmConfig::default()
    })
    .await
}

/// Starts a VNFM with `config`.
pub async fn start_with(config: VnfmConfig) -> Stack {
    simulator::tls::install_crypto_provider();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let vnfm = Vnfm::start(config, listener, None).expect("start VNFM");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let nfvo = VnfmClient::new(&vnfm.sol003_root()).with_http_client(client.clone());
    Stack { vnfm, client, nfvo }
}

impl Stack {
    /// A request on the SOL003 root (`path` relative to `…/or_vnfm/vnflcm/v2`, or absolute).
    pub async fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.nfvo.request(method, path).await.expect("credentials")
    }

    /// Any call on the SOL003 root, with a JSON body or none.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        self.send_with(method, path, &[], body).await
    }

    /// Any call on the SOL003 root with extra `headers` (`If-Match`, `Accept`), with a JSON body
    /// or none.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Response {
        let mut request = self.request(method.clone(), path).await;
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// `POST path` of `body` as it is (JSON or not), with `Content-Type: application/json`.
    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Response {
        self.request(Method::POST, path)
            .await
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None).await
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON")
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }

    /// Posts each refused request of a table and checks it: rows of (case, path, body, status,
    /// a part of the ProblemDetails' `detail` or `None`); a failure names the row's case.
    pub async fn assert_refused(&self, rows: Vec<(&str, String, Value, u16, Option<&str>)>) {
        for (case, path, body, status, detail) in rows {
            let response = self.post(&path, body).await;
            assert_eq!(response.status(), status, "{case}: POST {path}");
            if let Some(part) = detail {
                let problem: Value = response.json().await.expect("a ProblemDetails");
                let text = problem["detail"].as_str().unwrap_or_default();
                assert!(text.contains(part), "{case}: {problem}");
            }
        }
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.send(Method::DELETE, path, None).await
    }

    /// `POST /subscriptions` of `server`'s callback URI with the other members of `request` (a
    /// filter, authentication, ...; `json!({})` for none).
    pub async fn subscribe(&self, server: &MockServer, mut request: Value) -> Response {
        request["callbackUri"] = Value::String(callback_uri(server));
        self.post("/subscriptions", request).await
    }

    /// `POST /oauth2/token` with `body`: with the NFVO's client id `nfvo` and `secret` as Basic
    /// credentials when given, and as a form (`application/x-www-form-urlencoded`) when `form`.
    pub async fn token_request(&self, secret: Option<&str>, form: bool, body: &str) -> Response {
        let mut request = self
            .client
            .post(format!("{}/oauth2/token", self.vnfm.http_url()));
        if let Some(secret) = secret {
            request = request.basic_auth("nfvo", Some(secret));
        }
        if form {
            request = request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request
            .body(body.to_string())
            .send()
            .await
            .expect("token request")
    }

    /// A bearer token of the NFVO's client credentials.
    pub async fn bearer_token(&self) -> String {
        let body = "grant_type=client_credentials";
        let response = self.token_request(Some("nfvo-secret"), true, body).await;
        let answer: Value = response.json().await.expect("a token answer");
        answer["access_token"]
            .as_str()
            .expect("a token")
            .to_string()
    }

    /// The status of `DELETE /vnf_instances/{instance_id}`.
    pub async fn delete_instance(&self, instance_id: &str) -> u16 {
        let path = format!("/vnf_instances/{instance_id}");
        self.delete(&path).await.status().as_u16()
    }

    /// Asks to terminate `instance_id` (`FORCEFUL` or `GRACEFUL`).
    pub async fn terminate(&self, instance_id: &str, termination_type: &str) -> Response {
        self.post(
            &format!("/vnf_instances/{instance_id}/terminate"),
            serde_json::json!({ "terminationType": termination_type }),
        )
        .await
    }

    /// Creates an empty snapshot resource; returns its id.
    pub async fn new_snapshot_resource(&self) -> String {
        self.created("/vnf_snapshots", serde_json::json!({})).await
    }

    /// Creates a VNF instance of `vnfd_id`; returns its id.
    pub async fn new_instance(&self, vnfd_id: &str) -> String {
        let instance = serde_json::json!({"vnfdId": vnfd_id, "vnfInstanceName": "test-vnf"});
        self.created("/vnf_instances", instance).await
    }

    /// POSTs `body` to the collection `path`, asserts 201; the new resource's id.
    async fn created(&self, path: &str, body: Value) -> String {
        let response = self.post(path, body).await;
        assert_eq!(response.status(), 201, "POST {path}");
        let body: Value = response.json().await.expect("JSON");
        body["id"].as_str().expect("id").to_string()
    }

    /// Instantiates `instance_id` on a VMware vCD VIM (no cloud call); returns the op occ URL.
    pub async fn instantiate_on_vcd(&self, instance_id: &str) -> String {
        let response = self
            .post(
                &format!("/vnf_instances/{instance_id}/instantiate"),
                serde_json::json!({
                    "flavourId": "default",
                    "vimConnectionInfo": {"vcd-1": {"vimType": "ETSINFV.VMWARE_VCD.V_10", "interfaceInfo": {"endpoint": "https://vcd.example"}}}
                }),
            )
            .await;
        assert_eq!(response.status(), 202);
        location(&response)
    }

    /// Polls the op occ at `url` until it reaches `state`.
    pub async fn wait_for_state(&self, url: &str, state: &str) -> Value {
        eventually(Duration::from_secs(60), || async {
            let occ = self.get_json(url).await;
            (occ["operationState"] == state).then_some(occ)
        })
        .await
    }
}

/// The `Location` header of `response`.
pub fn location(response: &Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string()
}

/// Creates and instantiates an instance of `vnfd` through `nfvo`; its id once COMPLETED.
pub async fn instantiated(nfvo: &VnfmClient, vnfd: &str) -> String {
    let create = serde_json::json!({ "vnfdId": vnfd });
    nfvo.instantiated_instance(&create, Duration::from_secs(60))
        .await
        .expect("instantiated instance")
}

/// A whole `VnfSnapshot` of an instance `instance_id` of `vnfd-vb-1vdu` with one VNFC snapshot,
/// as an NFVO PATCHes or POSTs it into a snapshot resource.
pub fn snapshot_content(instance_id: &str) -> Value {
    serde_json::json!({
        "id": "0e61b4f8-b347-4d48-80e1-b7a1d28196ef",
        "vnfInstanceId": instance_id,
        "creationStartedAt": "2022-07-20T15:08:43.966Z",
        "creationFinishedAt": "2022-07-20T15:09:02.588Z",
        "vnfdId": "vnfd-vb-1vdu",
        "vnfInstance": {
            "id": instance_id, "vnfdId": "vnfd-vb-1vdu", "vnfProvider": "Cisco",
            "vnfProductName": "vb", "vnfSoftwareVersion": "1.0", "vnfdVersion": "1.0",
            "instantiationState": "INSTANTIATED",
            "_links": {"self": {"href": format!("http://vnfm/vnf_instances/{instance_id}")}}
        },
        "vnfcSnapshots": [{
            "id": "eac61a66-51d2-47dd-b8f4-289f38203eff",
            "vnfcInstanceId": "res-1",
            "creationStartedAt": "2022-07-20T15:08:43.966Z",
            "vnfcResourceInfoId": "res-1"
        }]
    })
}

/// Sends `request` and parses the answer's JSON body, whatever the status.
pub async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("a JSON body")
}

/// Retries `probe` until it yields a value or `deadline` passes (then panics).
pub async fn eventually<T, F, Fut>(deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let end = tokio::time::Instant::now() + deadline;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < end,
            "condition not reached within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Stack {
    /// Instantiates on vCD and returns only the status code.
    pub async fn instantiate_on_vcd_raw(&self, instance_id: &str) -> u16 {
        self.post(
            &format!("/vnf_instances/{instance_id}/instantiate"),
            serde_json::json!({
                "flavourId": "default",
                "vimConnectionInfo": {"vcd-1": {"vimType": "ETSINFV.VMWARE_VCD.V_10"}}
            }),
        )
        .await
        .status()
        .as_u16()
    }
}
