//! `POST /servers/{id}/action`: createImage, createBackup, rebuild, os-stop, os-start, reboot,
//! lock, unlock, addSecurityGroup, removeSecurityGroup.

use axum::http::header;

use super::{
    fail,
    servers::{disk_config, optional_text},
    views,
    views::ServerView,
};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    gateway::parse_action,
    model::{BackupRequest, RebuildRequest},
    wire::string_map,
};

/// Dispatches on the single key of the action body.
pub async fn dispatch(
    call: Call<Microversion>,
    Path(server_id): Path<String>,
    body: Bytes,
) -> Response {
    let (action, args) = match parse_action(&body) {
        Ok(action) => action,
        Err(error) => return fail(error),
    };
    let result = match action.as_str() {
        "createImage" => create_image(&call, &server_id, &args),
        "createBackup" => create_backup(&call, &server_id, &args),
        "rebuild" => rebuild(&call, &server_id, &args),
        "os-stop" | "os-start" => {
            let start = action == "os-start";
            call.cloud
                .state()
                .power_server(
                    &call.scope.project_id,
                    &server_id,
                    start,
                    call.cloud.clock(),
                )
                .map(|()| StatusCode::ACCEPTED.into_response())
        }
        "lock" | "unlock" => {
            let lock = (action == "lock").then(|| optional_text(&args, "locked_reason"));
            let now = call.cloud.clock().now_ms();
            call.cloud
                .state()
                .lock_server(&call.scope.project_id, &server_id, lock, now)
                .map(|()| StatusCode::ACCEPTED.into_response())
        }
        "addSecurityGroup" | "removeSecurityGroup" => {
            let add = action == "addSecurityGroup";
            match args.get("name").and_then(Value::as_str) {
                Some(name) => {
                    let now = call.cloud.clock().now_ms();
                    call.cloud
                        .state()
                        .change_server_security_group(
                            &call.scope.project_id,
                            &server_id,
                            name,
                            add,
                            now,
                        )
                        .map(|()| StatusCode::ACCEPTED.into_response())
                }
                None => Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute {action}. 'name' is a required property"
                ))),
            }
        }
        "reboot" => call
            .cloud
            .state()
            .project_server(&call.scope.project_id, &server_id)
            .map(|_| StatusCode::ACCEPTED.into_response()),
        // Nova's actions the fake does not have: a missing server is still 404.
        other => call
            .cloud
            .state()
            .project_server(&call.scope.project_id, &server_id)
            .and_then(|_| {
                Err(CloudError::bad_request(format!(
                    "There is no such action: {other}"
                )))
            }),
    };
    result.unwrap_or_else(fail)
}

fn create_image(
    call: &Call<Microversion>,
    server_id: &str,
    args: &Value,
) -> Result<Response, CloudError> {
    let (cloud, scope, version, fate) = (&call.cloud, &call.scope, call.version, call.fate);
    let name = args
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute createImage. 'name' is a required property",
            )
        })?;
    if name.chars().count() > 255 {
        return Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute name. Value: {name}. '{name}' is too long"
        )));
    }
    let metadata = string_map(args.get("metadata"));
    if metadata
        .iter()
        .any(|(k, v)| k.is_empty() || k.chars().count() > 255 || v.chars().count() > 255)
    {
        return Err(CloudError::bad_request(
            "Invalid input for field/attribute metadata. Metadata keys and values must be 1 to 255 characters",
        ));
    }
    let outcome = cloud.state().create_server_image(
        &scope.project_id,
        server_id,
        name,
        metadata,
        (fate, fate),
        cloud.clock(),
    )?;
    Ok(image_answer(cloud, version, &outcome.image_id))
}

/// The answer to `createImage` and `createBackup`: 202 with `{"image_id"}` from 2.45, with a
/// `Location` header before.
fn image_answer(cloud: &Cloud, version: Microversion, image_id: &str) -> Response {
    if version >= Microversion(2, 45) {
        (StatusCode::ACCEPTED, Json(json!({ "image_id": image_id }))).into_response()
    } else {
        let location = format!("{}/image/v2/images/{image_id}", cloud.public_url());
        (StatusCode::ACCEPTED, [(header::LOCATION, location)]).into_response()
    }
}

fn create_backup(
    call: &Call<Microversion>,
    server_id: &str,
    args: &Value,
) -> Result<Response, CloudError> {
    let (cloud, scope, version, fate) = (&call.cloud, &call.scope, call.version, call.fate);
    let required = |key: &str| {
        CloudError::bad_request(format!(
            "Invalid input for field/attribute createBackup. '{key}' is a required property"
        ))
    };
    let text = |key: &str| {
        args.get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| required(key))
    };
    let rotation = match args.get("rotation") {
        None => return Err(required("rotation")),
        Some(value) => value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
            .and_then(|r| u32::try_from(r).ok())
            .ok_or_else(|| {
                CloudError::bad_request(format!(
                    "Invalid input for field/attribute rotation. Value: {value}."
                ))
            })?,
    };
    let request = BackupRequest {
        name: text("name")?,
        backup_type: text("backup_type")?,
        rotation,
        metadata: string_map(args.get("metadata")),
    };
    let outcome =
        cloud
            .state()
            .backup_server(&scope.project_id, server_id, request, fate, cloud.clock())?;
    Ok(image_answer(cloud, version, &outcome.image_id))
}

fn rebuild(
    call: &Call<Microversion>,
    server_id: &str,
    args: &Value,
) -> Result<Response, CloudError> {
    let (cloud, scope, version) = (&call.cloud, &call.scope, call.version);
    let image_ref = args
        .get("imageRef")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute rebuild. 'imageRef' is a required property",
            )
        })?;
    let mut state = cloud.state();
    let request = RebuildRequest {
        image_ref: image_ref.to_string(),
        name: optional_text(args, "name"),
        user_data: optional_text(args, "user_data"),
        disk_config: disk_config(args)?,
    };
    let server = state.rebuild_server(
        &scope.project_id,
        server_id,
        request,
        (version.0, version.1),
        cloud.clock(),
    )?;
    let mut view = views::server_detail(cloud, &state, &server, version, ServerView::Rebuilt);
    view["adminPass"] = json!(uuid::Uuid::new_v4().simple().to_string()[..12].to_string());
    let location = views::links(cloud, "servers", server_id)[0]["href"].clone();
    Ok((
        StatusCode::ACCEPTED,
        [(
            header::LOCATION,
            location.as_str().unwrap_or_default().to_string(),
        )],
        Json(json!({"server": view})),
    )
        .into_response())
}
