//! What an operation occurrence still has to do, kept in the store so that retry and rollback
//! continue from where it stopped.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::vnfm::clock::Timestamp;

use serde_json::{Map, Value};

use crate::vnfm::{
    store::{VirtualLinkRecord, VnfcRecord, VnfcSnapshotRecord},
    types::{JsonText, LcmOperationType, VnfcSnapshotInfo},
    vim::VduPlan,
    vim_binding::VimBinding,
};

/// A VDU to deploy, with the descriptor facts needed to track its volumes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlannedVnfc {
    pub plan: VduPlan,
    /// virtualStorageDescId of the boot storage, for a volume-backed VDU.
    pub boot_storage_id: Option<String>,
}

/// Progress of a create_snapshot operation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SnapshotWork {
    /// The snapshot resource being filled.
    pub vnf_snapshot_info_id: String,
    pub vim: Arc<VimBinding>,
    pub targets: Vec<VnfcRecord>,
    pub vnf_snapshot_id: String,
    pub vnfd_id: String,
    pub started_at: Timestamp,
    /// The instance as it was when the operation was requested.
    pub instance_copy: JsonText,
    pub user_defined_data: Option<Map<String, Value>>,
    /// VNFC snapshot ids (= image names) tried so far, by target VNFC id.
    pub attempted: Vec<(String, String)>,
    pub done: Vec<(VnfcSnapshotInfo, VnfcSnapshotRecord)>,
}

/// Progress of a revert_to_snapshot operation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevertWork {
    /// The snapshot resource reverted to.
    pub vnf_snapshot_info_id: String,
    pub vim: Arc<VimBinding>,
    /// (VNFC instance id, the VNFC snapshot to revert it to).
    pub targets: Vec<(String, VnfcSnapshotRecord)>,
    pub done: usize,
}

/// The work of one operation occurrence; its variant decides the occurrence's
/// [`LcmOperationType`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpWork {
    Instantiate {
        vim: Arc<VimBinding>,
        flavour_id: String,
        /// Cloud name of the internal network.
        network_name: String,
        /// The internal network, once created.
        virtual_link: Option<VirtualLinkRecord>,
        planned: Vec<PlannedVnfc>,
        deployed: Vec<VnfcRecord>,
    },
    Terminate {
        vim: Option<Arc<VimBinding>>,
        remaining: Vec<VnfcRecord>,
        /// The internal network, until deleted (after the VNFCs).
        virtual_link: Option<VirtualLinkRecord>,
    },
    CreateSnapshot(Box<SnapshotWork>),
    Revert(RevertWork),
}

impl OpWork {
    /// The `operation` of the occurrence doing this work.
    pub fn operation(&self) -> LcmOperationType {
        match self {
            Self::Instantiate { .. } => LcmOperationType::Instantiate,
            Self::Terminate { .. } => LcmOperationType::Terminate,
            Self::CreateSnapshot(_) => LcmOperationType::CreateSnapshot,
            Self::Revert(_) => LcmOperationType::RevertToSnapshot,
        }
    }

    /// The VIM the work is done on (none for terminating an instance without one).
    pub fn vim(&self) -> Option<&VimBinding> {
        match self {
            Self::Instantiate { vim, .. } => Some(vim),
            Self::Terminate { vim, .. } => vim.as_deref(),
            Self::CreateSnapshot(work) => Some(&work.vim),
            Self::Revert(work) => Some(&work.vim),
        }
    }

    /// The snapshot resource the work fills or reads (held while it runs).
    pub fn snapshot_info_id(&self) -> Option<&str> {
        match self {
            Self::CreateSnapshot(work) => Some(&work.vnf_snapshot_info_id),
            Self::Revert(work) => Some(&work.vnf_snapshot_info_id),
            Self::Instantiate { .. } | Self::Terminate { .. } => None,
        }
    }
}
