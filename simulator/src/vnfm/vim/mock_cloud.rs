//! Test support: a wiremock server playing Keystone, Nova, Cinder, Glance and Neutron, with helpers
//! for the resources the driver polls.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{DeployedVolume, OpenStackAccess, OpenStackVim, VimTiming};

/// Path prefixes of the services in the mock's catalog.
pub(crate) const NOVA: &str = "/compute/v2.1";
pub(crate) const CINDER: &str = "/volume/v3/p1";
pub(crate) const GLANCE: &str = "/image";
pub(crate) const NEUTRON: &str = "/networking";

/// Pseudo-status of the helpers: the resource answers 404.
pub(crate) const GONE: &str = "<gone>";

/// Cinder's reason for refusing to delete a volume that has snapshots.
pub(crate) const HAS_SNAPSHOTS: &str = "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.";

/// Cinder's 400 refusing to delete a volume that has snapshots.
pub(crate) fn refused_has_snapshots() -> ResponseTemplate {
    reply(
        400,
        json!({"badRequest": {"code": 400, "message": HAS_SNAPSHOTS}}),
    )
}

/// The boot volume `vol-boot` (`vdu1-boot`) and data volume `vol-data` (`data`) of a
/// volume-backed VNFC of `vdu1`.
pub(crate) fn boot_and_data_volumes() -> Vec<DeployedVolume> {
    [("vdu1-boot", "vol-boot", true), ("data", "vol-data", false)]
        .map(|(desc, id, bootable)| DeployedVolume {
            virtual_storage_desc_id: desc.into(),
            volume_id: id.into(),
            bootable,
            out_of_band: false,
        })
        .into()
}

/// Answers with the next response of a list, repeating the last one.
pub(crate) struct Seq {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Seq {
    pub(crate) fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(!responses.is_empty());
        Self {
            responses,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for Seq {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[i.min(self.responses.len() - 1)].clone()
    }
}

/// Keystone `POST /v3/auth/tokens`: issues `tok-1`, `tok-2`, ... with a catalog.
pub(crate) struct Keystone {
    issued: AtomicUsize,
    catalog: Value,
    lifetime: chrono::TimeDelta,
}

impl Respond for Keystone {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let now = chrono::Utc::now();
        ResponseTemplate::new(201)
            .insert_header("X-Subject-Token", format!("tok-{n}").as_str())
            .set_body_json(json!({"token": {
                "methods": ["password"],
                "expires_at": (now + self.lifetime).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                "issued_at": now.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                "catalog": self.catalog,
            }}))
    }
}

/// The usual devstack-like catalog for a mock at `base`.
pub(crate) fn catalog(base: &str) -> Value {
    let endpoint = |url: String| json!([{"id": "e", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": url}]);
    json!([
        {"type": "identity", "name": "keystone", "endpoints": endpoint(format!("{base}/identity"))},
        {"type": "compute", "name": "nova", "endpoints": endpoint(format!("{base}{NOVA}"))},
        {"type": "block-storage", "name": "cinder", "endpoints": endpoint(format!("{base}{CINDER}"))},
        {"type": "volumev3", "name": "cinderv3", "endpoints": endpoint(format!("{base}{CINDER}"))},
        {"type": "image", "name": "glance", "endpoints": endpoint(format!("{base}{GLANCE}"))},
        {"type": "network", "name": "neutron", "endpoints": endpoint(format!("{base}{NEUTRON}"))},
    ])
}

/// A wiremock server playing the cloud.
pub(crate) struct MockCloud {
    pub(crate) server: MockServer,
}

/// Fast polling, short deadlines: tests never sleep long.
pub(crate) fn fast_timing() -> VimTiming {
    VimTiming {
        poll_interval: Duration::from_millis(1),
        resource_deadline: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
    }
}

/// Credentials for a Keystone at `auth_url`.
pub(crate) fn access(auth_url: String) -> OpenStackAccess {
    OpenStackAccess {
        auth_url,
        username: "admin".into(),
        password: "s3cret".into(),
        project_name: "demo".into(),
        user_domain_name: "Default".into(),
        project_domain_name: "Default".into(),
        region: None,
    }
}

/// A JSON response.
pub(crate) fn reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A Nova/Cinder style 404.
pub(crate) fn not_found(what: &str) -> ResponseTemplate {
    reply(
        404,
        json!({"itemNotFound": {"code": 404, "message": format!("{what} could not be found.")}}),
    )
}

impl MockCloud {
    /// Starts the mock with a Keystone issuing hour-long tokens and the standard catalog.
    pub(crate) async fn start() -> Self {
        Self::start_with(catalog, chrono::TimeDelta::hours(1)).await
    }

    /// Starts the mock with a given catalog and token lifetime.
    pub(crate) async fn start_with(
        catalog: impl FnOnce(&str) -> Value,
        lifetime: chrono::TimeDelta,
    ) -> Self {
        let server = MockServer::start().await;
        let keystone = Keystone {
            issued: AtomicUsize::new(0),
            catalog: catalog(&server.uri()),
            lifetime,
        };
        Mock::given(method("POST"))
            .and(path("/identity/v3/auth/tokens"))
            .respond_with(keystone)
            .named("keystone auth")
            .mount(&server)
            .await;
        Self { server }
    }

    pub(crate) fn access(&self) -> OpenStackAccess {
        access(format!("{}/identity/v3", self.server.uri()))
    }

    pub(crate) fn vim(&self) -> OpenStackVim {
        OpenStackVim::new(self.access(), fast_timing())
    }

    /// Mounts a mock.
    pub(crate) async fn mount(&self, mock: Mock) {
        mock.mount(&self.server).await;
    }

    /// `GET` of a resource answering `statuses` in turn (the last repeated; [`GONE`] = 404).
    async fn polled(&self, url: String, statuses: &[&str], view: impl Fn(&str) -> Value) {
        let responses = statuses
            .iter()
            .map(|s| {
                if *s == GONE {
                    not_found(&url)
                } else {
                    reply(200, view(s))
                }
            })
            .collect();
        self.mount(
            Mock::given(method("GET"))
                .and(path(url.as_str()))
                .respond_with(Seq::new(responses)),
        )
        .await;
    }

    /// Nova server `id` showing `statuses` (an ERROR server carries a fault message).
    pub(crate) async fn server(&self, id: &str, statuses: &[&str]) {
        let id_owned = id.to_string();
        self.polled(format!("{NOVA}/servers/{id}"), statuses, move |s| {
            let mut server = json!({"id": id_owned, "name": "srv", "status": s});
            if s == "ERROR" {
                server["fault"] = json!({"code": 500, "message": "No valid host was found."});
            }
            json!({ "server": server })
        })
        .await;
    }

    /// Cinder volume `id` showing `statuses`.
    pub(crate) async fn volume(&self, id: &str, statuses: &[&str]) {
        let id_owned = id.to_string();
        self.polled(
            format!("{CINDER}/volumes/{id}"),
            statuses,
            move |s| json!({"volume": {"id": id_owned, "status": s, "size": 1}}),
        )
        .await;
    }

    /// Cinder snapshot `id` of `volume_id` showing `statuses`.
    pub(crate) async fn snapshot(&self, id: &str, volume_id: &str, statuses: &[&str]) {
        let (id_owned, volume_owned) = (id.to_string(), volume_id.to_string());
        self.polled(format!("{CINDER}/snapshots/{id}"), statuses, move |s| {
            json!({"snapshot": {"id": id_owned, "volume_id": volume_owned, "status": s, "size": 10}})
        })
        .await;
    }

    /// Glance image `id` showing `statuses`, with extra `properties` once active.
    pub(crate) async fn image(&self, id: &str, statuses: &[&str], properties: Value) {
        let id_owned = id.to_string();
        self.polled(format!("{GLANCE}/v2/images/{id}"), statuses, move |s| {
            let mut image = json!({"id": id_owned, "name": "img", "status": s});
            if let (Some(image), Some(extra)) = (image.as_object_mut(), properties.as_object()) {
                if s == "active" {
                    image.extend(extra.clone());
                }
            }
            image
        })
        .await;
    }

    /// The flavor `m1.small` (id `f1`) among others.
    pub(crate) async fn flavors(&self) {
        self.mount(
            Mock::given(method("GET"))
                .and(path(format!("{NOVA}/flavors/detail")))
                .respond_with(reply(
                    200,
                    json!({"flavors": [{"id": "f0", "name": "m1.tiny"}, {"id": "f1", "name": "m1.small"}]}),
                )),
        )
        .await;
    }

    /// Glance finds the image `name` with id `id`.
    pub(crate) async fn image_named(&self, name: &str, id: &str) {
        self.mount(
            Mock::given(method("GET"))
                .and(path(format!("{GLANCE}/v2/images")))
                .and(wiremock::matchers::query_param("name", name))
                .respond_with(reply(
                    200,
                    json!({"images": [{"id": id, "name": name, "status": "active"}]}),
                )),
        )
        .await;
    }

    /// `DELETE` at `url` accepted as the service accepts it (Cinder 202, the others 204),
    /// expected `times` times.
    pub(crate) async fn deleted(&self, url: String, times: u64) {
        let status = if url.starts_with(CINDER) { 202 } else { 204 };
        self.delete(url, ResponseTemplate::new(status), times).await;
    }

    /// `DELETE` at `url` answering `response`, expected `times` times.
    pub(crate) async fn delete(&self, url: String, response: ResponseTemplate, times: u64) {
        self.mount(
            Mock::given(method("DELETE"))
                .and(path(url.as_str()))
                .respond_with(response)
                .expect(times),
        )
        .await;
    }
}

impl MockCloud {
    /// The JSON bodies of the `verb` requests received at `url`, in order.
    pub(crate) async fn sent(&self, verb: &str, url: &str) -> Vec<Value> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.method.as_str() == verb && r.url.path() == url)
            .map(|r| r.body_json().unwrap_or(Value::Null))
            .collect()
    }

    /// Cinder creates the volume `id` for a `POST /volumes` whose body includes `includes`.
    pub(crate) async fn creates_volume(&self, includes: Value, id: &str) {
        let created = reply(202, json!({"volume": {"id": id, "status": "creating"}}));
        self.post(format!("{CINDER}/volumes"), includes, created)
            .await;
    }

    /// Nova creates the server `id` for a `POST /servers` whose body includes `includes`.
    pub(crate) async fn creates_server(&self, includes: Value, id: &str) {
        let created = reply(202, json!({"server": {"id": id}}));
        self.post(format!("{NOVA}/servers"), includes, created)
            .await;
    }

    /// `POST` at `url` whose body includes `includes`, answering `response` once.
    pub(crate) async fn post(&self, url: String, includes: Value, response: ResponseTemplate) {
        self.mount(
            Mock::given(method("POST"))
                .and(path(url.as_str()))
                .and(wiremock::matchers::body_partial_json(includes))
                .respond_with(response)
                .expect(1),
        )
        .await;
    }
}
