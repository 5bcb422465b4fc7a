//! `GET /v2/schemas/{image,images,member,members}`: the JSON Schemas Glance publishes for its
//! documents (the `schema` links of image and member views point here).

use axum::{
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::fail;
use crate::openstack::error::CloudError;

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

fn image() -> Value {
    let statuses = [
        "queued",
        "saving",
        "active",
        "killed",
        "deleted",
        "uploading",
        "importing",
        "pending_delete",
        "deactivated",
    ];
    json!({
        "name": "image",
        "additionalProperties": {"type": "string"},
        "properties": {
            "id": {"type": "string", "description": "An identifier for the image"},
            "name": nullable("string"),
            "status": {"type": "string", "readOnly": true, "enum": statuses},
            "visibility": {"type": "string", "enum": ["community", "public", "private", "shared"]},
            "protected": {"type": "boolean"},
            "os_hidden": {"type": "boolean"},
            "checksum": nullable("string"),
            "os_hash_algo": nullable("string"),
            "os_hash_value": nullable("string"),
            "owner": nullable("string"),
            "size": nullable("integer"),
            "virtual_size": nullable("integer"),
            "container_format": {"type": ["null", "string"], "enum": [null, "ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]},
            "disk_format": {"type": ["null", "string"], "enum": [null, "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]},
            "created_at": {"type": "string", "readOnly": true},
            "updated_at": {"type": "string", "readOnly": true},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
            "min_ram": {"type": "integer"},
            "min_disk": {"type": "integer"},
            "self": {"type": "string", "readOnly": true},
            "file": {"type": "string", "readOnly": true},
            "schema": {"type": "string", "readOnly": true},
        },
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"}
        ],
    })
}

fn member() -> Value {
    json!({
        "name": "member",
        "properties": {
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "image_id": {"type": "string"},
            "member_id": {"type": "string"},
            "status": {"type": "string", "enum": ["pending", "accepted", "rejected"]},
            "schema": {"type": "string", "readOnly": true},
        },
    })
}

fn collection(name: &str, item: Value) -> Value {
    json!({
        "name": name,
        "properties": {
            name: {"type": "array", "items": item},
            "schema": {"type": "string"},
            "first": {"type": "string"},
            "next": {"type": "string"},
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"}
        ],
    })
}

/// `GET /v2/schemas/{name}`.
pub async fn show(headers: HeaderMap, Path(name): Path<String>) -> Response {
    let schema = match name.as_str() {
        "image" => image(),
        "images" => collection("images", image()),
        "member" => member(),
        "members" => collection("members", member()),
        _ => {
            return fail(
                &headers,
                CloudError::not_found("The resource could not be found."),
            )
        }
    };
    Json(schema).into_response()
}
