//! `/types/{id}/extra_specs`: list and show (the user-visible specs only for a project), and
//! the admin's create (set), update of one key and delete; refused while volumes have the
//! type.

use super::{
    fail,
    types::{admin_only, extra_specs, readable_specs},
};
use crate::openstack::handler_prelude::*;

/// `GET /types/{id}/extra_specs`.
pub async fn list(call: Call, Path((_, type_id)): Path<(String, String)>) -> Response {
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
pub async fn show(call: Call, Path((_, type_id, key)): Path<(String, String, String)>) -> Response {
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
pub async fn create(
    call: Call,
    Path((_, type_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
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
    let specs = match parsed {
        Ok(specs) => specs,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .set_volume_type_extra_specs(&type_id, specs.clone(), now)
    {
        Ok(()) => Json(json!({ "extra_specs": specs })).into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /types/{id}/extra_specs/{key}` `{key: value}` (admin, exactly that one key) -> 200
/// with the body.
pub async fn update(
    call: Call,
    Path((_, type_id, key)): Path<(String, String, String)>,
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
    let specs = match parsed {
        Ok(specs) => specs,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .set_volume_type_extra_specs(&type_id, specs.clone(), now)
    {
        Ok(()) => Json(json!(specs)).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /types/{id}/extra_specs/{key}` (admin) -> 202.
pub async fn remove(
    call: Call,
    Path((_, type_id, key)): Path<(String, String, String)>,
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
