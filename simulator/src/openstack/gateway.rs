//! The front door of every service request: body buffering, token validation, microversion
//! negotiation, fault rules and the call record. Handlers behind it only see authenticated,
//! classified requests.

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use compact_str::CompactString;

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
};
use smallvec::SmallVec;
use tower::{Layer, ServiceExt};

use super::{
    calls::AnsweredCall,
    cloud::Cloud,
    error::CloudError,
    faults::{Decision, Outcome, RequestFacts},
    microversion::{self, Microversion},
    model::Fate,
    operation::{body_name, classify},
    render::error_response,
    service::Service,
};
use crate::serve::DropConnection;

/// Largest request body the services accept.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Who is calling: the project and user of a valid project-scoped token.
#[derive(Clone, Debug)]
pub struct Scope {
    pub project_id: Arc<str>,
    pub user_id: Arc<str>,
    /// Scoped to the cloud's admin project with the `admin` role: the fake's cloud
    /// administrator, who may act on other projects' resources where the services let an
    /// admin do so.
    pub admin: bool,
}

/// The path segments after a service's API base, or `None` for version discovery documents
/// (held inline up to the depth of the services' deepest paths).
fn api_segments(service: Service, path: &str) -> Option<SmallVec<[&str; 8]>> {
    let rest = path.strip_prefix(service.prefix())?;
    let skip = match service {
        Service::Keystone | Service::Nova | Service::Glance | Service::Neutron => 1,
        Service::Cinder => 2,
    };
    let segments: SmallVec<[&str; 8]> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(skip)
        .collect();
    (!segments.is_empty()).then_some(segments)
}

fn injected_message(service: Service, status: StatusCode) -> String {
    let reason = status.canonical_reason().unwrap_or("Error");
    match (service, status.as_u16()) {
        (Service::Nova, 500) => "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'simulator.InjectedFault'>".to_string(),
        (_, 503) => "The server is currently unavailable. Please try again at a later time.".to_string(),
        _ => format!("{reason} (simulated fault)"),
    }
}

/// The id of a request (oslo.middleware's `request_id` filter: `req-<uuid>`), made before the
/// handler runs so that a handler can record it (Glance's import tasks do). Held as the header
/// value the answer carries, so that it is formatted once.
#[derive(Clone, Debug)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Made from ASCII text only (`new_request_id`).
        self.0.to_str().unwrap_or_default()
    }
}

/// What the gateway found out about a request, handed to its handler as one request extension
/// (each extension is boxed into the request's map, which grows with them): read through the
/// [`Call`](super::call::Call) extractor.
#[derive(Clone, Debug)]
pub struct Admission {
    pub request_id: RequestId,
    /// The caller, for a request with a project-scoped token.
    pub scope: Option<Scope>,
    /// What the fault rules decided about a resource the request creates or changes.
    pub fate: Fate,
    /// The negotiated microversion (Nova and Cinder).
    pub version: Option<Microversion>,
}

/// Adds the request id every OpenStack service answers with: `x-openstack-request-id`, and
/// Nova's legacy `x-compute-request-id` too.
fn with_request_id(service: Service, id: RequestId, mut response: Response) -> Response {
    let headers = response.headers_mut();
    if service == Service::Nova {
        headers.insert(
            HeaderName::from_static("x-compute-request-id"),
            id.0.clone(),
        );
    }
    headers.insert(HeaderName::from_static("x-openstack-request-id"), id.0);
    response
}

/// A new request id: a version 4 UUID from the thread's random generator (no system call per
/// request).
fn new_request_id() -> RequestId {
    let uuid = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut id = String::with_capacity("req-".len() + uuid::fmt::Hyphenated::LENGTH);
    id.push_str("req-");
    id.push_str(
        uuid.hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer()),
    );
    RequestId(HeaderValue::try_from(id).expect("a request id is ASCII"))
}

/// The gateway in front of each service's routes, as a layer ([`Router::route_layer`]).
///
/// [`Router::route_layer`]: axum::Router::route_layer
#[derive(Clone)]
pub struct GatewayLayer {
    cloud: Cloud,
    service: Service,
}

impl GatewayLayer {
    /// The gateway of `service`.
    pub fn new(cloud: Cloud, service: Service) -> Self {
        Self { cloud, service }
    }
}

impl<S> Layer<S> for GatewayLayer {
    type Service = Gateway<S>;

    fn layer(&self, inner: S) -> Gateway<S> {
        Gateway {
            cloud: self.cloud.clone(),
            service: self.service,
            inner,
        }
    }
}

/// A service's routes behind the gateway.
#[derive(Clone)]
pub struct Gateway<S> {
    cloud: Cloud,
    service: Service,
    inner: S,
}

impl<S> tower::Service<Request> for Gateway<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The service made ready goes with the request; a fresh clone waits for the next one.
        let fresh = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, fresh);
        let (cloud, service) = (self.cloud.clone(), self.service);
        Box::pin(async move {
            let id = new_request_id();
            let response = handle(cloud, service, request, inner, id.clone()).await;
            Ok(with_request_id(service, id, response))
        })
    }
}

async fn handle<S>(
    cloud: Cloud,
    service: Service,
    request: Request,
    inner: S,
    request_id: RequestId,
) -> Response
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    let (mut parts, body) = request.into_parts();
    // Cheap copies (shared bytes) that stay readable while the parts change below.
    let uri = parts.uri.clone();
    let path = uri.path();
    let method = parts.method.clone();
    let accept = parts.headers.get(header::ACCEPT).cloned();
    let fail = |error: CloudError| {
        error_response(
            service,
            &error,
            accept.as_ref().and_then(|v| v.to_str().ok()),
            &format!("{}/identity", cloud.public_url()),
        )
    };
    let record = |operation: &str, project_id: Option<&str>, status: u16| {
        cloud.calls().push(AnsweredCall {
            service,
            method: method.as_str(),
            path,
            operation,
            project_id,
            status,
        });
    };

    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = CloudError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request is too large.");
            record("unknown", None, 413);
            return fail(error);
        }
    };
    let json: Option<serde_json::Value> = if bytes.is_empty() {
        None
    } else {
        serde_json::from_slice(&bytes).ok()
    };
    let segments = api_segments(service, path);
    let (operation, resource_id) = match &segments {
        None => (CompactString::const_new("discovery"), None),
        Some(segments) if service == Service::Keystone => {
            let joined = segments.join("/");
            let verb = match (method.as_str(), joined.as_str()) {
                ("POST", "auth/tokens") => CompactString::const_new("tokens.create"),
                ("GET", "auth/tokens") => CompactString::const_new("tokens.show"),
                ("DELETE", "auth/tokens") => CompactString::const_new("tokens.delete"),
                _ => classify(method.as_str(), segments, json.as_ref()).operation,
            };
            (verb, None)
        }
        Some(segments) => {
            let classified = classify(method.as_str(), segments, json.as_ref());
            (classified.operation, classified.resource_id)
        }
    };

    let needs_token = segments.is_some() && operation != "tokens.create";
    let mut scope = None;
    if needs_token {
        let token = parts
            .headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok());
        let state = cloud.state();
        let valid = token.and_then(|t| state.valid_token(t, cloud.clock().now_ms()));
        match valid {
            Some(token) => {
                if let Some(project_id) = &token.project_id {
                    let admin = state
                        .identity
                        .project(project_id)
                        .is_some_and(|p| p.name == cloud.config().admin_project)
                        && state.holds_admin_on(&token.user_id, project_id);
                    scope = Some(Scope {
                        project_id: project_id.clone(),
                        user_id: token.user_id.clone(),
                        admin,
                    });
                } else if service != Service::Keystone {
                    // An unscoped token only serves Keystone.
                    drop(state);
                    record(&operation, None, 401);
                    return fail(CloudError::unauthorized());
                }
            }
            None => {
                drop(state);
                record(&operation, None, 401);
                return fail(CloudError::unauthorized());
            }
        }
    }
    let project_id = match &scope {
        Some(scope) => Some(scope.project_id.clone()),
        None if operation == "tokens.create" => json
            .as_ref()
            .and_then(|b| scoped_project(&cloud, b))
            .map(Arc::from),
        None => None,
    };
    if service == Service::Cinder && segments.is_some() {
        let url_project = path.split('/').nth(3).unwrap_or_default();
        if project_id.as_deref() != Some(url_project) {
            record(&operation, project_id.as_deref(), 400);
            return fail(CloudError::bad_request("Malformed request url"));
        }
    }

    let version = match service {
        Service::Nova | Service::Cinder => {
            match microversion::negotiate(service, &parts.headers, cloud.version_range(service)) {
                Ok(version) => Some(version),
                Err(error) => {
                    record(&operation, project_id.as_deref(), error.status.as_u16());
                    return fail(error);
                }
            }
        }
        _ => None,
    };

    // Without fault rules (the usual case) there is nothing to match the request against.
    let decision = if !cloud.has_fault_rules() {
        Decision::default()
    } else {
        let resource_name = json.as_ref().and_then(body_name).or_else(|| {
            let id = resource_id?;
            let state = cloud.state();
            state
                .servers
                .get(id)
                .map(|s| s.name.clone())
                .or_else(|| state.volumes.get(id).and_then(|v| v.name.clone()))
                .or_else(|| state.snapshots.get(id).and_then(|s| s.name.clone()))
                .or_else(|| state.images.get(id).and_then(|i| i.name.clone()))
                .or_else(|| state.networks.get(id).map(|n| n.name.clone()))
                .or_else(|| state.ports.get(id).map(|p| p.name.clone()))
        });
        let facts = RequestFacts {
            service: Some(service),
            method: method.to_string(),
            operation: operation.to_string(),
            path: path.to_string(),
            project_id: project_id.as_deref().map(str::to_string),
            resource_name,
        };
        cloud.faults().decide(&facts)
    };
    if decision.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.latency_ms)).await;
    }
    if let Some(Outcome::GatewayTimeout { after_ms }) = decision.outcome {
        if !released_within(after_ms, decision.hold).await {
            record(&operation, project_id.as_deref(), 504);
            return gateway_timeout();
        }
    }
    let mut false_negative = None;
    match decision.outcome {
        Some(Outcome::Unreachable) => {
            record(&operation, project_id.as_deref(), 0);
            let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
            response.extensions_mut().insert(DropConnection);
            return response;
        }
        Some(Outcome::Error { status, message }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = message.unwrap_or_else(|| injected_message(service, status));
            record(&operation, project_id.as_deref(), status.as_u16());
            let mut response = fail(CloudError::new(status, message));
            if let Some(version) = version {
                microversion::add_response_headers(service, version, response.headers_mut());
            }
            return response;
        }
        Some(Outcome::FalseNegative { status, message }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            false_negative = Some(CloudError::new(
                status,
                message.unwrap_or_else(|| injected_message(service, status)),
            ));
        }
        Some(Outcome::GatewayTimeout { .. }) | None => {}
    }

    parts.extensions.insert(Admission {
        request_id,
        scope,
        fate: decision.fate,
        version,
    });
    let request = Request::from_parts(parts, Body::from(bytes));
    let mut response = match inner.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if let Some(error) = false_negative {
        response = fail(error);
    }
    if let Some(version) = version {
        microversion::add_response_headers(service, version, response.headers_mut());
    }
    record(
        &operation,
        project_id.as_deref(),
        response.status().as_u16(),
    );
    response
}

/// Holds a request for `ms` milliseconds; true when its fault rule was removed before (the
/// service recovered, and the request is then served as usual).
async fn released_within(ms: u64, hold: Option<tokio::sync::watch::Receiver<u64>>) -> bool {
    let sleep = tokio::time::sleep(Duration::from_millis(ms));
    match hold {
        Some(mut hold) => tokio::select! {
            _ = sleep => false,
            _ = hold.changed() => true,
        },
        None => {
            sleep.await;
            false
        }
    }
}

/// The answer of the web server in front of a service whose backend did not answer in time:
/// an HTML page, not the service's own error format.
fn gateway_timeout() -> Response {
    let page = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n\
        <title>504 Gateway Timeout</title>\n</head><body>\n<h1>Gateway Timeout</h1>\n\
        <p>The gateway did not receive a timely response from the upstream server or \
        application.</p>\n</body></html>\n";
    (
        StatusCode::GATEWAY_TIMEOUT,
        [(header::CONTENT_TYPE, "text/html; charset=iso-8859-1")],
        page,
    )
        .into_response()
}

/// Answers paths no route serves, in the format of the service the prefix names.
pub async fn unknown_path(
    State(cloud): State<Cloud>,
    method: Method,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let service = Service::ALL
        .into_iter()
        .find(|s| path == s.prefix() || path.starts_with(&format!("{}/", s.prefix())));
    let Some(service) = service else {
        return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
    };
    cloud.calls().push(AnsweredCall {
        service,
        method: method.as_str(),
        path: &path,
        operation: "unknown",
        project_id: None,
        status: 404,
    });
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    with_request_id(
        service,
        new_request_id(),
        error_response(
            service,
            &CloudError::not_found("The resource could not be found."),
            accept,
            &format!("{}/identity", cloud.public_url()),
        ),
    )
}

/// The id of the project a token request asks to be scoped to (so that fault rules and the
/// call log can name the project of a `tokens.create`).
fn scoped_project(cloud: &Cloud, body: &serde_json::Value) -> Option<String> {
    let project = &body["auth"]["scope"]["project"];
    if let Some(id) = project["id"].as_str() {
        return Some(id.to_string());
    }
    let name = project["name"].as_str()?;
    let state = cloud.state();
    let found = state.identity.projects.iter().find(|p| p.name == name);
    found.map(|p| p.id.clone())
}

/// Parses a JSON request body, answering the service's 400 when it is not valid.
pub fn parse_body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, CloudError> {
    serde_json::from_slice(bytes)
        .map_err(|e| CloudError::bad_request(format!("Malformed request body: {e}")))
}

/// Parses an action body (`{"<action>": <arguments>}`, as Nova's and Cinder's `/action`
/// resources take): the action's name and arguments, or the service's 400.
pub fn parse_action(bytes: &Bytes) -> Result<(String, serde_json::Value), CloudError> {
    let body: serde_json::Value = parse_body(bytes)?;
    let serde_json::Value::Object(fields) = body else {
        return Err(CloudError::bad_request("Malformed request body"));
    };
    fields
        .into_iter()
        .next()
        .ok_or_else(|| CloudError::bad_request("Malformed request body"))
}
