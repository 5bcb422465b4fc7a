//! The VNFCs' connection points: each `vnfcCpInfo` of an instance leads, through its
//! `vnfLinkPortId`, to a link port of a `vnfVirtualLinkResourceInfo` whose resource is a
//! Neutron port, read from the cloud with its fixed IP addresses and the server it is bound to.
//! SOL003 makes `vnfcCpInfo` optional and the vendor documentation never mentions ports: the
//! scenarios apply to targets that claim `vnfc_connection_points`. What the instance lists must
//! be true on the cloud (SOL003 §5.5.3.5: the CPs of the VNFC instance, each on its link
//! port); whether a revert keeps the same ports and addresses is the reference VNFM's choice.

use std::collections::BTreeMap;

use cucumber::{given, then};
use serde_json::Value;

use crate::{
    failure::{Failure, Outcome},
    world::Conformance,
};

/// One connection point of a VNFC as the cloud shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpPort {
    /// `vnfcCpInfo[].id`.
    pub cp_id: String,
    /// Neutron port id (`vnfLinkPorts[].resourceHandle.resourceId`).
    pub port_id: String,
    /// The port's fixed IP addresses.
    pub addresses: Vec<String>,
}

/// The Neutron port id behind each `vnfLinkPorts[].id` of the instance.
fn link_ports(instance: &Value) -> BTreeMap<String, String> {
    instance["instantiatedVnfInfo"]["vnfVirtualLinkResourceInfo"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|link| link["vnfLinkPorts"].as_array().cloned().unwrap_or_default())
        .filter_map(|port| {
            let id = port["id"].as_str()?.to_string();
            let resource = port["resourceHandle"]["resourceId"].as_str()?.to_string();
            Some((id, resource))
        })
        .collect()
}

/// VNFC id -> (server id, its connection points), read from the instance and the cloud.
async fn cp_ports(
    w: &Conformance,
    alias: &str,
) -> Outcome<BTreeMap<String, (String, Vec<CpPort>)>> {
    let instance = w.read_instance(alias).await?;
    let ports = link_ports(&instance);
    let mut found = BTreeMap::new();
    let vnfcs = instance["instantiatedVnfInfo"]["vnfcResourceInfo"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for vnfc in &vnfcs {
        let vnfc_id = vnfc["id"].as_str().unwrap_or_default().to_string();
        let server = vnfc["computeResource"]["resourceId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut cps = Vec::new();
        for cp in vnfc["vnfcCpInfo"].as_array().into_iter().flatten() {
            let cp_id = cp["id"].as_str().unwrap_or_default().to_string();
            let port_id = cp["vnfLinkPortId"]
                .as_str()
                .and_then(|link_port| ports.get(link_port))
                .ok_or_else(|| {
                    Failure::new(format!(
                        "vnfcCpInfo {cp_id} of VNFC {vnfc_id} names no link port of a vnfVirtualLinkResourceInfo: {instance}"
                    ))
                })?
                .clone();
            let port = w
                .target
                .observer
                .port(w.cloud.project_name(), &port_id)
                .await?
                .ok_or_else(|| {
                    Failure::new(format!(
                        "Neutron has no port {port_id} (vnfcCpInfo {cp_id} of VNFC {vnfc_id})"
                    ))
                })?;
            if port["device_id"] != server.as_str() {
                return Err(Failure::new(format!(
                    "Neutron port {port_id} of VNFC {vnfc_id} is bound to {}, not to its server {server}",
                    port["device_id"]
                )));
            }
            let addresses = port["fixed_ips"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|ip| ip["ip_address"].as_str().map(str::to_string))
                .collect();
            cps.push(CpPort {
                cp_id,
                port_id,
                addresses,
            });
        }
        found.insert(vnfc_id, (server, cps));
    }
    Ok(found)
}

/// A precondition: a target that claims connection points yet shows none on this instance
/// makes the scenario INCONCLUSIVE.
#[given(expr = "the ports and IP addresses of every VNFC of {string} are noted")]
async fn note_ports(w: &mut Conformance, alias: String) -> Outcome {
    let found = cp_ports(w, &alias)
        .await
        .map_err(Failure::unmet_precondition)?;
    if found.is_empty() || found.values().any(|(_, cps)| cps.is_empty()) {
        return Err(Failure::new(format!(
            "expected every VNFC of {alias} to list a connection point with a port (the target claims vnfc_connection_points): {found:?}"
        ))
        .unmet_precondition());
    }
    let noted = found
        .into_iter()
        .map(|(vnfc, (_, cps))| (vnfc, cps))
        .collect();
    w.noted_ports.insert(alias, noted);
    Ok(())
}

#[then(expr = "every VNFC of {string} keeps its ports and IP addresses")]
async fn ports_kept(w: &mut Conformance, alias: String) -> Outcome {
    let noted = w
        .noted_ports
        .get(&alias)
        .cloned()
        .ok_or_else(|| Failure::new(format!("the ports of {alias} were not noted")))?;
    let now: BTreeMap<String, Vec<CpPort>> = cp_ports(w, &alias)
        .await?
        .into_iter()
        .map(|(vnfc, (_, cps))| (vnfc, cps))
        .collect();
    w.reference_choice(now == noted, || {
        format!(
            "the VNFCs of {alias} did not keep their ports and addresses through the revert:\nbefore: {noted:?}\nnow:    {now:?}"
        )
    })
}
