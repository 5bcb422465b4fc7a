//! The VNF snapshot content an NFVO gives (`POST /vnf_snapshots`, `PATCH /vnf_snapshots/{id}`),
//! checked against the SOL003 data types before it is stored: the parts serde does not type
//! (`DateTime` strings, the `VnfInstance` copy, `VnfStateSnapshotInfo`) are checked here, each
//! refusal a 400 naming the attribute path.

use serde_json::{Map, Value};

use crate::vnfm::{error::VnfmError, types::VnfSnapshot};

/// A refusal of the attribute at `path`.
fn invalid(path: &str, reason: impl Into<String>) -> VnfmError {
    VnfmError::InvalidBody {
        path: path.to_string(),
        reason: reason.into(),
    }
}

/// An RFC 3339 `DateTime`.
fn date_time(path: &str, text: &str) -> Result<(), VnfmError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(drop)
        .map_err(|error| {
            invalid(
                path,
                format!("{text:?} is not an RFC 3339 DateTime ({error})"),
            )
        })
}

/// The object at `path`.
fn object<'a>(path: &str, value: &'a Value) -> Result<&'a Map<String, Value>, VnfmError> {
    value
        .as_object()
        .ok_or_else(|| invalid(path, "expected a JSON object"))
}

/// Reads the attributes of one object, naming each by its path.
struct Attributes<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Attributes<'a> {
    fn of(path: &str, value: &'a Value) -> Result<Self, VnfmError> {
        Ok(Self {
            path: path.to_string(),
            map: object(path, value)?,
        })
    }

    fn at(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    /// The attribute, `None` when absent or `null` (an optional attribute given as `null`
    /// counts as absent).
    fn optional(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    fn required(&self, name: &str) -> Result<&'a Value, VnfmError> {
        self.optional(name)
            .ok_or_else(|| invalid(&self.at(name), "missing (this attribute is mandatory)"))
    }

    fn string(&self, name: &str) -> Result<&'a str, VnfmError> {
        self.required(name)?
            .as_str()
            .ok_or_else(|| invalid(&self.at(name), "expected a string"))
    }

    fn optional_string(&self, name: &str) -> Result<(), VnfmError> {
        match self.optional(name) {
            Some(value) if !value.is_string() => Err(invalid(&self.at(name), "expected a string")),
            _ => Ok(()),
        }
    }

    fn one_of(&self, name: &str, allowed: &[&str]) -> Result<(), VnfmError> {
        let text = self.string(name)?;
        if allowed.contains(&text) {
            Ok(())
        } else {
            Err(invalid(
                &self.at(name),
                format!("{text:?} is not one of {allowed:?}"),
            ))
        }
    }

    fn optional_object(&self, name: &str) -> Result<Option<Attributes<'a>>, VnfmError> {
        self.optional(name)
            .map(|value| Attributes::of(&self.at(name), value))
            .transpose()
    }

    /// Each element of an optional array, with its path.
    fn optional_array(&self, name: &str) -> Result<Vec<(String, &'a Value)>, VnfmError> {
        let Some(value) = self.optional(name) else {
            return Ok(Vec::new());
        };
        let items = value
            .as_array()
            .ok_or_else(|| invalid(&self.at(name), "expected a JSON array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(index, item)| (format!("{}[{index}]", self.at(name)), item))
            .collect())
    }
}

/// SOL003 §4.4.1.7 `ResourceHandle`.
fn resource_handle(path: &str, value: &Value) -> Result<(), VnfmError> {
    let handle = Attributes::of(path, value)?;
    handle.string("resourceId")?;
    for name in [
        "vimConnectionId",
        "resourceProviderId",
        "vimLevelResourceType",
    ] {
        handle.optional_string(name)?;
    }
    Ok(())
}

/// SOL003 §5.5.2.2 `VnfInstance`, as copied into a VNF snapshot.
fn vnf_instance(path: &str, value: &Value, vnf_instance_id: &str) -> Result<(), VnfmError> {
    let instance = Attributes::of(path, value)?;
    let id = instance.string("id")?;
    if id != vnf_instance_id {
        return Err(invalid(
            &instance.at("id"),
            format!("{id:?} differs from vnfSnapshot.vnfInstanceId {vnf_instance_id:?}"),
        ));
    }
    for name in [
        "vnfdId",
        "vnfProvider",
        "vnfProductName",
        "vnfSoftwareVersion",
        "vnfdVersion",
    ] {
        instance.string(name)?;
    }
    for name in ["vnfInstanceName", "vnfInstanceDescription"] {
        instance.optional_string(name)?;
    }
    instance.one_of("instantiationState", &["NOT_INSTANTIATED", "INSTANTIATED"])?;
    for name in ["vnfConfigurableProperties", "metadata", "extensions"] {
        instance.optional_object(name)?;
    }
    if let Some(connections) = instance.optional_object("vimConnectionInfo")? {
        for (id, connection) in connections.map {
            let connection = Attributes::of(&connections.at(id), connection)?;
            connection.string("vimType")?;
            connection.optional_string("vimId")?;
            connection.optional_object("interfaceInfo")?;
            connection.optional_object("accessInfo")?;
            connection.optional_object("extra")?;
        }
    }
    if let Some(info) = instance.optional_object("instantiatedVnfInfo")? {
        info.string("flavourId")?;
        info.one_of("vnfState", &["STARTED", "STOPPED"])?;
        for (path, item) in info.optional_array("vnfcResourceInfo")? {
            let vnfc = Attributes::of(&path, item)?;
            vnfc.string("id")?;
            vnfc.string("vduId")?;
            resource_handle(
                &vnfc.at("computeResource"),
                vnfc.required("computeResource")?,
            )?;
        }
        for (path, item) in info.optional_array("virtualStorageResourceInfo")? {
            let storage = Attributes::of(&path, item)?;
            storage.string("id")?;
            storage.string("virtualStorageDescId")?;
            resource_handle(
                &storage.at("storageResource"),
                storage.required("storageResource")?,
            )?;
        }
        for (path, item) in info.optional_array("vnfcInfo")? {
            let vnfc = Attributes::of(&path, item)?;
            vnfc.string("id")?;
            vnfc.string("vduId")?;
            vnfc.one_of("vnfcState", &["STARTED", "STOPPED"])?;
        }
    }
    let links = Attributes::of(&instance.at("_links"), instance.required("_links")?)?;
    let self_link = Attributes::of(&links.at("self"), links.required("self")?)?;
    self_link.string("href")?;
    Ok(())
}

/// `VnfStateSnapshotInfo`: `checksum` (SOL013 `Checksum`), `isEncrypted`,
/// optional `metadata`.
fn vnf_state_snapshot_info(path: &str, value: &Value) -> Result<(), VnfmError> {
    let info = Attributes::of(path, value)?;
    let checksum = Attributes::of(&info.at("checksum"), info.required("checksum")?)?;
    checksum.string("algorithm")?;
    checksum.string("hash")?;
    if !info.required("isEncrypted")?.is_boolean() {
        return Err(invalid(&info.at("isEncrypted"), "expected a boolean"));
    }
    info.optional_object("metadata")?;
    Ok(())
}

/// Checks `vnfSnapshot` content as given by an NFVO (`raw` is the JSON it came from, `typed`
/// what serde made of it: the attributes serde types are already checked).
pub fn check(raw: &Value, typed: &VnfSnapshot) -> Result<(), VnfmError> {
    let path = "vnfSnapshot";
    let content = Attributes::of(path, raw)?;
    date_time(&content.at("creationStartedAt"), &typed.creation_started_at)?;
    if let Some(finished) = &typed.creation_finished_at {
        date_time(&content.at("creationFinishedAt"), finished)?;
    }
    vnf_instance(
        &content.at("vnfInstance"),
        content.required("vnfInstance")?,
        &typed.vnf_instance_id,
    )?;
    if typed.vnfc_snapshots.is_empty() {
        return Err(invalid(
            &content.at("vnfcSnapshots"),
            "a VNF snapshot holds at least one VNFC snapshot",
        ));
    }
    for (index, vnfc) in typed.vnfc_snapshots.iter().enumerate() {
        let at = format!("{path}.vnfcSnapshots[{index}]");
        date_time(
            &format!("{at}.creationStartedAt"),
            &vnfc.creation_started_at,
        )?;
        if let Some(finished) = &vnfc.creation_finished_at {
            date_time(&format!("{at}.creationFinishedAt"), finished)?;
        }
    }
    if let Some(state) = content.optional("vnfStateSnapshotInfo") {
        vnf_state_snapshot_info(&content.at("vnfStateSnapshotInfo"), state)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn valid() -> Value {
        json!({
            "id": "vs", "vnfInstanceId": "inst", "creationStartedAt": "2022-07-20T15:08:43.966Z",
            "creationFinishedAt": "2022-07-20T15:09:02Z", "vnfdId": "d",
            "vnfInstance": {
                "id": "inst", "vnfdId": "d", "vnfProvider": "p", "vnfProductName": "n",
                "vnfSoftwareVersion": "1", "vnfdVersion": "1", "instantiationState": "INSTANTIATED",
                "vimConnectionInfo": {"vim1": {"vimType": "OPENSTACK_V3", "interfaceInfo": {"port": 5000}}},
                "instantiatedVnfInfo": {"flavourId": "f", "vnfState": "STARTED",
                    "vnfcResourceInfo": [{"id": "c", "vduId": "v", "computeResource": {"resourceId": "srv"}}]},
                "_links": {"self": {"href": "http://vnfm/vnf_instances/inst"}}
            },
            "vnfcSnapshots": [{"id": "c1", "vnfcInstanceId": "c", "creationStartedAt": "2022-07-20T15:08:43Z",
                "creationFinishedAt": "2022-07-20T15:08:50+02:00", "vnfcResourceInfoId": "c"}],
            "vnfStateSnapshotInfo": {"checksum": {"algorithm": "SHA-256", "hash": "ab"}, "isEncrypted": false},
            "userDefinedData": null
        })
    }

    fn checked(value: &Value) -> Result<(), VnfmError> {
        let typed: VnfSnapshot = serde_json::from_value(value.clone()).unwrap();
        check(value, &typed)
    }

    fn refused_at(value: &Value) -> String {
        match checked(value) {
            Err(VnfmError::InvalidBody { path, .. }) => path,
            other => panic!("expected a 400 naming the attribute, got {other:?}"),
        }
    }

    #[test]
    fn valid_content_passes_and_null_optionals_count_as_absent() {
        assert_eq!(checked(&valid()), Ok(()));
    }

    #[test]
    fn each_untyped_part_is_checked_and_named() {
        let cases: [(&str, Value, &str); 9] = [
            ("/creationStartedAt", json!("yesterday"), "vnfSnapshot.creationStartedAt"),
            (
                "/vnfcSnapshots/0/creationFinishedAt",
                json!("2022-13-40"),
                "vnfSnapshot.vnfcSnapshots[0].creationFinishedAt",
            ),
            ("/vnfInstance", json!("anything"), "vnfSnapshot.vnfInstance"),
            ("/vnfInstance", json!(null), "vnfSnapshot.vnfInstance"),
            ("/vnfInstance/id", json!("other"), "vnfSnapshot.vnfInstance.id"),
            (
                "/vnfInstance/instantiationState",
                json!("RUNNING"),
                "vnfSnapshot.vnfInstance.instantiationState",
            ),
            (
                "/vnfInstance/instantiatedVnfInfo/vnfcResourceInfo/0/computeResource",
                json!({}),
                "vnfSnapshot.vnfInstance.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId",
            ),
            ("/vnfStateSnapshotInfo", json!([1]), "vnfSnapshot.vnfStateSnapshotInfo"),
            (
                "/vnfStateSnapshotInfo/isEncrypted",
                json!("no"),
                "vnfSnapshot.vnfStateSnapshotInfo.isEncrypted",
            ),
        ];
        for (pointer, bad, path) in cases {
            let mut value = valid();
            *value.pointer_mut(pointer).unwrap() = bad;
            assert_eq!(refused_at(&value), path, "{pointer}");
        }
        let mut no_links = valid();
        no_links["vnfInstance"]
            .as_object_mut()
            .unwrap()
            .remove("_links");
        assert_eq!(refused_at(&no_links), "vnfSnapshot.vnfInstance._links");
        let mut empty = valid();
        empty["vnfcSnapshots"] = json!([]);
        assert_eq!(refused_at(&empty), "vnfSnapshot.vnfcSnapshots");
    }
}
