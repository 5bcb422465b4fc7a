//! `/subscriptions`: subscribe to LCM notifications (the callback is tested first), query,
//! delete. Duplicates (same callbackUri and filter) answer 303 to the existing subscription.

use axum::{
    extract::{Path, RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, list, root::Root, AppState};
use crate::vnfm::{
    error::VnfmError,
    links::{Api, ApiRoot},
    notify::{CallbackAuth, QueueOwner},
    profile::Profile,
    query::ListQuery,
    store::{StoreData, SubscriptionRecord},
    types::{LccnSubscription, LccnSubscriptionRequest, Link, SubscriptionLinks, Verbosity},
};

/// The notification type this VNFM sends.
const OP_OCC_NOTIFICATION: &str = "VnfLcmOperationOccurrenceNotification";

/// Notification types a filter may name.
const KNOWN_NOTIFICATION_TYPES: [&str; 3] = [
    OP_OCC_NOTIFICATION,
    "VnfIdentifierCreationNotification",
    "VnfIdentifierDeletionNotification",
];

/// The optional complex attributes of `LccnSubscription` that `exclude_fields` may name.
const EXCLUDABLE: [&str; 1] = ["filter"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/subscriptions", post(create).get(query))
        .route("/v2/subscriptions/{id}", get(read).delete(delete))
}

/// The root the links of the subscription's notifications are on: the one it was created on,
/// or, with the vendor documentation's forms, the SOL003 root of the public HTTPS address.
fn notification_root(state: &AppState, root: &ApiRoot) -> ApiRoot {
    let config = &state.services.config;
    match (config.profile, &config.https_public_base) {
        (Profile::EscDocumented, Some(https)) => ApiRoot {
            api: Api::Sol003,
            base: https.clone(),
        },
        _ => root.clone(),
    }
}

fn render(record: &SubscriptionRecord, root: &ApiRoot) -> LccnSubscription {
    let mut subscription = record.subscription.clone();
    subscription.links = SubscriptionLinks {
        self_link: Link::new(root.subscription(&subscription.id)),
    };
    subscription
}

fn check_request(request: &LccnSubscriptionRequest) -> Result<CallbackAuth, VnfmError> {
    let uri =
        url::Url::parse(&request.callback_uri).map_err(|error| VnfmError::InvalidCallbackUri {
            uri: request.callback_uri.clone(),
            reason: error.to_string(),
        })?;
    if !matches!(uri.scheme(), "http" | "https") {
        return Err(VnfmError::CallbackNotHttp);
    }
    if let Some(filter) = &request.filter {
        if let Some(types) = &filter.notification_types {
            if let Some(unknown) = types
                .iter()
                .find(|name| !KNOWN_NOTIFICATION_TYPES.contains(&name.as_str()))
            {
                return Err(VnfmError::UnknownNotificationType(unknown.to_string()));
            }
            let op_occ_wanted = types.iter().any(|name| name == OP_OCC_NOTIFICATION);
            if !op_occ_wanted
                && (filter.operation_types.is_some() || filter.operation_states.is_some())
            {
                return Err(VnfmError::OperationFilterWithoutOpOccNotifications);
            }
        }
        if let Some(instance) = &filter.vnf_instance_subscription_filter {
            if instance.vnf_instance_ids.is_some() && instance.vnf_instance_names.is_some() {
                return Err(VnfmError::InstanceIdsAndNames);
            }
            if instance.vnfd_ids.is_some() && instance.vnf_products_from_providers.is_some() {
                return Err(VnfmError::VnfdIdsAndProducts);
            }
        }
    }
    CallbackAuth::from_request(request.authentication.as_ref())
        .map_err(VnfmError::InvalidSubscriptionAuthentication)
}

/// The id of a subscription with the same callbackUri and filter.
fn duplicate_of(data: &StoreData, request: &LccnSubscriptionRequest) -> Option<String> {
    data.subscriptions
        .values()
        .find(|record| {
            record.subscription.callback_uri == request.callback_uri
                && record.subscription.filter == request.filter
        })
        .map(|record| record.subscription.id.clone())
}

async fn create(
    State(state): State<AppState>,
    Root(root): Root,
    body: JsonBody<LccnSubscriptionRequest>,
) -> Result<Response, VnfmError> {
    let request = body.value;
    let auth = check_request(&request)?;
    let see_other = |id: String| {
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, root.subscription(&id))],
        )
            .into_response()
    };
    if let Some(existing) = duplicate_of(&state.services.store.lock(), &request) {
        return Ok(see_other(existing));
    }
    state
        .services
        .notifier
        .test_callback(&request.callback_uri, &auth)
        .await
        .map_err(VnfmError::CallbackTestFailed)?;
    let id = uuid::Uuid::new_v4().to_string();
    let subscription = LccnSubscription {
        id: id.clone(),
        filter: request.filter.clone(),
        callback_uri: request.callback_uri.clone(),
        verbosity: request.verbosity.unwrap_or(Verbosity::Full),
        links: SubscriptionLinks {
            self_link: Link::new(root.subscription(&id)),
        },
    };
    let mut data = state.services.store.lock();
    // Checked again: another request may have subscribed during the endpoint test.
    if let Some(existing) = duplicate_of(&data, &request) {
        return Ok(see_other(existing));
    }
    let owner = QueueOwner {
        subscription_id: id.clone(),
        api: root.api,
    };
    let queue = state
        .services
        .notifier
        .open_queue(owner, request.callback_uri.clone(), auth);
    data.subscriptions.insert(
        id.clone(),
        SubscriptionRecord {
            subscription: subscription.clone(),
            root: notification_root(&state, &root),
            queue,
        },
    );
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, root.subscription(&id))],
        Json(subscription),
    )
        .into_response())
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    RawQuery(raw): RawQuery,
) -> Result<Response, VnfmError> {
    let query = ListQuery::parse(raw.as_deref()).map_err(VnfmError::InvalidQuery)?;
    let data = state.services.store.lock();
    list::page(
        &data.subscriptions,
        &query,
        state.services.config.page_size,
        list::ListSpec {
            defaults: &[],
            excludable: &EXCLUDABLE,
            prefilter: &|_| true,
            render: &|record| serde_json::to_value(render(record, &root)).unwrap_or_default(),
            url: format!("{}/subscriptions", root.v2()),
        },
    )
}

async fn read(
    State(state): State<AppState>,
    Root(root): Root,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    let record = data
        .subscriptions
        .get(&id)
        .ok_or_else(|| VnfmError::NoSubscription(id.clone()))?;
    Ok(Json(render(record, &root)).into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    state
        .services
        .store
        .lock()
        .subscriptions
        .remove(&id)
        .ok_or_else(|| VnfmError::NoSubscription(id.clone()))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
