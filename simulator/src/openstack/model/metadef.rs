//! Glance metadata definitions (metadefs): namespaces (public or private, protected), the
//! resource types they apply to, and their properties, objects and tags. Reading is open to
//! every project for public namespaces and its own private ones; changes are the admin's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CloudState;
use crate::openstack::error::CloudError;

/// A property definition: a JSON Schema fragment (`title`, `type`, `enum`, ...).
pub type PropertyDefinition = Map<String, Value>;

/// A metadata definition namespace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MetadefNamespace {
    pub namespace: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// `public` or `private`.
    pub visibility: String,
    pub protected: bool,
    pub owner: String,
    pub resource_types: Vec<ResourceTypeAssociation>,
    pub properties: BTreeMap<String, PropertyDefinition>,
    pub objects: Vec<MetadefObject>,
    pub tags: Vec<MetadefTag>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// A resource type Glance knows (made by an association when new).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceType {
    pub name: String,
    /// One of Glance's own catalogue (cannot be deleted).
    pub protected: bool,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// A namespace's association with a resource type.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceTypeAssociation {
    pub name: String,
    pub prefix: Option<String>,
    pub properties_target: Option<String>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// An object of a namespace: named properties, some required.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MetadefObject {
    pub name: String,
    pub description: Option<String>,
    pub required: Vec<String>,
    pub properties: BTreeMap<String, PropertyDefinition>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// A tag of a namespace (names compare case-insensitively).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MetadefTag {
    pub name: String,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// What a namespace create or update gives.
#[derive(Clone, Debug, Default)]
pub struct NamespaceFields {
    pub namespace: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<String>,
    pub protected: Option<bool>,
    pub owner: Option<String>,
}

/// What an object create or update gives.
#[derive(Clone, Debug, Default)]
pub struct ObjectFields {
    pub name: String,
    pub description: Option<String>,
    pub required: Vec<String>,
    pub properties: BTreeMap<String, PropertyDefinition>,
}

/// The resource types of Glance's metadata definitions catalogue, which every cloud starts
/// with (as `glance-manage db_load_metadefs` leaves them).
const CATALOGUE_RESOURCE_TYPES: [&str; 6] = [
    "OS::Cinder::Volume",
    "OS::Glance::Image",
    "OS::Nova::Aggregate",
    "OS::Nova::Flavor",
    "OS::Nova::Server",
    "OS::Trove::Instance",
];

fn namespace_not_found(name: &str) -> CloudError {
    CloudError::not_found(format!(
        "Metadata definition namespace={name} was not found."
    ))
}

/// Who asks: the project of the token, and whether it is the cloud admin.
#[derive(Clone, Copy, Debug)]
pub struct MetadefCaller<'a> {
    pub project_id: &'a str,
    pub admin: bool,
}

impl MetadefCaller<'_> {
    fn sees(&self, namespace: &MetadefNamespace) -> bool {
        self.admin || namespace.visibility == "public" || namespace.owner == self.project_id
    }

    /// Glance's 403 for a change the caller's role does not allow.
    pub fn may(&self, action: &str) -> Result<(), CloudError> {
        if self.admin {
            Ok(())
        } else {
            Err(CloudError::forbidden(format!(
                "You are not authorized to complete {action} action."
            )))
        }
    }
}

impl CloudState {
    /// Adds the resource types of Glance's catalogue.
    pub fn seed_resource_types(&mut self) {
        for name in CATALOGUE_RESOURCE_TYPES {
            self.metadef_resource_types.insert(
                name.to_string(),
                ResourceType {
                    name: name.to_string(),
                    protected: true,
                    created_ms: 0,
                    updated_ms: 0,
                },
            );
        }
    }

    /// A namespace the caller sees, or Glance's 404.
    pub fn metadef_namespace(
        &self,
        caller: MetadefCaller<'_>,
        name: &str,
    ) -> Result<&MetadefNamespace, CloudError> {
        self.metadef_namespaces
            .get(name)
            .filter(|n| caller.sees(n))
            .ok_or_else(|| namespace_not_found(name))
    }

    /// A namespace the caller sees and may change (`action` names the policy), for a change.
    pub fn metadef_namespace_mut(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        action: &str,
    ) -> Result<&mut MetadefNamespace, CloudError> {
        self.metadef_namespace(caller, name)?;
        caller.may(action)?;
        Ok(self
            .metadef_namespaces
            .get_mut(name)
            .expect("checked above"))
    }

    /// The namespaces the caller sees, oldest first.
    pub fn visible_namespaces(&self, caller: MetadefCaller<'_>) -> Vec<&MetadefNamespace> {
        let mut found: Vec<&MetadefNamespace> = self
            .metadef_namespaces
            .values()
            .filter(|n| caller.sees(n))
            .collect();
        found.sort_by(|a, b| (a.created_ms, &a.namespace).cmp(&(b.created_ms, &b.namespace)));
        found
    }

    /// Creates a namespace (the admin): 409 for a taken name.
    pub fn create_namespace(
        &mut self,
        caller: MetadefCaller<'_>,
        fields: NamespaceFields,
        now_ms: u64,
    ) -> Result<MetadefNamespace, CloudError> {
        caller.may("add_metadef_namespace")?;
        if self.metadef_namespaces.contains_key(&fields.namespace) {
            return Err(CloudError::conflict(format!(
                "The metadata definition namespace={} already exists.",
                fields.namespace
            )));
        }
        let namespace = MetadefNamespace {
            namespace: fields.namespace,
            display_name: fields.display_name,
            description: fields.description,
            visibility: fields.visibility.unwrap_or_else(|| "private".to_string()),
            protected: fields.protected.unwrap_or(false),
            owner: fields
                .owner
                .unwrap_or_else(|| caller.project_id.to_string()),
            resource_types: Vec::new(),
            properties: BTreeMap::new(),
            objects: Vec::new(),
            tags: Vec::new(),
            created_ms: now_ms,
            updated_ms: now_ms,
        };
        self.metadef_namespaces
            .insert(namespace.namespace.clone(), namespace.clone());
        Ok(namespace)
    }

    /// Replaces a namespace's fields (a PUT: absent ones take their defaults), possibly
    /// renaming it: 409 for a name another namespace has.
    pub fn update_namespace(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        fields: NamespaceFields,
        now_ms: u64,
    ) -> Result<MetadefNamespace, CloudError> {
        self.metadef_namespace_mut(caller, name, "modify_metadef_namespace")?;
        if fields.namespace != name && self.metadef_namespaces.contains_key(&fields.namespace) {
            return Err(CloudError::conflict(format!(
                "The metadata definition namespace={} already exists.",
                fields.namespace
            )));
        }
        let mut namespace = self.metadef_namespaces.remove(name).expect("checked above");
        namespace.namespace = fields.namespace;
        namespace.display_name = fields.display_name;
        namespace.description = fields.description;
        namespace.visibility = fields.visibility.unwrap_or_else(|| "private".to_string());
        namespace.protected = fields.protected.unwrap_or(false);
        namespace.owner = fields
            .owner
            .unwrap_or_else(|| caller.project_id.to_string());
        namespace.updated_ms = now_ms;
        self.metadef_namespaces
            .insert(namespace.namespace.clone(), namespace.clone());
        Ok(namespace)
    }

    /// Deletes a namespace with everything in it: 403 while protected.
    pub fn delete_namespace(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
    ) -> Result<(), CloudError> {
        let namespace = self.metadef_namespace_mut(caller, name, "delete_metadef_namespace")?;
        if namespace.protected {
            return Err(CloudError::forbidden(format!(
                "Metadata definition namespace {name} is protected and cannot be deleted."
            )));
        }
        self.metadef_namespaces.remove(name);
        Ok(())
    }

    /// Associates a namespace with a resource type (made when new): 409 when associated.
    pub fn associate_resource_type(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        association: ResourceTypeAssociation,
    ) -> Result<ResourceTypeAssociation, CloudError> {
        let namespace =
            self.metadef_namespace_mut(caller, name, "add_metadef_resource_type_association")?;
        if namespace
            .resource_types
            .iter()
            .any(|a| a.name == association.name)
        {
            return Err(CloudError::conflict(format!(
                "The metadata definition resource-type association of resource-type={} to namespace={name} already exists.",
                association.name
            )));
        }
        namespace.resource_types.push(association.clone());
        self.metadef_resource_types
            .entry(association.name.clone())
            .or_insert_with(|| ResourceType {
                name: association.name.clone(),
                protected: false,
                created_ms: association.created_ms,
                updated_ms: association.created_ms,
            });
        Ok(association)
    }

    /// Removes a namespace's association with a resource type: 404 when not associated.
    pub fn dissociate_resource_type(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        resource_type: &str,
    ) -> Result<(), CloudError> {
        if !self.metadef_resource_types.contains_key(resource_type) {
            return Err(CloudError::not_found(format!(
                "The metadata definition resource-type with name={resource_type}, was not found."
            )));
        }
        let namespace =
            self.metadef_namespace_mut(caller, name, "remove_metadef_resource_type_association")?;
        let before = namespace.resource_types.len();
        namespace.resource_types.retain(|a| a.name != resource_type);
        if namespace.resource_types.len() == before {
            return Err(CloudError::not_found(format!(
                "The metadata definition resource-type association of resource-type={resource_type} to namespace={name}, was not found."
            )));
        }
        Ok(())
    }

    /// Adds or replaces a property of a namespace (`replacing` names the one a PUT
    /// addresses): 409 for a name another property has, 404 for an unknown one on update.
    pub fn put_namespace_property(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        replacing: Option<&str>,
        (property, definition): (String, PropertyDefinition),
    ) -> Result<(), CloudError> {
        let action = if replacing.is_some() {
            "modify_metadef_property"
        } else {
            "add_metadef_property"
        };
        let namespace = self.metadef_namespace_mut(caller, name, action)?;
        if let Some(old) = replacing {
            if !namespace.properties.contains_key(old) {
                return Err(property_not_found(old, name));
            }
        }
        if replacing != Some(property.as_str()) && namespace.properties.contains_key(&property) {
            return Err(CloudError::conflict(format!(
                "A metadata definition property with name={property} already exists in namespace={name}."
            )));
        }
        if let Some(old) = replacing {
            namespace.properties.remove(old);
        }
        namespace.properties.insert(property, definition);
        Ok(())
    }

    /// Removes one property, or every property (`None`).
    pub fn delete_namespace_properties(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        property: Option<&str>,
    ) -> Result<(), CloudError> {
        let namespace = self.metadef_namespace_mut(caller, name, "remove_metadef_property")?;
        match property {
            Some(property) => namespace
                .properties
                .remove(property)
                .map(|_| ())
                .ok_or_else(|| property_not_found(property, name)),
            None => {
                namespace.properties.clear();
                Ok(())
            }
        }
    }

    /// Adds an object, or replaces the one `replacing` names: 409 for a name another object
    /// has, 404 for an unknown one.
    pub fn put_namespace_object(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        replacing: Option<&str>,
        fields: ObjectFields,
        now_ms: u64,
    ) -> Result<MetadefObject, CloudError> {
        let action = if replacing.is_some() {
            "modify_metadef_object"
        } else {
            "add_metadef_object"
        };
        let namespace = self.metadef_namespace_mut(caller, name, action)?;
        let created_ms = match replacing {
            Some(old) => {
                namespace
                    .objects
                    .iter()
                    .find(|o| o.name == old)
                    .ok_or_else(|| object_not_found(old, name))?
                    .created_ms
            }
            None => now_ms,
        };
        if replacing != Some(fields.name.as_str())
            && namespace.objects.iter().any(|o| o.name == fields.name)
        {
            return Err(CloudError::conflict(format!(
                "A metadata definition object with name={} already exists in namespace={name}.",
                fields.name
            )));
        }
        let object = MetadefObject {
            name: fields.name,
            description: fields.description,
            required: fields.required,
            properties: fields.properties,
            created_ms,
            updated_ms: now_ms,
        };
        match replacing {
            Some(old) => {
                let slot = namespace
                    .objects
                    .iter_mut()
                    .find(|o| o.name == old)
                    .expect("checked above");
                *slot = object.clone();
            }
            None => namespace.objects.push(object.clone()),
        }
        Ok(object)
    }

    /// Removes one object, or every object (`None`).
    pub fn delete_namespace_objects(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        object: Option<&str>,
    ) -> Result<(), CloudError> {
        let namespace = self.metadef_namespace_mut(caller, name, "delete_metadef_object")?;
        match object {
            Some(object) => {
                let before = namespace.objects.len();
                namespace.objects.retain(|o| o.name != object);
                if namespace.objects.len() == before {
                    return Err(object_not_found(object, name));
                }
                Ok(())
            }
            None => {
                namespace.objects.clear();
                Ok(())
            }
        }
    }

    /// Adds tags (`replace_all`: instead of the namespace's tags), or renames the tag
    /// `renaming` names: 409 for a name (any case) a tag has or the list repeats.
    pub fn put_namespace_tags(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        (renaming, replace_all): (Option<&str>, bool),
        tags: &[String],
        now_ms: u64,
    ) -> Result<Vec<MetadefTag>, CloudError> {
        let action = if renaming.is_some() {
            "modify_metadef_tag"
        } else {
            "add_metadef_tags"
        };
        let namespace = self.metadef_namespace_mut(caller, name, action)?;
        let duplicate = |tag: &str| {
            CloudError::conflict(format!(
                "A metadata tag with name={tag} already exists in namespace={name}. (Please note that metadata tag names are case insensitive)."
            ))
        };
        if let Some(old) = renaming {
            let new = tags.first().cloned().unwrap_or_default();
            if !namespace.tags.iter().any(|t| t.name == old) {
                return Err(tag_not_found(old, name));
            }
            if namespace
                .tags
                .iter()
                .any(|t| t.name != old && t.name.eq_ignore_ascii_case(&new))
            {
                return Err(duplicate(&new));
            }
            let tag = namespace
                .tags
                .iter_mut()
                .find(|t| t.name == old)
                .expect("checked above");
            tag.name = new;
            tag.updated_ms = now_ms;
            return Ok(vec![tag.clone()]);
        }
        let kept: Vec<&MetadefTag> = if replace_all {
            Vec::new()
        } else {
            namespace.tags.iter().collect()
        };
        for (index, tag) in tags.iter().enumerate() {
            let repeated = tags[..index].iter().any(|t| t.eq_ignore_ascii_case(tag));
            if repeated || kept.iter().any(|t| t.name.eq_ignore_ascii_case(tag)) {
                return Err(duplicate(tag));
            }
        }
        let made: Vec<MetadefTag> = tags
            .iter()
            .map(|tag| MetadefTag {
                name: tag.clone(),
                created_ms: now_ms,
                updated_ms: now_ms,
            })
            .collect();
        if replace_all {
            namespace.tags.clear();
        }
        namespace.tags.extend(made.iter().cloned());
        Ok(made)
    }

    /// Removes one tag, or every tag (`None`).
    pub fn delete_namespace_tags(
        &mut self,
        caller: MetadefCaller<'_>,
        name: &str,
        tag: Option<&str>,
    ) -> Result<(), CloudError> {
        let action = if tag.is_some() {
            "delete_metadef_tag"
        } else {
            "delete_metadef_tags"
        };
        let namespace = self.metadef_namespace_mut(caller, name, action)?;
        match tag {
            Some(tag) => {
                let before = namespace.tags.len();
                namespace.tags.retain(|t| t.name != tag);
                if namespace.tags.len() == before {
                    return Err(tag_not_found(tag, name));
                }
                Ok(())
            }
            None => {
                namespace.tags.clear();
                Ok(())
            }
        }
    }
}

/// Glance's 404 for a property a namespace does not have.
pub fn property_not_found(property: &str, namespace: &str) -> CloudError {
    CloudError::not_found(format!(
        "The metadata definition property with name={property} was not found in namespace={namespace}."
    ))
}

/// Glance's 404 for an object a namespace does not have.
pub fn object_not_found(object: &str, namespace: &str) -> CloudError {
    CloudError::not_found(format!(
        "The metadata definition object with name={object} was not found in namespace={namespace}."
    ))
}

/// Glance's 404 for a tag a namespace does not have.
pub fn tag_not_found(tag: &str, namespace: &str) -> CloudError {
    CloudError::not_found(format!(
        "The metadata definition tag with name={tag} was not found in namespace={namespace}."
    ))
}
