//! The handlers every Neutron resource shares: list (filters, `fields`, sorting, paging),
//! show (`fields`), create (also in bulk, all or none), update and delete. Each resource's
//! own rules (its attributes, validation and messages) stay in its file, behind
//! [`Resource`] and [`Update`].

use axum::{routing::get, Router};

use super::{attributes, caller, fail, query, query::Params};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{Caller, CloudState};

/// What the shared handlers pass to a resource's rules about the call.
pub struct Context<'a> {
    /// The cloud, for rendering views.
    pub cloud: &'a Cloud,
    /// Who is calling.
    pub caller: Caller<'a>,
    /// The cloud time of the call.
    pub now_ms: u64,
}

/// A rendered resource, or why there is none.
pub type View = Result<Value, CloudError>;

/// The id and view of a created resource, or why it was not created.
pub type Made = Result<(String, Value), CloudError>;

/// One kind of Neutron resource, as its list, show, create and delete handlers see it.
pub trait Resource: 'static {
    /// The key of one resource in a body (`network`).
    const ONE: &'static str;
    /// The key of a list of them in a body, and the collection in paging links (`networks`).
    const MANY: &'static str;

    /// The views of the resources the caller sees, in creation order.
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value>;

    /// The view of one resource the caller sees.
    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View;

    /// Creates one resource from one item of a create body.
    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made;

    /// Removes a resource a bulk create made before a later item failed.
    fn undo(cx: &Context<'_>, state: &mut CloudState, id: &str);

    /// Deletes a resource.
    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError>;
}

/// A Neutron resource that `PUT` changes.
pub trait Update: Resource {
    /// What an update asks to change.
    type Changes;

    /// The changes the resource object of an update body asks for.
    fn changes(item: &Value) -> Result<Self::Changes, CloudError>;

    /// Applies the changes: the view of the changed resource.
    fn update(cx: &Context<'_>, state: &mut CloudState, id: &str, changes: Self::Changes) -> View;
}

/// The views of `items` in the order of their creation sequence numbers.
pub fn in_order<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    seq: impl Fn(&T) -> u64,
    view: impl Fn(&T) -> Value,
) -> Vec<Value> {
    let mut items: Vec<&T> = items.collect();
    items.sort_by_key(|item| seq(item));
    items.into_iter().map(view).collect()
}

/// The routes of a resource without update: `{path}` (list, create) and `{path}/{id}` (show,
/// delete).
pub fn routes<R: Resource>(router: Router<Cloud>, path: &str) -> Router<Cloud> {
    router.route(path, get(list::<R>).post(create::<R>)).route(
        &format!("{path}/{{id}}"),
        get(show::<R>).delete(remove::<R>),
    )
}

/// The routes of a resource with update: [`routes`] and `PUT {path}/{id}`.
pub fn routes_with_update<R: Update>(router: Router<Cloud>, path: &str) -> Router<Cloud> {
    router.route(path, get(list::<R>).post(create::<R>)).route(
        &format!("{path}/{{id}}"),
        get(show::<R>).put(update::<R>).delete(remove::<R>),
    )
}

/// The context of a call.
fn context(call: &Call) -> Context<'_> {
    Context {
        cloud: &call.cloud,
        caller: caller(&call.scope),
        now_ms: call.cloud.clock().now_ms(),
    }
}

/// `GET /{collection}`: the views the caller sees, filtered, projected, sorted and paged.
pub async fn list<R: Resource>(call: Call, Query(params): Query<Params>) -> Response {
    let cx = context(&call);
    let views = R::list(&cx, &mut call.cloud.state());
    let url = format!("{}/networking/v2.0/{}", call.cloud.public_url(), R::MANY);
    match query::list(R::MANY, &url, views, &params) {
        Ok(body) => Json(body).into_response(),
        Err(error) => fail(error),
    }
}

/// `GET /{collection}/{id}`.
pub async fn show<R: Resource>(
    call: Call,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let view = R::show(&context(&call), &call.cloud.state(), &id);
    show_answer(R::ONE, view, &params)
}

/// `POST /{collection}` -> 201: one resource per item of the body (several in the bulk form,
/// all or none), answered as `{one: view}` or `{many: [views]}`.
pub async fn create<R: Resource>(call: Call, body: Bytes) -> Response {
    let cx = context(&call);
    let body: Value = match parse_body(&body) {
        Ok(body) => body,
        Err(error) => return fail(error),
    };
    let (items, bulk) = match attributes::items(&body, R::ONE, R::MANY) {
        Ok(items) => items,
        Err(error) => return fail(error),
    };
    let mut state = call.cloud.state();
    let mut made: Vec<(String, Value)> = Vec::new();
    for item in items {
        match R::create(&cx, &mut state, item) {
            Ok(one) => made.push(one),
            Err(error) => {
                for (id, _) in made.iter().rev() {
                    R::undo(&cx, &mut state, id);
                }
                return fail(error);
            }
        }
    }
    let mut views: Vec<Value> = made.into_iter().map(|(_, view)| view).collect();
    let body = if bulk {
        json!({ R::MANY: views })
    } else {
        json!({ R::ONE: views.remove(0) })
    };
    (StatusCode::CREATED, Json(body)).into_response()
}

/// `PUT /{collection}/{id}` `{one: {...}}`.
pub async fn update<R: Update>(call: Call, Path(id): Path<String>, body: Bytes) -> Response {
    let parsed = parse_body::<Value>(&body).and_then(|body| {
        let item = body.get(R::ONE).ok_or_else(|| {
            CloudError::bad_request(format!("Unable to find '{}' in request body", R::ONE))
        })?;
        R::changes(item)
    });
    let changes = match parsed {
        Ok(changes) => changes,
        Err(error) => return fail(error),
    };
    let view = R::update(&context(&call), &mut call.cloud.state(), &id, changes);
    show_answer(R::ONE, view, &Vec::new())
}

/// `DELETE /{collection}/{id}` -> 204.
pub async fn remove<R: Resource>(call: Call, Path(id): Path<String>) -> Response {
    match R::delete(&context(&call), &mut call.cloud.state(), &id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => fail(error),
    }
}

/// A show answer: `{one: view}` with only the `fields` asked for.
fn show_answer(one: &str, view: View, params: &Params) -> Response {
    match view {
        Ok(view) => Json(json!({ one: query::project(view, params) })).into_response(),
        Err(error) => fail(error),
    }
}
