//! What a metadata definition namespace holds: resource type associations
//! (`/v2/metadefs/resource_types`, `/namespaces/{ns}/resource_types`), properties, objects and
//! tags, each with list, show, create, update and delete (one or all).

use axum::{extract::State, http::HeaderMap};

use super::{
    accept::Accept,
    fail,
    metadef_namespaces::{association, caller, object_fields},
    metadef_views::{
        self, check_writable, object, property_definition, required_name, schema_error,
    },
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{
    object_not_found, property_not_found, tag_not_found, CloudState, MetadefCaller,
    MetadefNamespace,
};

fn answer(accept: &Accept, status: StatusCode, result: Result<Value, CloudError>) -> Response {
    match result {
        Ok(body) => (status, Json(body)).into_response(),
        Err(error) => fail(accept, error),
    }
}

fn deleted(accept: &Accept, result: Result<(), CloudError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(accept, error),
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
pub async fn associations(call: Call, accept: Accept, Path(name): Path<String>) -> Response {
    let state = call.cloud.state();
    let found = state
        .metadef_namespace(caller(&call.scope), &name)
        .map(|n| {
            let all: Vec<Value> = n
                .resource_types
                .iter()
                .map(|a| metadef_views::association(&call.cloud, a))
                .collect();
            json!({ "resource_type_associations": all })
        });
    answer(&accept, StatusCode::OK, found)
}

/// `POST /v2/metadefs/namespaces/{ns}/resource_types` -> 201.
pub async fn associate(
    call: Call,
    accept: Accept,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| association(&body, now))
        .and_then(|a| {
            call.cloud
                .state()
                .associate_resource_type(caller(&call.scope), &name, a)
        })
        .map(|a| metadef_views::association(&call.cloud, &a));
    answer(&accept, StatusCode::CREATED, made)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/resource_types/{type}` -> 204.
pub async fn dissociate(
    call: Call,
    accept: Accept,
    Path((name, resource_type)): Path<(String, String)>,
) -> Response {
    let result =
        call.cloud
            .state()
            .dissociate_resource_type(caller(&call.scope), &name, &resource_type);
    deleted(&accept, result)
}

/// What a namespace holds of one kind (properties, objects, tags), as its list, show and
/// delete handlers see it.
pub trait Content: 'static {
    /// The list body of the namespace's contents of this kind.
    fn list(cloud: &Cloud, found: Found<'_>) -> Value;

    /// The view of content `name` of a namespace (404 when there is none).
    fn show(cloud: &Cloud, found: Found<'_>, name: &str) -> Result<Value, CloudError>;

    /// Deletes content `name` of namespace `ns`, or every one of this kind with `None`.
    fn delete(state: &mut CloudState, on: On<'_>, name: Option<&str>) -> Result<(), CloudError>;
}

/// A namespace as asked for by name, and as found.
pub type Found<'a> = (&'a str, &'a MetadefNamespace);

/// Who asks, about which namespace.
pub type On<'a> = (MetadefCaller<'a>, &'a str);

/// `/properties`.
pub struct Properties;

impl Content for Properties {
    fn list(_: &Cloud, (_, namespace): Found<'_>) -> Value {
        json!({ "properties": namespace.properties })
    }

    fn show(_: &Cloud, (ns, namespace): Found<'_>, name: &str) -> Result<Value, CloudError> {
        namespace
            .properties
            .get(name)
            .map(|d| metadef_views::property(name, d))
            .ok_or_else(|| property_not_found(name, ns))
    }

    fn delete(state: &mut CloudState, on: On<'_>, name: Option<&str>) -> Result<(), CloudError> {
        state.delete_namespace_properties(on.0, on.1, name)
    }
}

/// `/objects`, newest first.
pub struct Objects;

impl Content for Objects {
    fn list(cloud: &Cloud, (ns, namespace): Found<'_>) -> Value {
        let all: Vec<Value> = namespace
            .objects
            .iter()
            .rev()
            .map(|o| metadef_views::metadef_object(cloud, ns, o))
            .collect();
        json!({"objects": all, "schema": "v2/schemas/metadefs/objects"})
    }

    fn show(cloud: &Cloud, (ns, namespace): Found<'_>, name: &str) -> Result<Value, CloudError> {
        let object = namespace.objects.iter().find(|o| o.name == name);
        object
            .map(|o| metadef_views::metadef_object(cloud, ns, o))
            .ok_or_else(|| object_not_found(name, ns))
    }

    fn delete(state: &mut CloudState, on: On<'_>, name: Option<&str>) -> Result<(), CloudError> {
        state.delete_namespace_objects(on.0, on.1, name)
    }
}

/// `/tags` (listed by name only).
pub struct Tags;

impl Content for Tags {
    fn list(_: &Cloud, (_, namespace): Found<'_>) -> Value {
        let all: Vec<Value> = namespace
            .tags
            .iter()
            .map(|t| json!({"name": t.name}))
            .collect();
        json!({ "tags": all })
    }

    fn show(cloud: &Cloud, (ns, namespace): Found<'_>, name: &str) -> Result<Value, CloudError> {
        let tag = namespace.tags.iter().find(|t| t.name == name);
        tag.map(|t| metadef_views::tag(cloud, t))
            .ok_or_else(|| tag_not_found(name, ns))
    }

    fn delete(state: &mut CloudState, on: On<'_>, name: Option<&str>) -> Result<(), CloudError> {
        state.delete_namespace_tags(on.0, on.1, name)
    }
}

/// `GET /v2/metadefs/namespaces/{ns}/{contents}`.
pub async fn list<C: Content>(call: Call, accept: Accept, Path(ns): Path<String>) -> Response {
    let state = call.cloud.state();
    let found = state
        .metadef_namespace(caller(&call.scope), &ns)
        .map(|namespace| C::list(&call.cloud, (&ns, namespace)));
    answer(&accept, StatusCode::OK, found)
}

/// `GET /v2/metadefs/namespaces/{ns}/{contents}/{name}`.
pub async fn show<C: Content>(
    call: Call,
    accept: Accept,
    Path((ns, name)): Path<(String, String)>,
) -> Response {
    let state = call.cloud.state();
    let found = state
        .metadef_namespace(caller(&call.scope), &ns)
        .and_then(|namespace| C::show(&call.cloud, (&ns, namespace), &name));
    answer(&accept, StatusCode::OK, found)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/{contents}/{name}` -> 204.
pub async fn delete_one<C: Content>(
    call: Call,
    accept: Accept,
    Path((ns, name)): Path<(String, String)>,
) -> Response {
    let on = (caller(&call.scope), ns.as_str());
    let result = C::delete(&mut call.cloud.state(), on, Some(&name));
    deleted(&accept, result)
}

/// `DELETE /v2/metadefs/namespaces/{ns}/{contents}` -> 204: every one of the kind.
pub async fn delete_all<C: Content>(
    call: Call,
    accept: Accept,
    Path(ns): Path<String>,
) -> Response {
    let on = (caller(&call.scope), ns.as_str());
    deleted(&accept, C::delete(&mut call.cloud.state(), on, None))
}

/// What a namespace holds of a kind a body creates or replaces one at a time (properties,
/// objects), as its create and update handlers see it.
pub trait Put: 'static {
    /// Stores the content of `body` in the namespace of `target` (in place of the content it
    /// names, which the body may rename) and gives its view.
    fn put(call: &Call, target: Target<'_>, body: &Bytes) -> Result<Value, CloudError>;
}

/// A namespace, and the content a body replaces there (`None`: it adds one).
pub type Target<'a> = (&'a str, Option<&'a str>);

impl Put for Properties {
    /// The body names the property (required) and defines it.
    fn put(call: &Call, (ns, replacing): Target<'_>, body: &Bytes) -> Result<Value, CloudError> {
        let body: Value = parse_body(body)?;
        let property = required_name(&body, "property")?;
        let definition = property_definition(&body)?;
        let view = metadef_views::property(&property, &definition);
        call.cloud.state().put_namespace_property(
            caller(&call.scope),
            ns,
            replacing,
            (property, definition),
        )?;
        Ok(view)
    }
}

impl Put for Objects {
    fn put(call: &Call, (ns, replacing): Target<'_>, body: &Bytes) -> Result<Value, CloudError> {
        let fields = parse_body::<Value>(body).and_then(|body| object_fields(&body))?;
        let now = call.cloud.clock().now_ms();
        let made = call.cloud.state().put_namespace_object(
            caller(&call.scope),
            ns,
            replacing,
            fields,
            now,
        )?;
        Ok(metadef_views::metadef_object(&call.cloud, ns, &made))
    }
}

/// `POST /v2/metadefs/namespaces/{ns}/{contents}` -> 201 with the new one.
pub async fn create<C: Put>(
    call: Call,
    accept: Accept,
    Path(ns): Path<String>,
    body: Bytes,
) -> Response {
    let made = C::put(&call, (&ns, None), &body);
    answer(&accept, StatusCode::CREATED, made)
}

/// `PUT /v2/metadefs/namespaces/{ns}/{contents}/{name}` -> 200 (may rename it).
pub async fn update<C: Put>(
    call: Call,
    accept: Accept,
    Path((ns, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let made = C::put(&call, (&ns, Some(&name)), &body);
    answer(&accept, StatusCode::OK, made)
}

/// `POST /v2/metadefs/namespaces/{ns}/tags` `{"tags": [{"name"}]}` -> 201: the namespace's
/// tags become these (added to them with `X-Openstack-Append: true`).
pub async fn create_tags(
    call: Call,
    accept: Accept,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let append = headers
        .get("x-openstack-append")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let now = call.cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| {
            let names: Vec<String> = body
                .get("tags")
                .and_then(Value::as_array)
                .ok_or_else(|| schema_error("tags", "'tags' is a required property"))?
                .iter()
                .map(|t| required_name(t, "tag"))
                .collect::<Result<_, _>>()?;
            call.cloud.state().put_namespace_tags(
                caller(&call.scope),
                &name,
                (None, !append),
                &names,
                now,
            )
        })
        .map(|made| {
            let all: Vec<Value> = made
                .iter()
                .map(|t| metadef_views::tag(&call.cloud, t))
                .collect();
            json!({ "tags": all })
        });
    answer(&accept, StatusCode::CREATED, made)
}

/// `POST /v2/metadefs/namespaces/{ns}/tags/{tag}` -> 201 with the tag.
pub async fn create_tag(
    call: Call,
    accept: Accept,
    Path((name, tag)): Path<(String, String)>,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let made = call
        .cloud
        .state()
        .put_namespace_tags(caller(&call.scope), &name, (None, false), &[tag], now)
        .map(|made| metadef_views::tag(&call.cloud, &made[0]));
    answer(&accept, StatusCode::CREATED, made)
}

/// `PUT /v2/metadefs/namespaces/{ns}/tags/{tag}` `{"name"}` -> 200: renamed.
pub async fn update_tag(
    call: Call,
    accept: Accept,
    Path((name, tag)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let made = parse_body::<Value>(&body)
        .and_then(|body| {
            check_writable(object(&body)?)?;
            let new = required_name(&body, "tag")?;
            call.cloud.state().put_namespace_tags(
                caller(&call.scope),
                &name,
                (Some(&tag), false),
                &[new],
                now,
            )
        })
        .map(|made| metadef_views::tag(&call.cloud, &made[0]));
    answer(&accept, StatusCode::OK, made)
}
