//! Neutron allowed address pairs: the other addresses (an IP or a CIDR, with a MAC) a port
//! may send from, for VRRP-style virtual IPs; at most `max_allowed_address_pair` (10).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::openstack::error::CloudError;

/// One allowed address pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressPair {
    /// An IPv4 address or CIDR.
    pub ip_address: String,
    /// `None`: the port's own MAC address.
    pub mac_address: Option<String>,
}

/// Neutron's `max_allowed_address_pair`.
const MAX_PAIRS: usize = 10;

fn valid_mac(mac: &str) -> bool {
    let parts: Vec<&str> = mac.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn valid_address(text: &str) -> bool {
    match text.split_once('/') {
        Some((ip, prefix)) => {
            ip.parse::<std::net::Ipv4Addr>().is_ok() && prefix.parse::<u8>().is_ok_and(|p| p <= 32)
        }
        None => text.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

/// Neutron's 400 for a value that is not a valid `what` (a string shown as it is).
fn not_valid(value: &Value, what: &str) -> CloudError {
    let shown = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string);
    CloudError::bad_request(format!("'{shown}' is not a valid {what}"))
}

/// The pairs of a request's `allowed_address_pairs`, with Neutron's refusals.
pub fn parse_address_pairs(
    entries: &[&Map<String, Value>],
) -> Result<Vec<AddressPair>, CloudError> {
    if entries.len() > MAX_PAIRS {
        return Err(CloudError::bad_request(format!(
            "The number of allowed address pair exceeds the maximum {MAX_PAIRS}."
        ))
        .kind("AllowedAddressPairExhausted"));
    }
    let mut pairs: Vec<AddressPair> = Vec::new();
    for entry in entries {
        let mac_address = match entry.get("mac_address") {
            None => None,
            Some(Value::String(mac)) if valid_mac(mac) => Some(mac.to_lowercase()),
            Some(other) => return Err(not_valid(other, "MAC address")),
        };
        let ip_address = match entry.get("ip_address") {
            None => {
                return Err(
                    CloudError::bad_request("AllowedAddressPair must contain ip_address")
                        .kind("AllowedAddressPairsMissingIP"),
                )
            }
            Some(Value::String(ip)) if valid_address(ip) => ip.clone(),
            Some(other) => return Err(not_valid(other, "IP address")),
        };
        if let Some(key) = entry
            .keys()
            .find(|k| *k != "mac_address" && *k != "ip_address")
        {
            return Err(CloudError::bad_request(format!(
                "Unrecognized attribute(s) '{key}'"
            )));
        }
        let pair = AddressPair {
            ip_address,
            mac_address,
        };
        if pairs.contains(&pair) {
            return Err(CloudError::bad_request(format!(
                "Request contains duplicate address pair: mac_address {} ip_address {}.",
                pair.mac_address.as_deref().unwrap_or("None"),
                pair.ip_address
            ))
            .kind("DuplicateAddressPairInRequest"));
        }
        pairs.push(pair);
    }
    Ok(pairs)
}
