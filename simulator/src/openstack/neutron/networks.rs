//! `/v2.0/networks`: list, show, create (also in bulk), update, delete.

use serde_json::Value;

use super::{
    attributes::Attributes,
    resource::{in_order, Resource, Update},
    views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{Caller, CloudState, NetworkFields},
};

const ATTRIBUTES: [&str; 7] = [
    "name",
    "admin_state_up",
    "shared",
    "router:external",
    "mtu",
    "port_security_enabled",
    "availability_zone_hints",
];

fn fields(value: &Value) -> Result<(NetworkFields, Option<String>), CloudError> {
    let attributes = Attributes::new(value, &ATTRIBUTES)?;
    let fields = NetworkFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        admin_state_up: attributes.boolean("admin_state_up")?,
        shared: attributes.boolean("shared")?,
        external: attributes.boolean("router:external")?,
        mtu: attributes.number("mtu")?,
        port_security_enabled: attributes.boolean("port_security_enabled")?,
    };
    Ok((fields, attributes.owner()?))
}

/// `/v2.0/networks`.
pub struct Networks;

impl Resource for Networks {
    const ONE: &'static str = "network";
    const MANY: &'static str = "networks";

    /// The caller's and the shared networks (every network for an admin).
    fn list(cloud: &Cloud, state: &mut CloudState, caller: Caller<'_>, _: u64) -> Vec<Value> {
        let visible = state
            .networks
            .values()
            .filter(|n| state.network_visible(caller, n));
        in_order(visible, |n| n.seq, |n| views::network(cloud, state, n))
    }

    fn show(
        cloud: &Cloud,
        state: &CloudState,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<Value, CloudError> {
        let network = state.network(caller, id)?;
        Ok(views::network(cloud, state, network))
    }

    fn create(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        item: &Value,
        now_ms: u64,
    ) -> Result<(String, Value), CloudError> {
        let (fields, owner) = fields(item)?;
        let network = state.create_network(caller, owner.as_deref(), fields, now_ms)?;
        Ok((network.id.clone(), views::network(cloud, state, &network)))
    }

    fn undo(state: &mut CloudState, _: Caller<'_>, id: &str) {
        state.networks.remove(id);
    }

    fn delete(
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        _: u64,
    ) -> Result<(), CloudError> {
        state.delete_network(caller, id)
    }
}

impl Update for Networks {
    type Changes = NetworkFields;

    fn changes(item: &Value) -> Result<NetworkFields, CloudError> {
        let (fields, owner) = fields(item)?;
        if owner.is_some() {
            return Err(CloudError::bad_request(
                "Cannot update read-only attribute tenant_id",
            ));
        }
        Ok(fields)
    }

    fn update(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        fields: NetworkFields,
        now_ms: u64,
    ) -> Result<Value, CloudError> {
        let network = state.update_network(caller, id, fields, now_ms)?;
        Ok(views::network(cloud, state, &network))
    }
}
