//! The five services of the cloud, their URL prefixes and catalog identities.

use serde::{Deserialize, Serialize};

/// One OpenStack service of the fake cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Keystone,
    Nova,
    Cinder,
    Glance,
    Neutron,
}

impl Service {
    /// Every service, in the order of the catalog.
    pub const ALL: [Service; 5] = [
        Service::Keystone,
        Service::Nova,
        Service::Cinder,
        Service::Glance,
        Service::Neutron,
    ];

    /// The devstack-style path prefix the service is served under.
    pub fn prefix(self) -> &'static str {
        match self {
            Service::Keystone => "/identity",
            Service::Nova => "/compute",
            Service::Cinder => "/volume",
            Service::Glance => "/image",
            Service::Neutron => "/networking",
        }
    }

    /// The lowercase name used in fault rules and call records.
    pub fn name(self) -> &'static str {
        match self {
            Service::Keystone => "keystone",
            Service::Nova => "nova",
            Service::Cinder => "cinder",
            Service::Glance => "glance",
            Service::Neutron => "neutron",
        }
    }
}
