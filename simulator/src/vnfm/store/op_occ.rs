//! An operation occurrence as the VNFM keeps it: the `VnfLcmOpOcc` attributes without the
//! links, which are made when it is read, for the API root it is read through.

use crate::vnfm::types::{
    CancelModeType, JsonText, LcmOperationStateType, LcmOperationType, LeftOnVim, ProblemDetails,
    ResourceChanges,
};
use serde::{Deserialize, Serialize};

use crate::vnfm::clock::Timestamp;

/// The state of one LCM operation occurrence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpOcc {
    pub id: String,
    pub operation_state: LcmOperationStateType,
    pub state_entered_time: Timestamp,
    pub start_time: Timestamp,
    pub vnf_instance_id: String,
    pub operation: LcmOperationType,
    pub is_automatic_invocation: bool,
    /// The request body, as the NFVO sent it (kept as text: every finished operation keeps it).
    pub operation_params: Option<JsonText>,
    pub is_cancel_pending: bool,
    pub cancel_mode: Option<CancelModeType>,
    /// Boxed, as most operations never fail and only some change resources.
    pub error: Option<Box<ProblemDetails>>,
    pub resource_changes: Option<Box<ResourceChanges>>,
    pub vnf_snapshot_info_id: Option<String>,
    /// VIM resources the operation could not delete.
    #[serde(default)]
    pub resources_left_on_vim: Vec<LeftOnVim>,
}
