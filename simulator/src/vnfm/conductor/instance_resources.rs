//! The "Individual VNF instance" resources' own changes: create (with its identifier
//! creation notification) and delete (with its identifier deletion notification).

use crate::vnfm::{
    error::VnfmError,
    services::Services,
    store::InstanceRecord,
    types::{CreateVnfRequest, InstantiationState},
};

/// Stores a new NOT_INSTANTIATED instance of the requested descriptor and notifies its
/// creation; answers it as stored.
pub fn create_instance(
    services: &Services,
    request: CreateVnfRequest,
) -> Result<InstanceRecord, VnfmError> {
    let descriptor = services
        .catalog
        .get(&request.vnfd_id)
        .cloned()
        .ok_or_else(|| VnfmError::UnknownVnfd(request.vnfd_id.clone()))?;
    let record = InstanceRecord {
        id: uuid::Uuid::new_v4().to_string(),
        name: request.vnf_instance_name,
        description: request.vnf_instance_description,
        vnfd_id: request.vnfd_id,
        descriptor,
        metadata: request.metadata,
        state: InstantiationState::NotInstantiated,
        flavour_id: None,
        vim: None,
        vnfcs: Vec::new(),
        virtual_link: None,
        busy_with: None,
    };
    let mut data = services.store.lock();
    services.notifier.publish_instance_created(&data, &record);
    data.instances.insert(record.id.clone(), record.clone());
    Ok(record)
}

/// Removes the instance `id` and notifies its deletion; refused while it is instantiated or
/// an operation holds it.
pub fn delete_instance(services: &Services, id: &str) -> Result<(), VnfmError> {
    let mut data = services.store.lock();
    let record = data
        .instances
        .get(id)
        .ok_or_else(|| VnfmError::NoInstance(id.to_string()))?;
    if record.state == InstantiationState::Instantiated {
        return Err(VnfmError::StillInstantiated(id.to_string()));
    }
    if let Some(op) = &record.busy_with {
        return Err(VnfmError::InstanceBusy {
            op_id: op.clone(),
            instance_id: id.to_string(),
        });
    }
    if let Some(removed) = data.instances.remove(id) {
        services.notifier.publish_instance_deleted(&data, &removed);
    }
    Ok(())
}
