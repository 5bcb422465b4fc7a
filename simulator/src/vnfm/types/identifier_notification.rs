//! The notifications about a VNF instance resource being created or deleted.

use serde::{Deserialize, Serialize};

use crate::vnfm::clock::Timestamp;

use super::NotificationLinks;

/// SOL003 §5.5.2.18 `VnfIdentifierCreationNotification` and §5.5.2.19
/// `VnfIdentifierDeletionNotification`: the two have the same attributes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfIdentifierNotification {
    pub id: String,
    pub notification_type: String,
    pub subscription_id: String,
    pub time_stamp: Timestamp,
    pub vnf_instance_id: String,
    #[serde(rename = "_links")]
    pub links: NotificationLinks,
}
