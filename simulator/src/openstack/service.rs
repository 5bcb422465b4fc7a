//! The four services of the cloud, their URL prefixes and catalog identities.

use serde::{Deserialize, Serialize};

/// One OpenStack service of the fake cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Keystone,
    Nova,
    Cinder,
    Glance,
}

impl Service {
    /// The devstack-style path prefix the service is served under.
    pub fn prefix(self) -> &'static str {
        match self {
            Service::Keystone => "/identity",
            Service::Nova => "/compute",
            Service::Cinder => "/volume",
            Service::Glance => "/image",
        }
    }

    /// The lowercase name used in fault rules and call records.
    pub fn name(self) -> &'static str {
        match self {
            Service::Keystone => "keystone",
            Service::Nova => "nova",
            Service::Cinder => "cinder",
            Service::Glance => "glance",
        }
    }
}
