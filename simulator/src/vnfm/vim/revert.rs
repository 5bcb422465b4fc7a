//! Reverting a volume-backed VNFC to a snapshot: new volumes from the Cinder snapshots, a new
//! server on them, then the old volumes deleted where the cloud allows it.

use super::cinder::{Cinder, VolumeSource};
use super::deploy::{boot_server, volume_name, Created};
use super::nova::Nova;
use super::session::Session;
use super::{
    BootSource, DeployedVnfc, DeployedVolume, RevertedVnfc, VduPlan, VimError, VimErrorKind,
    VnfcSnapshotResources,
};

/// See [`super::OpenStackVim::revert_vnfc`].
pub(crate) async fn revert(
    session: &Session,
    vnfc: &DeployedVnfc,
    plan: &VduPlan,
    snapshot: &VnfcSnapshotResources,
) -> Result<RevertedVnfc, VimError> {
    let sources = snapshot_per_volume(vnfc, snapshot)?;
    let flavor_id = Nova(session).flavor_id(&plan.flavor_name).await?;
    let mut created = Created::default();
    let new_vnfc = match rebuild(session, vnfc, plan, &sources, &flavor_id, &mut created).await {
        Ok(new_vnfc) => new_vnfc,
        Err(e) => {
            created.remove(session).await;
            return Err(e);
        }
    };
    let mut left_on_vim = Vec::new();
    for volume in vnfc.volumes.iter().filter(|v| !v.out_of_band) {
        // The revert itself succeeded: a volume that cannot be deleted is reported, not fatal.
        match Cinder(session).delete_volume(&volume.volume_id).await {
            Ok(None) => {}
            Ok(Some(reason)) => left_on_vim.push((volume.volume_id.clone(), reason)),
            Err(e) => left_on_vim.push((volume.volume_id.clone(), e.message)),
        }
    }
    Ok(RevertedVnfc {
        vnfc: new_vnfc,
        left_on_vim,
    })
}

/// The snapshot to restore each volume of `vnfc` from, in `vnfc.volumes` order; refuses VNFCs
/// the documented limitations exclude.
fn snapshot_per_volume<'a>(
    vnfc: &'a DeployedVnfc,
    snapshot: &'a VnfcSnapshotResources,
) -> Result<Vec<(&'a DeployedVolume, &'a str)>, VimError> {
    let refuse = |why: String| {
        VimError::new(
            VimErrorKind::Rejected,
            format!(
                "cannot revert VNFC {} (server {}): {why}",
                vnfc.vdu_id, vnfc.server_id
            ),
        )
    };
    if !vnfc.volumes.iter().any(|v| v.bootable) {
        return Err(refuse(
            "it has no bootable volume; only volume-backed VNFCs can be reverted".to_string(),
        ));
    }
    if let Some(oob) = vnfc.volumes.iter().find(|v| v.out_of_band) {
        return Err(refuse(format!(
            "it uses the out-of-band volume {}",
            oob.volume_id
        )));
    }
    vnfc.volumes
        .iter()
        .map(|volume| {
            snapshot
                .volume_snapshots
                .iter()
                .find(|(v, _)| *v == volume.volume_id)
                .map(|(_, s)| (volume, s.as_str()))
                .ok_or_else(|| {
                    refuse(format!(
                        "the snapshot (image {}) has no snapshot of volume {}",
                        snapshot.image_id, volume.volume_id
                    ))
                })
        })
        .collect()
}

/// The size `plan` gives a volume of the VNFC, if any.
fn planned_size(plan: &VduPlan, volume: &DeployedVolume) -> Option<u64> {
    if volume.bootable {
        return match plan.boot {
            BootSource::Volume { size_gb, .. } => Some(u64::from(size_gb)),
            BootSource::Image { .. } => None,
        };
    }
    plan.volumes
        .iter()
        .find(|p| p.virtual_storage_desc_id == volume.virtual_storage_desc_id)
        .map(|p| u64::from(p.size_gb))
}

/// Creates the new volumes, replaces the old server by a new one on them.
async fn rebuild(
    session: &Session,
    vnfc: &DeployedVnfc,
    plan: &VduPlan,
    sources: &[(&DeployedVolume, &str)],
    flavor_id: &str,
    created: &mut Created,
) -> Result<DeployedVnfc, VimError> {
    let cinder = Cinder(session);
    let mut volumes = Vec::new();
    for (old, snapshot_id) in sources {
        let state = cinder.wait_snapshot_available(snapshot_id).await?;
        let size = state.size.or_else(|| planned_size(plan, old));
        let desc = if old.bootable {
            "boot"
        } else {
            old.virtual_storage_desc_id.as_str()
        };
        let name = volume_name(&plan.server_name, desc);
        let id = cinder
            .create_volume(&name, size, VolumeSource::Snapshot(snapshot_id))
            .await?;
        created.volumes.push(id.clone());
        volumes.push(DeployedVolume {
            volume_id: id,
            ..(*old).clone()
        });
    }
    for volume in &volumes {
        cinder.wait_volume(&volume.volume_id, "available").await?;
    }
    Nova(session)
        .delete_server_and_wait(&vnfc.server_id)
        .await?;
    let server_id = boot_server(
        session,
        &plan.server_name,
        flavor_id,
        None,
        &volumes,
        created,
    )
    .await?;
    Ok(DeployedVnfc {
        vdu_id: vnfc.vdu_id.clone(),
        server_id,
        volumes,
    })
}
