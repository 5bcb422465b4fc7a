//! `/vnf_instances`: create, query, delete, and the instantiate / terminate / create_snapshot /
//! revert_to_snapshot tasks.

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, found, list, root::Root, snapshot_commands, AppState};
use crate::vnfm::{
    conductor,
    deviation::Deviation,
    error::VnfmError,
    links::ApiRoot,
    profile::Choices,
    representation,
    store::InstanceRecord,
    types::{
        CreateVnfRequest, CreateVnfSnapshotRequest, InstantiateVnfRequest,
        RevertToVnfSnapshotRequest, TerminateVnfRequest,
    },
};

/// The optional complex attributes of `VnfInstance` that `exclude_fields` may name.
const EXCLUDABLE: [&str; 20] = [
    "vnfConfigurableProperties",
    "vimConnectionInfo",
    "instantiatedVnfInfo",
    "metadata",
    "extensions",
    "instantiatedVnfInfo/scaleStatus",
    "instantiatedVnfInfo/maxScaleLevels",
    "instantiatedVnfInfo/extCpInfo",
    "instantiatedVnfInfo/extVirtualLinkInfo",
    "instantiatedVnfInfo/extManagedVirtualLinkInfo",
    "instantiatedVnfInfo/monitoringParameters",
    "instantiatedVnfInfo/vnfcResourceInfo",
    "instantiatedVnfInfo/vnfVirtualLinkResourceInfo",
    "instantiatedVnfInfo/virtualStorageResourceInfo",
    "instantiatedVnfInfo/vnfcInfo",
    "_links/instantiate",
    "_links/terminate",
    "_links/createSnapshot",
    "_links/revertToSnapshot",
    "_links/indicators",
];

/// Attributes a plain GET /vnf_instances leaves out (SOL003 §5.4.2.3.2).
const DEFAULT_EXCLUSIONS: [&str; 5] = [
    "vnfConfigurableProperties",
    "vimConnectionInfo",
    "instantiatedVnfInfo",
    "metadata",
    "extensions",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/vnf_instances", post(create).get(query))
        .route("/v2/vnf_instances/{id}", get(read).delete(delete))
        .route("/v2/vnf_instances/{id}/instantiate", post(instantiate))
        .route("/v2/vnf_instances/{id}/terminate", post(terminate))
        .route(
            "/v2/vnf_instances/{id}/create_snapshot",
            post(create_snapshot),
        )
        .route(
            "/v2/vnf_instances/{id}/revert_to_snapshot",
            post(revert_to_snapshot),
        )
}

fn render(record: &InstanceRecord, root: &ApiRoot, choices: &Choices) -> serde_json::Value {
    serde_json::to_value(representation::instance(record, root, choices)).unwrap_or_default()
}

/// 202 with `Location` on the new op occ.
pub fn accepted(root: &ApiRoot, op_id: &str) -> Response {
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, root.op_occ(op_id))],
    )
        .into_response()
}

async fn create(
    State(state): State<AppState>,
    Root(root): Root,
    body: JsonBody<CreateVnfRequest>,
) -> Result<Response, VnfmError> {
    let record = conductor::create_instance(&state.services, body.value)?;
    let body = representation::instance(&record, &root, &state.services.config.choices());
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, body.links.self_link.href.clone())],
        Json(body),
    )
        .into_response())
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    list::Query(query): list::Query,
) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    list::page(
        &data.instances,
        &query,
        &state.services.config,
        list::ListSpec {
            defaults: &DEFAULT_EXCLUSIONS,
            excludable: &EXCLUDABLE,
            prefilter: &|_| true,
            render: &|record| render(record, &root, &state.services.config.choices()),
            url: format!("{}/vnf_instances", root.v2()),
        },
    )
}

async fn read(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    let record = found(&data.instances, &id, VnfmError::NoInstance)?;
    Ok(Json(representation::instance(
        record,
        &root,
        &state.services.config.choices(),
    ))
    .into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    conductor::delete_instance(&state.services, &id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn instantiate(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
    body: JsonBody<InstantiateVnfRequest>,
) -> Result<Response, VnfmError> {
    let op_id = conductor::request_instantiate(&state.services, &id, body.value, body.raw)?;
    Ok(accepted(&root, &op_id))
}

async fn terminate(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
    body: JsonBody<TerminateVnfRequest>,
) -> Result<Response, VnfmError> {
    if !matches!(
        body.value.termination_type.as_str(),
        "FORCEFUL" | "GRACEFUL"
    ) {
        return Err(VnfmError::InvalidTerminationType(
            body.value.termination_type,
        ));
    }
    let op_id = conductor::request_terminate(&state.services, &id, body.raw)?;
    Ok(accepted(&root, &op_id))
}

async fn create_snapshot(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
    body: JsonBody<CreateVnfSnapshotRequest>,
) -> Result<Response, VnfmError> {
    let command = snapshot_commands::create_snapshot(
        root.api,
        &state.services.config.choices(),
        &id,
        body.value,
        body.raw,
    )?;
    let op_id = conductor::request_create_snapshot(&state.services, command)?;
    let mut response = accepted(&root, &op_id);
    if state
        .services
        .config
        .deviations
        .has(Deviation::NoLocationOnTask)
    {
        response.headers_mut().remove(header::LOCATION);
    }
    Ok(response)
}

async fn revert_to_snapshot(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
    body: JsonBody<RevertToVnfSnapshotRequest>,
) -> Result<Response, VnfmError> {
    let command = snapshot_commands::revert_to_snapshot(
        root.api,
        &state.services.config.choices(),
        &id,
        body.value,
        body.raw,
    )?;
    let op_id = conductor::request_revert(&state.services, command)?;
    Ok(accepted(&root, &op_id))
}
