//! Flavors: `GET /flavors`, `/flavors/detail`, `/flavors/{id}` (a private flavor only for the
//! projects it is shared with and the admin), and the admin's `POST /flavors`,
//! `PUT /flavors/{id}` (description, 2.55) and `DELETE /flavors/{id}`.

use std::collections::{BTreeMap, HashMap};

use serde_json::Map;

use super::{fail, invalid, policy_refusal, views};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{new_id, CloudState, Flavor},
    wire::next_links,
};

/// The flavors a list shows: public ones (and for a project the private ones shared with
/// it); the admin's `is_public` picks public (default), private (`false`) or all (`none`).
fn select<'a>(
    state: &'a CloudState,
    scope: &Scope,
    query: &HashMap<String, String>,
) -> Result<(Vec<&'a Flavor>, bool), CloudError> {
    let wanted = match query.get("is_public").map(|v| v.to_ascii_lowercase()) {
        Some(v) if v == "none" => None,
        Some(v) if ["false", "f", "0", "no", "off"].contains(&v.as_str()) => Some(false),
        _ => Some(true),
    };
    let number = |key: &str| -> Result<Option<u32>, CloudError> {
        query
            .get(key)
            .map(|v| {
                v.parse()
                    .map_err(|_| CloudError::bad_request(format!("Invalid {key} filter [{v}]")))
            })
            .transpose()
    };
    let (min_ram, min_disk) = (number("minRam")?, number("minDisk")?);
    let mut flavors: Vec<&Flavor> = state
        .flavors
        .iter()
        .filter(|f| {
            if scope.admin {
                wanted.is_none_or(|public| f.is_public == public)
            } else {
                f.visible_to(&scope.project_id)
            }
        })
        .filter(|f| min_ram.is_none_or(|m| f.ram >= m))
        .filter(|f| min_disk.is_none_or(|m| f.disk >= m))
        .collect();
    let key = query.get("sort_key").map_or("flavorid", String::as_str);
    let sort: fn(&&Flavor, &&Flavor) -> std::cmp::Ordering = match key {
        "flavorid" | "id" => |a, b| a.id.cmp(&b.id),
        "name" => |a, b| a.name.cmp(&b.name),
        "memory_mb" => |a, b| a.ram.cmp(&b.ram),
        "vcpus" => |a, b| a.vcpus.cmp(&b.vcpus),
        "root_gb" => |a, b| a.disk.cmp(&b.disk),
        "swap" => |a, b| a.swap.cmp(&b.swap),
        "ephemeral_gb" => |a, b| a.ephemeral.cmp(&b.ephemeral),
        other => {
            return Err(CloudError::bad_request(format!(
                "Invalid input for query parameters sort_key. Value: {other}."
            )))
        }
    };
    flavors.sort_by(sort);
    if query.get("sort_dir").is_some_and(|d| d == "desc") {
        flavors.reverse();
    }
    if let Some(marker) = query.get("marker") {
        let at = flavors
            .iter()
            .position(|f| &f.id == marker)
            .ok_or_else(|| CloudError::bad_request(format!("marker [{marker}] not found")))?;
        flavors.drain(..=at);
    }
    let limit = match query.get("limit") {
        Some(l) => Some(
            l.parse::<usize>()
                .map_err(|_| invalid("limit", format!("Value: {l}")))?,
        ),
        None => None,
    };
    let full = limit.is_some_and(|l| flavors.len() >= l && l > 0);
    if let Some(limit) = limit {
        flavors.truncate(limit);
    }
    Ok((flavors, full))
}

fn listed(
    cloud: &Cloud,
    scope: &Scope,
    query: &HashMap<String, String>,
    path: &str,
    view: impl Fn(&Flavor) -> Value,
) -> Response {
    let state = cloud.state();
    match select(&state, scope, query) {
        Ok((flavors, full)) => {
            let mut body = json!({"flavors": flavors.iter().map(|f| view(f)).collect::<Vec<_>>()});
            if let (true, Some(last)) = (full, flavors.last()) {
                body["flavors_links"] = next_links(
                    &format!("{}/compute/v2.1/{path}", cloud.public_url()),
                    query,
                    &last.id,
                );
            }
            Json(body).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /flavors`.
pub async fn list(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    listed(&call.cloud, &call.scope, &query, "flavors", |f| {
        let mut view = json!({"id": f.id, "name": f.name, "links": views::links(&call.cloud, "flavors", &f.id)});
        if call.version >= Microversion(2, 55) {
            view["description"] = json!(f.description);
        }
        view
    })
}

/// `GET /flavors/detail`.
pub async fn detail(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    listed(&call.cloud, &call.scope, &query, "flavors/detail", |f| {
        views::flavor_detail(&call.cloud, f, call.version)
    })
}

/// `GET /flavors/{id}`.
pub async fn show(call: Call<Microversion>, Path(flavor_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.usable_flavor(&flavor_id, &call.scope.project_id, call.scope.admin) {
        Ok(flavor) => {
            Json(json!({"flavor": views::flavor_detail(&call.cloud, flavor, call.version)}))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// A whole number field: an integer or a string of digits, at least `min`.
fn whole(
    object: &Map<String, Value>,
    field: &str,
    min: u32,
    default: Option<u32>,
) -> Result<u32, CloudError> {
    let value = match object.get(field) {
        None => {
            return default
                .ok_or_else(|| invalid("flavor", format!("'{field}' is a required property")))
        }
        Some(value) => value,
    };
    let parsed = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if s.is_empty() && field == "swap" => Some(0),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    };
    match parsed.and_then(|n| u32::try_from(n).ok()) {
        Some(n) if n >= min => Ok(n),
        _ => Err(invalid(
            field,
            format!("Value: {value}. {value} is not valid (a whole number of at least {min})"),
        )),
    }
}

/// Nova's boolean parameter: `true`/`false` or one of the strings it takes for them.
fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "on" | "yes" | "y" | "t" => Some(true),
            "false" | "0" | "off" | "no" | "n" | "f" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

const FLAVOR_KEYS: [&str; 9] = [
    "name",
    "id",
    "ram",
    "vcpus",
    "disk",
    "OS-FLV-EXT-DATA:ephemeral",
    "swap",
    "rxtx_factor",
    "os-flavor-access:is_public",
];

fn parse_flavor(body: &Value, version: Microversion) -> Result<Flavor, CloudError> {
    let object = body
        .get("flavor")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("flavor", "'flavor' is a required property"))?;
    let described = version >= Microversion(2, 55);
    if let Some(unknown) = object
        .keys()
        .find(|k| !(FLAVOR_KEYS.contains(&k.as_str()) || described && k.as_str() == "description"))
    {
        return Err(invalid(
            "flavor",
            format!("Additional properties are not allowed ('{unknown}' was unexpected)"),
        ));
    }
    let name = object
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().count() <= 255)
        .ok_or_else(|| {
            invalid(
                "name",
                "'name' is a required property of 1 to 255 characters",
            )
        })?;
    // A string or a whole number (kept as its text) of letters, digits and ` ._-`.
    let id = match object.get("id") {
        None | Some(Value::Null) => new_id(),
        Some(Value::String(id))
            if !id.is_empty()
                && id.len() <= 255
                && !id.starts_with(' ')
                && !id.ends_with(' ')
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " ._-".contains(c)) =>
        {
            id.clone()
        }
        Some(Value::Number(n)) if n.as_u64().is_some() => n.to_string(),
        Some(other) => return Err(invalid("id", format!("Value: {other}. Invalid flavor id"))),
    };
    let rxtx_factor = match object.get("rxtx_factor") {
        None => 1.0,
        Some(v) => v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .filter(|f| *f > 0.0)
            .ok_or_else(|| invalid("rxtx_factor", format!("Value: {v}")))?,
    };
    let is_public = match object.get("os-flavor-access:is_public") {
        None => true,
        Some(value) => boolean(value)
            .ok_or_else(|| invalid("os-flavor-access:is_public", format!("Value: {value}")))?,
    };
    let description = match object.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= 65535 => Some(s.clone()),
        Some(other) => return Err(invalid("description", format!("Value: {other}"))),
    };
    Ok(Flavor {
        id,
        name: name.to_string(),
        ram: whole(object, "ram", 1, None)?,
        vcpus: whole(object, "vcpus", 1, None)?,
        disk: whole(object, "disk", 0, None)?,
        ephemeral: whole(object, "OS-FLV-EXT-DATA:ephemeral", 0, Some(0))?,
        swap: whole(object, "swap", 0, Some(0))?,
        rxtx_factor,
        is_public,
        description,
        extra_specs: BTreeMap::new(),
        access: Vec::new(),
    })
}

/// `POST /flavors` -> 200 (admin).
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-manage:create"));
    }
    let made = parse_body::<Value>(&body)
        .and_then(|b| parse_flavor(&b, call.version))
        .and_then(|flavor| call.cloud.state().create_flavor(flavor));
    match made {
        Ok(flavor) => {
            Json(json!({"flavor": views::flavor_detail(&call.cloud, &flavor, call.version)}))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// `PUT /flavors/{id}` -> 200: the description (2.55, admin).
pub async fn update(
    call: Call<Microversion>,
    Path(flavor_id): Path<String>,
    body: Bytes,
) -> Response {
    if call.version < Microversion(2, 55) {
        return fail(CloudError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "The method specified is not allowed for this resource.",
        ));
    }
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-manage:update"));
    }
    let updated = parse_body::<Value>(&body).and_then(|b| {
        let object = b
            .get("flavor")
            .and_then(Value::as_object)
            .filter(|o| o.len() == 1 && o.contains_key("description"))
            .ok_or_else(|| {
                invalid(
                    "flavor",
                    "'description' is the only property that may be updated",
                )
            })?;
        let description = match &object["description"] {
            Value::Null => None,
            Value::String(s) if s.chars().count() <= 65535 => Some(s.clone()),
            other => return Err(invalid("description", format!("Value: {other}"))),
        };
        call.cloud.state().describe_flavor(&flavor_id, description)
    });
    match updated {
        Ok(flavor) => {
            Json(json!({"flavor": views::flavor_detail(&call.cloud, &flavor, call.version)}))
                .into_response()
        }
        Err(error) => fail(error),
    }
}

/// `DELETE /flavors/{id}` -> 202 (admin).
pub async fn remove(call: Call, Path(flavor_id): Path<String>) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-manage:delete"));
    }
    match call.cloud.state().delete_flavor(&flavor_id) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
