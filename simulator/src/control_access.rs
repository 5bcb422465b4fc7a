//! Who may use a control API (the cloud's `/_sim` and the VNFM's `/_vnfm`): loopback clients
//! only, unless a control token is configured; then any client that sends it in
//! `X-Sim-Control-Token`. One token opens the control APIs of the whole stack.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

/// Header carrying the control token when one is configured.
pub const CONTROL_TOKEN_HEADER: &str = "x-sim-control-token";

/// Why a client may not use the control API, or `Ok` when it may.
pub fn check(
    configured: Option<&str>,
    given: Option<&str>,
    peer: Option<IpAddr>,
) -> Result<(), &'static str> {
    match configured {
        Some(token) if given.is_some_and(|given| crate::openstack::secret_eq(given, token)) => {
            Ok(())
        }
        Some(_) => Err("the control API needs a valid X-Sim-Control-Token header"),
        None if peer.is_none_or(|ip| ip.is_loopback()) => Ok(()),
        None => Err(
            "the control API answers loopback clients only (configure a control token to open it)",
        ),
    }
}

/// [`check`] of a request, with the 403 (`{"error": "..."}`) to answer when it is refused.
pub fn refusal(configured: Option<&str>, request: &Request) -> Option<Response> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let given = request
        .headers()
        .get(CONTROL_TOKEN_HEADER)
        .and_then(|value| value.to_str().ok());
    check(configured, given, peer)
        .err()
        .map(|detail| error_answer(StatusCode::FORBIDDEN, detail))
}

/// An error answer of a control API (`/_sim`, `/_vnfm`): `status` with `{"error": detail}`.
pub fn error_answer(status: StatusCode, detail: impl std::fmt::Display) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": detail.to_string() })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REMOTE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7)));
    const LOCAL: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn without_a_token_only_loopback_clients_are_served() {
        assert!(check(None, None, LOCAL).is_ok());
        assert!(check(None, None, REMOTE)
            .unwrap_err()
            .contains("loopback clients only"));
    }

    #[test]
    fn with_a_token_every_client_needs_it_loopback_included() {
        assert!(check(Some("s3cret"), Some("s3cret"), REMOTE).is_ok());
        assert!(check(Some("s3cret"), None, LOCAL).is_err());
        assert!(check(Some("s3cret"), Some("wrong"), REMOTE)
            .unwrap_err()
            .contains("X-Sim-Control-Token"));
    }
}
