//! `/v2/images/{id}/members`: share an image with projects, list, show, answer, stop sharing.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::fail;
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    gateway::{parse_body, Scope},
    model::ImageMember,
};

fn view(cloud: &Cloud, image_id: &str, member: &ImageMember) -> Value {
    let stamp = |ms| {
        cloud
            .clock()
            .wall(ms)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    json!({
        "created_at": stamp(member.created_ms),
        "updated_at": stamp(member.updated_ms),
        "image_id": image_id,
        "member_id": member.member_id,
        "status": member.status,
        "schema": "/v2/schemas/member",
    })
}

/// 200 with the membership, or Glance's error.
fn member_answer(
    cloud: &Cloud,
    headers: &HeaderMap,
    image_id: &str,
    member: Result<ImageMember, CloudError>,
) -> Response {
    match member {
        Ok(member) => Json(view(cloud, image_id, &member)).into_response(),
        Err(error) => fail(headers, error),
    }
}

fn field(body: &Bytes, key: &str) -> Result<String, CloudError> {
    let value: Value = parse_body(body)?;
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| CloudError::bad_request(format!("{key} is required")))
}

/// `POST /v2/images/{id}/members {"member"}` -> 200 with the pending membership.
pub async fn add(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    let added = field(&body, "member").and_then(|member| {
        cloud
            .state()
            .add_image_member(&scope.project_id, &image_id, &member, now)
    });
    member_answer(&cloud, &headers, &image_id, added)
}

/// `GET /v2/images/{id}/members`.
pub async fn list(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path(image_id): Path<String>,
) -> Response {
    match cloud.state().image_members(&scope.project_id, &image_id) {
        Ok(members) => Json(json!({
            "members": members.iter().map(|m| view(&cloud, &image_id, m)).collect::<Vec<_>>(),
            "schema": "/v2/schemas/members",
        }))
        .into_response(),
        Err(error) => fail(&headers, error),
    }
}

/// `GET /v2/images/{id}/members/{member}`.
pub async fn show(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((image_id, member_id)): Path<(String, String)>,
) -> Response {
    let member = cloud
        .state()
        .image_member(&scope.project_id, &image_id, &member_id);
    member_answer(&cloud, &headers, &image_id, member)
}

/// `PUT /v2/images/{id}/members/{member} {"status"}`: the member accepts or rejects.
pub async fn answer(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((image_id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let now = cloud.clock().now_ms();
    let answered = field(&body, "status").and_then(|status| {
        cloud.state().set_image_member_status(
            &scope.project_id,
            &image_id,
            &member_id,
            &status,
            now,
        )
    });
    member_answer(&cloud, &headers, &image_id, answered)
}

/// `DELETE /v2/images/{id}/members/{member}` -> 204.
pub async fn remove(
    State(cloud): State<Cloud>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    Path((image_id, member_id)): Path<(String, String)>,
) -> Response {
    match cloud
        .state()
        .remove_image_member(&scope.project_id, &image_id, &member_id)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&headers, error),
    }
}
