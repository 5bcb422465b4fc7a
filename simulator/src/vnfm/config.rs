//! How the reference VNFM is set up: public URLs, credentials, strictness, the default VIM.

use std::{path::PathBuf, time::Duration};

use super::{
    deviation::Deviations,
    profile::{Choices, Profile},
    vim::{OpenStackAccess, VimTiming},
};

/// Configuration of the reference VNFM.
#[derive(Clone, Debug)]
pub struct VnfmConfig {
    /// Public base URL of the plain HTTP listener (`http://host:port`), used in `_links` and
    /// `Location`; derived from the bound address when `None`.
    pub http_public_base: Option<String>,
    /// Public base URL of the HTTPS listener; derived from the bound address when `None`.
    pub https_public_base: Option<String>,
    /// HTTP Basic user name accepted by the API (default `admin`).
    pub basic_user: String,
    /// HTTP Basic password accepted by the API (default `admin`).
    pub basic_password: String,
    /// OAuth 2.0 client id accepted by `POST /oauth2/token` (default `nfvo`).
    pub oauth_client_id: String,
    /// OAuth 2.0 client secret accepted by `POST /oauth2/token` (default `nfvo-secret`).
    pub oauth_client_secret: String,
    /// Lifetime of the access tokens issued.
    pub token_lifetime: Duration,
    /// Reject requests without a `Version` header (400) when true. The conformance suite
    /// expects this.
    pub strict_version: bool,
    /// The VIM used when an instantiation names none.
    pub default_vim: OpenStackAccess,
    /// Timing of the calls to OpenStack.
    pub vim_timing: VimTiming,
    /// Base image name used by the built-in descriptors.
    pub image_name: String,
    /// Flavor name used by the built-in descriptors.
    pub flavor_name: String,
    /// Directory of extra descriptor files (`*.json`).
    pub descriptor_dir: Option<PathBuf>,
    /// Whether the built-in descriptors are known (default true); without them, only those
    /// of `descriptor_dir`.
    pub builtin_descriptors: bool,
    /// Items per page of a list response.
    pub page_size: usize,
    /// Largest request body accepted (bytes).
    pub max_body_bytes: usize,
    /// How notification deliveries are retried.
    pub notification_retry: RetryPolicy,
    /// Deliberate departures from the specifications (none by default).
    pub deviations: Deviations,
    /// The answers given where the specifications leave a choice open: the reference ones, the
    /// vendor documentation's forms, or the spec's mandatory part only.
    pub profile: Profile,
    /// The token that opens the control API (`/_vnfm`) to any client sending it in
    /// `X-Sim-Control-Token`; without one, loopback clients only.
    pub control_token: Option<String>,
}

/// Bounded exponential backoff for notification delivery.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub attempts: u32,
    /// Pause after the first failure; doubled after each further failure.
    pub first_backoff: Duration,
    /// Upper bound of one pause.
    pub max_backoff: Duration,
    /// Timeout of one delivery request (and of the callback test).
    pub request_timeout: Duration,
}

/// The base image name the fake cloud offers.
pub const DEFAULT_IMAGE_NAME: &str = "cirros-0.6.2-x86_64-disk";
/// The flavor name used by the built-in descriptors.
pub const DEFAULT_FLAVOR_NAME: &str = "m1.tiny";

impl VnfmConfig {
    /// The choices of the configured profile.
    pub fn choices(&self) -> Choices {
        self.profile.choices()
    }
}

impl Default for VnfmConfig {
    fn default() -> Self {
        Self {
            http_public_base: None,
            https_public_base: None,
            basic_user: "admin".into(),
            basic_password: "admin".into(),
            oauth_client_id: "nfvo".into(),
            oauth_client_secret: "nfvo-secret".into(),
            token_lifetime: Duration::from_secs(3600),
            strict_version: false,
            default_vim: OpenStackAccess::admin_at("http://127.0.0.1:5000/identity/v3"),
            vim_timing: VimTiming {
                poll_interval: Duration::from_millis(200),
                resource_deadline: Duration::from_secs(120),
                request_timeout: Duration::from_secs(30),
            },
            image_name: DEFAULT_IMAGE_NAME.into(),
            flavor_name: DEFAULT_FLAVOR_NAME.into(),
            descriptor_dir: None,
            builtin_descriptors: true,
            page_size: 100,
            max_body_bytes: 1024 * 1024,
            notification_retry: RetryPolicy {
                attempts: 5,
                first_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(5),
                request_timeout: Duration::from_secs(30),
            },
            deviations: Deviations::default(),
            profile: Profile::Reference,
            control_token: None,
        }
    }
}
