//! `PUT /snapshots/{id}` (name, description) and a snapshot's metadata: `/snapshots/{id}/metadata`
//! (show, merge, replace) and `/snapshots/{id}/metadata/{key}` (show, set, delete).

use std::collections::BTreeMap;

use serde::de::IgnoredAny;

use super::{fail, views, ProjectPath};
use crate::openstack::handler_prelude::*;
use crate::openstack::{model::Snapshot, wire::string_map};

fn object<'a>(body: &'a Value, key: &str) -> Result<&'a Value, CloudError> {
    body.get(key)
        .filter(|v| v.is_object())
        .ok_or_else(|| CloudError::bad_request("Malformed request body"))
}

/// Applies `change` to the caller's snapshot and returns what `answer` makes of it.
fn change<T>(
    cloud: &Cloud,
    scope: &Scope,
    snapshot_id: &str,
    change: impl FnOnce(&mut Snapshot) -> Result<T, CloudError>,
) -> Result<T, CloudError> {
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    let snapshot = state.own_snapshot_mut(&scope.project_id, snapshot_id)?;
    let answer = change(snapshot)?;
    snapshot.updated_ms = now;
    Ok(answer)
}

fn metadata_key_missing(key: &str) -> CloudError {
    CloudError::not_found(format!(
        "Metadata item was not found: key {key} is not found."
    ))
}

/// `PUT /snapshots/{id} {"snapshot": {"name"?, "description"?}}` -> 200.
pub async fn update(
    call: Call<Microversion>,
    Path((_, snapshot_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let changes = parse_body::<Value>(&body).and_then(|b| object(&b, "snapshot").cloned());
    let text = |changes: &Value, keys: [&str; 2]| {
        keys.iter()
            .find_map(|k| changes.get(*k))
            .map(|v| v.as_str().map(str::to_string))
    };
    let updated = changes.and_then(|changes| {
        change(&call.cloud, &call.scope, &snapshot_id, |snapshot| {
            if let Some(name) = text(&changes, ["name", "display_name"]) {
                snapshot.name = name;
            }
            if let Some(description) = text(&changes, ["description", "display_description"]) {
                snapshot.description = description;
            }
            Ok(snapshot.clone())
        })
    });
    match updated {
        Ok(snapshot) => {
            let view = views::snapshot(&call.cloud, &snapshot, call.version, false);
            Json(views::SnapshotBody { snapshot: view }).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /snapshots/{id}/metadata`.
pub async fn show(call: Call, Path((_, snapshot_id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    match state.project_snapshot(&call.scope.project_id, &snapshot_id) {
        Ok(snapshot) => Json(json!({"metadata": snapshot.metadata})).into_response(),
        Err(error) => fail(error),
    }
}

fn rewrite(
    cloud: &Cloud,
    scope: &Scope,
    snapshot_id: &str,
    body: &Bytes,
    replace: bool,
) -> Response {
    let items =
        parse_body::<Value>(body).and_then(|b| Ok(string_map(Some(object(&b, "metadata")?))));
    let changed = items.and_then(|items: BTreeMap<String, String>| {
        change(cloud, scope, snapshot_id, |snapshot| {
            if replace {
                snapshot.metadata = items;
            } else {
                snapshot.metadata.extend(items);
            }
            Ok(snapshot.metadata.clone())
        })
    });
    match changed {
        Ok(metadata) => Json(json!({"metadata": metadata})).into_response(),
        Err(error) => fail(error),
    }
}

/// `POST /snapshots/{id}/metadata {"metadata"}`: adds to the metadata.
pub async fn merge(
    call: Call,
    Path((_, snapshot_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    rewrite(&call.cloud, &call.scope, &snapshot_id, &body, false)
}

/// `PUT /snapshots/{id}/metadata {"metadata"}`: replaces the metadata.
pub async fn replace(
    call: Call,
    Path((_, snapshot_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    rewrite(&call.cloud, &call.scope, &snapshot_id, &body, true)
}

/// `GET /snapshots/{id}/metadata/{key}` -> `{"meta": {key: value}}`.
pub async fn show_item(
    call: Call,
    Path((_, snapshot_id, key)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = state
        .project_snapshot(&call.scope.project_id, &snapshot_id)
        .and_then(|s| {
            s.metadata
                .get(&key)
                .ok_or_else(|| metadata_key_missing(&key))
        });
    match found {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /snapshots/{id}/metadata/{key} {"meta": {key: value}}`.
pub async fn set_item(
    call: Call,
    Path((_, snapshot_id, key)): Path<(IgnoredAny, String, String)>,
    body: Bytes,
) -> Response {
    let item = parse_body::<Value>(&body)
        .and_then(|b| Ok(string_map(Some(object(&b, "meta")?))))
        .and_then(|meta| {
            if meta.len() > 1 {
                return Err(CloudError::bad_request(
                    "Request body contains too many items",
                ));
            }
            meta.get(&key)
                .cloned()
                .ok_or_else(|| CloudError::bad_request("Request body and URI mismatch"))
        });
    let changed = item.and_then(|value| {
        change(&call.cloud, &call.scope, &snapshot_id, |snapshot| {
            snapshot.metadata.insert(key.clone(), value.clone());
            Ok(value)
        })
    });
    match changed {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /snapshots/{id}/metadata/{key}` -> 200, as Cinder answers.
pub async fn remove_item(
    call: Call,
    Path((_, snapshot_id, key)): Path<(IgnoredAny, String, String)>,
) -> Response {
    let removed = change(&call.cloud, &call.scope, &snapshot_id, |snapshot| {
        snapshot
            .metadata
            .remove(&key)
            .map(|_| ())
            .ok_or_else(|| metadata_key_missing(&key))
    });
    match removed {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => fail(error),
    }
}
