//! `/v3/domains`: list, create, show, update and delete (administrators; anyone may show a
//! domain, as clients read the default domain).

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    policy::{authorize, Caller},
    views::{self, body_object, fail, flag, name, text},
};
use crate::openstack::{cloud::Cloud, model::DomainChanges};

/// `GET /v3/domains` (filters `name`, `enabled`).
pub async fn list(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(error) = authorize(Caller::of(&cloud, &headers), "list_domains", |_| false) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let domains: Vec<Value> = state
        .identity
        .domains
        .iter()
        .filter(|d| views::matches(&query, &d.name, d.enabled, None))
        .map(|d| views::domain(&cloud, d))
        .collect();
    views::list(&cloud, "domains", "domains", domains)
}

/// `POST /v3/domains` -> 201.
pub async fn create(State(cloud): State<Cloud>, headers: HeaderMap, body: Bytes) -> Response {
    let made = authorize(Caller::of(&cloud, &headers), "create_domain", |_| false).and_then(|_| {
        let object = body_object(&body, "domain")?;
        cloud.state().create_domain(
            &name(&object, 64)?,
            text(&object, "description")?.unwrap_or_default(),
            flag(&object, "enabled")?.unwrap_or(true),
        )
    });
    match made {
        Ok(domain) => (
            StatusCode::CREATED,
            Json(json!({"domain": views::domain(&cloud, &domain)})),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/domains/{id}`.
pub async fn show(State(cloud): State<Cloud>, Path(id): Path<String>) -> Response {
    let state = cloud.state();
    match state.identity.domain_or_404(&id) {
        Ok(domain) => Json(json!({"domain": views::domain(&cloud, domain)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/domains/{id}`: name, description, enabled.
pub async fn update(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated =
        authorize(Caller::of(&cloud, &headers), "update_domain", |_| false).and_then(|_| {
            let object = body_object(&body, "domain")?;
            let changes = DomainChanges {
                name: object
                    .contains_key("name")
                    .then(|| name(&object, 64))
                    .transpose()?,
                description: text(&object, "description")?,
                enabled: flag(&object, "enabled")?,
            };
            cloud.state().update_domain(&id, changes)
        });
    match updated {
        Ok(domain) => Json(json!({"domain": views::domain(&cloud, &domain)})).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/domains/{id}` -> 204 (403 while enabled), with its projects and users.
pub async fn remove(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed = authorize(Caller::of(&cloud, &headers), "delete_domain", |_| false)
        .and_then(|_| cloud.state().delete_domain(&id));
    views::no_content(&cloud, removed)
}
