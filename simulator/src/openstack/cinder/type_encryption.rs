//! `/types/{id}/encryption` (admin): show (`{}` without encryption), create, show one spec,
//! update and delete; refused while volumes have the type.

use serde_json::Map;

use serde::de::IgnoredAny;

use super::{fail, types::admin_only, views::stamp, ProjectPath};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{encryption_not_found, Encryption, EncryptionSpecs};

/// The stored record as Cinder shows it.
fn record(cloud: &Cloud, type_id: &str, encryption: &Encryption) -> Value {
    json!({
        "volume_type_id": type_id,
        "encryption_id": encryption.encryption_id,
        "provider": encryption.provider,
        "cipher": encryption.cipher,
        "key_size": encryption.key_size,
        "control_location": encryption.control_location,
        "created_at": stamp(cloud, encryption.created_ms),
        "updated_at": stamp(cloud, encryption.updated_ms),
        "deleted": false,
        "deleted_at": null,
    })
}

/// `GET /types/{id}/encryption`.
pub async fn show(call: Call, Path((_, type_id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    let found = admin_only(&call.scope, "volume_type_encryption:get")
        .and_then(|()| state.volume_type(&call.scope.project_id, call.scope.admin, &type_id));
    match found {
        Ok(volume_type) => match &volume_type.encryption {
            Some(encryption) => Json(record(&call.cloud, &type_id, encryption)).into_response(),
            None => Json(json!({})).into_response(),
        },
        Err(error) => fail(error),
    }
}

/// `GET /types/{id}/encryption/{key}` -> `{key: value}`.
pub async fn show_spec(
    call: Call,
    Path((_, type_id, key)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = admin_only(&call.scope, "volume_type_encryption:get")
        .and_then(|()| state.volume_type(&call.scope.project_id, call.scope.admin, &type_id))
        .and_then(|volume_type| {
            let encryption = volume_type
                .encryption
                .as_ref()
                .ok_or_else(|| encryption_not_found(&type_id))?;
            record(&call.cloud, &type_id, encryption)
                .get(&key)
                .cloned()
                .ok_or_else(|| encryption_not_found(&type_id))
        });
    match found {
        Ok(value) => Json(json!({ key: value })).into_response(),
        Err(error) => fail(error),
    }
}

/// The `encryption` object of a body, its specs and the object as given.
fn parse(
    body: &Bytes,
    creating: bool,
) -> Result<(EncryptionSpecs, Map<String, Value>), CloudError> {
    let body: Value = parse_body(body)?;
    let object = body
        .get("encryption")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute encryption. 'encryption' is a required property",
            )
        })?
        .clone();
    let text = |key: &str| -> Result<Option<String>, CloudError> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= 255 => Ok(Some(s.clone())),
            Some(other) => Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute {key}. Value: {other}."
            ))),
        }
    };
    let provider = text("provider")?;
    let control_location = text("control_location")?;
    if let Some(location) = control_location.as_deref() {
        if !["front-end", "back-end"].contains(&location) {
            return Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute control_location. Value: {location}. '{location}' is not one of ['front-end', 'back-end']"
            )));
        }
    }
    if creating && (provider.is_none() || control_location.is_none()) {
        let missing = if provider.is_none() {
            "provider"
        } else {
            "control_location"
        };
        return Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute encryption. '{missing}' is a required property"
        )));
    }
    let cipher = match object.get("cipher") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => Some(text("cipher")?),
    };
    let key_size = match object.get("key_size") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(value) => Some(Some(
            value
                .as_u64()
                .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    CloudError::bad_request(format!(
                        "Invalid input for field/attribute key_size. Value: {value}."
                    ))
                })?,
        )),
    };
    let specs = EncryptionSpecs {
        provider,
        cipher,
        key_size,
        control_location,
    };
    Ok((specs, object))
}

/// `POST /types/{id}/encryption` -> 200 with the given specs, the type's and the new
/// encryption's ids.
pub async fn create(call: Call, Path((_, type_id)): ProjectPath<String>, body: Bytes) -> Response {
    let made = admin_only(&call.scope, "volume_type_encryption:create")
        .and_then(|()| parse(&body, true))
        .and_then(|(specs, mut given)| {
            let now = call.cloud.clock().now_ms();
            let mut state = call.cloud.state();
            let encryption = state.create_type_encryption(&type_id, specs, now)?;
            given.insert("volume_type_id".into(), json!(type_id));
            given.insert("encryption_id".into(), json!(encryption.encryption_id));
            Ok(given)
        });
    given_answer(made)
}

/// `PUT /types/{id}/encryption/{encryption_id}` -> 200 with the given specs.
pub async fn update(
    call: Call,
    Path((_, type_id, _)): Path<(IgnoredAny, String, String)>,
    body: Bytes,
) -> Response {
    let changed = admin_only(&call.scope, "volume_type_encryption:update")
        .and_then(|()| parse(&body, false))
        .and_then(|(specs, given)| {
            let now = call.cloud.clock().now_ms();
            let mut state = call.cloud.state();
            state.update_type_encryption(&type_id, specs, now)?;
            Ok(given)
        });
    given_answer(changed)
}

/// 200 with the specs a create or update gave (or its error).
fn given_answer(given: Result<Map<String, Value>, CloudError>) -> Response {
    match given {
        Ok(given) => Json(json!({ "encryption": given })).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /types/{id}/encryption/{encryption_id}` -> 202.
pub async fn remove(
    call: Call,
    Path((_, type_id, _)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let deleted = admin_only(&call.scope, "volume_type_encryption:delete")
        .and_then(|()| call.cloud.state().delete_type_encryption(&type_id));
    match deleted {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
