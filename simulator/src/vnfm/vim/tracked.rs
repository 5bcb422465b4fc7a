//! The driver of a VIM this VNFM does not drive (e.g. VMware vCD): resources are only
//! tracked, with ids generated locally, and no call leaves the VNFM. Snapshots are refused
//! before any operation starts; the driver refuses them too.

use super::{
    driver::{VimCall, VimDriver},
    BootSource, DeployedPort, DeployedVirtualLink, DeployedVnfc, DeployedVolume, RevertedVnfc,
    SnapshotArtefact, VduPlan, VimError, VimErrorKind, VnfcSnapshotResources,
};

/// The tracked-only driver.
#[derive(Clone, Copy, Debug)]
pub struct TrackedVim;

/// The refusal of a snapshot call on a tracked-only VIM.
fn no_snapshots<T: Send + 'static>() -> VimCall<T> {
    Box::pin(async {
        Err(VimError::new(
            VimErrorKind::Rejected,
            "VNF snapshots are supported only on an OpenStack VIM",
        ))
    })
}

impl VimDriver for TrackedVim {
    /// The network as if created: new network and subnet ids.
    fn create_virtual_link(&self, _name: String, _cidr: String) -> VimCall<DeployedVirtualLink> {
        let link = DeployedVirtualLink {
            network_id: uuid::Uuid::new_v4().to_string(),
            subnet_id: uuid::Uuid::new_v4().to_string(),
        };
        Box::pin(async move { Ok(link) })
    }

    fn delete_virtual_link(&self, _link: DeployedVirtualLink) -> VimCall<()> {
        Box::pin(async { Ok(()) })
    }

    /// The VNFC as if deployed: a new server id, a volume id per planned volume and a port id
    /// per planned port.
    fn deploy_vnfc(&self, plan: VduPlan) -> VimCall<DeployedVnfc> {
        let new_id = || uuid::Uuid::new_v4().to_string();
        let boot = match &plan.boot {
            BootSource::Volume { .. } => Some(DeployedVolume {
                virtual_storage_desc_id: format!("{}-boot", plan.vdu_id),
                volume_id: new_id(),
                bootable: true,
                out_of_band: false,
            }),
            BootSource::Image { .. } => None,
        };
        let data = plan.volumes.iter().map(|volume| DeployedVolume {
            virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
            volume_id: volume.existing_volume_id.clone().unwrap_or_else(new_id),
            bootable: false,
            out_of_band: volume.existing_volume_id.is_some(),
        });
        let vnfc = DeployedVnfc {
            vdu_id: plan.vdu_id.clone(),
            server_id: new_id(),
            volumes: boot.into_iter().chain(data).collect(),
            ports: plan
                .ports
                .iter()
                .map(|port| DeployedPort {
                    cpd_id: port.cpd_id.clone(),
                    port_id: new_id(),
                    network_id: port.network_id.clone(),
                })
                .collect(),
        };
        Box::pin(async move { Ok(vnfc) })
    }

    fn undeploy_vnfc(&self, _vnfc: DeployedVnfc) -> VimCall<Vec<(String, String)>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn snapshot_vnfc(&self, _vnfc: DeployedVnfc, _name: String) -> VimCall<VnfcSnapshotResources> {
        no_snapshots()
    }

    fn copy_boot_image(
        &self,
        _vnfc: DeployedVnfc,
        _name: String,
    ) -> VimCall<VnfcSnapshotResources> {
        no_snapshots()
    }

    fn delete_snapshot_by_name(&self, _name: String) -> VimCall<()> {
        no_snapshots()
    }

    fn delete_snapshot_artefact(&self, _artefact: SnapshotArtefact) -> VimCall<()> {
        no_snapshots()
    }

    /// Nothing is ever left on a VIM this VNFM does not drive.
    fn delete_left_volume(&self, _volume_id: String) -> VimCall<Option<String>> {
        Box::pin(async { Ok(None) })
    }

    fn revert_vnfc(
        &self,
        _vnfc: DeployedVnfc,
        _plan: VduPlan,
        _snapshot: VnfcSnapshotResources,
    ) -> VimCall<RevertedVnfc> {
        no_snapshots()
    }
}
