//! `GET /os-availability-zone`: the one zone every server of this cloud is in.

use axum::Json;
use serde_json::{json, Value};

/// The zone servers report in `OS-EXT-AZ:availability_zone`.
pub const ZONE: &str = "nova";

/// `GET /os-availability-zone` (the non-admin view: names and state, no hosts).
pub async fn list() -> Json<Value> {
    Json(json!({"availabilityZoneInfo": [
        {"zoneName": ZONE, "zoneState": {"available": true}, "hosts": null}
    ]}))
}
