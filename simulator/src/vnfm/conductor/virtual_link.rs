//! The VNF's internal virtual link: one network (with a subnet) per VNF instance, created
//! before the VNFCs, and one connection point (a port on it) per VDU.

use super::{
    failure::OpFailure,
    lifecycle::{guarded, update_work},
};
use crate::vnfm::{
    services::Services,
    store::{OpWork, VirtualLinkRecord},
    vim::{DeployedVirtualLink, PortPlan},
    vim_binding::VimBinding,
};

/// `vnfVirtualLinkDescId` of the internal virtual link.
pub const INTERNAL_VLD_ID: &str = "internal-vl";

/// The IPv4 range of the internal network's subnet.
pub const INTERNAL_CIDR: &str = "10.250.0.0/24";

/// The `cpdId` of a VDU's connection point on the internal virtual link.
pub fn cpd_id(vdu_id: &str) -> String {
    format!("{vdu_id}-cp")
}

/// The cloud name of the internal network (and its subnet).
pub fn network_name(vnf_name: &str, short_id: &str) -> String {
    format!("{vnf_name}-{short_id}-{INTERNAL_VLD_ID}")
}

/// The record of a newly created internal virtual link.
pub fn record_of(link: DeployedVirtualLink) -> VirtualLinkRecord {
    VirtualLinkRecord {
        id: super::instantiate::resource_id(),
        vld_id: INTERNAL_VLD_ID.into(),
        network_id: link.network_id,
        subnet_id: link.subnet_id,
    }
}

/// The port a VDU gets on the virtual link.
pub fn port_plan(vdu_id: &str, link: &VirtualLinkRecord) -> PortPlan {
    PortPlan {
        cpd_id: cpd_id(vdu_id),
        network_id: link.network_id.clone(),
    }
}

/// Deletes the internal virtual link `link` from `vim`, then forgets it in the work of the
/// operation (an INSTANTIATE rolled back, a TERMINATE).
pub async fn delete(
    services: &Services,
    op_id: &str,
    vim: &VimBinding,
    link: &VirtualLinkRecord,
) -> Result<(), OpFailure> {
    let call = services
        .vim_driver(vim)
        .delete_virtual_link(link.deployed());
    guarded(services, op_id, call).await?;
    update_work(services, op_id, |work| {
        if let OpWork::Instantiate { virtual_link, .. } | OpWork::Terminate { virtual_link, .. } =
            work
        {
            *virtual_link = None;
        }
    });
    Ok(())
}
