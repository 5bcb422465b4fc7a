//! `GET /_sim/state/export` and `POST /_sim/state/load` on the cloud's control API (behind its
//! guard). A refused load answers the control API's `{"error"}` body: 400 for a document that
//! is malformed, of another format or version, or inconsistent; 409 while operations of the
//! stack are in progress.

use axum::{
    body::Bytes,
    extract::DefaultBodyLimit,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use serde_json::json;

use super::{LoadError, StackState};
use crate::{control_access::error_answer, openstack::Cloud};

/// The largest document `POST /_sim/state/load` reads (image data included).
const MAX_DOCUMENT_BYTES: usize = 512 << 20;

/// The state routes of the control API, over `stack`.
pub fn routes(stack: StackState) -> Router<Cloud> {
    Router::new()
        .route("/_sim/state/export", get(export))
        .route(
            "/_sim/state/load",
            post(load).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES)),
        )
        .layer(Extension(stack))
}

async fn export(Extension(stack): Extension<StackState>) -> Response {
    Json(stack.export()).into_response()
}

async fn load(Extension(stack): Extension<StackState>, body: Bytes) -> Response {
    match stack.load_bytes(&body) {
        Ok(loaded) => Json(json!({
            "interrupted_operations": loaded.interrupted_operations,
        }))
        .into_response(),
        Err(error @ LoadError::Invalid(_)) => error_answer(StatusCode::BAD_REQUEST, error),
        Err(error @ LoadError::Busy(_)) => error_answer(StatusCode::CONFLICT, error),
    }
}
