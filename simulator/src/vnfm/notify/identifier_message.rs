//! The VnfIdentifierCreationNotification / VnfIdentifierDeletionNotification for one
//! subscription.

use crate::vnfm::{
    clock,
    store::SubscriptionRecord,
    types::{Link, NotificationLinks, VnfIdentifierNotification},
};

/// The notification of type `notification_type` about VNF instance `instance_id`, links on
/// the subscription's API root (no `vnfLcmOpOcc`: no operation is involved).
pub fn build(
    record: &SubscriptionRecord,
    notification_type: &str,
    instance_id: &str,
) -> VnfIdentifierNotification {
    let root = &record.root;
    VnfIdentifierNotification {
        id: uuid::Uuid::new_v4().to_string(),
        notification_type: notification_type.to_string(),
        subscription_id: record.subscription.id.clone(),
        time_stamp: clock::now(),
        vnf_instance_id: instance_id.to_string(),
        links: NotificationLinks {
            vnf_instance: Link::new(root.instance(instance_id)),
            subscription: Link::new(root.subscription(&record.subscription.id)),
            vnf_lcm_op_occ: None,
        },
    }
}
