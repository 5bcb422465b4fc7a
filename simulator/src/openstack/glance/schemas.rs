//! `GET /v2/schemas/{name}` and `GET /v2/schemas/metadefs/{name}`: the JSON Schemas Glance
//! publishes for its documents (the `schema` links of its views point here), as a Glance
//! with one store and no custom image properties serves them (`schema_documents/`).

use axum::http::header;

use super::{accept::Accept, fail};
use crate::openstack::handler_prelude::*;

/// Each schema's name and document.
const SCHEMAS: [(&str, &str); 16] = [
    ("image", include_str!("schema_documents/image.json")),
    ("images", include_str!("schema_documents/images.json")),
    ("member", include_str!("schema_documents/member.json")),
    ("members", include_str!("schema_documents/members.json")),
    ("task", include_str!("schema_documents/task.json")),
    ("tasks", include_str!("schema_documents/tasks.json")),
    (
        "metadefs/namespace",
        include_str!("schema_documents/metadefs-namespace.json"),
    ),
    (
        "metadefs/namespaces",
        include_str!("schema_documents/metadefs-namespaces.json"),
    ),
    (
        "metadefs/resource_type",
        include_str!("schema_documents/metadefs-resource_type.json"),
    ),
    (
        "metadefs/resource_types",
        include_str!("schema_documents/metadefs-resource_types.json"),
    ),
    (
        "metadefs/property",
        include_str!("schema_documents/metadefs-property.json"),
    ),
    (
        "metadefs/properties",
        include_str!("schema_documents/metadefs-properties.json"),
    ),
    (
        "metadefs/object",
        include_str!("schema_documents/metadefs-object.json"),
    ),
    (
        "metadefs/objects",
        include_str!("schema_documents/metadefs-objects.json"),
    ),
    (
        "metadefs/tag",
        include_str!("schema_documents/metadefs-tag.json"),
    ),
    (
        "metadefs/tags",
        include_str!("schema_documents/metadefs-tags.json"),
    ),
];

fn answer(accept: &Accept, name: &str) -> Response {
    match SCHEMAS.iter().find(|(n, _)| *n == name) {
        Some((_, document)) => (
            [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
            *document,
        )
            .into_response(),
        None => fail(
            accept,
            CloudError::not_found("The resource could not be found."),
        ),
    }
}

/// `GET /v2/schemas/{name}`.
pub async fn show(accept: Accept, Path(name): Path<String>) -> Response {
    answer(&accept, &name)
}

/// `GET /v2/schemas/metadefs/{name}`.
pub async fn show_metadef(accept: Accept, Path(name): Path<String>) -> Response {
    answer(&accept, &format!("metadefs/{name}"))
}
