//! `/v2.0/ports`: list (with `fixed_ips` and device filters), show, create (also in bulk),
//! update, delete.

use serde_json::Value;

use super::{
    attributes::{fixed_ip, Attributes},
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::{
    error::CloudError,
    model::{parse_address_pairs, CloudState, PortFields},
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
                    fixed_ip(entry.get("subnet_id"), entry.get("ip_address"))
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
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        let owned = state
            .ports
            .values()
            .filter(|p| cx.caller.owns(&p.project_id));
        in_order(owned, |p| p.seq, |p| views::port(cx.cloud, p))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        Ok(views::port(cx.cloud, state.port(cx.caller, id)?))
    }

    /// DOWN until a server uses the port.
    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let network_id = attributes.string("network_id")?.ok_or_else(|| {
            CloudError::bad_request(
                "Failed to parse request. Required attribute 'network_id' not specified",
            )
        })?;
        let fields = fields(&attributes)?;
        let owner = attributes.owner()?;
        let port =
            state.create_port(cx.caller, owner.as_deref(), &network_id, fields, cx.now_ms)?;
        Ok((port.id.clone(), views::port(cx.cloud, &port)))
    }

    fn undo(_: &Context<'_>, state: &mut CloudState, id: &str) {
        state.ports.remove(id);
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_port(cx.caller, id, cx.now_ms)
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

    fn update(cx: &Context<'_>, state: &mut CloudState, id: &str, fields: PortFields) -> View {
        let port = state.update_port(cx.caller, id, fields, cx.now_ms)?;
        Ok(views::port(cx.cloud, &port))
    }
}
