//! The TOML file that points the suite at an external VNFM (`CONFORMANCE_TARGET=<file>`).
//!
//! `targets/esc.example.toml` documents every key.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf};

use serde::Deserialize;
use simulator::kit::{OAuth2ClientCredentials, VnfmClient};

use super::capabilities::Capabilities;
use serde_json::Value;

/// A whole target file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    /// A label for reports.
    pub name: String,
    /// SOL003 API root, up to and including `/vnflcm/v2`.
    pub sol003_root: String,
    /// SOL002 API root, up to and including `/vnflcm/v2`.
    pub sol002_root: String,
    /// How long one LCM operation may take, notifications included (seconds).
    #[serde(default = "default_operation_timeout")]
    pub operation_timeout_secs: u64,
    /// How long one HTTP request may take (seconds); DELETE of a snapshot is synchronous.
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: u64,
    /// How long the VNFM waits for a cloud resource that stays in a transitional status before
    /// it fails the operation (seconds); only scenarios that make a resource stuck use it.
    #[serde(default = "default_resource_wait")]
    pub vnfm_resource_wait_secs: u64,
    /// The `Version` header value to send.
    #[serde(default = "default_version")]
    pub version: String,
    /// Whether the target refuses requests without a `Version` header (SOL013 §9.1). A VNFM
    /// that follows the vendor documentation's curl examples (which send none) accepts them;
    /// the suite then checks that such a request is served and still answered with `Version`.
    #[serde(default = "default_version_header_required")]
    pub version_header_required: bool,
    /// How the suite authenticates towards the VNFM.
    pub auth: AuthConfig,
    /// Which server certificates the suite trusts.
    #[serde(default)]
    pub tls: TlsConfig,
    /// Where the notification listener binds and how the VNFM reaches it.
    pub notifications: NotificationConfig,
    /// Credentials for looking at the cloud.
    pub openstack: OpenStackConfig,
    /// Base URL of the simulator's cloud control API; absent on real clouds.
    #[serde(default)]
    pub control_url: Option<String>,
    /// The simulator's control token (`X-Sim-Control-Token`), when it is not on loopback; it
    /// opens the VNFM's control API too.
    #[serde(default)]
    pub control_token: Option<String>,
    /// Base URL of the reference VNFM's control API (`/_vnfm/faults`); absent on other VNFMs.
    #[serde(default)]
    pub vnfm_control_url: Option<String>,
    /// What the VNFM claims to support beyond the documentation and the spec's mandatory part.
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Commands that write and read a marker on a VNFC, for the data scenarios on a cloud
    /// without the control API.
    #[serde(default)]
    pub data_probe: Option<super::data_probe::DataProbe>,
    /// How to obtain the VNF instance of each fixture.
    pub fixtures: BTreeMap<String, FixtureConfig>,
}

fn default_version_header_required() -> bool {
    true
}

fn default_operation_timeout() -> u64 {
    300
}

fn default_request_timeout() -> u64 {
    300
}

fn default_resource_wait() -> u64 {
    600
}

fn default_version() -> String {
    "2.0.0".to_string()
}

/// Authentication towards the VNFM.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthConfig {
    /// HTTP Basic.
    Basic { username: String, password: String },
    /// OAuth 2.0 client credentials grant.
    Oauth2 {
        token_url: String,
        client_id: String,
        client_secret: String,
        #[serde(default)]
        scope: Option<String>,
    },
}

impl AuthConfig {
    /// The NFVO's client of the API root `root` with these credentials, sending `version`.
    pub fn vnfm_client(&self, root: &str, version: &str, http: reqwest::Client) -> VnfmClient {
        let client = VnfmClient::new(root)
            .with_version(version)
            .with_http_client(http);
        match self {
            Self::Basic { username, password } => client.with_basic_auth(username, password),
            Self::Oauth2 {
                token_url,
                client_id,
                client_secret,
                scope,
            } => client.with_oauth2(OAuth2ClientCredentials::new(
                token_url,
                client_id,
                client_secret,
                scope.as_deref(),
            )),
        }
    }
}

/// Trust settings for HTTPS.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// A PEM file with extra trusted certificates (relative paths start at the repository root).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Accept any server certificate.
    #[serde(default)]
    pub insecure: bool,
}

/// The notification listener.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationConfig {
    /// Address the listener binds to.
    pub bind: SocketAddr,
    /// Base of the callback URIs given to the VNFM (scheme, host, port as the VNFM sees them).
    pub callback_base: String,
}

/// Where the cloud-side credentials come from.
#[derive(Debug, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
pub enum OpenStackConfig {
    /// `OS_AUTH_URL`, `OS_USERNAME`, `OS_PASSWORD`, `OS_PROJECT_NAME`, `OS_USER_DOMAIN_NAME`,
    /// `OS_PROJECT_DOMAIN_NAME` from the environment.
    Env,
    /// A cloud of a `clouds.yaml` file.
    CloudsYaml {
        cloud: String,
        #[serde(default)]
        file: Option<PathBuf>,
    },
    /// Written out in the target file.
    Inline {
        auth_url: String,
        username: String,
        password: String,
        project_name: String,
        #[serde(default = "default_domain")]
        user_domain_name: String,
        #[serde(default = "default_domain")]
        project_domain_name: String,
    },
}

fn default_domain() -> String {
    "Default".to_string()
}

/// How one fixture obtains its VNF instance.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum FixtureConfig {
    /// Create a fresh instance per scenario from a descriptor and (unless `instantiate` is
    /// `false`) instantiate it with the given request.
    Create {
        vnfd_id: String,
        #[serde(default)]
        instantiate: Option<Value>,
        /// A Cinder volume to create first and pass as an out-of-band volume.
        #[serde(default)]
        out_of_band_volume: Option<OutOfBandVolume>,
    },
    /// Use instances that already exist (one per scenario that needs the fixture, taken in turn).
    Existing { instance_ids: Vec<String> },
}

/// An out-of-band volume a fixture needs: created in Cinder through the observer, then passed
/// at instantiation as `additionalParams.outOfBandVolumes: {<virtualStorageDescId>: <volume id>}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfBandVolume {
    pub virtual_storage_desc_id: String,
    #[serde(default = "default_size")]
    pub size_gb: u64,
}

fn default_size() -> u64 {
    1
}
