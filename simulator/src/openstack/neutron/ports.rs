//! `/v2.0/ports`: list (with `fixed_ips` and device filters), show, create (also in bulk),
//! update, delete.

use serde_json::Value;

use super::{
    attributes::{ipv4, Attributes},
    resource::{in_order, Resource, Update},
    views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{parse_address_pairs, Caller, CloudState, FixedIpRequest, PortFields},
};

const ATTRIBUTES: [&str; 15] = [
    "name",
    "network_id",
    "admin_state_up",
    "mac_address",
    "fixed_ips",
    "device_id",
    "device_owner",
    "security_groups",
    "port_security_enabled",
    "allowed_address_pairs",
    "binding:vnic_type",
    "binding:host_id",
    "binding:profile",
    "extra_dhcp_opts",
    "qos_policy_id",
];

fn fields(attributes: &Attributes<'_>) -> Result<PortFields, CloudError> {
    let fixed_ips = match attributes.objects("fixed_ips")? {
        None => None,
        Some(entries) => Some(
            entries
                .into_iter()
                .map(|entry| {
                    if let Some(key) = entry
                        .keys()
                        .find(|k| !["subnet_id", "ip_address"].contains(&k.as_str()))
                    {
                        return Err(CloudError::bad_request(format!(
                            "Invalid input for fixed_ips. Reason: Unrecognized attribute(s) '{key}'."
                        )));
                    }
                    Ok(FixedIpRequest {
                        subnet_id: entry
                            .get("subnet_id")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        ip_address: match entry.get("ip_address") {
                            Some(value) => Some(ipv4("ip_address", value)?),
                            None => None,
                        },
                    })
                })
                .collect::<Result<_, CloudError>>()?,
        ),
    };
    Ok(PortFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        admin_state_up: attributes.boolean("admin_state_up")?,
        mac_address: attributes.string("mac_address")?,
        device_id: attributes.string("device_id")?,
        device_owner: attributes.string("device_owner")?,
        fixed_ips,
        security_groups: attributes.strings("security_groups")?,
        port_security_enabled: attributes.boolean("port_security_enabled")?,
        allowed_address_pairs: attributes
            .objects("allowed_address_pairs")?
            .map(|pairs| parse_address_pairs(&pairs))
            .transpose()?,
    })
}

/// `/v2.0/ports`.
pub struct Ports;

impl Resource for Ports {
    const ONE: &'static str = "port";
    const MANY: &'static str = "ports";

    /// The caller's ports (every port for an admin).
    fn list(cloud: &Cloud, state: &mut CloudState, caller: Caller<'_>, _: u64) -> Vec<Value> {
        let owned = state.ports.values().filter(|p| caller.owns(&p.project_id));
        in_order(owned, |p| p.seq, |p| views::port(cloud, p))
    }

    fn show(
        cloud: &Cloud,
        state: &CloudState,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<Value, CloudError> {
        Ok(views::port(cloud, state.port(caller, id)?))
    }

    /// DOWN until a server uses the port.
    fn create(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        item: &Value,
        now_ms: u64,
    ) -> Result<(String, Value), CloudError> {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let network_id = attributes.string("network_id")?.ok_or_else(|| {
            CloudError::bad_request(
                "Failed to parse request. Required attribute 'network_id' not specified",
            )
        })?;
        let fields = fields(&attributes)?;
        let owner = attributes.owner()?;
        let port = state.create_port(caller, owner.as_deref(), &network_id, fields, now_ms)?;
        Ok((port.id.clone(), views::port(cloud, &port)))
    }

    fn undo(state: &mut CloudState, _: Caller<'_>, id: &str) {
        state.ports.remove(id);
    }

    fn delete(
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        state.delete_port(caller, id, now_ms)
    }
}

impl Update for Ports {
    type Changes = PortFields;

    fn changes(item: &Value) -> Result<PortFields, CloudError> {
        if let Some(key) = ["network_id", "tenant_id", "project_id"]
            .iter()
            .find(|k| item.get(**k).is_some())
        {
            return Err(CloudError::bad_request(format!(
                "Cannot update read-only attribute {key}"
            )));
        }
        fields(&Attributes::new(item, &ATTRIBUTES)?)
    }

    fn update(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        fields: PortFields,
        now_ms: u64,
    ) -> Result<Value, CloudError> {
        let port = state.update_port(caller, id, fields, now_ms)?;
        Ok(views::port(cloud, &port))
    }
}
