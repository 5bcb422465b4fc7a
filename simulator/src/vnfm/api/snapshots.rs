//! `/vnf_snapshots`: the "Individual VNF snapshot" resources (create, query, modify, delete).

use std::collections::BTreeSet;

use axum::{
    extract::{Path, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, list, root::Root, AppState};
use crate::vnfm::{
    core::Core,
    error::{SnapshotUse, VnfmError},
    links::ApiRoot,
    query::ListQuery,
    representation,
    store::{SnapshotRecord, StoreData, VnfcSnapshotRecord},
    types::{
        CreateVnfSnapshotInfoRequest, VnfSnapshotInfoModificationRequest,
        VnfSnapshotInfoModifications,
    },
    vim_binding::VimBinding,
};

/// Attributes a plain GET /vnf_snapshots leaves out.
const DEFAULT_EXCLUSIONS: [&str; 2] = ["vnfSnapshot/vnfInstance", "vnfSnapshot/vnfcSnapshots"];

/// What `in_use_by` holds while a DELETE removes the VIM resources.
const DELETE_IN_PROGRESS: &str = "a DELETE of this snapshot";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/vnf_snapshots", post(create).get(query))
        .route(
            "/v2/vnf_snapshots/{id}",
            get(read).patch(modify).delete(delete),
        )
}

fn with_etag(mut response: Response, record: &SnapshotRecord) -> Response {
    if let Ok(value) = HeaderValue::from_str(&record.etag()) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// 412 unless `If-Match` is absent, `*`, or lists the current ETag.
fn check_if_match(headers: &HeaderMap, record: &SnapshotRecord) -> Result<(), VnfmError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let text = value.to_str().unwrap_or_default();
    let current = record.etag();
    let matches = text.split(',').map(str::trim).any(|tag| {
        tag == "*" || tag == current || tag.strip_prefix("W/") == Some(current.as_str())
    });
    if matches {
        Ok(())
    } else {
        Err(VnfmError::ETagMismatch {
            given: text.to_string(),
            current,
        })
    }
}

async fn create(
    State(state): State<AppState>,
    Root(root): Root,
    body: JsonBody<CreateVnfSnapshotInfoRequest>,
) -> Result<Response, VnfmError> {
    let request = body.value;
    if request.vnf_snapshot_pkg_id.is_some() && request.vnf_snapshot.is_none() {
        return Err(VnfmError::SnapshotPackagesUnsupported);
    }
    let mut data = state.core.store.lock();
    let record = SnapshotRecord {
        id: uuid::Uuid::new_v4().to_string(),
        vnf_snapshot_pkg_id: request.vnf_snapshot_pkg_id,
        vnf_snapshot: request.vnf_snapshot,
        taken_from: None,
        in_use_by: None,
        version: data.next_version(),
        vim: None,
        vnfc_resources: Vec::new(),
    };
    let body = representation::snapshot(&record, &root);
    let response = with_etag(
        (
            StatusCode::CREATED,
            [(header::LOCATION, root.snapshot(&record.id))],
            Json(body),
        )
            .into_response(),
        &record,
    );
    let id = record.id.clone();
    let taken_from = record
        .vnf_snapshot
        .as_ref()
        .map(|content| content.vnf_instance_id.clone());
    data.snapshots.insert(id.clone(), record);
    if let Some(instance_id) = taken_from {
        data.index_snapshot(&id, &instance_id);
    }
    Ok(response)
}

fn render(record: &SnapshotRecord, root: &ApiRoot) -> serde_json::Value {
    serde_json::to_value(representation::snapshot(record, root)).unwrap_or_default()
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    RawQuery(raw): RawQuery,
) -> Result<Response, VnfmError> {
    let query = ListQuery::parse(raw.as_deref()).map_err(VnfmError::InvalidQuery)?;
    let wanted_instance = query
        .filter
        .as_ref()
        .and_then(|filter| filter.equality_on("vnfSnapshot/vnfInstanceId"))
        .map(str::to_string);
    let data = state.core.store.lock();
    let spec = list::ListSpec {
        defaults: &DEFAULT_EXCLUSIONS,
        prefilter: &|record: &SnapshotRecord| match &wanted_instance {
            None => true,
            Some(id) => record
                .vnf_snapshot
                .as_ref()
                .is_some_and(|content| &content.vnf_instance_id == id),
        },
        render: &|record| render(record, &root),
        url: format!("{}/vnf_snapshots", root.v2()),
    };
    let page_size = state.core.config.page_size;
    match &wanted_instance {
        None => list::page(&data.snapshots, &query, page_size, spec),
        Some(id) => {
            let none = BTreeSet::new();
            let candidates = data.snapshots_by_instance.get(id).unwrap_or(&none);
            list::page_among(&data.snapshots, candidates, &query, page_size, spec)
        }
    }
}

async fn read(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    let data = state.core.store.lock();
    let record = data
        .snapshots
        .get(&id)
        .ok_or_else(|| VnfmError::NoSnapshot(id.clone()))?;
    Ok(with_etag(
        Json(representation::snapshot(record, &root)).into_response(),
        record,
    ))
}

async fn modify(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<VnfSnapshotInfoModificationRequest>,
) -> Result<Response, VnfmError> {
    let request = body.value;
    let mut data = state.core.store.lock();
    let record = data
        .snapshots
        .get(&id)
        .ok_or_else(|| VnfmError::NoSnapshot(id.clone()))?;
    check_if_match(&headers, record)?;
    if let Some(user) = &record.in_use_by {
        return Err(VnfmError::SnapshotInUse {
            id,
            user: user.clone(),
            by: SnapshotUse::Modify,
        });
    }
    if record.vnf_snapshot.is_some() {
        return Err(VnfmError::SnapshotAlreadyFilled {
            id,
            by: SnapshotUse::Modify,
        });
    }
    if request.vnf_snapshot_pkg_id.is_none() && request.vnf_snapshot.is_none() {
        return Err(VnfmError::EmptyModification);
    }
    let version = data.next_version();
    let record = apply_modification(&mut data, &id, &request, version)
        .ok_or_else(|| VnfmError::NoSnapshot(id.clone()))?;
    let changes = VnfSnapshotInfoModifications {
        vnf_snapshot_pkg_id: request.vnf_snapshot_pkg_id,
        vnf_snapshot: request.vnf_snapshot,
    };
    Ok(with_etag(Json(changes).into_response(), &record))
}

fn apply_modification(
    data: &mut StoreData,
    id: &str,
    request: &VnfSnapshotInfoModificationRequest,
    version: u64,
) -> Option<SnapshotRecord> {
    let record = data.snapshots.get_mut(id)?;
    if let Some(package) = &request.vnf_snapshot_pkg_id {
        record.vnf_snapshot_pkg_id = Some(package.clone());
    }
    if let Some(content) = &request.vnf_snapshot {
        record.vnf_snapshot = Some(content.clone());
    }
    record.version = version;
    let record = record.clone();
    if let Some(content) = &request.vnf_snapshot {
        data.index_snapshot(id, &content.vnf_instance_id);
    }
    Some(record)
}

/// Synchronous: the images and volume snapshots are deleted on the VIM before the answer.
async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, VnfmError> {
    let (vim, resources) = {
        let mut data = state.core.store.lock();
        let record = data
            .snapshots
            .get_mut(&id)
            .ok_or_else(|| VnfmError::NoSnapshot(id.clone()))?;
        check_if_match(&headers, record)?;
        if let Some(user) = &record.in_use_by {
            return Err(VnfmError::SnapshotInUse {
                id,
                user: user.clone(),
                by: SnapshotUse::Delete,
            });
        }
        if record.vnfc_resources.is_empty() {
            data.snapshots.remove(&id);
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        record.in_use_by = Some(DELETE_IN_PROGRESS.to_string());
        (record.vim.clone(), record.vnfc_resources.clone())
    };
    // The VIM work runs in its own task so that a client hanging up cannot leave the
    // resource marked as in use.
    let core = state.core.clone();
    let task_id = id.clone();
    let outcome =
        tokio::spawn(async move { delete_vim_resources(&core, &task_id, vim, resources).await })
            .await
            .unwrap_or_else(|error| Err(format!("the deletion task ended abnormally: {error}")));
    if let Err(reason) = outcome {
        if let Some(record) = state.core.store.lock().snapshots.get_mut(&id) {
            record.in_use_by = None;
        }
        return Err(VnfmError::SnapshotDeletionFailed { id, reason });
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes the images and volume snapshots of each VNFC snapshot, forgetting each one as soon
/// as it is gone, then the resource itself.
async fn delete_vim_resources(
    core: &Core,
    id: &str,
    vim: Option<VimBinding>,
    resources: Vec<VnfcSnapshotRecord>,
) -> Result<(), String> {
    let driver = vim.as_ref().and_then(|vim| core.vim_driver(vim));
    for vnfc_snapshot in resources {
        if let Some(driver) = &driver {
            driver
                .delete_snapshot_resources(&vnfc_snapshot.resources)
                .await
                .map_err(|error| error.to_string())?;
        }
        if let Some(record) = core.store.lock().snapshots.get_mut(id) {
            record
                .vnfc_resources
                .retain(|kept| kept.id != vnfc_snapshot.id);
        }
    }
    core.store.lock().snapshots.remove(id);
    Ok(())
}
