//! `/v2.0/networks`: list, show, create (also in bulk), update, delete.

use serde_json::Value;

use super::{
    attributes::Attributes,
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::{
    error::CloudError,
    model::{CloudState, NetworkFields},
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
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        let visible = state
            .networks
            .values()
            .filter(|n| state.network_visible(cx.caller, n));
        in_order(visible, |n| n.seq, |n| views::network(cx.cloud, state, n))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        let network = state.network(cx.caller, id)?;
        Ok(views::network(cx.cloud, state, network))
    }

    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let (fields, owner) = fields(item)?;
        let network = state.create_network(cx.caller, owner.as_deref(), fields, cx.now_ms)?;
        Ok((
            network.id.clone(),
            views::network(cx.cloud, state, &network),
        ))
    }

    fn undo(_: &Context<'_>, state: &mut CloudState, id: &str) {
        state.networks.remove(id);
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_network(cx.caller, id)
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

    fn update(cx: &Context<'_>, state: &mut CloudState, id: &str, fields: NetworkFields) -> View {
        let network = state.update_network(cx.caller, id, fields, cx.now_ms)?;
        Ok(views::network(cx.cloud, state, &network))
    }
}
