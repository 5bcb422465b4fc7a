//! How an NFVO's client authorizes its requests to a VNFM: HTTP Basic, or an OAuth 2.0
//! client-credentials token that is fetched once and renewed before it expires.

use std::time::{Duration, Instant};

use reqwest::RequestBuilder;
use serde_json::Value;
use tokio::sync::Mutex;

use super::CallError;

/// A token without `expires_in` is taken to last this long.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// A token is renewed this long before it expires.
const RENEWAL_MARGIN: Duration = Duration::from_secs(30);

/// The credentials of a [`super::VnfmClient`].
#[derive(Debug)]
pub(super) enum VnfmAuth {
    /// HTTP Basic.
    Basic { username: String, password: String },
    /// A bearer token from an OAuth 2.0 token endpoint.
    OAuth2(OAuth2ClientCredentials),
}

/// The OAuth 2.0 client-credentials grant (RFC 6749 §4.4) with the token it got, if any.
#[derive(Debug)]
pub struct OAuth2ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    scope: Option<String>,
    token: Mutex<Option<(String, Instant)>>,
}

impl OAuth2ClientCredentials {
    /// A client `client_id` of the token endpoint `token_url`, asking for `scope` if given.
    pub fn new(token_url: &str, client_id: &str, client_secret: &str, scope: Option<&str>) -> Self {
        Self {
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            scope: scope.map(str::to_string),
            token: Mutex::new(None),
        }
    }

    /// The current token, fetched again when it is missing or about to expire.
    async fn token(&self, http: &reqwest::Client) -> Result<String, CallError> {
        let mut cached = self.token.lock().await;
        if let Some((token, renew_at)) = cached.as_ref() {
            if Instant::now() < *renew_at {
                return Ok(token.clone());
            }
        }
        let form = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if let Some(scope) = &self.scope {
                form.append_pair("scope", scope);
            }
            form.finish()
        };
        let failed =
            |e: reqwest::Error| CallError::new(format!("token endpoint {}: {e}", self.token_url));
        let response = http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        let text = response.text().await.map_err(failed)?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let token = body["access_token"].as_str().ok_or_else(|| CallError {
            status: Some(status.as_u16()),
            message: format!(
                "token endpoint {} answered {status} without access_token: {text}",
                self.token_url
            ),
        })?;
        let lifetime = body["expires_in"]
            .as_u64()
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let renew_at = Instant::now() + lifetime.saturating_sub(RENEWAL_MARGIN);
        *cached = Some((token.to_string(), renew_at));
        Ok(token.to_string())
    }
}

impl VnfmAuth {
    /// Adds the authorization to `request`.
    pub(super) async fn apply(
        &self,
        http: &reqwest::Client,
        request: RequestBuilder,
    ) -> Result<RequestBuilder, CallError> {
        match self {
            Self::Basic { username, password } => Ok(request.basic_auth(username, Some(password))),
            Self::OAuth2(credentials) => Ok(request.bearer_auth(credentials.token(http).await?)),
        }
    }
}
