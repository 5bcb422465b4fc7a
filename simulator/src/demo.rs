//! The binary's ready-made demo: one INSTANTIATED VNF with volume-backed VDUs and data volumes,
//! created through the VNFM's own API, and the documentation's curl commands to try on it.

use std::time::Duration;

use serde_json::json;

use crate::kit::VnfmClient;

/// The descriptor of the demo VNF: two volume-backed VDUs with two volumes each.
pub const DEMO_VNFD: &str = "vnfd-vb-2vdu";

/// Creates and instantiates the demo VNF on the SOL003 root `root` (HTTP Basic `user`,
/// `password`); returns the VNF instance id once INSTANTIATED.
pub async fn instantiate_demo(root: &str, user: &str, password: &str) -> Result<String, String> {
    VnfmClient::new(root)
        .with_basic_auth(user, password)
        .instantiated_instance(
            &json!({"vnfdId": DEMO_VNFD, "vnfInstanceName": "demo", "vnfInstanceDescription": "Two volume-backed VDUs with two volumes each"}),
            Duration::from_secs(300),
        )
        .await
        .map_err(|e| e.to_string())
}

/// The documentation's curl session, ready to paste, for the demo instance.
pub fn curl_walkthrough(base: &str, user: &str, password: &str, instance_id: &str) -> String {
    let root = format!("{base}/or_vnfm/vnflcm/v2");
    let ve_root = format!("{base}/ve_vnfm/vnflcm/v2");
    let auth = format!("--user '{user}:{password}'");
    format!(
        r#"# Demo VNF instance (INSTANTIATED, {DEMO_VNFD}): {instance_id}
# Follow the documentation verbatim:
SNAP=$(curl -s {auth} -X POST --data {{}} -H 'Content-Type:application/json' {root}/vnf_snapshots | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "{{\"vnfSnapshotInfoId\": \"$SNAP\"}}" > create_snapshot.json
curl -s -i {auth} -X POST --data @create_snapshot.json -H 'Content-Type:application/json' {root}/vnf_instances/{instance_id}/create_snapshot
curl -s {auth} -X GET -H 'Content-Type:application/json' {root}/vnf_snapshots | python3 -m json.tool
curl -s {auth} -X GET -H 'Content-Type:application/json' {root}/vnf_snapshots/$SNAP | python3 -m json.tool
openstack image list; openstack volume snapshot list
cp create_snapshot.json revert_snapshot.json
curl -s -i {auth} -X POST --data @revert_snapshot.json -H 'Content-Type:application/json' {root}/vnf_instances/{instance_id}/revert_to_snapshot
curl -s -i {auth} -X DELETE {root}/vnf_snapshots/$SNAP
# SOL002 single-VNFC snapshot: {ve_root}/vnf_instances/{instance_id}/create_snapshot with
# {{"vnfSnapshotInfoId": "<id>", "additionalParams": {{"vnfcInstanceId": "<vnfcResourceInfo id>"}}}}"#
    )
}
