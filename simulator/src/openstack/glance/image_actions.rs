//! `PUT`/`DELETE /v2/images/{id}/tags/{tag}`, `POST /v2/images/{id}/actions/deactivate` /
//! `reactivate`, and `GET /v2/images/{id}/tasks`.

use super::{accept::Accept, fail, import::task_view};
use crate::openstack::handler_prelude::*;

/// `PUT /v2/images/{id}/tags/{tag}` (`ADD` true) -> 204 (adding a tag twice keeps one), and
/// `DELETE` (`ADD` false) -> 204, 404 for a tag the image does not have.
pub async fn tag<const ADD: bool>(
    call: Call,
    accept: Accept,
    Path((image_id, tag)): Path<(String, String)>,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let tagged = call
        .cloud
        .state()
        .tag_image(&call.scope.project_id, &image_id, &tag, ADD, now);
    match tagged {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// `POST /v2/images/{id}/actions/{deactivate|reactivate}` -> 204.
pub async fn activation(
    call: Call,
    accept: Accept,
    Path((image_id, action)): Path<(String, String)>,
) -> Response {
    let active = match action.as_str() {
        "deactivate" => false,
        "reactivate" => true,
        _ => {
            return fail(
                &accept,
                crate::openstack::error::CloudError::not_found("The resource could not be found."),
            )
        }
    };
    let now = call.cloud.clock().now_ms();
    match call.cloud.state().set_image_active(
        &call.scope.project_id,
        call.scope.admin,
        &image_id,
        active,
        now,
    ) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// `GET /v2/images/{id}/tasks`: the image's import tasks that have not expired.
pub async fn tasks(call: Call, accept: Accept, Path(image_id): Path<String>) -> Response {
    let now = call.cloud.clock().now_ms();
    let state = call.cloud.state();
    match state.visible_image(&call.scope.project_id, &image_id) {
        Some(_) => {
            let tasks: Vec<_> = state
                .image_tasks_of(&image_id)
                .into_iter()
                .filter(|t| t.expires_ms.is_none_or(|expires| expires >= now))
                .map(|t| task_view(&call.cloud, t))
                .collect();
            Json(json!({ "tasks": tasks })).into_response()
        }
        None => fail(
            &accept,
            CloudError::not_found(format!("No image found with ID {image_id}")),
        ),
    }
}
