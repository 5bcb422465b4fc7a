//! `/types/{id}/extra_specs`: list and show (the user-visible specs only for a project), and
//! the admin's create (set), update of one key and delete; refused while volumes have the
//! type.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;

use super::{
    fail,
    types::{admin_only, extra_specs, readable_specs},
    ProjectPath,
};
use crate::openstack::handler_prelude::*;

/// A volume type's extra specs as a request sets them (`None`: the key without a value).
type Specs = BTreeMap<String, Option<String>>;

/// `GET /types/{id}/extra_specs`.
pub async fn list(call: Call, Path((_, type_id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    match state.volume_type(&call.scope.project_id, call.scope.admin, &type_id) {
        Ok(volume_type) => {
            Json(json!({ "extra_specs": readable_specs(volume_type, call.scope.admin) }))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /types/{id}/extra_specs/{key}` -> `{key: value}`.
pub async fn show(
    call: Call,
    Path((_, type_id, key)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = state
        .volume_type(&call.scope.project_id, call.scope.admin, &type_id)
        .and_then(|volume_type| {
            readable_specs(volume_type, call.scope.admin)
                .remove(&key)
                .ok_or_else(|| {
                    CloudError::not_found(format!(
                        "Volume Type {type_id} has no extra specs with key {key}."
                    ))
                })
        });
    match found {
        Ok(value) => Json(json!({ key: value })).into_response(),
        Err(error) => fail(error),
    }
}

/// `POST /types/{id}/extra_specs` `{"extra_specs": {...}}` (admin) -> 200 with the body.
pub async fn create(call: Call, Path((_, type_id)): ProjectPath<String>, body: Bytes) -> Response {
    let parsed = admin_only(&call.scope, "types_extra_specs:create")
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| {
            let specs = body.get("extra_specs").ok_or_else(|| {
                CloudError::bad_request(
                    "Invalid input for field/attribute extra_specs. 'extra_specs' is a required property",
                )
            })?;
            extra_specs(specs, false)
        });
    set_specs(
        &call.cloud,
        &type_id,
        parsed,
        |specs| json!({ "extra_specs": specs }),
    )
}

/// `PUT /types/{id}/extra_specs/{key}` `{key: value}` (admin, exactly that one key) -> 200
/// with the body.
pub async fn update(
    call: Call,
    Path((_, type_id, key)): Path<(IgnoredAny, String, String)>,
    body: Bytes,
) -> Response {
    let parsed = admin_only(&call.scope, "types_extra_specs:update")
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| {
            let count = body.as_object().map_or(0, |o| o.len());
            if count != 1 {
                return Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute extra_specs. Value: {body}. {body} does not have exactly one property"
                )));
            }
            let specs = extra_specs(&body, false)?;
            if !specs.contains_key(&key) {
                return Err(CloudError::bad_request("Request body and URI mismatch"));
            }
            Ok(specs)
        });
    set_specs(&call.cloud, &type_id, parsed, |specs| json!(specs))
}

/// Sets the `parsed` extra specs on volume type `type_id` -> 200 with what `answer` makes of
/// them (or the error of the parse or of the type).
fn set_specs(
    cloud: &Cloud,
    type_id: &str,
    parsed: Result<Specs, CloudError>,
    answer: fn(&Specs) -> Value,
) -> Response {
    let set = parsed.and_then(|specs| {
        let now = cloud.clock().now_ms();
        cloud
            .state()
            .set_volume_type_extra_specs(type_id, specs.clone(), now)?;
        Ok(specs)
    });
    match set {
        Ok(specs) => Json(answer(&specs)).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /types/{id}/extra_specs/{key}` (admin) -> 202.
pub async fn remove(
    call: Call,
    Path((_, type_id, key)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let deleted = state
        .volume_type(&call.scope.project_id, call.scope.admin, &type_id)
        .map(|_| ())
        .and_then(|()| admin_only(&call.scope, "types_extra_specs:delete"))
        .and_then(|()| state.delete_volume_type_extra_spec(&type_id, &key, now));
    match deleted {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
