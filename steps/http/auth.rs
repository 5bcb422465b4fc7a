//! Credentials towards the VNFM: HTTP Basic, or an OAuth 2.0 client-credentials token that is
//! fetched once and renewed before it expires.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use crate::{
    failure::{Failure, Outcome},
    target::config::AuthConfig,
};

/// How requests are authorized.
#[derive(Debug)]
pub struct Credentials {
    config: AuthConfig,
    token: Mutex<Option<(String, Instant)>>,
}

impl Credentials {
    pub fn new(config: AuthConfig) -> Self {
        Self {
            config,
            token: Mutex::new(None),
        }
    }

    /// Adds the authorization of this target to `request`.
    pub async fn apply(
        &self,
        http: &reqwest::Client,
        request: reqwest::RequestBuilder,
    ) -> Outcome<reqwest::RequestBuilder> {
        match &self.config {
            AuthConfig::Basic { username, password } => {
                Ok(request.basic_auth(username, Some(password)))
            }
            AuthConfig::Oauth2 {
                token_url,
                client_id,
                client_secret,
                scope,
            } => {
                let mut cached = self.token.lock().await;
                if let Some((token, expiry)) = cached.as_ref() {
                    if Instant::now() < *expiry {
                        return Ok(request.bearer_auth(token));
                    }
                }
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                form.append_pair("grant_type", "client_credentials");
                if let Some(scope) = scope {
                    form.append_pair("scope", scope);
                }
                let response = http
                    .post(token_url)
                    .basic_auth(client_id, Some(client_secret))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form.finish())
                    .send()
                    .await?;
                let status = response.status();
                let body: Value = response.json().await?;
                let token = body["access_token"].as_str().ok_or_else(|| {
                    Failure::new(format!(
                        "token endpoint {token_url} answered {status} without access_token: {body}"
                    ))
                })?;
                let lifetime = body["expires_in"].as_u64().unwrap_or(300);
                let expiry = Instant::now() + Duration::from_secs(lifetime.saturating_sub(30));
                *cached = Some((token.to_string(), expiry));
                Ok(request.bearer_auth(token))
            }
        }
    }
}
