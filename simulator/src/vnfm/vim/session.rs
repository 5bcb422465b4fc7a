//! Keystone v3 password authentication, the token cache (renewed shortly before expiry and
//! after a 401) and endpoint selection from the service catalog; every service call goes
//! through [`Session::call`].

use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::{header::HeaderMap, Method, StatusCode};
use serde_json::{json, Value};

use super::errors::{Call, Service};
use super::{OpenStackAccess, VimError, VimErrorKind, VimTiming};

/// Renew the token when it expires in less than this.
const TOKEN_RENEWAL_MARGIN: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Nova microversion: `createImage` answers `{"image_id"}` (2.45+), `networks` required (2.37+).
const NOVA_MICROVERSION: &str = "2.79";
/// Cinder microversion: below 3.66 so that `force: true` snapshots of in-use volumes are valid.
const CINDER_MICROVERSION: &str = "3.60";

/// One Keystone token with the catalog it came with.
struct Token {
    value: String,
    expires_at: Option<DateTime<Utc>>,
    catalog: Vec<CatalogEndpoint>,
}

/// One endpoint of the catalog.
struct CatalogEndpoint {
    service_type: String,
    interface: String,
    region: Option<String>,
    url: String,
}

impl Token {
    fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at
            .is_none_or(|expires_at| now + TOKEN_RENEWAL_MARGIN < expires_at)
    }

    /// The public URL of `service` in `region` (first public one when no region is given),
    /// without a trailing slash.
    fn endpoint(&self, service: Service, region: Option<&str>) -> Result<String, VimError> {
        let types: &[&str] = match service {
            Service::Keystone => &["identity"],
            Service::Nova => &["compute"],
            Service::Cinder => &["block-storage", "volumev3"],
            Service::Glance => &["image"],
            Service::Neutron => &["network"],
        };
        types
            .iter()
            .find_map(|wanted| {
                self.catalog.iter().find(|e| {
                    e.service_type == *wanted
                        && e.interface == "public"
                        && region.is_none_or(|r| e.region.as_deref() == Some(r))
                })
            })
            .map(|e| e.url.trim_end_matches('/').to_string())
            .ok_or_else(|| {
                let region = region
                    .map(|r| format!(" in region {r}"))
                    .unwrap_or_default();
                VimError::new(
                    VimErrorKind::Rejected,
                    format!(
                        "the Keystone catalog has no public {} endpoint (type {}){region}",
                        service.name(),
                        types.join(" or "),
                    ),
                )
            })
    }
}

/// A service's answer, whatever its status (401s already retried once).
pub(crate) struct Reply {
    pub(crate) call: Call,
    pub(crate) status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    /// This reply if its status is a success, else the error the cloud gave.
    pub(crate) fn success(self) -> Result<Reply, VimError> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(self.error())
        }
    }

    /// `None` when the service does not know the resource (404), else [`Self::success`].
    pub(crate) fn found(self) -> Result<Option<Reply>, VimError> {
        if self.status == StatusCode::NOT_FOUND {
            Ok(None)
        } else {
            self.success().map(Some)
        }
    }

    /// The error this (non-success) reply stands for.
    pub(crate) fn error(&self) -> VimError {
        self.call.status_error(
            self.status.as_u16(),
            self.header("content-type"),
            &self.body,
        )
    }

    /// The cloud's message in this reply's error body.
    pub(crate) fn message(&self) -> String {
        super::errors::cloud_message(
            self.status.as_u16(),
            self.header("content-type"),
            &self.body,
        )
    }

    /// The body as it came.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// A header value, when present and text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON (an unexpected body is a server error).
    pub(crate) fn json(&self) -> Result<Value, VimError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(self.call.bad_answer("empty body"));
        }
        serde_json::from_slice(&self.body).map_err(|e| self.call.bad_answer(e))
    }

    /// The string at `pointer` in the JSON body, such as a new resource's id (its absence is a
    /// server error saying `missing`).
    pub(crate) fn text_at(
        &self,
        pointer: &str,
        missing: impl std::fmt::Display,
    ) -> Result<String, VimError> {
        self.json()?
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| self.call.bad_answer(missing))
    }

    /// The list under `key` of the JSON body (`{"images": [...]}`).
    pub(crate) fn list(&self, key: &str) -> Result<Vec<Value>, VimError> {
        match self.json()?.get_mut(key).map(Value::take) {
            Some(Value::Array(list)) => Ok(list),
            _ => Err(self.call.bad_answer(format!("no \"{key}\" list"))),
        }
    }
}

/// An authenticated connection to one cloud, shared by every call of an [`OpenStackVim`].
///
/// [`OpenStackVim`]: super::OpenStackVim
pub(crate) struct Session {
    access: OpenStackAccess,
    pub(crate) timing: VimTiming,
    client: Result<reqwest::Client, String>,
    token: tokio::sync::Mutex<Option<Arc<Token>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("auth_url", &self.access.auth_url)
            .field("username", &self.access.username)
            .field("project_name", &self.access.project_name)
            .field("region", &self.access.region)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session with its own HTTP client.
    pub(crate) fn new(access: OpenStackAccess, timing: VimTiming) -> Self {
        crate::tls::install_crypto_provider();
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"));
        Self {
            access,
            timing,
            client,
            token: tokio::sync::Mutex::new(None),
        }
    }

    /// A session for `access` sending through this session's HTTP client (its connection
    /// pool, and the trust store read once), with a token cache of its own.
    pub(crate) fn sharing_client(&self, access: OpenStackAccess, timing: VimTiming) -> Self {
        Self {
            access,
            timing,
            client: self.client.clone(),
            token: tokio::sync::Mutex::new(None),
        }
    }

    /// A session using a given HTTP client (e.g. one trusting a private CA).
    pub(crate) fn with_client(
        access: OpenStackAccess,
        timing: VimTiming,
        client: reqwest::Client,
    ) -> Self {
        Self {
            access,
            timing,
            client: Ok(client),
            token: tokio::sync::Mutex::new(None),
        }
    }

    fn client(&self) -> Result<&reqwest::Client, VimError> {
        self.client
            .as_ref()
            .map_err(|e| VimError::new(VimErrorKind::Unreachable, e.clone()))
    }

    /// Makes sure a valid token is cached (authenticating when needed).
    pub(crate) async fn authenticate(&self) -> Result<(), VimError> {
        self.token().await.map(|_| ())
    }

    /// The cached token, or a new one when there is none or it is about to expire.
    async fn token(&self) -> Result<Arc<Token>, VimError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref() {
            if token.is_fresh(Utc::now()) {
                return Ok(token.clone());
            }
        }
        let token = Arc::new(self.issue_token().await?);
        *cached = Some(token.clone());
        Ok(token)
    }

    /// Forgets `token` if it is still the cached one (the cloud refused it).
    async fn forget(&self, token: &Arc<Token>) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, token)) {
            *cached = None;
        }
    }

    /// `POST {auth_url}/auth/tokens` with the password method and project scope.
    async fn issue_token(&self) -> Result<Token, VimError> {
        let base = self.access.auth_url.trim_end_matches('/');
        let base = if base.ends_with("/v3") {
            base.to_string()
        } else {
            format!("{base}/v3")
        };
        let call = Call {
            service: Service::Keystone,
            method: Method::POST,
            path: "/auth/tokens".to_string(),
        };
        let body = json!({"auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {
                    "name": self.access.username,
                    "domain": {"name": self.access.user_domain_name},
                    "password": self.access.password,
                }},
            },
            "scope": {"project": {
                "name": self.access.project_name,
                "domain": {"name": self.access.project_domain_name},
            }},
        }});
        let request = self
            .client()?
            .post(format!("{base}/auth/tokens"))
            .header("Accept", "application/json")
            .json(&body);
        let reply = self.send(call, request).await?.success()?;
        let value = reply
            .header("x-subject-token")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| reply.call.bad_answer("no X-Subject-Token header"))?
            .to_string();
        let json = reply.json()?;
        let token = json
            .get("token")
            .ok_or_else(|| reply.call.bad_answer("no \"token\" object"))?;
        let expires_at = token
            .get("expires_at")
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc));
        let catalog = token
            .get("catalog")
            .and_then(Value::as_array)
            .map(|services| parse_catalog(services))
            .unwrap_or_default();
        Ok(Token {
            value,
            expires_at,
            catalog,
        })
    }

    /// The JSON view `GET` answers at `path` of `service`, or `None` when the service does not
    /// know the resource (404).
    pub(crate) async fn view(
        &self,
        service: Service,
        path: &str,
    ) -> Result<Option<Value>, VimError> {
        self.call(service, Method::GET, path, &[], None)
            .await?
            .found()?
            .map(|reply| reply.json())
            .transpose()
    }

    /// Calls `service` at `path` (relative to its catalog URL; Glance paths start with `/v2`,
    /// Neutron ones with `/v2.0`)
    /// with the JSON `body`, re-authenticating once if the token is refused. Answers every
    /// HTTP status; only transport failures and authentication failures are errors.
    pub(crate) async fn call(
        &self,
        service: Service,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Reply, VimError> {
        let call = Call {
            service,
            method,
            path: path.to_string(),
        };
        let token = self.token().await?;
        let reply = self.call_with(&token, call.clone(), query, body).await?;
        if reply.status != StatusCode::UNAUTHORIZED {
            return Ok(reply);
        }
        tracing::debug!(
            service = service.name(),
            path,
            "token refused, authenticating again"
        );
        self.forget(&token).await;
        let token = self.token().await?;
        let reply = self.call_with(&token, call, query, body).await?;
        if reply.status == StatusCode::UNAUTHORIZED {
            return Err(reply.error());
        }
        Ok(reply)
    }

    /// Sends `data` to `service` at `path` as `application/octet-stream` (an image upload),
    /// re-authenticating once if the token is refused.
    pub(crate) async fn upload(
        &self,
        service: Service,
        path: &str,
        data: Vec<u8>,
    ) -> Result<Reply, VimError> {
        let call = Call {
            service,
            method: Method::PUT,
            path: path.to_string(),
        };
        let mut renewed = false;
        loop {
            let token = self.token().await?;
            let base = token.endpoint(service, self.access.region.as_deref())?;
            let base = base.strip_suffix("/v2").unwrap_or(&base).to_string();
            let request = self
                .client()?
                .put(format!("{base}{path}"))
                .header("X-Auth-Token", &token.value)
                .header("Content-Type", "application/octet-stream")
                .body(data.clone());
            let reply = self.send(call.clone(), request).await?;
            if reply.status != StatusCode::UNAUTHORIZED || renewed {
                return Ok(reply);
            }
            self.forget(&token).await;
            renewed = true;
        }
    }

    async fn call_with(
        &self,
        token: &Token,
        call: Call,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Reply, VimError> {
        let base = token.endpoint(call.service, self.access.region.as_deref())?;
        let base = match call.service {
            // The image catalog URL is normally unversioned; tolerate one ending in /v2.
            Service::Glance => base.strip_suffix("/v2").unwrap_or(&base).to_string(),
            // Likewise the network one; tolerate one ending in /v2.0.
            Service::Neutron => base.strip_suffix("/v2.0").unwrap_or(&base).to_string(),
            _ => base,
        };
        let mut request = self
            .client()?
            .request(call.method.clone(), format!("{base}{}", call.path))
            .header("Accept", "application/json")
            .header("X-Auth-Token", &token.value);
        match call.service {
            Service::Nova => {
                request = request
                    .header(
                        "OpenStack-API-Version",
                        format!("compute {NOVA_MICROVERSION}"),
                    )
                    .header("X-OpenStack-Nova-API-Version", NOVA_MICROVERSION);
            }
            Service::Cinder => {
                request = request.header(
                    "OpenStack-API-Version",
                    format!("volume {CINDER_MICROVERSION}"),
                );
            }
            Service::Keystone | Service::Glance | Service::Neutron => {}
        }
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(call, request).await
    }

    /// Sends one request and reads the whole answer.
    async fn send(&self, call: Call, request: reqwest::RequestBuilder) -> Result<Reply, VimError> {
        let timeout = self.timing.request_timeout;
        let response = request
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| call.transport_error(&e, timeout))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| call.transport_error(&e, timeout))?
            .to_vec();
        tracing::debug!(
            service = call.service.name(),
            method = %call.method,
            path = %call.path,
            status = status.as_u16(),
            "OpenStack call"
        );
        Ok(Reply {
            call,
            status,
            headers,
            body,
        })
    }
}

/// The endpoints of a Keystone v3 catalog (entries missing a type or URL are skipped).
fn parse_catalog(services: &[Value]) -> Vec<CatalogEndpoint> {
    let mut endpoints = Vec::new();
    for service in services {
        let Some(service_type) = service.get("type").and_then(Value::as_str) else {
            continue;
        };
        let Some(list) = service.get("endpoints").and_then(Value::as_array) else {
            continue;
        };
        for endpoint in list {
            let text = |key: &str| endpoint.get(key).and_then(Value::as_str);
            let Some(url) = text("url") else { continue };
            endpoints.push(CatalogEndpoint {
                service_type: service_type.to_string(),
                interface: text("interface").unwrap_or("public").to_string(),
                region: text("region")
                    .or_else(|| text("region_id"))
                    .map(str::to_string),
                url: url.to_string(),
            });
        }
    }
    endpoints
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, ResponseTemplate};

    use super::super::mock_cloud::{self, reply, MockCloud, NOVA};
    use super::*;

    fn session(cloud: &MockCloud) -> Session {
        Session::new(cloud.access(), mock_cloud::fast_timing())
    }

    fn flavors_ok() -> ResponseTemplate {
        reply(200, json!({"flavors": []}))
    }

    async fn expect_auths(cloud: &MockCloud, n: u64) {
        let auths = cloud
            .server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/identity/v3/auth/tokens")
            .count();
        assert_eq!(auths as u64, n, "number of Keystone authentications");
    }

    #[tokio::test]
    async fn password_auth_body_and_service_headers() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/flavors/detail")))
                    .and(header("X-Auth-Token", "tok-1"))
                    .and(header("Accept", "application/json"))
                    .and(header("OpenStack-API-Version", "compute 2.79"))
                    .and(header("X-OpenStack-Nova-API-Version", "2.79"))
                    .respond_with(flavors_ok())
                    .expect(1),
            )
            .await;
        let reply = session(&cloud)
            .call(Service::Nova, Method::GET, "/flavors/detail", &[], None)
            .await
            .unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        let requests = cloud.server.received_requests().await.unwrap();
        let auth: Value = requests[0].body_json().unwrap();
        assert_eq!(
            auth,
            json!({"auth": {
                "identity": {"methods": ["password"], "password": {"user": {
                    "name": "admin", "domain": {"name": "Default"}, "password": "s3cret"}}},
                "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})
        );
    }

    #[tokio::test]
    async fn token_is_cached_between_calls() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/flavors/detail")))
                    .respond_with(flavors_ok())
                    .expect(3),
            )
            .await;
        let s = session(&cloud);
        for _ in 0..3 {
            s.call(Service::Nova, Method::GET, "/flavors/detail", &[], None)
                .await
                .unwrap();
        }
        expect_auths(&cloud, 1).await;
    }

    #[tokio::test]
    async fn token_close_to_expiry_is_renewed() {
        let cloud = MockCloud::start_with(mock_cloud::catalog, chrono::TimeDelta::seconds(5)).await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/flavors/detail")))
                    .respond_with(flavors_ok()),
            )
            .await;
        let s = session(&cloud);
        for _ in 0..2 {
            s.call(Service::Nova, Method::GET, "/flavors/detail", &[], None)
                .await
                .unwrap();
        }
        expect_auths(&cloud, 2).await;
    }

    #[tokio::test]
    async fn refused_token_is_renewed_once_and_the_call_retried() {
        let cloud = MockCloud::start().await;
        let unauthorized = reply(
            401,
            json!({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}),
        );
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/flavors/detail")))
                    .and(header("X-Auth-Token", "tok-1"))
                    .respond_with(unauthorized)
                    .expect(1),
            )
            .await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/flavors/detail")))
                    .and(header("X-Auth-Token", "tok-2"))
                    .respond_with(flavors_ok())
                    .expect(2),
            )
            .await;
        let s = session(&cloud);
        for _ in 0..2 {
            let reply = s
                .call(Service::Nova, Method::GET, "/flavors/detail", &[], None)
                .await
                .unwrap();
            assert_eq!(reply.status, StatusCode::OK);
        }
        expect_auths(&cloud, 2).await;
    }

    #[tokio::test]
    async fn second_refusal_is_an_auth_error() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path("/image/v2/images"))
                    .respond_with(reply(
                        401,
                        json!({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}),
                    ))
                    .expect(2),
            )
            .await;
        let err = session(&cloud)
            .call(Service::Glance, Method::GET, "/v2/images", &[], None)
            .await
            .err()
            .unwrap();
        assert_eq!(err.kind, VimErrorKind::Auth);
        assert_eq!(
            err.message,
            "Glance GET /v2/images answered 401: The request you have made requires authentication."
        );
    }

    #[tokio::test]
    async fn wrong_password_is_an_auth_error_with_keystones_message() {
        let server = wiremock::MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/identity/v3/auth/tokens"))
            .respond_with(reply(
                401,
                json!({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}),
            ))
            .mount(&server)
            .await;
        // `/v3` is appended to an unversioned auth URL.
        let access = mock_cloud::access(format!("{}/identity", server.uri()));
        let err = Session::new(access, mock_cloud::fast_timing())
            .authenticate()
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Auth);
        assert_eq!(
            err.message,
            "Keystone POST /auth/tokens answered 401: The request you have made requires authentication."
        );
        assert!(!err.message.contains("s3cret"));
    }

    #[tokio::test]
    async fn auth_answer_without_token_header_is_a_server_error() {
        let server = wiremock::MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/identity/v3/auth/tokens"))
            .respond_with(reply(201, json!({"token": {}})))
            .mount(&server)
            .await;
        let access = mock_cloud::access(format!("{}/identity/v3", server.uri()));
        let err = Session::new(access, mock_cloud::fast_timing())
            .authenticate()
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ServerError);
        assert!(err.message.contains("X-Subject-Token"), "{}", err.message);
    }

    #[tokio::test]
    async fn endpoints_are_chosen_by_interface_region_and_type() {
        let cloud = MockCloud::start_with(
            |base| {
                json!([
                    {"type": "compute", "endpoints": [
                        {"interface": "internal", "region": "RegionTwo", "url": format!("{base}/internal/v2.1")},
                        {"interface": "public", "region": "RegionOne", "url": format!("{base}/one/v2.1")},
                        {"interface": "public", "region_id": "RegionTwo", "url": format!("{base}/two/v2.1/")},
                    ]},
                    // No block-storage entry: volumev3 is used.
                    {"type": "volumev3", "endpoints": [
                        {"interface": "public", "region": "RegionTwo", "url": format!("{base}/volume/v3/p1")},
                    ]},
                ])
            },
            chrono::TimeDelta::hours(1),
        )
        .await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path("/two/v2.1/flavors/detail"))
                    .respond_with(flavors_ok())
                    .expect(1),
            )
            .await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path("/volume/v3/p1/volumes/v1"))
                    .and(header("OpenStack-API-Version", "volume 3.60"))
                    .respond_with(reply(200, json!({"volume": {"status": "available"}})))
                    .expect(1),
            )
            .await;
        let mut access = cloud.access();
        access.region = Some("RegionTwo".into());
        let s = Session::new(access, mock_cloud::fast_timing());
        let nova = s
            .call(Service::Nova, Method::GET, "/flavors/detail", &[], None)
            .await
            .unwrap();
        assert_eq!(nova.status, StatusCode::OK);
        let cinder = s
            .call(Service::Cinder, Method::GET, "/volumes/v1", &[], None)
            .await
            .unwrap();
        assert_eq!(cinder.status, StatusCode::OK);
        let err = s
            .call(Service::Glance, Method::GET, "/v2/images", &[], None)
            .await
            .err()
            .unwrap();
        assert_eq!(err.kind, VimErrorKind::Rejected);
        assert!(
            err.message
                .contains("no public Glance endpoint (type image) in region RegionTwo"),
            "{}",
            err.message
        );
    }

    #[tokio::test]
    async fn unreachable_keystone() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let access = mock_cloud::access(format!("http://127.0.0.1:{port}/identity/v3"));
        let err = Session::new(access, mock_cloud::fast_timing())
            .authenticate()
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Unreachable);
        assert!(
            err.message
                .starts_with("Keystone POST /auth/tokens got no answer"),
            "{}",
            err.message
        );
    }

    #[tokio::test]
    async fn unreachable_service_endpoint() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let cloud = MockCloud::start_with(
            |_| mock_cloud::catalog(&format!("http://127.0.0.1:{port}")),
            chrono::TimeDelta::hours(1),
        )
        .await;
        let err = session(&cloud)
            .call(
                Service::Cinder,
                Method::POST,
                "/snapshots",
                &[],
                Some(&json!({})),
            )
            .await
            .err()
            .unwrap();
        assert_eq!(err.kind, VimErrorKind::Unreachable);
        assert!(
            err.message
                .starts_with("Cinder POST /snapshots got no answer"),
            "{}",
            err.message
        );
    }

    #[tokio::test]
    async fn connection_closed_before_an_answer_is_unreachable() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let closer = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                drop(socket);
            }
        });
        let access = mock_cloud::access(format!("http://127.0.0.1:{port}/identity/v3"));
        let err = Session::new(access, mock_cloud::fast_timing())
            .authenticate()
            .await
            .unwrap_err();
        closer.abort();
        assert_eq!(err.kind, VimErrorKind::Unreachable, "{}", err.message);
    }

    #[tokio::test]
    async fn slow_answer_is_a_timeout() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NOVA}/servers/s1")))
                    .respond_with(flavors_ok().set_delay(Duration::from_secs(5))),
            )
            .await;
        let mut timing = mock_cloud::fast_timing();
        timing.request_timeout = Duration::from_millis(200);
        let err = Session::new(cloud.access(), timing)
            .call(Service::Nova, Method::GET, "/servers/s1", &[], None)
            .await
            .err()
            .unwrap();
        assert_eq!(err.kind, VimErrorKind::Timeout);
        assert_eq!(err.message, "Nova GET /servers/s1 timed out after 200ms");
    }

    #[tokio::test]
    async fn service_errors_keep_the_clouds_message() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .and(path(format!("{NOVA}/servers")))
                    .respond_with(reply(
                        403,
                        json!({"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}),
                    )),
            )
            .await;
        let err = session(&cloud)
            .call(
                Service::Nova,
                Method::POST,
                "/servers",
                &[],
                Some(&json!({})),
            )
            .await
            .unwrap()
            .success()
            .err()
            .unwrap();
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert_eq!(
            err.message,
            "Nova POST /servers answered 403: Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let s = Session::new(
            mock_cloud::access("http://k/v3".into()),
            mock_cloud::fast_timing(),
        );
        let text = format!("{s:?} {:?}", mock_cloud::access("http://k/v3".into()));
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("admin"), "{text}");
    }
}
