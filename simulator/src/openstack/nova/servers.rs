//! `POST /servers`, `GET /servers`, `/servers/detail`, `/servers/{id}`, `PUT /servers/{id}`,
//! `DELETE /servers/{id}`.

use std::collections::HashMap;

use axum::http::header;

use super::{fail, views, views::ServerView};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{
        BlockDeviceRequest, CloudState, NicRequest, NicRequests, Server, ServerChanges,
        ServerRequest, DEFAULT_GROUP,
    },
    wire::{next_links, string_map},
};

const BDM_KEYS: [&str; 17] = [
    "boot_index",
    "uuid",
    "source_type",
    "destination_type",
    "delete_on_termination",
    "volume_size",
    "device_name",
    "disk_bus",
    "device_type",
    "guest_format",
    "tag",
    "volume_type",
    "no_device",
    "volume_id",
    "snapshot_id",
    "image_id",
    "connection_info",
];

fn invalid(field: &str, detail: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!(
        "Invalid input for field/attribute {field}. {detail}"
    ))
}

/// The string attribute `key` of a request object, when it has one.
pub(super) fn optional_text(object: &Value, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_string)
}

fn parse_bdm(entry: &Value) -> Result<BlockDeviceRequest, CloudError> {
    let object = entry
        .as_object()
        .ok_or_else(|| invalid("block_device_mapping_v2", "Value is not an object"))?;
    if let Some(unknown) = object.keys().find(|k| !BDM_KEYS.contains(&k.as_str())) {
        return Err(invalid(
            "block_device_mapping_v2",
            format!("Additional properties are not allowed ('{unknown}' was unexpected)"),
        ));
    }
    let source_type = object
        .get("source_type")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("source_type", "'source_type' is a required property"))?;
    if let Some(destination) = object.get("destination_type").filter(|d| !d.is_null()) {
        if !matches!(destination.as_str(), Some("local" | "volume")) {
            return Err(invalid(
                "destination_type",
                format!("Value: {destination}. {destination} is not one of ['local', 'volume']"),
            ));
        }
    }
    let boot_index = match object.get("boot_index") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => Some(
            s.parse()
                .map_err(|_| invalid("boot_index", format!("Value: {s}")))?,
        ),
        Some(other) => return Err(invalid("boot_index", format!("Value: {other}"))),
    };
    let uuid = object
        .get("uuid")
        .or_else(|| object.get("volume_id"))
        .or_else(|| object.get("snapshot_id"))
        .or_else(|| object.get("image_id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let volume_size = match object.get("volume_size") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| invalid("volume_size", format!("Value: {v}")))? as u32,
        ),
    };
    let delete_on_termination = match object.get("delete_on_termination") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    Ok(BlockDeviceRequest {
        source_type: source_type.to_string(),
        destination_type: optional_text(entry, "destination_type"),
        uuid,
        boot_index,
        volume_size,
        delete_on_termination,
    })
}

/// `networks`: a list of `{uuid | port, fixed_ip?}`, or from 2.37 `"auto"` / `"none"`.
fn parse_networks(value: Option<&Value>, version: Microversion) -> Result<NicRequests, CloudError> {
    let entries = match value {
        None => return Ok(NicRequests::Unset),
        Some(Value::String(s)) if version >= Microversion(2, 37) && s == "auto" => {
            return Ok(NicRequests::Auto)
        }
        Some(Value::String(s)) if version >= Microversion(2, 37) && s == "none" => {
            return Ok(NicRequests::None)
        }
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(invalid(
                "networks",
                format!("Value: {other}. {other} is not of type 'array'"),
            ))
        }
    };
    let mut nics = Vec::new();
    for entry in entries {
        let object = entry
            .as_object()
            .ok_or_else(|| invalid("networks", format!("Value: {entry}. Invalid type")))?;
        if let Some(unknown) = object
            .keys()
            .find(|k| !["uuid", "port", "fixed_ip", "tag"].contains(&k.as_str()))
        {
            return Err(invalid(
                "networks",
                format!("Additional properties are not allowed ('{unknown}' was unexpected)"),
            ));
        }
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
        let fixed_ip = match object.get("fixed_ip") {
            None | Some(Value::Null) => None,
            Some(value) => Some(value.as_str().and_then(|s| s.parse().ok()).ok_or_else(|| {
                invalid(
                    "fixed_ip",
                    format!("Value: {value}. {value} is not a 'ipv4'"),
                )
            })?),
        };
        let nic = NicRequest {
            network_id: text("uuid"),
            port_id: text("port"),
            fixed_ip,
        };
        if let Some(id) = nic
            .network_id
            .as_deref()
            .filter(|id| uuid::Uuid::parse_str(id).is_err())
        {
            return Err(CloudError::bad_request(format!(
                "Bad networks format: network uuid is not in proper format ({id})"
            )));
        }
        nics.push(nic);
    }
    Ok(NicRequests::List(nics))
}

/// `OS-DCF:diskConfig` of a create, update or rebuild body: `AUTO` or `MANUAL`.
pub fn disk_config(body: &Value) -> Result<Option<String>, CloudError> {
    match body.get("OS-DCF:diskConfig") {
        None => Ok(None),
        Some(Value::String(s)) if s == "AUTO" || s == "MANUAL" => Ok(Some(s.clone())),
        Some(other) => Err(invalid(
            "OS-DCF:diskConfig",
            format!("Value: {other}. {other} is not one of ['AUTO', 'MANUAL']"),
        )),
    }
}

/// `security_groups`: `[{"name"}]`, `default` when absent.
fn parse_security_groups(value: Option<&Value>) -> Result<Vec<String>, CloudError> {
    let Some(value) = value else {
        return Ok(vec![DEFAULT_GROUP.to_string()]);
    };
    let mut names: Vec<String> = Vec::new();
    for entry in value
        .as_array()
        .ok_or_else(|| invalid("security_groups", format!("Value: {value}. Invalid type")))?
    {
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("security_groups", "'name' is a required property"))?;
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

fn parse_server(body: &Value, version: Microversion) -> Result<ServerRequest, CloudError> {
    let server = body
        .get("server")
        .filter(|s| s.is_object())
        .ok_or_else(|| invalid("server", "'server' is a required property"))?;
    let name = server
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| invalid("name", "'name' is a required property"))?;
    if name.chars().count() > 255 {
        return Err(invalid(
            "name",
            format!("Value: {name}. '{name}' is too long"),
        ));
    }
    if let Some(metadata) = server.get("metadata").and_then(Value::as_object) {
        for (key, value) in metadata {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            if key.is_empty() || key.chars().count() > 255 || text.chars().count() > 255 {
                return Err(invalid(
                    "metadata",
                    format!("Value: {key}. Metadata keys and values must be 1 to 255 characters"),
                ));
            }
        }
    }
    let flavor_ref = match server.get("flavorRef") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(invalid("flavorRef", "'flavorRef' is a required property")),
    };
    if version >= Microversion(2, 37) && server.get("networks").is_none() {
        return Err(invalid("server", "'networks' is a required property"));
    }
    let block_devices = match server.get("block_device_mapping_v2") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(entries)) => entries.iter().map(parse_bdm).collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid("block_device_mapping_v2", "Value is not an array")),
    };
    let metadata = string_map(server.get("metadata"));
    let access_ipv4 = access_ip(server, "accessIPv4")?;
    let access_ipv6 = access_ip(server, "accessIPv6")?;
    Ok(ServerRequest {
        name: name.to_string(),
        flavor_ref,
        image_ref: optional_text(server, "imageRef"),
        block_devices,
        networks: parse_networks(server.get("networks"), version)?,
        security_groups: parse_security_groups(server.get("security_groups"))?,
        metadata,
        key_name: optional_text(server, "key_name"),
        access_ipv4,
        access_ipv6,
        user_data: optional_text(server, "user_data"),
        disk_config: disk_config(server)?,
        group: scheduler_group(body)?,
    })
}

/// The server group of the scheduler hints (`os:scheduler_hints`, or its old name
/// `OS-SCH-HNT:scheduler_hints`, beside `server` in the body).
fn scheduler_group(body: &Value) -> Result<Option<String>, CloudError> {
    let hints = body
        .get("os:scheduler_hints")
        .or_else(|| body.get("OS-SCH-HNT:scheduler_hints"));
    match hints.and_then(|h| h.get("group")) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) if uuid::Uuid::parse_str(id).is_ok() => Ok(Some(id.clone())),
        Some(other) => Err(invalid(
            "group",
            format!("Value: {other}. {other} is not a 'uuid'"),
        )),
    }
}

/// `accessIPv4` / `accessIPv6`: empty, or an address of that family.
fn access_ip(server: &Value, field: &str) -> Result<String, CloudError> {
    let Some(value) = server.get(field) else {
        return Ok(String::new());
    };
    let text = value.as_str().unwrap_or_default();
    // Nova stores the address in its canonical text form (`::babe:dc0c:1602`).
    let canonical = match field {
        "accessIPv4" => text.parse::<std::net::Ipv4Addr>().map(|ip| ip.to_string()),
        _ => text.parse::<std::net::Ipv6Addr>().map(|ip| ip.to_string()),
    };
    if text.is_empty() {
        Ok(String::new())
    } else if let Ok(canonical) = canonical {
        Ok(canonical)
    } else {
        let family = if field == "accessIPv4" {
            "ipv4"
        } else {
            "ipv6"
        };
        Err(invalid(
            field,
            format!("Value: {value}. '{text}' is not a '{family}'"),
        ))
    }
}

/// `min_count` / `max_count`: a whole number of at least 1 (digits in a string too).
fn count(server: &Value, field: &str) -> Result<Option<u32>, CloudError> {
    let Some(value) = server.get(field) else {
        return Ok(None);
    };
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    };
    match parsed {
        Some(n) if n >= 1 => Ok(u32::try_from(n).ok()),
        Some(n) => Err(invalid(
            field,
            format!("Value: {n}. {n} is less than the minimum of 1"),
        )),
        None => Err(invalid(field, format!("Value: {value}. Invalid type"))),
    }
}

/// How many servers a request boots: `max_count`, at least `min_count` (default 1 each).
fn instance_count(body: &Value) -> Result<u32, CloudError> {
    let server = &body["server"];
    let min = count(server, "min_count")?.unwrap_or(1);
    let max = count(server, "max_count")?.unwrap_or(min);
    if min > max {
        return Err(CloudError::bad_request("min_count must be <= max_count"));
    }
    Ok(max)
}

/// `POST /servers` -> 202 with `Location` and the admin password.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|b| {
        let server = &b["server"];
        let admin_pass = server["adminPass"].as_str().map(str::to_string);
        let reservation = server["return_reservation_id"].as_bool() == Some(true)
            || server["return_reservation_id"].as_str() == Some("True");
        Ok((
            parse_server(&b, call.version)?,
            instance_count(&b)?,
            admin_pass,
            reservation,
        ))
    });
    let (request, count, admin_pass, reservation) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(error),
    };
    let created = {
        let mut state = call.cloud.state();
        // A private flavor boots only in the projects it is shared with (and for the admin).
        let hidden = state
            .flavors
            .iter()
            .find(|f| f.id == request.flavor_ref)
            .is_some_and(|f| !call.scope.admin && !f.visible_to(&call.scope.project_id));
        if hidden {
            return fail(CloudError::bad_request(format!(
                "Flavor {} could not be found.",
                request.flavor_ref
            )));
        }
        // Several servers are named `<name>-<n>`, Nova's default display name template.
        let mut first = None;
        for n in 1..=count {
            let mut one = request.clone();
            if count > 1 {
                one.name = format!("{}-{n}", request.name);
            }
            let made = state.create_server(
                &call.scope.project_id,
                &call.scope.user_id,
                one,
                call.fate,
                call.cloud.clock(),
            );
            match made {
                Ok(server) => {
                    first.get_or_insert(Ok(server));
                }
                Err(error) => {
                    first = Some(Err(error));
                    break;
                }
            }
        }
        first.expect("at least one server is asked for")
    };
    match created {
        Ok(_) if reservation => {
            let id = format!("r-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
            (StatusCode::ACCEPTED, Json(json!({"reservation_id": id}))).into_response()
        }
        Ok(server) => {
            let links = views::links(&call.cloud, "servers", &server.id);
            let location = links[0]["href"].as_str().unwrap_or_default().to_string();
            // The password asked for, or one Nova makes up.
            let admin_pass = admin_pass
                .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_string());
            (
                StatusCode::ACCEPTED,
                [(header::LOCATION, location)],
                Json(json!({"server": {
                    "id": server.id,
                    "links": links,
                    "OS-DCF:diskConfig": server.disk_config,
                    "security_groups": server.security_groups.iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
                    "adminPass": admin_pass,
                }})),
            )
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// The servers a list shows: the project's, or with `all_tenants` (the admin's only) every
/// project's, narrowed by `project_id`.
fn select<'a>(
    cloud: &Cloud,
    state: &'a CloudState,
    (project_id, admin): (&str, bool),
    query: &HashMap<String, String>,
) -> Result<(Vec<&'a Server>, Option<String>), CloudError> {
    // `changes-since`: servers changed at or after the given time.
    let since = match query.get("changes-since") {
        None => None,
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .or_else(|_| chrono::DateTime::parse_from_rfc3339(&format!("{text}Z")))
                .map_err(|_| {
                    invalid(
                        "changes-since",
                        format!("Value: {text}. '{text}' is not a 'date-time'"),
                    )
                })?,
        ),
    };
    // `ip`: a regular expression matched against the servers' fixed IPv4 addresses.
    let ip_pattern = match query.get("ip") {
        None => None,
        Some(p) => Some(
            regex::Regex::new(p)
                .map_err(|_| invalid("ip", format!("Value: {p}. Invalid regex")))?,
        ),
    };
    let servers = state.servers.values();
    // Nova matches `name` as a regular expression (a plain name matches as a substring).
    let name_pattern = query.get("name").map(|n| {
        regex::Regex::new(n).unwrap_or_else(|_| {
            regex::Regex::new(&regex::escape(n)).expect("an escaped text is a valid pattern")
        })
    });
    let every_project = query
        .get("all_tenants")
        .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"));
    if every_project && !admin {
        return Err(super::policy_refusal("servers:index:get_all_tenants"));
    }
    let wanted_project = query
        .get("project_id")
        .or_else(|| query.get("tenant_id"))
        .filter(|_| every_project);
    let mut matching: Vec<&Server> = servers
        .filter(|s| every_project || s.project_id == project_id)
        .filter(|s| wanted_project.is_none_or(|p| &s.project_id == p))
        .filter(|s| name_pattern.as_ref().is_none_or(|p| p.is_match(&s.name)))
        .filter(|s| query.get("flavor").is_none_or(|f| &s.flavor_id == f))
        .filter(|s| {
            query
                .get("image")
                .is_none_or(|i| s.image_id.as_deref() == Some(i.rsplit('/').next().unwrap_or(i)))
        })
        .filter(|s| {
            query
                .get("status")
                .is_none_or(|st| s.status.eq_ignore_ascii_case(st))
        })
        .filter(|s| since.is_none_or(|t| cloud.clock().wall(s.updated_ms) >= t))
        .filter(|s| {
            ip_pattern.as_ref().is_none_or(|p| {
                state
                    .server_addresses(s)
                    .iter()
                    .flat_map(|(_, list)| list)
                    .any(|a| p.is_match(&a.ip.to_string()))
            })
        })
        .collect();
    matching.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.id.cmp(&a.id)));
    if let Some(marker) = query.get("marker") {
        let position = matching
            .iter()
            .position(|s| &s.id == marker)
            .ok_or_else(|| CloudError::bad_request(format!("marker [{marker}] not found")))?;
        matching.drain(..=position);
    }
    let limit = match query.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .map_err(|_| invalid("limit", format!("Value: {l}")))?
            .min(1000),
        None => 1000,
    };
    let full = matching.len() > limit || (query.contains_key("limit") && matching.len() == limit);
    matching.truncate(limit);
    let next = (full && !matching.is_empty())
        .then(|| matching.last().map(|s| s.id.clone()))
        .flatten();
    Ok((matching, next))
}

/// 200 with the page of servers the query selects, each shown by `view`, and the
/// `servers_links` next link to `/compute/v2.1/{path}` when more remain.
fn servers_answer(
    cloud: &Cloud,
    scope: &Scope,
    query: &HashMap<String, String>,
    path: &str,
    view: impl Fn(&CloudState, &Server) -> Value,
) -> Response {
    let state = cloud.state();
    match select(cloud, &state, (&scope.project_id, scope.admin), query) {
        Ok((servers, next)) => {
            let views: Vec<Value> = servers.iter().map(|s| view(&state, s)).collect();
            let mut body = json!({"servers": views});
            if let Some(marker) = next {
                body["servers_links"] = next_links(
                    &format!("{}/compute/v2.1/{path}", cloud.public_url()),
                    query,
                    &marker,
                );
            }
            Json(body).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /servers`: ids, names and links.
pub async fn list(call: Call, Query(query): Query<HashMap<String, String>>) -> Response {
    servers_answer(&call.cloud, &call.scope, &query, "servers", |_, s| {
        views::server_summary(&call.cloud, s)
    })
}

/// `GET /servers/detail`: full views.
pub async fn detail(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    servers_answer(
        &call.cloud,
        &call.scope,
        &query,
        "servers/detail",
        |state, s| {
            let mut view =
                views::server_detail(&call.cloud, state, s, call.version, ServerView::List);
            if call.scope.admin {
                views::add_admin_attributes(&mut view, s, call.version);
            }
            view
        },
    )
}

/// `GET /servers/{id}`.
pub async fn show(call: Call<Microversion>, Path(server_id): Path<String>) -> Response {
    let state = call.cloud.state();
    // The admin may look at any project's server.
    let found = match state.servers.get(&server_id) {
        Some(server) if call.scope.admin => Ok(server),
        _ => state.project_server(&call.scope.project_id, &server_id),
    };
    match found {
        Ok(server) => {
            let mut view =
                views::server_detail(&call.cloud, &state, server, call.version, ServerView::Show);
            if call.scope.admin {
                views::add_admin_attributes(&mut view, server, call.version);
            }
            Json(json!({"server": view})).into_response()
        }
        Err(error) => fail(error),
    }
}

fn parse_changes(body: &Value) -> Result<ServerChanges, CloudError> {
    let server = body
        .get("server")
        .filter(|s| s.is_object())
        .ok_or_else(|| invalid("server", "'server' is a required property"))?;
    let name = match server.get("name") {
        None => None,
        Some(Value::String(n)) if !n.trim().is_empty() && n.chars().count() <= 255 => {
            Some(n.clone())
        }
        Some(other) => return Err(invalid("name", format!("Value: {other}"))),
    };
    let ip = |field: &str| -> Result<Option<String>, CloudError> {
        match server.get(field) {
            None => Ok(None),
            Some(_) => access_ip(server, field).map(Some),
        }
    };
    Ok(ServerChanges {
        name,
        access_ipv4: ip("accessIPv4")?,
        access_ipv6: ip("accessIPv6")?,
        disk_config: disk_config(server)?,
    })
}

/// `PUT /servers/{id}` -> 200: name and access addresses (the view of a changed server).
pub async fn update(
    call: Call<Microversion>,
    Path(server_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes = match parse_body::<Value>(&body).and_then(|b| parse_changes(&b)) {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    match state.update_server(&call.scope.project_id, &server_id, changes, now) {
        Ok(server) => {
            let view = views::server_detail(
                &call.cloud,
                &state,
                &server,
                call.version,
                ServerView::Changed,
            );
            Json(json!({"server": view})).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `DELETE /servers/{id}` -> 204.
pub async fn remove(call: Call, Path(server_id): Path<String>) -> Response {
    let result = call.cloud.state().delete_server(
        &call.scope.project_id,
        &server_id,
        call.fate,
        call.cloud.clock(),
    );
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}
