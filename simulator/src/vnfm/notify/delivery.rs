//! Delivery of notifications to one callback: in order, retried with bounded exponential
//! backoff, as the notification fault rules allow; failures are logged and never reach the
//! operation.

use std::{sync::Arc, time::Duration};

use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;

use super::{CallbackAuth, QueueOwner};
use crate::vnfm::{
    api::version::API_VERSION,
    config::RetryPolicy,
    faults::{EffectKind, Facts, VnfmFaults},
};

/// Why one attempt failed.
enum AttemptError {
    /// The bearer token was refused; fetch a new one.
    TokenRefused,
    Other(String),
}

async fn fetch_token(
    client: &Client,
    client_id: &str,
    client_secret: &str,
    endpoint: &str,
) -> Result<String, String> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .finish();
    let response = client
        .post(endpoint)
        .basic_auth(client_id, Some(client_secret))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|error| format!("token endpoint {endpoint}: {error}"))?;
    if !response.status().is_success() {
        return Err(format!(
            "token endpoint {endpoint} answered {}",
            response.status()
        ));
    }
    let answer: Value = response
        .json()
        .await
        .map_err(|error| format!("token endpoint {endpoint}: {error}"))?;
    answer
        .get("access_token")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("token endpoint {endpoint} answered without access_token"))
}

/// Adds `Version` and the credentials to a request (fetching a token when needed).
async fn authorize(
    client: &Client,
    request: RequestBuilder,
    auth: &CallbackAuth,
    token: &mut Option<String>,
) -> Result<RequestBuilder, String> {
    let request = request.header("Version", API_VERSION);
    Ok(match auth {
        CallbackAuth::None => request,
        CallbackAuth::Basic { user, password } => request.basic_auth(user, Some(password)),
        CallbackAuth::OAuth2 {
            client_id,
            client_secret,
            token_endpoint,
        } => {
            if token.is_none() {
                *token = Some(fetch_token(client, client_id, client_secret, token_endpoint).await?);
            }
            request.bearer_auth(token.as_deref().unwrap_or_default())
        }
    })
}

/// GET on the callback URI, expecting 204.
pub async fn test_endpoint(
    client: &Client,
    callback_uri: &str,
    auth: &CallbackAuth,
) -> Result<(), String> {
    let mut token = None;
    let request = authorize(client, client.get(callback_uri), auth, &mut token).await?;
    let response = request.send().await.map_err(|error| {
        format!("the notification endpoint test (GET {callback_uri}) failed: {error}")
    })?;
    if response.status() == StatusCode::NO_CONTENT {
        Ok(())
    } else {
        Err(format!(
            "the notification endpoint test (GET {callback_uri}) answered {}, expected 204 No Content",
            response.status()
        ))
    }
}

async fn attempt(
    client: &Client,
    callback_uri: &str,
    auth: &CallbackAuth,
    token: &mut Option<String>,
    body: &Value,
) -> Result<(), AttemptError> {
    let request = authorize(client, client.post(callback_uri), auth, token)
        .await
        .map_err(AttemptError::Other)?;
    let response = request
        .json(body)
        .send()
        .await
        .map_err(|error| AttemptError::Other(error.to_string()))?;
    match response.status() {
        status if status.is_success() => Ok(()),
        StatusCode::UNAUTHORIZED if matches!(auth, CallbackAuth::OAuth2 { .. }) => {
            Err(AttemptError::TokenRefused)
        }
        status => Err(AttemptError::Other(format!("answered {status}"))),
    }
}

/// Where and how one subscription's notifications are delivered.
pub struct Endpoint {
    /// The notifier's HTTP client.
    pub client: Client,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
    /// The subscription's `callbackUri`.
    pub callback_uri: String,
    /// The credentials the subscriber asked for.
    pub auth: CallbackAuth,
}

impl Endpoint {
    /// Delivers one notification, retried with bounded backoff; a failure is only logged.
    async fn deliver(&self, body: &Value, token: &mut Option<String>) {
        let (retry, callback_uri) = (self.retry, &self.callback_uri);
        let mut backoff = retry.first_backoff;
        for attempt_number in 1..=retry.attempts.max(1) {
            match attempt(&self.client, callback_uri, &self.auth, token, body).await {
                Ok(()) => return,
                Err(error) => {
                    let reason = match error {
                        AttemptError::TokenRefused => {
                            *token = None;
                            "the bearer token was refused".to_string()
                        }
                        AttemptError::Other(reason) => reason,
                    };
                    tracing::warn!(%callback_uri, attempt_number, %reason, "notification delivery failed");
                    if attempt_number < retry.attempts {
                        tokio::time::sleep(backoff).await;
                        backoff =
                            (backoff * 2).min(retry.max_backoff.max(Duration::from_millis(1)));
                    }
                }
            }
        }
    }
}

/// What notification fault rules match on: the subscription, its root, and the instance and
/// operation the notification is about.
fn facts(owner: &QueueOwner, body: &Value) -> Facts {
    let text = |key: &str| body[key].as_str().map(str::to_string);
    Facts {
        kind: EffectKind::Notification,
        api: Some(owner.api),
        method: None,
        path: None,
        operation: text("operation"),
        vnf_instance_id: text("vnfInstanceId"),
        subscription_id: Some(owner.subscription_id.clone()),
        step: None,
    }
}

/// Delivers every queued notification in order until the queue is closed, as the
/// notification fault rules say: later, not at all, twice, or after the next one.
pub async fn deliver_queue(
    endpoint: Endpoint,
    owner: QueueOwner,
    faults: Arc<VnfmFaults>,
    mut queue: UnboundedReceiver<Value>,
) {
    let mut token = None;
    let mut held_back: Option<Value> = None;
    while let Some(body) = queue.recv().await {
        let decision = faults.book().decide_notification(&facts(&owner, &body));
        if decision.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
        }
        if decision.drop {
            continue;
        }
        if decision.reorder && held_back.is_none() {
            held_back = Some(body);
            continue;
        }
        endpoint.deliver(&body, &mut token).await;
        if decision.duplicate {
            endpoint.deliver(&body, &mut token).await;
        }
        if let Some(held) = held_back.take() {
            endpoint.deliver(&held, &mut token).await;
        }
    }
    if let Some(held) = held_back {
        endpoint.deliver(&held, &mut token).await;
    }
}
