//! `/v2/metadefs/namespaces`: list (visibility and resource type filters, paging), create
//! (with associations, properties, objects and tags in one go), show (with everything in it),
//! update (PUT) and delete (403 while protected); changes are the admin's.

use std::collections::HashMap;

use serde_json::Map;

use super::{
    accept::Accept,
    fail,
    metadef_views::{self, check_writable, object, required_name, schema_error, text},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{
    MetadefCaller, NamespaceFields, ObjectFields, ResourceTypeAssociation,
};

/// The caller of a token scope.
pub(super) fn caller(scope: &Scope) -> MetadefCaller<'_> {
    MetadefCaller {
        project_id: &scope.project_id,
        admin: scope.admin,
    }
}

/// The namespace fields of a body (`namespace` required).
fn fields(object: &Map<String, Value>) -> Result<NamespaceFields, CloudError> {
    let schema = "namespace";
    check_writable(object)?;
    let namespace = text(object, "namespace", 80, schema)?
        .ok_or_else(|| schema_error(schema, "'namespace' is a required property"))?;
    let visibility = text(object, "visibility", 255, schema)?;
    if let Some(visibility) = visibility.as_deref() {
        if visibility != "public" && visibility != "private" {
            return Err(schema_error(
                schema,
                format!("'{visibility}' is not one of ['public', 'private']"),
            ));
        }
    }
    let protected = match object.get("protected") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(schema_error(
                schema,
                format!("{other} is not of type 'boolean'"),
            ))
        }
    };
    Ok(NamespaceFields {
        namespace,
        display_name: text(object, "display_name", 80, schema)?,
        description: text(object, "description", 500, schema)?,
        visibility,
        protected,
        owner: text(object, "owner", 255, schema)?,
    })
}

/// An association of a body (`name` required).
pub(super) fn association(
    value: &Value,
    now_ms: u64,
) -> Result<ResourceTypeAssociation, CloudError> {
    let schema = "resource_type_association";
    let object = value
        .as_object()
        .ok_or_else(|| schema_error(schema, format!("{value} is not of type 'object'")))?;
    check_writable(object)?;
    Ok(ResourceTypeAssociation {
        name: text(object, "name", 80, schema)?
            .ok_or_else(|| schema_error(schema, "'name' is a required property"))?,
        prefix: text(object, "prefix", 80, schema)?,
        properties_target: text(object, "properties_target", 80, schema)?,
        created_ms: now_ms,
        updated_ms: now_ms,
    })
}

/// An object of a body (`name` required).
pub(super) fn object_fields(value: &Value) -> Result<ObjectFields, CloudError> {
    let schema = "object";
    let object = value
        .as_object()
        .ok_or_else(|| schema_error(schema, format!("{value} is not of type 'object'")))?;
    check_writable(object)?;
    let required = match object.get("required") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| schema_error(schema, format!("{i} is not of type 'string'")))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(schema_error(
                schema,
                format!("{other} is not of type 'array'"),
            ))
        }
    };
    Ok(ObjectFields {
        name: text(object, "name", 80, schema)?
            .ok_or_else(|| schema_error(schema, "'name' is a required property"))?,
        description: text(object, "description", 500, schema)?,
        required,
        properties: metadef_views::properties(object.get("properties"))?,
    })
}

fn list_of<'a>(object: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], CloudError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(schema_error(
            "namespace",
            format!("{other} is not of type 'array'"),
        )),
    }
}

/// `GET /v2/metadefs/namespaces` (`visibility`, `resource_types`, `limit`, `marker`).
pub async fn list(
    call: Call,
    accept: Accept,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(visibility) = query.get("visibility") {
        if visibility != "public" && visibility != "private" {
            return fail(
                &accept,
                CloudError::bad_request(format!("Invalid visibility value: {visibility}")),
            );
        }
    }
    let limit = match query.get("limit").map(|l| l.parse::<i64>()) {
        None => 25,
        Some(Ok(limit)) if limit >= 0 => limit.min(1000) as usize,
        Some(Ok(_)) => {
            return fail(
                &accept,
                CloudError::bad_request("limit param must be positive"),
            )
        }
        Some(Err(_)) => {
            return fail(
                &accept,
                CloudError::bad_request("limit param must be an integer"),
            )
        }
    };
    let wanted_types: Vec<&str> = query
        .get("resource_types")
        .map(|t| t.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let state = call.cloud.state();
    let mut namespaces: Vec<_> = state
        .visible_namespaces(caller(&call.scope))
        .into_iter()
        .filter(|n| query.get("visibility").is_none_or(|v| *v == n.visibility))
        .filter(|n| {
            wanted_types.is_empty()
                || n.resource_types
                    .iter()
                    .any(|a| wanted_types.contains(&a.name.as_str()))
        })
        .collect();
    namespaces.reverse();
    if let Some(marker) = query.get("marker") {
        match namespaces.iter().position(|n| n.namespace == *marker) {
            Some(position) => {
                namespaces.drain(..=position);
            }
            None => {
                return fail(
                    &accept,
                    CloudError::not_found(format!(
                        "Metadata definition namespace={marker} was not found."
                    )),
                )
            }
        }
    }
    namespaces.truncate(limit);
    let mut body = json!({
        "namespaces": namespaces.iter().map(|n| metadef_views::namespace(&call.cloud, n, false)).collect::<Vec<_>>(),
        "first": "/v2/metadefs/namespaces",
        "schema": "/v2/schemas/metadefs/namespaces",
    });
    if limit > 0 && namespaces.len() == limit {
        if let Some(last) = namespaces.last() {
            body["next"] = json!(format!("/v2/metadefs/namespaces?marker={}", last.namespace));
        }
    }
    Json(body).into_response()
}

/// `POST /v2/metadefs/namespaces` -> 201 with the namespace (all or nothing).
pub async fn create(call: Call, accept: Accept, body: Bytes) -> Response {
    let now = call.cloud.clock().now_ms();
    let parsed = parse_body::<Value>(&body).and_then(|body| {
        let object = object(&body)?.clone();
        let fields = fields(&object)?;
        let associations = list_of(&object, "resource_type_associations")?
            .iter()
            .map(|a| association(a, now))
            .collect::<Result<Vec<_>, _>>()?;
        let objects = list_of(&object, "objects")?
            .iter()
            .map(object_fields)
            .collect::<Result<Vec<_>, _>>()?;
        let tags = list_of(&object, "tags")?
            .iter()
            .map(|t| required_name(t, "tag"))
            .collect::<Result<Vec<_>, _>>()?;
        let properties = metadef_views::properties(object.get("properties"))?;
        Ok((fields, associations, objects, tags, properties))
    });
    let (fields, associations, objects, tags, properties) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return fail(&accept, error),
    };
    let caller = caller(&call.scope);
    let mut state = call.cloud.state();
    let name = fields.namespace.clone();
    if let Err(error) = state.create_namespace(caller, fields, now) {
        return fail(&accept, error);
    }
    let fill = || -> Result<(), CloudError> {
        for association in associations {
            state.associate_resource_type(caller, &name, association)?;
        }
        for object in objects {
            state.put_namespace_object(caller, &name, None, object, now)?;
        }
        state.put_namespace_tags(caller, &name, (None, false), &tags, now)?;
        for property in properties {
            state.put_namespace_property(caller, &name, None, property)?;
        }
        Ok(())
    };
    if let Err(error) = fill() {
        // A part failed: nothing of the namespace is kept.
        state.metadef_namespaces.remove(&name);
        return fail(&accept, error);
    }
    let namespace = &state.metadef_namespaces[&name];
    (
        StatusCode::CREATED,
        Json(metadef_views::namespace(&call.cloud, namespace, true)),
    )
        .into_response()
}

/// `GET /v2/metadefs/namespaces/{namespace}` with its associations, properties, objects and
/// tags.
pub async fn show(call: Call, accept: Accept, Path(name): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.metadef_namespace(caller(&call.scope), &name) {
        Ok(namespace) => {
            Json(metadef_views::namespace(&call.cloud, namespace, true)).into_response()
        }
        Err(error) => fail(&accept, error),
    }
}

/// `PUT /v2/metadefs/namespaces/{namespace}` -> 200 with the namespace.
pub async fn update(call: Call, accept: Accept, Path(name): Path<String>, body: Bytes) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|body| fields(object(&body)?));
    let fields = match parsed {
        Ok(fields) => fields,
        Err(error) => return fail(&accept, error),
    };
    let now = call.cloud.clock().now_ms();
    match call
        .cloud
        .state()
        .update_namespace(caller(&call.scope), &name, fields, now)
    {
        Ok(namespace) => {
            Json(metadef_views::namespace(&call.cloud, &namespace, false)).into_response()
        }
        Err(error) => fail(&accept, error),
    }
}

/// `DELETE /v2/metadefs/namespaces/{namespace}` -> 204.
pub async fn remove(call: Call, accept: Accept, Path(name): Path<String>) -> Response {
    match call
        .cloud
        .state()
        .delete_namespace(caller(&call.scope), &name)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}
