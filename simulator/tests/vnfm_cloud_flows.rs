//! The snapshot lifecycle end to end: the VNFM drives the fake cloud through the VIM driver.

mod vnfm_support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::{
    kit::{Fault, SimControl, VnfmClient},
    openstack::{faults::FaultRule, service::Service},
    stack::{Stack, StackOptions},
};

/// Starts the whole stack; it and an NFVO's client of its VNFM.
async fn start() -> (Stack, Client) {
    let stack = Stack::start(StackOptions::default()).await.unwrap();
    let client = Client {
        nfvo: stack.vnfm_client(),
        sol002: format!("{}/ve_vnfm/vnflcm/v2", stack.vnfm_http_url()),
        control: stack.control(),
    };
    (stack, client)
}

/// Starts the whole stack with an instance of `vnfd` and a completed snapshot of it: the stack,
/// the client, the instance's id and the snapshot's id.
async fn start_with_snapshot(vnfd: &str) -> (Stack, Client, String, String) {
    let (stack, client) = start().await;
    let id = client.instance(vnfd).await;
    let snapshot = client.completed_snapshot(&id).await;
    (stack, client, id, snapshot)
}

/// The op occ URL of an accepted (202) answer to `what`.
async fn occ_of(what: &str, response: reqwest::Response) -> String {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(status, 202, "{what}: {}", response.text().await.unwrap());
    location.unwrap()
}

/// The length of a JSON array.
fn count(list: &Value) -> usize {
    list.as_array().expect("a JSON array").len()
}

struct Client {
    nfvo: VnfmClient,
    sol002: String,
    /// The cloud's control API, for fault rules.
    control: SimControl,
}

impl Client {
    /// Adds a fault rule to the cloud; its id.
    async fn fault(&self, rule: FaultRule) -> String {
        self.control.add_fault(&rule).await.expect("rule added")
    }
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        self.nfvo.send(method, path, body.as_ref()).await.unwrap()
    }
    async fn get(&self, path: &str) -> Value {
        let response = self.call(Method::GET, path, None).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }
    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.call(Method::POST, path, Some(body)).await
    }
    async fn accepted(&self, path: &str, body: Value) -> String {
        let response = self.post(path, body).await;
        occ_of(path, response).await
    }
    /// POSTs `create_snapshot` of `instance` into the snapshot resource `snapshot`.
    async fn create_snapshot(&self, instance: &str, snapshot: &str) -> reqwest::Response {
        let path = format!("/vnf_instances/{instance}/create_snapshot");
        self.post(&path, json!({ "vnfSnapshotInfoId": snapshot }))
            .await
    }
    async fn wait(&self, occ: &str, state: &str) -> Value {
        let end = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let body = self.get(occ).await;
            if body["operationState"] == state {
                return body;
            }
            assert!(tokio::time::Instant::now() < end, "{occ} stuck in {body}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    /// Creates a VNF instance with `create` and instantiates it with `instantiate`; the
    /// instance's id and the op occ's URL.
    async fn instantiate(&self, create: Value, instantiate: Value) -> (String, String) {
        let created: Value = self
            .post("/vnf_instances", create)
            .await
            .json()
            .await
            .unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        let occ = self
            .accepted(&format!("/vnf_instances/{id}/instantiate"), instantiate)
            .await;
        (id, occ)
    }
    /// An instance of `vnfd`, instantiated (COMPLETED).
    async fn instance(&self, vnfd: &str) -> String {
        let (id, occ) = self
            .instantiate(
                json!({"vnfdId": vnfd, "vnfInstanceName": "flow"}),
                json!({"flavourId": "default"}),
            )
            .await;
        self.wait(&occ, "COMPLETED").await;
        id
    }
    async fn snapshot_resource(&self) -> String {
        let body: Value = self
            .post("/vnf_snapshots", json!({}))
            .await
            .json()
            .await
            .unwrap();
        body["id"].as_str().unwrap().to_string()
    }
    async fn delete(&self, path: &str) -> reqwest::Response {
        self.call(Method::DELETE, path, None).await
    }
    /// DELETEs `path`; asserts 204.
    async fn deleted(&self, path: &str) {
        assert_eq!(self.delete(path).await.status(), 204, "DELETE {path}");
    }
    /// The VNFC snapshots of the filled snapshot resource `snapshot`.
    async fn vnfc_snapshots(&self, snapshot: &str) -> Vec<Value> {
        let full = self.get(&format!("/vnf_snapshots/{snapshot}")).await;
        full["vnfSnapshot"]["vnfcSnapshots"]
            .as_array()
            .expect("VNFC snapshots")
            .clone()
    }
    /// Asks to revert `instance` to `snapshot`; asserts 409 (not revertible).
    async fn assert_revert_refused(&self, instance: &str, snapshot: &str) {
        let path = format!("/vnf_instances/{instance}/revert_to_snapshot");
        let revert = self
            .post(&path, json!({ "vnfSnapshotInfoId": snapshot }))
            .await;
        assert_eq!(revert.status(), 409, "{path}");
    }
    /// Terminates `instance` (FORCEFUL) and waits for COMPLETED; the op occ.
    async fn terminate(&self, instance: &str) -> Value {
        let occ = self
            .accepted(
                &format!("/vnf_instances/{instance}/terminate"),
                json!({"terminationType": "FORCEFUL"}),
            )
            .await;
        self.wait(&occ, "COMPLETED").await
    }
    /// Takes a snapshot of `instance` and waits for COMPLETED; the snapshot's id.
    async fn completed_snapshot(&self, instance: &str) -> String {
        let (snapshot, occ) = self.snapshot(instance).await;
        self.wait(&occ, "COMPLETED").await;
        snapshot
    }
    /// POSTs the task `task` (`retry`, `rollback`, `cancel`) of the op occ `occ`; asserts 202.
    async fn occ_task(&self, occ: &str, task: &str, body: Value) {
        let response = self.post(&format!("{occ}/{task}"), body).await;
        assert_eq!(response.status(), 202, "{occ}/{task}");
    }
    async fn snapshot(&self, instance: &str) -> (String, String) {
        let snapshot = self.snapshot_resource().await;
        let response = self.create_snapshot(instance, &snapshot).await;
        (snapshot, occ_of("create_snapshot", response).await)
    }
}

#[tokio::test]
async fn snapshot_revert_and_delete_a_two_vdu_vnf() {
    let (_stack, client) = start().await;
    let id = client.instance("vnfd-vb-2vdu").await;
    let before = client.get(&format!("/vnf_instances/{id}")).await;
    let (snapshot, occ) = client.snapshot(&id).await;
    let done = client.wait(&occ, "COMPLETED").await;
    assert_eq!(done["operation"], "CREATE_SNAPSHOT");
    assert_eq!(done["vnfSnapshotInfoId"], snapshot.as_str());

    let full = client.get(&format!("/vnf_snapshots/{snapshot}")).await;
    let vnfcs = client.vnfc_snapshots(&snapshot).await;
    assert_eq!(vnfcs.len(), 2);
    for vnfc in &vnfcs {
        assert_eq!(count(&vnfc["storageSnapshotResources"]), 2, "{vnfc}");
        assert_eq!(
            vnfc["computeSnapshotResource"]["vimLevelResourceType"],
            "OS::Glance::Image"
        );
        assert_eq!(vnfc["vnfcInstanceId"], vnfc["vnfcResourceInfoId"]);
    }
    assert_eq!(full["vnfSnapshot"]["vnfInstance"]["id"], id.as_str());
    assert!(full["_links"]["takenFrom"]["href"]
        .as_str()
        .unwrap()
        .ends_with(&id));
    let list = client.get("/vnf_snapshots").await;
    assert!(list[0]["vnfSnapshot"].get("vnfInstance").is_none());

    let revert = client
        .accepted(
            &format!("/vnf_instances/{id}/revert_to_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot}),
        )
        .await;
    let reverted = client.wait(&revert, "COMPLETED").await;
    assert!(
        !reverted["resourcesLeftOnVim"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{reverted}"
    );
    let after = client.get(&format!("/vnf_instances/{id}")).await;
    let servers = |instance: &Value| -> Vec<String> {
        instance["instantiatedVnfInfo"]["vnfcResourceInfo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["computeResource"]["resourceId"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let ids = |instance: &Value| -> Vec<String> {
        instance["instantiatedVnfInfo"]["vnfcResourceInfo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&before), ids(&after));
    assert!(servers(&before)
        .iter()
        .all(|server| !servers(&after).contains(server)));

    // One VNFC over SOL002 and over SOL003 additionalParams.
    let vnfc = vnfcs[0]["vnfcInstanceId"].as_str().unwrap();
    let vnfc_snapshot = vnfcs[0]["id"].as_str().unwrap();
    let one = client
        .accepted(
            &format!("{}/vnf_instances/{id}/revert_to_snapshot", client.sol002),
            json!({"vnfSnapshotInfoId": snapshot, "vnfcInstanceId": vnfc, "vnfcSnapshotInfoId": vnfc_snapshot}),
        )
        .await;
    client.wait(&one, "COMPLETED").await;
    let vendor = client
        .accepted(
            &format!("/vnf_instances/{id}/revert_to_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot, "additionalParams": {"vnfcInstanceId": vnfc, "vnfcSnapshotInfoId": vnfc_snapshot}}),
        )
        .await;
    client.wait(&vendor, "COMPLETED").await;

    // SOL002 single-VNFC snapshot.
    let single = client.snapshot_resource().await;
    let occ = client
        .accepted(
            &format!("{}/vnf_instances/{id}/create_snapshot", client.sol002),
            json!({"vnfSnapshotInfoId": single, "additionalParams": {"vnfcInstanceId": vnfc}}),
        )
        .await;
    client.wait(&occ, "COMPLETED").await;
    assert_eq!(client.vnfc_snapshots(&single).await.len(), 1);

    client.deleted(&format!("/vnf_snapshots/{snapshot}")).await;
    client.deleted(&format!("/vnf_snapshots/{single}")).await;

    client.terminate(&id).await;
    client.deleted(&format!("/vnf_instances/{id}")).await;
}

#[tokio::test]
async fn image_backed_vnfs_snapshot_but_do_not_revert() {
    let (_stack, client, id, snapshot) = start_with_snapshot("vnfd-ib-1vdu").await;
    let vnfcs = client.vnfc_snapshots(&snapshot).await;
    assert!(vnfcs[0].get("storageSnapshotResources").is_none());
    client.assert_revert_refused(&id, &snapshot).await;

    let data = client.instance("vnfd-ib-1vdu-data").await;
    let snapshot = client.completed_snapshot(&data).await;
    let vnfcs = client.vnfc_snapshots(&snapshot).await;
    assert_eq!(count(&vnfcs[0]["storageSnapshotResources"]), 1);
}

#[tokio::test]
async fn a_failed_snapshot_is_retried_then_rolled_back() {
    let (_stack, client) = start().await;
    let id = client.instance("vnfd-vb-1vdu").await;
    let create_image_fails = Fault::on(Service::Nova)
        .operation("servers.action.createImage")
        .error_with_message(500, "compute host unavailable");
    client.fault(create_image_fails.clone().times(1)).await;
    let (snapshot, occ) = client.snapshot(&id).await;
    let failed = client.wait(&occ, "FAILED_TEMP").await;
    assert!(
        failed["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("compute host unavailable"),
        "{failed}"
    );
    client.occ_task(&occ, "retry", json!({})).await;
    client.wait(&occ, "COMPLETED").await;
    assert_eq!(client.vnfc_snapshots(&snapshot).await.len(), 1);

    client.fault(create_image_fails).await;
    let (empty, occ) = client.snapshot(&id).await;
    client.wait(&occ, "FAILED_TEMP").await;
    client.occ_task(&occ, "rollback", json!({})).await;
    let rolled = client.wait(&occ, "ROLLED_BACK").await;
    assert!(rolled["error"].is_object());
    let body = client.get(&format!("/vnf_snapshots/{empty}")).await;
    assert!(body.get("vnfSnapshot").is_none());
    client.control.clear_faults().await.unwrap();
}

#[tokio::test]
async fn a_stuck_snapshot_is_cancelled_and_a_second_operation_refused() {
    let (_stack, client) = start().await;
    let id = client.instance("vnfd-vb-1vdu").await;
    let create_image = Fault::on(Service::Nova).operation("servers.action.createImage");
    client.fault(create_image.stuck()).await;
    let (_snapshot, occ) = client.snapshot(&id).await;
    client.wait(&occ, "PROCESSING").await;
    let other = client.snapshot_resource().await;
    assert_eq!(client.create_snapshot(&id, &other).await.status(), 409);
    client
        .occ_task(&occ, "cancel", json!({"cancelMode": "FORCEFUL"}))
        .await;
    client.wait(&occ, "FAILED_TEMP").await;
    client.control.clear_faults().await.unwrap();
}

#[tokio::test]
async fn deleting_while_glance_is_down_keeps_the_snapshot() {
    let (_stack, client, id, snapshot) = start_with_snapshot("vnfd-ib-1vdu").await;
    let rule = client.fault(Fault::on(Service::Glance).unreachable()).await;
    let refused = client.delete(&format!("/vnf_snapshots/{snapshot}")).await;
    assert_eq!(refused.status(), 503);
    let problem: Value = refused.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("Glance"),
        "{problem}"
    );
    let kept = client.get(&format!("/vnf_snapshots/{snapshot}")).await;
    assert_eq!(kept["vnfSnapshot"]["vnfInstanceId"], id.as_str());
    client.control.remove_fault(&rule).await.unwrap();
    client.deleted(&format!("/vnf_snapshots/{snapshot}")).await;
}

#[tokio::test]
async fn out_of_band_volumes_are_snapshotted_but_not_reverted() {
    let (stack, client) = start().await;
    let http = reqwest::Client::new();
    let cloud = stack.cloud_url();
    let auth = http
        .post(format!("{cloud}/identity/v3/auth/tokens"))
        .json(&json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "admin"}}},
                                "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(auth.status(), 201);
    let token = auth.headers()["x-subject-token"]
        .to_str()
        .unwrap()
        .to_string();
    let body: Value = auth.json().await.unwrap();
    let project = body["token"]["project"]["id"].as_str().unwrap().to_string();
    let created = vnfm_support::json_of(
        http.post(format!("{cloud}/volume/v3/{project}/volumes"))
            .header("X-Auth-Token", &token)
            .json(&json!({"volume": {"size": 1, "name": "oob"}})),
    )
    .await;
    let volume = created["volume"]["id"].as_str().unwrap().to_string();
    let end = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let shown = vnfm_support::json_of(
            http.get(format!("{cloud}/volume/v3/{project}/volumes/{volume}"))
                .header("X-Auth-Token", &token),
        )
        .await;
        if shown["volume"]["status"] == "available" {
            break;
        }
        assert!(tokio::time::Instant::now() < end);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (id, occ) = client
        .instantiate(
            json!({"vnfdId": "vnfd-vb-oob"}),
            json!({"flavourId": "default", "additionalParams": {"outOfBandVolumes": {"VDU1-oob": volume}}}),
        )
        .await;
    client.wait(&occ, "COMPLETED").await;
    let shown = client.get(&format!("/vnf_instances/{id}")).await;
    let storages = shown["instantiatedVnfInfo"]["virtualStorageResourceInfo"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        storages
            .iter()
            .any(|s| s["storageResource"]["resourceId"] == volume.as_str()),
        "{shown}"
    );
    let snapshot = client.completed_snapshot(&id).await;
    let vnfcs = client.vnfc_snapshots(&snapshot).await;
    assert_eq!(count(&vnfcs[0]["storageSnapshotResources"]), 2);
    client.assert_revert_refused(&id, &snapshot).await;
    let done = client.terminate(&id).await;
    assert!(
        !done["resourcesLeftOnVim"].as_array().unwrap().is_empty(),
        "volumes with snapshots stay"
    );
}

#[tokio::test]
async fn creating_a_snapshot_notifies_as_documented_and_delete_cleans_the_cloud() {
    use vnfm_support::{callback_endpoint, callback_uri, wait_for_notifications};
    let (_stack, client) = start().await;
    let id = client.instance("vnfd-vb-1vdu").await;
    let server = callback_endpoint().await;
    let subscribed = client
        .post("/subscriptions", json!({"callbackUri": callback_uri(&server), "filter": {"vnfInstanceSubscriptionFilter": {"vnfInstanceIds": [id]}}}))
        .await;
    assert_eq!(subscribed.status(), 201);
    let snapshot = client.completed_snapshot(&id).await;
    let notifications = wait_for_notifications(&server, 3).await;
    let pairs: Vec<_> = notifications
        .iter()
        .map(|n| format!("{}/{}", n["operationState"], n["notificationStatus"]))
        .collect();
    assert_eq!(
        pairs,
        [
            "\"STARTING\"/\"START\"",
            "\"PROCESSING\"/\"START\"",
            "\"COMPLETED\"/\"RESULT\""
        ]
    );
    assert!(notifications
        .iter()
        .all(|n| n["operation"] == "CREATE_SNAPSHOT"));

    let full = client.get(&format!("/vnf_snapshots/{snapshot}")).await;
    let image = full["vnfSnapshot"]["vnfcSnapshots"][0]["computeSnapshotResource"]["resourceId"]
        .as_str()
        .unwrap()
        .to_string();
    let calls_before = client.control.calls(None, None).await.unwrap().len();
    client.deleted(&format!("/vnf_snapshots/{snapshot}")).await;
    let calls = client.control.calls(None, None).await.unwrap();
    let deletes: Vec<String> = calls[calls_before..]
        .iter()
        .map(|c| format!("{c:?}"))
        .filter(|c| c.contains("DELETE"))
        .collect();
    assert!(deletes.iter().any(|c| c.contains(&image)), "{deletes:?}");
    let after = vnfm_support::notifications(&server).await.len();
    assert_eq!(after, 3, "no notification for DELETE");
}

#[tokio::test]
async fn snapshots_outlive_their_vnf_and_can_still_be_deleted() {
    let (_stack, client, id, snapshot) = start_with_snapshot("vnfd-vb-1vdu").await;
    let done = client.terminate(&id).await;
    assert!(
        !done["resourcesLeftOnVim"].as_array().unwrap().is_empty(),
        "volumes with snapshots stay"
    );
    client.deleted(&format!("/vnf_instances/{id}")).await;
    let kept = client.get(&format!("/vnf_snapshots/{snapshot}")).await;
    assert_eq!(kept["vnfSnapshot"]["vnfInstanceId"], id.as_str());
    client.deleted(&format!("/vnf_snapshots/{snapshot}")).await;
}

/// The cloud resources of `kind` (`networks`, `subnets`, `ports`, `servers`, `volumes`) whose
/// name carries the instance's short id.
async fn named_after(client: &Client, kind: &str, instance: &str) -> Vec<Value> {
    let tag = format!("-{}-", &instance[..8]);
    let dump = client.control.state().await.unwrap();
    dump[kind]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["name"].as_str().is_some_and(|n| n.contains(&tag)))
        .cloned()
        .collect()
}

#[tokio::test]
async fn each_vnfc_gets_a_port_on_the_vnfs_network_and_terminate_removes_them() {
    let (_stack, client) = start().await;
    let id = client.instance("vnfd-vb-2vdu").await;
    let instance = client.get(&format!("/vnf_instances/{id}")).await;
    let info = &instance["instantiatedVnfInfo"];
    let links = info["vnfVirtualLinkResourceInfo"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{info}");
    assert_eq!(links[0]["vnfVirtualLinkDescId"], "internal-vl");
    assert_eq!(
        links[0]["networkResource"]["vimLevelResourceType"],
        "OS::Neutron::Net"
    );
    let networks = named_after(&client, "networks", &id).await;
    assert_eq!(networks.len(), 1);
    assert_eq!(links[0]["networkResource"]["resourceId"], networks[0]["id"]);
    assert_eq!(named_after(&client, "subnets", &id).await.len(), 1);
    let link_ports = links[0]["vnfLinkPorts"].as_array().unwrap();
    let ports = named_after(&client, "ports", &id).await;
    assert_eq!((link_ports.len(), ports.len()), (2, 2));
    for vnfc in info["vnfcResourceInfo"].as_array().unwrap() {
        let cps = vnfc["vnfcCpInfo"].as_array().unwrap();
        assert_eq!(cps.len(), 1, "{vnfc}");
        let vdu = vnfc["vduId"].as_str().unwrap();
        assert_eq!(cps[0]["cpdId"], format!("{vdu}-cp").as_str());
        let link_port = link_ports
            .iter()
            .find(|p| p["id"] == cps[0]["vnfLinkPortId"])
            .expect("the CP's link port");
        assert_eq!(link_port["cpInstanceId"], cps[0]["id"]);
        let port = ports
            .iter()
            .find(|p| p["id"] == link_port["resourceHandle"]["resourceId"])
            .expect("the link port's Neutron port");
        assert_eq!(port["device_id"], vnfc["computeResource"]["resourceId"]);
    }
    client.terminate(&id).await;
    for kind in ["servers", "ports", "subnets", "networks"] {
        assert!(named_after(&client, kind, &id).await.is_empty(), "{kind}");
    }
}

#[tokio::test]
async fn a_failed_port_creation_fails_the_instantiation_and_rollback_removes_the_network() {
    let (_stack, client) = start().await;
    let port_creation = Fault::on(Service::Neutron).operation("ports.create");
    client
        .fault(port_creation.error_with_message(500, "no more ports"))
        .await;
    let (id, occ) = client
        .instantiate(
            json!({"vnfdId": "vnfd-vb-1vdu", "vnfInstanceName": "ports"}),
            json!({"flavourId": "default"}),
        )
        .await;
    let failed = client.wait(&occ, "FAILED_TEMP").await;
    let detail = failed["error"]["detail"].as_str().unwrap();
    assert!(detail.contains("no more ports"), "{failed}");
    for kind in ["servers", "volumes", "ports"] {
        assert!(named_after(&client, kind, &id).await.is_empty(), "{kind}");
    }
    assert_eq!(named_after(&client, "networks", &id).await.len(), 1);
    client.control.clear_faults().await.unwrap();
    client.occ_task(&occ, "rollback", json!({})).await;
    client.wait(&occ, "ROLLED_BACK").await;
    for kind in ["networks", "subnets"] {
        assert!(named_after(&client, kind, &id).await.is_empty(), "{kind}");
    }
}
