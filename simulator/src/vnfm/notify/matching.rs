//! Whether a subscription's filter selects a notification.

use crate::vnfm::{
    descriptors::VnfDescriptor,
    store::OpOcc,
    types::{LifecycleChangeNotificationsFilter, VnfProductsFromProviders},
};

/// The notification about an LCM operation occurrence's state.
pub const OP_OCC_NOTIFICATION: &str = "VnfLcmOperationOccurrenceNotification";
/// The notification about a new VNF instance resource.
pub const CREATION_NOTIFICATION: &str = "VnfIdentifierCreationNotification";
/// The notification about a deleted VNF instance resource.
pub const DELETION_NOTIFICATION: &str = "VnfIdentifierDeletionNotification";

/// What a notification is about, as far as a filter can tell.
pub enum Event<'a> {
    /// An operation occurrence entered its current state.
    OpOcc(&'a OpOcc),
    /// A VNF instance resource was created.
    InstanceCreated,
    /// A VNF instance resource was deleted.
    InstanceDeleted,
}

impl Event<'_> {
    /// The `notificationType` of the notification about this event.
    pub fn notification_type(&self) -> &'static str {
        match self {
            Self::OpOcc(_) => OP_OCC_NOTIFICATION,
            Self::InstanceCreated => CREATION_NOTIFICATION,
            Self::InstanceDeleted => DELETION_NOTIFICATION,
        }
    }
}

/// What the filter can look at about the instance.
pub struct InstanceFacts<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub descriptor: Option<&'a VnfDescriptor>,
}

fn allows<T: PartialEq>(list: Option<&Vec<T>>, value: Option<&T>) -> bool {
    match list {
        None => true,
        Some(list) => value.is_some_and(|value| list.contains(value)),
    }
}

/// Whether the descriptor is one of the provider / product / version combinations listed.
fn product_matches(
    providers: &[VnfProductsFromProviders],
    descriptor: Option<&VnfDescriptor>,
) -> bool {
    let Some(descriptor) = descriptor else {
        return false;
    };
    providers.iter().any(|provider| {
        provider.vnf_provider == descriptor.vnf_provider
            && provider.vnf_products.as_ref().is_none_or(|products| {
                products.iter().any(|product| {
                    product.vnf_product_name == descriptor.vnf_product_name
                        && product.versions.as_ref().is_none_or(|versions| {
                            versions.iter().any(|version| {
                                version.vnf_software_version == descriptor.vnf_software_version
                                    && allows(
                                        version.vnfd_versions.as_ref(),
                                        Some(&descriptor.vnfd_version),
                                    )
                            })
                        })
                })
            })
    })
}

/// Fields are ANDed, values within one list ORed; an absent filter selects everything.
/// `operationTypes` and `operationStates` apply to operation occurrence notifications only
/// (SOL003 allows them only together with that notification type).
pub fn matches(
    filter: Option<&LifecycleChangeNotificationsFilter>,
    event: &Event,
    facts: &InstanceFacts,
) -> bool {
    let Some(filter) = filter else { return true };
    let owned = |text: Option<&str>| text.map(str::to_string);
    let vnfd_id = facts
        .descriptor
        .map(|descriptor| descriptor.vnfd_id.clone());
    let instance_ok = filter
        .vnf_instance_subscription_filter
        .as_ref()
        .is_none_or(|instance| {
            allows(instance.vnfd_ids.as_ref(), vnfd_id.as_ref())
                && instance
                    .vnf_products_from_providers
                    .as_ref()
                    .is_none_or(|providers| product_matches(providers, facts.descriptor))
                && allows(
                    instance.vnf_instance_ids.as_ref(),
                    Some(&facts.id.to_string()),
                )
                && allows(
                    instance.vnf_instance_names.as_ref(),
                    owned(facts.name).as_ref(),
                )
        });
    let operation_ok = match event {
        Event::OpOcc(occ) => {
            allows(filter.operation_types.as_ref(), Some(&occ.operation))
                && allows(filter.operation_states.as_ref(), Some(&occ.operation_state))
        }
        Event::InstanceCreated | Event::InstanceDeleted => true,
    };
    instance_ok
        && allows(
            filter.notification_types.as_ref(),
            Some(&event.notification_type().to_string()),
        )
        && operation_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vnfm::descriptors::Catalog;
    use serde_json::json;

    fn occ() -> OpOcc {
        serde_json::from_value(json!({
            "id": "op", "operationState": "COMPLETED", "stateEnteredTime": "t", "startTime": "t",
            "vnfInstanceId": "inst", "operation": "CREATE_SNAPSHOT", "isAutomaticInvocation": false,
            "isCancelPending": false,
            "_links": {"self": {"href": "x"}, "vnfInstance": {"href": "y"}}
        }))
        .unwrap()
    }

    fn filter(value: serde_json::Value) -> LifecycleChangeNotificationsFilter {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn matches_products_states_and_instances() {
        let catalog = Catalog::load("image", "flavor", None).unwrap();
        let descriptor = catalog.get("vnfd-vb-1vdu");
        let facts = InstanceFacts {
            id: "inst",
            name: Some("a"),
            descriptor,
        };
        let provider = descriptor.unwrap().vnf_provider.clone();
        let product = descriptor.unwrap().vnf_product_name.clone();
        let yes = [
            json!({}),
            json!({"operationTypes": ["CREATE_SNAPSHOT"], "operationStates": ["COMPLETED", "FAILED"]}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfProductsFromProviders": [{"vnfProvider": provider, "vnfProducts": [{"vnfProductName": product, "versions": [{"vnfSoftwareVersion": "1.0", "vnfdVersions": ["1.0"]}]}]}]}}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfInstanceNames": ["a"], "vnfdIds": ["vnfd-vb-1vdu"]}}),
        ];
        for value in yes {
            assert!(
                matches(Some(&filter(value.clone())), &Event::OpOcc(&occ()), &facts),
                "{value}"
            );
        }
        let no = [
            json!({"operationTypes": ["INSTANTIATE"]}),
            json!({"operationStates": ["STARTING"]}),
            json!({"notificationTypes": ["VnfIdentifierCreationNotification"]}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfProductsFromProviders": [{"vnfProvider": "other"}]}}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfInstanceIds": ["other"]}}),
        ];
        for value in no {
            assert!(
                !matches(Some(&filter(value.clone())), &Event::OpOcc(&occ()), &facts),
                "{value}"
            );
        }
    }

    #[test]
    fn identifier_notifications_follow_the_type_and_instance_filters_only() {
        let catalog = Catalog::load("image", "flavor", None).unwrap();
        let facts = InstanceFacts {
            id: "inst",
            name: Some("a"),
            descriptor: catalog.get("vnfd-vb-1vdu"),
        };
        let both = [Event::InstanceCreated, Event::InstanceDeleted];
        let yes = [
            json!({}),
            json!({"notificationTypes": [CREATION_NOTIFICATION, DELETION_NOTIFICATION]}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfInstanceNames": ["a"]}}),
        ];
        for value in yes {
            for event in &both {
                assert!(
                    matches(Some(&filter(value.clone())), event, &facts),
                    "{value}"
                );
            }
        }
        let no = [
            json!({"notificationTypes": [OP_OCC_NOTIFICATION]}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfInstanceNames": ["b"]}}),
            json!({"vnfInstanceSubscriptionFilter": {"vnfdIds": ["vnfd-ib-1vdu"]}}),
        ];
        for value in no {
            for event in &both {
                assert!(
                    !matches(Some(&filter(value.clone())), event, &facts),
                    "{value}"
                );
            }
        }
        let creation_only = filter(json!({"notificationTypes": [CREATION_NOTIFICATION]}));
        assert!(matches(
            Some(&creation_only),
            &Event::InstanceCreated,
            &facts
        ));
        assert!(!matches(
            Some(&creation_only),
            &Event::InstanceDeleted,
            &facts
        ));
        assert!(!matches(
            Some(&creation_only),
            &Event::OpOcc(&occ()),
            &facts
        ));
    }
}
