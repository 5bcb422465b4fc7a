//! A client of one VNF LCM API root (SOL003 or SOL002), sending what an NFVO or EM would send.

use reqwest::Method;
use simulator::kit::VnfmClient;

use super::{Exchange, Request};
use crate::failure::Outcome;

/// The reference point a client speaks on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Api {
    /// Or-Vnfm (NFVO to VNFM).
    Sol003,
    /// Ve-Vnfm (EM/VNF to VNFM).
    Sol002,
}

impl std::str::FromStr for Api {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "SOL003" => Ok(Self::Sol003),
            "SOL002" => Ok(Self::Sol002),
            other => Err(format!("unknown API {other:?}: use SOL003 or SOL002")),
        }
    }
}

/// Sends requests under one API root (`…/vnflcm/v2`) through the kit's NFVO client, and keeps
/// every exchange whole.
#[derive(Debug)]
pub struct ApiClient {
    vnfm: VnfmClient,
}

impl ApiClient {
    /// Speaks through `vnfm` (its root, credentials and `Version`).
    pub fn new(vnfm: VnfmClient) -> Self {
        Self { vnfm }
    }

    /// The API root, without a trailing slash.
    pub fn root(&self) -> &str {
        self.vnfm.root()
    }

    /// The `Version` header value sent.
    pub fn version(&self) -> &str {
        self.vnfm.version()
    }

    /// The absolute URL of `path` (relative to the root, starting with `/`), or `path` itself
    /// when it is already absolute.
    pub fn url(&self, path: &str) -> String {
        self.vnfm.url(path)
    }

    /// A request for `path` with credentials and `Version`.
    pub fn request(&self, method: Method, path: &str) -> Request {
        Request::new(method, self.url(path))
    }

    /// Sends `request` and keeps the whole exchange.
    pub async fn send(&self, request: Request) -> Outcome<Exchange> {
        let mut builder = self.vnfm.bare_request(request.method.clone(), &request.url);
        let accept_given = request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("Accept"));
        if !accept_given {
            builder = builder.header("Accept", "application/json");
        }
        if request.send_version {
            builder = builder.header("Version", self.version());
        }
        if request.authenticate {
            builder = self.vnfm.authorize(builder).await?;
        }
        for (name, value) in &request.headers {
            if !value.is_empty() {
                builder = builder.header(name, value);
            }
        }
        if let Some(body) = &request.body {
            let typed = request
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("Content-Type"));
            if !typed {
                builder = builder.header("Content-Type", "application/json");
            }
            builder = builder.body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let json = serde_json::from_str(&text).ok();
        Ok(Exchange {
            request,
            status,
            headers,
            text,
            json,
        })
    }

    /// Sends a GET to `path`.
    pub async fn get(&self, path: &str) -> Outcome<Exchange> {
        self.send(self.request(Method::GET, path)).await
    }
}
