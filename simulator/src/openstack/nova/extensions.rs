//! `GET /extensions` and `/extensions/{alias}`: the legacy extension list Nova v2.1 still
//! answers, limited to the extensions whose APIs this fake Nova serves.

use super::fail;
use crate::openstack::handler_prelude::*;

/// `(alias, name, description)` of each extension served.
const EXTENSIONS: [(&str, &str, &str); 26] = [
    ("OS-DCF", "DiskConfig", "Disk Management Extension."),
    ("OS-EXT-AZ", "ExtendedAvailabilityZone", "Extended Availability Zone support."),
    ("OS-EXT-IPS", "ExtendedIps", "Adds type parameter to the ip list."),
    ("OS-EXT-IPS-MAC", "ExtendedIpsMac", "Adds mac address parameter to the ip list."),
    ("OS-EXT-SRV-ATTR", "ExtendedServerAttributes", "Extended Server Attributes support."),
    ("OS-EXT-STS", "ExtendedStatus", "Extended Status support."),
    ("OS-FLV-DISABLED", "FlavorDisabled", "Support to show the disabled status of a flavor."),
    ("OS-FLV-EXT-DATA", "FlavorExtraData", "Provide additional data for flavors."),
    ("OS-SCH-HNT", "SchedulerHints", "Pass arbitrary key/value pairs to the scheduler."),
    ("OS-SRV-USG", "ServerUsage", "Adds launched_at and terminated_at on Servers."),
    ("os-access-ips", "AccessIPs", "Access IPs support."),
    ("os-attach-interfaces", "AttachInterfaces", "Attach interface support."),
    ("os-availability-zone", "AvailabilityZone", "1. Add availability_zone to the Create Server API.\n2. Add availability zones describing.\n"),
    ("os-create-backup", "CreateBackup", "Create a backup of a server."),
    ("os-extended-volumes", "ExtendedVolumes", "Extended Volumes support."),
    ("os-flavor-access", "FlavorAccess", "Flavor access support."),
    ("os-flavor-extra-specs", "FlavorExtraSpecs", "Flavors extra specs support."),
    ("os-flavor-manage", "FlavorManage", "Flavor create/delete API support."),
    ("os-flavor-rxtx", "FlavorRxtx", "Support to show the rxtx status of a flavor."),
    ("os-keypairs", "Keypairs", "Keypair Support."),
    ("os-lock-server", "LockServer", "Enable lock/unlock server actions."),
    ("os-multiple-create", "MultipleCreate", "Allow multiple create in the Create Server v2.1 API."),
    ("os-security-groups", "SecurityGroups", "Security group support."),
    ("os-server-groups", "ServerGroups", "Server group support."),
    ("os-server-start-stop", "ServerStartStop", "Start/Stop instance compute API support."),
    ("os-volumes", "Volumes", "Volumes support."),
];

fn view(&(alias, name, description): &(&str, &str, &str)) -> Value {
    json!({
        "alias": alias,
        "name": name,
        "description": description,
        "namespace": "http://docs.openstack.org/compute/ext/fake_xml",
        "updated": "2014-12-03T00:00:00Z",
        "links": [],
    })
}

/// `GET /extensions`.
pub async fn list() -> Json<Value> {
    Json(json!({"extensions": EXTENSIONS.iter().map(view).collect::<Vec<_>>()}))
}

/// `GET /extensions/{alias}`.
pub async fn show(Path(alias): Path<String>) -> Response {
    match EXTENSIONS.iter().find(|e| e.0 == alias) {
        Some(extension) => Json(json!({"extension": view(extension)})).into_response(),
        None => fail(CloudError::not_found("The resource could not be found.")),
    }
}
