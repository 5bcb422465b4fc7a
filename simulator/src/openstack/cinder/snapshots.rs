//! `/snapshots`: create (with the `force` rules), list, detail, show, delete.

use std::collections::HashMap;

use super::{
    fail,
    paging::{list_answer, Listed, Listing},
    views, ProjectPath,
};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{CloudState, Snapshot, SnapshotRequest},
    wire::string_map,
};

impl Listed for Snapshot {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_ms(&self) -> u64 {
        self.created_ms
    }
    fn attribute(&self, name: &str) -> Option<String> {
        match name {
            "name" => self.name.clone(),
            "status" => Some(self.status.to_string()),
            "volume_id" => Some(self.volume_id.to_string()),
            "size" => Some(self.size.to_string()),
            _ => None,
        }
    }
}

fn parse_force(value: Option<&Value>) -> Result<Option<bool>, CloudError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Ok(Some(true)),
            "false" | "0" | "no" | "off" | "f" | "n" => Ok(Some(false)),
            _ => Err(CloudError::bad_request(format!(
                "Invalid value '{s}' for force. "
            ))),
        },
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid value '{other}' for force. "
        ))),
    }
}

fn parse_snapshot(body: &Value) -> Result<SnapshotRequest, CloudError> {
    let snapshot = body
        .get("snapshot")
        .filter(|s| s.is_object())
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute snapshot. 'snapshot' is a required property",
            )
        })?;
    let volume_id = match snapshot.get("volume_id") {
        Some(Value::String(id)) => id.as_str(),
        // Cinder looks the volume up by the string of Python's None.
        Some(Value::Null) => return Err(CloudError::not_found("Volume None could not be found.")),
        _ => {
            return Err(CloudError::bad_request(
                "Invalid input for field/attribute snapshot. 'volume_id' is a required property",
            ))
        }
    };
    let text = |key: &str| {
        snapshot
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let metadata = string_map(snapshot.get("metadata"));
    Ok(SnapshotRequest {
        volume_id: volume_id.to_string(),
        name: text("name").or_else(|| text("display_name")),
        description: text("description"),
        force: parse_force(snapshot.get("force"))?,
        metadata,
    })
}

/// `POST /snapshots` -> 202 with the snapshot in `creating`.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let request = match parse_body::<Value>(&body).and_then(|b| parse_snapshot(&b)) {
        Ok(request) => request,
        Err(error) => return fail(error),
    };
    let created = call.cloud.state().create_snapshot(
        &call.scope.project_id,
        &call.scope.user_id,
        request,
        (call.version.0, call.version.1),
        call.fate,
        call.cloud.clock(),
    );
    match created {
        Ok(snapshot) => (
            StatusCode::ACCEPTED,
            Json(views::SnapshotBody {
                snapshot: views::snapshot(&call.cloud, &snapshot, call.version, false),
            }),
        )
            .into_response(),
        Err(error) => fail(error),
    }
}

pub(super) const FILTERS: [&str; 3] = ["name", "status", "volume_id"];

/// `GET /snapshots` (`DETAILED` false) and `GET /snapshots/detail` (`DETAILED` true).
pub async fn list<const DETAILED: bool>(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = call.cloud.state();
    let own: Vec<_> = state
        .snapshots
        .values()
        .map(Box::as_ref)
        .filter(|item| *item.project_id == *call.scope.project_id)
        .collect();
    let listing = Listing::new(&call, "snapshots", DETAILED);
    list_answer(&listing, own, &query, &FILTERS, |item| {
        views::snapshot(&call.cloud, item, call.version, DETAILED)
    })
}

/// `GET /snapshots/{id}`.
pub async fn show(
    call: Call<Microversion>,
    Path((_, snapshot_id)): ProjectPath<String>,
) -> Response {
    let state = call.cloud.state();
    let project = acting_project(&state, &call.scope, &snapshot_id);
    match state.project_snapshot(project, &snapshot_id) {
        Ok(snapshot) => {
            let view = views::snapshot(&call.cloud, snapshot, call.version, true);
            Json(views::SnapshotBody { snapshot: view }).into_response()
        }
        Err(error) => fail(error),
    }
}

/// The project whose snapshot `id` the caller acts on: its own, or for the cloud admin the
/// snapshot's owner (Cinder lets an admin reach any project's resources by id).
pub(super) fn acting_project<'a>(state: &'a CloudState, scope: &'a Scope, id: &str) -> &'a str {
    match state.snapshots.get(id) {
        Some(snapshot) if scope.admin => &snapshot.project_id,
        _ => &scope.project_id,
    }
}

/// `DELETE /snapshots/{id}` -> 202, only from `available` or `error`.
pub async fn remove(call: Call, Path((_, snapshot_id)): ProjectPath<String>) -> Response {
    match call.cloud.state().delete_snapshot(
        &call.scope.project_id,
        &snapshot_id,
        call.fate,
        call.cloud.clock(),
    ) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
