//! A subscription as stored, with what its delivery needs.

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::vnfm::{links::ApiRoot, types::LccnSubscription};

/// A subscription with what delivery needs.
#[derive(Debug)]
pub struct SubscriptionRecord {
    pub subscription: LccnSubscription,
    /// The API root the subscription was created on; notification links use it.
    pub root: ApiRoot,
    /// The notification queue of this subscription (closing it ends its delivery task).
    pub queue: UnboundedSender<Value>,
}
