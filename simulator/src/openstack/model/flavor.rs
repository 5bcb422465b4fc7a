//! Nova flavors: the sizes a server can be booted with.

use serde::{Deserialize, Serialize};

/// A flavor as Nova stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flavor {
    pub id: String,
    pub name: String,
    pub vcpus: u32,
    pub ram: u32,
    pub disk: u32,
    pub ephemeral: u32,
    pub swap: u32,
    pub is_public: bool,
}

/// The flavors every cloud starts with (devstack's usual set).
pub fn seed_flavors() -> Vec<Flavor> {
    [
        ("1", "m1.tiny", 1, 512, 1),
        ("2", "m1.small", 1, 2048, 20),
        ("3", "m1.medium", 2, 4096, 40),
        ("4", "m1.large", 4, 8192, 80),
        ("42", "m1.nano", 1, 128, 1),
    ]
    .into_iter()
    .map(|(id, name, vcpus, ram, disk)| Flavor {
        id: id.to_string(),
        name: name.to_string(),
        vcpus,
        ram,
        disk,
        ephemeral: 0,
        swap: 0,
        is_public: true,
    })
    .collect()
}
