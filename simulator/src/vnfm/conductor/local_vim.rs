//! Deployment on a VIM this VNFM does not drive (e.g. VMware vCD): resources are only
//! tracked, with ids generated locally.

use crate::vnfm::vim::{BootSource, DeployedVnfc, DeployedVolume, VduPlan};

/// The VNFC as if deployed: a new server id and a volume id per planned volume.
pub fn deploy(plan: &VduPlan) -> DeployedVnfc {
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
    DeployedVnfc {
        vdu_id: plan.vdu_id.clone(),
        server_id: new_id(),
        volumes: boot.into_iter().chain(data).collect(),
    }
}
