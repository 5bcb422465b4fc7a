//! The tasks API, `GET /v2/tasks` and `GET /v2/tasks/{id}` (the admin's, as
//! `tasks_api_access` rules): the import tasks of every image. Tasks cannot be deleted (405);
//! creating the legacy `import` tasks is not served.

use axum::http::header;

use super::{accept::Accept, fail};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::ImportTask;
use crate::openstack::stamp;

fn access(scope: &Scope) -> Result<(), CloudError> {
    if scope.admin {
        Ok(())
    } else {
        Err(CloudError::forbidden(
            "You are not authorized to complete tasks_api_access action.",
        ))
    }
}

/// A task's view; `full` adds its input, result and message and the image, request and user.
fn view(cloud: &Cloud, task: &ImportTask, full: bool) -> Value {
    let stamp = |ms| stamp::seconds(cloud, ms);
    let mut view = json!({
        "id": task.id,
        "type": "api_image_import",
        "status": task.status,
        "owner": task.owner,
        "created_at": stamp(task.created_ms),
        "updated_at": stamp(task.updated_ms),
        "self": format!("/v2/tasks/{}", task.id),
        "schema": "/v2/schemas/task",
    });
    if let Some(expires) = task.expires_ms {
        view["expires_at"] = json!(stamp(expires));
    }
    if full {
        view["input"] = task.input.clone();
        view["result"] = json!(task.result);
        view["message"] = json!(task.message);
        view["image_id"] = json!(task.image_id);
        view["request_id"] = json!(task.request_id);
        view["user_id"] = json!(task.user_id);
    }
    view
}

/// `GET /v2/tasks`: newest first.
pub async fn list(call: Call, accept: Accept) -> Response {
    if let Err(error) = access(&call.scope) {
        return fail(&accept, error);
    }
    let now = call.cloud.clock().now_ms();
    let state = call.cloud.state();
    let mut tasks: Vec<&ImportTask> = state
        .image_tasks
        .values()
        .filter(|t| t.expires_ms.is_none_or(|expires| expires >= now))
        .collect();
    tasks.sort_by(|a, b| (b.created_ms, &b.id).cmp(&(a.created_ms, &a.id)));
    let views: Vec<Value> = tasks.iter().map(|t| view(&call.cloud, t, false)).collect();
    Json(json!({"tasks": views, "first": "/v2/tasks", "schema": "/v2/schemas/tasks"}))
        .into_response()
}

/// `GET /v2/tasks/{id}`.
pub async fn show(call: Call, accept: Accept, Path(id): Path<String>) -> Response {
    let state = call.cloud.state();
    let found = access(&call.scope).and_then(|()| {
        state.image_tasks.get(&id).ok_or_else(|| {
            CloudError::not_found(format!("Task with the given id {id} was not found"))
        })
    });
    match found {
        Ok(task) => Json(view(&call.cloud, task, true)).into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// `DELETE /v2/tasks/{id}`: 405, tasks expire on their own.
pub async fn remove(call: Call, accept: Accept) -> Response {
    if let Err(error) = access(&call.scope) {
        return fail(&accept, error);
    }
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET")],
        "This operation is currently not permitted on Glance Tasks. They are auto deleted after reaching the time based on their expires_at property.",
    )
        .into_response()
}
