//! The control API's view of disk contents and of what servers went through: markers written
//! and read on a server's disks and on volumes, what images and volume snapshots hold, each
//! server's live workload and its status history.

use axum::extract::State;
use serde::Deserialize;

use super::routes::parse;
use crate::control_access::error_answer;
use crate::openstack::handler_prelude::*;

fn refused(error: CloudError) -> Response {
    error_answer(error.status, error.message)
}

/// A marker to write.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerRequest {
    key: String,
    value: String,
    /// The disk of a server (`/dev/vdb`); its boot disk when absent.
    #[serde(default)]
    device: Option<String>,
}

impl MarkerRequest {
    fn checked(body: &Bytes) -> Result<Self, Box<Response>> {
        let request: MarkerRequest = parse(body)?;
        if request.key.is_empty() {
            return Err(Box::new(error_answer(
                StatusCode::BAD_REQUEST,
                "key must not be empty",
            )));
        }
        Ok(request)
    }
}

/// `GET /_sim/servers/{id}/disks` -> `{"server_id", "disks": [{"device", "volume_id", "boot",
/// "content"}]}`, the boot disk first.
pub async fn server_disks(State(cloud): State<Cloud>, Path(server_id): Path<String>) -> Response {
    let now = cloud.clock().now_ms();
    match cloud.state().server_disks(&server_id, now) {
        Ok(disks) => Json(json!({"server_id": server_id, "disks": disks})).into_response(),
        Err(error) => refused(error),
    }
}

/// `POST /_sim/servers/{id}/markers {"key", "value", "device"?}` -> the disk written.
pub async fn write_server_marker(
    State(cloud): State<Cloud>,
    Path(server_id): Path<String>,
    body: Bytes,
) -> Response {
    let request = match MarkerRequest::checked(&body) {
        Ok(request) => request,
        Err(response) => return *response,
    };
    let now = cloud.clock().now_ms();
    let written = cloud.state().write_server_marker(
        &server_id,
        request.device.as_deref(),
        &request.key,
        &request.value,
        now,
    );
    match written {
        Ok(disk) => Json(disk).into_response(),
        Err(error) => refused(error),
    }
}

/// `GET /_sim/volumes/{id}/content`.
pub async fn volume_content(State(cloud): State<Cloud>, Path(volume_id): Path<String>) -> Response {
    let now = cloud.clock().now_ms();
    match cloud.state().volume_content(&volume_id, now) {
        Ok(content) => Json(content).into_response(),
        Err(error) => refused(error),
    }
}

/// `POST /_sim/volumes/{id}/markers {"key", "value"}` -> the volume's content.
pub async fn write_volume_marker(
    State(cloud): State<Cloud>,
    Path(volume_id): Path<String>,
    body: Bytes,
) -> Response {
    let request = match MarkerRequest::checked(&body) {
        Ok(request) => request,
        Err(response) => return *response,
    };
    if request.device.is_some() {
        return error_answer(StatusCode::BAD_REQUEST, "a volume has no device to name");
    }
    let now = cloud.clock().now_ms();
    let written = cloud
        .state()
        .write_volume_marker(&volume_id, &request.key, &request.value, now);
    match written {
        Ok(content) => Json(content).into_response(),
        Err(error) => refused(error),
    }
}

/// `GET /_sim/snapshots/{id}/content`: what a volume snapshot holds.
pub async fn snapshot_content(
    State(cloud): State<Cloud>,
    Path(snapshot_id): Path<String>,
) -> Response {
    match cloud.state().snapshot_content(&snapshot_id) {
        Ok(content) => Json(content).into_response(),
        Err(error) => refused(error),
    }
}

/// `GET /_sim/images/{id}/content`: `{"content"}`, `null` for an image that holds no disk
/// (uploaded bytes, or a volume-backed server's snapshot, whose disks are its volume
/// snapshots).
pub async fn image_content(State(cloud): State<Cloud>, Path(image_id): Path<String>) -> Response {
    match cloud.state().image_content(&image_id) {
        Ok(content) => Json(json!({"content": content})).into_response(),
        Err(error) => refused(error),
    }
}

/// The live workload switch.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadRequest {
    running: bool,
}

/// `GET /_sim/servers/{id}/workload` -> `{"running", "since_ms"}`.
pub async fn workload(State(cloud): State<Cloud>, Path(server_id): Path<String>) -> Response {
    match cloud.state().workload(&server_id) {
        Ok(workload) => Json(workload).into_response(),
        Err(error) => refused(error),
    }
}

/// `PUT /_sim/servers/{id}/workload {"running"}`: switches the live workload on or off.
pub async fn set_workload(
    State(cloud): State<Cloud>,
    Path(server_id): Path<String>,
    body: Bytes,
) -> Response {
    let request: WorkloadRequest = match parse(&body) {
        Ok(request) => request,
        Err(response) => return *response,
    };
    let now = cloud.clock().now_ms();
    match cloud.state().set_workload(&server_id, request.running, now) {
        Ok(workload) => Json(workload).into_response(),
        Err(error) => refused(error),
    }
}

/// `GET /_sim/servers/{id}/history` -> `{"server_id", "project_id", "events": [{"at_ms",
/// "status", "task_state"}], "gone_ms", "now_ms"}`, also for a server that is gone.
pub async fn history(State(cloud): State<Cloud>, Path(server_id): Path<String>) -> Response {
    let now = cloud.clock().now_ms();
    let state = cloud.state();
    match state.server_history.get(&server_id) {
        Some(history) => {
            let mut body = json!(history);
            body["now_ms"] = json!(now);
            Json(body).into_response()
        }
        None => error_answer(
            StatusCode::NOT_FOUND,
            format!("no history of a server {server_id}"),
        ),
    }
}
