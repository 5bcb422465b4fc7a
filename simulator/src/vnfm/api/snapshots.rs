//! `/vnf_snapshots`: the "Individual VNF snapshot" resources (create, query, modify, delete).

use std::collections::BTreeSet;

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, found, list, root::Root, snapshot_content, AppState};
use crate::vnfm::{
    conductor,
    deviation::Deviation,
    error::VnfmError,
    links::ApiRoot,
    profile::Choices,
    representation,
    store::SnapshotRecord,
    types::{
        CreateVnfSnapshotInfoRequest, VnfSnapshotInfoModificationRequest,
        VnfSnapshotInfoModifications,
    },
};

/// The optional complex attributes of `VnfSnapshotInfo` that `exclude_fields` may name (and
/// the two the spec excludes by default, which a client may exclude too).
const EXCLUDABLE: [&str; 10] = [
    "vnfSnapshot",
    "vnfSnapshot/vnfInstance",
    "vnfSnapshot/vnfcSnapshots",
    "vnfSnapshot/vnfStateSnapshotInfo",
    "vnfSnapshot/userDefinedData",
    "vnfSnapshot/vnfcSnapshots/computeSnapshotResource",
    "vnfSnapshot/vnfcSnapshots/storageSnapshotResources",
    "vnfSnapshot/vnfcSnapshots/userDefinedData",
    "vnfSnapshot/_links/vnfStateSnapshot",
    "_links/takenFrom",
];

/// Attributes a plain GET /vnf_snapshots leaves out.
const DEFAULT_EXCLUSIONS: [&str; 2] = ["vnfSnapshot/vnfInstance", "vnfSnapshot/vnfcSnapshots"];

/// The routes; PATCH of one resource only where the profile offers it (405 otherwise).
pub fn routes(choices: &Choices) -> Router<AppState> {
    // The order of the methods is the order of `Allow`.
    let one = match choices.snapshot_patch {
        true => get(read).patch(modify).delete(delete),
        false => get(read).delete(delete),
    };
    Router::new()
        .route("/v2/vnf_snapshots", post(create).get(query))
        .route("/v2/vnf_snapshots/{id}", one)
}

/// The response with the resource's `ETag`, where the profile tags resources.
fn with_etag(mut response: Response, record: &SnapshotRecord, choices: &Choices) -> Response {
    if let Some(Ok(value)) = record.etag(choices).map(|tag| HeaderValue::from_str(&tag)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The `If-Match` header as text (a header that is not text matches nothing).
fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::IF_MATCH)
        .map(|value| value.to_str().unwrap_or_default())
}

async fn create(
    State(state): State<AppState>,
    Root(root): Root,
    body: JsonBody<CreateVnfSnapshotInfoRequest>,
) -> Result<Response, VnfmError> {
    if let Some(content) = &body.value.vnf_snapshot {
        snapshot_content::check(&body.raw["vnfSnapshot"], content)?;
    }
    let record = conductor::create_resource(&state.services, body.value)?;
    let deviations = &state.services.config.deviations;
    let choices = state.services.config.choices();
    let mut response = (
        StatusCode::CREATED,
        [(header::LOCATION, root.snapshot(&record.id))],
        Json(representation::snapshot(&record, &root, &choices)),
    )
        .into_response();
    if deviations.has(Deviation::CreateResourceAnswers200) {
        *response.status_mut() = StatusCode::OK;
    }
    if deviations.has(Deviation::NoLocationOnCreate) {
        response.headers_mut().remove(header::LOCATION);
    }
    Ok(with_etag(response, &record, &choices))
}

fn render(record: &SnapshotRecord, root: &ApiRoot, choices: &Choices) -> serde_json::Value {
    serde_json::to_value(representation::snapshot(record, root, choices)).unwrap_or_default()
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    list::Query(mut query): list::Query,
) -> Result<Response, VnfmError> {
    let deviations = &state.services.config.deviations;
    if deviations.has(Deviation::FilterIgnored) {
        query.filter = None;
    }
    let wanted_instance = query
        .filter
        .as_ref()
        .and_then(|filter| filter.equality_on("vnfSnapshot/vnfInstanceId"))
        .map(str::to_string);
    let data = state.services.store.lock();
    let spec = list::ListSpec {
        defaults: if deviations.has(Deviation::NoDefaultExclusions) {
            &[]
        } else {
            &DEFAULT_EXCLUSIONS
        },
        excludable: &EXCLUDABLE,
        prefilter: &|record: &SnapshotRecord| match &wanted_instance {
            None => true,
            Some(id) => record
                .vnf_snapshot
                .as_ref()
                .is_some_and(|content| &content.vnf_instance_id == id),
        },
        render: &|record| render(record, &root, &state.services.config.choices()),
        url: format!("{}/vnf_snapshots", root.v2()),
    };
    let config = &state.services.config;
    match &wanted_instance {
        None => list::page(&data.snapshots, &query, config, spec),
        Some(id) => {
            let none = BTreeSet::new();
            let candidates = data.snapshots_by_instance.get(id).unwrap_or(&none);
            list::page_among(&data.snapshots, candidates, &query, config, spec)
        }
    }
}

async fn read(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    let record = found(&data.snapshots, &id, VnfmError::NoSnapshot)?;
    let choices = state.services.config.choices();
    Ok(with_etag(
        Json(representation::snapshot(record, &root, &choices)).into_response(),
        record,
        &choices,
    ))
}

async fn modify(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<VnfSnapshotInfoModificationRequest>,
) -> Result<Response, VnfmError> {
    let request = body.value;
    if let Some(content) = &request.vnf_snapshot {
        snapshot_content::check(&body.raw["vnfSnapshot"], content)?;
    }
    let record = conductor::modify_resource(&state.services, &id, if_match(&headers), &request)?;
    let changes = VnfSnapshotInfoModifications {
        vnf_snapshot_pkg_id: request.vnf_snapshot_pkg_id,
        vnf_snapshot: request.vnf_snapshot,
    };
    Ok(with_etag(
        Json(changes).into_response(),
        &record,
        &state.services.config.choices(),
    ))
}

/// Synchronous: the images and volume snapshots are deleted on the VIM before the answer.
async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, VnfmError> {
    let known = state.services.store.lock().snapshots.get(&id).is_some();
    if known
        && state
            .services
            .config
            .deviations
            .has(Deviation::DeleteAnswersEarly)
    {
        let services = state.services.clone();
        let if_match = if_match(&headers).map(str::to_string);
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            let _ = conductor::delete_resource(&services, &id, if_match.as_deref()).await;
        });
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    conductor::delete_resource(&state.services, &id, if_match(&headers)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
