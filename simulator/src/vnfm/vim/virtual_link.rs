//! The internal virtual link of a VNF instance: one Neutron network with one IPv4 subnet.

use super::neutron::Neutron;
use super::session::Session;
use super::{DeployedVirtualLink, VimError};

/// See [`super::OpenStackVim::create_virtual_link`].
pub(crate) async fn create(
    session: &Session,
    name: &str,
    cidr: &str,
) -> Result<DeployedVirtualLink, VimError> {
    let neutron = Neutron(session);
    let network_id = neutron.create_network(name).await?;
    match neutron.create_subnet(&network_id, name, cidr).await {
        Ok(subnet_id) => Ok(DeployedVirtualLink {
            network_id,
            subnet_id,
        }),
        Err(e) => {
            if let Err(cleanup) = neutron.delete_network(&network_id).await {
                tracing::warn!(network = %network_id, error = %cleanup, "cleanup could not delete a network");
            }
            Err(e)
        }
    }
}

/// See [`super::OpenStackVim::delete_virtual_link`].
pub(crate) async fn delete(session: &Session, link: &DeployedVirtualLink) -> Result<(), VimError> {
    let neutron = Neutron(session);
    neutron.delete_subnet(&link.subnet_id).await?;
    neutron.delete_network(&link.network_id).await
}
