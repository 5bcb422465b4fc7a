//! `GET /os-availability-zone`: the one storage availability zone.

use serde_json::{json, Value};

use super::views::AVAILABILITY_ZONE;
use crate::openstack::json::Json;

/// `GET /os-availability-zone`.
pub async fn list() -> Json<Value> {
    Json(json!({"availabilityZoneInfo": [
        {"zoneName": AVAILABILITY_ZONE, "zoneState": {"available": true}}
    ]}))
}
