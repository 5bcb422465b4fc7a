//! `/v2/images/{id}/members`: share an image with projects, list, show, answer, stop sharing.

use super::{accept::Accept, fail};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::ImageMember;
use crate::openstack::stamp;

fn view(cloud: &Cloud, image_id: &str, member: &ImageMember) -> Value {
    let stamp = |ms| stamp::seconds(cloud, ms);
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
    accept: &Accept,
    image_id: &str,
    member: Result<ImageMember, CloudError>,
) -> Response {
    match member {
        Ok(member) => Json(view(cloud, image_id, &member)).into_response(),
        Err(error) => fail(accept, error),
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
    call: Call,
    accept: Accept,
    Path(image_id): Path<String>,
    body: Bytes,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let added = field(&body, "member").and_then(|member| {
        call.cloud
            .state()
            .add_image_member(&call.scope.project_id, &image_id, &member, now)
    });
    member_answer(&call.cloud, &accept, &image_id, added)
}

/// `GET /v2/images/{id}/members`.
pub async fn list(call: Call, accept: Accept, Path(image_id): Path<String>) -> Response {
    match call
        .cloud
        .state()
        .image_members(&call.scope.project_id, &image_id)
    {
        Ok(members) => Json(json!({
            "members": members.iter().map(|m| view(&call.cloud, &image_id, m)).collect::<Vec<_>>(),
            "schema": "/v2/schemas/members",
        }))
        .into_response(),
        Err(error) => fail(&accept, error),
    }
}

/// `GET /v2/images/{id}/members/{member}`.
pub async fn show(
    call: Call,
    accept: Accept,
    Path((image_id, member_id)): Path<(String, String)>,
) -> Response {
    let member = call
        .cloud
        .state()
        .image_member(&call.scope.project_id, &image_id, &member_id);
    member_answer(&call.cloud, &accept, &image_id, member)
}

/// `PUT /v2/images/{id}/members/{member} {"status"}`: the member accepts or rejects.
pub async fn answer(
    call: Call,
    accept: Accept,
    Path((image_id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let now = call.cloud.clock().now_ms();
    let answered = field(&body, "status").and_then(|status| {
        call.cloud.state().set_image_member_status(
            &call.scope.project_id,
            &image_id,
            &member_id,
            &status,
            now,
        )
    });
    member_answer(&call.cloud, &accept, &image_id, answered)
}

/// `DELETE /v2/images/{id}/members/{member}` -> 204.
pub async fn remove(
    call: Call,
    accept: Accept,
    Path((image_id, member_id)): Path<(String, String)>,
) -> Response {
    match call
        .cloud
        .state()
        .remove_image_member(&call.scope.project_id, &image_id, &member_id)
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(&accept, error),
    }
}
