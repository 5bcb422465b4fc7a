//! `/servers/{id}/os-volume_attachments`: list, show, attach, detach.

use super::fail;
use crate::openstack::handler_prelude::*;
use crate::openstack::model::ServerAttachment;

fn view(server_id: &str, attachment: &ServerAttachment, version: Microversion) -> Value {
    let mut view = json!({
        "device": attachment.device,
        "id": attachment.volume_id,
        "serverId": server_id,
        "volumeId": attachment.volume_id,
    });
    if version >= Microversion(2, 70) {
        view["tag"] = Value::Null;
    }
    if version >= Microversion(2, 79) {
        view["delete_on_termination"] = json!(attachment.delete_on_termination);
    }
    if version >= Microversion(2, 89) {
        view["attachment_id"] = json!(attachment.attachment_id);
        view["bdm_uuid"] = json!(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            attachment.attachment_id.as_bytes()
        )
        .to_string());
        if let Some(object) = view.as_object_mut() {
            object.remove("id");
        }
    }
    view
}

/// `GET /servers/{id}/os-volume_attachments`.
pub async fn list(call: Call<Microversion>, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.project_server(&call.scope.project_id, &server_id) {
        Ok(server) => {
            let views: Vec<Value> = server
                .attachments
                .iter()
                .map(|a| view(&server_id, a, call.version))
                .collect();
            Json(json!({"volumeAttachments": views})).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /servers/{id}/os-volume_attachments/{volume_id}`.
pub async fn show(
    call: Call<Microversion>,
    Path((server_id, volume_id)): Path<(String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = state
        .project_server(&call.scope.project_id, &server_id)
        .and_then(|server| {
            server
                .attachments
                .iter()
                .find(|a| a.volume_id == volume_id)
                .ok_or_else(|| {
                    CloudError::not_found(format!(
                        "Volume {volume_id} is not attached to {server_id}"
                    ))
                })
        });
    match found {
        Ok(attachment) => {
            Json(json!({"volumeAttachment": view(&server_id, attachment, call.version)}))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// `POST /servers/{id}/os-volume_attachments` -> 200.
pub async fn attach(
    call: Call<Microversion>,
    Path(server_id): Path<String>,
    body: Bytes,
) -> Response {
    let body: Value = match parse_body(&body) {
        Ok(body) => body,
        Err(error) => return fail(error),
    };
    let Some(volume_id) = body
        .pointer("/volumeAttachment/volumeId")
        .and_then(Value::as_str)
    else {
        return fail(CloudError::bad_request(
            "Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property",
        ));
    };
    let delete_on_termination = body
        .pointer("/volumeAttachment/delete_on_termination")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let now = call.cloud.clock().now_ms();
    let result = call.cloud.state().attach_to_server(
        &call.scope.project_id,
        &server_id,
        volume_id,
        delete_on_termination,
        now,
    );
    match result {
        Ok(attachment) => {
            Json(json!({"volumeAttachment": view(&server_id, &attachment, call.version)}))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// `DELETE /servers/{id}/os-volume_attachments/{volume_id}` -> 202.
pub async fn detach(call: Call, Path((server_id, volume_id)): Path<(String, String)>) -> Response {
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .detach_from_server(&call.scope.project_id, &server_id, &volume_id, now)
    {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
