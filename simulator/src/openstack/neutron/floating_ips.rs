//! `/v2.0/floatingips`: list, show, create (also in bulk, associated at once with
//! `port_id`), update (associate, move, disassociate), delete.

use serde_json::Value;

use super::{
    attributes::{ipv4, Attributes},
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::{
    error::CloudError,
    model::{CloudState, FloatingIpChanges, FloatingIpRequest},
};

const ATTRIBUTES: [&str; 5] = [
    "floating_network_id",
    "floating_ip_address",
    "subnet_id",
    "port_id",
    "fixed_ip_address",
];

fn address(
    attributes: &Attributes<'_>,
    key: &str,
) -> Result<Option<std::net::Ipv4Addr>, CloudError> {
    match attributes.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => ipv4(key, value).map(Some),
    }
}

/// `/v2.0/floatingips`.
pub struct FloatingIps;

impl Resource for FloatingIps {
    const ONE: &'static str = "floatingip";
    const MANY: &'static str = "floatingips";

    /// The caller's floating IPs (every one for an admin).
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        let owned = state
            .floating_ips
            .values()
            .filter(|f| cx.caller.owns(&f.project_id));
        in_order(owned, |f| f.seq, |f| views::floating_ip(cx.cloud, f))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        let floating_ip = state.floating_ip(cx.caller, id)?;
        Ok(views::floating_ip(cx.cloud, floating_ip))
    }

    /// Associated at once with `port_id`.
    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let floating_network_id = attributes.string("floating_network_id")?.ok_or_else(|| {
            CloudError::bad_request(
                "Failed to parse request. Required attribute 'floating_network_id' not specified",
            )
        })?;
        let request = FloatingIpRequest {
            floating_network_id,
            floating_ip_address: address(&attributes, "floating_ip_address")?,
            subnet_id: attributes.string("subnet_id")?,
            port_id: attributes.string("port_id")?,
            fixed_ip_address: address(&attributes, "fixed_ip_address")?,
            description: attributes.string("description")?,
        };
        let owner = attributes.owner()?;
        let floating_ip =
            state.create_floating_ip(cx.caller, owner.as_deref(), request, cx.now_ms)?;
        Ok((
            floating_ip.id.clone(),
            views::floating_ip(cx.cloud, &floating_ip),
        ))
    }

    fn undo(cx: &Context<'_>, state: &mut CloudState, id: &str) {
        let _ = state.delete_floating_ip(cx.caller, id);
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_floating_ip(cx.caller, id)
    }
}

/// Associates, moves or (with `port_id: null`) disassociates.
impl Update for FloatingIps {
    type Changes = FloatingIpChanges;

    fn changes(item: &Value) -> Result<FloatingIpChanges, CloudError> {
        let attributes = Attributes::new(item, &["port_id", "fixed_ip_address"])?;
        Ok(FloatingIpChanges {
            port_id: match attributes.get("port_id") {
                None => None,
                Some(Value::Null) => Some(None),
                Some(_) => Some(attributes.string("port_id")?),
            },
            fixed_ip_address: address(&attributes, "fixed_ip_address")?,
            description: attributes.string("description")?,
        })
    }

    fn update(
        cx: &Context<'_>,
        state: &mut CloudState,
        id: &str,
        changes: FloatingIpChanges,
    ) -> View {
        let floating_ip = state.update_floating_ip(cx.caller, id, changes, cx.now_ms)?;
        Ok(views::floating_ip(cx.cloud, &floating_ip))
    }
}
