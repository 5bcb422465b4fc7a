//! Wire representations of stored records under a given API root (links are absolute and
//! per root and listener, made here when a record is read; `vnfcInfo` exists on the SOL002
//! root only).

use serde_json::Value;

use super::{
    deviation::{Deviation, Deviations},
    links::{Api, ApiRoot},
    op_rules,
    profile::{Choices, InstanceCopy, LeftVolumes},
    store::{InstanceRecord, OpOccRecord, SnapshotRecord},
    types::{
        InstantiatedVnfInfo, InstantiationState, JsonText, LcmOperationStateType, LcmOperationType,
        Link, OpOccLinks, ResourceHandle, VirtualStorageResourceInfo, VnfInstance,
        VnfInstanceLinks, VnfLcmOpOcc, VnfLinkPortInfo, VnfSnapshotInfo, VnfSnapshotInfoLinks,
        VnfSnapshotLinks, VnfVirtualLinkResourceInfo, VnfcCpInfo, VnfcInfo, VnfcResourceInfo,
    },
};

/// `vimLevelResourceType` of a server.
pub const SERVER_TYPE: &str = "OS::Nova::Server";
/// `vimLevelResourceType` of a network.
pub const NETWORK_TYPE: &str = "OS::Neutron::Net";
/// `vimLevelResourceType` of a port.
pub const PORT_TYPE: &str = "OS::Neutron::Port";
/// `vimLevelResourceType` of a volume.
pub const VOLUME_TYPE: &str = "OS::Cinder::Volume";
/// `vimLevelResourceType` of an image.
pub const IMAGE_TYPE: &str = "OS::Glance::Image";
/// `vimLevelResourceType` of a volume snapshot.
pub const VOLUME_SNAPSHOT_TYPE: &str = "OS::Cinder::Snapshot";

/// The VnfInstance representation.
pub fn instance(record: &InstanceRecord, root: &ApiRoot, choices: &Choices) -> VnfInstance {
    let resource_vnfd_id = || choices.vnfd_id_in_resources.then(|| record.vnfd_id.clone());
    let instantiated = record.state == InstantiationState::Instantiated;
    let vim_id = record.vim_id();
    let instantiated_vnf_info = instantiated.then(|| {
        let vnfc_resource_info = record
            .vnfcs
            .iter()
            .map(|vnfc| VnfcResourceInfo {
                id: vnfc.id.clone(),
                vdu_id: vnfc.vdu_id.clone(),
                vnfd_id: resource_vnfd_id(),
                compute_resource: ResourceHandle::new(
                    &vim_id,
                    vnfc.server_id.as_str(),
                    SERVER_TYPE,
                ),
                storage_resource_ids: vnfc
                    .volumes
                    .iter()
                    .map(|volume| volume.id.clone())
                    .collect(),
                vnfc_cp_info: vnfc
                    .ports
                    .iter()
                    .map(|port| VnfcCpInfo {
                        id: port.id.clone(),
                        cpd_id: port.cpd_id.clone(),
                        vnf_link_port_id: Some(port.link_port_id.clone()),
                    })
                    .collect(),
            })
            .collect();
        let vnf_virtual_link_resource_info = record
            .virtual_link
            .iter()
            .map(|link| VnfVirtualLinkResourceInfo {
                id: link.id.clone(),
                vnf_virtual_link_desc_id: link.vld_id.clone(),
                vnfd_id: Some(record.vnfd_id.clone()),
                network_resource: ResourceHandle::new(
                    &vim_id,
                    link.network_id.as_str(),
                    NETWORK_TYPE,
                ),
                vnf_link_ports: record
                    .vnfcs
                    .iter()
                    .flat_map(|vnfc| &vnfc.ports)
                    .filter(|port| port.network_id == link.network_id)
                    .map(|port| VnfLinkPortInfo {
                        id: port.link_port_id.clone(),
                        resource_handle: ResourceHandle::new(
                            &vim_id,
                            port.port_id.as_str(),
                            PORT_TYPE,
                        ),
                        cp_instance_id: Some(port.id.clone()),
                        cp_instance_type: Some("VNFC_CP".into()),
                    })
                    .collect(),
            })
            .collect();
        let virtual_storage_resource_info = record
            .vnfcs
            .iter()
            .flat_map(|vnfc| &vnfc.volumes)
            .map(|volume| VirtualStorageResourceInfo {
                id: volume.id.clone(),
                virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
                vnfd_id: resource_vnfd_id(),
                storage_resource: ResourceHandle::new(
                    &vim_id,
                    volume.volume_id.as_str(),
                    VOLUME_TYPE,
                ),
                metadata: (volume.out_of_band && choices.out_of_band_metadata)
                    .then(|| serde_json::json!({"outOfBand": true})),
            })
            .collect();
        let vnfc_info = (root.api == Api::Sol002).then(|| {
            record
                .vnfcs
                .iter()
                .map(|vnfc| VnfcInfo {
                    id: vnfc.id.clone(),
                    vdu_id: vnfc.vdu_id.clone(),
                    vnfc_resource_info_id: Some(vnfc.id.clone()),
                    vnfc_state: "STARTED".into(),
                })
                .collect()
        });
        InstantiatedVnfInfo {
            flavour_id: record.flavour_id.clone().unwrap_or_default(),
            vnf_state: "STARTED".into(),
            vnfc_resource_info,
            virtual_storage_resource_info,
            vnf_virtual_link_resource_info,
            vnfc_info,
        }
    });
    VnfInstance {
        id: record.id.clone(),
        vnf_instance_name: record.name.clone(),
        vnf_instance_description: record.description.clone(),
        vnfd_id: record.vnfd_id.clone(),
        vnf_provider: record.descriptor.vnf_provider.clone(),
        vnf_product_name: record.descriptor.vnf_product_name.clone(),
        vnf_software_version: record.descriptor.vnf_software_version.clone(),
        vnfd_version: record.descriptor.vnfd_version.clone(),
        vim_connection_info: record.vim.as_ref().map(|vim| vim.connection_info()),
        instantiation_state: record.state,
        instantiated_vnf_info,
        metadata: record.metadata.clone().map(serde_json::Value::Object),
        links: instance_links(&record.id, instantiated, root),
    }
}

/// The links of a VNF instance under `root`, with the tasks its instantiation state offers.
fn instance_links(id: &str, instantiated: bool, root: &ApiRoot) -> VnfInstanceLinks {
    let task = |name: &str, wanted: bool| wanted.then(|| Link::new(root.instance_task(id, name)));
    VnfInstanceLinks {
        self_link: Link::new(root.instance(id)),
        instantiate: task("instantiate", !instantiated),
        terminate: task("terminate", instantiated),
        create_snapshot: task("create_snapshot", instantiated),
        revert_to_snapshot: task("revert_to_snapshot", instantiated),
    }
}

/// The copy of an instance that a VNF snapshot taken by this VNFM keeps: the instance as the
/// SOL002 root shows it (with `vnfcInfo`), without `_links`, which are made when it is read.
pub fn instance_copy(record: &InstanceRecord, choices: &Choices) -> serde_json::Result<JsonText> {
    let root = ApiRoot {
        api: Api::Sol002,
        base: String::new(),
    };
    let mut value = serde_json::to_value(instance(record, &root, choices))?;
    if let Some(object) = value.as_object_mut() {
        object.remove("_links");
    }
    JsonText::of(&value)
}

/// A stored instance copy as read under `root`: the links of that root and listener, and
/// `vnfcInfo` on the SOL002 root only.
fn read_instance_copy(copy: &JsonText, root: &ApiRoot) -> JsonText {
    let mut value = copy.to_value();
    let Some(object) = value.as_object_mut() else {
        return copy.clone();
    };
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let instantiated =
        object.get("instantiationState").and_then(Value::as_str) == Some("INSTANTIATED");
    if root.api != Api::Sol002 {
        if let Some(info) = object
            .get_mut("instantiatedVnfInfo")
            .and_then(Value::as_object_mut)
        {
            info.remove("vnfcInfo");
        }
    }
    if let Ok(links) = serde_json::to_value(instance_links(&id, instantiated, root)) {
        object.insert("_links".into(), links);
    }
    JsonText::of(&value).unwrap_or_else(|_| copy.clone())
}

/// The instance copy in the vendor documentation's form: only `id` and `instantiatedVnfInfo`.
fn documented_instance_copy(copy: &JsonText) -> JsonText {
    let value = copy.to_value();
    let mut kept = serde_json::Map::new();
    for name in ["id", "instantiatedVnfInfo"] {
        if let Some(attribute) = value.get(name) {
            kept.insert(name.into(), attribute.clone());
        }
    }
    JsonText::of(&Value::Object(kept)).unwrap_or_else(|_| copy.clone())
}

/// The VnfSnapshotInfo representation.
pub fn snapshot(record: &SnapshotRecord, root: &ApiRoot, choices: &Choices) -> VnfSnapshotInfo {
    let vnf_snapshot = record.vnf_snapshot.clone().map(|mut content| {
        // Only the copies this VNFM took are rendered; content given by a client stays as given.
        if record.taken_from.is_some() {
            let copy = read_instance_copy(&content.vnf_instance, root);
            content.vnf_instance = match choices.instance_copy {
                InstanceCopy::Full => copy,
                InstanceCopy::Documented => documented_instance_copy(&copy),
            };
        }
        content.links = Some(VnfSnapshotLinks {
            self_link: Link::new(root.snapshot(&record.id)),
            vnf_state_snapshot: None,
        });
        content
    });
    VnfSnapshotInfo {
        id: record.id.clone(),
        vnf_snapshot_pkg_id: record.vnf_snapshot_pkg_id.clone(),
        vnf_snapshot,
        links: VnfSnapshotInfoLinks {
            self_link: Link::new(root.snapshot(&record.id)),
            taken_from: record
                .taken_from
                .as_ref()
                .map(|id| Link::new(root.instance(id))),
        },
    }
}

/// The VnfLcmOpOcc representation, with the task links that apply in its state.
pub fn op_occ(
    record: &OpOccRecord,
    root: &ApiRoot,
    deviations: &Deviations,
    choices: &Choices,
) -> VnfLcmOpOcc {
    let occ = &record.occ;
    let state = occ.operation_state;
    let task = |name: &str, wanted: bool| {
        wanted.then(|| Link::new(format!("{}/{name}", root.op_occ(&occ.id))))
    };
    let failed_temp = op_rules::takes_error_tasks(state);
    let rollback_supported = op_rules::supports_rollback(occ.operation);
    let links = OpOccLinks {
        self_link: Link::new(root.op_occ(&occ.id)),
        vnf_instance: Link::new(root.instance(&occ.vnf_instance_id)),
        cancel: task("cancel", op_rules::is_cancellable(state)),
        retry: task("retry", failed_temp),
        rollback: task("rollback", failed_temp && rollback_supported),
        fail: task("fail", failed_temp),
        vnf_snapshot: occ
            .vnf_snapshot_info_id
            .as_ref()
            .map(|id| Link::new(root.snapshot(id))),
    };
    let mut wire = VnfLcmOpOcc {
        id: occ.id.clone(),
        operation_state: state,
        state_entered_time: occ.state_entered_time.clone(),
        start_time: occ.start_time.clone(),
        vnf_instance_id: occ.vnf_instance_id.clone(),
        operation: occ.operation,
        is_automatic_invocation: occ.is_automatic_invocation,
        operation_params: occ.operation_params.as_ref().map(JsonText::to_value),
        is_cancel_pending: occ.is_cancel_pending,
        cancel_mode: occ.cancel_mode,
        error: occ.error.as_deref().cloned(),
        resource_changes: occ.resource_changes.as_deref().cloned(),
        vnf_snapshot_info_id: occ.vnf_snapshot_info_id.clone(),
        resources_left_on_vim: match choices.left_volumes {
            LeftVolumes::Reported => occ.resources_left_on_vim.clone(),
            LeftVolumes::DeletedWithTheirSnapshots => Vec::new(),
        },
        links,
    };
    if state == LcmOperationStateType::FailedTemp
        && deviations.has(Deviation::FailedTempWithoutError)
    {
        wire.error = None;
    }
    if deviations.has(Deviation::WrongOperationType) {
        wire.operation = match wire.operation {
            LcmOperationType::CreateSnapshot => LcmOperationType::RevertToSnapshot,
            LcmOperationType::RevertToSnapshot => LcmOperationType::CreateSnapshot,
            other => other,
        };
    }
    if deviations.has(Deviation::NoSnapshotInfoIdInOpOcc) {
        wire.vnf_snapshot_info_id = None;
        wire.links.vnf_snapshot = None;
    }
    wire
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_documented_instance_copy_keeps_only_the_id_and_the_instantiated_info() {
        let copy = JsonText::of(&json!({
            "id": "inst", "vnfdId": "d", "instantiationState": "INSTANTIATED",
            "instantiatedVnfInfo": {"flavourId": "default", "vnfState": "STARTED"},
            "_links": {"self": {"href": "x"}}
        }))
        .unwrap();
        assert_eq!(
            documented_instance_copy(&copy).to_value(),
            json!({"id": "inst", "instantiatedVnfInfo": {"flavourId": "default", "vnfState": "STARTED"}})
        );
    }
}
