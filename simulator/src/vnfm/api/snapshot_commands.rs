//! The body forms of create_snapshot and revert_to_snapshot, turned into the conductor's
//! commands in one place. The roots differ on purpose: SOL002 names one VNFC with top-level
//! ETSI attributes; the vendor form in `additionalParams` is read by a SOL002 create and by a
//! revert on either root; a SOL003 create always snapshots the whole VNF.

use serde_json::{Map, Value};

use crate::vnfm::{
    conductor::{CreateSnapshot, RevertScope, RevertToSnapshot, SnapshotScope},
    error::VnfmError,
    links::Api,
    types::{CreateVnfSnapshotRequest, RevertToVnfSnapshotRequest},
};

/// A string in `additionalParams` (the vendor form); 400 when it is not a string.
fn vendor_param(
    params: Option<&Map<String, Value>>,
    name: &str,
) -> Result<Option<String>, VnfmError> {
    match params.and_then(|params| params.get(name)) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(VnfmError::AdditionalParamNotString(name.to_string())),
    }
}

/// The create_snapshot command of a request received on `api` for VNF instance `instance_id`.
pub fn create_snapshot(
    api: Api,
    instance_id: &str,
    request: CreateVnfSnapshotRequest,
    raw: Value,
) -> Result<CreateSnapshot, VnfmError> {
    let scope = if api == Api::Sol002 {
        let vendor = vendor_param(request.additional_params.as_ref(), "vnfcInstanceId")?;
        match (request.vnfc_instance_id, vendor) {
            (Some(top), Some(vendor)) if top != vendor => return Err(VnfmError::VnfcNamedTwice),
            (Some(id), _) | (None, Some(id)) => SnapshotScope::Vnfc(id),
            (None, None) => SnapshotScope::WholeVnf,
        }
    } else {
        SnapshotScope::WholeVnf
    };
    Ok(CreateSnapshot {
        instance_id: instance_id.to_string(),
        vnf_snapshot_info_id: request.vnf_snapshot_info_id,
        scope,
        user_defined_data: request.user_defined_data,
        params: raw,
    })
}

/// The revert_to_snapshot command of a request received on `api` for VNF instance
/// `instance_id`; a VNFC without its VNFC snapshot (or the reverse) is refused.
pub fn revert_to_snapshot(
    api: Api,
    instance_id: &str,
    request: RevertToVnfSnapshotRequest,
    raw: Value,
) -> Result<RevertToSnapshot, VnfmError> {
    let params = request.additional_params.as_ref();
    let mut pair = (
        vendor_param(params, "vnfcInstanceId")?,
        vendor_param(params, "vnfcSnapshotInfoId")?,
    );
    if api == Api::Sol002
        && (request.vnfc_instance_id.is_some() || request.vnfc_snapshot_info_id.is_some())
    {
        pair = (request.vnfc_instance_id, request.vnfc_snapshot_info_id);
    }
    let scope = match pair {
        (None, None) => RevertScope::WholeVnf,
        (Some(vnfc_instance_id), Some(vnfc_snapshot_info_id)) => RevertScope::Vnfc {
            vnfc_instance_id,
            vnfc_snapshot_info_id,
        },
        _ => return Err(VnfmError::IncompleteVnfcRevert),
    };
    Ok(RevertToSnapshot {
        instance_id: instance_id.to_string(),
        vnf_snapshot_info_id: request.vnf_snapshot_info_id,
        scope,
        params: raw,
    })
}
