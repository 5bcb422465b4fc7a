//! Small pieces of the wire format the services share: metadata maps in request bodies, the
//! `*_links` next-page link of list responses (Nova and Cinder) and a port's `fixed_ips`
//! (Neutron and Nova).

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::model::FixedIp;

/// A `metadata` object as the string map the services store (non-string values are kept as
/// their JSON text).
pub fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `servers_links` / `volumes_links` / `snapshots_links` value: `base` (absolute URL of the
/// list) with the request's query and the new `marker`.
pub fn next_links(base: &str, query: &HashMap<String, String>, marker: &str) -> Value {
    let mut params: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| k.as_str() != "marker")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    params.sort();
    params.push(("marker".to_string(), marker.to_string()));
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    json!([{"rel": "next", "href": format!("{base}?{encoded}")}])
}

/// A port's `fixed_ips`: `[{"subnet_id", "ip_address"}]`, as Neutron's ports and router
/// gateways and Nova's interface attachments show them.
pub fn fixed_ips(fixed_ips: &[FixedIp]) -> Value {
    fixed_ips
        .iter()
        .map(|f| json!({"subnet_id": f.subnet_id, "ip_address": f.ip_address.to_string()}))
        .collect()
}
