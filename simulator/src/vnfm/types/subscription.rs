//! Subscriptions to LCM notifications.

use serde::{Deserialize, Serialize};

use super::{LcmOperationStateType, LcmOperationType, Link};

/// `LccnSubscriptionRequest`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LccnSubscriptionRequest {
    pub filter: Option<LifecycleChangeNotificationsFilter>,
    pub callback_uri: String,
    pub authentication: Option<SubscriptionAuthentication>,
    pub verbosity: Option<Verbosity>,
}

/// `LcmOpOccNotificationVerbosityType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verbosity {
    Full,
    Short,
}

/// `LccnSubscription` (never carries `authentication`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LccnSubscription {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<LifecycleChangeNotificationsFilter>,
    pub callback_uri: String,
    pub verbosity: Verbosity,
    #[serde(rename = "_links")]
    pub links: SubscriptionLinks,
}

/// `LccnSubscription._links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
}

/// `LifecycleChangeNotificationsFilter`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleChangeNotificationsFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_subscription_filter: Option<VnfInstanceSubscriptionFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_types: Option<Vec<LcmOperationType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_states: Option<Vec<LcmOperationStateType>>,
}

/// `VnfInstanceSubscriptionFilter`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfInstanceSubscriptionFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfd_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_products_from_providers: Option<Vec<VnfProductsFromProviders>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_names: Option<Vec<String>>,
}

/// `vnfProductsFromProviders[]`: VNFs of one provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfProductsFromProviders {
    pub vnf_provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_products: Option<Vec<VnfProducts>>,
}

/// `vnfProducts[]`: one product of a provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfProducts {
    pub vnf_product_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<VnfProductVersions>>,
}

/// `versions[]`: software version and VNFD versions of a product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfProductVersions {
    pub vnf_software_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnfd_versions: Option<Vec<String>>,
}

/// `SubscriptionAuthentication`: how the VNFM authenticates towards the callback.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionAuthentication {
    pub auth_type: Vec<String>,
    pub params_basic: Option<ParamsBasic>,
    pub params_oauth2_client_credentials: Option<ParamsOauth2ClientCredentials>,
}

/// `SubscriptionAuthentication.paramsBasic`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamsBasic {
    pub user_name: Option<String>,
    pub password: Option<String>,
}

/// `SubscriptionAuthentication.paramsOauth2ClientCredentials`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamsOauth2ClientCredentials {
    pub client_id: Option<String>,
    pub client_password: Option<String>,
    pub token_endpoint: Option<String>,
}
