//! The body forms of create_snapshot and revert_to_snapshot, turned into the conductor's
//! commands in one place. One rule for both tasks: the vendor form in `additionalParams`
//! (`vnfcInstanceId`, and `vnfcSnapshotInfoId` for a revert) names one VNFC on either root
//! (a SOL003 create_snapshot only when the profile honours it there); the top-level ETSI
//! attributes exist in the SOL002 data types only, so SOL002 reads them and SOL003 refuses
//! them with 400 rather than silently acting on the whole VNF, or, as the profile chooses,
//! ignores them like any unknown attribute.

use serde_json::{Map, Value};

use crate::vnfm::{
    conductor::{CreateSnapshot, RevertScope, RevertToSnapshot, SnapshotScope},
    error::VnfmError,
    links::Api,
    profile::{Choices, Sol002AttributesOnSol003},
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

/// A SOL002-only top-level attribute `name` of a request received on `api`: as given on
/// SOL002; on SOL003 refused with 400 naming it, or dropped, as the profile chooses.
fn sol002_only(
    api: Api,
    choices: &Choices,
    name: &'static str,
    value: Option<String>,
) -> Result<Option<String>, VnfmError> {
    match (api, value, choices.sol002_attributes_on_sol003) {
        (Api::Sol002, value, _) => Ok(value),
        (Api::Sol003, None, _) | (Api::Sol003, Some(_), Sol002AttributesOnSol003::Ignored) => {
            Ok(None)
        }
        (Api::Sol003, Some(_), Sol002AttributesOnSol003::Refused) => {
            Err(VnfmError::Sol002AttributeOnSol003(name))
        }
    }
}

/// One VNFC named by the top-level attribute and the vendor form: either, or both when equal.
fn one_of(top: Option<String>, vendor: Option<String>) -> Result<Option<String>, VnfmError> {
    match (top, vendor) {
        (Some(top), Some(vendor)) if top != vendor => Err(VnfmError::VnfcNamedTwice),
        (Some(id), _) | (None, Some(id)) => Ok(Some(id)),
        (None, None) => Ok(None),
    }
}

/// The create_snapshot command of a request received on `api` for VNF instance `instance_id`.
pub fn create_snapshot(
    api: Api,
    choices: &Choices,
    instance_id: &str,
    request: CreateVnfSnapshotRequest,
    raw: Value,
) -> Result<CreateSnapshot, VnfmError> {
    let top = sol002_only(api, choices, "vnfcInstanceId", request.vnfc_instance_id)?;
    let vendor_form_read = api == Api::Sol002 || choices.sol003_vendor_single_vnfc_create;
    let vendor = match vendor_form_read {
        true => vendor_param(request.additional_params.as_ref(), "vnfcInstanceId")?,
        false => None,
    };
    let scope = match one_of(top, vendor)? {
        Some(id) => SnapshotScope::Vnfc(id),
        None => SnapshotScope::WholeVnf,
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
    choices: &Choices,
    instance_id: &str,
    request: RevertToVnfSnapshotRequest,
    raw: Value,
) -> Result<RevertToSnapshot, VnfmError> {
    let vnfc = sol002_only(api, choices, "vnfcInstanceId", request.vnfc_instance_id)?;
    let vnfc_snapshot = sol002_only(
        api,
        choices,
        "vnfcSnapshotInfoId",
        request.vnfc_snapshot_info_id,
    )?;
    let params = request.additional_params.as_ref();
    let pair = (
        one_of(vnfc, vendor_param(params, "vnfcInstanceId")?)?,
        one_of(vnfc_snapshot, vendor_param(params, "vnfcSnapshotInfoId")?)?,
    );
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    use crate::vnfm::profile::Profile;

    fn create_in(profile: Profile, api: Api, body: Value) -> Result<SnapshotScope, VnfmError> {
        let request = serde_json::from_value(body.clone()).unwrap();
        create_snapshot(api, &profile.choices(), "inst", request, body).map(|command| command.scope)
    }

    fn revert_in(profile: Profile, api: Api, body: Value) -> Result<RevertScope, VnfmError> {
        let request = serde_json::from_value(body.clone()).unwrap();
        revert_to_snapshot(api, &profile.choices(), "inst", request, body)
            .map(|command| command.scope)
    }

    fn create(api: Api, body: Value) -> Result<SnapshotScope, VnfmError> {
        create_in(Profile::Reference, api, body)
    }

    fn revert(api: Api, body: Value) -> Result<RevertScope, VnfmError> {
        revert_in(Profile::Reference, api, body)
    }

    #[test]
    fn every_documented_create_form_names_its_vnfc() {
        let vendor = json!({"vnfSnapshotInfoId": "s", "additionalParams": {"vnfcInstanceId": "c"}});
        let top = json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c"});
        let whole = json!({"vnfSnapshotInfoId": "s"});
        let one = SnapshotScope::Vnfc("c".into());
        assert_eq!(create(Api::Sol002, vendor.clone()), Ok(one.clone()));
        assert_eq!(create(Api::Sol002, top.clone()), Ok(one.clone()));
        assert_eq!(create(Api::Sol003, vendor), Ok(one));
        assert_eq!(
            create(Api::Sol003, whole.clone()),
            Ok(SnapshotScope::WholeVnf)
        );
        assert_eq!(create(Api::Sol002, whole), Ok(SnapshotScope::WholeVnf));
        assert_eq!(
            create(Api::Sol003, top),
            Err(VnfmError::Sol002AttributeOnSol003("vnfcInstanceId"))
        );
    }

    #[test]
    fn a_sol002_revert_body_on_sol003_is_refused_not_widened() {
        let top =
            json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c", "vnfcSnapshotInfoId": "v"});
        let vendor = json!({"vnfSnapshotInfoId": "s",
            "additionalParams": {"vnfcInstanceId": "c", "vnfcSnapshotInfoId": "v"}});
        let one = RevertScope::Vnfc {
            vnfc_instance_id: "c".into(),
            vnfc_snapshot_info_id: "v".into(),
        };
        assert_eq!(revert(Api::Sol002, top.clone()), Ok(one.clone()));
        assert_eq!(revert(Api::Sol002, vendor.clone()), Ok(one.clone()));
        assert_eq!(revert(Api::Sol003, vendor), Ok(one));
        assert_eq!(
            revert(Api::Sol003, top),
            Err(VnfmError::Sol002AttributeOnSol003("vnfcInstanceId"))
        );
        assert_eq!(
            revert(
                Api::Sol003,
                json!({"vnfSnapshotInfoId": "s", "vnfcSnapshotInfoId": "v"})
            ),
            Err(VnfmError::Sol002AttributeOnSol003("vnfcSnapshotInfoId"))
        );
        assert_eq!(
            revert(
                Api::Sol002,
                json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c",
                "additionalParams": {"vnfcInstanceId": "d", "vnfcSnapshotInfoId": "v"}})
            ),
            Err(VnfmError::VnfcNamedTwice)
        );
        assert_eq!(
            revert(
                Api::Sol002,
                json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c"})
            ),
            Err(VnfmError::IncompleteVnfcRevert)
        );
    }

    #[test]
    fn the_spec_minimal_profile_ignores_sol002_attributes_and_the_undocumented_form_on_sol003() {
        let minimal = Profile::SpecMinimal;
        let whole = SnapshotScope::WholeVnf;
        for body in [
            json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c"}),
            json!({"vnfSnapshotInfoId": "s", "additionalParams": {"vnfcInstanceId": "c"}}),
        ] {
            assert_eq!(create_in(minimal, Api::Sol003, body), Ok(whole.clone()));
        }
        assert_eq!(
            create_in(
                minimal,
                Api::Sol002,
                json!({"vnfSnapshotInfoId": "s", "additionalParams": {"vnfcInstanceId": "c"}})
            ),
            Ok(SnapshotScope::Vnfc("c".into()))
        );
        assert_eq!(
            revert_in(
                minimal,
                Api::Sol003,
                json!({"vnfSnapshotInfoId": "s", "vnfcInstanceId": "c", "vnfcSnapshotInfoId": "v"})
            ),
            Ok(RevertScope::WholeVnf)
        );
        assert_eq!(
            revert_in(
                minimal,
                Api::Sol003,
                json!({"vnfSnapshotInfoId": "s",
                    "additionalParams": {"vnfcInstanceId": "c", "vnfcSnapshotInfoId": "v"}})
            ),
            Ok(RevertScope::Vnfc {
                vnfc_instance_id: "c".into(),
                vnfc_snapshot_info_id: "v".into()
            })
        );
    }
}
