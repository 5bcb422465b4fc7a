//! Settings of the fake cloud.

use super::{clock::TimeProfile, microversion::Microversion, model::QuotaSet};

/// How the cloud is set up. [`CloudConfig::default`] gives the binary's defaults.
#[derive(Clone, Debug)]
pub struct CloudConfig {
    /// The admin user (password auth).
    pub admin_user: String,
    pub admin_password: String,
    /// The project the admin user works in by default.
    pub admin_project: String,
    /// How status progressions are timed.
    pub time_profile: TimeProfile,
    /// Token lifetime in seconds of cloud time.
    pub token_lifetime_secs: u64,
    /// When set, `/_sim` accepts requests from any address that carry
    /// `X-Sim-Control-Token: <token>`; otherwise only loopback peers may use it.
    pub control_token: Option<String>,
    /// Highest Nova microversion advertised.
    pub nova_max_version: Microversion,
    /// Highest Cinder microversion advertised. Defaults to 3.65: openstacksdk sends its
    /// snapshot requests at 3.65 but python-openstackclient drops `--force` when the server
    /// advertises 3.66+, so a higher default would break `volume snapshot create --force`.
    pub cinder_max_version: Microversion,
    /// Quotas of every project that has no quota of its own.
    pub default_quotas: QuotaSet,
}

impl Default for CloudConfig {
    fn default() -> Self {
        Self {
            admin_user: "admin".to_string(),
            admin_password: "admin".to_string(),
            admin_project: "admin".to_string(),
            time_profile: TimeProfile::Fast,
            token_lifetime_secs: 3_600,
            control_token: None,
            nova_max_version: Microversion(2, 96),
            cinder_max_version: Microversion(3, 65),
            default_quotas: QuotaSet::default(),
        }
    }
}

/// Name of the public base image every cloud starts with.
pub const BASE_IMAGE_NAME: &str = "cirros-0.6.2-x86_64-disk";
