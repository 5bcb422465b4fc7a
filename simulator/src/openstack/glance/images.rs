//! `/v2/images`: list (paging envelope, filters), show, create, JSON-patch update, upload,
//! download and delete.

use std::{cmp::Ordering, collections::BTreeMap};

use axum::{
    extract::RawQuery,
    http::{header, HeaderMap},
};

use super::{accept::Accept, fail, views};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{check_formats, check_reserved, Image, ImageRequest, IMPORT_METHODS};

/// Default and largest page sizes (`limit_param_default`, `api_limit_max`).
const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 1000;

const CORE: [&str; 21] = [
    "id",
    "name",
    "status",
    "visibility",
    "protected",
    "os_hidden",
    "size",
    "virtual_size",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "disk_format",
    "container_format",
    "min_ram",
    "min_disk",
    "owner",
    "tags",
    "created_at",
    "updated_at",
    "self",
    "file",
];

fn property_string(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

/// `POST /v2/images` -> 201 with `Location` and the queued image.
pub async fn create(call: Call, accept: Accept, body: Bytes) -> Response {
    let body: Value = match parse_body(&body) {
        Ok(Value::Object(map)) => Value::Object(map),
        Ok(_) => {
            return fail(
                &accept,
                CloudError::bad_request("Request body must be a JSON object"),
            )
        }
        Err(error) => return fail(&accept, error),
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
    let number = |key: &str| body.get(key).and_then(Value::as_u64).unwrap_or(0) as u32;
    let mut properties = BTreeMap::new();
    if let Some(object) = body.as_object() {
        for (key, value) in object {
            if key == "schema" {
                return fail(
                    &accept,
                    CloudError::forbidden("Attribute 'schema' is read-only."),
                );
            }
            if !CORE.contains(&key.as_str()) && key != "tags" {
                if let Err(error) = check_reserved(key) {
                    return fail(&accept, error);
                }
                properties.insert(key.clone(), property_string(value));
            }
        }
    }
    let owner = text("owner").filter(|o| *o != *call.scope.project_id);
    if let Some(owner) = owner.as_deref().filter(|_| !call.scope.admin) {
        return fail(
            &accept,
            CloudError::forbidden(format!(
                "You are not permitted to create images owned by '{owner}'."
            )),
        );
    }
    let request = ImageRequest {
        id: text("id"),
        owner,
        os_hidden: body
            .get("os_hidden")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        name: text("name"),
        visibility: text("visibility"),
        protected: body
            .get("protected")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        disk_format: text("disk_format"),
        container_format: text("container_format"),
        min_disk: number("min_disk"),
        min_ram: number("min_ram"),
        tags: body
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        properties: properties.into(),
    };
    let now = call.cloud.clock().now_ms();
    let created = call
        .cloud
        .state()
        .create_image(&call.scope.project_id, request, now);
    match created {
        Ok(image) => {
            let location = format!("{}/image/v2/images/{}", call.cloud.public_url(), image.id);
            (
                StatusCode::CREATED,
                [
                    (header::LOCATION, location),
                    (
                        header::HeaderName::from_static("openstack-image-import-methods"),
                        IMPORT_METHODS.join(","),
                    ),
                ],
                Json(views::image(&call.cloud, &image)),
            )
                .into_response()
        }
        Err(error) => fail(&accept, error),
    }
}

/// Keys Glance sorts images by.
const SORT_KEYS: [&str; 12] = [
    "created_at",
    "updated_at",
    "id",
    "name",
    "size",
    "status",
    "visibility",
    "owner",
    "disk_format",
    "container_format",
    "min_disk",
    "min_ram",
];

/// The sort keys and directions: `sort=k1:dir,k2` or `sort_key=k1&sort_key=k2&sort_dir=dir`;
/// `created_at` descending by default, and `id` last to make the order total.
fn sort_order(
    sort: Option<&str>,
    sort_keys: &[String],
    sort_dir: Option<&str>,
) -> Result<Vec<(String, bool)>, CloudError> {
    let direction = |dir: Option<&str>| match dir.unwrap_or("desc") {
        "desc" => Ok(true),
        "asc" => Ok(false),
        other => Err(CloudError::bad_request(format!(
            "Invalid sort direction: {other}. It must be one of the following: asc, desc."
        ))),
    };
    let mut order: Vec<(String, bool)> = match sort {
        Some(sort) => sort
            .split(',')
            .map(|entry| {
                let (key, dir) = match entry.split_once(':') {
                    Some((key, dir)) => (key.trim(), Some(dir.trim())),
                    None => (entry.trim(), None),
                };
                Ok((key.to_string(), direction(dir)?))
            })
            .collect::<Result<_, CloudError>>()?,
        None if sort_keys.is_empty() => vec![("created_at".to_string(), direction(sort_dir)?)],
        None => sort_keys
            .iter()
            .map(|key| Ok((key.clone(), direction(sort_dir)?)))
            .collect::<Result<_, CloudError>>()?,
    };
    if let Some((key, _)) = order
        .iter()
        .find(|(key, _)| !SORT_KEYS.contains(&key.as_str()))
    {
        return Err(CloudError::bad_request(format!(
            "Invalid sort key: {key}. It should be one of the following: {}.",
            SORT_KEYS.join(", ")
        )));
    }
    if !order.iter().any(|(key, _)| key == "id") {
        let last = order.last().is_none_or(|(_, descending)| *descending);
        order.push(("id".to_string(), last));
    }
    Ok(order)
}

/// The value an image sorts by for `key` (numbers before text, `None` first).
fn sort_value<'a>(image: &'a Image, key: &str) -> (Option<u64>, Option<&'a str>) {
    match key {
        "created_at" => (Some(image.created_ms), None),
        "updated_at" => (Some(image.updated_ms), None),
        "size" => (image.size, None),
        "min_disk" => (Some(u64::from(image.min_disk)), None),
        "min_ram" => (Some(u64::from(image.min_ram)), None),
        "id" => (None, Some(&image.id)),
        "name" => (None, image.name.as_deref()),
        "status" => (None, Some(&image.status)),
        "visibility" => (None, Some(&image.visibility)),
        "owner" => (None, Some(&image.owner)),
        "disk_format" => (None, image.disk_format.as_deref()),
        _ => (None, image.container_format.as_deref()),
    }
}

fn matches_filter(image: &Image, key: &str, wanted: &str) -> bool {
    let size_bound = |wanted: &str| wanted.parse::<u64>().ok();
    match key {
        "size" => return image.size.is_some() && image.size == size_bound(wanted),
        "size_min" => {
            return image
                .size
                .zip(size_bound(wanted))
                .is_some_and(|(s, m)| s >= m)
        }
        "size_max" => {
            return image
                .size
                .zip(size_bound(wanted))
                .is_some_and(|(s, m)| s <= m)
        }
        _ => {}
    }
    let value: Option<&str> = match key {
        "name" => image.name.as_deref(),
        "status" => Some(&image.status),
        "visibility" => Some(&image.visibility),
        "owner" => Some(&image.owner),
        "disk_format" => image.disk_format.as_deref(),
        "container_format" => image.container_format.as_deref(),
        "id" => Some(&image.id),
        other => image.properties.get(other).map(String::as_str),
    };
    match wanted.strip_prefix("in:") {
        Some(list) => value.is_some_and(|v| list.split(',').any(|w| w.trim_matches('"') == v)),
        None => value == Some(wanted),
    }
}

/// `GET /v2/images`: `{"images", "first", "schema", "next"?}`.
pub async fn list(call: Call, accept: Accept, RawQuery(raw): RawQuery) -> Response {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut limit = DEFAULT_LIMIT;
    let mut marker = None;
    let (mut sort, mut sort_keys, mut sort_dir) = (None, Vec::new(), None);
    let mut hidden = false;
    let mut tags = Vec::new();
    let mut filters = Vec::new();
    let mut visibility = None;
    let mut member_status = "accepted".to_string();
    for (key, value) in &params {
        match key.as_str() {
            "limit" => match value.parse::<usize>() {
                Ok(l) => limit = l.min(MAX_LIMIT),
                Err(_) => {
                    return fail(
                        &accept,
                        CloudError::bad_request("limit param must be an integer"),
                    )
                }
            },
            "marker" => marker = Some(value.clone()),
            "sort_dir" => sort_dir = Some(value.clone()),
            "sort_key" => sort_keys.push(value.clone()),
            "sort" => sort = Some(value.clone()),
            "member_status" => member_status = value.clone(),
            "tag" => tags.push(value.clone()),
            "visibility" => visibility = Some(value.clone()),
            "os_hidden" => hidden = value.eq_ignore_ascii_case("true"),
            _ => filters.push((key.clone(), value.clone())),
        }
    }
    let order = match sort_order(sort.as_deref(), &sort_keys, sort_dir.as_deref()) {
        Ok(order) => order,
        Err(error) => return fail(&accept, error),
    };
    let state = call.cloud.state();
    let mut images: Vec<&Image> = state
        .images
        .values()
        .map(Box::as_ref)
        .filter(|i| {
            // Shared with the caller, answered as the `member_status` filter asks (default
            // `accepted`).
            let shared_with_me = i.visibility == "shared"
                && i.member(&call.scope.project_id)
                    .is_some_and(|m| member_status == "all" || m.status == member_status);
            match visibility.as_deref() {
                None => {
                    i.owner == *call.scope.project_id || i.visibility == "public" || shared_with_me
                }
                Some("all") => {
                    i.owner == *call.scope.project_id
                        || i.visibility == "public"
                        || i.visibility == "community"
                        || shared_with_me
                }
                Some("shared") => {
                    i.visibility == "shared"
                        && (i.owner == *call.scope.project_id || shared_with_me)
                }
                Some(v) => {
                    i.visibility == v
                        && (i.owner == *call.scope.project_id || v == "public" || v == "community")
                }
            }
        })
        .filter(|i| filters.iter().all(|(k, v)| matches_filter(i, k, v)))
        .filter(|i| tags.iter().all(|t| i.tags.contains(t)))
        .filter(|i| i.os_hidden == hidden)
        .collect();
    images.sort_by(|a, b| {
        order
            .iter()
            .fold(Ordering::Equal, |so_far, (key, descending)| {
                so_far.then_with(|| {
                    let ordering = sort_value(a, key).cmp(&sort_value(b, key));
                    if *descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
            })
    });
    if let Some(marker) = &marker {
        match images.iter().position(|i| &i.id == marker) {
            Some(position) => {
                images.drain(..=position);
            }
            None => {
                return fail(
                    &accept,
                    CloudError::bad_request(format!("marker could not be found: {marker}")),
                )
            }
        }
    }
    images.truncate(limit);
    let without_marker: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "marker")
        .cloned()
        .collect();
    let encode = |pairs: &[(String, String)]| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let first_query = encode(&without_marker);
    let first = if first_query.is_empty() {
        "/v2/images".to_string()
    } else {
        format!("/v2/images?{first_query}")
    };
    let mut body = json!({
        "images": images.iter().map(|i| views::image(&call.cloud, i)).collect::<Vec<_>>(),
        "first": first,
        "schema": "/v2/schemas/images",
    });
    if images.len() == limit && limit > 0 {
        if let Some(last) = images.last() {
            let mut next = without_marker.clone();
            next.push(("marker".to_string(), last.id.clone()));
            body["next"] = json!(format!("/v2/images?{}", encode(&next)));
        }
    }
    Json(body).into_response()
}

/// `GET /v2/images/{id}`.
pub async fn show(call: Call, accept: Accept, Path(image_id): Path<String>) -> Response {
    let state = call.cloud.state();
    // The cloud admin may look at any image.
    let found = if call.scope.admin {
        state.images.get(&image_id).map(Box::as_ref)
    } else {
        state.visible_image(&call.scope.project_id, &image_id)
    };
    match found {
        Some(image) => Json(views::image(&call.cloud, image)).into_response(),
        None => fail(
            &accept,
            CloudError::not_found(format!("No image found with ID {image_id}")),
        ),
    }
}

/// `DELETE /v2/images/{id}` -> 204; 404 unknown, 403 protected or another project's (except
/// for the cloud admin).
pub async fn remove(call: Call, accept: Accept, Path(image_id): Path<String>) -> Response {
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    // The cloud admin deletes any project's image as its owner would.
    let project = match state.images.get(&image_id) {
        Some(image) if call.scope.admin => image.owner.clone(),
        _ => call.scope.project_id.to_string(),
    };
    match state.delete_image(&project, &image_id, now) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}

const PATCH_OPS: [&str; 3] = ["add", "remove", "replace"];

/// The operation and path of one change of a PATCH body, in the form its media type gives:
/// `openstack-images-v2.1-json-patch` names them `op` and `path` (RFC 6902), the older
/// `openstack-images-v2.0-json-patch` uses the operation's name as the key of the path.
fn change_of(change: &Value, v20: bool) -> Result<(&str, &str), CloudError> {
    let missing = |what: &str| {
        CloudError::bad_request(format!("Unable to find '{what}' in JSON Schema change"))
    };
    if v20 {
        let mut found = PATCH_OPS
            .iter()
            .filter_map(|op| change.get(*op).map(|path| (*op, path)));
        let (op, path) = found.next().ok_or_else(|| {
            CloudError::bad_request(format!(
                "Unable to find `op` in JSON Schema change. It must be one of the following: {}.",
                PATCH_OPS.join(", ")
            ))
        })?;
        if found.next().is_some() {
            return Err(CloudError::bad_request(
                "Operation objects must contain only one member named \"add\", \"remove\", or \"replace\".",
            ));
        }
        let path = path.as_str().ok_or_else(|| missing("path"))?;
        return Ok((op, path));
    }
    let op = change
        .get("op")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("op"))?;
    let path = change
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("path"))?;
    Ok((op, path))
}

/// `PATCH /v2/images/{id}` with an `openstack-images-v2.1-json-patch` or
/// `openstack-images-v2.0-json-patch` body.
pub async fn update(
    call: Call,
    accept: Accept,
    headers: HeaderMap,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let operations: Vec<Value> = match parse_body(&body) {
        Ok(ops) => ops,
        Err(error) => return fail(&accept, error),
    };
    let now = call.cloud.clock().now_ms();
    let mut state = call.cloud.state();
    let Some(image) = state
        .images
        .get_mut(&image_id)
        .filter(|i| i.owner == *call.scope.project_id || call.scope.admin)
    else {
        return fail(
            &accept,
            CloudError::not_found(format!("No image found with ID {image_id}")),
        );
    };
    let v20 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("openstack-images-v2.0-json-patch"));
    for operation in &operations {
        let (op, key) = match change_of(operation, v20) {
            Ok(change) => change,
            Err(error) => return fail(&accept, error),
        };
        let key = key.trim_start_matches('/');
        let value = operation.get("value").cloned().unwrap_or(Value::Null);
        match (op, key) {
            ("replace" | "add", "name") => image.name = value.as_str().map(str::to_string),
            ("replace" | "add", "visibility") => image.visibility = property_string(&value).into(),
            ("replace" | "add", "protected") => image.protected = value.as_bool().unwrap_or(false),
            ("replace" | "add", "min_disk") => image.min_disk = value.as_u64().unwrap_or(0) as u32,
            ("replace" | "add", "min_ram") => image.min_ram = value.as_u64().unwrap_or(0) as u32,
            ("replace" | "add", "disk_format") => {
                if let Err(error) = check_formats(value.as_str(), None) {
                    return fail(&accept, error);
                }
                image.disk_format = value.as_str().map(Into::into)
            }
            ("replace" | "add", "container_format") => {
                if let Err(error) = check_formats(None, value.as_str()) {
                    return fail(&accept, error);
                }
                image.container_format = value.as_str().map(Into::into)
            }
            ("replace" | "add", "os_hidden") => image.os_hidden = value.as_bool().unwrap_or(false),
            ("replace" | "add", "owner") if call.scope.admin => {
                image.owner = property_string(&value);
            }
            ("replace" | "add", "tags") => {
                image.tags = value
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            }
            (_, core) if CORE.contains(&core) => {
                return fail(
                    &accept,
                    CloudError::forbidden(format!("Attribute '{core}' is read-only.")),
                );
            }
            ("replace" | "add", property) => {
                if let Err(error) = check_reserved(property) {
                    return fail(&accept, error);
                }
                image
                    .properties
                    .insert(property.to_string(), property_string(&value));
            }
            ("remove", property) => {
                if image.properties.remove(property).is_none() {
                    return fail(
                        &accept,
                        CloudError::conflict(format!("Property {property} does not exist.")),
                    );
                }
            }
            (other, _) => {
                return fail(
                    &accept,
                    CloudError::bad_request(format!("Invalid operation: `{other}`")),
                )
            }
        }
    }
    image.updated_ms = now;
    let view = views::image(&call.cloud, image);
    Json(view).into_response()
}

/// `PUT /v2/images/{id}/file` -> 204; the image goes saving -> active.
pub async fn upload(
    call: Call,
    accept: Accept,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    match call.cloud.state().upload_image(
        &call.scope.project_id,
        &image_id,
        body,
        call.fate,
        call.cloud.clock(),
    ) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// `GET /v2/images/{id}/file`: 200 with the image's data (uploaded, or the document of the disk
/// a server snapshot holds) and its MD5 in `Content-MD5` as Glance sends it; 204 No Content for
/// an image without data, as Glance answers.
pub async fn download(call: Call, accept: Accept, Path(image_id): Path<String>) -> Response {
    match call
        .cloud
        .state()
        .visible_image(&call.scope.project_id, &image_id)
    {
        Some(image) if image.status == "deactivated" && !call.scope.admin => fail(
            &accept,
            CloudError::forbidden(
                "The requested image has been deactivated. Image data download is prohibited.",
            ),
        ),
        // Staged data is not the image's yet.
        Some(image) => match image
            .bytes()
            .filter(|_| matches!(image.status.as_str(), "active" | "deactivated"))
        {
            Some(data) => {
                let mut answer =
                    ([(header::CONTENT_TYPE, "application/octet-stream")], data).into_response();
                if let Some(md5) = image
                    .checksum
                    .as_deref()
                    .and_then(|c| header::HeaderValue::from_str(c).ok())
                {
                    answer
                        .headers_mut()
                        .insert(header::HeaderName::from_static("content-md5"), md5);
                }
                answer
            }
            None => StatusCode::NO_CONTENT.into_response(),
        },
        None => fail(
            &accept,
            CloudError::not_found(format!("No image found with ID {image_id}")),
        ),
    }
}
