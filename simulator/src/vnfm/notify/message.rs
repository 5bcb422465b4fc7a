//! The VnfLcmOperationOccurrenceNotification for one subscription.

use super::matching::OP_OCC_NOTIFICATION;
use crate::vnfm::store::{OpOcc, SubscriptionRecord};
use crate::vnfm::{
    clock,
    deviation::{Deviation, Deviations},
    profile::Choices,
    types::{
        Link, NotificationLinks, NotificationStatus, Verbosity,
        VnfLcmOperationOccurrenceNotification,
    },
};

/// The notification of `occ`'s current state, links on the subscription's API root.
pub fn build(
    record: &SubscriptionRecord,
    occ: &OpOcc,
    deviations: &Deviations,
    choices: &Choices,
) -> VnfLcmOperationOccurrenceNotification {
    let mut root = record.root.clone();
    if deviations.has(Deviation::RelativeNotificationLinks) {
        root.base = String::new();
    }
    let root = &root;
    let state = occ.operation_state;
    let full_result = record.subscription.verbosity == Verbosity::Full
        && state.notification_status() == NotificationStatus::Result;
    let changes = occ.resource_changes.as_ref().filter(|_| full_result);
    VnfLcmOperationOccurrenceNotification {
        id: uuid::Uuid::new_v4().to_string(),
        notification_type: OP_OCC_NOTIFICATION.into(),
        subscription_id: record.subscription.id.clone(),
        time_stamp: clock::now(),
        notification_status: if deviations.has(Deviation::WrongNotificationStatus) {
            NotificationStatus::Result
        } else {
            state.notification_status()
        },
        operation_state: state,
        vnf_instance_id: occ.vnf_instance_id.clone(),
        operation: occ.operation,
        is_automatic_invocation: occ.is_automatic_invocation,
        verbosity: (record.subscription.verbosity == Verbosity::Short
            || choices.verbosity_always_given)
            .then_some(record.subscription.verbosity),
        vnf_lcm_op_occ_id: occ.id.clone(),
        affected_vnfcs: changes.map(|changes| changes.affected_vnfcs.clone()),
        affected_virtual_storages: changes.map(|changes| changes.affected_virtual_storages.clone()),
        error: occ.error.as_deref().cloned(),
        links: NotificationLinks {
            vnf_instance: Link::new(root.instance(&occ.vnf_instance_id)),
            subscription: Link::new(root.subscription(&record.subscription.id)),
            vnf_lcm_op_occ: Some(Link::new(root.op_occ(&occ.id))),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::vnfm::{
        links::{Api, ApiRoot},
        profile::Profile,
        store::Subscription,
    };

    fn subscription(verbosity: Verbosity) -> SubscriptionRecord {
        let (queue, _) = tokio::sync::mpsc::unbounded_channel();
        SubscriptionRecord {
            subscription: Subscription {
                id: "sub".into(),
                filter: None,
                callback_uri: "http://nfvo.invalid/cb".into(),
                verbosity,
            },
            api: Api::Sol003,
            root: ApiRoot {
                api: Api::Sol003,
                base: "http://vnfm.invalid".into(),
            },
            auth: crate::vnfm::notify::CallbackAuth::None,
            queue,
        }
    }

    fn changed_vnfc() -> serde_json::Value {
        json!({
            "id": "c", "vduId": "VDU1", "changeType": "MODIFIED", "affectedVnfcCpIds": [],
            "computeResource": {"resourceId": "server-1"}
        })
    }

    fn completed_revert() -> OpOcc {
        serde_json::from_value(json!({
            "id": "op", "operationState": "COMPLETED", "stateEnteredTime": "t", "startTime": "t",
            "vnfInstanceId": "inst", "operation": "REVERT_TO_SNAPSHOT",
            "isAutomaticInvocation": false, "isCancelPending": false,
            "resourceChanges": {
                "affectedVnfcs": [changed_vnfc()], "affectedVirtualLinks": [],
                "affectedExtLinkPorts": [], "affectedVirtualStorages": []
            },
            "_links": {"self": {"href": "x"}, "vnfInstance": {"href": "y"}}
        }))
        .unwrap()
    }

    #[test]
    fn a_short_notification_says_so_and_leaves_the_changes_out_and_full_is_said_by_choice() {
        let short = serde_json::to_value(build(
            &subscription(Verbosity::Short),
            &completed_revert(),
            &Deviations::default(),
            &Profile::Reference.choices(),
        ))
        .unwrap();
        assert_eq!(short["verbosity"], "SHORT");
        assert!(short.get("affectedVnfcs").is_none(), "{short}");
        let full = serde_json::to_value(build(
            &subscription(Verbosity::Full),
            &completed_revert(),
            &Deviations::default(),
            &Profile::Reference.choices(),
        ))
        .unwrap();
        assert!(full.get("verbosity").is_none(), "{full}");
        assert_eq!(full["affectedVnfcs"], json!([changed_vnfc()]));
        let given = serde_json::to_value(build(
            &subscription(Verbosity::Full),
            &completed_revert(),
            &Deviations::default(),
            &Profile::SpecMinimal.choices(),
        ))
        .unwrap();
        assert_eq!(given["verbosity"], "FULL");
    }
}
