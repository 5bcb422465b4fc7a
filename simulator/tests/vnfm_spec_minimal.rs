//! The `spec-minimal` profile (docs/vnfm-choices.md, "The spec-minimal profile"): each of its
//! choices, so that it cannot drift back to the reference answers. Each test would fail against
//! the default profile.

mod vnfm_support;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use simulator::{
    kit::{Fault, VnfmClient},
    openstack::service::Service,
    stack::{Stack, StackOptions},
    vnfm::{Profile, VnfmConfig},
};
use vnfm_support::start_with;

const DEADLINE: Duration = Duration::from_secs(60);

fn spec_minimal() -> VnfmConfig {
    VnfmConfig {
        profile: Profile::SpecMinimal,
        ..VnfmConfig::default()
    }
}

/// The whole stack (cloud and VNFM) with the profile.
async fn stack() -> Stack {
    let mut options = StackOptions::default();
    options.vnfm.profile = Profile::SpecMinimal;
    Stack::start(options).await.expect("stack starts")
}

/// An NFVO client of one root of the stack's VNFM.
fn client(stack: &Stack, root: &str) -> VnfmClient {
    VnfmClient::new(&format!("{}/{root}/vnflcm/v2", stack.vnfm_http_url()))
}

async fn json_of(client: &VnfmClient, path: &str) -> Value {
    let response = client.send(Method::GET, path, None).await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// POSTs a task, expecting 202; waits for its operation to settle and answers it.
async fn settled(client: &VnfmClient, path: &str, body: Value) -> Value {
    let response = client.send(Method::POST, path, Some(&body)).await.unwrap();
    assert_eq!(response.status(), 202, "POST {path} {body}");
    let occ = response.headers()["location"].to_str().unwrap().to_string();
    client.wait_for_operation(&occ, DEADLINE).await.unwrap()
}

/// Reverts the whole of `instance` to `snapshot`; answers the settled operation.
async fn whole_revert(client: &VnfmClient, instance: &str, snapshot: &str) -> Value {
    settled(
        client,
        &format!("/vnf_instances/{instance}/revert_to_snapshot"),
        json!({"vnfSnapshotInfoId": snapshot}),
    )
    .await
}

async fn instantiated(client: &VnfmClient, vnfd: &str) -> String {
    client
        .instantiated_instance(&json!({"vnfdId": vnfd}), DEADLINE)
        .await
        .unwrap()
}

/// Snapshots `instance` into a new resource; answers the resource id.
async fn snapshot_of(client: &VnfmClient, instance: &str) -> String {
    let snapshot = client.create_snapshot_resource().await.unwrap();
    let done = settled(
        client,
        &format!("/vnf_instances/{instance}/create_snapshot"),
        json!({"vnfSnapshotInfoId": snapshot}),
    )
    .await;
    assert_eq!(done["operationState"], "COMPLETED", "{done}");
    snapshot
}

/// The ids of the cloud's resources of one kind (`servers`, `volumes`, `networks`, ...).
async fn cloud_ids(stack: &Stack, kind: &str) -> Vec<String> {
    let state = stack.control().state().await.unwrap();
    state[kind]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn snapshot_resources_have_no_patch_and_no_etag() {
    let stack = start_with(spec_minimal()).await;
    let created = stack.post("/vnf_snapshots", json!({})).await;
    assert_eq!(created.status(), 201);
    assert!(created.headers().get("etag").is_none());
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let read = stack.get(&format!("/vnf_snapshots/{id}")).await;
    assert!(read.headers().get("etag").is_none());

    let pkg = json!({"vnfSnapshotPkgId": "p"});
    let patched = stack
        .send(Method::PATCH, &format!("/vnf_snapshots/{id}"), Some(pkg))
        .await;
    assert_eq!(patched.status(), 405);
    let allow = patched.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");
    assert!(!allow.contains("PATCH"), "{allow}");
    assert!(patched.headers().get("content-type").is_none());
    assert!(patched.bytes().await.unwrap().is_empty());

    // Without an entity tag, If-Match holds for `*` only (RFC 9110 §13.1.1).
    let path = format!("/vnf_snapshots/{id}");
    for (if_match, status) in [("\"anything\"", 412), ("*", 204)] {
        let deleted = stack
            .send_with(Method::DELETE, &path, &[("if-match", if_match)], None)
            .await;
        assert_eq!(deleted.status(), status, "If-Match: {if_match}");
    }
}

#[tokio::test]
async fn lists_are_whole_newest_first_and_ignore_the_page_marker() {
    let stack = start_with(VnfmConfig {
        page_size: 2,
        ..spec_minimal()
    })
    .await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(stack.new_snapshot_resource().await);
    }
    created.reverse();
    for query in ["", "?nextpage_opaque_marker=not-a-marker"] {
        let response = stack.get(&format!("/vnf_snapshots{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
        assert!(response.headers().get("link").is_none(), "{query}");
        let list: Vec<Value> = response.json().await.unwrap();
        let ids: Vec<&str> = list
            .iter()
            .map(|item| item["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, created, "{query}");
    }
}

#[tokio::test]
async fn accept_is_disregarded_and_errors_are_problem_json_without_bodies_on_401() {
    let stack = start_with(spec_minimal()).await;
    let html = stack
        .send_with(
            Method::GET,
            "/vnf_snapshots",
            &[("accept", "text/html")],
            None,
        )
        .await;
    assert_eq!(html.status(), 200);
    assert_eq!(html.headers()["content-type"], "application/json");

    let missing = stack.get("/vnf_snapshots/unknown").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(missing.json::<Value>().await.unwrap()["status"], 404);

    let anonymous = stack
        .client
        .get(format!("{}/vnf_snapshots", stack.vnfm.sol003_root()))
        .header("version", "2.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["version"], "2.0.0");
    assert!(anonymous.headers().get("www-authenticate").is_some());
    assert!(anonymous.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn subscriptions_are_created_untested_and_duplicated() {
    let stack = start_with(spec_minimal()).await;
    // Nothing listens there: the reference VNFM's callback test would refuse it with 422.
    let request = json!({"callbackUri": "http://127.0.0.1:9/nowhere"});
    let mut ids = Vec::new();
    for _ in 0..2 {
        let response = stack.post("/subscriptions", request.clone()).await;
        assert_eq!(response.status(), 201);
        ids.push(response.json::<Value>().await.unwrap()["id"].clone());
    }
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn the_vnfm_serves_no_control_api() {
    let stack = start_with(spec_minimal()).await;
    let faults = stack
        .request(
            Method::GET,
            &format!("{}/_vnfm/faults", stack.vnfm.http_url()),
        )
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(faults.status(), 404);
}

#[tokio::test]
async fn vnfcs_have_no_connection_points_and_no_attribute_beyond_the_spec() {
    let stack = stack().await;
    let sol003 = client(&stack, "or_vnfm");
    let id = instantiated(&sol003, "vnfd-vb-1vdu").await;
    let instance = json_of(&sol003, &format!("/vnf_instances/{id}")).await;
    let info = &instance["instantiatedVnfInfo"];
    assert!(info.get("vnfVirtualLinkResourceInfo").is_none(), "{info}");
    for vnfc in info["vnfcResourceInfo"].as_array().unwrap() {
        assert!(vnfc.get("vnfcCpInfo").is_none(), "{vnfc}");
        assert!(vnfc.get("vnfdId").is_none(), "{vnfc}");
    }
    for storage in info["virtualStorageResourceInfo"].as_array().unwrap() {
        assert!(storage.get("vnfdId").is_none(), "{storage}");
    }
    assert!(cloud_ids(&stack, "networks").await.is_empty());
    assert!(cloud_ids(&stack, "ports").await.is_empty());
    assert_eq!(cloud_ids(&stack, "servers").await.len(), 1);
}

#[tokio::test]
async fn sol002_attributes_sent_to_sol003_are_ignored_whole_vnf_operations() {
    let stack = stack().await;
    let sol003 = client(&stack, "or_vnfm");
    let id = instantiated(&sol003, "vnfd-vb-2vdu").await;
    let instance = json_of(&sol003, &format!("/vnf_instances/{id}")).await;
    let vnfcs = instance["instantiatedVnfInfo"]["vnfcResourceInfo"].clone();
    let first = vnfcs[0]["id"].as_str().unwrap().to_string();

    let snapshot = sol003.create_snapshot_resource().await.unwrap();
    let done = settled(
        &sol003,
        &format!("/vnf_instances/{id}/create_snapshot"),
        json!({"vnfSnapshotInfoId": snapshot, "vnfcInstanceId": first}),
    )
    .await;
    assert_eq!(done["operationState"], "COMPLETED", "{done}");
    let taken = json_of(&sol003, &format!("/vnf_snapshots/{snapshot}")).await;
    let vnfc_snapshots = taken["vnfSnapshot"]["vnfcSnapshots"].as_array().unwrap();
    assert_eq!(vnfc_snapshots.len(), 2, "{taken}");

    let one = vnfc_snapshots[0]["id"].clone();
    let done = settled(
        &sol003,
        &format!("/vnf_instances/{id}/revert_to_snapshot"),
        json!({"vnfSnapshotInfoId": snapshot, "vnfcInstanceId": first, "vnfcSnapshotInfoId": one}),
    )
    .await;
    assert_eq!(done["operationState"], "COMPLETED", "{done}");
    let reverted = json_of(&sol003, &format!("/vnf_instances/{id}")).await;
    let now = &reverted["instantiatedVnfInfo"]["vnfcResourceInfo"];
    for index in 0..2 {
        assert_ne!(
            now[index]["computeResource"]["resourceId"],
            vnfcs[index]["computeResource"]["resourceId"],
            "every VNFC is reverted: {now}"
        );
    }
}

#[tokio::test]
async fn the_documented_limitations_are_refused_by_the_operation() {
    let stack = stack().await;
    let sol003 = client(&stack, "or_vnfm");
    let id = instantiated(&sol003, "vnfd-ib-1vdu").await;
    let servers = cloud_ids(&stack, "servers").await;
    let snapshot = snapshot_of(&sol003, &id).await;
    let failed = whole_revert(&sol003, &id, &snapshot).await;
    assert_eq!(failed["operationState"], "FAILED_TEMP", "{failed}");
    assert_eq!(failed["error"]["status"], 409, "{failed}");
    assert_eq!(cloud_ids(&stack, "servers").await, servers);
}

#[tokio::test]
async fn a_partly_failed_delete_leaves_the_snapshot_as_it_was() {
    let stack = stack().await;
    let sol003 = client(&stack, "or_vnfm");
    let id = instantiated(&sol003, "vnfd-vb-1vdu").await;
    let snapshot = snapshot_of(&sol003, &id).await;
    let path = format!("/vnf_snapshots/{snapshot}");
    let before = json_of(&sol003, &path).await;
    let fault = stack
        .control()
        .add_fault(
            &Fault::on(Service::Cinder)
                .operation("snapshots.delete")
                .error(500),
        )
        .await
        .unwrap();
    let refused = sol003.send(Method::DELETE, &path, None).await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let image = &before["vnfSnapshot"]["vnfcSnapshots"][0]["computeSnapshotResource"]["resourceId"];
    assert!(
        !cloud_ids(&stack, "images")
            .await
            .contains(&image.as_str().unwrap().to_string()),
        "the image went before the volume snapshots failed"
    );
    assert_eq!(json_of(&sol003, &path).await, before);

    stack.control().remove_fault(&fault).await.unwrap();
    sol003.delete(&path).await.unwrap();
    assert!(cloud_ids(&stack, "snapshots").await.is_empty());
}

#[tokio::test]
async fn volumes_a_revert_leaves_are_shown_nowhere_and_deleted_with_their_snapshots() {
    let stack = stack().await;
    let sol003 = client(&stack, "or_vnfm");
    let id = instantiated(&sol003, "vnfd-vb-1vdu").await;
    let snapshot = snapshot_of(&sol003, &id).await;
    let done = whole_revert(&sol003, &id, &snapshot).await;
    assert_eq!(done["operationState"], "COMPLETED", "{done}");
    assert!(done.get("resourcesLeftOnVim").is_none(), "{done}");
    // The two old volumes still have their snapshots: the cloud holds them beside the new ones.
    assert_eq!(cloud_ids(&stack, "volumes").await.len(), 4);

    sol003
        .delete(&format!("/vnf_snapshots/{snapshot}"))
        .await
        .unwrap();
    let instance = json_of(&sol003, &format!("/vnf_instances/{id}")).await;
    let mut in_use: Vec<String> = instance["instantiatedVnfInfo"]["virtualStorageResourceInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|storage| {
            storage["storageResource"]["resourceId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    in_use.sort();
    let mut volumes = cloud_ids(&stack, "volumes").await;
    volumes.sort();
    assert_eq!(volumes, in_use);
}
