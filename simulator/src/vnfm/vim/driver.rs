//! The VIM as the conductor sees it: one trait, with two drivers chosen once per VIM binding
//! (`Services::vim_driver`): [`OpenStackVim`] over the OpenStack HTTP APIs, and
//! [`TrackedVim`](super::TrackedVim) for VIM types this VNFM does not drive.
//!
//! Calls take owned arguments and answer `'static` futures, so that the conductor can run each
//! one in its own task (and abort it on a FORCEFUL cancel).

use std::{future::Future, pin::Pin};

use super::{
    DeployedVirtualLink, DeployedVnfc, OpenStackVim, RevertedVnfc, SnapshotArtefact, VduPlan,
    VimError, VnfcSnapshotResources,
};

/// One VIM call in flight.
pub type VimCall<T> = Pin<Box<dyn Future<Output = Result<T, VimError>> + Send + 'static>>;

/// What the conductor asks of a VIM.
pub trait VimDriver: Send + Sync {
    /// Creates the VNF's internal network `name` with a subnet `cidr`.
    fn create_virtual_link(&self, name: String, cidr: String) -> VimCall<DeployedVirtualLink>;
    /// Deletes the VNF's internal network and its subnet (gone counts as done).
    fn delete_virtual_link(&self, link: DeployedVirtualLink) -> VimCall<()>;
    /// Deploys one VNFC (volumes, server, attachments).
    fn deploy_vnfc(&self, plan: VduPlan) -> VimCall<DeployedVnfc>;
    /// Removes one VNFC; answers the volumes left on the VIM with the reason.
    fn undeploy_vnfc(&self, vnfc: DeployedVnfc) -> VimCall<Vec<(String, String)>>;
    /// Snapshots one VNFC under `name`.
    fn snapshot_vnfc(&self, vnfc: DeployedVnfc, name: String) -> VimCall<VnfcSnapshotResources>;
    /// Snapshots one VNFC with a copy of its boot image instead of an image of its disk (the
    /// `image-copied-from-boot-image` deviation).
    fn copy_boot_image(&self, vnfc: DeployedVnfc, name: String) -> VimCall<VnfcSnapshotResources>;
    /// Deletes whatever a VNFC snapshot named `name` left (complete or partial).
    fn delete_snapshot_by_name(&self, name: String) -> VimCall<()>;
    /// Deletes one image or volume snapshot of a VNFC snapshot (gone already counts as done).
    fn delete_snapshot_artefact(&self, artefact: SnapshotArtefact) -> VimCall<()>;
    /// Deletes a volume an operation left because it had snapshots (gone counts as done);
    /// answers the cloud's reason when it still refuses.
    fn delete_left_volume(&self, volume_id: String) -> VimCall<Option<String>>;
    /// Rebuilds one VNFC from its snapshot.
    fn revert_vnfc(
        &self,
        vnfc: DeployedVnfc,
        plan: VduPlan,
        snapshot: VnfcSnapshotResources,
    ) -> VimCall<RevertedVnfc>;
}

impl VimDriver for OpenStackVim {
    fn create_virtual_link(&self, name: String, cidr: String) -> VimCall<DeployedVirtualLink> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::create_virtual_link(&vim, &name, &cidr).await })
    }

    fn delete_virtual_link(&self, link: DeployedVirtualLink) -> VimCall<()> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::delete_virtual_link(&vim, &link).await })
    }

    fn deploy_vnfc(&self, plan: VduPlan) -> VimCall<DeployedVnfc> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::deploy_vnfc(&vim, &plan).await })
    }

    fn undeploy_vnfc(&self, vnfc: DeployedVnfc) -> VimCall<Vec<(String, String)>> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::undeploy_vnfc(&vim, &vnfc).await })
    }

    fn snapshot_vnfc(&self, vnfc: DeployedVnfc, name: String) -> VimCall<VnfcSnapshotResources> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::snapshot_vnfc(&vim, &vnfc, &name).await })
    }

    fn copy_boot_image(&self, vnfc: DeployedVnfc, name: String) -> VimCall<VnfcSnapshotResources> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::copy_boot_image(&vim, &vnfc, &name).await })
    }

    fn delete_snapshot_by_name(&self, name: String) -> VimCall<()> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::delete_snapshot_by_name(&vim, &name).await })
    }

    fn delete_snapshot_artefact(&self, artefact: SnapshotArtefact) -> VimCall<()> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::delete_snapshot_artefact(&vim, &artefact).await })
    }

    fn delete_left_volume(&self, volume_id: String) -> VimCall<Option<String>> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::delete_left_volume(&vim, &volume_id).await })
    }

    fn revert_vnfc(
        &self,
        vnfc: DeployedVnfc,
        plan: VduPlan,
        snapshot: VnfcSnapshotResources,
    ) -> VimCall<RevertedVnfc> {
        let vim = self.clone();
        Box::pin(async move { OpenStackVim::revert_vnfc(&vim, &vnfc, &plan, &snapshot).await })
    }
}
