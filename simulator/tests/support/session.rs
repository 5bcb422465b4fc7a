//! Calls to the fake cloud as one user sees it: a [`Session`] holds the token, the service's
//! path prefix and, for Nova and Cinder, the microversion header, so that a test says only what
//! differs from one call to the next (the method, the path, the body).
//!
//! ```ignore
//! let cloud = start_cloud(TimeProfile::Instant).await;
//! let (token, project) = cloud.token("admin").await;
//! let nova = cloud.nova_as(&token, "2.1"); // paths after /compute/v2.1
//! let cinder = cloud.cinder_as(&token, &project, "3.0"); // paths after /volume/v3/{project}
//! let glance = cloud.glance_as(&token); // paths after /image/v2
//! let neutron = cloud.neutron_as(&token); // paths after /networking/v2.0
//! let keystone = cloud.keystone_as(&token); // paths after /identity/v3
//! let api = cloud.as_user(&token); // paths from the root: Keystone, anything
//!
//! let image = cloud.base_image(&token).await;
//! let server = json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": image}});
//! let created = nova.post("/servers", server).await;
//! assert_eq!(created.status, 202, "{}", created.text);
//! let id = created.body["server"]["id"].as_str().unwrap();
//! let shown = nova.at("2.47").get(&format!("/servers/{id}")).await; // another microversion
//! let volumes = cinder.get("/volumes/detail").await;
//! let as_text = glance.header("Accept", "text/plain").get("/images/unknown").await;
//! let versions = cloud.anonymous().get("/compute").await; // no token
//! ```
//!
//! `docs/contributing-tests.md` says how to write a cloud test with these.

use reqwest::Method;
use serde_json::Value;

use super::{Answer, TestCloud};

/// Calls as the holder of one token (or none), to one service at one microversion.
#[derive(Clone)]
pub struct Session<'a> {
    cloud: &'a TestCloud,
    token: Option<String>,
    /// Put before every path (`/compute/v2.1`, `/volume/v3/{project}`, or nothing).
    prefix: String,
    /// The service type of the `OpenStack-API-Version` header and the version asked.
    microversion: Option<(&'static str, String)>,
    /// Extra request headers.
    headers: Vec<(String, String)>,
}

impl TestCloud {
    /// Calls without a token, paths from the root.
    pub fn anonymous(&self) -> Session<'_> {
        Session {
            cloud: self,
            token: None,
            prefix: String::new(),
            microversion: None,
            headers: Vec::new(),
        }
    }

    /// Calls with `token`, paths from the root.
    pub fn as_user(&self, token: &str) -> Session<'_> {
        Session {
            token: Some(token.to_string()),
            ..self.anonymous()
        }
    }

    /// Keystone with `token`, paths after `/identity/v3`.
    pub fn keystone_as(&self, token: &str) -> Session<'_> {
        Session {
            prefix: "/identity/v3".to_string(),
            ..self.as_user(token)
        }
    }

    /// Nova at microversion `version` with `token`, paths after `/compute/v2.1`.
    pub fn nova_as(&self, token: &str, version: &str) -> Session<'_> {
        Session {
            prefix: "/compute/v2.1".to_string(),
            microversion: Some(("compute", version.to_string())),
            ..self.as_user(token)
        }
    }

    /// Glance with `token`, paths after `/image/v2`.
    pub fn glance_as(&self, token: &str) -> Session<'_> {
        Session {
            prefix: "/image/v2".to_string(),
            ..self.as_user(token)
        }
    }

    /// Neutron with `token`, paths after `/networking/v2.0`.
    pub fn neutron_as(&self, token: &str) -> Session<'_> {
        Session {
            prefix: "/networking/v2.0".to_string(),
            ..self.as_user(token)
        }
    }

    /// Cinder at microversion `version` with `token`, paths after `/volume/v3/{project}`.
    pub fn cinder_as(&self, token: &str, project: &str, version: &str) -> Session<'_> {
        Session {
            prefix: format!("/volume/v3/{project}"),
            microversion: Some(("volume", version.to_string())),
            ..self.as_user(token)
        }
    }
}

impl Session<'_> {
    /// The same session at another microversion.
    pub fn at(&self, version: &str) -> Self {
        let (service, _) = self
            .microversion
            .as_ref()
            .expect("a session of Nova or Cinder");
        Self {
            microversion: Some((service, version.to_string())),
            ..self.clone()
        }
    }

    /// The same session with one more request header.
    pub fn header(&self, name: &str, value: &str) -> Self {
        let mut session = self.clone();
        session.headers.push((name.to_string(), value.to_string()));
        session
    }

    /// Any method, with or without a JSON body.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let version = self
            .microversion
            .as_ref()
            .map(|(service, version)| format!("{service} {version}"));
        let mut headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        if let Some(version) = &version {
            headers.push(("OpenStack-API-Version", version));
        }
        let path = format!("{}{path}", self.prefix);
        self.cloud
            .call(method, &path, self.token.as_deref(), &headers, body)
            .await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None).await
    }
}
