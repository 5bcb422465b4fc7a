//! A subscription as stored, with what its delivery needs.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::vnfm::{
    links::{Api, ApiRoot},
    notify::{CallbackAuth, Notifier, QueueOwner},
    types::{LifecycleChangeNotificationsFilter, Verbosity},
};

/// What a subscriber asked for: the `LccnSubscription` attributes without the links, which are
/// made when it is read, for the API root it is read through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    pub filter: Option<LifecycleChangeNotificationsFilter>,
    pub callback_uri: String,
    pub verbosity: Verbosity,
}

/// A subscription with what delivery needs.
#[derive(Debug)]
pub struct SubscriptionRecord {
    pub subscription: Subscription,
    /// The API the subscription was made on (VNFM fault rules match on it).
    pub api: Api,
    /// The API root notification links are on: the one the subscription was made on, or the
    /// one the vendor documentation's forms use.
    pub root: ApiRoot,
    /// How notifications authenticate towards the callback endpoint.
    pub auth: CallbackAuth,
    /// The notification queue of this subscription (closing it ends its delivery task).
    pub queue: UnboundedSender<Value>,
}

/// A subscription as a state document keeps it: the record without its queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedSubscription {
    pub subscription: Subscription,
    pub api: Api,
    pub root: ApiRoot,
    pub auth: CallbackAuth,
}

impl SubscriptionRecord {
    /// The record as a state document keeps it.
    pub fn save(&self) -> SavedSubscription {
        SavedSubscription {
            subscription: self.subscription.clone(),
            api: self.api,
            root: self.root.clone(),
            auth: self.auth.clone(),
        }
    }

    /// A loaded subscription, with a new delivery task.
    pub fn open(saved: SavedSubscription, notifier: &Notifier) -> Self {
        let owner = QueueOwner {
            subscription_id: saved.subscription.id.clone(),
            api: saved.api,
        };
        let queue = notifier.open_queue(
            owner,
            saved.subscription.callback_uri.clone(),
            saved.auth.clone(),
        );
        Self {
            subscription: saved.subscription,
            api: saved.api,
            root: saved.root,
            auth: saved.auth,
            queue,
        }
    }
}
