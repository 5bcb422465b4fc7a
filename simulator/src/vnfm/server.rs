//! Starting the VNFM: the same API on a plain HTTP listener and, optionally, a TLS one.

use std::{io, sync::Arc};

use axum::Router;
use tokio::net::TcpListener;

use super::{
    api,
    config::VnfmConfig,
    descriptors::{Catalog, CatalogError},
    links::Api,
    records::VnfmRecords,
    services::Services,
};
use crate::serve::{self, ServerHandle};

/// A running VNFM. Dropping it stops the listeners.
#[derive(Debug)]
pub struct Vnfm {
    http: ServerHandle,
    https: Option<ServerHandle>,
    http_url: String,
    https_url: Option<String>,
    records: VnfmRecords,
}

/// A listener to serve over TLS.
pub struct TlsListener {
    pub listener: TcpListener,
    pub tls: Arc<rustls::ServerConfig>,
}

fn catalog(config: &VnfmConfig) -> Result<Catalog, CatalogError> {
    let dir = config.descriptor_dir.as_deref();
    if config.builtin_descriptors {
        Catalog::load(&config.image_name, &config.flavor_name, dir)
    } else {
        Catalog::files_only(dir)
    }
}

/// The VNFM API as a router, without a listener; `public_base` (`scheme://host:port`) is
/// used in `_links` and `Location`.
pub fn router(config: VnfmConfig, public_base: &str) -> Result<Router, CatalogError> {
    let catalog = catalog(&config)?;
    Ok(api::router(Services::new(config, catalog), public_base))
}

impl Vnfm {
    /// Serves the VNFM on `http` and, when given, on `https`; both share one state.
    pub fn start(
        mut config: VnfmConfig,
        http: TcpListener,
        https: Option<TlsListener>,
    ) -> io::Result<Self> {
        let catalog = catalog(&config).map_err(io::Error::other)?;
        let http_url = match &config.http_public_base {
            Some(base) => base.trim_end_matches('/').to_string(),
            None => format!("http://{}", http.local_addr()?),
        };
        let https_url = match (&https, &config.https_public_base) {
            (None, _) => None,
            (Some(_), Some(base)) => Some(base.trim_end_matches('/').to_string()),
            (Some(listener), None) => Some(format!("https://{}", listener.listener.local_addr()?)),
        };
        config.https_public_base.clone_from(&https_url);
        let services = Services::new(config, catalog);
        let http_handle = serve::spawn(http, api::router(services.clone(), &http_url), None)?;
        let https_handle = match (https, &https_url) {
            (Some(listener), Some(url)) => Some(serve::spawn(
                listener.listener,
                api::router(services.clone(), url),
                Some(listener.tls),
            )?),
            _ => None,
        };
        Ok(Self {
            http: http_handle,
            https: https_handle,
            http_url,
            https_url,
            records: VnfmRecords::new(services),
        })
    }

    /// A handle on the VNFM's records, for saving and loading the stack's state.
    pub fn records(&self) -> VnfmRecords {
        self.records.clone()
    }

    /// Public base URL of the plain HTTP listener.
    pub fn http_url(&self) -> &str {
        &self.http_url
    }

    /// Public base URL of the HTTPS listener, when serving one.
    pub fn https_url(&self) -> Option<&str> {
        self.https_url.as_deref()
    }

    /// `…/or_vnfm/vnflcm/v2` on the HTTP listener.
    pub fn sol003_root(&self) -> String {
        format!("{}{}/v2", self.http_url, Api::Sol003.prefix())
    }

    /// `…/ve_vnfm/vnflcm/v2` on the HTTP listener.
    pub fn sol002_root(&self) -> String {
        format!("{}{}/v2", self.http_url, Api::Sol002.prefix())
    }

    /// Bound address of the HTTP listener.
    pub fn http_addr(&self) -> std::net::SocketAddr {
        self.http.local_addr()
    }

    /// Bound address of the HTTPS listener.
    pub fn https_addr(&self) -> Option<std::net::SocketAddr> {
        self.https.as_ref().map(ServerHandle::local_addr)
    }
}
