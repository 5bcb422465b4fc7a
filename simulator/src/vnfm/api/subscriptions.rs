//! `/subscriptions`: subscribe to LCM notifications (the callback is tested first), query,
//! delete. Duplicates (same callbackUri and filter) answer 303 to the existing subscription;
//! the profile may skip the test and create duplicates (conductor/subscriptions.rs).

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

use super::{body::JsonBody, found, list, root::Root, AppState};
use crate::vnfm::{
    conductor::{self, Subscribed},
    error::VnfmError,
    links::{Api, ApiRoot},
    notify::CallbackAuth,
    profile::NotificationLinks,
    store::Subscription,
    types::{LccnSubscription, LccnSubscriptionRequest, Link, SubscriptionLinks},
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
    match (
        config.choices().notification_links,
        &config.https_public_base,
    ) {
        (NotificationLinks::Sol003Https, Some(https)) => ApiRoot {
            api: Api::Sol003,
            base: https.clone(),
        },
        _ => root.clone(),
    }
}

/// The `LccnSubscription` of `subscription`, with its link on `root`.
fn render(subscription: &Subscription, root: &ApiRoot) -> LccnSubscription {
    LccnSubscription {
        id: subscription.id.clone(),
        filter: subscription.filter.clone(),
        callback_uri: subscription.callback_uri.clone(),
        verbosity: subscription.verbosity,
        links: SubscriptionLinks {
            self_link: Link::new(root.subscription(&subscription.id)),
        },
    }
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

async fn create(
    State(state): State<AppState>,
    Root(root): Root,
    body: JsonBody<LccnSubscriptionRequest>,
) -> Result<Response, VnfmError> {
    let request = body.value;
    let auth = check_request(&request)?;
    let notification_root = notification_root(&state, &root);
    match conductor::subscribe(&state.services, request, auth, root.api, notification_root).await? {
        Subscribed::Existing(id) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, root.subscription(&id))],
        )
            .into_response()),
        Subscribed::Created(subscription) => Ok((
            StatusCode::CREATED,
            [(header::LOCATION, root.subscription(&subscription.id))],
            Json(render(&subscription, &root)),
        )
            .into_response()),
    }
}

async fn query(
    State(state): State<AppState>,
    Root(root): Root,
    list::Query(query): list::Query,
) -> Result<Response, VnfmError> {
    let data = state.services.store.lock();
    list::page(
        &data.subscriptions,
        &query,
        &state.services.config,
        list::ListSpec {
            defaults: &[],
            excludable: &EXCLUDABLE,
            prefilter: &|_| true,
            render: &|record| {
                serde_json::to_value(render(&record.subscription, &root)).unwrap_or_default()
            },
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
    let record = found(&data.subscriptions, &id, VnfmError::NoSubscription)?;
    Ok(Json(render(&record.subscription, &root)).into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, VnfmError> {
    conductor::unsubscribe(&state.services, &id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
