//! `/types`: list (with `is_public` for the admin), show (also `default`), and the admin's
//! create, update and delete; the `os-volume-type-access:is_public` attribute of the type
//! access extension. Only the admin sees every extra spec (others the user-visible ones) and
//! `qos_specs_id`.

use std::collections::{BTreeMap, HashMap};

use serde_json::Map;

use super::{fail, ProjectPath};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{VolumeType, VolumeTypeChanges, VolumeTypeRequest};

/// Extra specs every project may read (Cinder's `USER_VISIBLE_EXTRA_SPECS`).
const USER_VISIBLE_EXTRA_SPECS: [&str; 3] = [
    "RESKEY:availability_zones",
    "multiattach",
    "replication_enabled",
];

/// The extra specs the caller may read.
pub(super) fn readable_specs(
    volume_type: &VolumeType,
    admin: bool,
) -> BTreeMap<String, Option<String>> {
    volume_type
        .extra_specs
        .iter()
        .filter(|(key, _)| admin || USER_VISIBLE_EXTRA_SPECS.contains(&key.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The view of show and list.
fn view(volume_type: &VolumeType, admin: bool) -> Value {
    let mut view = json!({
        "id": volume_type.id,
        "name": volume_type.name,
        "is_public": volume_type.is_public,
        "description": volume_type.description,
        "extra_specs": readable_specs(volume_type, admin),
        "os-volume-type-access:is_public": volume_type.is_public,
    });
    if admin {
        view["qos_specs_id"] = Value::Null;
    }
    view
}

/// The view of the create and update answers (every extra spec, no QoS).
fn manage_view(volume_type: &VolumeType) -> Value {
    json!({
        "id": volume_type.id,
        "name": volume_type.name,
        "is_public": volume_type.is_public,
        "description": volume_type.description,
        "extra_specs": volume_type.extra_specs,
    })
}

/// Cinder's 403 for a policy the caller does not pass.
pub(super) fn admin_only(scope: &Scope, policy: &str) -> Result<(), CloudError> {
    if scope.admin {
        Ok(())
    } else {
        Err(CloudError::forbidden(format!(
            "Policy doesn't allow volume_extension:{policy} to be performed."
        )))
    }
}

/// A boolean as Cinder's `boolean` parameter type takes it.
pub(super) fn boolean(value: &Value, field: &str) -> Result<bool, CloudError> {
    const TRUE: [&str; 6] = ["1", "t", "true", "on", "y", "yes"];
    const FALSE: [&str; 6] = ["0", "f", "false", "off", "n", "no"];
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if TRUE.contains(&s.to_lowercase().as_str()) => Ok(true),
        Value::String(s) if FALSE.contains(&s.to_lowercase().as_str()) => Ok(false),
        other => Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute {field}. Value: {other}. {other} is not valid under any of the given schemas"
        ))),
    }
}

fn invalid(field: &str, value: &Value, reason: &str) -> CloudError {
    CloudError::bad_request(format!(
        "Invalid input for field/attribute {field}. Value: {value}. {reason}"
    ))
}

/// A name or description: a string of at most 255 characters (a name at least one, without
/// leading or trailing blanks).
fn text_field(
    object: &Map<String, Value>,
    key: &str,
    name: bool,
) -> Result<Option<String>, CloudError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > 255 => {
            Err(invalid(key, &json!(s), "is too long"))
        }
        Some(Value::String(s)) if name && s.trim().is_empty() => Err(CloudError::bad_request(
            format!("Invalid input for field/attribute {key}. Value: {s}. Name has a minimum character requirement of 1."),
        )),
        Some(Value::String(s)) if name && s.trim() != s => Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute {key}. Value: {s}. Name has leading or trailing whitespace."
        ))),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(key, other, "is not of type 'string'")),
    }
}

/// Extra specs: keys of `[a-zA-Z0-9-_:. /]`, 1 to 255 characters; values strings of at most
/// 255 characters (or `null` where `nullable`).
pub(super) fn extra_specs(
    value: &Value,
    nullable: bool,
) -> Result<BTreeMap<String, Option<String>>, CloudError> {
    let object = value
        .as_object()
        .ok_or_else(|| invalid("extra_specs", value, "is not of type 'object'"))?;
    object
        .iter()
        .map(|(key, value)| {
            let key_ok = !key.is_empty()
                && key.chars().count() <= 255
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:. /".contains(c));
            if !key_ok {
                return Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute extra_specs. Value: {}. Additional properties are not allowed ('{key}' was unexpected)",
                    Value::Object(object.clone())
                )));
            }
            match value {
                Value::String(s) if s.chars().count() <= 255 => Ok((key.clone(), Some(s.clone()))),
                Value::Null if nullable => Ok((key.clone(), None)),
                other => Err(invalid(key, other, "is not of type 'string'")),
            }
        })
        .collect()
}

/// `GET /types`.
pub async fn list(call: Call, Query(query): Query<HashMap<String, String>>) -> Response {
    let is_public = match query.get("is_public").map(String::as_str) {
        None => Some(true),
        Some(text) if text.eq_ignore_ascii_case("none") => None,
        Some(text) => match boolean(&json!(text), "is_public") {
            Ok(b) => Some(b),
            Err(_) => {
                return fail(CloudError::bad_request(format!(
                    "Invalid is_public filter [{text}]"
                )))
            }
        },
    };
    let state = call.cloud.state();
    let mut types = state.visible_volume_types(&call.scope.project_id, call.scope.admin, is_public);
    types.sort_by(|a, b| (a.created_ms, &a.name).cmp(&(b.created_ms, &b.name)));
    let views: Vec<Value> = types.iter().map(|t| view(t, call.scope.admin)).collect();
    Json(json!({ "volume_types": views })).into_response()
}

/// `GET /types/{id}` (`default`: the type the project's new volumes get).
pub async fn show(call: Call, Path((_, id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    let found = if id == "default" {
        state
            .default_volume_type(&call.scope.project_id)
            .map_err(|_| CloudError::not_found("Default volume type can not be found."))
    } else {
        state.volume_type(&call.scope.project_id, call.scope.admin, &id)
    };
    match found {
        Ok(volume_type) => {
            Json(json!({ "volume_type": view(volume_type, call.scope.admin) })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// The `volume_type` object of a create or update body, refusing other members.
fn type_body<'a>(body: &'a Value, allowed: &[&str]) -> Result<&'a Map<String, Value>, CloudError> {
    let object = body
        .get("volume_type")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute volume_type. 'volume_type' is a required property",
            )
        })?;
    if let Some(key) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute volume_type. Additional properties are not allowed ('{key}' was unexpected)"
        )));
    }
    Ok(object)
}

fn parse_create(body: &Value) -> Result<VolumeTypeRequest, CloudError> {
    let object = type_body(
        body,
        &[
            "name",
            "description",
            "extra_specs",
            "os-volume-type-access:is_public",
        ],
    )?;
    let name = text_field(object, "name", true)?.ok_or_else(|| {
        CloudError::bad_request(
            "Invalid input for field/attribute volume_type. 'name' is a required property",
        )
    })?;
    Ok(VolumeTypeRequest {
        name,
        description: text_field(object, "description", false)?,
        is_public: object
            .get("os-volume-type-access:is_public")
            .map(|v| boolean(v, "os-volume-type-access:is_public"))
            .transpose()?
            .unwrap_or(true),
        extra_specs: object
            .get("extra_specs")
            .map(|v| extra_specs(v, true))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// `POST /types` (admin) -> 200 with the new type.
pub async fn create(call: Call, body: Bytes) -> Response {
    let request = admin_only(&call.scope, "type_create")
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| parse_create(&body));
    let request = match request {
        Ok(request) => request,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    match call.cloud.state().create_volume_type(request, now) {
        Ok(volume_type) => {
            let mut view = manage_view(&volume_type);
            view["os-volume-type-access:is_public"] = json!(volume_type.is_public);
            Json(json!({ "volume_type": view })).into_response()
        }
        Err(error) => fail(error),
    }
}

fn parse_update(body: &Value) -> Result<VolumeTypeChanges, CloudError> {
    let object = type_body(body, &["name", "description", "is_public"])?;
    let name = match object.get("name") {
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(CloudError::bad_request(
                "Volume type name can not be empty.",
            ))
        }
        _ => text_field(object, "name", false)?,
    };
    let changes = VolumeTypeChanges {
        name,
        description: text_field(object, "description", false)?,
        is_public: object
            .get("is_public")
            .filter(|v| !v.is_null())
            .map(|v| boolean(v, "is_public"))
            .transpose()?,
    };
    if changes.name.is_none() && changes.description.is_none() && changes.is_public.is_none() {
        return Err(CloudError::bad_request(
            "Specify volume type name, description, is_public or a combination thereof.",
        ));
    }
    Ok(changes)
}

/// `PUT /types/{id}` (admin) -> 200 with the type.
pub async fn update(call: Call, Path((_, id)): ProjectPath<String>, body: Bytes) -> Response {
    let changes = admin_only(&call.scope, "type_update")
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| parse_update(&body));
    let changes = match changes {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    match call.cloud.state().update_volume_type(&id, changes, now) {
        Ok(volume_type) => {
            Json(json!({ "volume_type": manage_view(&volume_type) })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `DELETE /types/{id}` (admin) -> 202.
pub async fn remove(call: Call, Path((_, id)): ProjectPath<String>) -> Response {
    let deleted = admin_only(&call.scope, "type_delete")
        .and_then(|()| call.cloud.state().delete_volume_type(&id));
    match deleted {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
