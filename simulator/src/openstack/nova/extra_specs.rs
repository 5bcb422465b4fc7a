//! Flavor extra specs: `GET/POST /flavors/{id}/os-extra_specs` and
//! `GET/PUT/DELETE /flavors/{id}/os-extra_specs/{key}` (changes are the admin's).

use std::collections::BTreeMap;

use super::{fail, policy_refusal};
use crate::openstack::handler_prelude::*;

/// Keys and values: 1 to 255 characters, keys of letters, digits and `-_:. `.
fn specs(value: Option<&Value>) -> Result<BTreeMap<String, String>, CloudError> {
    let object = value.and_then(Value::as_object).ok_or_else(|| {
        CloudError::bad_request(
            "Invalid input for field/attribute extra_specs. 'extra_specs' is a required property",
        )
    })?;
    let mut specs = BTreeMap::new();
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(CloudError::bad_request(format!(
                    "Invalid input for field/attribute {key}. Value: {other}. {other} is not of type 'string', 'integer', 'number', 'boolean'"
                )))
            }
        };
        let key_ok = !key.is_empty()
            && key.chars().count() <= 255
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:. ".contains(c));
        if !key_ok || text.chars().count() > 255 {
            return Err(CloudError::bad_request(format!(
                "Invalid input for field/attribute extra_specs. Value: {key}. Keys and values must be 1 to 255 characters of letters, digits and -_:. "
            )));
        }
        specs.insert(key.clone(), text);
    }
    Ok(specs)
}

/// `GET /flavors/{id}/os-extra_specs`.
pub async fn list(call: Call, Path(flavor_id): Path<String>) -> Response {
    let state = call.cloud.state();
    match state.usable_flavor(&flavor_id, &call.scope.project_id, call.scope.admin) {
        Ok(flavor) => Json(json!({"extra_specs": flavor.extra_specs})).into_response(),
        Err(error) => fail(error),
    }
}

/// `POST /flavors/{id}/os-extra_specs` -> 200: adds or replaces the given keys.
pub async fn create(call: Call, Path(flavor_id): Path<String>, body: Bytes) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-extra-specs:create"));
    }
    let set = parse_body::<Value>(&body)
        .and_then(|b| specs(b.get("extra_specs")))
        .and_then(|given| {
            call.cloud
                .state()
                .set_extra_specs(&flavor_id, given.clone())?;
            Ok(given)
        });
    match set {
        Ok(given) => Json(json!({"extra_specs": given})).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /flavors/{id}/os-extra_specs/{key}` -> `{key: value}`.
pub async fn show(call: Call, Path((flavor_id, key)): Path<(String, String)>) -> Response {
    let state = call.cloud.state();
    let found = state
        .usable_flavor(&flavor_id, &call.scope.project_id, call.scope.admin)
        .and_then(|flavor| {
            flavor.extra_specs.get(&key).cloned().ok_or_else(|| {
                CloudError::not_found(format!(
                    "Flavor {flavor_id} has no extra specs with key {key}."
                ))
            })
        });
    match found {
        Ok(value) => Json(json!({ key: value })).into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /flavors/{id}/os-extra_specs/{key}` `{key: value}` -> 200 (the one key of the body
/// must be the key of the URL).
pub async fn update(
    call: Call,
    Path((flavor_id, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-extra-specs:update"));
    }
    let set = parse_body::<Value>(&body)
        .and_then(|b| specs(Some(&b)))
        .and_then(|given| {
            if given.len() != 1 || !given.contains_key(&key) {
                return Err(CloudError::bad_request("Request body and URI mismatch"));
            }
            call.cloud
                .state()
                .set_extra_specs(&flavor_id, given.clone())?;
            Ok(given)
        });
    match set {
        Ok(given) => Json(json!(given)).into_response(),
        Err(error) => fail(error),
    }
}

/// `DELETE /flavors/{id}/os-extra_specs/{key}` -> 200.
pub async fn remove(call: Call, Path((flavor_id, key)): Path<(String, String)>) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-extra-specs:delete"));
    }
    match call.cloud.state().delete_extra_spec(&flavor_id, &key) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => fail(error),
    }
}
