//! The `/_sim` control API: state, reset, projects, users, quotas, fault rules, the clock and the
//! call record. Reachable from loopback only, unless a control token is configured.

mod routes;

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{delete, get, post, put},
    Json, Router,
};

use super::cloud::Cloud;

/// The control routes, with `extra` ones behind the same guard.
pub fn routes(cloud: Cloud, extra: Router<Cloud>) -> Router<Cloud> {
    extra
        .route("/_sim/state", get(routes::state))
        .route("/_sim/reset", post(routes::reset))
        .route("/_sim/projects", post(routes::create_project))
        .route(
            "/_sim/projects/{project_id}",
            delete(routes::delete_project),
        )
        .route("/_sim/users", post(routes::create_user))
        .route(
            "/_sim/quotas/{project_id}",
            put(routes::set_quotas).get(routes::get_quotas),
        )
        .route(
            "/_sim/faults",
            post(routes::add_fault)
                .get(routes::list_faults)
                .delete(routes::clear_faults),
        )
        .route("/_sim/faults/{fault_id}", delete(routes::remove_fault))
        .route("/_sim/clock", get(routes::clock))
        .route("/_sim/clock/advance", post(routes::advance_clock))
        .route(
            "/_sim/calls",
            get(routes::calls).delete(routes::clear_calls),
        )
        .route("/_sim/tokens/revoke", post(routes::revoke_tokens))
        .route_layer(middleware::from_fn_with_state(cloud, guard))
}

/// A refusal of the control API: `status` with the body `{"error": detail}`.
pub fn refusal(status: StatusCode, detail: impl std::fmt::Display) -> Response {
    (
        status,
        Json(serde_json::json!({"error": detail.to_string()})),
    )
        .into_response()
}

/// Header carrying the control token when one is configured.
pub const CONTROL_TOKEN_HEADER: &str = "x-sim-control-token";

async fn guard(State(cloud): State<Cloud>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let allowed = match &cloud.config().control_token {
        Some(token) => request
            .headers()
            .get(CONTROL_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|given| super::secret_eq(given, token)),
        None => peer.is_none_or(|ip| ip.is_loopback()),
    };
    if !allowed {
        let detail = if cloud.config().control_token.is_some() {
            "the control API needs a valid X-Sim-Control-Token header"
        } else {
            "the control API answers loopback clients only (configure a control token to open it)"
        };
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({"error": detail})),
        )
            .into_response();
    }
    next.run(request).await
}
