//! The handlers Keystone's named resources share (domains, projects, users, groups, roles):
//! list with filters, create, show, update and delete, each behind Keystone's default policy
//! `identity:<action>` (administrators). Each resource's own rules (its attributes, checks and
//! who else may read it) stay in its file, behind [`Named`].

use std::collections::HashMap;

use axum::{extract::State, http::HeaderMap, routing::get, Router};
use serde_json::Map;

use super::{
    policy::{authorize, Caller},
    views::{self, body_object, fail},
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::CloudState;

/// A list query's filters.
pub type Filters = HashMap<String, String>;

/// The object of a create or update body.
pub type Object = Map<String, Value>;

/// One kind of named Keystone resource.
pub trait Named: 'static {
    /// The key of one resource in a body, and the resource of its policy actions (`project`).
    const ONE: &'static str;
    /// The key of a list, its path under `/v3` and the resources of `list_<many>` (`projects`).
    const MANY: &'static str;
    /// The stored resource.
    type Item;

    /// The resource's JSON view.
    const VIEW: fn(&Cloud, &Self::Item) -> Value;

    /// Every stored resource, in order.
    fn all(state: &CloudState) -> &[Self::Item];

    /// Whether a list query's filters keep the resource.
    fn keeps(item: &Self::Item, filters: &Filters) -> bool;

    /// Creates a resource from the object of a create body.
    fn create(cloud: &Cloud, object: &Object) -> Result<Self::Item, CloudError>;

    /// The resource `id` (404 when there is none).
    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s Self::Item, CloudError>;

    /// Whether the caller may show resource `id`: administrators only, unless the resource
    /// says otherwise.
    fn may_show(caller: Option<Caller>, id: &str) -> Result<(), CloudError> {
        let _ = id;
        authorize(caller, &format!("get_{}", Self::ONE), |_| false).map(drop)
    }

    /// Applies the object of an update body to resource `id`.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<Self::Item, CloudError>;

    /// Deletes resource `id` with what it holds.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError>;
}

/// The routes of a named resource: `{path}` (list, create) and `{path}/{id}` (show, update,
/// delete).
pub fn routes<R: Named>(router: Router<Cloud>, path: &str) -> Router<Cloud> {
    router.route(path, get(list::<R>).post(create::<R>)).route(
        &format!("{path}/{{id}}"),
        get(show::<R>).patch(update::<R>).delete(remove::<R>),
    )
}

/// Administrators only.
fn admin(cloud: &Cloud, headers: &HeaderMap, action: &str) -> Result<(), CloudError> {
    authorize(Caller::of(cloud, headers), action, |_| false).map(drop)
}

/// `GET /v3/{many}` with the resource's filters.
pub async fn list<R: Named>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Query(filters): Query<Filters>,
) -> Response {
    if let Err(error) = admin(&cloud, &headers, &format!("list_{}", R::MANY)) {
        return fail(&cloud, error);
    }
    let state = cloud.state();
    let items = R::all(&state)
        .iter()
        .filter(|item| R::keeps(item, &filters))
        .map(|item| R::VIEW(&cloud, item))
        .collect();
    views::list(&cloud, R::MANY, R::MANY, items)
}

/// `POST /v3/{many}` -> 201.
pub async fn create<R: Named>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let made = admin(&cloud, &headers, &format!("create_{}", R::ONE))
        .and_then(|_| R::create(&cloud, &body_object(&body, R::ONE)?));
    match made {
        Ok(item) => (
            StatusCode::CREATED,
            Json(json!({ R::ONE: R::VIEW(&cloud, &item) })),
        )
            .into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `GET /v3/{many}/{id}`.
pub async fn show<R: Named>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let allowed = R::may_show(Caller::of(&cloud, &headers), &id);
    let state = cloud.state();
    match allowed.and_then(|_| R::find(&state, &id)) {
        Ok(item) => Json(json!({ R::ONE: R::VIEW(&cloud, item) })).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `PATCH /v3/{many}/{id}`.
pub async fn update<R: Named>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let updated = admin(&cloud, &headers, &format!("update_{}", R::ONE))
        .and_then(|_| R::update(&cloud, &id, &body_object(&body, R::ONE)?));
    match updated {
        Ok(item) => Json(json!({ R::ONE: R::VIEW(&cloud, &item) })).into_response(),
        Err(error) => fail(&cloud, error),
    }
}

/// `DELETE /v3/{many}/{id}` -> 204.
pub async fn remove<R: Named>(
    State(cloud): State<Cloud>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let removed =
        admin(&cloud, &headers, &format!("delete_{}", R::ONE)).and_then(|_| R::delete(&cloud, &id));
    views::no_content(&cloud, removed)
}
