//! Glance's views of metadata definitions, and the reading of their request bodies with
//! Glance's refusals (read-only attributes 403, what the schemas refuse 400).

use serde_json::Map;

use crate::openstack::handler_prelude::*;
use crate::openstack::model::{
    MetadefNamespace, MetadefObject, MetadefTag, PropertyDefinition, ResourceType,
    ResourceTypeAssociation,
};

/// Glance's timestamps (`timeutils.isotime`).
pub use crate::openstack::stamp::seconds as stamp;

/// Attributes a client may not give (`created_at`, ...): 403.
pub fn check_writable(object: &Map<String, Value>) -> Result<(), CloudError> {
    for key in ["self", "schema", "created_at", "updated_at"] {
        if object.contains_key(key) {
            return Err(CloudError::forbidden(format!(
                "Attribute '{key}' is read-only."
            )));
        }
    }
    Ok(())
}

/// Glance's 400 for a body its schema refuses.
pub fn schema_error(schema: &str, reason: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!(
        "Provided object does not match schema '{schema}': {reason}"
    ))
}

/// The `name` a body gives the `schema` item it describes (a property, a tag): required.
pub fn required_name(body: &Value, schema: &str) -> Result<String, CloudError> {
    body.get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| schema_error(schema, "'name' is a required property"))
}

/// The body as a JSON object.
pub fn object(body: &Value) -> Result<&Map<String, Value>, CloudError> {
    body.as_object()
        .ok_or_else(|| CloudError::bad_request("Body expected in request."))
}

/// An optional string of at most `max` characters.
pub fn text(
    object: &Map<String, Value>,
    key: &str,
    max: usize,
    schema: &str,
) -> Result<Option<String>, CloudError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(s)) => Err(schema_error(schema, format!("'{s}' is too long"))),
        Some(other) => Err(schema_error(
            schema,
            format!("{other} is not of type 'string'"),
        )),
    }
}

/// The property types a definition may have.
const PROPERTY_TYPES: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];

/// The attributes a property definition may have (Glance's `PropertyType`).
const PROPERTY_KEYS: [&str; 20] = [
    "name",
    "title",
    "type",
    "description",
    "operators",
    "default",
    "readonly",
    "minimum",
    "maximum",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "confidential",
    "items",
    "uniqueItems",
    "minItems",
    "maxItems",
    "additionalItems",
    "required",
];

/// A property definition as a client gives it (its `name` kept apart): `title` and `type`
/// required, `type` one of JSON Schema's.
pub fn property_definition(value: &Value) -> Result<PropertyDefinition, CloudError> {
    let schema = "property";
    let object = value
        .as_object()
        .ok_or_else(|| schema_error(schema, format!("{value} is not of type 'object'")))?;
    check_writable(object)?;
    if let Some(key) = object.keys().find(|k| !PROPERTY_KEYS.contains(&k.as_str())) {
        return Err(schema_error(
            schema,
            format!("Additional properties are not allowed ('{key}' was unexpected)"),
        ));
    }
    for required in ["title", "type"] {
        if !object.contains_key(required) {
            return Err(schema_error(
                schema,
                format!("'{required}' is a required property"),
            ));
        }
    }
    match object.get("type") {
        Some(Value::String(kind)) if PROPERTY_TYPES.contains(&kind.as_str()) => {}
        Some(other) => {
            return Err(schema_error(
                schema,
                format!("{other} is not one of {PROPERTY_TYPES:?}"),
            ))
        }
        None => unreachable!("checked above"),
    }
    if !object.get("title").is_some_and(Value::is_string) {
        return Err(schema_error(schema, "'title' is not of type 'string'"));
    }
    let mut definition = object.clone();
    definition.remove("name");
    Ok(definition)
}

/// The properties of a namespace or an object (`{name: definition}`).
pub fn properties(
    value: Option<&Value>,
) -> Result<std::collections::BTreeMap<String, PropertyDefinition>, CloudError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Default::default());
    };
    let object = value
        .as_object()
        .ok_or_else(|| schema_error("properties", format!("{value} is not of type 'object'")))?;
    object
        .iter()
        .map(|(name, definition)| Ok((name.clone(), property_definition(definition)?)))
        .collect()
}

/// A property as the properties API shows it (with its name).
pub fn property(name: &str, definition: &PropertyDefinition) -> Value {
    let mut view = definition.clone();
    view.insert("name".into(), json!(name));
    Value::Object(view)
}

/// A resource type association.
pub fn association(cloud: &Cloud, association: &ResourceTypeAssociation) -> Value {
    let mut view = json!({
        "name": association.name,
        "created_at": stamp(cloud, association.created_ms),
        "updated_at": stamp(cloud, association.updated_ms),
    });
    if let Some(prefix) = &association.prefix {
        view["prefix"] = json!(prefix);
    }
    if let Some(target) = &association.properties_target {
        view["properties_target"] = json!(target);
    }
    view
}

/// A resource type.
pub fn resource_type(cloud: &Cloud, resource_type: &ResourceType) -> Value {
    json!({
        "name": resource_type.name,
        "created_at": stamp(cloud, resource_type.created_ms),
        "updated_at": stamp(cloud, resource_type.updated_ms),
    })
}

/// A tag with its timestamps.
pub fn tag(cloud: &Cloud, tag: &MetadefTag) -> Value {
    json!({
        "name": tag.name,
        "created_at": stamp(cloud, tag.created_ms),
        "updated_at": stamp(cloud, tag.updated_ms),
    })
}

/// An object of a namespace.
pub fn metadef_object(cloud: &Cloud, namespace: &str, object: &MetadefObject) -> Value {
    let mut view = json!({
        "name": object.name,
        "required": object.required,
        "properties": object.properties,
        "schema": "/v2/schemas/metadefs/object",
        "self": format!("/v2/metadefs/namespaces/{namespace}/objects/{}", object.name),
        "created_at": stamp(cloud, object.created_ms),
        "updated_at": stamp(cloud, object.updated_ms),
    });
    if let Some(description) = &object.description {
        view["description"] = json!(description);
    }
    view
}

/// A namespace; `contents` adds its associations, properties, objects and tags (show),
/// otherwise only its associations are listed (list, create, update).
pub fn namespace(cloud: &Cloud, namespace: &MetadefNamespace, contents: bool) -> Value {
    let mut view = json!({
        "namespace": namespace.namespace,
        "visibility": namespace.visibility,
        "protected": namespace.protected,
        "owner": namespace.owner,
        "created_at": stamp(cloud, namespace.created_ms),
        "updated_at": stamp(cloud, namespace.updated_ms),
        "self": format!("/v2/metadefs/namespaces/{}", namespace.namespace),
        "schema": "/v2/schemas/metadefs/namespace",
    });
    if let Some(display_name) = &namespace.display_name {
        view["display_name"] = json!(display_name);
    }
    if let Some(description) = &namespace.description {
        view["description"] = json!(description);
    }
    if !namespace.resource_types.is_empty() {
        view["resource_type_associations"] = namespace
            .resource_types
            .iter()
            .map(|a| association(cloud, a))
            .collect();
    }
    if contents {
        if !namespace.properties.is_empty() {
            view["properties"] = json!(namespace.properties);
        }
        if !namespace.objects.is_empty() {
            view["objects"] = namespace
                .objects
                .iter()
                .map(|o| metadef_object(cloud, &namespace.namespace, o))
                .collect();
        }
        if !namespace.tags.is_empty() {
            view["tags"] = namespace
                .tags
                .iter()
                .map(|t| json!({"name": t.name}))
                .collect();
        }
    }
    view
}
