//! What a metadata definition namespace holds: resource type associations
//! (`/v2/metadefs/resource_types`, `/namespaces/{ns}/resource_types`), properties, objects and
//! tags, each with list, show, create, update and delete (one or all).

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::{json, Value};

use super::{
    fail,
    metadef_namespaces::{association, caller, object_fields},
    metadef_views::{self, check_writable, object, property_definition, schema_error},
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    gateway::{parse_body, Scope},
    model::{object_not_found, property_not_found, tag_not_found, PropertyDefinition},
};

fn answer(headers: &HeaderMap, status: StatusCode, result: Result<Value, CloudError>) -> Response {
    match result {
        Ok(body) => (status, Json(body)).into_response(),
        Err(error) => fail(headers, error),
    }
}

fn deleted(headers: &HeaderMap, result: Result<(), CloudError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(headers, error),
    }
}

/// `GET /v2/metadefs/resource_types`: every resource type Glance knows.
pub async fn resource_types(State(cloud): State<Cloud>) -> Json<Value> {
    let state = cloud.state();
    let all: Vec<Value> = state
        .metadef_resource_types
        .values()
        .map(|t| metadef_views::resource_type(&cloud, t))
        .collect();
    Json(json!({ "resource_types": all }))
}

/// `GET /v2/metadefs/namespaces/{ns}/resource_types`.
pub async fn associations(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let state = cloud.state();
    let found = state.metadef_namespace(caller(&scope), &name).map(|n| {
        let all: Vec<Value> = n
            .resource_types
            .iter()
            .map(|a| metadef_views::association(&cloud, a))
            .collect();
        json!({ "resource_type_associations": all })
    });
    answer(&headers, StatusCode::OK, found)
}

/// `POST /v2/metadefs/namespaces/{ns}/resource_types` -> 201.
pub async fn associate(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| association(&body, now))
        .and_then(|a| {
            cloud
                .state()
                .associate_resource_type(caller(&scope), &name, a)
        })
        .map(|a| metadef_views::association(&cloud, &a));
    answer(&headers, StatusCode::CREATED, made)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/resource_types/{type}` -> 204.
pub async fn dissociate(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, resource_type)): Path<(String, String)>,
) -> Response {
    let result = cloud
        .state()
        .dissociate_resource_type(caller(&scope), &name, &resource_type);
    deleted(&headers, result)
}

/// `GET /v2/metadefs/namespaces/{ns}/properties`.
pub async fn properties(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let state = cloud.state();
    let found = state
        .metadef_namespace(caller(&scope), &name)
        .map(|n| json!({ "properties": n.properties }));
    answer(&headers, StatusCode::OK, found)
}

/// `GET /v2/metadefs/namespaces/{ns}/properties/{property}`.
pub async fn property(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, property)): Path<(String, String)>,
) -> Response {
    let state = cloud.state();
    let found = state
        .metadef_namespace(caller(&scope), &name)
        .and_then(|n| {
            n.properties
                .get(&property)
                .map(|d| metadef_views::property(&property, d))
                .ok_or_else(|| property_not_found(&property, &name))
        });
    answer(&headers, StatusCode::OK, found)
}

/// A property of a body: its name (required) and definition.
fn named_property(body: &Bytes) -> Result<(String, PropertyDefinition), CloudError> {
    let body: Value = parse_body(body)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| schema_error("property", "'name' is a required property"))?;
    Ok((name, property_definition(&body)?))
}

/// `POST /v2/metadefs/namespaces/{ns}/properties` -> 201 with the property.
pub async fn create_property(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let made = named_property(&body).and_then(|(property, definition)| {
        let view = metadef_views::property(&property, &definition);
        cloud.state().put_namespace_property(
            caller(&scope),
            &name,
            None,
            (property, definition),
        )?;
        Ok(view)
    });
    answer(&headers, StatusCode::CREATED, made)
}

/// `PUT /v2/metadefs/namespaces/{ns}/properties/{property}` -> 200 (may rename it).
pub async fn update_property(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, old)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let made = named_property(&body).and_then(|(property, definition)| {
        let view = metadef_views::property(&property, &definition);
        cloud.state().put_namespace_property(
            caller(&scope),
            &name,
            Some(&old),
            (property, definition),
        )?;
        Ok(view)
    });
    answer(&headers, StatusCode::OK, made)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/properties/{property}` -> 204.
pub async fn delete_property(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, property)): Path<(String, String)>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_properties(caller(&scope), &name, Some(&property));
    deleted(&headers, result)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/properties` -> 204: every property.
pub async fn delete_properties(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_properties(caller(&scope), &name, None);
    deleted(&headers, result)
}

/// `GET /v2/metadefs/namespaces/{ns}/objects`.
pub async fn objects(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let state = cloud.state();
    let found = state.metadef_namespace(caller(&scope), &name).map(|n| {
        let all: Vec<Value> = n
            .objects
            .iter()
            .rev()
            .map(|o| metadef_views::metadef_object(&cloud, &name, o))
            .collect();
        json!({"objects": all, "schema": "v2/schemas/metadefs/objects"})
    });
    answer(&headers, StatusCode::OK, found)
}

/// `GET /v2/metadefs/namespaces/{ns}/objects/{object}`.
pub async fn show_object(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, object)): Path<(String, String)>,
) -> Response {
    let state = cloud.state();
    let found = state
        .metadef_namespace(caller(&scope), &name)
        .and_then(|n| {
            n.objects
                .iter()
                .find(|o| o.name == object)
                .map(|o| metadef_views::metadef_object(&cloud, &name, o))
                .ok_or_else(|| object_not_found(&object, &name))
        });
    answer(&headers, StatusCode::OK, found)
}

/// `POST /v2/metadefs/namespaces/{ns}/objects` -> 201, or `PUT .../objects/{object}` -> 200.
fn put_object(
    cloud: &Cloud,
    scope: &Scope,
    name: &str,
    replacing: Option<&str>,
    body: &Bytes,
) -> Result<Value, CloudError> {
    let fields = parse_body::<Value>(body).and_then(|body| object_fields(&body))?;
    let now = cloud.clock().now_ms();
    let made = cloud
        .state()
        .put_namespace_object(caller(scope), name, replacing, fields, now)?;
    Ok(metadef_views::metadef_object(cloud, name, &made))
}

/// `POST /v2/metadefs/namespaces/{ns}/objects` -> 201.
pub async fn create_object(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let made = put_object(&cloud, &scope, &name, None, &body);
    answer(&headers, StatusCode::CREATED, made)
}

/// `PUT /v2/metadefs/namespaces/{ns}/objects/{object}` -> 200 (may rename it).
pub async fn update_object(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, object)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let made = put_object(&cloud, &scope, &name, Some(&object), &body);
    answer(&headers, StatusCode::OK, made)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/objects/{object}` -> 204.
pub async fn delete_object(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, object)): Path<(String, String)>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_objects(caller(&scope), &name, Some(&object));
    deleted(&headers, result)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/objects` -> 204: every object.
pub async fn delete_objects(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_objects(caller(&scope), &name, None);
    deleted(&headers, result)
}

/// `GET /v2/metadefs/namespaces/{ns}/tags` (names only).
pub async fn tags(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let state = cloud.state();
    let found = state.metadef_namespace(caller(&scope), &name).map(|n| {
        let all: Vec<Value> = n.tags.iter().map(|t| json!({"name": t.name})).collect();
        json!({ "tags": all })
    });
    answer(&headers, StatusCode::OK, found)
}

/// `GET /v2/metadefs/namespaces/{ns}/tags/{tag}`.
pub async fn show_tag(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, tag)): Path<(String, String)>,
) -> Response {
    let state = cloud.state();
    let found = state
        .metadef_namespace(caller(&scope), &name)
        .and_then(|n| {
            n.tags
                .iter()
                .find(|t| t.name == tag)
                .map(|t| metadef_views::tag(&cloud, t))
                .ok_or_else(|| tag_not_found(&tag, &name))
        });
    answer(&headers, StatusCode::OK, found)
}

/// `POST /v2/metadefs/namespaces/{ns}/tags` `{"tags": [{"name"}]}` -> 201: the namespace's
/// tags become these (added to them with `X-Openstack-Append: true`).
pub async fn create_tags(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let append = headers
        .get("x-openstack-append")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let now = cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| {
            let names: Vec<String> = body
                .get("tags")
                .and_then(Value::as_array)
                .ok_or_else(|| schema_error("tags", "'tags' is a required property"))?
                .iter()
                .map(|t| {
                    t.get("name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| schema_error("tag", "'name' is a required property"))
                })
                .collect::<Result<_, _>>()?;
            cloud
                .state()
                .put_namespace_tags(caller(&scope), &name, (None, !append), &names, now)
        })
        .map(|made| {
            let all: Vec<Value> = made.iter().map(|t| metadef_views::tag(&cloud, t)).collect();
            json!({ "tags": all })
        });
    answer(&headers, StatusCode::CREATED, made)
}

/// `POST /v2/metadefs/namespaces/{ns}/tags/{tag}` -> 201 with the tag.
pub async fn create_tag(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, tag)): Path<(String, String)>,
) -> Response {
    let now = cloud.clock().now_ms();
    let made = cloud
        .state()
        .put_namespace_tags(caller(&scope), &name, (None, false), &[tag], now)
        .map(|made| metadef_views::tag(&cloud, &made[0]));
    answer(&headers, StatusCode::CREATED, made)
}

/// `PUT /v2/metadefs/namespaces/{ns}/tags/{tag}` `{"name"}` -> 200: renamed.
pub async fn update_tag(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, tag)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| {
            let object = object(&body)?.clone();
            check_writable(&object)?;
            let new = object
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| schema_error("tag", "'name' is a required property"))?;
            cloud.state().put_namespace_tags(
                caller(&scope),
                &name,
                (Some(&tag), false),
                &[new],
                now,
            )
        })
        .map(|made| metadef_views::tag(&cloud, &made[0]));
    answer(&headers, StatusCode::OK, made)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/tags/{tag}` -> 204.
pub async fn delete_tag(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((name, tag)): Path<(String, String)>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_tags(caller(&scope), &name, Some(&tag));
    deleted(&headers, result)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/tags` -> 204: every tag.
pub async fn delete_tags(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let result = cloud
        .state()
        .delete_namespace_tags(caller(&scope), &name, None);
    deleted(&headers, result)
}
