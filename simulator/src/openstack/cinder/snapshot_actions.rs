//! `POST /snapshots/{id}/action`: the admin actions `os-reset_status` and `os-force_delete`
//! (403 for others; the admin may name any project's snapshot), and
//! `os-update_snapshot_status` (what a volume driver reports).

use super::{fail, snapshots::acting_project, ProjectPath};
use crate::openstack::gateway::parse_action;
use crate::openstack::handler_prelude::*;

fn status_of(args: &Value, action: &str) -> Result<String, CloudError> {
    args.get("status")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            CloudError::bad_request(format!(
                "Invalid input for field/attribute {action}. 'status' is a required property"
            ))
        })
}

/// Dispatches a snapshot action -> 202.
pub async fn dispatch(
    call: Call,
    Path((_, snapshot_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let (action, args) = match parse_action(&body) {
        Ok(action) => action,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let project = acting_project(&state, &call.scope, &snapshot_id).to_string();
    if let Err(error) = state.project_snapshot(&project, &snapshot_id) {
        return fail(error);
    }
    let admin_only = |policy: &str| {
        if call.scope.admin {
            Ok(())
        } else {
            Err(CloudError::forbidden(format!(
                "Policy doesn't allow volume_extension:snapshot_admin_actions:{policy} to be performed."
            )))
        }
    };
    let done = match action.as_str() {
        "os-reset_status" => admin_only("reset_status")
            .and_then(|()| status_of(&args, &action))
            .and_then(|status| state.reset_snapshot_status(&project, &snapshot_id, &status, now)),
        "os-update_snapshot_status" => status_of(&args, &action).and_then(|status| {
            let progress = args
                .get("progress")
                .and_then(Value::as_str)
                .map(str::to_string);
            state.update_snapshot_status(&project, &snapshot_id, &status, progress, now)
        }),
        "os-force_delete" => admin_only("force_delete").and_then(|()| {
            state.force_delete_snapshot(&project, &snapshot_id, call.fate, call.cloud.clock())
        }),
        other => Err(CloudError::bad_request(format!(
            "Invalid request to snapshot action: {other} is not supported."
        ))),
    };
    match done {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
