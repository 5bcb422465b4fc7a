//! Every refusal and failure the VNFM answers with: one enum, each variant with its HTTP status
//! and its wording, answered as a ProblemDetails by one [`IntoResponse`].

use axum::{
    http::{header, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};

use super::{
    store::SnapshotLock,
    types::{LcmOperationStateType, LcmOperationType, ProblemDetails},
};

/// The `WWW-Authenticate` challenges of a 401: the two schemes this VNFM accepts.
pub const CHALLENGES: [&str; 2] = ["Basic realm=\"vnfm\"", "Bearer realm=\"vnfm\""];

/// What a request tried to do with a VNF snapshot resource; some refusals say what to do
/// next in words that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotUse {
    /// PATCH of the resource.
    Modify,
    /// DELETE of the resource.
    Delete,
    /// A create_snapshot task filling it.
    CreateSnapshot,
    /// A revert_to_snapshot task reading it.
    Revert,
}

/// A refusal or failure, answered as ProblemDetails (`Content-Type: application/json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VnfmError {
    // --- the request's form (400, 406, 413, 415) ---
    /// The body is over the configured limit.
    BodyTooLarge { limit: usize },
    /// The body ended before its announced length.
    BodyCutOff(String),
    /// The body has a `Content-Type` that is not JSON.
    UnsupportedContentType(String),
    /// A body came without `Content-Type`.
    MissingContentType,
    /// The body is not JSON.
    InvalidJson(String),
    /// The body is JSON but not an object.
    BodyNotObject,
    /// The body does not fit the data type (`path` is `.` for the body itself).
    InvalidBody { path: String, reason: String },
    /// An `additionalParams` entry this VNFM reads is not a string.
    AdditionalParamNotString(String),
    /// The `Version` header is not `MAJOR.MINOR.PATCH`.
    MalformedVersion(String),
    /// The `Version` header names another major version.
    UnsupportedVersion(String),
    /// `Accept` excludes `application/json` (the header as given).
    NotAcceptable(String),
    /// No `Version` header while the VNFM is strict about it.
    MissingVersion,
    /// A malformed `filter`, selector or paging parameter.
    InvalidQuery(String),
    /// A `nextpage_opaque_marker` this collection never gave.
    UnknownPageMarker(String),
    /// A PATCH that changes nothing.
    EmptyModification,
    /// `terminationType` is neither FORCEFUL nor GRACEFUL.
    InvalidTerminationType(String),
    /// A create_snapshot request names the VNFC twice, differently.
    VnfcNamedTwice,
    /// A single-VNFC revert without both the VNFC and its VNFC snapshot.
    IncompleteVnfcRevert,
    /// A top-level attribute of the SOL002 request data type sent to the SOL003 root.
    Sol002AttributeOnSol003(&'static str),
    /// `callbackUri` does not parse.
    InvalidCallbackUri { uri: String, reason: String },
    /// `callbackUri` is not http(s).
    CallbackNotHttp,
    /// A subscription filter names an unknown notification type.
    UnknownNotificationType(String),
    /// Operation filters without the op-occ notification type.
    OperationFilterWithoutOpOccNotifications,
    /// `vnfInstanceIds` with `vnfInstanceNames`.
    InstanceIdsAndNames,
    /// `vnfdIds` with `vnfProductsFromProviders`.
    VnfdIdsAndProducts,
    /// The subscription's `authentication` is unusable.
    InvalidSubscriptionAuthentication(String),

    // --- who is asking (401) ---
    /// No or wrong credentials; answered with both challenges.
    Unauthenticated(&'static str),

    // --- what the request names (404) ---
    /// No resource lives at this path.
    NoRoute { method: Method, uri: Uri },
    /// No such VNF instance.
    NoInstance(String),
    /// No such VNF snapshot resource.
    NoSnapshot(String),
    /// No such subscription.
    NoSubscription(String),
    /// No such operation occurrence.
    NoOpOcc(String),
    /// Rollback of an operation that has none.
    RollbackUnsupported(LcmOperationType),

    // --- preconditions (412) ---
    /// `If-Match` does not match the current ETag.
    ETagMismatch {
        given: String,
        /// `None` where the profile gives resources no entity tag.
        current: Option<String>,
    },

    // --- unusable references (422) ---
    /// A snapshot package without its content.
    SnapshotPackagesUnsupported,
    /// An unknown `vnfdId`.
    UnknownVnfd(String),
    /// A `flavourId` the descriptor does not have.
    UnknownFlavour {
        given: String,
        vnfd_id: String,
        flavour_id: String,
    },
    /// A `vimConnectionInfo` this VNFM cannot use.
    InvalidVimConnectionInfo(String),
    /// The descriptor needs a VIM type the request does not give.
    VimTypeRequired { vnfd_id: String, required: String },
    /// An out-of-band volume of the descriptor is not given.
    OutOfBandVolumeMissing { vnfd_id: String, storage_id: String },
    /// The notification endpoint test failed.
    CallbackTestFailed(String),
    /// `vnfSnapshotInfoId` names no snapshot resource.
    UnknownSnapshotInfo { id: String, by: SnapshotUse },
    /// A revert to a snapshot resource never filled.
    EmptySnapshot(String),
    /// A revert to a snapshot of another instance.
    SnapshotOfOtherInstance {
        id: String,
        taken_from: String,
        instance_id: String,
    },
    /// A revert to a snapshot filled by PATCH (no VIM resources of this VNFM).
    SnapshotWithoutVimResources(String),
    /// A `vnfcInstanceId` that is not a VNFC of the instance.
    UnknownVnfc {
        vnfc_id: String,
        instance_id: String,
    },
    /// A `vnfcSnapshotInfoId` that is not part of the snapshot.
    UnknownVnfcSnapshot {
        vnfc_snapshot_id: String,
        snapshot_id: String,
    },
    /// A VNFC snapshot taken from another VNFC than the one to revert.
    VnfcSnapshotOfOtherVnfc {
        vnfc_snapshot_id: String,
        taken_from: String,
        vnfc_id: String,
    },
    /// A VNFC of the snapshot the instance no longer has.
    SnapshotVnfcGone {
        vnfc_id: String,
        instance_id: String,
    },

    // --- the resource's state (409) ---
    /// Instantiate of an instance already INSTANTIATED.
    AlreadyInstantiated(String),
    /// Delete of an instance still INSTANTIATED.
    StillInstantiated(String),
    /// An operation that needs an INSTANTIATED instance.
    NotInstantiated {
        instance_id: String,
        operation: LcmOperationType,
    },
    /// Another operation holds the instance.
    InstanceBusy { op_id: String, instance_id: String },
    /// The snapshot resource is used by an operation or a DELETE.
    SnapshotInUse {
        id: String,
        lock: SnapshotLock,
        by: SnapshotUse,
    },
    /// The snapshot resource already holds a snapshot.
    SnapshotAlreadyFilled { id: String, by: SnapshotUse },
    /// A snapshot operation on a VIM this VNFM does not drive.
    UnsupportedVim {
        instance_id: String,
        vim_type: String,
        operation: LcmOperationType,
    },
    /// An instance without a VIM.
    NoVim(String),
    /// A revert of a VNFC that boots from an image.
    NotVolumeBacked(String),
    /// A revert of a VNF with out-of-band volumes.
    OutOfBandVolumes(String),
    /// A revert to a snapshot a failed DELETE partly removed from the VIM.
    SnapshotPartlyDeleted(String),
    /// retry / rollback / fail of an op occ not in FAILED_TEMP.
    NotFailedTemp {
        op_id: String,
        state: LcmOperationStateType,
        task: &'static str,
    },
    /// cancel of an op occ in a state that cannot be cancelled.
    NotCancellable {
        op_id: String,
        state: LcmOperationStateType,
    },
    /// A second cancel while one is pending.
    CancelPending(String),

    // --- failures (500, 503) ---
    /// An internal service the ETSI API relies on is unavailable (a fault rule of the control
    /// API); `status` is the rule's, 503 by default.
    ServiceUnavailable { status: u16, service: String },
    /// The VIM could not delete a snapshot's resources; the resource is kept.
    SnapshotDeletionFailed { id: String, reason: String },
    /// Something the VNFM itself got wrong.
    Internal(String),
}

impl VnfmError {
    /// The HTTP status of the refusal.
    pub fn status(&self) -> StatusCode {
        use VnfmError::*;
        match self {
            BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedContentType(_) | MissingContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UnsupportedVersion(_) | NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            BodyCutOff(_)
            | InvalidJson(_)
            | BodyNotObject
            | InvalidBody { .. }
            | AdditionalParamNotString(_)
            | MalformedVersion(_)
            | MissingVersion
            | InvalidQuery(_)
            | UnknownPageMarker(_)
            | EmptyModification
            | InvalidTerminationType(_)
            | VnfcNamedTwice
            | IncompleteVnfcRevert
            | Sol002AttributeOnSol003(_)
            | InvalidCallbackUri { .. }
            | CallbackNotHttp
            | UnknownNotificationType(_)
            | OperationFilterWithoutOpOccNotifications
            | InstanceIdsAndNames
            | VnfdIdsAndProducts
            | InvalidSubscriptionAuthentication(_) => StatusCode::BAD_REQUEST,
            Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            NoRoute { .. }
            | NoInstance(_)
            | NoSnapshot(_)
            | NoSubscription(_)
            | NoOpOcc(_)
            | RollbackUnsupported(_) => StatusCode::NOT_FOUND,
            ETagMismatch { .. } => StatusCode::PRECONDITION_FAILED,
            SnapshotPackagesUnsupported
            | UnknownVnfd(_)
            | UnknownFlavour { .. }
            | InvalidVimConnectionInfo(_)
            | VimTypeRequired { .. }
            | OutOfBandVolumeMissing { .. }
            | CallbackTestFailed(_)
            | UnknownSnapshotInfo { .. }
            | EmptySnapshot(_)
            | SnapshotOfOtherInstance { .. }
            | SnapshotWithoutVimResources(_)
            | UnknownVnfc { .. }
            | UnknownVnfcSnapshot { .. }
            | VnfcSnapshotOfOtherVnfc { .. }
            | SnapshotVnfcGone { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AlreadyInstantiated(_)
            | StillInstantiated(_)
            | NotInstantiated { .. }
            | InstanceBusy { .. }
            | SnapshotInUse { .. }
            | SnapshotAlreadyFilled { .. }
            | UnsupportedVim { .. }
            | NoVim(_)
            | NotVolumeBacked(_)
            | OutOfBandVolumes(_)
            | SnapshotPartlyDeleted(_)
            | NotFailedTemp { .. }
            | NotCancellable { .. }
            | CancelPending(_) => StatusCode::CONFLICT,
            SnapshotDeletionFailed { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ServiceUnavailable { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
            }
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The ProblemDetails `detail`: what was wrong and what to do.
    pub fn detail(&self) -> String {
        use VnfmError::*;
        match self {
            BodyTooLarge { limit } => format!("the request body is larger than {limit} bytes"),
            BodyCutOff(error) => {
                format!("the request body could not be read completely (cut off?): {error}")
            }
            UnsupportedContentType(value) => {
                format!("Content-Type {value} is not supported; send application/json")
            }
            MissingContentType => {
                "a request body needs a Content-Type header; send application/json".into()
            }
            InvalidJson(error) => format!("the request body is not valid JSON: {error}"),
            BodyNotObject => "the request body must be a JSON object".into(),
            InvalidBody { path, reason } if path == "." => {
                format!("the request body is invalid: {reason}")
            }
            InvalidBody { path, reason } => format!("attribute {path} is invalid: {reason}"),
            AdditionalParamNotString(name) => format!("additionalParams.{name} must be a string"),
            MalformedVersion(text) => format!(
                "Version header {text:?} is malformed; use MAJOR.MINOR.PATCH, e.g. {}",
                super::API_VERSION
            ),
            UnsupportedVersion(text) => format!(
                "Version {text} is not supported; this API serves {}",
                super::API_VERSION
            ),
            NotAcceptable(accept) => format!(
                "Accept {accept:?} excludes application/json, the only media type this API answers with; accept application/json"
            ),
            MissingVersion => format!(
                "the Version HTTP header is missing; send Version: {}",
                super::API_VERSION
            ),
            InvalidQuery(reason) => reason.clone(),
            UnknownPageMarker(marker) => {
                format!("nextpage_opaque_marker {marker} is unknown; restart from the first page")
            }
            EmptyModification => {
                "the modification is empty; give vnfSnapshotPkgId or vnfSnapshot".into()
            }
            InvalidTerminationType(given) => {
                format!("terminationType {given:?} is invalid; use FORCEFUL or GRACEFUL")
            }
            VnfcNamedTwice => {
                "a top-level attribute and the same attribute in additionalParams differ; name the VNFC (and its VNFC snapshot) once"
                    .into()
            }
            Sol002AttributeOnSol003(name) => format!(
                "attribute {name} is part of the SOL002 request only; on the SOL003 root give it as additionalParams.{name}, or send the request to the SOL002 root"
            ),
            IncompleteVnfcRevert => "vnfcInstanceId and vnfcSnapshotInfoId go together: give both to revert one VNFC, or neither to revert the whole VNF".into(),
            InvalidCallbackUri { uri, reason } => {
                format!("callbackUri {uri:?} is not a URI: {reason}")
            }
            CallbackNotHttp => "callbackUri must be an http or https URI".into(),
            UnknownNotificationType(name) => {
                format!("filter.notificationTypes contains the unknown type {name}")
            }
            OperationFilterWithoutOpOccNotifications => "filter.operationTypes and filter.operationStates need VnfLcmOperationOccurrenceNotification in filter.notificationTypes".into(),
            InstanceIdsAndNames => "filter.vnfInstanceSubscriptionFilter: give vnfInstanceIds or vnfInstanceNames, not both".into(),
            VnfdIdsAndProducts => "filter.vnfInstanceSubscriptionFilter: give vnfdIds or vnfProductsFromProviders, not both".into(),
            InvalidSubscriptionAuthentication(reason) => reason.clone(),
            Unauthenticated(reason) => (*reason).into(),
            NoRoute { method, uri } => format!("no resource at {uri} (method {method})"),
            NoInstance(id) => format!("VNF instance {id} does not exist"),
            NoSnapshot(id) => format!("VNF snapshot {id} does not exist"),
            NoSubscription(id) => format!("subscription {id} does not exist"),
            NoOpOcc(id) => format!("VNF LCM operation occurrence {id} does not exist"),
            RollbackUnsupported(operation) => {
                format!("rollback is not supported for {operation:?} operations; use retry or fail")
            }
            ETagMismatch {
                given,
                current: Some(current),
            } => format!(
                "If-Match {given} does not match the current ETag {current}; read the snapshot again and retry"
            ),
            ETagMismatch {
                given,
                current: None,
            } => format!(
                "If-Match {given} matches no entity tag: this VNFM gives VNF snapshot resources none, so only If-Match * holds; send the request without If-Match"
            ),
            SnapshotPackagesUnsupported => "this VNFM does not extract VNF snapshot packages; give the vnfSnapshot content along with vnfSnapshotPkgId".into(),
            UnknownVnfd(id) => {
                format!("vnfdId {id} is not known to this VNFM; use one of its onboarded VNFDs")
            }
            UnknownFlavour {
                given,
                vnfd_id,
                flavour_id,
            } => format!("flavourId {given:?} is not a flavour of VNFD {vnfd_id}; use {flavour_id:?}"),
            InvalidVimConnectionInfo(reason) => reason.clone(),
            VimTypeRequired { vnfd_id, required } => format!(
                "VNFD {vnfd_id} must be deployed on a {required} VIM; give a vimConnectionInfo with that vimType"
            ),
            OutOfBandVolumeMissing {
                vnfd_id,
                storage_id,
            } => format!(
                "VNFD {vnfd_id} uses the out-of-band volume {storage_id}: give its Cinder volume id in additionalParams.outOfBandVolumes.{storage_id}"
            ),
            CallbackTestFailed(reason) => reason.clone(),
            UnknownSnapshotInfo {
                id,
                by: SnapshotUse::CreateSnapshot,
            } => format!(
                "vnfSnapshotInfoId {id} does not exist; create the snapshot resource with POST /vnf_snapshots first"
            ),
            UnknownSnapshotInfo { id, .. } => format!("vnfSnapshotInfoId {id} does not exist"),
            EmptySnapshot(id) => format!(
                "VNF snapshot {id} is empty; fill it with create_snapshot before reverting to it"
            ),
            SnapshotOfOtherInstance {
                id,
                taken_from,
                instance_id,
            } => format!(
                "VNF snapshot {id} was taken from VNF instance {taken_from}, not from {instance_id}"
            ),
            SnapshotWithoutVimResources(id) => format!(
                "VNF snapshot {id} has no VIM resources made by this VNFM; it cannot be reverted to"
            ),
            UnknownVnfc {
                vnfc_id,
                instance_id,
            } => format!(
                "vnfcInstanceId {vnfc_id} is not a VNFC of VNF instance {instance_id}; use an id from instantiatedVnfInfo.vnfcInfo"
            ),
            UnknownVnfcSnapshot {
                vnfc_snapshot_id,
                snapshot_id,
            } => format!(
                "vnfcSnapshotInfoId {vnfc_snapshot_id} is not part of VNF snapshot {snapshot_id}"
            ),
            VnfcSnapshotOfOtherVnfc {
                vnfc_snapshot_id,
                taken_from,
                vnfc_id,
            } => format!(
                "VNFC snapshot {vnfc_snapshot_id} was taken from VNFC {taken_from}, not from {vnfc_id}"
            ),
            SnapshotVnfcGone {
                vnfc_id,
                instance_id,
            } => format!(
                "VNFC {vnfc_id} of the snapshot is no longer part of VNF instance {instance_id}"
            ),
            AlreadyInstantiated(id) => format!(
                "VNF instance {id} is already INSTANTIATED; terminate it before instantiating it again"
            ),
            StillInstantiated(id) => {
                format!("VNF instance {id} is INSTANTIATED; terminate it before deleting it")
            }
            NotInstantiated {
                instance_id,
                operation,
            } => {
                let hint = match operation {
                    LcmOperationType::CreateSnapshot => {
                        "instantiate it before taking a snapshot"
                    }
                    LcmOperationType::RevertToSnapshot => {
                        "instantiate it before reverting it to a snapshot"
                    }
                    _ => "there is nothing to terminate",
                };
                format!("VNF instance {instance_id} is NOT_INSTANTIATED; {hint}")
            }
            InstanceBusy { op_id, instance_id } => format!(
                "another LCM operation ({op_id}) is in progress on VNF instance {instance_id}; wait until it completes, or resolve it (retry, rollback or fail) first"
            ),
            SnapshotInUse { id, lock, by } => {
                let holder = match (lock, by) {
                    (SnapshotLock::Deletion, _) => "a DELETE of this snapshot".to_string(),
                    (SnapshotLock::Operation(op), SnapshotUse::Modify | SnapshotUse::Delete) => {
                        op.clone()
                    }
                    (SnapshotLock::Operation(op), _) => format!("operation {op}"),
                };
                let next = match by {
                    SnapshotUse::Modify => "modify it after that finishes",
                    SnapshotUse::Delete => "delete it after that finishes",
                    SnapshotUse::CreateSnapshot => {
                        "wait for it to finish or use another snapshot resource"
                    }
                    SnapshotUse::Revert => "wait for it to finish",
                };
                format!("VNF snapshot {id} is in use by {holder}; {next}")
            }
            SnapshotAlreadyFilled {
                id,
                by: SnapshotUse::Modify,
            } => format!(
                "VNF snapshot {id} already holds snapshot information, which cannot be modified; create a new snapshot resource"
            ),
            SnapshotAlreadyFilled { id, .. } => format!(
                "VNF snapshot {id} already holds a snapshot; create a new snapshot resource with POST /vnf_snapshots"
            ),
            UnsupportedVim {
                instance_id,
                vim_type,
                operation: LcmOperationType::RevertToSnapshot,
            } => format!(
                "VNF instance {instance_id} is deployed on a {vim_type} VIM; revert is supported only on an OpenStack VIM"
            ),
            UnsupportedVim {
                instance_id,
                vim_type,
                ..
            } => format!(
                "VNF instance {instance_id} is deployed on a {vim_type} VIM; VNF snapshots are supported only for VNFs on an OpenStack VIM"
            ),
            NoVim(id) => format!("VNF instance {id} has no VIM"),
            NotVolumeBacked(vnfc_id) => format!(
                "VNFC {vnfc_id} has no bootable volume (it boots from an image); revert to snapshot supports only volume-backed VNFCs"
            ),
            OutOfBandVolumes(id) => format!(
                "VNF instance {id} uses out-of-band volumes; reverting a VNF with out-of-band volumes is not supported"
            ),
            SnapshotPartlyDeleted(id) => format!(
                "VNF snapshot {id} was partly deleted from the VIM by a DELETE that failed; it can no longer be reverted to, retry the DELETE"
            ),
            NotFailedTemp { op_id, state, task } => format!(
                "operation occurrence {op_id} is {state:?}, not FAILED_TEMP; {task} applies only to a temporarily failed operation"
            ),
            NotCancellable { op_id, state } => format!(
                "operation occurrence {op_id} is {state:?}; only STARTING, PROCESSING or ROLLING_BACK operations can be cancelled"
            ),
            CancelPending(op_id) => {
                format!("a cancel of operation occurrence {op_id} is already pending")
            }
            SnapshotDeletionFailed { id, reason } => format!(
                "the VIM could not delete the snapshot resources ({reason}); the VNF snapshot {id} was kept, retry the DELETE later"
            ),
            ServiceUnavailable { service, .. } => format!(
                "the internal service {service} is unavailable: the ETSI services rely on all other services of the VNFM to operate (connectivity error); nothing was done, try again later"
            ),
            Internal(reason) => reason.clone(),
        }
    }

    /// The ProblemDetails body.
    pub fn problem(&self) -> ProblemDetails {
        ProblemDetails::new(self.status().as_u16(), self.detail())
    }
}

impl IntoResponse for VnfmError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.problem())).into_response();
        let headers = response.headers_mut();
        if let VnfmError::Unauthenticated(_) = self {
            for challenge in CHALLENGES {
                headers.append(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(challenge),
                );
            }
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
