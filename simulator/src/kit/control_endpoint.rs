//! What the clients of the two control APIs (the cloud's `/_sim`, the VNFM's `/_vnfm/faults`)
//! share: a base URL, the control token and one JSON call.

use std::marker::PhantomData;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::CallError;
use crate::control_access::CONTROL_TOKEN_HEADER;

/// Which control API a [`ControlClient`] calls.
pub trait ControlApi {
    /// The API's path prefix (`/_sim`).
    const PREFIX: &'static str;
}

/// The client of the control API `A` of one server; `A` gives its calls ([`SimControl`],
/// [`VnfmControl`]).
///
/// [`SimControl`]: super::SimControl
/// [`VnfmControl`]: super::VnfmControl
#[derive(Clone, Debug)]
pub struct ControlClient<A> {
    pub(super) endpoint: ControlEndpoint,
    api: PhantomData<A>,
}

impl<A: ControlApi> ControlClient<A> {
    /// A client for the server at `base_url` (scheme, host and port).
    pub fn new(base_url: &str) -> Self {
        Self {
            endpoint: ControlEndpoint::new(base_url, A::PREFIX),
            api: PhantomData,
        }
    }

    /// Sends the control token with every call.
    pub fn with_token(mut self, token: &str) -> Self {
        self.endpoint.token = Some(token.to_string());
        self
    }

    /// Makes the calls with `http` (for example one that trusts the server's certificate).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.endpoint.http = http;
        self
    }
}

/// One control API: its base URL (`scheme://host:port` plus the API's prefix), the HTTP
/// client and the control token, if any.
#[derive(Clone, Debug)]
pub(super) struct ControlEndpoint {
    base: String,
    /// The API's prefix (`/_sim`), used to name calls in errors.
    prefix: &'static str,
    pub(super) http: reqwest::Client,
    pub(super) token: Option<String>,
}

impl ControlEndpoint {
    /// The control API under `prefix` of the server at `base_url`.
    pub(super) fn new(base_url: &str, prefix: &'static str) -> Self {
        crate::tls::install_crypto_provider();
        Self {
            base: format!("{}{prefix}", base_url.trim_end_matches('/')),
            prefix,
            http: reqwest::Client::new(),
            token: None,
        }
    }

    /// Sends `method` to `path` (under the prefix) with an optional JSON body; answers the
    /// JSON body (`null` when empty), or an error naming the call for any other status than
    /// 2xx.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, CallError> {
        self.call_as(method, path, body).await
    }

    /// [`Self::call`] reading the answer into `T` (an empty body reads as `null`), which may
    /// take only the fields it needs.
    pub(super) async fn call_as<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, CallError> {
        let what = format!("{method} {}{path}", self.prefix);
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header(CONTROL_TOKEN_HEADER, token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| CallError::new(format!("{what}: {e}")))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(CallError {
                status: Some(status.as_u16()),
                message: format!("{what} answered {status}: {text}"),
            });
        }
        let text = if text.is_empty() { "null" } else { &text };
        serde_json::from_str(text).map_err(|e| CallError::new(format!("{what}: bad JSON: {e}")))
    }

    /// POSTs `body` to `path` (under the prefix); answers the `id` of what was created.
    pub(super) async fn create(&self, path: &str, body: &Value) -> Result<String, CallError> {
        let created = self.call(Method::POST, path, Some(body)).await?;
        created["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| CallError::new(format!("no id in {created}")))
    }
}
