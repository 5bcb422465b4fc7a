//! `GET /_sim/inventory`: every resource of the cloud in brief, each entry saying what the whole
//! record of `GET /_sim/state` says about its name, status, project and references.

mod vnfm_support;

use std::time::Duration;

use serde_json::Value;
use simulator::{
    openstack::model::InventoryEntry,
    stack::{Stack, StackOptions},
};

const DEADLINE: Duration = Duration::from_secs(60);

/// A string field of a whole record (`None` when absent, null or empty).
fn text(record: &Value, field: &str) -> Option<String> {
    record[field]
        .as_str()
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// The entry the inventory must give for a whole record of the table `table`.
fn expected(table: &str, record: &Value) -> InventoryEntry {
    let project = if table == "images" {
        "owner"
    } else {
        "project_id"
    };
    let server = match table {
        "ports" => text(record, "device_id"),
        "images" => text(&record["properties"], "instance_uuid"),
        _ => None,
    };
    InventoryEntry {
        id: text(record, "id").unwrap(),
        name: record["name"].as_str().map(str::to_string),
        status: record["status"].as_str().map(str::to_string),
        project_id: text(record, project).unwrap(),
        seeded: record["seeded"] == true,
        server_id: server,
        volume_id: text(record, "volume_id").filter(|_| table == "snapshots"),
        network_id: text(record, "network_id"),
    }
}

#[tokio::test]
async fn inventory_says_what_the_whole_records_say() {
    let stack = Stack::start(StackOptions::default()).await.unwrap();
    let nfvo = stack.vnfm_client();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-ib-1vdu-data").await;
    let snapshot = nfvo.create_snapshot_resource().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    let done = nfvo.wait_for_operation(&occ, DEADLINE).await.unwrap();
    assert_eq!(done["operationState"], "COMPLETED", "{done}");

    let control = stack.control();
    let state = control.state().await.unwrap();
    let inventory = serde_json::to_value(control.inventory().await.unwrap()).unwrap();
    for table in vnfm_support::VNF_TABLES
        .into_iter()
        .chain(["security_groups"])
    {
        let records = state[table].as_array().unwrap();
        let entries: Vec<InventoryEntry> =
            serde_json::from_value(inventory[table].clone()).unwrap();
        assert!(!records.is_empty(), "the VNF made {table}");
        let wanted: Vec<InventoryEntry> = records.iter().map(|r| expected(table, r)).collect();
        assert_eq!(entries, wanted, "{table}");
    }
    let images = state["images"].as_array().unwrap();
    assert!(images.iter().any(|i| i["seeded"] == true));
    assert!(
        images
            .iter()
            .any(|i| i["properties"]["instance_uuid"].is_string()),
        "the snapshot's images name their server"
    );
}

#[tokio::test]
async fn inventory_created_since_lists_exactly_what_was_made_from_then_on() {
    let stack = Stack::start(StackOptions::default()).await.unwrap();
    let nfvo = stack.vnfm_client();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-ib-1vdu-data").await;
    let control = stack.control();
    let before = control.inventory().await.unwrap();
    assert!(!before.servers.is_empty());
    // Whatever is made from now on is made at a later cloud time.
    stack.control().advance_clock(1.0).await.unwrap();
    let snapshot = nfvo.create_snapshot_resource().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    let done = nfvo.wait_for_operation(&occ, DEADLINE).await.unwrap();
    assert_eq!(done["operationState"], "COMPLETED", "{done}");

    let since = control
        .inventory_created_since(before.now_ms + 1)
        .await
        .unwrap();
    assert!(since.now_ms > before.now_ms);
    let state = control.state().await.unwrap();
    let made_after = |table: &str| -> Vec<String> {
        state[table]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["created_ms"].as_u64().unwrap() > before.now_ms)
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let ids = |entries: &[InventoryEntry]| -> Vec<String> {
        entries.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&since.images), made_after("images"));
    assert_eq!(ids(&since.snapshots), made_after("snapshots"));
    assert_eq!(since.images.len(), 1, "the VNFC's image");
    assert_eq!(since.snapshots.len(), 1, "its data volume's snapshot");
    for (kind, entries) in [
        ("servers", &since.servers),
        ("volumes", &since.volumes),
        ("networks", &since.networks),
        ("subnets", &since.subnets),
        ("ports", &since.ports),
    ] {
        assert!(entries.is_empty(), "no {kind} was made after the instance");
    }
}
