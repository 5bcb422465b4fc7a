//! The NFVO's client of a VNFM's VNF LCM API: one API root, the credentials (HTTP Basic or
//! OAuth 2.0) and the `Version` header on every request, and the lifecycle calls that tests,
//! benchmarks, the demo and the conformance suite make.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

use super::{vnfm_auth::VnfmAuth, CallError, OAuth2ClientCredentials};

/// The `Version` header the client sends.
pub const API_VERSION: &str = "2.0.0";

/// How often [`VnfmClient::wait_for_operation`] looks at an operation occurrence.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Client of one VNF LCM API root (`…/or_vnfm/vnflcm/v2` or `…/ve_vnfm/vnflcm/v2`).
#[derive(Clone, Debug)]
pub struct VnfmClient {
    root: String,
    version: String,
    http: reqwest::Client,
    auth: Arc<VnfmAuth>,
}

impl VnfmClient {
    /// A client of the API root `root`, with the reference VNFM's default user `admin`/`admin`
    /// and the `Version` header [`API_VERSION`].
    pub fn new(root: &str) -> Self {
        crate::tls::install_crypto_provider();
        Self {
            root: root.trim_end_matches('/').to_string(),
            version: API_VERSION.to_string(),
            http: reqwest::Client::new(),
            auth: Arc::new(VnfmAuth::Basic {
                username: "admin".into(),
                password: "admin".into(),
            }),
        }
    }

    /// Authenticates as `username` with `password` (HTTP Basic).
    pub fn with_basic_auth(mut self, username: &str, password: &str) -> Self {
        self.auth = Arc::new(VnfmAuth::Basic {
            username: username.to_string(),
            password: password.to_string(),
        });
        self
    }

    /// Authorizes with a bearer token of the OAuth 2.0 client-credentials grant.
    pub fn with_oauth2(mut self, credentials: OAuth2ClientCredentials) -> Self {
        self.auth = Arc::new(VnfmAuth::OAuth2(credentials));
        self
    }

    /// Sends `version` in the `Version` header.
    pub fn with_version(mut self, version: &str) -> Self {
        self.version = version.to_string();
        self
    }

    /// Makes the calls with `http` (for example one with a larger connection pool).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// A client of another API root with the same HTTP client, `Version` and credentials (an
    /// OAuth 2.0 token is shared).
    pub fn at_root(&self, root: &str) -> Self {
        Self {
            root: root.trim_end_matches('/').to_string(),
            ..self.clone()
        }
    }

    /// The API root, without a trailing slash.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The `Version` header value sent.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The absolute URL of `path` (relative to the root), or `path` itself when absolute.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{path}", self.root)
        }
    }

    /// A request for `path` with neither credentials nor `Version` (see [`Self::authorize`]).
    pub fn bare_request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// Adds the client's credentials to `request` (fetching an OAuth 2.0 token if needed).
    pub async fn authorize(&self, request: RequestBuilder) -> Result<RequestBuilder, CallError> {
        self.auth.apply(&self.http, request).await
    }

    /// A request for `path` with the credentials and the `Version` header.
    pub async fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, CallError> {
        let request = self
            .bare_request(method, path)
            .header("Version", &self.version);
        self.authorize(request).await
    }

    /// Sends `method` to `path` with an optional JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, CallError> {
        let mut request = self.request(method.clone(), path).await?;
        if let Some(body) = body {
            request = request.json(body);
        }
        request
            .send()
            .await
            .map_err(|e| CallError::new(format!("{method} {path}: {e}")))
    }

    /// POSTs `body` to `path` expecting `expected`; returns the `Location` header and the body.
    async fn post_expecting(
        &self,
        path: &str,
        body: &Value,
        expected: StatusCode,
    ) -> Result<(Option<String>, Value), CallError> {
        let response = self.send(Method::POST, path, Some(body)).await?;
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let text = response.text().await.unwrap_or_default();
        if status != expected {
            return Err(CallError {
                status: Some(status.as_u16()),
                message: format!("POST {path} answered {status} instead of {expected}: {text}"),
            });
        }
        Ok((location, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// `POST /vnf_instances`; returns the new instance's id.
    pub async fn create_instance(&self, request: &Value) -> Result<String, CallError> {
        let (_, body) = self
            .post_expecting("/vnf_instances", request, StatusCode::CREATED)
            .await?;
        id_of(&body, "VNF instance")
    }

    /// `POST /vnf_instances/{id}/instantiate`; returns the operation occurrence's URL.
    pub async fn instantiate(
        &self,
        instance_id: &str,
        request: &Value,
    ) -> Result<String, CallError> {
        self.task(
            &format!("/vnf_instances/{instance_id}/instantiate"),
            request,
        )
        .await
    }

    /// Creates an instance with `create_request` and instantiates it with the default flavour;
    /// returns its id once the instantiation COMPLETED (within `deadline`).
    pub async fn instantiated_instance(
        &self,
        create_request: &Value,
        deadline: Duration,
    ) -> Result<String, CallError> {
        let id = self.create_instance(create_request).await?;
        let occ = self
            .instantiate(&id, &json!({"flavourId": "default"}))
            .await?;
        let done = self.wait_for_operation(&occ, deadline).await?;
        if done["operationState"] != "COMPLETED" {
            return Err(CallError::new(format!(
                "instantiation ended {}: {}",
                done["operationState"], done["error"]
            )));
        }
        Ok(id)
    }

    /// `POST /vnf_snapshots {}`: an empty "Individual VNF snapshot" resource; returns its id.
    pub async fn create_snapshot_resource(&self) -> Result<String, CallError> {
        let (_, body) = self
            .post_expecting("/vnf_snapshots", &json!({}), StatusCode::CREATED)
            .await?;
        id_of(&body, "VNF snapshot")
    }

    /// `POST /vnf_instances/{id}/create_snapshot`; returns the operation occurrence's URL.
    pub async fn create_snapshot(
        &self,
        instance_id: &str,
        snapshot_id: &str,
    ) -> Result<String, CallError> {
        let path = format!("/vnf_instances/{instance_id}/create_snapshot");
        self.task(&path, &json!({"vnfSnapshotInfoId": snapshot_id}))
            .await
    }

    /// `POST /vnf_instances/{id}/revert_to_snapshot` of the whole VNF; returns the operation
    /// occurrence's URL.
    pub async fn revert_to_snapshot(
        &self,
        instance_id: &str,
        snapshot_id: &str,
    ) -> Result<String, CallError> {
        let path = format!("/vnf_instances/{instance_id}/revert_to_snapshot");
        self.task(&path, &json!({"vnfSnapshotInfoId": snapshot_id}))
            .await
    }

    /// `POST /vnf_instances/{id}/terminate` (FORCEFUL); returns the operation occurrence's
    /// URL.
    pub async fn terminate(&self, instance_id: &str) -> Result<String, CallError> {
        let path = format!("/vnf_instances/{instance_id}/terminate");
        self.task(&path, &json!({"terminationType": "FORCEFUL"}))
            .await
    }

    /// POSTs a task expecting 202; returns the operation occurrence's URL.
    async fn task(&self, path: &str, body: &Value) -> Result<String, CallError> {
        let (location, _) = self
            .post_expecting(path, body, StatusCode::ACCEPTED)
            .await?;
        location.ok_or_else(|| CallError::new(format!("POST {path} gave no Location")))
    }

    /// `DELETE` of a resource (`/vnf_snapshots/{id}`, `/vnf_instances/{id}`) expecting 204.
    pub async fn delete(&self, path: &str) -> Result<(), CallError> {
        let response = self.send(Method::DELETE, path, None).await?;
        let status = response.status();
        if status != StatusCode::NO_CONTENT {
            let text = response.text().await.unwrap_or_default();
            return Err(CallError {
                status: Some(status.as_u16()),
                message: format!("DELETE {path} answered {status}: {text}"),
            });
        }
        Ok(())
    }

    /// `POST /subscriptions` of `callback` to every notification.
    pub async fn subscribe(&self, callback: &str) -> Result<(), CallError> {
        self.post_expecting(
            "/subscriptions",
            &json!({"callbackUri": callback}),
            StatusCode::CREATED,
        )
        .await
        .map(drop)
    }

    /// Polls the operation occurrence at `occ_url` until it leaves `STARTING`, `PROCESSING`
    /// and `ROLLING_BACK`; returns it then. Fails after `deadline`.
    pub async fn wait_for_operation(
        &self,
        occ_url: &str,
        deadline: Duration,
    ) -> Result<Value, CallError> {
        let end = Instant::now() + deadline;
        loop {
            let response = self.send(Method::GET, occ_url, None).await?;
            let status = response.status();
            let occ: Value = response.json().await.unwrap_or(Value::Null);
            if status != StatusCode::OK {
                return Err(CallError {
                    status: Some(status.as_u16()),
                    message: format!("GET {occ_url} answered {status}: {occ}"),
                });
            }
            match occ["operationState"].as_str() {
                Some("STARTING" | "PROCESSING" | "ROLLING_BACK") if Instant::now() < end => {
                    tokio::time::sleep(POLL_INTERVAL).await
                }
                Some("STARTING" | "PROCESSING" | "ROLLING_BACK") => {
                    return Err(CallError::new(format!(
                        "{occ_url} did not finish within {deadline:?}: {occ}"
                    )))
                }
                _ => return Ok(occ),
            }
        }
    }
}

fn id_of(body: &Value, what: &str) -> Result<String, CallError> {
    body["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| CallError::new(format!("no id in the created {what}: {body}")))
}
