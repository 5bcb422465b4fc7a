//! Snapshotting one VNFC (a Glance image by Nova `createImage` plus one Cinder snapshot per
//! volume) and deleting those resources.

use super::cinder::Cinder;
use super::glance::{bdm_snapshot_ids, Glance};
use super::nova::Nova;
use super::session::Session;
use super::{DeployedVnfc, VimError, VnfcSnapshotResources};

/// The name of the Cinder snapshots of the VNFC snapshot `name` (Nova's own convention).
pub(crate) fn volume_snapshot_name(name: &str) -> String {
    format!("snapshot for {name}")
}

/// See [`super::OpenStackVim::snapshot_vnfc`].
///
/// For an image-backed server the volume snapshots are requested right after `createImage`
/// (so they are close in time to the image); for a volume-backed one Nova makes them and lists
/// them in the image. Snapshots of volumes not in `vnfc` (attached out of band of the driver)
/// that Nova made are reported after those of `vnfc`'s volumes.
pub(crate) async fn snapshot(
    session: &Session,
    vnfc: &DeployedVnfc,
    name: &str,
) -> Result<VnfcSnapshotResources, VimError> {
    let cinder = Cinder(session);
    let snapshot_name = volume_snapshot_name(name);
    let image_id = Nova(session).create_image(&vnfc.server_id, name).await?;
    let volume_backed = vnfc.volumes.iter().any(|v| v.bootable);
    let mut pairs: Vec<(String, String)> = Vec::new();
    if !volume_backed {
        for volume in &vnfc.volumes {
            let id = cinder
                .create_snapshot(&volume.volume_id, &snapshot_name)
                .await?;
            pairs.push((volume.volume_id.clone(), id));
        }
    }
    let image = Glance(session).wait_active(&image_id).await?;
    let mut ready = Vec::new();
    for snapshot_id in bdm_snapshot_ids(&image_id, &image)? {
        let state = cinder.wait_snapshot_available(&snapshot_id).await?;
        let volume_id = state.volume_id.ok_or_else(|| {
            VimError::new(
                super::VimErrorKind::ServerError,
                format!("Cinder snapshot {snapshot_id} names no volume_id"),
            )
        })?;
        ready.push(snapshot_id.clone());
        pairs.push((volume_id, snapshot_id));
    }
    for volume in &vnfc.volumes {
        if !pairs.iter().any(|(v, _)| *v == volume.volume_id) {
            let id = cinder
                .create_snapshot(&volume.volume_id, &snapshot_name)
                .await?;
            pairs.push((volume.volume_id.clone(), id));
        }
    }
    for (_, snapshot_id) in &pairs {
        if !ready.contains(snapshot_id) {
            cinder.wait_snapshot_available(snapshot_id).await?;
        }
    }
    let position = |volume_id: &str| {
        vnfc.volumes
            .iter()
            .position(|v| v.volume_id == volume_id)
            .unwrap_or(usize::MAX)
    };
    pairs.sort_by_key(|(volume_id, _)| position(volume_id));
    Ok(VnfcSnapshotResources {
        image_id,
        volume_snapshots: pairs,
    })
}

/// See [`super::OpenStackVim::delete_snapshot_by_name`].
pub(crate) async fn delete_by_name(session: &Session, name: &str) -> Result<(), VimError> {
    let glance = Glance(session);
    for (image_id, _) in glance.images_named(name).await? {
        glance.delete_image(&image_id).await?;
    }
    let cinder = Cinder(session);
    for snapshot_id in cinder.snapshots_named(&volume_snapshot_name(name)).await? {
        cinder.delete_snapshot(&snapshot_id).await?;
    }
    Ok(())
}

/// See [`super::OpenStackVim::delete_snapshot_resources`].
pub(crate) async fn delete_resources(
    session: &Session,
    resources: &VnfcSnapshotResources,
) -> Result<(), VimError> {
    Glance(session).delete_image(&resources.image_id).await?;
    for (_, snapshot_id) in &resources.volume_snapshots {
        Cinder(session).delete_snapshot(snapshot_id).await?;
    }
    Ok(())
}
