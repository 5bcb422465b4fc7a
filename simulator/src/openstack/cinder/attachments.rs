//! `/attachments` (microversion 3.27+): create (reserve, or connect with a connector), list,
//! detail, show, update (connect), delete, and `os-complete` (3.44+); the attach `mode` from
//! 3.54.

use std::collections::HashMap;

use super::{
    fail,
    paging::{page, Listed},
    views::stamp,
    volumes::volume_project,
    ProjectPath,
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::Attachment;

impl Listed for Attachment {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_ms(&self) -> u64 {
        self.created_ms
    }
    fn attribute(&self, name: &str) -> Option<String> {
        match name {
            "volume_id" => Some(self.volume_id.clone()),
            "status" | "attach_status" => Some(self.attach_status.as_str().to_string()),
            "instance_id" => self.instance_uuid.clone(),
            _ => None,
        }
    }
}

/// The filters `GET /attachments` takes.
pub(super) const FILTERS: [&str; 4] = ["volume_id", "status", "attach_status", "instance_id"];

/// Refuses a call below the microversion that brought it, as Cinder does (404).
fn since(version: Microversion, needed: Microversion) -> Result<(), CloudError> {
    if version < needed {
        return Err(CloudError::not_found(format!(
            "API version {version} is not supported on this method."
        )));
    }
    Ok(())
}

const NEW_ATTACH: Microversion = Microversion(3, 27);

/// The summary view.
fn summary(attachment: &Attachment) -> Value {
    json!({
        "id": attachment.id,
        "status": attachment.attach_status.as_str(),
        "instance": attachment.instance_uuid,
        "volume_id": attachment.volume_id,
    })
}

/// The detailed view (`attached_at` empty until connected; `detached_at` empty, as for every
/// attachment that still exists).
fn detail(cloud: &Cloud, attachment: &Attachment) -> Value {
    let mut view = summary(attachment);
    view["attached_at"] = json!(attachment
        .attached_ms
        .map(|ms| stamp(cloud, ms).to_string())
        .unwrap_or_default());
    view["detached_at"] = json!("");
    view["attach_mode"] = json!(attachment.attach_mode);
    view["connection_info"] = json!(attachment.connection_info);
    view
}

/// 200 with the detailed view, or the error.
fn detail_answer(cloud: &Cloud, result: Result<Attachment, CloudError>) -> Response {
    match result {
        Ok(attachment) => Json(json!({ "attachment": detail(cloud, &attachment) })).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /attachments` (`DETAILED` false) and `GET /attachments/detail` (`DETAILED` true).
pub async fn list<const DETAILED: bool>(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = since(call.version, NEW_ATTACH) {
        return fail(error);
    }
    let (cloud, scope) = (&call.cloud, &call.scope);
    let state = cloud.state();
    let all = scope.admin && query.contains_key("all_tenants");
    let visible = state.attachments.values().filter(|a| {
        all || state
            .volumes
            .get(&a.volume_id)
            .is_some_and(|v| v.project_id == *scope.project_id)
    });
    match page(visible, &query, &FILTERS) {
        Ok((items, _)) => {
            let views: Vec<Value> = items
                .into_iter()
                .map(|a| {
                    if DETAILED {
                        detail(cloud, a)
                    } else {
                        summary(a)
                    }
                })
                .collect();
            Json(json!({ "attachments": views })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /attachments/{id}`.
pub async fn show(call: Call<Microversion>, Path((_, id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    let found = since(call.version, NEW_ATTACH)
        .and_then(|()| state.attachment(&call.scope.project_id, call.scope.admin, &id));
    match found {
        Ok(attachment) => {
            Json(json!({ "attachment": detail(&call.cloud, attachment) })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// The `attachment` object of a body, refusing other members.
fn attachment_body<'a>(body: &'a Value, allowed: &[&str]) -> Result<&'a Value, CloudError> {
    let attachment = body
        .get("attachment")
        .filter(|a| a.is_object())
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute attachment. 'attachment' is a required property",
            )
        })?;
    if let Some(key) = attachment
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .find(|k| !allowed.contains(&k.as_str()))
    {
        return Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute attachment. Additional properties are not allowed ('{key}' was unexpected)"
        )));
    }
    Ok(attachment)
}

fn uuid_field<'a>(attachment: &'a Value, key: &str) -> Result<Option<&'a str>, CloudError> {
    match attachment.get(key) {
        None | Some(Value::Null) if key != "volume_uuid" => Ok(None),
        Some(Value::String(s)) if uuid::Uuid::parse_str(s).is_ok() => Ok(Some(s)),
        None => Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute attachment. '{key}' is a required property"
        ))),
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute {key}. Value: {other}. {other} is not a 'uuid'"
        ))),
    }
}

/// `POST /attachments` -> 200 with the detailed view.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let with_mode = call.version >= Microversion(3, 54);
    let allowed: &[&str] = if with_mode {
        &["volume_uuid", "instance_uuid", "connector", "mode"]
    } else {
        &["volume_uuid", "instance_uuid", "connector"]
    };
    let parsed = since(call.version, NEW_ATTACH)
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| {
            let attachment = attachment_body(&body, allowed)?;
            let volume_id = uuid_field(attachment, "volume_uuid")?
                .unwrap_or_default()
                .to_string();
            let instance = uuid_field(attachment, "instance_uuid")?.map(str::to_string);
            let connector = match attachment.get("connector") {
                None | Some(Value::Null) => None,
                Some(c) if c.is_object() => Some(c.clone()),
                Some(other) => {
                    return Err(CloudError::bad_request(format!(
                        "Invalid input for field/attribute connector. Value: {other}. {other} is not of type 'object', 'null'"
                    )))
                }
            };
            let mode = match attachment.get("mode").and_then(Value::as_str) {
                Some(mode @ ("rw" | "ro")) => Some(mode.to_string()),
                Some(other) => {
                    return Err(CloudError::bad_request(format!(
                        "Invalid input for field/attribute mode. Value: {other}. '{other}' is not one of ['rw', 'ro']"
                    )))
                }
                None => None,
            };
            Ok((volume_id, instance, connector, mode))
        });
    let (volume_id, instance, connector, mode) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let project = volume_project(&state, &call.scope, &volume_id);
    let created = state
        .project_volume(&project, &volume_id)
        .map(|_| ())
        .and_then(|()| {
            state.create_attachment(
                &volume_id,
                instance.as_deref(),
                connector,
                mode.as_deref(),
                now,
            )
        });
    detail_answer(&call.cloud, created)
}

/// `PUT /attachments/{id}` with a connector -> 200 with the detailed view.
pub async fn update(
    call: Call<Microversion>,
    Path((_, id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let connector = since(call.version, NEW_ATTACH)
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| {
            let attachment = attachment_body(&body, &["connector"])?;
            attachment
                .get("connector")
                .filter(|c| c.as_object().is_some_and(|o| !o.is_empty()))
                .cloned()
                .ok_or_else(|| {
                    CloudError::bad_request(
                        "Invalid input for field/attribute connector. 'connector' is a required property and must be an object with at least one property",
                    )
                })
        });
    let connector = match connector {
        Ok(connector) => connector,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let updated = state
        .attachment(&call.scope.project_id, call.scope.admin, &id)
        .map(|_| ())
        .and_then(|()| state.update_attachment(&id, connector, now));
    detail_answer(&call.cloud, updated)
}

/// `DELETE /attachments/{id}` -> 200 with the volume's remaining attachments; 409 for an
/// attachment Nova uses.
pub async fn remove(call: Call<Microversion>, Path((_, id)): ProjectPath<String>) -> Response {
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let found = since(call.version, NEW_ATTACH).and_then(|()| {
        state
            .attachment(&call.scope.project_id, call.scope.admin, &id)
            .cloned()
    });
    let attachment = match found.and_then(|a| state.check_attachment_deletion(&a).map(|()| a)) {
        Ok(attachment) => attachment,
        Err(error) => return fail(error),
    };
    state.delete_attachment(&id, now);
    let left: Vec<Value> = state
        .volume_attachments(&attachment.volume_id)
        .into_iter()
        .map(summary)
        .collect();
    Json(json!({ "attachments": left })).into_response()
}

/// `POST /attachments/{id}/action` with `os-complete` (3.44+) -> 204: attached, the volume
/// `in-use`.
pub async fn action(
    call: Call<Microversion>,
    Path((_, id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let checked = since(call.version, Microversion(3, 44))
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| match body.as_object() {
            Some(o) if o.len() == 1 && o.contains_key("os-complete") => Ok(()),
            _ => Err(CloudError::bad_request(
                "Invalid input for field/attribute os-complete. 'os-complete' is a required property",
            )),
        });
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    match checked.and_then(|()| {
        state
            .attachment(&call.scope.project_id, call.scope.admin, &id)
            .map(|_| ())
    }) {
        Ok(()) => {
            state.complete_attachment(&id, now);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => fail(error),
    }
}
