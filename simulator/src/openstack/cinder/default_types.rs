//! `/default-types` (microversion 3.62+, the admin): the volume type a project's new volumes
//! get when they name none: set, show, list, unset.

use super::{fail, ProjectPath};
use crate::openstack::handler_prelude::*;

/// The checks of every call: the microversion (404 below 3.62), the admin (403) and, for one
/// project, that Keystone knows it (404).
fn check(
    cloud: &Cloud,
    scope: &Scope,
    version: Microversion,
    project: Option<&str>,
) -> Result<(), CloudError> {
    if version < Microversion(3, 62) {
        return Err(CloudError::not_found(format!(
            "API version {version} is not supported on this method."
        )));
    }
    if !scope.admin {
        return Err(CloudError::forbidden(
            "You are not authorized to perform this operation.",
        ));
    }
    if let Some(project) = project {
        if cloud.state().identity.project(project).is_none() {
            return Err(CloudError::not_found(format!(
                "Project with id {project} not found."
            )));
        }
    }
    Ok(())
}

fn view(project_id: &str, type_id: &str) -> Value {
    json!({"project_id": project_id, "volume_type_id": type_id})
}

/// `PUT /default-types/{project}` `{"default_type": {"volume_type": name or id}}` -> 200.
pub async fn set(
    call: Call<Microversion>,
    Path((_, project)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let wanted = check(&call.cloud, &call.scope, call.version, Some(&project))
        .and_then(|()| parse_body::<Value>(&body))
        .and_then(|body| {
            body.pointer("/default_type/volume_type")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    CloudError::bad_request(
                        "Invalid input for field/attribute default_type. 'volume_type' is a required property",
                    )
                })
        });
    let mut state = call.cloud.state();
    let set = wanted.and_then(|wanted| {
        let type_id = state
            .volume_type_by_name_or_id(&call.scope.project_id, true, &wanted)
            .map_err(|error| CloudError::bad_request(error.message))?
            .id
            .clone();
        state.set_project_default_type(&project, &type_id)?;
        Ok(type_id)
    });
    match set {
        Ok(type_id) => Json(json!({"default_type": view(&project, &type_id)})).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /default-types/{project}`.
pub async fn show(call: Call<Microversion>, Path((_, project)): ProjectPath<String>) -> Response {
    let found = check(&call.cloud, &call.scope, call.version, Some(&project)).and_then(|()| {
        call.cloud
            .state()
            .project_default_types
            .get(&project)
            .cloned()
            .ok_or_else(|| {
                CloudError::not_found(format!("Default type for project {project} not found."))
            })
    });
    match found {
        Ok(type_id) => Json(json!({"default_type": view(&project, &type_id)})).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /default-types`.
pub async fn list(call: Call<Microversion>) -> Response {
    if let Err(error) = check(&call.cloud, &call.scope, call.version, None) {
        return fail(error);
    }
    let state = call.cloud.state();
    let all: Vec<Value> = state
        .project_default_types
        .iter()
        .map(|(project, type_id)| view(project, type_id))
        .collect();
    Json(json!({ "default_types": all })).into_response()
}

/// `DELETE /default-types/{project}` -> 204 (also for a project Keystone no longer has).
pub async fn unset(call: Call<Microversion>, Path((_, project)): ProjectPath<String>) -> Response {
    match check(&call.cloud, &call.scope, call.version, None) {
        Ok(()) => {
            call.cloud.state().project_default_types.remove(&project);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => fail(error),
    }
}
