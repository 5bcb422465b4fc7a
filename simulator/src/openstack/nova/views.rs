//! Nova's JSON views of servers and flavors, per microversion.

use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, Flavor, Server};
use crate::openstack::stamp::micros;

/// Nova's `created`/`updated` rendering.
pub use crate::openstack::stamp::seconds as stamp;

/// The root device name Nova reports.
const ROOT_DEVICE: &str = "/dev/vda";

/// Links of a server or flavor (`self` and `bookmark`).
pub fn links(cloud: &Cloud, collection: &str, id: &str) -> Value {
    json!([
        {"rel": "self", "href": format!("{}/compute/v2.1/{collection}/{id}", cloud.public_url())},
        {"rel": "bookmark", "href": format!("{}/compute/{collection}/{id}", cloud.public_url())}
    ])
}

/// The short view used by `GET /servers`.
pub fn server_summary(cloud: &Cloud, server: &Server) -> Value {
    json!({"id": server.id, "name": server.name, "links": links(cloud, "servers", &server.id)})
}

fn flavor_view(
    cloud: &Cloud,
    flavor: Option<&Flavor>,
    flavor_id: &str,
    version: Microversion,
) -> Value {
    match flavor {
        Some(f) if version >= Microversion(2, 47) => json!({
            "vcpus": f.vcpus,
            "ram": f.ram,
            "disk": f.disk,
            "ephemeral": f.ephemeral,
            "swap": f.swap,
            "original_name": f.name,
            "extra_specs": f.extra_specs,
        }),
        _ => {
            json!({"id": flavor_id, "links": [{"rel": "bookmark", "href": format!("{}/compute/flavors/{flavor_id}", cloud.public_url())}]})
        }
    }
}

/// Which answer a server view is for: Nova renders the same server differently in each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerView {
    /// `GET /servers/{id}`.
    Show,
    /// `GET /servers/detail`: without `server_groups` (2.71), which Nova shows one by one only.
    List,
    /// The answer to an update: below 2.75 without the extension attributes (availability
    /// zone, extended status, usage, key name, security groups, config drive, attached volumes,
    /// server groups); from 2.75 the same as `Show`.
    Changed,
    /// The answer to a rebuild: as `Changed`, plus `key_name` from 2.54 and `user_data` from
    /// 2.57.
    Rebuilt,
}

/// A server's `addresses`: per network name, each fixed IP (followed by its floating IPs) with
/// its version, and with `extended` its type and MAC address (`OS-EXT-IPS:type`,
/// `OS-EXT-IPS-MAC:mac_addr`).
pub fn addresses(state: &CloudState, server: &Server, extended: bool) -> Value {
    let mut map = serde_json::Map::new();
    for (network, list) in state.server_addresses(server) {
        let entries: Vec<Value> = list
            .iter()
            .map(|a| {
                if extended {
                    let kind = if a.floating { "floating" } else { "fixed" };
                    json!({"version": 4, "addr": a.ip.to_string(), "OS-EXT-IPS:type": kind, "OS-EXT-IPS-MAC:mac_addr": a.mac})
                } else {
                    json!({"version": 4, "addr": a.ip.to_string()})
                }
            })
            .collect();
        map.insert(network, Value::Array(entries));
    }
    Value::Object(map)
}

/// The full view of a server (show, detail list, rebuild and update answers).
pub fn server_detail(
    cloud: &Cloud,
    state: &CloudState,
    server: &Server,
    version: Microversion,
    kind: ServerView,
) -> Value {
    let flavor = state.flavors.iter().find(|f| f.id == server.flavor_id);
    let image = match &server.image_id {
        Some(id) => {
            json!({"id": id, "links": [{"rel": "bookmark", "href": format!("{}/compute/images/{id}", cloud.public_url())}]})
        }
        None => json!(""),
    };
    let launched = server.launched_ms.map(|ms| micros(cloud, ms));
    let volumes: Vec<Value> = server
        .attachments
        .iter()
        .map(|a| {
            if version >= Microversion(2, 3) {
                json!({"id": a.volume_id, "delete_on_termination": a.delete_on_termination})
            } else {
                json!({"id": a.volume_id})
            }
        })
        .collect();
    let core_only =
        matches!(kind, ServerView::Changed | ServerView::Rebuilt) && version < Microversion(2, 75);
    let mut view = json!({
        "id": server.id,
        "name": server.name,
        "status": server.status,
        "tenant_id": server.project_id,
        "user_id": server.user_id,
        "metadata": server.metadata,
        "hostId": format!("{:x}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, server.project_id.as_bytes()).as_u128()),
        "image": image,
        "flavor": flavor_view(cloud, flavor, &server.flavor_id, version),
        "created": stamp(cloud, server.created_ms),
        "updated": stamp(cloud, server.updated_ms),
        "addresses": addresses(state, server, !core_only),
        "accessIPv4": server.access_ipv4,
        "accessIPv6": server.access_ipv6,
        "links": links(cloud, "servers", &server.id),
        "OS-DCF:diskConfig": server.disk_config,
        "OS-EXT-AZ:availability_zone": super::availability_zones::ZONE,
        "config_drive": "",
        "key_name": server.key_name,
        "OS-SRV-USG:launched_at": launched,
        "OS-SRV-USG:terminated_at": null,
        "security_groups": server.security_groups.iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
        "OS-EXT-STS:task_state": server.task_state,
        "OS-EXT-STS:vm_state": server.vm_state,
        "OS-EXT-STS:power_state": server.power_state,
        "os-extended-volumes:volumes_attached": volumes,
    });
    let object = view.as_object_mut().expect("built as an object");
    if [
        "ACTIVE",
        "BUILD",
        "REBUILD",
        "RESIZE",
        "VERIFY_RESIZE",
        "MIGRATING",
    ]
    .contains(&server.status.as_str())
    {
        object.insert(
            "progress".into(),
            json!(if server.status == "ACTIVE" { 100 } else { 0 }),
        );
    }
    if server.security_groups.is_empty() {
        object.remove("security_groups");
    }
    if let Some(message) = &server.fault {
        object.insert(
            "fault".into(),
            json!({"code": 500, "created": stamp(cloud, server.updated_ms), "message": message}),
        );
    }
    if core_only {
        for extension in [
            "OS-EXT-AZ:availability_zone",
            "config_drive",
            "key_name",
            "OS-SRV-USG:launched_at",
            "OS-SRV-USG:terminated_at",
            "security_groups",
            "OS-EXT-STS:task_state",
            "OS-EXT-STS:vm_state",
            "OS-EXT-STS:power_state",
            "os-extended-volumes:volumes_attached",
        ] {
            object.remove(extension);
        }
        if kind == ServerView::Rebuilt && version >= Microversion(2, 54) {
            object.insert("key_name".into(), json!(server.key_name));
        }
    }
    if kind == ServerView::Rebuilt && version >= Microversion(2, 57) {
        object.insert("user_data".into(), json!(server.user_data));
    }
    let gated: [((u32, u32), &str, Value); 7] = [
        ((2, 9), "locked", json!(server.locked)),
        ((2, 19), "description", Value::Null),
        ((2, 26), "tags", json!([])),
        ((2, 63), "trusted_image_certificates", Value::Null),
        ((2, 71), "server_groups", json!(state.groups_of(&server.id))),
        ((2, 73), "locked_reason", json!(server.locked_reason)),
        ((2, 96), "pinned_availability_zone", Value::Null),
    ];
    for ((major, minor), key, value) in gated {
        let hidden = match key {
            "server_groups" => kind == ServerView::List || core_only,
            "pinned_availability_zone" => core_only,
            _ => false,
        };
        if version >= Microversion(major, minor) && !hidden {
            object.insert(key.to_string(), value);
        }
    }
    view
}

/// A flavor's full view (`/flavors/detail`, `/flavors/{id}`).
pub fn flavor_detail(cloud: &Cloud, flavor: &Flavor, version: Microversion) -> Value {
    let mut view = json!({
        "id": flavor.id,
        "name": flavor.name,
        "ram": flavor.ram,
        "disk": flavor.disk,
        "vcpus": flavor.vcpus,
        "swap": if version >= Microversion(2, 75) { json!(flavor.swap) } else if flavor.swap == 0 { json!("") } else { json!(flavor.swap) },
        "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
        "OS-FLV-DISABLED:disabled": false,
        "os-flavor-access:is_public": flavor.is_public,
        "rxtx_factor": flavor.rxtx_factor,
        "links": links(cloud, "flavors", &flavor.id),
    });
    if version >= Microversion(2, 55) {
        view["description"] = json!(flavor.description);
    }
    if version >= Microversion(2, 61) {
        view["extra_specs"] = json!(flavor.extra_specs);
    }
    view
}

/// Adds what only the admin sees of a server (`OS-EXT-SRV-ATTR:*` as each microversion
/// shows them, and `host_status` from 2.16).
pub fn add_admin_attributes(view: &mut Value, server: &Server, version: Microversion) {
    let Some(object) = view.as_object_mut() else {
        return;
    };
    let instance_name = format!("instance-{:08x}", server.created_ms % 0xffff_ffff);
    let mut attributes = vec![
        ("OS-EXT-SRV-ATTR:host", json!(server.host)),
        ("OS-EXT-SRV-ATTR:hypervisor_hostname", json!(server.host)),
        ("OS-EXT-SRV-ATTR:instance_name", json!(instance_name)),
    ];
    if version >= Microversion(2, 3) {
        attributes.extend([
            (
                "OS-EXT-SRV-ATTR:reservation_id",
                json!(format!("r-{}", &server.id[..8])),
            ),
            ("OS-EXT-SRV-ATTR:launch_index", json!(0)),
            ("OS-EXT-SRV-ATTR:hostname", json!(hostname(&server.name))),
            ("OS-EXT-SRV-ATTR:kernel_id", json!("")),
            ("OS-EXT-SRV-ATTR:ramdisk_id", json!("")),
            ("OS-EXT-SRV-ATTR:root_device_name", json!(ROOT_DEVICE)),
            ("OS-EXT-SRV-ATTR:user_data", json!(server.user_data)),
        ]);
    }
    if version >= Microversion(2, 16) {
        let status = if server.host.is_some() { "UP" } else { "" };
        attributes.push(("host_status", json!(status)));
    }
    for (key, value) in attributes {
        object.insert(key.to_string(), value);
    }
}

/// The hostname Nova derives from a display name (lower case, letters, digits and hyphens).
fn hostname(name: &str) -> String {
    let cleaned: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cleaned.trim_matches('-').chars().take(63).collect()
}
