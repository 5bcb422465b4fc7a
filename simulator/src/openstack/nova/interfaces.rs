//! `os-interface`: a server's ports (list, show), attaching a port or a network, detaching.

use super::fail;
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, NicRequest, Port};
use crate::openstack::wire::fixed_ips;

fn view(port: &Port) -> Value {
    json!({
        "port_id": port.id,
        "net_id": port.network_id,
        "mac_addr": port.mac_address,
        "port_state": port.status,
        "fixed_ips": fixed_ips(&port.fixed_ips),
    })
}

fn attached<'a>(state: &'a CloudState, server_id: &str) -> Vec<&'a Port> {
    state
        .servers
        .get(server_id)
        .map(|s| {
            s.interfaces
                .iter()
                .filter_map(|i| state.ports.get(&i.port_id))
                .collect()
        })
        .unwrap_or_default()
}

/// `GET /servers/{id}/os-interface`.
pub async fn list(call: Call, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    if let Err(error) = state.project_server(&call.scope.project_id, &server_id) {
        return fail(error);
    }
    let views: Vec<Value> = attached(&state, &server_id).into_iter().map(view).collect();
    Json(json!({ "interfaceAttachments": views })).into_response()
}

/// `GET /servers/{id}/os-interface/{port_id}`.
pub async fn show(call: Call, Path((server_id, port_id)): Path<(String, String)>) -> Response {
    let state = call.cloud.state();
    if let Err(error) = state.project_server(&call.scope.project_id, &server_id) {
        return fail(error);
    }
    match attached(&state, &server_id)
        .into_iter()
        .find(|p| p.id == port_id)
    {
        Some(port) => Json(json!({ "interfaceAttachment": view(port) })).into_response(),
        None => fail(CloudError::not_found(format!(
            "Port {port_id} is not attached"
        ))),
    }
}

fn parse(body: &Bytes) -> Result<NicRequest, CloudError> {
    let body: Value = parse_body(body)?;
    let attachment = body.get("interfaceAttachment").unwrap_or(&Value::Null);
    let text = |key: &str| {
        attachment
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let fixed_ip = attachment["fixed_ips"]
        .as_array()
        .and_then(|ips| ips.first())
        .and_then(|ip| ip["ip_address"].as_str())
        .map(|ip| {
            ip.parse().map_err(|_| {
                CloudError::bad_request(format!(
                    "Invalid input for field/attribute ip_address. Value: {ip}. '{ip}' is not a 'ipv4'"
                ))
            })
        })
        .transpose()?;
    let nic = NicRequest {
        network_id: text("net_id"),
        port_id: text("port_id"),
        fixed_ip,
    };
    if nic.network_id.is_some() && nic.port_id.is_some() {
        return Err(CloudError::bad_request(
            "Must not input both network_id and port_id",
        ));
    }
    if nic.network_id.is_none() && nic.port_id.is_none() {
        return Err(CloudError::bad_request(
            "Must input network_id when request IP address",
        ));
    }
    Ok(nic)
}

/// `POST /servers/{id}/os-interface` -> 200 with the new attachment.
pub async fn attach(call: Call, Path(server_id): Path<String>, body: Bytes) -> Response {
    let nic = match parse(&body) {
        Ok(nic) => nic,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    match state.attach_interface(&call.scope.project_id, &server_id, nic, now) {
        Ok(port_id) => match state.ports.get(&port_id) {
            Some(port) => Json(json!({ "interfaceAttachment": view(port) })).into_response(),
            None => fail(CloudError::not_found(format!(
                "Port {port_id} could not be found."
            ))),
        },
        Err(error) => fail(error),
    }
}

/// `DELETE /servers/{id}/os-interface/{port_id}` -> 202.
pub async fn detach(call: Call, Path((server_id, port_id)): Path<(String, String)>) -> Response {
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .detach_interface(&call.scope.project_id, &server_id, &port_id, now)
    {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
