//! Neutron's version document (`/networking`), the v2.0 resource index and the extension list.

use crate::openstack::handler_prelude::*;
use axum::extract::State;

/// The extensions the fake's Neutron has (aliases, names, descriptions).
const EXTENSIONS: [(&str, &str, &str); 11] = [
    ("security-group", "security-group", "The security groups extension."),
    ("standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes"),
    ("standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes."),
    ("standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number of neutron resources."),
    ("port-security", "Port Security", "Provides port security"),
    ("external-net", "Neutron external network", "Adds external network attribute to network resource."),
    ("router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway."),
    ("ext-gw-mode", "Neutron L3 Configurable external gateway mode", "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway"),
    ("extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"),
    ("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
    ("filter-validation", "Filter parameters validation", "Provides validation on filter parameters."),
];

/// `GET /networking`: the one version, v2.0.
pub async fn root(State(cloud): State<Cloud>) -> Json<Value> {
    Json(json!({"versions": [{
        "id": "v2.0",
        "status": "CURRENT",
        "links": [{"href": format!("{}/networking/v2.0/", cloud.public_url()), "rel": "self"}],
    }]}))
}

/// `GET /networking/v2.0`: the resources of the API.
pub async fn v20(State(cloud): State<Cloud>) -> Json<Value> {
    let resources: Vec<Value> = [
        ("network", "networks"),
        ("subnet", "subnets"),
        ("port", "ports"),
        ("security_group", "security-groups"),
        ("security_group_rule", "security-group-rules"),
        ("router", "routers"),
        ("floatingip", "floatingips"),
    ]
    .iter()
    .map(|(name, collection)| {
        json!({
            "name": name,
            "collection": collection,
            "links": [{"href": format!("{}/networking/v2.0/{collection}", cloud.public_url()), "rel": "self"}],
        })
    })
    .collect();
    Json(json!({ "resources": resources }))
}

fn extension_view((alias, name, description): &(&str, &str, &str)) -> Value {
    json!({"alias": alias, "name": name, "description": description, "updated": "2013-01-01T10:00:00-00:00", "links": []})
}

/// `GET /networking/v2.0/extensions`.
pub async fn extensions() -> Json<Value> {
    let list: Vec<Value> = EXTENSIONS.iter().map(extension_view).collect();
    Json(json!({ "extensions": list }))
}

/// `GET /networking/v2.0/extensions/{alias}`.
pub async fn extension(Path(alias): Path<String>) -> Response {
    match EXTENSIONS.iter().find(|(a, _, _)| *a == alias) {
        Some(extension) => Json(json!({ "extension": extension_view(extension) })).into_response(),
        None => super::fail(
            CloudError::not_found(format!("Extension with alias {alias} does not exist"))
                .kind("ExtensionNotFound"),
        ),
    }
}
