//! `GET /servers/{id}/ips` and `/servers/{id}/ips/{network}`: a server's addresses by network.

use super::{fail, views};
use crate::openstack::handler_prelude::*;

/// `GET /servers/{id}/ips`.
pub async fn list(call: Call, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.project_server(&call.scope.project_id, &server_id) {
        Ok(server) => {
            Json(json!({"addresses": views::addresses(&state, server, false)})).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /servers/{id}/ips/{network}`: the addresses on the network of that name.
pub async fn show(call: Call, Path((server_id, network)): Path<(String, String)>) -> Response {
    let state = call.cloud.state();
    let server = match state.project_server(&call.scope.project_id, &server_id) {
        Ok(server) => server,
        Err(error) => return fail(error),
    };
    let addresses = views::addresses(&state, server, false);
    match addresses.get(&network) {
        Some(list) => Json(json!({ network: list })).into_response(),
        None => fail(CloudError::not_found(format!(
            "Network {network} could not be found."
        ))),
    }
}
