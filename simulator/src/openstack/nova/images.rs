//! Nova's image proxy to Glance (`/images`, `/images/detail`, `/images/{id}` and its
//! `metadata`), served below microversion 2.36 as Nova does; from 2.36 on these paths are 404.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{fail, views::stamp};
use crate::openstack::handler_prelude::*;
use crate::openstack::{
    model::{CloudState, Image, ImageProperties},
    wire::{next_links, string_map},
};

/// The first microversion without the image proxy.
const REMOVED_IN: Microversion = Microversion(2, 36);

fn gone(version: Microversion) -> Result<(), CloudError> {
    if version >= REMOVED_IN {
        Err(CloudError::not_found("The resource could not be found."))
    } else {
        Ok(())
    }
}

fn image_not_found() -> CloudError {
    CloudError::not_found("Image not found.")
}

/// Nova's name for a Glance status.
fn status(glance: &str) -> &'static str {
    match glance {
        "active" => "ACTIVE",
        "queued" | "saving" | "uploading" | "importing" => "SAVING",
        "killed" | "deactivated" => "ERROR",
        "deleted" | "pending_delete" => "DELETED",
        _ => "UNKNOWN",
    }
}

fn progress(glance: &str) -> u32 {
    match glance {
        "queued" => 25,
        "saving" | "uploading" | "importing" => 50,
        "active" => 100,
        _ => 0,
    }
}

fn links(cloud: &Cloud, id: &str) -> Value {
    let base = cloud.public_url();
    json!([
        {"rel": "self", "href": format!("{base}/compute/v2.1/images/{id}")},
        {"rel": "bookmark", "href": format!("{base}/compute/images/{id}")},
        {"rel": "alternate", "type": "application/vnd.openstack.image",
         "href": format!("{base}/image/images/{id}")}
    ])
}

fn summary(cloud: &Cloud, image: &Image) -> Value {
    json!({"id": image.id, "name": image.name, "links": links(cloud, &image.id)})
}

fn detail(cloud: &Cloud, image: &Image) -> Value {
    let mut view = json!({
        "id": image.id,
        "name": image.name,
        "minRam": image.min_ram,
        "minDisk": image.min_disk,
        "metadata": image.properties,
        "created": stamp(cloud, image.created_ms),
        "updated": stamp(cloud, image.updated_ms),
        "status": status(&image.status),
        "progress": progress(&image.status),
        "links": links(cloud, &image.id),
        "OS-EXT-IMG-SIZE:size": image.size,
    });
    if let Some(server_id) = image.properties.get("instance_uuid") {
        let base = cloud.public_url();
        view["server"] = json!({"id": server_id, "links": [
            {"rel": "self", "href": format!("{base}/compute/v2.1/servers/{server_id}")},
            {"rel": "bookmark", "href": format!("{base}/compute/servers/{server_id}")}
        ]});
    }
    view
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, CloudError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc())
        })
        .map_err(|_| CloudError::bad_request(format!("Invalid changes-since value: {text}")))
}

/// Nova's filters, mapped to Glance attributes as its proxy does: `name`, `status`,
/// `changes-since`, `server` (the `instance_uuid` property, a URL's last segment),
/// `type` (the `image_type` property), `minRam`, `minDisk`, and any `property-<key>`.
fn matches(
    cloud: &Cloud,
    image: &Image,
    query: &HashMap<String, String>,
) -> Result<bool, CloudError> {
    for (key, wanted) in query {
        let keep = match key.as_str() {
            "name" => image.name.as_deref() == Some(wanted.as_str()),
            "status" => image.status == wanted.to_ascii_lowercase(),
            "changes-since" => cloud.clock().wall(image.updated_ms) >= parse_time(wanted)?,
            "server" => {
                let server = wanted.rsplit('/').next().unwrap_or_default();
                image.properties.get("instance_uuid").map(String::as_str) == Some(server)
            }
            "type" => image.properties.get("image_type") == Some(wanted),
            "minRam" => wanted.parse().is_ok_and(|min: u32| image.min_ram >= min),
            "minDisk" => wanted.parse().is_ok_and(|min: u32| image.min_disk >= min),
            other => match other.strip_prefix("property-") {
                Some(property) => image.properties.get(property) == Some(wanted),
                None => true,
            },
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

fn listing(
    call: &Call<Microversion>,
    query: &HashMap<String, String>,
    detailed: bool,
) -> Result<Value, CloudError> {
    let (cloud, scope) = (&call.cloud, &call.scope);
    gone(call.version)?;
    let state = cloud.state();
    let mut visible = Vec::new();
    for image in state.images.values().map(Box::as_ref) {
        let seen = image.owner == *scope.project_id || image.visibility == "public";
        if seen && matches(cloud, image, query)? {
            visible.push(image);
        }
    }
    visible.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.id.cmp(&a.id)));
    if let Some(marker) = query.get("marker") {
        let position = visible
            .iter()
            .position(|i| &i.id == marker)
            .ok_or_else(|| CloudError::bad_request(format!("marker [{marker}] not found")))?;
        visible.drain(..=position);
    }
    let limit = match query.get("limit") {
        Some(text) => Some(text.parse::<usize>().map_err(|_| {
            CloudError::bad_request(format!(
                "Invalid input for field/attribute limit. Value: {text}"
            ))
        })?),
        None => None,
    };
    if let Some(limit) = limit {
        visible.truncate(limit);
    }
    let render = |image: &&Image| {
        if detailed {
            detail(cloud, image)
        } else {
            summary(cloud, image)
        }
    };
    let mut body = json!({"images": visible.iter().map(render).collect::<Vec<_>>()});
    if let (Some(limit), Some(last)) = (limit, visible.last()) {
        if visible.len() == limit {
            let suffix = if detailed { "images/detail" } else { "images" };
            let url = format!("{}/compute/v2.1/{suffix}", cloud.public_url());
            body["images_links"] = next_links(&url, query, &last.id);
        }
    }
    Ok(body)
}

/// 200 with `body`, or Nova's error.
fn answer(body: Result<Value, CloudError>) -> Response {
    match body {
        Ok(body) => Json(body).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /images` (`DETAILED` false) and `GET /images/detail` (`DETAILED` true).
pub async fn list<const DETAILED: bool>(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    answer(listing(&call, &query, DETAILED))
}

/// Image `image_id` as the caller sees it (its own or a public one), while the proxy serves.
fn visible<'a>(
    state: &'a CloudState,
    call: &Call<Microversion>,
    image_id: &str,
) -> Result<&'a Image, CloudError> {
    gone(call.version)?;
    state
        .visible_image(&call.scope.project_id, image_id)
        .ok_or_else(image_not_found)
}

/// `GET /images/{id}`.
pub async fn show(call: Call<Microversion>, Path(image_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match visible(&state, &call, &image_id) {
        Ok(image) => Json(json!({"image": detail(&call.cloud, image)})).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /images/{id}` -> 204.
pub async fn remove(call: Call<Microversion>, Path(image_id): Path<String>) -> Response {
    let now = call.cloud.clock().now_ms();
    let deleted = gone(call.version).and_then(|()| {
        call.cloud
            .state()
            .delete_image(&call.scope.project_id, &image_id, now)
            .map_err(|error| match error.status {
                StatusCode::NOT_FOUND => image_not_found(),
                _ => error,
            })
    });
    match deleted {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}

/// How a metadata call changes an image's properties.
enum Change {
    /// `POST /images/{id}/metadata`: add and overwrite.
    Merge(BTreeMap<String, String>),
    /// `PUT /images/{id}/metadata`: replace them all.
    Replace(BTreeMap<String, String>),
    /// `PUT /images/{id}/metadata/{key}`.
    Set(String, String),
    /// `DELETE /images/{id}/metadata/{key}`.
    Remove(String),
}

fn change_metadata(
    cloud: &Cloud,
    scope: &Scope,
    version: Microversion,
    image_id: &str,
    change: Change,
) -> Result<ImageProperties, CloudError> {
    gone(version)?;
    let now = cloud.clock().now_ms();
    let mut state = cloud.state();
    let image = state
        .own_image_mut(&scope.project_id, image_id)
        .ok_or_else(image_not_found)?;
    match change {
        Change::Merge(items) => image.properties.extend(items),
        Change::Replace(items) => image.properties = items.into(),
        Change::Set(key, value) => {
            image.properties.insert(key, value);
        }
        Change::Remove(key) => {
            image.properties.remove(&key).ok_or_else(image_not_found)?;
        }
    }
    image.updated_ms = now;
    Ok(image.properties.clone())
}

fn metadata_body(body: &Bytes, key: &str) -> Result<BTreeMap<String, String>, CloudError> {
    let value: Value = parse_body(body)?;
    let items = value
        .get(key)
        .filter(|m| m.is_object())
        .ok_or_else(|| CloudError::bad_request("Malformed request body"))?;
    Ok(string_map(Some(items)))
}

/// `GET /images/{id}/metadata`.
pub async fn metadata(call: Call<Microversion>, Path(image_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match visible(&state, &call, &image_id) {
        Ok(image) => Json(json!({"metadata": image.properties})).into_response(),
        Err(error) => fail(error),
    }
}

/// `POST /images/{id}/metadata {"metadata"}` (`REPLACE` false): adds to the properties;
/// `PUT` (`REPLACE` true): replaces them. Answers every property.
pub async fn change_all_metadata<const REPLACE: bool>(
    call: Call<Microversion>,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let change = if REPLACE {
        Change::Replace
    } else {
        Change::Merge
    };
    let changed = metadata_body(&body, "metadata").and_then(|items| {
        change_metadata(
            &call.cloud,
            &call.scope,
            call.version,
            &image_id,
            change(items),
        )
    });
    match changed {
        Ok(all) => Json(json!({"metadata": all})).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /images/{id}/metadata/{key}` -> `{"meta": {key: value}}`.
pub async fn metadata_item(
    call: Call<Microversion>,
    Path((image_id, key)): Path<(String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = visible(&state, &call, &image_id)
        .and_then(|image| image.properties.get(&key).ok_or_else(image_not_found));
    match found {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /images/{id}/metadata/{key} {"meta": {key: value}}`.
pub async fn set_metadata_item(
    call: Call<Microversion>,
    Path((image_id, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let item = metadata_body(&body, "meta").and_then(|items| {
        if items.len() != 1 {
            return Err(CloudError::bad_request(
                "Request body contains too many items",
            ));
        }
        match items.get(&key) {
            Some(value) => Ok(value.clone()),
            None => Err(CloudError::bad_request("Request body and URI mismatch")),
        }
    });
    let changed = item.and_then(|value| {
        change_metadata(
            &call.cloud,
            &call.scope,
            call.version,
            &image_id,
            Change::Set(key.clone(), value.clone()),
        )
        .map(|_| value)
    });
    match changed {
        Ok(value) => Json(json!({"meta": {key: value}})).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /images/{id}/metadata/{key}` -> 204.
pub async fn remove_metadata_item(
    call: Call<Microversion>,
    Path((image_id, key)): Path<(String, String)>,
) -> Response {
    match change_metadata(
        &call.cloud,
        &call.scope,
        call.version,
        &image_id,
        Change::Remove(key),
    ) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}
