//! The type access extension: `GET /types/{id}/os-volume-type-access` and the
//! `addProjectAccess` / `removeProjectAccess` actions of `POST /types/{id}/action` (admin
//! only; private types only).

use super::{fail, types::admin_only, ProjectPath};
use crate::openstack::gateway::parse_action;
use crate::openstack::handler_prelude::*;

/// `GET /types/{id}/os-volume-type-access` -> the projects a private type is shared with.
pub async fn list(call: Call, Path((_, type_id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    let found = admin_only(&call.scope, "volume_type_access:get_all_for_type")
        .and_then(|()| state.volume_type(&call.scope.project_id, call.scope.admin, &type_id));
    match found {
        Ok(volume_type) if volume_type.is_public => fail(CloudError::not_found(
            "Access list not available for public volume types.",
        )),
        Ok(volume_type) => {
            let access: Vec<Value> = volume_type
                .projects
                .iter()
                .map(|p| json!({"volume_type_id": volume_type.id, "project_id": p}))
                .collect();
            Json(json!({ "volume_type_access": access })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `POST /types/{id}/action` with `addProjectAccess` or `removeProjectAccess` -> 202.
pub async fn action(call: Call, Path((_, type_id)): ProjectPath<String>, body: Bytes) -> Response {
    let (action, args) = match parse_action(&body) {
        Ok(action) => action,
        Err(error) => return fail(error),
    };
    let grant = match action.as_str() {
        "addProjectAccess" => true,
        "removeProjectAccess" => false,
        other => {
            return fail(CloudError::bad_request(format!(
                "There is no such action: {other}"
            )))
        }
    };
    let policy = format!("volume_type_access:{action}");
    let project = admin_only(&call.scope, &policy).and_then(|()| {
        args.get("project")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                CloudError::bad_request(format!(
                    "Invalid input for field/attribute {action}. 'project' is a required property"
                ))
            })
    });
    let changed = project.and_then(|project| {
        call.cloud
            .state()
            .change_volume_type_access(&type_id, project, grant)
    });
    match changed {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
