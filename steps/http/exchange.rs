//! One request and its response, kept whole so that a failure can show both.

use std::fmt;

use reqwest::{header::HeaderMap, Method};
use serde_json::Value;

use super::fields;
use crate::failure::{Failure, Outcome};

/// A request as the suite sends it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Extra headers (the client adds `Version`, `Accept` and authorization itself); a
    /// `Content-Type` or an `Accept` replaces the default one, and an empty value sends no such
    /// header.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Send credentials (false to probe the 401 path).
    pub authenticate: bool,
    /// Send the `Version` header.
    pub send_version: bool,
}

impl Request {
    /// A request with credentials and `Version`, no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            authenticate: true,
            send_version: true,
        }
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(body.to_string());
        self
    }

    /// Sets a raw body (sent as `application/json`, whatever it holds).
    pub fn raw(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// How much of a request body an exchange shows (the suite wrote the body itself; a body of a
/// megabyte, sent to provoke a 413, would drown the evidence).
const REQUEST_BODY_CHARS: usize = 2000;

/// A request with the response it got.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub request: Request,
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl Exchange {
    /// A response header as text (its first line).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A list header with all its lines combined, as RFC 9110 §5.3 reads it.
    pub fn list_header(&self, name: &str) -> Option<String> {
        fields::combined(&self.headers, name)
    }

    /// The target of the `Link` header's `next` relation, resolved against the request's URL.
    pub fn next_link(&self) -> Option<String> {
        let base = url::Url::parse(&self.request.url).ok()?;
        fields::next_link(&self.list_header("Link")?, &base)
    }

    /// The id at the end of `Location`, the URI of the new resource,
    /// `<root path><collection>/<id>` (scheme, host and port are the server's to choose). A
    /// relative reference is resolved against the request's URL, as RFC 9110 §10.2.2 says.
    pub fn location_id(&self, root: &str, collection: &str) -> Outcome<String> {
        let location = self
            .header("Location")
            .ok_or_else(|| Failure::about(self, "a Location header"))?;
        let root_path = url::Url::parse(root)
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        let prefix = format!("{}{collection}/", root_path.trim_end_matches('/'));
        url::Url::parse(&self.request.url)
            .and_then(|base| base.join(location))
            .ok()
            .and_then(|u| u.path().strip_prefix(&prefix).map(str::to_string))
            .filter(|id| !id.is_empty() && !id.contains('/'))
            .ok_or_else(|| {
                Failure::about(
                    self,
                    format!("a Location whose path is {prefix}<id> (SOL003 §5.4: the URI of the new resource)"),
                )
            })
    }

    /// The JSON body, or `Null` when there is none.
    pub fn body(&self) -> &Value {
        self.json.as_ref().unwrap_or(&Value::Null)
    }
}

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.request;
        writeln!(f, "request: {} {}", r.method, r.url)?;
        for (name, value) in &r.headers {
            writeln!(f, "  {name}: {value}")?;
        }
        if !r.authenticate {
            writeln!(f, "  (no credentials)")?;
        }
        if !r.send_version {
            writeln!(f, "  (no Version header)")?;
        }
        if let Some(body) = &r.body {
            match body.char_indices().nth(REQUEST_BODY_CHARS) {
                Some((cut, _)) => writeln!(f, "  {}… ({} bytes in all)", &body[..cut], body.len())?,
                None => writeln!(f, "  {body}")?,
            }
        }
        writeln!(f, "response: {}", self.status)?;
        for (name, value) in &self.headers {
            writeln!(f, "  {}: {}", name, value.to_str().unwrap_or("<binary>"))?;
        }
        match &self.json {
            Some(json) => write!(
                f,
                "{}",
                serde_json::to_string_pretty(json).unwrap_or_default()
            ),
            None => write!(f, "{}", self.text),
        }
    }
}
