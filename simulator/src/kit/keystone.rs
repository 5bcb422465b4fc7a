//! A Keystone v3 client: a password token scoped to a project, and the endpoints of its catalog.

use serde_json::{json, Value};

use super::CallError;

/// Password credentials of a user, scoped to a project by name (domains default to `Default`).
#[derive(Clone, Debug)]
pub struct PasswordAuth {
    username: String,
    password: String,
    user_domain: String,
    project: String,
    project_domain: String,
}

impl PasswordAuth {
    /// `username` with `password`, scoped to the project of the same name until told otherwise.
    pub fn new(username: &str, password: &str) -> Self {
        Self {
            username: username.to_string(),
            password: password.to_string(),
            user_domain: "Default".into(),
            project: username.to_string(),
            project_domain: "Default".into(),
        }
    }

    /// Scopes the token to the project named `project`.
    pub fn project(mut self, project: &str) -> Self {
        self.project = project.to_string();
        self
    }

    /// The domain of the user, by name.
    pub fn user_domain(mut self, domain: &str) -> Self {
        self.user_domain = domain.to_string();
        self
    }

    /// The domain of the project, by name.
    pub fn project_domain(mut self, domain: &str) -> Self {
        self.project_domain = domain.to_string();
        self
    }

    fn body(&self) -> Value {
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self.username, "domain": {"name": self.user_domain},
                "password": self.password}}},
            "scope": {"project": {"name": self.project, "domain": {"name": self.project_domain}}}}})
    }
}

/// A project-scoped token and what Keystone said with it.
#[derive(Clone, Debug)]
pub struct ScopedToken {
    /// The `X-Subject-Token`.
    pub id: String,
    /// The id of the project it is scoped to.
    pub project_id: String,
    /// The token body (`{"token": {...}}`), catalog included.
    pub body: Value,
}

impl ScopedToken {
    /// The public URL (without a trailing `/`) of the first catalog service of one of `types`.
    pub fn public_endpoint(&self, types: &[&str]) -> Option<String> {
        self.body["token"]["catalog"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| types.contains(&s["type"].as_str().unwrap_or_default()))
            .flat_map(|s| s["endpoints"].as_array().cloned().unwrap_or_default())
            .find(|e| e["interface"] == "public")
            .and_then(|e| {
                e["url"]
                    .as_str()
                    .map(|u| u.trim_end_matches('/').to_string())
            })
    }
}

/// Client of one Keystone v3 endpoint.
#[derive(Clone, Debug)]
pub struct KeystoneClient {
    v3: String,
    http: reqwest::Client,
}

impl KeystoneClient {
    /// A client of the Keystone at `auth_url`, with or without the trailing `/v3`.
    pub fn new(auth_url: &str) -> Self {
        crate::tls::install_crypto_provider();
        Self::with_client(auth_url, reqwest::Client::new())
    }

    /// [`Self::new`] making the calls with `http` (building none of its own: a new client
    /// reads the system's trust store).
    pub fn with_client(auth_url: &str, http: reqwest::Client) -> Self {
        let base = auth_url.trim_end_matches('/');
        Self {
            v3: if base.ends_with("/v3") {
                base.to_string()
            } else {
                format!("{base}/v3")
            },
            http,
        }
    }

    /// Makes the calls with `http` (for example one that trusts the cloud's certificate).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// `POST /v3/auth/tokens` with the password method and a project scope.
    pub async fn password_token(&self, auth: &PasswordAuth) -> Result<ScopedToken, CallError> {
        let url = format!("{}/auth/tokens", self.v3);
        let response = self
            .http
            .post(&url)
            .json(&auth.body())
            .send()
            .await
            .map_err(|e| CallError::new(format!("Keystone POST {url}: {e}")))?;
        let status = response.status();
        let id = response
            .headers()
            .get("X-Subject-Token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body: Value = response.json().await.unwrap_or_default();
        let project_id = body["token"]["project"]["id"].as_str().map(str::to_string);
        match (id, project_id) {
            (Some(id), Some(project_id)) => Ok(ScopedToken {
                id,
                project_id,
                body,
            }),
            _ => Err(CallError::new(format!(
                "Keystone POST {url} for project {} answered {status} without a scoped token: {body}",
                auth.project
            ))),
        }
    }
}
