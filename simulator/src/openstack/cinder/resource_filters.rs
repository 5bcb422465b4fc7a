//! `GET /resource_filters` (3.33+): the list filters this Cinder honours, per resource
//! (`resource` narrows to one).

use std::collections::HashMap;

use super::{attachments, fail, snapshots, volumes};
use crate::openstack::handler_prelude::*;

/// `GET /resource_filters`.
pub async fn list(version: Microversion, Query(query): Query<HashMap<String, String>>) -> Response {
    if version < Microversion(3, 33) {
        return fail(CloudError::not_found(format!(
            "API version {version} is not supported on this method."
        )));
    }
    let volume_filters: Vec<&str> = volumes::FILTERS
        .iter()
        .copied()
        .chain(["metadata"])
        .collect();
    let all: [(&str, Vec<&str>); 3] = [
        ("volume", volume_filters),
        ("snapshot", snapshots::FILTERS.to_vec()),
        ("attachment", attachments::FILTERS.to_vec()),
    ];
    let listed: Vec<Value> = all
        .iter()
        .filter(|(resource, _)| query.get("resource").is_none_or(|r| r == resource))
        .map(|(resource, filters)| json!({"resource": resource, "filters": filters}))
        .collect();
    Json(json!({ "resource_filters": listed })).into_response()
}
