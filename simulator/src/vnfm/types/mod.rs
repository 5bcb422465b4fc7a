//! ETSI SOL002/SOL003 VNF LCM v2 data types, one file per type family. Wire names follow the
//! spec tables exactly (camelCase, `_links`).

mod api_version;
mod identifier_notification;
mod json_text;
mod link;
mod op_occ;
mod problem;
mod requests;
mod resource_changes;
mod resource_handle;
mod snapshot;
mod subscription;
mod vnf_instance;

pub use api_version::{ApiVersion, ApiVersionInformation};
pub use identifier_notification::VnfIdentifierNotification;
pub use json_text::JsonText;
pub use link::Link;
pub use op_occ::{
    CancelMode, CancelModeType, LcmOperationStateType, LcmOperationType, LeftOnVim,
    NotificationLinks, NotificationStatus, OpOccLinks, VnfLcmOpOcc,
    VnfLcmOperationOccurrenceNotification,
};
pub use problem::ProblemDetails;
pub use requests::{
    CreateVnfRequest, CreateVnfSnapshotInfoRequest, CreateVnfSnapshotRequest,
    InstantiateVnfRequest, RevertToVnfSnapshotRequest, TerminateVnfRequest,
    VnfSnapshotInfoModificationRequest, VnfSnapshotInfoModifications,
};
pub use resource_changes::{AffectedVirtualStorage, AffectedVnfc, ChangeType, ResourceChanges};
pub use resource_handle::ResourceHandle;
pub use snapshot::{
    StorageSnapshotResource, VnfSnapshot, VnfSnapshotInfo, VnfSnapshotInfoLinks, VnfSnapshotLinks,
    VnfcSnapshotInfo,
};
pub use subscription::{
    LccnSubscription, LccnSubscriptionRequest, LifecycleChangeNotificationsFilter, ParamsBasic,
    ParamsOauth2ClientCredentials, SubscriptionAuthentication, SubscriptionLinks, Verbosity,
    VnfInstanceSubscriptionFilter, VnfProductVersions, VnfProducts, VnfProductsFromProviders,
};
pub use vnf_instance::{
    InstantiatedVnfInfo, InstantiationState, VimConnectionInfo, VirtualStorageResourceInfo,
    VnfInstance, VnfInstanceLinks, VnfLinkPortInfo, VnfVirtualLinkResourceInfo, VnfcCpInfo,
    VnfcInfo, VnfcResourceInfo,
};
