//! Server groups (`/os-server-groups`): a policy (`policies` before 2.64, `policy` and
//! `rules` from 2.64; the soft policies from 2.15) the scheduler honours when a server is
//! booted with `scheduler_hints.group`.

use std::collections::{BTreeMap, HashMap};

use serde_json::Map;

use super::{fail, invalid};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{known_policy, new_id, ServerGroup};

fn view(group: &ServerGroup, version: Microversion) -> Value {
    let mut view = json!({"id": group.id, "name": group.name, "members": group.members});
    if version >= Microversion(2, 64) {
        view["policy"] = json!(group.policy);
        view["rules"] = json!(group.rules);
    } else {
        view["policies"] = json!([group.policy]);
        view["metadata"] = json!({});
    }
    if version >= Microversion(2, 13) {
        view["project_id"] = json!(group.project_id);
        view["user_id"] = json!(group.user_id);
    }
    view
}

fn parse_rules(
    object: &Map<String, Value>,
    policy: &str,
) -> Result<BTreeMap<String, u32>, CloudError> {
    let Some(rules) = object.get("rules") else {
        return Ok(BTreeMap::new());
    };
    let rules = rules
        .as_object()
        .ok_or_else(|| invalid("rules", format!("Value: {rules}. Invalid type")))?;
    if !rules.is_empty() && policy != "anti-affinity" {
        return Err(CloudError::bad_request(
            "Only anti-affinity policy supports rules.",
        ));
    }
    let mut parsed = BTreeMap::new();
    for (key, value) in rules {
        if key != "max_server_per_host" {
            return Err(invalid(
                "rules",
                format!("Additional properties are not allowed ('{key}' was unexpected)"),
            ));
        }
        let number = value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid("max_server_per_host", format!("Value: {value}")))?;
        parsed.insert(key.clone(), number as u32);
    }
    Ok(parsed)
}

fn parse_group(
    body: &Value,
    scope: &Scope,
    version: Microversion,
) -> Result<ServerGroup, CloudError> {
    let object = body
        .get("server_group")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("server_group", "'server_group' is a required property"))?;
    let modern = version >= Microversion(2, 64);
    let allowed: &[&str] = if modern {
        &["name", "policy", "rules"]
    } else {
        &["name", "policies"]
    };
    if let Some(unknown) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(
            "server_group",
            format!("Additional properties are not allowed ('{unknown}' was unexpected)"),
        ));
    }
    let name = object
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty() && n.chars().count() <= 255)
        .ok_or_else(|| {
            invalid(
                "name",
                "'name' is a required property of 1 to 255 characters",
            )
        })?;
    let policy = if modern {
        object.get("policy").and_then(Value::as_str)
    } else {
        match object.get("policies").and_then(Value::as_array) {
            Some(list) if list.len() == 1 => list[0].as_str(),
            Some(list) => {
                return Err(invalid(
                    "policies",
                    format!("Value: {list:?}. The list must hold exactly one policy"),
                ))
            }
            None => None,
        }
    };
    let field = if modern { "policy" } else { "policies" };
    let policy =
        policy.ok_or_else(|| invalid(field, format!("'{field}' is a required property")))?;
    if !known_policy(policy, version >= Microversion(2, 15)) {
        return Err(invalid(
            field,
            format!("Value: {policy}. '{policy}' is not a known policy"),
        ));
    }
    Ok(ServerGroup {
        id: new_id(),
        name: name.to_string(),
        project_id: scope.project_id.to_string(),
        user_id: scope.user_id.to_string(),
        policy: policy.to_string(),
        rules: if modern {
            parse_rules(object, policy)?
        } else {
            BTreeMap::new()
        },
        members: Vec::new(),
    })
}

/// `POST /os-server-groups` -> 200.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let made = parse_body::<Value>(&body)
        .and_then(|b| parse_group(&b, &call.scope, call.version))
        .and_then(|group| call.cloud.state().create_server_group(group));
    match made {
        Ok(group) => Json(json!({"server_group": view(&group, call.version)})).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /os-server-groups` (`all_projects` for the admin, `limit`, `offset`).
pub async fn list(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let all = call.scope.admin
        && query
            .get("all_projects")
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"));
    let number = |key: &str| {
        query
            .get(key)
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| invalid(key, format!("Value: {v}")))
            })
            .transpose()
    };
    let (offset, limit) = match (number("offset"), number("limit")) {
        (Ok(offset), Ok(limit)) => (offset.unwrap_or(0), limit.unwrap_or(usize::MAX)),
        (Err(error), _) | (_, Err(error)) => return fail(error),
    };
    let state = call.cloud.state();
    let groups: Vec<Value> = state
        .server_groups
        .values()
        .filter(|g| all || g.project_id == *call.scope.project_id)
        .skip(offset)
        .take(limit)
        .map(|g| view(g, call.version))
        .collect();
    Json(json!({"server_groups": groups})).into_response()
}

/// `GET /os-server-groups/{id}`.
pub async fn show(call: Call<Microversion>, Path(id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.server_group(&id, &call.scope.project_id, call.scope.admin) {
        Ok(group) => Json(json!({"server_group": view(group, call.version)})).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /os-server-groups/{id}` -> 204.
pub async fn remove(call: Call, Path(id): Path<String>) -> Response {
    match call
        .cloud
        .state()
        .delete_server_group(&id, &call.scope.project_id, call.scope.admin)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}
