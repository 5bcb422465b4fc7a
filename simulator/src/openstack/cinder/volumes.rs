//! `/volumes`: create, list, detail, show, update, delete (the actions are in
//! `volume_actions.rs`).

use std::collections::{BTreeMap, HashMap};

use super::{
    fail,
    paging::{list_answer, Listed, Listing},
    views::{self, VolumeAnswer},
    ProjectPath,
};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{CloudState, Volume, VolumeChanges, VolumeDeletion, VolumeRequest},
    wire::string_map,
};

impl Listed for Volume {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_ms(&self) -> u64 {
        self.created_ms
    }
    fn attribute(&self, name: &str) -> Option<String> {
        match name {
            "name" => self.name.clone(),
            "status" => Some(self.status.clone()),
            "bootable" => Some(self.bootable.to_string()),
            "size" => Some(self.size.to_string()),
            _ => None,
        }
    }
}

fn parse_volume(body: &Value) -> Result<VolumeRequest, CloudError> {
    let volume = body
        .get("volume")
        .filter(|v| v.is_object())
        .ok_or_else(|| {
            CloudError::bad_request(
                "Invalid input for field/attribute volume. 'volume' is a required property",
            )
        })?;
    let size = match volume.get("size") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .filter(|s| *s > 0 && *s <= u64::from(u32::MAX))
                .ok_or_else(|| {
                    CloudError::bad_request(format!("Invalid input for field/attribute size. Value: {v}. {v} is not of type 'integer', 'string'"))
                })? as u32,
        ),
    };
    let text = |key: &str| volume.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(VolumeRequest {
        name: text("name"),
        description: text("description"),
        size,
        snapshot_id: text("snapshot_id"),
        image_id: text("imageRef"),
        metadata: string_map(volume.get("metadata")),
        volume_type: text("volume_type"),
        source_volid: text("source_volid"),
        admin: false,
    })
}

/// `POST /volumes` -> 202 with the volume in `creating`.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let request = match parse_body::<Value>(&body).and_then(|b| parse_volume(&b)) {
        Ok(request) => VolumeRequest {
            admin: call.scope.admin,
            ..request
        },
        Err(error) => return fail(error),
    };
    let mut state = call.cloud.state();
    let created = state.create_volume(
        &call.scope.project_id,
        &call.scope.user_id,
        request,
        call.fate,
        call.cloud.clock(),
    );
    match created {
        Ok(volume) => {
            let view = views::volume(
                &call.cloud,
                &state,
                &volume,
                (call.version, call.scope.admin),
                VolumeAnswer::Create,
            );
            (StatusCode::ACCEPTED, Json(json!({ "volume": view }))).into_response()
        }
        Err(error) => fail(error),
    }
}

pub(super) const FILTERS: [&str; 3] = ["name", "status", "bootable"];

/// The `metadata` list filter: a dict literal as Python clients write one (`{'k': 'v'}`) or
/// JSON.
fn metadata_filter(text: &str) -> Result<BTreeMap<String, String>, CloudError> {
    let parsed: Value = serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&text.replace('\'', "\"")))
        .map_err(|_| {
            CloudError::bad_request(format!(
                "Invalid input received: metadata filter {text} is not a dict"
            ))
        })?;
    if !parsed.is_object() {
        return Err(CloudError::bad_request(format!(
            "Invalid input received: metadata filter {text} is not a dict"
        )));
    }
    Ok(string_map(Some(&parsed)))
}

/// `GET /volumes/summary` (3.12+): count and total size of the project's volumes, and from
/// 3.36 the values each metadata key takes.
pub async fn summary(call: Call<Microversion>) -> Response {
    if call.version < Microversion(3, 12) {
        return fail(CloudError::not_found("Volume summary could not be found."));
    }
    let state = call.cloud.state();
    let own: Vec<&Volume> = state
        .volumes
        .values()
        .filter(|v| v.project_id == *call.scope.project_id)
        .collect();
    let mut body = json!({
        "total_size": own.iter().map(|v| u64::from(v.size)).sum::<u64>(),
        "total_count": own.len(),
    });
    if call.version >= Microversion(3, 36) {
        let mut metadata: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for volume in &own {
            for (key, value) in &volume.metadata {
                let values = metadata.entry(key).or_default();
                if !values.contains(&value.as_str()) {
                    values.push(value);
                }
            }
        }
        body["metadata"] = json!(metadata);
    }
    Json(json!({"volume-summary": body})).into_response()
}

/// `GET /volumes` (`DETAILED` false) and `GET /volumes/detail` (`DETAILED` true).
pub async fn list<const DETAILED: bool>(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let wanted_metadata = match query.get("metadata").map(|m| metadata_filter(m)) {
        Some(Ok(wanted)) => wanted,
        Some(Err(error)) => return fail(error),
        None => BTreeMap::new(),
    };
    let state = call.cloud.state();
    let own: Vec<_> = state
        .volumes
        .values()
        .filter(|item| item.project_id == *call.scope.project_id)
        .filter(|item| {
            wanted_metadata
                .iter()
                .all(|(k, v)| item.metadata.get(k) == Some(v))
        })
        .collect();
    let listing = Listing::new(&call, "volumes", DETAILED);
    list_answer(&listing, own, &query, &FILTERS, |item| {
        if DETAILED {
            views::volume(
                &call.cloud,
                &state,
                item,
                (call.version, call.scope.admin),
                VolumeAnswer::Show,
            )
        } else {
            views::volume_summary(&call.cloud, item)
        }
    })
}

/// `GET /volumes/{id}`.
pub async fn show(call: Call<Microversion>, Path((_, volume_id)): ProjectPath<String>) -> Response {
    let state = call.cloud.state();
    let project = volume_project(&state, &call.scope, &volume_id);
    match state.project_volume(&project, &volume_id) {
        Ok(volume) => {
            let view = views::volume(
                &call.cloud,
                &state,
                volume,
                (call.version, call.scope.admin),
                VolumeAnswer::Show,
            );
            Json(json!({ "volume": view })).into_response()
        }
        Err(error) => fail(error),
    }
}

fn text_change(volume: &Value, keys: [&str; 2]) -> Result<Option<Option<String>>, CloudError> {
    let Some(value) = keys.iter().find_map(|k| volume.get(*k)) else {
        return Ok(None);
    };
    match value {
        Value::Null => Ok(Some(None)),
        Value::String(text) if text.chars().count() <= 255 => Ok(Some(Some(text.clone()))),
        _ => Err(CloudError::bad_request(format!(
            "Invalid input for field/attribute {}. Value: {value}.",
            keys[0]
        ))),
    }
}

fn parse_changes(body: &Value) -> Result<VolumeChanges, CloudError> {
    let volume = body
        .get("volume")
        .filter(|v| v.is_object())
        .ok_or_else(|| {
            CloudError::bad_request("Missing required element 'volume' in request body.")
        })?;
    Ok(VolumeChanges {
        name: text_change(volume, ["name", "display_name"])?,
        description: text_change(volume, ["description", "display_description"])?,
        metadata: volume
            .get("metadata")
            .map(|m| {
                m.is_object().then(|| string_map(Some(m))).ok_or_else(|| {
                    CloudError::bad_request("Invalid input for field/attribute metadata.")
                })
            })
            .transpose()?,
    })
}

/// `PUT /volumes/{id}` -> 200 with the volume (name, description and metadata may change).
pub async fn update(
    call: Call<Microversion>,
    Path((_, volume_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let changes = match parse_body::<Value>(&body).and_then(|b| parse_changes(&b)) {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    match state.update_volume(&call.scope.project_id, &volume_id, changes, now) {
        Ok(volume) => {
            let volume = volume.clone();
            let view = views::volume(
                &call.cloud,
                &state,
                &volume,
                (call.version, call.scope.admin),
                VolumeAnswer::Update,
            );
            Json(json!({ "volume": view })).into_response()
        }
        Err(error) => fail(error),
    }
}

/// Query of `DELETE /volumes/{id}`.
#[derive(serde::Deserialize)]
pub struct DeleteQuery {
    #[serde(default)]
    cascade: Option<String>,
}

/// `DELETE /volumes/{id}` -> 202, refused while attached or holding snapshots.
pub async fn remove(
    call: Call,
    Path((_, volume_id)): ProjectPath<String>,
    Query(query): Query<DeleteQuery>,
) -> Response {
    let cascade = query
        .cascade
        .is_some_and(|c| c.eq_ignore_ascii_case("true"));
    let deletion = VolumeDeletion {
        cascade,
        force: false,
    };
    match call.cloud.state().delete_volume(
        &call.scope.project_id,
        &volume_id,
        deletion,
        call.fate,
        call.cloud.clock(),
    ) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}

/// The project whose volume a request acts on: the volume's own for the cloud admin (who may
/// name any project's volume), the caller's otherwise.
pub(super) fn volume_project(state: &CloudState, scope: &Scope, id: &str) -> String {
    match state.volumes.get(id) {
        Some(volume) if scope.admin => volume.project_id.clone(),
        _ => scope.project_id.to_string(),
    }
}
