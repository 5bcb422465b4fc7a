//! `/vnf_lcm_op_occs`: query operation occurrences and run their retry / rollback / fail /
//! cancel tasks.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, found, list, root::Root, AppState};
use crate::vnfm::{
    conductor, error::VnfmError, links::ApiRoot, representation, store::OpOccRecord,
    types::CancelMode,
};

/// The optional complex attributes of `VnfLcmOpOcc` that `exclude_fields` may name.
const EXCLUDABLE: [&str; 16] = [
    "operationParams",
    "error",
    "resourceChanges",
    "changedInfo",
    "changedExtConnectivity",
    "modificationsTriggeredByVnfPkgChange",
    "lcmCoordinations",
    "rejectedLcmCoordinations",
    "warnings",
    "resourcesLeftOnVim",
    "_links/cancel",
    "_links/retry",
    "_links/rollback",
    "_links/fail",
    "_links/grant",
    "_links/vnfSnapshot",
];

/// Attributes a plain GET /vnf_lcm_op_occs leaves out.
const DEFAULT_EXCLUSIONS: [&str; 5] = [
    "operationParams",
    "error",
    "resourceChanges",
    "changedInfo",
    "changedExtConnectivity",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/vnf_lcm_op_occs", get(query))
        .route("/v2/vnf_lcm_op_occs/{id}", get(read))
        .route("/v2/vnf_lcm_op_occs/{id}/retry", post(retry))
        .route("/v2/vnf_lcm_op_occs/{id}/rollback", post(rollback))
        .route("/v2/vnf_lcm_op_occs/{id}/fail", post(fail))
        .route("/v2/vnf_lcm_op_occs/{id}/cancel", post(cancel))
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    list::Query(query): list::Query,
) -> Result<Response, VnfmError> {
    // A filter on one instance skips the others' records unrendered.
    let wanted_instance = query
        .filter
        .as_ref()
        .and_then(|filter| filter.equality_on("vnfInstanceId"));
    let data = state.services.store.lock();
    list::page(
        &data.op_occs,
        &query,
        &state.services.config,
        list::ListSpec {
            defaults: &DEFAULT_EXCLUSIONS,
            excludable: &EXCLUDABLE,
            prefilter: &|record: &OpOccRecord| {
                wanted_instance.is_none_or(|id| record.occ.vnf_instance_id == id)
            },
            render: &|record| {
                serde_json::to_value(representation::op_occ(
                    record,
                    &root,
                    &state.services.config.deviations,
                    &state.services.config.choices(),
                ))
                .unwrap_or_default()
            },
            url: format!("{}/vnf_lcm_op_occs", root.v2()),
        },
    )
}

async fn read(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    op_occ_answer(&state, &root, &id)
}

/// 200 with the op occ `id` as it stands.
fn op_occ_answer(state: &AppState, root: &ApiRoot, id: &str) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    let record = found(&data.op_occs, id, VnfmError::NoOpOcc)?;
    Ok(Json(representation::op_occ(
        record,
        root,
        &state.services.config.deviations,
        &state.services.config.choices(),
    ))
    .into_response())
}

async fn retry(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    conductor::retry(&state.services, &id)?;
    Ok(StatusCode::ACCEPTED.into_response())
}

async fn rollback(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    conductor::rollback(&state.services, &id)?;
    Ok(StatusCode::ACCEPTED.into_response())
}

async fn fail(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    conductor::fail(&state.services, &id)?;
    op_occ_answer(&state, &root, &id)
}

async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody<CancelMode>,
) -> Result<Response, VnfmError> {
    conductor::cancel(&state.services, &id, body.value.cancel_mode)?;
    Ok(StatusCode::ACCEPTED.into_response())
}
