//! A server's metadata: `GET/POST/PUT /servers/{id}/metadata` and
//! `GET/PUT/DELETE /servers/{id}/metadata/{key}`.

use std::collections::BTreeMap;

use super::fail;
use crate::openstack::handler_prelude::*;
use crate::openstack::model::MetadataChange;

/// The items of `{"<field>": {key: value}}`: keys of 1 to 255 characters, string values of
/// at most 255.
fn items(body: &Bytes, field: &str) -> Result<BTreeMap<String, String>, CloudError> {
    let body: Value = parse_body(body)?;
    let object = body.get(field).and_then(Value::as_object).ok_or_else(|| {
        CloudError::bad_request(format!(
            "Invalid input for field/attribute {field}. '{field}' is a required property"
        ))
    })?;
    let mut items = BTreeMap::new();
    for (key, value) in object {
        let Some(text) = value.as_str() else {
            return Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute {key}. Value: {value}. {value} is not of type 'string'"
            )));
        };
        if key.is_empty() || key.chars().count() > 255 || text.chars().count() > 255 {
            return Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute {field}. Value: {key}. Metadata keys must be 1 to 255 characters and values at most 255"
            )));
        }
        items.insert(key.clone(), text.to_string());
    }
    Ok(items)
}

/// `GET /servers/{id}/metadata`.
pub async fn list(call: Call, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.project_server(&call.scope.project_id, &server_id) {
        Ok(server) => Json(json!({"metadata": server.metadata})).into_response(),
        Err(error) => fail(error),
    }
}

fn change(
    cloud: &Cloud,
    scope: &Scope,
    server_id: &str,
    body: &Bytes,
    how: MetadataChange,
) -> Response {
    let changed = items(body, "metadata").and_then(|items| {
        cloud.state().change_server_metadata(
            &scope.project_id,
            server_id,
            items,
            how,
            cloud.clock().now_ms(),
        )
    });
    match changed {
        Ok(metadata) => Json(json!({"metadata": metadata})).into_response(),
        Err(error) => fail(error),
    }
}

/// `POST /servers/{id}/metadata`: adds or replaces the given items.
pub async fn merge(call: Call, Path(server_id): Path<String>, body: Bytes) -> Response {
    change(
        &call.cloud,
        &call.scope,
        &server_id,
        &body,
        MetadataChange::Merge,
    )
}

/// `PUT /servers/{id}/metadata`: replaces every item.
pub async fn replace(call: Call, Path(server_id): Path<String>, body: Bytes) -> Response {
    change(
        &call.cloud,
        &call.scope,
        &server_id,
        &body,
        MetadataChange::Replace,
    )
}

/// `GET /servers/{id}/metadata/{key}` -> `{"meta": {key: value}}`.
pub async fn show(call: Call, Path((server_id, key)): Path<(String, String)>) -> Response {
    let state = call.cloud.state();
    let found = state
        .project_server(&call.scope.project_id, &server_id)
        .and_then(|server| {
            server
                .metadata
                .get(&key)
                .ok_or_else(|| CloudError::not_found("Metadata item was not found"))
        });
    match found {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /servers/{id}/metadata/{key}` `{"meta": {key: value}}`: one item, the URL's.
pub async fn set(
    call: Call,
    Path((server_id, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let changed = items(&body, "meta").and_then(|items| {
        if items.len() > 1 {
            return Err(CloudError::bad_request(
                "Request body contains too many items",
            ));
        }
        if !items.contains_key(&key) {
            return Err(CloudError::bad_request("Request body and URI mismatch"));
        }
        let value = items[&key].clone();
        call.cloud.state().change_server_metadata(
            &call.scope.project_id,
            &server_id,
            items,
            MetadataChange::Merge,
            call.cloud.clock().now_ms(),
        )?;
        Ok(value)
    });
    match changed {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /servers/{id}/metadata/{key}` -> 204.
pub async fn remove(call: Call, Path((server_id, key)): Path<(String, String)>) -> Response {
    let removed = call.cloud.state().delete_server_metadata(
        &call.scope.project_id,
        &server_id,
        &key,
        call.cloud.clock().now_ms(),
    );
    match removed {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}
