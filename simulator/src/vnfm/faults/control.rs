//! The VNFM's control API, `/_vnfm/faults`, beside the ETSI roots and outside their
//! authentication: loopback clients only, unless the stack's control token is configured
//! (then any client sending it in `X-Sim-Control-Token`).

use axum::{
    body::Bytes,
    extract::{Path, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;

use super::VnfmFaultRule;
use crate::{control_access::error_answer, saved_fault_rule::TriggeredRule, vnfm::api::AppState};

/// The control routes, guarded.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(
            "/_vnfm/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route(
            "/_vnfm/faults/{fault_id}",
            get(show_fault).delete(remove_fault),
        )
        .route("/_vnfm/faults/{fault_id}/release", post(release_fault))
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = state.services.config.control_token.as_deref();
    match crate::control_access::refusal(token, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}

fn no_rule(fault_id: &str) -> Response {
    error_answer(
        StatusCode::NOT_FOUND,
        format!("no VNFM fault rule {fault_id}"),
    )
}

/// `POST /_vnfm/faults` -> 201 `{"id"}` with `Location`; 400 for an invalid rule.
async fn add_fault(State(state): State<AppState>, body: Bytes) -> Response {
    let rule: VnfmFaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(error) => {
            return error_answer(StatusCode::BAD_REQUEST, format!("invalid rule: {error}"))
        }
    };
    if let Err(detail) = rule.validate() {
        return error_answer(StatusCode::BAD_REQUEST, format!("invalid rule: {detail}"));
    }
    let id = state.services.faults.book().add(rule);
    let location = format!("{}/_vnfm/faults/{id}", state.base);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(json!({ "id": id })),
    )
        .into_response()
}

/// `GET /_vnfm/faults`: every rule with its hits, the uses left and the operations held.
async fn list_faults(State(state): State<AppState>) -> Response {
    Json(json!({"faults": state.services.faults.book().list()})).into_response()
}

/// `GET /_vnfm/faults/{id}`.
async fn show_fault(State(state): State<AppState>, Path(fault_id): Path<String>) -> Response {
    let listing = state.services.faults.book().list();
    match listing.into_iter().find(|rule| rule.id == fault_id) {
        Some(rule) => Json(rule).into_response(),
        None => no_rule(&fault_id),
    }
}

/// `DELETE /_vnfm/faults` -> 204: every rule removed, every held operation released.
async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.services.faults.book().clear();
    StatusCode::NO_CONTENT
}

/// `DELETE /_vnfm/faults/{id}` -> 204 (its held operations released), 404 when unknown.
async fn remove_fault(State(state): State<AppState>, Path(fault_id): Path<String>) -> Response {
    match state.services.faults.book().remove(&fault_id) {
        true => StatusCode::NO_CONTENT.into_response(),
        false => no_rule(&fault_id),
    }
}

/// `POST /_vnfm/faults/{id}/release` -> 204: the operations it holds go on.
async fn release_fault(State(state): State<AppState>, Path(fault_id): Path<String>) -> Response {
    match state.services.faults.book().release(&fault_id) {
        true => StatusCode::NO_CONTENT.into_response(),
        false => no_rule(&fault_id),
    }
}
