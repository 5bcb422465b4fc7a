//! Private flavors shared with projects (admin only): `GET /flavors/{id}/os-flavor-access`
//! and the `addTenantAccess` / `removeTenantAccess` actions.

use super::{fail, policy_refusal};
use crate::openstack::handler_prelude::*;

fn access_view(flavor_id: &str, projects: &[String]) -> Response {
    let entries: Vec<Value> = projects
        .iter()
        .map(|p| json!({"flavor_id": flavor_id, "tenant_id": p}))
        .collect();
    Json(json!({"flavor_access": entries})).into_response()
}

/// `GET /flavors/{id}/os-flavor-access` (404 for a public flavor).
pub async fn list(call: Call, Path(flavor_id): Path<String>) -> Response {
    if !call.scope.admin {
        return fail(policy_refusal("os-flavor-access"));
    }
    match call.cloud.state().flavor_access(&flavor_id) {
        Ok(projects) => access_view(&flavor_id, &projects),
        Err(error) => fail(error),
    }
}

/// `POST /flavors/{id}/action` with `addTenantAccess` or `removeTenantAccess` `{"tenant"}`.
pub async fn action(call: Call, Path(flavor_id): Path<String>, body: Bytes) -> Response {
    let body = match parse_body::<Value>(&body) {
        Ok(body) => body,
        Err(error) => return fail(error),
    };
    let (add, tenant) =
        match (body.get("addTenantAccess"), body.get("removeTenantAccess")) {
            (Some(inner), None) => (true, inner.get("tenant")),
            (None, Some(inner)) => (false, inner.get("tenant")),
            _ => return fail(CloudError::bad_request(
                "There is no such action: the body must name addTenantAccess or removeTenantAccess",
            )),
        };
    if !call.scope.admin {
        let rule = if add {
            "addTenantAccess"
        } else {
            "removeTenantAccess"
        };
        return fail(policy_refusal(&format!("os-flavor-access:{rule}")));
    }
    let Some(tenant) = tenant.and_then(Value::as_str).filter(|t| !t.is_empty()) else {
        return fail(CloudError::bad_request(
            "Invalid input for field/attribute tenant. 'tenant' is a required property",
        ));
    };
    let mut state = call.cloud.state();
    let changed = if add {
        // Nova asks Keystone whether the project exists (400 when it does not).
        if state.identity.project(tenant).is_none() {
            return fail(CloudError::bad_request(format!(
                "Project ID {tenant} is not a valid project."
            )));
        }
        state.add_flavor_access(&flavor_id, tenant)
    } else {
        state.remove_flavor_access(&flavor_id, tenant)
    };
    match changed {
        Ok(projects) => access_view(&flavor_id, &projects),
        Err(error) => fail(error),
    }
}
