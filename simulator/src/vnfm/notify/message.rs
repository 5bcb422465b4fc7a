//! The VnfLcmOperationOccurrenceNotification for one subscription.

use super::matching::OP_OCC_NOTIFICATION;
use crate::vnfm::store::SubscriptionRecord;
use crate::vnfm::{
    clock,
    types::{
        Link, NotificationLinks, Verbosity, VnfLcmOpOcc, VnfLcmOperationOccurrenceNotification,
    },
};

/// The notification of `occ`'s current state, links on the subscription's API root.
pub fn build(
    record: &SubscriptionRecord,
    occ: &VnfLcmOpOcc,
) -> VnfLcmOperationOccurrenceNotification {
    let root = &record.root;
    let state = occ.operation_state;
    let full_result =
        record.subscription.verbosity == Verbosity::Full && state.notification_status() == "RESULT";
    let change = |name: &str| {
        full_result
            .then(|| {
                occ.resource_changes
                    .as_ref()
                    .and_then(|changes| changes.get(name))
                    .cloned()
            })
            .flatten()
    };
    VnfLcmOperationOccurrenceNotification {
        id: uuid::Uuid::new_v4().to_string(),
        notification_type: OP_OCC_NOTIFICATION.into(),
        subscription_id: record.subscription.id.clone(),
        time_stamp: clock::now(),
        notification_status: state.notification_status().into(),
        operation_state: state,
        vnf_instance_id: occ.vnf_instance_id.clone(),
        operation: occ.operation,
        is_automatic_invocation: occ.is_automatic_invocation,
        vnf_lcm_op_occ_id: occ.id.clone(),
        affected_vnfcs: change("affectedVnfcs"),
        affected_virtual_storages: change("affectedVirtualStorages"),
        error: occ.error.clone(),
        links: NotificationLinks {
            vnf_instance: Link::new(root.instance(&occ.vnf_instance_id)),
            subscription: Link::new(root.subscription(&record.subscription.id)),
            vnf_lcm_op_occ: Link::new(root.op_occ(&occ.id)),
        },
    }
}
