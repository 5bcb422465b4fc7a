//! `/os-quota-sets/{project_id}`: a project's Cinder quotas (with `usage=True` the usage too),
//! the defaults, and the cloud admin's update and reset.

use std::collections::HashMap;

use axum::extract::State;
use serde_json::Map;

use super::{fail, ProjectPath};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, QuotaSet, QuotaUsage};

/// What a project holds of one volume type: its name, and the volumes, gigabytes and
/// snapshots of that type.
struct TypeUsage {
    name: String,
    volumes: i64,
    gigabytes: i64,
    snapshots: i64,
}

/// The per-type usage of a project, one entry per volume type of the cloud.
fn type_usage(state: &CloudState, project_id: &str) -> Vec<TypeUsage> {
    state
        .volume_types
        .values()
        .map(|volume_type| {
            let mut usage = TypeUsage {
                name: volume_type.name.clone(),
                volumes: 0,
                gigabytes: 0,
                snapshots: 0,
            };
            for volume in state
                .volumes
                .values()
                .filter(|v| v.project_id == project_id && v.volume_type_id == volume_type.id)
            {
                usage.volumes += 1;
                usage.gigabytes += i64::from(volume.size);
                for snapshot in state
                    .snapshots
                    .values()
                    .filter(|s| *s.volume_id == *volume.id)
                {
                    usage.snapshots += 1;
                    usage.gigabytes += i64::from(snapshot.size);
                }
            }
            usage
        })
        .collect()
}

/// Cinder's quota keys, with the limit and the usage of each; the per-type quotas of every
/// volume type are unlimited.
fn entries(quota: &QuotaSet, usage: &QuotaUsage, types: &[TypeUsage]) -> Vec<(String, i64, i64)> {
    let mut entries = vec![
        ("volumes".to_string(), quota.volumes, usage.volumes),
        ("snapshots".to_string(), quota.snapshots, usage.snapshots),
        ("gigabytes".to_string(), quota.gigabytes, usage.gigabytes),
        (
            "per_volume_gigabytes".to_string(),
            quota.per_volume_gigabytes,
            0,
        ),
        ("backups".to_string(), quota.backups, 0),
        ("backup_gigabytes".to_string(), quota.backup_gigabytes, 0),
        ("groups".to_string(), quota.groups, 0),
    ];
    for volume_type in types {
        let name = &volume_type.name;
        entries.push((format!("volumes_{name}"), -1, volume_type.volumes));
        entries.push((format!("snapshots_{name}"), -1, volume_type.snapshots));
        entries.push((format!("gigabytes_{name}"), -1, volume_type.gigabytes));
    }
    entries
}

fn body(
    project_id: Option<&str>,
    quota: &QuotaSet,
    usage: Option<&QuotaUsage>,
    types: &[TypeUsage],
) -> Value {
    let mut set = Map::new();
    if let Some(id) = project_id {
        set.insert("id".into(), json!(id));
    }
    let none = QuotaUsage::default();
    for (key, limit, in_use) in entries(quota, usage.unwrap_or(&none), types) {
        let value = match usage {
            Some(_) => json!({"limit": limit, "in_use": in_use, "reserved": 0}),
            None => json!(limit),
        };
        set.insert(key, value);
    }
    json!({ "quota_set": set })
}

fn may_read(scope: &Scope, project_id: &str) -> Result<(), CloudError> {
    if scope.admin || *scope.project_id == *project_id {
        Ok(())
    } else {
        Err(CloudError::forbidden(
            "Policy doesn't allow volume_extension:quotas:show to be performed.",
        ))
    }
}

fn admin_only(scope: &Scope, action: &str) -> Result<(), CloudError> {
    if scope.admin {
        Ok(())
    } else {
        Err(CloudError::forbidden(format!(
            "Policy doesn't allow volume_extension:quotas:{action} to be performed."
        )))
    }
}

/// `GET /os-quota-sets/{project_id}` (`?usage=True` for limit, in_use and reserved).
pub async fn show(
    call: Call,
    Path((_, project_id)): ProjectPath<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = may_read(&call.scope, &project_id) {
        return fail(error);
    }
    let with_usage = query
        .get("usage")
        .is_some_and(|u| u.eq_ignore_ascii_case("true"));
    let state = call.cloud.state();
    let quota = state.quota(&project_id);
    let usage = state.usage(&project_id);
    let types = type_usage(&state, &project_id);
    Json(body(
        Some(&project_id),
        &quota,
        with_usage.then_some(&usage),
        &types,
    ))
    .into_response()
}

/// `GET /os-quota-sets/{project_id}/defaults`.
pub async fn defaults(
    State(cloud): State<Cloud>,
    Path((_, project_id)): ProjectPath<String>,
) -> Response {
    let state = cloud.state();
    let types = type_usage(&state, &project_id);
    Json(body(Some(&project_id), &state.default_quotas, None, &types)).into_response()
}

/// `PUT /os-quota-sets/{project_id} {"quota_set": {...}}` (admin) -> 200 with the new set.
pub async fn update(
    call: Call,
    Path((_, project_id)): ProjectPath<String>,
    body_bytes: Bytes,
) -> Response {
    if let Err(error) = admin_only(&call.scope, "update") {
        return fail(error);
    }
    let changes = match parse_body::<Value>(&body_bytes).and_then(|b| {
        b.get("quota_set")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| {
                CloudError::bad_request("Missing required element 'quota_set' in request body.")
            })
    }) {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let mut state = call.cloud.state();
    let mut quota = state.quota(&project_id);
    for (key, value) in &changes {
        let Some(limit) = value
            .as_i64()
            .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
            .filter(|l| *l >= -1)
        else {
            return fail(CloudError::bad_request(format!(
                "Invalid input received: Quota limit for {key} must be an integer of at least -1."
            )));
        };
        let slot = match key.as_str() {
            "volumes" => &mut quota.volumes,
            "snapshots" => &mut quota.snapshots,
            "gigabytes" => &mut quota.gigabytes,
            "per_volume_gigabytes" => &mut quota.per_volume_gigabytes,
            "backups" => &mut quota.backups,
            "backup_gigabytes" => &mut quota.backup_gigabytes,
            "groups" => &mut quota.groups,
            other => {
                return fail(CloudError::bad_request(format!(
                    "Bad key(s) in quota set: {other}"
                )))
            }
        };
        *slot = limit;
    }
    state.quotas.insert(project_id.clone(), quota);
    let types = type_usage(&state, &project_id);
    Json(body(None, &quota, None, &types)).into_response()
}

/// `DELETE /os-quota-sets/{project_id}` (admin) -> 200: back to the defaults.
pub async fn reset(call: Call, Path((_, project_id)): ProjectPath<String>) -> Response {
    if let Err(error) = admin_only(&call.scope, "delete") {
        return fail(error);
    }
    let mut state = call.cloud.state();
    let defaults = state.default_quotas;
    let mut quota = state.quota(&project_id);
    quota.volumes = defaults.volumes;
    quota.snapshots = defaults.snapshots;
    quota.gigabytes = defaults.gigabytes;
    quota.per_volume_gigabytes = defaults.per_volume_gigabytes;
    quota.backups = defaults.backups;
    quota.backup_gigabytes = defaults.backup_gigabytes;
    quota.groups = defaults.groups;
    state.quotas.insert(project_id, quota);
    axum::http::StatusCode::OK.into_response()
}
