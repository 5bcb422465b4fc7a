//! `GET /os-services` and `PUT /os-services/{enable,disable,disable-log-reason}` (the
//! admin's), and `GET /capabilities/{host}`: the scheduler and the one LVM volume service,
//! and what that backend reports.

use std::collections::HashMap;

use super::{fail, types::admin_only, views::stamp, views::AVAILABILITY_ZONE, ProjectPath};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{backend_capabilities, VOLUME_SERVICES};

/// `GET /os-services` (filters `host`, `binary`).
pub async fn list(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = admin_only(&call.scope, "services:index") {
        return fail(error);
    }
    let now = call.cloud.clock().now_ms();
    let state = call.cloud.state();
    let services: Vec<Value> = VOLUME_SERVICES
        .iter()
        .filter(|(binary, host)| {
            query.get("host").is_none_or(|h| h == host)
                && query.get("binary").is_none_or(|b| b == binary)
        })
        .map(|(binary, host)| {
            let disabled = state.service_disabled(binary, host);
            let mut view = json!({
                "binary": binary,
                "host": host,
                "zone": AVAILABILITY_ZONE,
                "status": if disabled.is_some() { "disabled" } else { "enabled" },
                "state": "up",
                "updated_at": stamp(&call.cloud, now),
                "disabled_reason": disabled.cloned().flatten(),
            });
            if *binary == "cinder-volume" {
                view["replication_status"] = json!("disabled");
                view["active_backend_id"] = Value::Null;
                view["frozen"] = json!(false);
                if call.version >= Microversion(3, 49) {
                    view["backend_state"] = json!("up");
                }
            }
            if call.version >= Microversion(3, 7) {
                view["cluster"] = Value::Null;
            }
            view
        })
        .collect();
    Json(json!({ "services": services })).into_response()
}

/// `PUT /os-services/{enable|disable|disable-log-reason}` `{host, binary}` -> 200.
pub async fn update(call: Call, Path((_, action)): ProjectPath<String>, body: Bytes) -> Response {
    let parsed = admin_only(&call.scope, "services:update")
        .and_then(|()| parse_body::<Value>(&body))
        .map(|body| {
            let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default();
            let reason = body
                .get("disabled_reason")
                .and_then(Value::as_str)
                .map(str::to_string);
            (
                text("host").to_string(),
                text("service").to_string(),
                text("binary").to_string(),
                reason,
            )
        });
    let (host, service, binary, reason) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(error),
    };
    let binary_key = if binary.is_empty() { &service } else { &binary };
    let disabled = match action.as_str() {
        "enable" => None,
        "disable" => Some(None),
        "disable-log-reason" => Some(reason.clone()),
        _ => return fail(CloudError::not_found("The resource could not be found.")),
    };
    let changed = call
        .cloud
        .state()
        .set_service_disabled(binary_key, &host, disabled.clone());
    if let Err(error) = changed {
        return fail(error);
    }
    let mut answer = json!({
        "host": host,
        "service": service,
        "binary": binary,
        "status": if disabled.is_some() { "disabled" } else { "enabled" },
        "disabled": disabled.is_some(),
    });
    if action == "disable-log-reason" {
        answer["disabled_reason"] = json!(reason);
    }
    Json(answer).into_response()
}

/// `GET /capabilities/{host}`: the LVM backend's capabilities and standard properties.
pub async fn capabilities(call: Call, Path((_, host)): ProjectPath<String>) -> Response {
    if let Err(error) = admin_only(&call.scope, "capabilities") {
        return fail(error);
    }
    let known = VOLUME_SERVICES.iter().any(|(binary, h)| {
        *binary == "cinder-volume" && (*h == host || h.starts_with(&format!("{host}@")))
    });
    if !known {
        return fail(CloudError::not_found(format!("Can't find service: {host}")));
    }
    let stats = backend_capabilities();
    let property = |title: &str, description: &str| json!({"title": title, "description": description, "type": "boolean"});
    Json(json!({
        "namespace": format!("OS::Storage::Capabilities::{host}"),
        "vendor_name": stats["vendor_name"],
        "volume_backend_name": stats["volume_backend_name"],
        "pool_name": null,
        "driver_version": stats["driver_version"],
        "storage_protocol": stats["storage_protocol"],
        "display_name": null,
        "description": null,
        "visibility": null,
        "replication_targets": [],
        "properties": {
            "thin_provisioning": property("Thin Provisioning", "Sets thin provisioning."),
            "compression": property("Compression", "Enables compression."),
            "qos": property("QoS", "Enables QoS."),
            "replication_enabled": property("Replication", "Enables replication."),
        },
    }))
    .into_response()
}
