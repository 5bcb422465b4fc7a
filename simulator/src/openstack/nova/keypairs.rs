//! Key pairs (`/os-keypairs`), per user, as each microversion shows them: `type` from 2.2,
//! another user's pairs for the admin (`user_id`) from 2.10, paging from 2.35, and no
//! generated keys from 2.92 (a public key must be given).

use std::collections::HashMap;

use super::{fail, invalid, policy_refusal, views};
use crate::openstack::handler_prelude::*;
use crate::openstack::{model::Keypair, wire::next_links};

/// The user whose pairs a request is about: the caller's own, or from 2.10 the admin's choice
/// (`user_id` in the query or body).
fn owner(call: &Call<Microversion>, asked: Option<&str>, rule: &str) -> Result<String, CloudError> {
    let scope = &call.scope;
    match asked.filter(|_| call.version >= Microversion(2, 10)) {
        Some(user) if user != &*scope.user_id && !scope.admin => Err(policy_refusal(rule)),
        Some(user) => Ok(user.to_string()),
        None => Ok(scope.user_id.to_string()),
    }
}

/// [`owner`] with the `user_id` of the query.
fn owner_in_query(
    call: &Call<Microversion>,
    query: &HashMap<String, String>,
    rule: &str,
) -> Result<String, CloudError> {
    owner(call, query.get("user_id").map(String::as_str), rule)
}

/// A name of 1 to 255 characters: letters, digits, spaces, `-` and `_` (and from 2.92 `@`
/// and `.`), not starting or ending with a space.
fn check_name(name: &str, version: Microversion) -> Result<(), CloudError> {
    let extra = if version >= Microversion(2, 92) {
        "@."
    } else {
        ""
    };
    let valid = !name.is_empty()
        && name.chars().count() <= 255
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -_".contains(c) || extra.contains(c));
    if valid {
        Ok(())
    } else {
        Err(invalid(
            "name",
            format!("Value: {name}. '{name}' is not a valid key pair name"),
        ))
    }
}

fn summary(keypair: &Keypair, version: Microversion) -> Value {
    let mut view = json!({
        "name": keypair.name,
        "public_key": keypair.public_key,
        "fingerprint": keypair.fingerprint,
    });
    if version >= Microversion(2, 2) {
        view["type"] = json!(keypair.kind);
    }
    view
}

/// `GET /os-keypairs` (`user_id` 2.10, `limit` and `marker` 2.35).
pub async fn list(
    call: Call<Microversion>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let user = match owner_in_query(&call, &query, "os-keypairs:index") {
        Ok(user) => user,
        Err(error) => return fail(error),
    };
    let state = call.cloud.state();
    let mut pairs = state.user_keypairs(&user);
    let paged = call.version >= Microversion(2, 35);
    if let (true, Some(marker)) = (paged, query.get("marker")) {
        match pairs.iter().position(|k| &k.name == marker) {
            Some(at) => {
                pairs.drain(..=at);
            }
            None => {
                return fail(CloudError::bad_request(format!(
                    "marker [{marker}] not found"
                )))
            }
        }
    }
    let limit = match query.get("limit").filter(|_| paged) {
        Some(l) => match l.parse::<usize>() {
            Ok(l) => Some(l),
            Err(_) => return fail(invalid("limit", format!("Value: {l}"))),
        },
        None => None,
    };
    let full = limit.is_some_and(|l| pairs.len() >= l && l > 0);
    if let Some(limit) = limit {
        pairs.truncate(limit);
    }
    let entries: Vec<Value> = pairs
        .iter()
        .map(|k| json!({"keypair": summary(k, call.version)}))
        .collect();
    let mut body = json!({"keypairs": entries});
    if let (true, Some(last)) = (full, pairs.last()) {
        body["keypairs_links"] = next_links(
            &format!("{}/compute/v2.1/os-keypairs", call.cloud.public_url()),
            &query,
            &last.name,
        );
    }
    Json(body).into_response()
}

/// `POST /os-keypairs` -> 200 (201 from 2.2): imports `public_key`, or (before 2.92)
/// generates a pair and answers its private key once.
pub async fn create(call: Call<Microversion>, body: Bytes) -> Response {
    let made = parse_body::<Value>(&body).and_then(|b| {
        let keypair = b
            .get("keypair")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("keypair", "'keypair' is a required property"))?;
        let mut allowed = vec!["name", "public_key"];
        if call.version >= Microversion(2, 2) {
            allowed.push("type");
        }
        if call.version >= Microversion(2, 10) {
            allowed.push("user_id");
        }
        if let Some(unknown) = keypair.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(invalid(
                "keypair",
                format!("Additional properties are not allowed ('{unknown}' was unexpected)"),
            ));
        }
        let name = keypair
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("keypair", "'name' is a required property"))?;
        check_name(name, call.version)?;
        let kind = match keypair.get("type") {
            None => "ssh",
            Some(Value::String(k)) if k == "ssh" || k == "x509" => k.as_str(),
            Some(other) => {
                return Err(invalid(
                    "type",
                    format!("Value: {other}. {other} is not one of ['ssh', 'x509']"),
                ))
            }
        };
        let public_key = match keypair.get("public_key") {
            None | Some(Value::Null) => None,
            Some(Value::String(key)) => Some(key.as_str()),
            Some(other) => {
                return Err(invalid(
                    "public_key",
                    format!("Value: {other}. Invalid type"),
                ))
            }
        };
        if public_key.is_none() && call.version >= Microversion(2, 92) {
            return Err(invalid("keypair", "'public_key' is a required property"));
        }
        let user = owner(
            &call,
            keypair.get("user_id").and_then(Value::as_str),
            "os-keypairs:create",
        )?;
        let now = call.cloud.clock().now_ms();
        call.cloud
            .state()
            .create_keypair(&user, name, kind, public_key, now)
    });
    match made {
        Ok(new) => {
            let mut view = summary(&new.keypair, call.version);
            view["user_id"] = json!(new.keypair.user_id);
            if let Some(private) = new.private_key {
                view["private_key"] = json!(private);
            }
            let status = if call.version >= Microversion(2, 2) {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(json!({"keypair": view}))).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `GET /os-keypairs/{name}`.
pub async fn show(
    call: Call<Microversion>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let user = match owner_in_query(&call, &query, "os-keypairs:show") {
        Ok(user) => user,
        Err(error) => return fail(error),
    };
    let state = call.cloud.state();
    match state.keypair(&user, &name) {
        Ok(keypair) => {
            let mut view = summary(keypair, call.version);
            let extra = json!({
                "user_id": keypair.user_id,
                "id": keypair.id,
                "created_at": views::stamp(&call.cloud, keypair.created_ms).as_str().trim_end_matches('Z').to_string() + ".000000",
                "updated_at": null,
                "deleted": false,
                "deleted_at": null,
            });
            for (key, value) in extra.as_object().expect("an object") {
                view[key] = value.clone();
            }
            Json(json!({"keypair": view})).into_response()
        }
        Err(error) => fail(error),
    }
}

/// `DELETE /os-keypairs/{name}` -> 202 (204 from 2.2).
pub async fn remove(
    call: Call<Microversion>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let removed = owner_in_query(&call, &query, "os-keypairs:delete")
        .and_then(|user| call.cloud.state().delete_keypair(&user, &name));
    match removed {
        Ok(()) if call.version >= Microversion(2, 2) => StatusCode::NO_CONTENT.into_response(),
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(error) => fail(error),
    }
}
