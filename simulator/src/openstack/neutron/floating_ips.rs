//! `/v2.0/floatingips`: list, show, create (also in bulk, associated at once with
//! `port_id`), update (associate, move, disassociate), delete.

use serde_json::Value;

use super::{
    attributes::{ipv4, Attributes},
    resource::{in_order, Resource, Update},
    views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{Caller, CloudState, FloatingIpChanges, FloatingIpRequest},
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
    fn list(cloud: &Cloud, state: &mut CloudState, caller: Caller<'_>, _: u64) -> Vec<Value> {
        let owned = state
            .floating_ips
            .values()
            .filter(|f| caller.owns(&f.project_id));
        in_order(owned, |f| f.seq, |f| views::floating_ip(cloud, f))
    }

    fn show(
        cloud: &Cloud,
        state: &CloudState,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<Value, CloudError> {
        let floating_ip = state.floating_ip(caller, id)?;
        Ok(views::floating_ip(cloud, floating_ip))
    }

    /// Associated at once with `port_id`.
    fn create(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        item: &Value,
        now_ms: u64,
    ) -> Result<(String, Value), CloudError> {
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
        let floating_ip = state.create_floating_ip(caller, owner.as_deref(), request, now_ms)?;
        Ok((
            floating_ip.id.clone(),
            views::floating_ip(cloud, &floating_ip),
        ))
    }

    fn undo(state: &mut CloudState, caller: Caller<'_>, id: &str) {
        let _ = state.delete_floating_ip(caller, id);
    }

    fn delete(
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        _: u64,
    ) -> Result<(), CloudError> {
        state.delete_floating_ip(caller, id)
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
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        changes: FloatingIpChanges,
        now_ms: u64,
    ) -> Result<Value, CloudError> {
        let floating_ip = state.update_floating_ip(caller, id, changes, now_ms)?;
        Ok(views::floating_ip(cloud, &floating_ip))
    }
}
