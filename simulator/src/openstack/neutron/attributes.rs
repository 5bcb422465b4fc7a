//! Reading the attributes of a Neutron request body (`{"network": {...}}`, or the bulk form
//! `{"networks": [...]}`) with Neutron's refusals for missing bodies, unknown attributes and
//! values of the wrong type.

use serde_json::{Map, Value};

use crate::openstack::{error::CloudError, model::FixedIpRequest};

/// The attributes of one resource in a request body.
pub struct Attributes<'a> {
    object: &'a Map<String, Value>,
}

fn bad(message: impl Into<String>) -> CloudError {
    CloudError::bad_request(message)
}

fn invalid(key: &str, reason: impl std::fmt::Display) -> CloudError {
    bad(format!("Invalid input for {key}. Reason: {reason}."))
}

/// The resource objects of a create body: one (`resource`) or several (`collection`, bulk);
/// the flag tells which form was used.
pub fn items<'a>(
    body: &'a Value,
    resource: &str,
    collection: &str,
) -> Result<(Vec<&'a Value>, bool), CloudError> {
    if let Some(list) = body.get(collection) {
        let list = list
            .as_array()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| bad("Resources required"))?;
        return Ok((list.iter().collect(), true));
    }
    let one = body
        .get(resource)
        .ok_or_else(|| bad(format!("Unable to find '{resource}' in request body")))?;
    Ok((vec![one], false))
}

impl<'a> Attributes<'a> {
    /// The attributes of `value`, refusing any not in `allowed` (`tenant_id`, `project_id`
    /// and `description` are always allowed).
    pub fn new(value: &'a Value, allowed: &[&str]) -> Result<Self, CloudError> {
        let object = value
            .as_object()
            .ok_or_else(|| bad("Body contains invalid data"))?;
        let unknown: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|k| {
                !allowed.contains(k) && !["tenant_id", "project_id", "description"].contains(k)
            })
            .collect();
        if !unknown.is_empty() {
            return Err(bad(format!(
                "Unrecognized attribute(s) '{}'",
                unknown.join(", ")
            )));
        }
        Ok(Self { object })
    }

    /// The raw value of an attribute.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key)
    }

    /// A string attribute (at most 255 characters; `null` as absent).
    pub fn string(&self, key: &str) -> Result<Option<String>, CloudError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= 255 => Ok(Some(s.clone())),
            Some(Value::String(s)) => {
                Err(invalid(key, format!("'{s}' exceeds maximum length of 255")))
            }
            Some(other) => Err(invalid(key, format!("{other} is not a valid string"))),
        }
    }

    /// A boolean attribute (`true`/`false`, also as the strings Neutron accepts).
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, CloudError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(other) => Err(invalid(
                key,
                format!("'{other}' cannot be converted to boolean"),
            )),
        }
    }

    /// A whole number attribute.
    pub fn number(&self, key: &str) -> Result<Option<u32>, CloudError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_u64()
                .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| invalid(key, format!("'{value}' is not an integer"))),
        }
    }

    /// A list of strings.
    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, CloudError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| invalid(key, format!("'{i}' is not a valid string")))
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(other) => Err(invalid(key, format!("'{other}' is not a list"))),
        }
    }

    /// A list of objects.
    pub fn objects(&self, key: &str) -> Result<Option<Vec<&'a Map<String, Value>>>, CloudError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_object()
                        .ok_or_else(|| invalid(key, format!("'{i}' is not a dictionary")))
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(other) => Err(invalid(key, format!("'{other}' is not a list"))),
        }
    }

    /// The project an administrator creates the resource for (`project_id` or `tenant_id`).
    pub fn owner(&self) -> Result<Option<String>, CloudError> {
        let project = self.string("project_id")?;
        let tenant = self.string("tenant_id")?;
        if let (Some(p), Some(t)) = (&project, &tenant) {
            if p != t {
                return Err(bad("'project_id' and 'tenant_id' do not match"));
            }
        }
        Ok(project.or(tenant))
    }
}

/// One entry of `fixed_ips` (ports) or `external_fixed_ips` (router gateways): an optional
/// subnet id and an optional IPv4 address.
pub fn fixed_ip(
    subnet_id: Option<&Value>,
    ip_address: Option<&Value>,
) -> Result<FixedIpRequest, CloudError> {
    Ok(FixedIpRequest {
        subnet_id: subnet_id.and_then(Value::as_str).map(str::to_string),
        ip_address: ip_address.map(|ip| ipv4("ip_address", ip)).transpose()?,
    })
}

/// An IPv4 address attribute value.
pub fn ipv4(key: &str, value: &Value) -> Result<std::net::Ipv4Addr, CloudError> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(key, format!("'{}' is not a valid IP address", text(value))))
}

/// A value as Neutron quotes it in messages (strings without their JSON quotes).
pub fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
