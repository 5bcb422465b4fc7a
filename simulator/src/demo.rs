//! The binary's ready-made demo: one INSTANTIATED VNF with volume-backed VDUs and data volumes,
//! created through the VNFM's own API, and the documentation's curl commands to try on it.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The descriptor of the demo VNF: two volume-backed VDUs with two volumes each.
pub const DEMO_VNFD: &str = "vnfd-vb-2vdu";

/// Creates and instantiates the demo VNF on the SOL003 root `root` (HTTP Basic `user`,
/// `password`); returns the VNF instance id once INSTANTIATED.
pub async fn instantiate_demo(root: &str, user: &str, password: &str) -> Result<String, String> {
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, url: String, body: Value| {
        http.request(method, url)
            .basic_auth(user, Some(password))
            .header("Version", "2.0.0")
            .json(&body)
            .send()
    };
    let created = call(
        reqwest::Method::POST,
        format!("{root}/vnf_instances"),
        json!({"vnfdId": DEMO_VNFD, "vnfInstanceName": "demo", "vnfInstanceDescription": "Two volume-backed VDUs with two volumes each"}),
    )
    .await
    .map_err(|e| format!("create VNF instance: {e}"))?;
    if created.status() != 201 {
        return Err(format!("create VNF instance answered {}", created.status()));
    }
    let instance: Value = created.json().await.map_err(|e| e.to_string())?;
    let id = instance["id"].as_str().ok_or("no instance id")?.to_string();
    let accepted = call(
        reqwest::Method::POST,
        format!("{root}/vnf_instances/{id}/instantiate"),
        json!({"flavourId": "default"}),
    )
    .await
    .map_err(|e| format!("instantiate: {e}"))?;
    if accepted.status() != 202 {
        let status = accepted.status();
        let body = accepted.text().await.unwrap_or_default();
        return Err(format!("instantiate answered {status}: {body}"));
    }
    let op_occ = accepted
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or("instantiate gave no Location")?
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let occ: Value = call(reqwest::Method::GET, op_occ.clone(), Value::Null)
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        match occ["operationState"].as_str() {
            Some("COMPLETED") => return Ok(id),
            Some("FAILED_TEMP" | "FAILED" | "ROLLED_BACK") => {
                return Err(format!(
                    "instantiation ended {}: {}",
                    occ["operationState"], occ["error"]
                ))
            }
            _ if Instant::now() > deadline => {
                return Err("instantiation did not finish in 300 s".into())
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
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
