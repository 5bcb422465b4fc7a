//! `GET /extensions` and `GET /extensions/{alias}`: the API extensions of this Cinder (those
//! whose resources and attributes the fake serves).

use super::{fail, ProjectPath};
use crate::openstack::handler_prelude::*;

/// Alias, name, description and date of each extension served.
const EXTENSIONS: [(&str, &str, &str, &str); 17] = [
    (
        "os-admin-actions",
        "AdminActions",
        "Enable admin actions.",
        "2012-08-25T00:00:00+00:00",
    ),
    (
        "os-availability-zone",
        "AvailabilityZones",
        "Describe Availability Zones.",
        "2013-06-27T00:00:00+00:00",
    ),
    (
        "os-extended-snapshot-attributes",
        "ExtendedSnapshotAttributes",
        "Extended SnapshotAttributes support.",
        "2012-06-19T00:00:00+00:00",
    ),
    (
        "os-quota-sets",
        "Quotas",
        "Quota management support.",
        "2011-08-08T00:00:00+00:00",
    ),
    (
        "os-snapshot-actions",
        "SnapshotActions",
        "Enable snapshot manager actions.",
        "2013-07-16T00:00:00+00:00",
    ),
    (
        "os-types-extra-specs",
        "TypesExtraSpecs",
        "Type extra specs support.",
        "2011-08-24T00:00:00+00:00",
    ),
    (
        "os-types-manage",
        "TypesManage",
        "Types manage support.",
        "2011-08-24T00:00:00+00:00",
    ),
    (
        "os-used-limits",
        "UsedLimits",
        "Provide data on limited resources that are being used.",
        "2013-10-03T00:00:00+00:00",
    ),
    (
        "os-volume-actions",
        "VolumeActions",
        "Enable volume actions.",
        "2012-05-31T00:00:00+00:00",
    ),
    (
        "os-vol-host-attr",
        "VolumeHostAttribute",
        "Expose host as an attribute of a volume.",
        "2011-11-03T00:00:00+00:00",
    ),
    (
        "os-vol-image-meta",
        "VolumeImageMetadata",
        "Show image metadata associated with the volume.",
        "2012-12-07T00:00:00+00:00",
    ),
    (
        "os-vol-tenant-attr",
        "VolumeTenantAttribute",
        "Expose the internal project_id as an attribute of a volume.",
        "2011-11-03T00:00:00+00:00",
    ),
    (
        "os-volume-type-access",
        "VolumeTypeAccess",
        "Volume type access support.",
        "2014-06-26T00:00:00Z",
    ),
    (
        "encryption",
        "VolumeTypeEncryption",
        "Encryption support for volume types.",
        "2013-07-01T00:00:00+00:00",
    ),
    (
        "capabilities",
        "Capabilities",
        "Capabilities support.",
        "2015-08-31T00:00:00+00:00",
    ),
    (
        "os-extended-services",
        "ExtendedServices",
        "Extended services support.",
        "2014-01-10T00:00:00-00:00",
    ),
    (
        "os-services",
        "Services",
        "Services support.",
        "2012-10-28T00:00:00-00:00",
    ),
];

fn view((alias, name, description, updated): &(&str, &str, &str, &str)) -> Value {
    json!({"alias": alias, "name": name, "description": description, "updated": updated, "links": []})
}

/// `GET /extensions`.
pub async fn list() -> Json<Value> {
    Json(json!({"extensions": EXTENSIONS.iter().map(view).collect::<Vec<_>>()}))
}

/// `GET /extensions/{alias}`.
pub async fn show(Path((_, alias)): ProjectPath<String>) -> Response {
    match EXTENSIONS.iter().find(|(a, ..)| *a == alias) {
        Some(extension) => Json(json!({"extension": view(extension)})).into_response(),
        None => fail(CloudError::not_found("The resource could not be found.")),
    }
}
