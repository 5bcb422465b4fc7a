//! The service catalog: compute, block-storage (and its `volumev3` alias), image, network and
//! identity, all on this cloud's listener with devstack-style prefixes; and
//! `GET /v3/auth/catalog`.

use axum::{extract::State, Extension};

use super::views;
use crate::openstack::gateway::Admission;
use crate::openstack::handler_prelude::*;

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

/// The catalog of a token scoped to `project_id`; without a project (a system-scoped token)
/// Cinder's endpoints, whose URLs name the project, are left out, as Keystone leaves out
/// endpoints it cannot fill in.
pub fn catalog(public_url: &str, project_id: Option<&str>) -> Value {
    let mut entries = vec![
        entry("identity", "keystone", &format!("{public_url}/identity")),
        entry("compute", "nova", &format!("{public_url}/compute/v2.1")),
    ];
    if let Some(project_id) = project_id {
        let volume = format!("{public_url}/volume/v3/{project_id}");
        entries.push(entry("block-storage", "cinder", &volume));
        entries.push(entry("volumev3", "cinderv3", &volume));
    }
    entries.push(entry("image", "glance", &format!("{public_url}/image")));
    entries.push(entry(
        "network",
        "neutron",
        &format!("{public_url}/networking"),
    ));
    Value::Array(entries)
}

/// `GET /v3/auth/catalog`: the catalog of the token's project (403 for an unscoped token).
pub async fn show_catalog(
    State(cloud): State<Cloud>,
    admission: Option<Extension<Admission>>,
) -> Response {
    match admission.and_then(|Extension(admission)| admission.scope) {
        Some(scope) => Json(json!({
            "catalog": catalog(cloud.public_url(), Some(&scope.project_id)),
            "links": {"self": views::url(&cloud, "auth/catalog"), "previous": null, "next": null},
        }))
        .into_response(),
        None => views::fail(
            &cloud,
            CloudError::forbidden(
                "A project-scoped token is required to produce a service catalog.",
            ),
        ),
    }
}
