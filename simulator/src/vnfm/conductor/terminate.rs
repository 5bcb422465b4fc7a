//! The TERMINATE operation: remove every VNFC from the VIM (snapshots are kept).

use std::sync::Arc;

use serde_json::Value;

use super::{
    failure::OpFailure,
    lifecycle::{check_cancel, complete, guarded, read_work, start, update_work, work_of},
    resource_changes,
    steps::{pass, Step},
    virtual_link,
};
use crate::vnfm::store::OpWork;
use crate::vnfm::{
    error::VnfmError,
    representation::VOLUME_TYPE,
    services::Services,
    types::{ChangeType, InstantiationState, LcmOperationType, LeftOnVim},
};

/// Checks that the instance is INSTANTIATED and starts the operation; returns the op occ id.
pub fn request_terminate(
    services: &Arc<Services>,
    instance_id: &str,
    raw: Value,
) -> Result<String, VnfmError> {
    start(services, instance_id, &raw, |_, instance| {
        if instance.state != InstantiationState::Instantiated {
            return Err(VnfmError::NotInstantiated {
                instance_id: instance_id.to_string(),
                operation: LcmOperationType::Terminate,
            });
        }
        Ok(OpWork::Terminate {
            vim: instance.vim.clone(),
            remaining: instance.vnfcs.clone(),
            virtual_link: instance.virtual_link.clone(),
        })
    })
}

/// Removes the remaining VNFCs, then marks the instance NOT_INSTANTIATED.
pub async fn execute(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    loop {
        let (vim, next) = read_work(services, op_id, |work| match work {
            OpWork::Terminate { vim, remaining, .. } => {
                Some((vim.clone(), remaining.first().cloned()))
            }
            _ => None,
        })?;
        let Some(next) = next else {
            break;
        };
        pass(services, op_id, Step::Vnfc).await?;
        let left = match &vim {
            Some(vim) => {
                let call = services.vim_driver(vim).undeploy_vnfc(next.deployed());
                guarded(services, op_id, call).await?
            }
            // An instance without a VIM has nothing deployed anywhere.
            None => {
                check_cancel(services, op_id)?;
                Vec::new()
            }
        };
        let vim_id = vim
            .as_ref()
            .map(|vim| vim.id().to_string())
            .unwrap_or_default();
        let mut data = services.store.lock();
        if let Some(record) = data.op_occs.get_mut(op_id) {
            for (volume_id, reason) in left {
                tracing::warn!(%op_id, %volume_id, %reason, "volume left on the VIM by terminate");
                record.occ.resources_left_on_vim.push(LeftOnVim {
                    resource_id: volume_id,
                    vim_connection_id: vim_id.clone(),
                    vim_level_resource_type: VOLUME_TYPE.into(),
                    reason,
                });
            }
        }
        drop(data);
        update_work(services, op_id, |work| {
            if let OpWork::Terminate { remaining, .. } = work {
                remaining.retain(|vnfc| vnfc.id != next.id);
            }
        });
    }
    remove_virtual_link(services, op_id).await?;
    pass(services, op_id, Step::Completing).await?;
    complete(services, op_id, |data| {
        let Some(instance_id) = data
            .op_occs
            .get(op_id)
            .map(|record| record.occ.vnf_instance_id.clone())
        else {
            return;
        };
        let Some(instance) = data.instances.get_mut(&instance_id) else {
            return;
        };
        let changes =
            resource_changes::of(&instance.vnfcs, ChangeType::Removed, &instance.vim_id());
        instance.state = InstantiationState::NotInstantiated;
        instance.vnfcs.clear();
        instance.virtual_link = None;
        instance.vim = None;
        instance.flavour_id = None;
        if let Some(record) = data.op_occs.get_mut(op_id) {
            record.occ.resource_changes = Some(Box::new(changes));
        }
    });
    Ok(())
}

/// Deletes the internal network once the VNFCs (and so their ports) are gone.
async fn remove_virtual_link(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    let OpWork::Terminate {
        vim: Some(vim),
        virtual_link: Some(link),
        ..
    } = work_of(services, op_id)?
    else {
        return Ok(());
    };
    pass(services, op_id, Step::VirtualLink).await?;
    virtual_link::delete(services, op_id, &vim, &link).await
}
