//! `VnfLcmOpOcc`, its enumerations and the notification about it.

use serde::{Deserialize, Serialize};

use crate::vnfm::clock::Timestamp;
use serde_json::Value;

use super::{
    AffectedVirtualStorage, AffectedVnfc, Link, ProblemDetails, ResourceChanges, Verbosity,
};

/// `LcmOperationType` (v2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LcmOperationType {
    Instantiate,
    Scale,
    ScaleToLevel,
    ChangeFlavour,
    Terminate,
    Heal,
    Operate,
    ChangeExtConn,
    ModifyInfo,
    CreateSnapshot,
    RevertToSnapshot,
    ChangeVnfpkg,
}

/// `LcmOperationStateType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LcmOperationStateType {
    Starting,
    Processing,
    Completed,
    FailedTemp,
    Failed,
    RollingBack,
    RolledBack,
}

impl LcmOperationStateType {
    /// Whether no further transition can happen.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::RolledBack)
    }

    /// The `notificationStatus` of the notification announcing this state.
    pub fn notification_status(self) -> NotificationStatus {
        match self {
            Self::Starting | Self::Processing | Self::RollingBack => NotificationStatus::Start,
            _ => NotificationStatus::Result,
        }
    }
}

/// `VnfLcmOperationOccurrenceNotification.notificationStatus`: whether the notification
/// announces the start of a state or the result of the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationStatus {
    Start,
    Result,
}

/// `CancelModeType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CancelModeType {
    Graceful,
    Forceful,
}

impl CancelModeType {
    /// The spec's spelling (`GRACEFUL`, `FORCEFUL`), as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graceful => "GRACEFUL",
            Self::Forceful => "FORCEFUL",
        }
    }
}

/// `CancelMode`: the body of POST …/cancel.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelMode {
    pub cancel_mode: CancelModeType,
}

/// A VIM resource an operation could not delete (vendor extension of `VnfLcmOpOcc`, see
/// docs/vnfm-choices.md): the old volumes a revert leaves because they still have snapshots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftOnVim {
    pub resource_id: String,
    pub vim_connection_id: String,
    pub vim_level_resource_type: String,
    /// The cloud's reason.
    pub reason: String,
}

/// SOL003 §5.5.2.13 `VnfLcmOpOcc`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfLcmOpOcc {
    pub id: String,
    pub operation_state: LcmOperationStateType,
    pub state_entered_time: Timestamp,
    pub start_time: Timestamp,
    pub vnf_instance_id: String,
    pub operation: LcmOperationType,
    pub is_automatic_invocation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_params: Option<Value>,
    pub is_cancel_pending: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_mode: Option<CancelModeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ProblemDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_changes: Option<ResourceChanges>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot_info_id: Option<String>,
    /// Vendor extension: VIM resources left behind by the operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources_left_on_vim: Vec<LeftOnVim>,
    #[serde(rename = "_links")]
    pub links: OpOccLinks,
}

/// `VnfLcmOpOcc._links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpOccLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    pub vnf_instance: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_snapshot: Option<Link>,
}

/// SOL003 §5.5.2.17 `VnfLcmOperationOccurrenceNotification`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfLcmOperationOccurrenceNotification {
    pub id: String,
    pub notification_type: String,
    pub subscription_id: String,
    pub time_stamp: Timestamp,
    pub notification_status: NotificationStatus,
    pub operation_state: LcmOperationStateType,
    pub vnf_instance_id: String,
    pub operation: LcmOperationType,
    pub is_automatic_invocation: bool,
    /// `SHORT` for a subscription asking for short notifications; absent means `FULL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verbosity: Option<Verbosity>,
    pub vnf_lcm_op_occ_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_vnfcs: Option<Vec<AffectedVnfc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_virtual_storages: Option<Vec<AffectedVirtualStorage>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ProblemDetails>,
    #[serde(rename = "_links")]
    pub links: NotificationLinks,
}

/// `LccnLinks`: `vnfLcmOpOcc` only in operation occurrence notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationLinks {
    pub vnf_instance: Link,
    pub subscription: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_lcm_op_occ: Option<Link>,
}
