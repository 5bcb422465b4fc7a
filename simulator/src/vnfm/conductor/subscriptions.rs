//! Subscriptions' own changes: subscribe (after the callback endpoint test; a duplicate
//! answers the existing subscription) and unsubscribe.

use crate::vnfm::{
    error::VnfmError,
    links::{Api, ApiRoot},
    notify::{CallbackAuth, QueueOwner},
    services::Services,
    store::{StoreData, Subscription, SubscriptionRecord},
    types::{LccnSubscriptionRequest, Verbosity},
};

/// What a subscribe request ended in.
pub enum Subscribed {
    /// A new subscription, as stored.
    Created(Box<Subscription>),
    /// The id of a subscription with the same callbackUri and filter.
    Existing(String),
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

/// Tests the callback endpoint, then stores the subscription made on `api` and starts its
/// delivery; its notifications link to resources under `notification_root`.
pub async fn subscribe(
    services: &Services,
    request: LccnSubscriptionRequest,
    auth: CallbackAuth,
    api: Api,
    notification_root: ApiRoot,
) -> Result<Subscribed, VnfmError> {
    if let Some(existing) = duplicate_of(&services.store.lock(), &request) {
        return Ok(Subscribed::Existing(existing));
    }
    services
        .notifier
        .test_callback(&request.callback_uri, &auth)
        .await
        .map_err(VnfmError::CallbackTestFailed)?;
    let id = uuid::Uuid::new_v4().to_string();
    let subscription = Subscription {
        id: id.clone(),
        filter: request.filter.clone(),
        callback_uri: request.callback_uri.clone(),
        verbosity: request.verbosity.unwrap_or(Verbosity::Full),
    };
    let mut data = services.store.lock();
    // Checked again: another request may have subscribed during the endpoint test.
    if let Some(existing) = duplicate_of(&data, &request) {
        return Ok(Subscribed::Existing(existing));
    }
    let owner = QueueOwner {
        subscription_id: id.clone(),
        api,
    };
    let queue = services
        .notifier
        .open_queue(owner, request.callback_uri, auth.clone());
    data.subscriptions.insert(
        id,
        SubscriptionRecord {
            subscription: subscription.clone(),
            api,
            root: notification_root,
            auth,
            queue,
        },
    );
    Ok(Subscribed::Created(Box::new(subscription)))
}

/// Removes the subscription `id` (closing its queue ends its delivery).
pub fn unsubscribe(services: &Services, id: &str) -> Result<(), VnfmError> {
    services
        .store
        .lock()
        .subscriptions
        .remove(id)
        .map(drop)
        .ok_or_else(|| VnfmError::NoSubscription(id.to_string()))
}
