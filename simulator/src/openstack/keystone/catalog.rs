//! The service catalog: compute, block-storage (and its `volumev3` alias), image, network and
//! identity, all on this cloud's listener with devstack-style prefixes.

use serde_json::{json, Value};

/// Region of every endpoint.
pub const REGION: &str = "RegionOne";

fn entry(service_type: &str, name: &str, url: &str) -> Value {
    let endpoints: Vec<Value> = ["public", "internal", "admin"]
        .iter()
        .map(|interface| {
            json!({
                "id": uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{url}#{interface}").as_bytes()).simple().to_string(),
                "interface": interface,
                "region": REGION,
                "region_id": REGION,
                "url": url,
            })
        })
        .collect();
    json!({
        "id": uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, service_type.as_bytes()).simple().to_string(),
        "type": service_type,
        "name": name,
        "endpoints": endpoints,
    })
}

/// The catalog of a token scoped to `project_id`.
pub fn catalog(public_url: &str, project_id: &str) -> Value {
    let volume = format!("{public_url}/volume/v3/{project_id}");
    json!([
        entry("identity", "keystone", &format!("{public_url}/identity")),
        entry("compute", "nova", &format!("{public_url}/compute/v2.1")),
        entry("block-storage", "cinder", &volume),
        entry("volumev3", "cinderv3", &volume),
        entry("image", "glance", &format!("{public_url}/image")),
        entry("network", "neutron", &format!("{public_url}/networking")),
    ])
}
