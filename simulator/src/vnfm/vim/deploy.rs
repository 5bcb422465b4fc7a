//! Deploying and undeploying one VNFC: volumes, server, and cleanup of what a failed deploy
//! created.

use serde_json::{json, Value};

use super::cinder::{Cinder, VolumeSource};
use super::glance::Glance;
use super::nova::Nova;
use super::session::Session;
use super::{
    BootSource, DeployedVnfc, DeployedVolume, VduPlan, VimError, VimErrorKind, VolumePlan,
};

/// What a flow created so far (deleted again when the flow fails).
#[derive(Default)]
pub(crate) struct Created {
    pub(crate) server: Option<String>,
    pub(crate) volumes: Vec<String>,
}

impl Created {
    /// Deletes the server (waiting until it is gone), then the volumes. Best effort: problems
    /// are logged, the caller reports its own error.
    pub(crate) async fn remove(&self, session: &Session) {
        if let Some(server) = &self.server {
            if let Err(e) = Nova(session).delete_server_and_wait(server).await {
                tracing::warn!(server, error = %e, "cleanup could not delete a server");
            }
        }
        for volume in &self.volumes {
            match Cinder(session).delete_volume(volume).await {
                Ok(None) => {}
                Ok(Some(reason)) => {
                    tracing::warn!(volume, reason, "cleanup: the cloud keeps a volume")
                }
                Err(e) => tracing::warn!(volume, error = %e, "cleanup could not delete a volume"),
            }
        }
    }
}

/// The `virtualStorageDescId`-style id of a VDU's boot volume.
pub(crate) fn boot_volume_desc_id(vdu_id: &str) -> String {
    format!("{vdu_id}-boot")
}

/// The cloud name of a VNF-managed volume.
pub(crate) fn volume_name(server_name: &str, virtual_storage_desc_id: &str) -> String {
    format!("{server_name}-{virtual_storage_desc_id}")
}

/// A `block_device_mapping_v2` entry attaching an existing volume (kept on server delete).
fn volume_block_device(volume: &DeployedVolume) -> Value {
    let mut entry = json!({
        "uuid": volume.volume_id,
        "source_type": "volume",
        "destination_type": "volume",
        "delete_on_termination": false,
    });
    if volume.bootable {
        entry["boot_index"] = json!(0);
    }
    entry
}

/// Boots `name` with `volumes` attached (the bootable one as root disk, or from `image_id`),
/// records it in `created`, and waits until it is ACTIVE with every volume in-use.
pub(crate) async fn boot_server(
    session: &Session,
    name: &str,
    flavor_id: &str,
    image_id: Option<&str>,
    volumes: &[DeployedVolume],
    created: &mut Created,
) -> Result<String, VimError> {
    let nova = Nova(session);
    let block_devices = volumes.iter().map(volume_block_device).collect();
    let server_id = nova
        .create_server(name, flavor_id, image_id, block_devices)
        .await?;
    created.server = Some(server_id.clone());
    nova.wait_active(&server_id).await?;
    for volume in volumes {
        Cinder(session)
            .wait_volume(&volume.volume_id, "in-use")
            .await?;
    }
    Ok(server_id)
}

/// See [`super::OpenStackVim::deploy_vnfc`].
pub(crate) async fn deploy(session: &Session, plan: &VduPlan) -> Result<DeployedVnfc, VimError> {
    let flavor_id = Nova(session).flavor_id(&plan.flavor_name).await?;
    let image_name = match &plan.boot {
        BootSource::Image { image_name } | BootSource::Volume { image_name, .. } => image_name,
    };
    let image_id = Glance(session).image_id(image_name).await?;
    for volume in &plan.volumes {
        if let Some(id) = &volume.existing_volume_id {
            check_out_of_band(session, volume, id).await?;
        }
    }
    let mut created = Created::default();
    match build(session, plan, &flavor_id, &image_id, &mut created).await {
        Ok(vnfc) => Ok(vnfc),
        Err(e) => {
            created.remove(session).await;
            Err(e)
        }
    }
}

/// An out-of-band volume must exist and be free to attach.
async fn check_out_of_band(session: &Session, plan: &VolumePlan, id: &str) -> Result<(), VimError> {
    let desc = &plan.virtual_storage_desc_id;
    match Cinder(session).volume_status(id).await? {
        Some(status) if status == "available" => Ok(()),
        Some(status) => Err(VimError::new(
            VimErrorKind::Rejected,
            format!("out-of-band volume {id} for {desc} is {status}, not available"),
        )),
        None => Err(VimError::new(
            VimErrorKind::Rejected,
            format!("out-of-band volume {id} for {desc} does not exist"),
        )),
    }
}

async fn build(
    session: &Session,
    plan: &VduPlan,
    flavor_id: &str,
    image_id: &str,
    created: &mut Created,
) -> Result<DeployedVnfc, VimError> {
    let cinder = Cinder(session);
    let mut volumes = Vec::new();
    if let BootSource::Volume { size_gb, .. } = &plan.boot {
        let desc = boot_volume_desc_id(&plan.vdu_id);
        let name = volume_name(&plan.server_name, "boot");
        let id = cinder
            .create_volume(
                &name,
                Some(u64::from(*size_gb)),
                VolumeSource::Image(image_id),
            )
            .await?;
        created.volumes.push(id.clone());
        volumes.push(DeployedVolume {
            virtual_storage_desc_id: desc,
            volume_id: id,
            bootable: true,
            out_of_band: false,
        });
    }
    for volume in &plan.volumes {
        let (id, out_of_band) = match &volume.existing_volume_id {
            Some(id) => (id.clone(), true),
            None => {
                let name = volume_name(&plan.server_name, &volume.virtual_storage_desc_id);
                let id = cinder
                    .create_volume(&name, Some(u64::from(volume.size_gb)), VolumeSource::Blank)
                    .await?;
                created.volumes.push(id.clone());
                (id, false)
            }
        };
        volumes.push(DeployedVolume {
            virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
            volume_id: id,
            bootable: false,
            out_of_band,
        });
    }
    for id in &created.volumes {
        cinder.wait_volume(id, "available").await?;
    }
    let boot_image = match plan.boot {
        BootSource::Image { .. } => Some(image_id),
        BootSource::Volume { .. } => None,
    };
    let server_id = boot_server(
        session,
        &plan.server_name,
        flavor_id,
        boot_image,
        &volumes,
        created,
    )
    .await?;
    Ok(DeployedVnfc {
        vdu_id: plan.vdu_id.clone(),
        server_id,
        volumes,
    })
}

/// See [`super::OpenStackVim::undeploy_vnfc`].
pub(crate) async fn undeploy(
    session: &Session,
    vnfc: &DeployedVnfc,
) -> Result<Vec<(String, String)>, VimError> {
    Nova(session)
        .delete_server_and_wait(&vnfc.server_id)
        .await?;
    let mut kept = Vec::new();
    for volume in vnfc.volumes.iter().filter(|v| !v.out_of_band) {
        if let Some(reason) = Cinder(session).delete_volume(&volume.volume_id).await? {
            kept.push((volume.volume_id.clone(), reason));
        }
    }
    Ok(kept)
}
