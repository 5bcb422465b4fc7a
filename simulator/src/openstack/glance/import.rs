//! Interoperable image import: `GET /v2/info/import`, `GET /v2/info/stores` (404: one
//! store), `PUT /v2/images/{id}/stage`, `POST /v2/images/{id}/import` and the import tasks
//! of `GET /v2/images/{id}/tasks`.

use axum::http::{header, HeaderMap};

use super::{accept::Accept, fail, web_download};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{Fate, ImportRequest, ImportTask, IMPORT_METHODS};
use crate::openstack::stamp;

/// `GET /v2/info/import`.
pub async fn info() -> Json<Value> {
    Json(json!({"import-methods": {
        "description": "Import methods available.",
        "type": "array",
        "value": IMPORT_METHODS,
    }}))
}

/// `GET /v2/info/stores`: this Glance has one store, not several (404, as Glance answers
/// without `enabled_backends`).
pub async fn stores(accept: Accept) -> Response {
    fail(
        &accept,
        CloudError::not_found("Multi backend is not supported at this site."),
    )
}

/// `PUT /v2/images/{id}/stage` (`application/octet-stream`) -> 204; the image `uploading`.
pub async fn stage(
    call: Call,
    accept: Accept,
    headers: HeaderMap,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("application/octet-stream") {
        return fail(
            &accept,
            CloudError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Unsupported Content-Type {content_type}"),
            ),
        );
    }
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .stage_image(&call.scope.project_id, &image_id, body, now)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// The method of an import body, with Glance's refusals of a malformed one.
fn method_of(body: &Value) -> Result<(String, Option<String>), CloudError> {
    let method = body
        .get("method")
        .ok_or_else(|| CloudError::bad_request("Import request requires a 'method' field."))?;
    let name = method
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| CloudError::bad_request("Import request requires a 'name' field."))?;
    if !IMPORT_METHODS.contains(&name) {
        return Err(CloudError::bad_request(format!(
            "Unknown import method name '{name}'."
        )));
    }
    for flag in ["all_stores_must_succeed", "all_stores"] {
        if body.get(flag).is_some_and(|v| !v.is_boolean()) {
            return Err(CloudError::bad_request(format!(
                "'{flag}' must be boolean value only"
            )));
        }
    }
    let uri = method
        .get("uri")
        .and_then(Value::as_str)
        .map(str::to_string);
    if name == "web-download" && !uri.as_deref().is_some_and(web_download::allowed) {
        return Err(CloudError::bad_request(format!(
            "URI for web-download does not pass filtering: {}",
            uri.unwrap_or_else(|| "None".to_string())
        )));
    }
    Ok((name.to_string(), uri))
}

/// `POST /v2/images/{id}/import` -> 202; a `web-download` fetches its URL in the background.
pub async fn import(
    call: Call,
    accept: Accept,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|body| {
        let (method, uri) = method_of(&body)?;
        Ok((method, uri, body))
    });
    let (method, uri, body) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(&accept, error),
    };
    let request = ImportRequest {
        method,
        body,
        user_id: call.scope.user_id.to_string(),
        request_id: call.request_id.as_str().to_string(),
    };
    let started = call.cloud.state().start_import(
        &call.scope.project_id,
        &image_id,
        request,
        call.fate,
        call.cloud.clock(),
    );
    let task = match started {
        Ok(task) => task,
        Err(error) => return fail(&accept, error),
    };
    if let Some(uri) = uri.filter(|_| call.fate != Fate::Stuck) {
        let cloud = call.cloud.clone();
        tokio::spawn(async move {
            let outcome = web_download::download(&uri).await.map(Some);
            let now = cloud.clock().now_ms();
            cloud.state().finish_import(&task.id, outcome, now);
        });
    }
    StatusCode::ACCEPTED.into_response()
}

/// A task as `GET /v2/images/{id}/tasks` shows it.
pub fn task_view(cloud: &Cloud, task: &ImportTask) -> Value {
    let stamp = |ms| stamp::micros(cloud, ms);
    json!({
        "id": task.id,
        "type": "api_image_import",
        "status": task.status,
        "owner": task.owner,
        "expires_at": task.expires_ms.map(stamp),
        "created_at": stamp(task.created_ms),
        "updated_at": stamp(task.updated_ms),
        "deleted_at": null,
        "deleted": false,
        "image_id": task.image_id,
        "request_id": task.request_id,
        "user_id": task.user_id,
        "input": task.input,
        "result": task.result,
        "message": task.message,
    })
}
