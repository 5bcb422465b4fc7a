//! `GET /servers/{id}/os-security-groups`: the server's security groups in Nova's format (the
//! ingress rules only, as Nova shows them).

use super::fail;
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, SecurityGroup};

fn view(state: &CloudState, group: &SecurityGroup) -> Value {
    let rules: Vec<Value> = group
        .rules
        .iter()
        .filter(|r| r.direction == "ingress")
        .map(|r| {
            let remote = r
                .remote_group_id
                .as_ref()
                .and_then(|id| state.security_groups.get(id))
                .map_or_else(
                    || json!({}),
                    |g| json!({"name": g.name, "tenant_id": g.project_id}),
                );
            json!({
                "id": r.id,
                "parent_group_id": group.id,
                "ip_protocol": r.protocol,
                "from_port": r.port_range_min,
                "to_port": r.port_range_max,
                "ip_range": r.remote_ip_prefix.as_ref().map_or_else(|| json!({}), |cidr| json!({"cidr": cidr})),
                "group": remote,
            })
        })
        .collect();
    json!({
        "id": group.id,
        "name": group.name,
        "description": group.standard.description,
        "tenant_id": group.project_id,
        "rules": rules,
    })
}

/// `GET /servers/{id}/os-security-groups`.
pub async fn list(call: Call, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    let server = match state.project_server(&call.scope.project_id, &server_id) {
        Ok(server) => server,
        Err(error) => return fail(error),
    };
    let groups: Vec<Value> = server
        .security_groups
        .iter()
        .filter_map(|name| {
            state
                .security_groups
                .values()
                .find(|g| g.project_id == server.project_id && &g.name == name)
        })
        .map(|g| view(&state, g))
        .collect();
    Json(json!({ "security_groups": groups })).into_response()
}
