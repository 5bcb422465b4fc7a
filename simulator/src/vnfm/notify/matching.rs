//! Whether a subscription's filter selects a notification.

use crate::vnfm::types::{LifecycleChangeNotificationsFilter, VnfLcmOpOcc};

/// The notification type this VNFM emits.
pub const OP_OCC_NOTIFICATION: &str = "VnfLcmOperationOccurrenceNotification";

/// What the filter can look at about the instance.
pub struct InstanceFacts<'a> {
    pub id: &'a str,
    pub vnfd_id: Option<&'a str>,
    pub name: Option<&'a str>,
}

fn allows<T: PartialEq>(list: Option<&Vec<T>>, value: Option<&T>) -> bool {
    match list {
        None => true,
        Some(list) => value.is_some_and(|value| list.contains(value)),
    }
}

/// Fields are ANDed, values within one list ORed; an absent filter selects everything.
pub fn matches(
    filter: Option<&LifecycleChangeNotificationsFilter>,
    occ: &VnfLcmOpOcc,
    facts: &InstanceFacts,
) -> bool {
    let Some(filter) = filter else { return true };
    let owned = |text: Option<&str>| text.map(str::to_string);
    let instance_ok = filter
        .vnf_instance_subscription_filter
        .as_ref()
        .is_none_or(|instance| {
            allows(instance.vnfd_ids.as_ref(), owned(facts.vnfd_id).as_ref())
                && allows(
                    instance.vnf_instance_ids.as_ref(),
                    Some(&facts.id.to_string()),
                )
                && allows(
                    instance.vnf_instance_names.as_ref(),
                    owned(facts.name).as_ref(),
                )
        });
    instance_ok
        && allows(
            filter.notification_types.as_ref(),
            Some(&OP_OCC_NOTIFICATION.to_string()),
        )
        && allows(filter.operation_types.as_ref(), Some(&occ.operation))
        && allows(filter.operation_states.as_ref(), Some(&occ.operation_state))
}
