//! `GET /os-availability-zone` (every user: the zone and its state) and
//! `GET /os-availability-zone/detail` (the admin: the zones with their hosts and services).

use serde_json::Map;

use super::{fail, policy_refusal, views};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::HOSTS;

/// The zone every compute host, and so every server, of this cloud is in.
pub const ZONE: &str = "nova";

/// The host of the control services (Nova's `internal` zone).
pub const CONTROLLER: &str = "controller";

/// `GET /os-availability-zone`.
pub async fn list() -> Json<Value> {
    Json(json!({"availabilityZoneInfo": [
        {"zoneName": ZONE, "zoneState": {"available": true}, "hosts": null}
    ]}))
}

/// `GET /os-availability-zone/detail` (admin).
pub async fn detail(Call { cloud, scope, .. }: Call) -> Response {
    if !scope.admin {
        return fail(policy_refusal("os-availability-zone:detail"));
    }
    let updated = views::stamp(&cloud, cloud.clock().now_ms())
        .as_str()
        .trim_end_matches('Z')
        .to_string()
        + ".000000";
    let service = || json!({"available": true, "active": true, "updated_at": updated});
    let mut computes = Map::new();
    for host in HOSTS {
        computes.insert(host.to_string(), json!({"nova-compute": service()}));
    }
    Json(json!({"availabilityZoneInfo": [
        {
            "zoneName": "internal",
            "zoneState": {"available": true},
            "hosts": {CONTROLLER: {"nova-conductor": service(), "nova-scheduler": service()}},
        },
        {"zoneName": ZONE, "zoneState": {"available": true}, "hosts": computes},
    ]}))
    .into_response()
}
