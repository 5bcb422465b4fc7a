//! Subscriptions' own changes: subscribe (after the callback endpoint test; a duplicate
//! answers the existing subscription, or, as the profile chooses, no test and duplicates
//! created) and unsubscribe.

use crate::vnfm::{
    error::VnfmError,
    links::{Api, ApiRoot},
    notify::{CallbackAuth, QueueOwner},
    profile::DuplicateSubscriptions,
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

/// The id of a subscription with the same callbackUri and filter, where the profile answers
/// duplicates with it.
fn duplicate_of(
    services: &Services,
    data: &StoreData,
    request: &LccnSubscriptionRequest,
) -> Option<String> {
    if services.config.choices().duplicate_subscriptions == DuplicateSubscriptions::Created {
        return None;
    }
    data.subscriptions
        .values()
        .find(|record| {
            record.subscription.callback_uri == request.callback_uri
                && record.subscription.filter == request.filter
        })
        .map(|record| record.subscription.id.clone())
}

/// Tests the callback endpoint (where the profile does), then stores the subscription made on
/// `api` and starts its delivery; its notifications link to resources under
/// `notification_root`.
pub async fn subscribe(
    services: &Services,
    request: LccnSubscriptionRequest,
    auth: CallbackAuth,
    api: Api,
    notification_root: ApiRoot,
) -> Result<Subscribed, VnfmError> {
    if let Some(existing) = duplicate_of(services, &services.store.lock(), &request) {
        return Ok(Subscribed::Existing(existing));
    }
    if services.config.choices().callback_test {
        services
            .notifier
            .test_callback(&request.callback_uri, &auth)
            .await
            .map_err(VnfmError::CallbackTestFailed)?;
    }
    let id = uuid::Uuid::new_v4().to_string();
    let subscription = Subscription {
        id: id.clone(),
        filter: request.filter.clone(),
        callback_uri: request.callback_uri.clone(),
        verbosity: request.verbosity.unwrap_or(Verbosity::Full),
    };
    let mut data = services.store.lock();
    // Checked again: another request may have subscribed during the endpoint test.
    if let Some(existing) = duplicate_of(services, &data, &request) {
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
