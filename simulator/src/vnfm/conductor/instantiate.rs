//! The INSTANTIATE operation: deploy every VDU of the descriptor on the instance's VIM.

use std::sync::Arc;

use serde_json::Value;

use super::{
    failure::OpFailure,
    lifecycle::{complete, guarded, read_work, rolled_back, start, update_work, work_of},
    resource_changes,
    steps::{pass, Step},
    virtual_link,
};
use crate::vnfm::store::{OpWork, PlannedVnfc};
use crate::vnfm::{
    descriptors::VnfDescriptor,
    error::VnfmError,
    services::Services,
    store::{PortRecord, VirtualLinkRecord, VnfcRecord, VolumeRecord},
    types::{ChangeType, InstantiateVnfRequest, InstantiationState},
    vim::{BootSource, DeployedVnfc, VduPlan, VolumePlan},
    vim_binding::VimBinding,
};

/// The `additionalParams` key naming the out-of-band volumes.
const OUT_OF_BAND_VOLUMES: &str = "outOfBandVolumes";

/// Checks an InstantiateVnfRequest and starts the operation; returns the op occ id.
pub fn request_instantiate(
    services: &Arc<Services>,
    instance_id: &str,
    request: InstantiateVnfRequest,
    raw: Value,
) -> Result<String, VnfmError> {
    let default_vim = services.config.default_vim.clone();
    start(
        services,
        instance_id,
        &without_credentials(raw),
        |_, instance| {
            if instance.state == InstantiationState::Instantiated {
                return Err(VnfmError::AlreadyInstantiated(instance_id.to_string()));
            }
            let descriptor = &instance.descriptor;
            if request.flavour_id != descriptor.flavour_id {
                return Err(VnfmError::UnknownFlavour {
                    given: request.flavour_id.clone(),
                    vnfd_id: descriptor.vnfd_id.clone(),
                    flavour_id: descriptor.flavour_id.clone(),
                });
            }
            let vim = match &request.vim_connection_info {
                Some(connections) => VimBinding::from_connection_info(connections)
                    .map_err(VnfmError::InvalidVimConnectionInfo)?,
                None => VimBinding::default_vim(&default_vim),
            };
            if let Some(required) = &descriptor.required_vim_type {
                let fits = matches!(&vim, VimBinding::Other { vim_type, .. } if vim_type.contains(required.as_str()));
                if !fits {
                    return Err(VnfmError::VimTypeRequired {
                        vnfd_id: descriptor.vnfd_id.clone(),
                        required: required.clone(),
                    });
                }
            }
            let out_of_band = request
                .additional_params
                .as_ref()
                .and_then(|params| params.get(OUT_OF_BAND_VOLUMES));
            let name = instance.name.clone().unwrap_or_else(|| "vnf".into());
            let planned = plan(descriptor, &name, &instance.id, out_of_band)?;
            let short_id: String = instance.id.chars().take(8).collect();
            Ok(OpWork::Instantiate {
                vim: Arc::new(vim),
                flavour_id: request.flavour_id.clone(),
                network_name: virtual_link::network_name(&name, &short_id),
                virtual_link: None,
                planned,
                deployed: Vec::new(),
            })
        },
    )
}

/// The request as kept in `operationParams`: `vimConnectionInfo.*.accessInfo` (credentials)
/// removed.
fn without_credentials(mut raw: Value) -> Value {
    if let Some(connections) = raw
        .get_mut("vimConnectionInfo")
        .and_then(Value::as_object_mut)
    {
        for connection in connections.values_mut() {
            if let Some(connection) = connection.as_object_mut() {
                connection.remove("accessInfo");
            }
        }
    }
    raw
}

/// The deployment plan of every VDU; out-of-band volumes come from
/// `additionalParams.outOfBandVolumes`.
fn plan(
    descriptor: &VnfDescriptor,
    name: &str,
    instance_id: &str,
    out_of_band: Option<&Value>,
) -> Result<Vec<PlannedVnfc>, VnfmError> {
    let short_id: String = instance_id.chars().take(8).collect();
    descriptor
        .vdus
        .iter()
        .map(|vdu| {
            let boot = vdu.virtual_storages.iter().find(|storage| storage.boot);
            let volumes = vdu
                .virtual_storages
                .iter()
                .filter(|storage| !storage.boot)
                .map(|storage| {
                    let existing_volume_id = if storage.out_of_band {
                        let volume = out_of_band
                            .and_then(|volumes| volumes.get(&storage.id))
                            .and_then(Value::as_str)
                            .filter(|id| !id.is_empty())
                            .ok_or_else(|| VnfmError::OutOfBandVolumeMissing {
                                vnfd_id: descriptor.vnfd_id.clone(),
                                storage_id: storage.id.clone(),
                            })?;
                        Some(volume.to_string())
                    } else {
                        None
                    };
                    Ok(VolumePlan {
                        virtual_storage_desc_id: storage.id.clone(),
                        size_gb: storage.size,
                        existing_volume_id,
                    })
                })
                .collect::<Result<Vec<_>, VnfmError>>()?;
            Ok(PlannedVnfc {
                plan: VduPlan {
                    vdu_id: vdu.id.clone(),
                    server_name: format!("{name}-{short_id}-{}", vdu.id),
                    flavor_name: vdu.flavor.clone(),
                    boot: match boot {
                        Some(storage) => BootSource::Volume {
                            image_name: vdu.sw_image.clone(),
                            size_gb: storage.size,
                        },
                        None => BootSource::Image {
                            image_name: vdu.sw_image.clone(),
                        },
                    },
                    volumes,
                    ports: Vec::new(),
                },
                boot_storage_id: boot.map(|storage| storage.id.clone()),
            })
        })
        .collect()
}

/// A new `res-<uuid>` id.
pub fn resource_id() -> String {
    format!("res-{}", uuid::Uuid::new_v4())
}

/// Tracks a deployed VNFC, deployed from `plan`.
fn record_of(planned: &PlannedVnfc, plan: VduPlan, deployed: DeployedVnfc) -> VnfcRecord {
    VnfcRecord {
        id: resource_id(),
        vdu_id: deployed.vdu_id,
        server_id: deployed.server_id,
        volumes: deployed
            .volumes
            .into_iter()
            .map(|volume| VolumeRecord {
                id: resource_id(),
                virtual_storage_desc_id: match (&planned.boot_storage_id, volume.bootable) {
                    (Some(boot_id), true) => boot_id.clone(),
                    _ => volume.virtual_storage_desc_id,
                },
                volume_id: volume.volume_id,
                bootable: volume.bootable,
                out_of_band: volume.out_of_band,
            })
            .collect(),
        ports: deployed
            .ports
            .into_iter()
            .map(|port| PortRecord {
                id: resource_id(),
                link_port_id: resource_id(),
                cpd_id: port.cpd_id,
                port_id: port.port_id,
                network_id: port.network_id,
            })
            .collect(),
        plan,
    }
}

/// The internal virtual link of the operation, created first if need be.
async fn ensure_virtual_link(
    services: &Arc<Services>,
    op_id: &str,
) -> Result<VirtualLinkRecord, OpFailure> {
    let OpWork::Instantiate {
        vim,
        network_name,
        virtual_link: existing,
        ..
    } = work_of(services, op_id)?
    else {
        return Err(OpFailure::Internal(
            "unexpected work for INSTANTIATE".into(),
        ));
    };
    if let Some(link) = existing {
        return Ok(link);
    }
    pass(services, op_id, Step::VirtualLink).await?;
    let call = services
        .vim_driver(&vim)
        .create_virtual_link(network_name, virtual_link::INTERNAL_CIDR.into());
    let link = virtual_link::record_of(guarded(services, op_id, call).await?);
    update_work(services, op_id, |work| {
        if let OpWork::Instantiate { virtual_link, .. } = work {
            *virtual_link = Some(link.clone());
        }
    });
    Ok(link)
}

/// Deletes the internal virtual link of a rolled back operation, if it was made.
async fn remove_virtual_link(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    let OpWork::Instantiate {
        vim,
        virtual_link: Some(link),
        ..
    } = work_of(services, op_id)?
    else {
        return Ok(());
    };
    virtual_link::delete(services, op_id, &vim, &link).await
}

/// Creates the internal virtual link, deploys the VDUs not deployed yet (one port each on the
/// link), then marks the instance INSTANTIATED. Where the profile gives VNFCs no connection
/// points, there is no link and the servers boot without a network.
pub async fn execute(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    let link = match services.config.choices().connection_points {
        true => Some(ensure_virtual_link(services, op_id).await?),
        false => None,
    };
    loop {
        let (vim, next) = read_work(services, op_id, |work| match work {
            OpWork::Instantiate {
                vim,
                planned,
                deployed,
                ..
            } => Some((vim.clone(), planned.get(deployed.len()).cloned())),
            _ => None,
        })?;
        let Some(next) = next else {
            break;
        };
        pass(services, op_id, Step::Vnfc).await?;
        let plan = VduPlan {
            ports: link
                .iter()
                .map(|link| virtual_link::port_plan(&next.plan.vdu_id, link))
                .collect(),
            ..next.plan.clone()
        };
        let call = services.vim_driver(&vim).deploy_vnfc(plan.clone());
        let result = guarded(services, op_id, call).await?;
        let record = record_of(&next, plan, result);
        update_work(services, op_id, |work| {
            if let OpWork::Instantiate { deployed, .. } = work {
                deployed.push(record);
            }
        });
    }
    let OpWork::Instantiate {
        vim,
        flavour_id,
        deployed,
        ..
    } = work_of(services, op_id)?
    else {
        return Err(OpFailure::Internal(
            "unexpected work for INSTANTIATE".into(),
        ));
    };
    let changes = resource_changes::of(&deployed, ChangeType::Added, vim.id());
    pass(services, op_id, Step::Completing).await?;
    complete(services, op_id, |data| {
        if let Some(record) = data.op_occs.get_mut(op_id) {
            record.occ.resource_changes = Some(Box::new(changes));
            if let Some(instance) = data.instances.get_mut(&record.occ.vnf_instance_id) {
                instance.state = InstantiationState::Instantiated;
                instance.flavour_id = Some(flavour_id);
                instance.vim = Some(vim);
                instance.vnfcs = deployed;
                instance.virtual_link = link;
            }
        }
    });
    Ok(())
}

/// Removes what was deployed (VNFCs, then the internal virtual link); the instance stays
/// NOT_INSTANTIATED.
pub async fn roll_back(services: &Arc<Services>, op_id: &str) -> Result<(), OpFailure> {
    loop {
        let OpWork::Instantiate { vim, deployed, .. } = work_of(services, op_id)? else {
            return Err(OpFailure::Internal(
                "unexpected work for INSTANTIATE".into(),
            ));
        };
        let Some(last) = deployed.last().cloned() else {
            break;
        };
        let call = services.vim_driver(&vim).undeploy_vnfc(last.deployed());
        guarded(services, op_id, call).await?;
        update_work(services, op_id, |work| {
            if let OpWork::Instantiate { deployed, .. } = work {
                deployed.pop();
            }
        });
    }
    remove_virtual_link(services, op_id).await?;
    rolled_back(services, op_id, |_| {});
    Ok(())
}
