//! The whole reference stack in one process: the fake cloud and the VNFM pointed at it, both on
//! `127.0.0.1:0`, the VNFM over HTTP and HTTPS (self-signed certificate).

use std::{io, time::Duration};

use tokio::net::TcpListener;

use crate::{
    kit::{SimControl, VnfmClient, VnfmControl},
    openstack::{clock::TimeProfile, Cloud, CloudConfig, RunningCloud},
    state::{self, StackState},
    tls::ServerIdentity,
    vnfm::{RetryPolicy, TlsListener, Vnfm, VnfmConfig},
};

/// How to start a [`Stack`].
#[derive(Clone, Debug)]
pub struct StackOptions {
    /// The cloud's settings (its time profile defaults to `instant` here).
    pub cloud: CloudConfig,
    /// The VNFM's settings; its default VIM is replaced by the started cloud.
    pub vnfm: VnfmConfig,
}

impl Default for StackOptions {
    /// Settings for tests: the `instant` profile, fast polling and fast notification retries.
    /// Request timeouts keep the VNFM's generous defaults, so that a loaded machine only makes
    /// things slower, never different.
    fn default() -> Self {
        let mut vnfm = VnfmConfig::default();
        vnfm.vim_timing.poll_interval = Duration::from_millis(2);
        vnfm.vim_timing.resource_deadline = Duration::from_secs(20);
        vnfm.notification_retry = RetryPolicy {
            first_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(200),
            ..vnfm.notification_retry
        };
        Self {
            cloud: CloudConfig {
                time_profile: TimeProfile::Instant,
                ..CloudConfig::default()
            },
            vnfm,
        }
    }
}

/// A running cloud and VNFM. Dropping it stops both.
pub struct Stack {
    cloud: RunningCloud,
    vnfm: Vnfm,
    ca_pem: String,
}

impl Stack {
    /// Starts the cloud, then the VNFM with the cloud as its default VIM; the cloud's control
    /// API exports and loads the state of both (`/_sim/state/export`, `/_sim/state/load`).
    pub async fn start(options: StackOptions) -> io::Result<Self> {
        crate::tls::install_crypto_provider();
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let cloud = Cloud::new(options.cloud, &Cloud::listener_url(&listener, None)?);
        let mut vnfm_config = options.vnfm;
        vnfm_config.default_vim.auth_url = cloud.auth_url();
        let identity = ServerIdentity::self_signed(&[])?;
        let http = TcpListener::bind(("127.0.0.1", 0)).await?;
        let https = TlsListener {
            listener: TcpListener::bind(("127.0.0.1", 0)).await?,
            tls: identity.server_config()?,
        };
        let vnfm = Vnfm::start(vnfm_config, http, Some(https))?;
        let state = StackState::new(&cloud, &vnfm);
        let cloud = cloud.run(listener, state::routes(state))?;
        Ok(Self {
            cloud,
            vnfm,
            ca_pem: identity.cert_pem,
        })
    }

    /// Scheme, host and port of the cloud: Keystone at `{cloud_url}/identity/v3`, the control
    /// API at `{cloud_url}/_sim`.
    pub fn cloud_url(&self) -> String {
        self.cloud.url().to_string()
    }

    /// The VNFM's plain HTTP base (`http://127.0.0.1:P`).
    pub fn vnfm_http_url(&self) -> String {
        self.vnfm.http_url().to_string()
    }

    /// The VNFM's HTTPS base (`https://127.0.0.1:P`).
    pub fn vnfm_https_url(&self) -> String {
        self.vnfm.https_url().unwrap_or_default().to_string()
    }

    /// PEM of the VNFM's self-signed certificate, for clients to trust.
    pub fn vnfm_ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// An NFVO's client of the VNFM's SOL003 API over HTTP, as user `admin`/`admin`.
    pub fn vnfm_client(&self) -> VnfmClient {
        VnfmClient::new(&format!("{}/or_vnfm/vnflcm/v2", self.vnfm_http_url()))
    }

    /// A client of the cloud's control API.
    pub fn control(&self) -> SimControl {
        self.cloud.control()
    }

    /// A client of the VNFM's control API (`/_vnfm/faults`) on its HTTP listener.
    pub fn vnfm_control(&self) -> VnfmControl {
        VnfmControl::new(&self.vnfm_http_url())
    }

    /// The running cloud.
    pub fn cloud(&self) -> &RunningCloud {
        &self.cloud
    }

    /// The running VNFM.
    pub fn vnfm(&self) -> &Vnfm {
        &self.vnfm
    }
}
