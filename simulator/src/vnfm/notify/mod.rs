//! LCM notifications: who is subscribed, what each notification says, and its delivery (one
//! ordered queue per subscription, retried with bounded backoff, never blocking an operation).

mod callback_auth;
mod delivery;
mod identifier_message;
mod matching;
mod message;

pub use callback_auth::CallbackAuth;

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use super::{
    config::RetryPolicy,
    deviation::{Deviation, Deviations},
    faults::VnfmFaults,
    links::Api,
    profile::Choices,
    store::{InstanceRecord, OpOcc, StoreData},
    types::LcmOperationStateType,
};
use matching::Event;

/// Sends notifications and tests callback endpoints.
#[derive(Debug)]
pub struct Notifier {
    client: reqwest::Client,
    retry: RetryPolicy,
    deviations: Deviations,
    choices: Choices,
    faults: Arc<VnfmFaults>,
}

/// The subscription a delivery queue serves, as notification fault rules match it.
#[derive(Clone, Debug)]
pub struct QueueOwner {
    /// The subscription's id.
    pub subscription_id: String,
    /// The API root the subscription was made on.
    pub api: Api,
}

impl Notifier {
    /// A notifier with its own HTTP client; `faults` holds the notification fault rules.
    pub fn new(
        retry: RetryPolicy,
        deviations: Deviations,
        choices: Choices,
        faults: Arc<VnfmFaults>,
    ) -> Self {
        crate::tls::install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(retry.request_timeout)
            .build()
            .unwrap_or_default();
        Self {
            client,
            retry,
            deviations,
            choices,
            faults,
        }
    }

    /// The SOL003 endpoint test: GET on the callback URI must answer 204. `Err` says what the
    /// endpoint did instead.
    pub async fn test_callback(
        &self,
        callback_uri: &str,
        auth: &CallbackAuth,
    ) -> Result<(), String> {
        delivery::test_endpoint(&self.client, callback_uri, auth).await
    }

    /// Starts the delivery task of a new subscription and returns its queue.
    pub fn open_queue(
        &self,
        owner: QueueOwner,
        callback_uri: String,
        auth: CallbackAuth,
    ) -> UnboundedSender<Value> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        let endpoint = delivery::Endpoint {
            client: self.client.clone(),
            retry: self.retry,
            callback_uri,
            auth,
        };
        tokio::spawn(delivery::deliver_queue(
            endpoint,
            owner,
            self.faults.clone(),
            receiver,
        ));
        sender
    }

    /// Queues the notification of `occ`'s current state for every matching subscription.
    /// Called with the store locked, right after the state was stored, so queues keep order.
    pub fn publish(&self, data: &StoreData, occ: &OpOcc) {
        let instance = data.instances.get(&occ.vnf_instance_id);
        let facts = matching::InstanceFacts {
            id: &occ.vnf_instance_id,
            name: instance.and_then(|record| record.name.as_deref()),
            descriptor: instance.map(|record| &record.descriptor),
        };
        if occ.operation_state == LcmOperationStateType::Processing
            && self.deviations.has(Deviation::NoProcessingNotification)
        {
            return;
        }
        for record in data.subscriptions.values() {
            if !matching::matches(
                record.subscription.filter.as_ref(),
                &Event::OpOcc(occ),
                &facts,
            ) {
                continue;
            }
            let Ok(body) =
                serde_json::to_value(message::build(record, occ, &self.deviations, &self.choices))
            else {
                continue;
            };
            if occ.operation_state == LcmOperationStateType::Starting
                && self.deviations.has(Deviation::NotificationsOutOfOrder)
            {
                let queue = record.queue.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    let _ = queue.send(body);
                });
                continue;
            }
            if self.deviations.has(Deviation::DuplicateNotifications) {
                let _ = record.queue.send(body.clone());
            }
            let _ = record.queue.send(body);
        }
    }

    /// Queues a VnfIdentifierCreationNotification about `instance` (just stored) for every
    /// matching subscription. Called with the store locked.
    pub fn publish_instance_created(&self, data: &StoreData, instance: &InstanceRecord) {
        self.publish_identifier(data, instance, &Event::InstanceCreated);
    }

    /// Queues a VnfIdentifierDeletionNotification about `instance` (just removed) for every
    /// matching subscription. Called with the store locked.
    pub fn publish_instance_deleted(&self, data: &StoreData, instance: &InstanceRecord) {
        self.publish_identifier(data, instance, &Event::InstanceDeleted);
    }

    fn publish_identifier(&self, data: &StoreData, instance: &InstanceRecord, event: &Event) {
        let facts = matching::InstanceFacts {
            id: &instance.id,
            name: instance.name.as_deref(),
            descriptor: Some(&instance.descriptor),
        };
        for record in data.subscriptions.values() {
            if !matching::matches(record.subscription.filter.as_ref(), event, &facts) {
                continue;
            }
            let notification =
                identifier_message::build(record, event.notification_type(), &instance.id);
            if let Ok(body) = serde_json::to_value(notification) {
                let _ = record.queue.send(body);
            }
        }
    }
}
